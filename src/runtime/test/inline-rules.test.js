// The runtime files are merged into one scope by crates/js/src/runtime.rs: top-level
// names must be unique across files and imports may only name sibling files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

const dir = new URL('../', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.js'));

test('every runtime file is listed in crates/js/src/runtime.rs', () => {
  const rs = readFileSync(new URL('../../../crates/js/src/runtime.rs', import.meta.url), 'utf8');
  for (const f of files) assert.ok(rs.includes(`"${f}"`), `${f} is not listed in runtime_files!`);
});

test('top-level names are unique across files and imports are siblings only', () => {
  const seen = new Map();
  for (const f of files) {
    const src = readFileSync(new URL(f, dir), 'utf8');
    for (const m of src.matchAll(/^import .* from '([^']+)';$/gm)) {
      assert.match(m[1], /^\.\/[a-z0-9-]+\.js$/, `${f} imports ${m[1]}`);
    }
    assert.doesNotMatch(src, /^export (default|\*)/m, `${f} uses a default or star export`);
    for (const m of src.matchAll(/^(?:export )?(?:async )?(?:function|class|const|let) ([A-Za-z_$][\w$]*)/gm)) {
      assert.ok(!seen.has(m[1]), `${m[1]} is declared in ${seen.get(m[1])} and ${f}`);
      seen.set(m[1], f);
    }
  }
});
