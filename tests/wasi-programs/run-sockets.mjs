// Runs the WASI socket programs (the `sockets` section of expected.json; with `--p3`,
// also the wasi:http client programs of the `http` section) in node with @weft/wasi's
// node shim and `network: true`, each next to the node-side peer it needs:
//   tcp-echo     a node:net server that echoes until the guest's FIN, then ends; its
//                address goes to the guest as WEFT_ECHO_ADDR, and a loopback address
//                where nothing listens as WEFT_REFUSED_ADDR
//   udp-echo     a node:dgram socket that answers each datagram upper-cased; its
//                address goes to the guest as WEFT_UDP_PEER
//   tcp-client   waits for `listening on 127.0.0.1:<port>` on the guest's stdout,
//                connects, sends `send`, ends, and records what comes back (`peerReceived`)
//   http         a node:http server with the routes the `http` section's $comment lists;
//                `{upstream}` in `env` becomes its base URL, `{refused}` a loopback URL
//                where nothing listens
// The peers run in a worker thread: a WASI 0.2 guest blocks its thread (Atomics.wait).
// Usage: node tests/wasi-programs/run-sockets.mjs [--p3] [name…]
// Without `--p3`: the 0.2 set (target/wasi-programs, the p2 shim); the last line is
// `wasi-sockets: N passed, M failed`. With `--p3`: the 0.3 set (target/wasi-p3-programs,
// the p3 shim, `run()` awaited); the last line is `wasi-p3-sockets: N passed, M failed`.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { commandNames, exitCode, readExpected, runExport } from './expected.mjs';
import { checkPrograms } from './run-node.mjs';

const p3 = process.argv.includes('--p3');
const set = p3
  ? { dir: 'wasi-p3-programs', label: 'WASI 0.3 socket programs', line: 'wasi-p3-sockets' }
  : { dir: 'wasi-programs', label: 'WASI 0.2 socket programs', line: 'wasi-sockets' };
const { WasiExit, wasiImports } = await import(`../../npm/wasi/src/${p3 ? 'p3-node.js' : 'p2/node.js'}`);

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const weft = process.env.WEFT_BIN ?? join(root, 'target/debug/weft');
const programs = join(root, 'target', set.dir);
const sections = await readExpected(set.dir);
// The 0.2 http programs run in npm/wasi/test/http.test.js.
const expected = { ...sections.sockets, ...(p3 ? sections.http : {}) };

