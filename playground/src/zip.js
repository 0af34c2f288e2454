// zip.js: a tiny ZIP writer for the playground's "download" button. Entries are stored
// (no compression), names are UTF-8 (general purpose bit 11) and every entry carries the
// same DOS time, 1980-01-01 00:00, so the same files always give the same bytes. No ZIP64:
// an archive that would need it (more than 65535 entries, 4 GiB or more) is refused.

const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}

/**
 * The CRC-32 (ISO-HDLC, as ZIP and PNG use it) of `bytes`, as an unsigned number.
 * @param {Uint8Array} bytes @returns {number}
 */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const LOCAL = 30, CENTRAL = 46, END = 22; // fixed header sizes, without the name
const MAX_ENTRIES = 0xffff, MAX_SIZE = 0xffffffff; // 0xffff.. themselves mean "see ZIP64"
const FLAGS = 0x0800; // bit 11: the name is UTF-8
const VERSION = 20; // 2.0, what readers expect of folders and of bit 11
const DOS_TIME = 0, DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01 00:00:00

/**
 * Throws the TypeError why `name` may not name an entry, if it may not.
 * @param {unknown} name
 */
function checkName(name) {
  const bad = (why) => { throw new TypeError(`zip: bad name ${JSON.stringify(name)}: ${why}`); };
  if (typeof name !== 'string') throw new TypeError(`zip: a name must be a string, got ${typeof name}`);
  if (name === '') bad('it is empty');
  if (/\p{Cs}/u.test(name)) bad('it has a lone surrogate, which UTF-8 cannot encode');
  if (name.includes('\\')) bad("folders are separated by '/', not '\\'");
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) bad('it is absolute');
  const segments = name.split('/');
  if (segments.includes('..')) bad("it has a '..' segment");
  if (segments.includes('')) bad("it has an empty segment ('//' or a trailing '/')");
}

/**
 * A ZIP archive of `files`, each a `[name, contents]` pair, in that order. Names are
 * relative paths with '/' between folders; folders need no entries of their own.
 * @param {Array<[string, Uint8Array]>} files
 * @returns {Uint8Array}
 */
export function zip(files) {
  if (!Array.isArray(files)) throw new TypeError('zip: expected an array of [name, Uint8Array] pairs');
  if (files.length > MAX_ENTRIES) {
    throw new RangeError(`zip: ${files.length} entries is more than the 65535 a ZIP without ZIP64 can hold`);
  }
  const encoder = new TextEncoder();
  const seen = new Set();
  const entries = [];
  let size = END;
  for (const file of files) {
    if (!Array.isArray(file) || file.length !== 2) throw new TypeError('zip: each file must be a [name, Uint8Array] pair');
    const [name, data] = file;
    checkName(name);
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`zip: the contents of ${JSON.stringify(name)} must be a Uint8Array`);
    }
    if (seen.has(name)) throw new TypeError(`zip: ${JSON.stringify(name)} is there twice`);
    seen.add(name);
    const nameBytes = encoder.encode(name);
    if (nameBytes.length > 0xffff) throw new RangeError(`zip: the name ${JSON.stringify(name.slice(0, 40) + '…')} is longer than 65535 bytes`);
    entries.push({ nameBytes, data, offset: 0, crc: 0 });
    size += LOCAL + CENTRAL + 2 * nameBytes.length + data.length;
  }
  if (size > MAX_SIZE) {
    throw new RangeError(`zip: the archive would be ${size} bytes, 4 GiB or more, which needs ZIP64`);
  }

  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (v) => { view.setUint16(at, v, true); at += 2; };
  const u32 = (v) => { view.setUint32(at, v, true); at += 4; };
  const bytes = (b) => { out.set(b, at); at += b.length; };
  // The fields local headers and central directory entries share, from "version needed".
  const common = (e) => {
    u16(VERSION); u16(FLAGS); u16(0 /* stored */); u16(DOS_TIME); u16(DOS_DATE);
    u32(e.crc); u32(e.data.length); u32(e.data.length);
    u16(e.nameBytes.length); u16(0 /* extra field length */);
  };

  for (const e of entries) {
    e.offset = at;
    e.crc = crc32(e.data);
    u32(0x04034b50); common(e); bytes(e.nameBytes); bytes(e.data);
  }
  const directory = at;
  for (const e of entries) {
    u32(0x02014b50); u16(VERSION /* made by: MS-DOS, 2.0 */); common(e);
    u16(0 /* comment length */); u16(0 /* disk */); u16(0 /* internal attributes */);
    u32(0 /* external attributes */); u32(e.offset); bytes(e.nameBytes);
  }
  const directorySize = at - directory;
  u32(0x06054b50); u16(0); u16(0); u16(entries.length); u16(entries.length);
  u32(directorySize); u32(directory); u16(0 /* comment length */);
  return out;
}
