// The page's state in the URL's fragment, so a link reproduces it:
//   #ex=<example id>                 a gallery example, unchanged
//   #wat=<deflated WAT text>         WAT text as edited
//   #c=<deflated component bytes>    a component opened from a file
//   &o=<options JSON>                transpile options that differ from the defaults
//   &args=<JSON> &stdin=<text>       the command's arguments and stdin, when changed
// Bytes are deflated (CompressionStream 'deflate-raw') and base64url-encoded.

/** @param {Uint8Array} bytes */
export function base64url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** @param {string} text */
export function fromBase64url(text) {
  const s = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

async function through(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}
export const deflate = (bytes) => through(bytes, new CompressionStream('deflate-raw'));
export const inflate = (bytes) => through(bytes, new DecompressionStream('deflate-raw'));
/** The gzip size of `bytes` (what a server sending them compressed would send). */
export const gzipSize = async (bytes) => (await through(bytes, new CompressionStream('gzip'))).length;

/**
 * The fragment for `state`: { example?, wat?, bytes?, options?, args?, stdin? }.
 * @returns {Promise<string>}
 */
export async function encodeState(state) {
  const p = new URLSearchParams();
  if (state.bytes) p.set('c', base64url(await deflate(state.bytes)));
  else if (state.wat !== undefined) p.set('wat', base64url(await deflate(new TextEncoder().encode(state.wat))));
  else if (state.example) p.set('ex', state.example);
  if (state.options && Object.keys(state.options).length) p.set('o', JSON.stringify(state.options));
  if (state.args) p.set('args', JSON.stringify(state.args));
  if (state.stdin !== undefined) p.set('stdin', state.stdin);
  return `#${p}`;
}

/**
 * The state a fragment holds; throws an Error naming the part that does not decode.
 * @param {string} hash `location.hash`
 */
export async function decodeState(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const state = {};
  const part = async (name, f) => {
    try {
      return await f(p.get(name));
    } catch (e) {
      throw new Error(`the link's "${name}" part does not decode: ${e.message}`);
    }
  };
  if (p.has('c')) state.bytes = await part('c', async (v) => inflate(fromBase64url(v)));
  else if (p.has('wat')) state.wat = await part('wat', async (v) => new TextDecoder('utf-8', { fatal: true }).decode(await inflate(fromBase64url(v))));
  else if (p.has('ex')) state.example = p.get('ex');
  if (p.has('o')) state.options = await part('o', (v) => JSON.parse(v));
  if (p.has('args')) state.args = await part('args', (v) => JSON.parse(v));
  if (p.has('stdin')) state.stdin = p.get('stdin');
  return state;
}
