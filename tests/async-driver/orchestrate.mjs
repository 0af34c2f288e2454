// Runs batches of seeds in child processes (run.mjs --json) with a watchdog, and judges
// their failures against the known bugs of expected-failures.txt. Used by the CI test
// (async-driver.test.mjs) and the long mode (scripts/async-fuzz).
//
// The parent must have transpiled every target first (targets.mjs `listTargets`): the
// children use the outputs as they are (WEFT_DRIVER_PREPARED).
//
// A run that prints nothing for `hangMs` (a synchronous loop freezes node: no timer can
// fire inside the child) is killed and reported as a `hang`; the batch goes on from the
// next seed in a new child.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;

/**
 * Runs seeds `from .. from+runs-1` of `target` on `node`. Resolves to one result per
 * seed: `{ seed, ok, failures, ms, outcomes }`.
 */
export async function runBatch({ node = process.execPath, target, from, runs, long = false, hangMs = 3000, extra = [] }) {
  const results = [];
  let next = from;
  const end = from + runs;
  while (next < end) {
    const got = await child(node, target, next, end - next, long, hangMs, extra);
    results.push(...got.results);
    if (got.hung !== null) {
      results.push({
        seed: got.hung,
        ok: false,
        ms: hangMs,
        failures: [{ kind: 'hang', message: `no result within ${hangMs} ms: node is stuck (a synchronous loop, or the child died)${got.stderr ? `; stderr: ${got.stderr.slice(-600)}` : ''}` }],
      });
      next = got.hung + 1;
    } else {
      next = end;
    }
  }
  return results;
}

function child(node, target, from, runs, long, hangMs, extra) {
  return new Promise((resolve) => {
    const args = [join(here, 'run.mjs'), '--target', target, '--from', String(from), '--runs', String(runs), '--json', ...extra];
    if (long) args.push('--long');
    const p = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WEFT_DRIVER_PREPARED: '1' } });
    const results = [];
    let current = null;
    let buf = '';
    let stderr = '';
    let timer = null;
    let done = false;
    // Starting a child (node, the driver's modules, the target) gets more time than a
    // run: on a loaded machine it can take seconds.
    const arm = (ms = hangMs) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (done) return;
        done = true;
        p.kill('SIGKILL');
        resolve({ results, hung: current ?? from, stderr });
      }, ms);
    };
    arm(Math.max(hangMs, 30_000));
    p.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.startsWith('{')) continue;
        const r = JSON.parse(line);
        if ('start' in r) {
          current = r.start;
          arm();
        } else {
          results.push(r);
          current = null;
          arm();
        }
      }
    });
    p.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
    });
    p.on('exit', () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // A child that died mid-run (not killed by us) is a hang of that seed too.
      resolve({ results, hung: current, stderr });
    });
  });
}

/**
 * The known bugs and expected failures:
 *   bug <id> | <nodes> | <regex on "kind: message"> | <reason>
 *   <test name> | <bug ids, space-separated; `<id>@<majors>` limits one to those nodes;
 *                  a trailing `?` marks one that may not show (it depends on timing)>
 * `<nodes>` is `all`, `node20` or `node24` (node major versions the bug shows on).
 */
export function readExpectations(file = join(here, 'expected-failures.txt')) {
  const bugs = new Map();
  const tests = new Map();
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(' | ').map((s) => s.trim());
    if (parts[0].startsWith('bug ')) {
      const id = parts[0].slice(4).trim();
      bugs.set(id, { id, nodes: parts[1], re: new RegExp(parts[2], 's'), reason: parts[3] ?? '' });
    } else {
      tests.set(parts[0], (parts[1] ?? '').split(/\s+/).filter(Boolean));
    }
  }
  for (const [t, ids] of tests) {
    for (const id of ids) if (!bugs.has(bugName(id))) throw new Error(`expected-failures.txt: ${t} names unknown bug ${id}`);
  }
  return { bugs, tests };
}

/**
 * Whether the bug an id names can show on node `major`. An id is a bug's id, or
 * `<id>@<majors>` (`C@24`, `A@20,24`): the bug shows in that test on those nodes only.
 */
function onNode(id, bugs, major) {
  const [name, at] = id.replace(/\?$/, '').split('@');
  if (at !== undefined) return at.split(',').includes(String(major));
  const b = bugs.get(name);
  return b.nodes === 'all' || b.nodes.split(',').includes(`node${major}`);
}

/** The bug an id names (`J`, `C@24`, `J?`). @param {string} id */
const bugName = (id) => id.replace(/\?$/, '').split('@')[0];

/** The known bug (of `ids`) a failure is, or null. */
export function knownBug(failure, ids, bugs, major) {
  const text = `${failure.kind}: ${failure.message}`;
  for (const id of ids) {
    const name = bugName(id);
    if (onNode(id, bugs, major) && bugs.get(name).re.test(text)) return name;
  }
  return null;
}

/**
 * Judges a batch: `{ unexpected: [{ seed, kind, message }], seen: Set<bug id>, stale }`.
 * `stale`: the test is listed with bugs that can show on this node, and no run failed.
 */
export function judge(results, ids, bugs, major) {
  const unexpected = [];
  const seen = new Set();
  for (const r of results) {
    for (const f of r.failures ?? []) {
      const id = knownBug(f, ids, bugs, major);
      if (id === null) unexpected.push({ seed: r.seed, ...f });
      else seen.add(id);
    }
  }
  // One that may not show (`?`) does not make a passing test stale.
  const applicable = ids.filter((id) => !id.endsWith('?') && onNode(id, bugs, major));
  const stale = applicable.length > 0 && results.every((r) => r.ok);
  return { unexpected, seen, stale };
}