// The peers, in a worker thread (CommonJS, evaluated from this string).
const PEER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const dgram = require('node:dgram');
const { kind, send } = workerData;
(async () => {
  if (kind === 'tcp-echo') {
    const server = net.createServer({ allowHalfOpen: true }, (s) => { s.on('error', () => {}); s.pipe(s); });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const closed = net.createServer();
    await new Promise((r) => closed.listen(0, '127.0.0.1', r));
    const refused = closed.address().port;
    await new Promise((r) => closed.close(r));
    parentPort.postMessage({ env: { WEFT_ECHO_ADDR: '127.0.0.1:' + server.address().port, WEFT_REFUSED_ADDR: '127.0.0.1:' + refused } });
  } else if (kind === 'udp-echo') {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg, rinfo) => socket.send(Buffer.from(msg.toString('latin1').toUpperCase(), 'latin1'), rinfo.port, rinfo.address));
    await new Promise((r) => socket.bind(0, '127.0.0.1', r));
    parentPort.postMessage({ env: { WEFT_UDP_PEER: '127.0.0.1:' + socket.address().port } });
  } else if (kind === 'http') {
    const server = require('node:http').createServer(async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      if (req.url === '/get?x=1') {
        res.setHeader('x-server', 'node');
        res.end(Buffer.from('got ' + req.method + ' x-test=' + req.headers['x-test']));
      } else if (req.url === '/echo') {
        res.setHeader('content-type', req.headers['content-type'] ?? 'application/octet-stream');
        res.end(Buffer.concat(chunks));
      } else {
        res.statusCode = 404;
        res.end(Buffer.from('nope'));
      }
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const closed = net.createServer();
    await new Promise((r) => closed.listen(0, '127.0.0.1', r));
    const refused = closed.address().port;
    await new Promise((r) => closed.close(r));
    parentPort.postMessage({ env: {}, vars: { '{upstream}': 'http://127.0.0.1:' + server.address().port, '{refused}': 'http://127.0.0.1:' + refused + '/' } });
  } else if (kind === 'tcp-client') {
    parentPort.on('message', ({ port }) => {
      const chunks = [];
      const c = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => c.end(send));
      c.on('data', (d) => chunks.push(d));
      c.on('end', () => parentPort.postMessage({ result: { peerReceived: Buffer.concat(chunks).toString() } }));
      c.on('error', (e) => parentPort.postMessage({ result: { peerError: String(e) } }));
    });
    parentPort.postMessage({ env: {} });
  } else {
    parentPort.postMessage({ env: {} });
  }
})();
`;

async function startPeer(spec) {
  const worker = new Worker(PEER, { eval: true, workerData: { kind: spec.peer ?? 'none', send: spec.send ?? '' } });
  const [{ env: peerEnv, vars = {} }] = await once(worker, 'message');
  const env = { ...Object.fromEntries(Object.entries(spec.env ?? {}).map(([k, v]) => [k, vars[v] ?? v])), ...peerEnv };
  let started = false;
  let seen = '';
  return {
    env,
    onStdout(/** @type {Buffer} */ b) {
      if (spec.peer !== 'tcp-client' || started) return;
      seen += b.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(seen);
      if (m) {
        started = true;
        worker.postMessage({ port: Number(m[1]) });
      }
    },
    async result() {
      if (spec.peer !== 'tcp-client') return {};
      if (!started) return { peerReceived: null };
      const timeout = setTimeout(() => worker.emit('message', { result: { peerError: 'timed out' } }), 10_000);
      const [{ result }] = await once(worker, 'message');
      clearTimeout(timeout);
      return result;
    },
    close: () => worker.terminate(),
  };
}

/** Runs one program with its peer; returns { stdout, stderr, exitCode, peerReceived? }. */
export async function runSocketProgram(name, spec) {
  const out = mkdtempSync(join(tmpdir(), `weft-${set.dir}-${name}-`));
  const peer = await startPeer(spec);
  try {
    execFileSync(weft, ['transpile', join(programs, `${name}.wasm`), '-o', out, '--instantiation'], { stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(join(out, 'package.json'), '{"type":"module"}');
    const stdout = [];
    const stderr = [];
    const imports = wasiImports({
      args: spec.args,
      env: peer.env,
      network: true,
      stdin: new Uint8Array(0),
      stdout: (b) => {
        stdout.push(Buffer.from(b));
        peer.onStdout(Buffer.from(b));
      },
      stderr: (b) => stderr.push(Buffer.from(b)),
    });
    const { instantiate } = await import(pathToFileURL(join(out, `${name}.js`)).href);
    const instance = await instantiate((file) => WebAssembly.compile(readFileSync(join(out, file))), imports);
    const run = runExport(instance, p3);
    let code;
    try {
      code = await exitCode(() => run.run(), WasiExit);
    } catch (e) {
      throw Object.assign(e, { message: `${e.message} (stdout so far: ${JSON.stringify(Buffer.concat(stdout).toString())}, stderr: ${JSON.stringify(Buffer.concat(stderr).toString())})` });
    }
    return { stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString(), exitCode: code, ...(await peer.result()) };
  } finally {
    await peer.close();
    rmSync(out, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  if (!existsSync(weft)) execFileSync('cargo', ['build', '-p', 'weft-cli'], { cwd: root, stdio: 'inherit' });
  const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const names = named.length > 0 ? named : commandNames(expected);
  await checkPrograms(
    names,
    expected,
    (name, spec) => {
      if (!existsSync(join(programs, `${name}.wasm`))) throw new Error(`target/${set.dir}/${name}.wasm is missing: run scripts/build-${set.dir}`);
      return runSocketProgram(name, spec);
    },
    set.line,
    (ok, all) => `${ok}/${all} ${set.label} pass on node ${process.version}`,
  );
}
