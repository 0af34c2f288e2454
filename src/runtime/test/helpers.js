// Test helpers: a wasm memory and a recording bump allocator standing in for a guest.

/** A memory of `pages` 64 KiB pages and a `realloc` that records its calls. */
export function guest(pages = 1) {
  const memory = new WebAssembly.Memory({ initial: pages });
  const calls = [];
  let bump = 8;
  const realloc = (oldPtr, oldSize, align, newSize) => {
    calls.push([oldPtr, oldSize, align, newSize]);
    bump = Math.ceil(bump / align) * align;
    const ptr = bump;
    bump += newSize;
    if (bump > memory.buffer.byteLength) memory.grow(Math.ceil((bump - memory.buffer.byteLength) / 65536));
    if (oldSize) new Uint8Array(memory.buffer).copyWithin(ptr, oldPtr, oldPtr + Math.min(oldSize, newSize));
    return ptr;
  };
  return { memory, realloc, calls };
}

/** Bytes of `memory` at [ptr, ptr + len). */
export function bytes(memory, ptr, len) {
  return Array.from(new Uint8Array(memory.buffer, ptr, len));
}

/** Strings that exercise every encoding path. */
export const FUN_STRINGS = [
  '',
  'a',
  'hi',
  '\0',
  '\u0080',
  '\u00ff',
  '\u01ff',
  '\ud7ff',
  '\uf123',
  'abc\u00e9\u00ff',
  'x\u0100y',
  '\u{1f600}',
  'mixed ascii, é, Ω and 😀',
  'long '.repeat(5000) + '\u{10ffff}',
];
