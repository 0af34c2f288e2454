// `weft:test/types` of the values guest: an interface of types only, nothing to provide.
export {};
