// zip.js: archives that Python's zipfile reads back exactly, CRC-32 vectors, and every
// kind of input zip() refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zip, crc32 } from '../src/zip.js';

const utf8 = (s) => new TextEncoder().encode(s);

// Writes `archive` to a temporary file and returns what Python's zipfile makes of it.
function readWithPython(archive) {
  const dir = mkdtempSync(join(tmpdir(), 'weft-zip-'));
  try {
    const path = join(dir, 'out.zip');
    writeFileSync(path, archive);
    const script = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps({
        "testzip": z.testzip(),
        "entries": [{
            "name": i.filename, "crc": i.CRC, "size": i.file_size,
            "compressed": i.compress_size, "method": i.compress_type,
            "flags": i.flag_bits, "date_time": list(i.date_time),
            "data": list(z.read(i)),
        } for i in z.infolist()],
    }))`;
    return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('crc32 of known vectors', () => {
  assert.equal(crc32(utf8('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
  assert.equal(crc32(utf8('a')), 0xe8b7be43);
  assert.equal(crc32(utf8('The quick brown fox jumps over the lazy dog')), 0x414fa339);
  assert.equal(crc32(new Uint8Array(32)), 0x190a55ad);
  assert.equal(crc32(new Uint8Array(32).fill(0xff)), 0xff6cab0b);
});

test('python reads back names, contents and CRCs', () => {
  const binary = new Uint8Array(300);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 37 + 11) & 0xff;
  const files = [
    ['README.md', utf8('# hello\n')],
    ['empty.txt', new Uint8Array(0)],
    ['bin/data.bin', binary],
    ['src/deep/folder/hello.js', utf8('"use components";\nexport const x = 1;\n')],
    ['grüße/日本語 ✓.txt', utf8('non-ASCII name\n')],
  ];
  const archive = zip(files);
  const { testzip, entries } = readWithPython(archive);
  assert.equal(testzip, null);
  assert.deepEqual(entries.map((e) => e.name), files.map(([name]) => name));
  for (const [i, [, data]] of files.entries()) {
    const e = entries[i];
    assert.deepEqual(e.data, [...data], e.name);
    assert.equal(e.size, data.length);
    assert.equal(e.compressed, data.length);
    assert.equal(e.method, 0, 'stored');
    assert.equal(e.crc, crc32(data));
    assert.equal(e.flags & 0x800, 0x800, 'UTF-8 flag');
    assert.deepEqual(e.date_time, [1980, 1, 1, 0, 0, 0]);
  }
});

test('an empty archive is the end record alone', () => {
  const archive = zip([]);
  assert.equal(archive.length, 22);
  assert.deepEqual(readWithPython(archive), { testzip: null, entries: [] });
});

test('output is deterministic', () => {
  const files = () => [['a/b.txt', utf8('b')], ['c', new Uint8Array([0, 1, 2])]];
  assert.deepEqual(zip(files()), zip(files()));
});

test('bad input is a TypeError naming the problem', () => {
  const ok = new Uint8Array(1);
  const cases = [
    [null, /expected an array/],
    ['a.txt', /expected an array/],
    [[['a.txt']], /pair/],
    [['a.txt'], /pair/],
    [[['a.txt', 'text']], /contents of "a.txt" must be a Uint8Array/],
    [[['a.txt', [1, 2]]], /must be a Uint8Array/],
    [[['a.txt', new Uint16Array(1)]], /must be a Uint8Array/],
    [[['a.txt', ok.buffer]], /must be a Uint8Array/],
    [[[42, ok]], /name must be a string/],
    [[['', ok]], /it is empty/],
    [[['/etc/passwd', ok]], /absolute/],
    [[['C:/x.txt', ok]], /absolute/],
    [[['..', ok]], /'\.\.' segment/],
    [[['../x', ok]], /'\.\.' segment/],
    [[['a/../../x', ok]], /'\.\.' segment/],
    [[['a/..', ok]], /'\.\.' segment/],
    [[['a\\b', ok]], /not '\\'/],
    [[['a//b', ok]], /empty segment/],
    [[['dir/', ok]], /empty segment/],
    [[['a\ud800', ok]], /lone surrogate/],
    [[['a.txt', ok], ['b.txt', ok], ['a.txt', ok]], /"a.txt" is there twice/],
  ];
  for (const [files, message] of cases) {
    assert.throws(() => zip(files), { name: 'TypeError', message }, JSON.stringify(files));
  }
  // Names that merely look alike are fine.
  assert.equal(zip([['..a', ok], ['a..', ok], ['a/.b', ok], ['A.txt', ok], ['a.txt', ok]]).length > 0, true);
});

test('what would need ZIP64 is a RangeError', () => {
  const many = Array.from({ length: 65536 }, (_, i) => [`f${i}`, new Uint8Array(0)]);
  assert.throws(() => zip(many), { name: 'RangeError', message: /65536 entries is more than the 65535/ });
  many.pop();
  const archive = zip(many);
  assert.equal(new DataView(archive.buffer).getUint16(archive.length - 22 + 10, true), 65535, 'exactly 65535 is fine');

  assert.throws(() => zip([['x'.repeat(65536), new Uint8Array(0)]]), { name: 'RangeError', message: /longer than 65535 bytes/ });

  // 2 GiB of zeros twice is over 4 GiB. The pages are never touched (the size is checked
  // before anything is read or allocated), so this costs no real memory.
  let big;
  try { big = new Uint8Array(2 ** 31); } catch { return; }
  assert.throws(() => zip([['a', big], ['b', big]]), { name: 'RangeError', message: /4 GiB or more, which needs ZIP64/ });
});
