// Direct links between weft modules (docs/lazy-values.md). A sync export whose type
// has no handles carries a link descriptor: its core function, memory, realloc,
// post-return, string encoding and instance state. When another weft module is
// instantiated with that export as an import of exactly the same type, its import
// trampoline calls the core function itself and moves arguments and results memory to
// memory, as a fused adapter does inside one component: no JS value is made.

/** The property holding the descriptor; versioned so that descriptors of another shape never match. */
const LINK = Symbol.for('weft.link.v1');

/**
 * Offers the export `f` for direct calls from other weft modules. The descriptor holds
 * `sig` (its component-level type, `link.rs::func_sig`), `core` (the lifted core
 * function), the instance's trap state (`poisoned()` / `poison()` from `state`), and
 * when the type needs them `memory`, `realloc`, `post` (post-return) and `enc` (string
 * encoding: `utf8`, `utf16` or `latin1+utf16`).
 * @param {{ poisoned: () => boolean, poison: () => void }} state
 * @param {Function} f @param {string} sig @param {Function} core
 * @param {WebAssembly.Memory} [memory] @param {Function} [realloc] @param {Function} [post]
 * @param {string} [enc]
 */
export function offerLink(state, f, sig, core, memory, realloc, post, enc) {
  const { poisoned, poison } = state;
  Object.defineProperty(f, LINK, { value: { sig, core, memory, realloc, post, enc, poisoned, poison } });
}

/** The link descriptor of `f` when it is a weft export of the type `sig`, else undefined. */
export function linkOf(f, sig) {
  const d = typeof f === 'function' ? f[LINK] : undefined;
  return d !== undefined && d.sig === sig ? d : undefined;
}
