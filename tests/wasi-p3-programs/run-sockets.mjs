// Runs the WASI 0.3 socket programs (the `sockets` section of expected.json, built into
// target/wasi-p3-programs by scripts/build-wasi-p3-programs) in node with @weft/wasi's
// p3 node shim and `network: true`, each next to the node-side peer it needs:
//   tcp-echo     a node:net server that echoes until the guest's FIN, then ends;
//                its address goes to the guest as WEFT_ECHO_ADDR
//   udp-echo     a node:dgram socket that answers each datagram upper-cased;
//                its address goes to the guest as WEFT_UDP_PEER
//   tcp-client   waits for `listening on 127.0.0.1:<port>` on the guest's stdout,
//                connects, sends `send`, ends, and records what comes back (`peerReceived`)
// Usage: node tests/wasi-p3-programs/run-sockets.mjs [name…]
// WASI 0.3 never blocks the thread, so the peers run on the same event loop.
// The last line is `wasi-p3-sockets: N passed, M failed`.
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WasiExit, wasiImports } from '../../npm/wasi/src/p3/node.js';
import { compare } from '../wasi-programs/run-node.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const weft = process.env.WEFT_BIN ?? join(root, 'target/debug/weft');
const programs = join(root, 'target/wasi-p3-programs');
const expected = JSON.parse(readFileSync(join(root, 'tests/wasi-p3-programs/expected.json'), 'utf8')).sockets;

/** A TCP echo server on 127.0.0.1 (half-open: it ends after echoing the guest's FIN). */
async function tcpEcho() {
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  return { env: { WEFT_ECHO_ADDR: `127.0.0.1:${port}` }, close: () => server.close(), result: () => ({}) };
}

/** A UDP peer on 127.0.0.1 that answers each datagram upper-cased. */
async function udpEcho() {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => socket.send(Buffer.from(msg.toString('latin1').toUpperCase(), 'latin1'), rinfo.port, rinfo.address));
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { env: { WEFT_UDP_PEER: `127.0.0.1:${socket.address().port}` }, close: () => socket.close(), result: () => ({}) };
}

/** A TCP client for a guest server: connects when stdout names the port. */
function tcpClient(/** @type {string} */ send) {
  let seen = '';
  let started = false;
  /** @type {Promise<string>} */
  let received = Promise.resolve('');
  return {
    env: {},
    onStdout(/** @type {Buffer} */ b) {
      seen += b.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(seen);
      if (!m || started) return;
      started = true;
      received = new Promise((resolve, reject) => {
        const chunks = [];
        const c = net.connect({ port: Number(m[1]), host: '127.0.0.1', allowHalfOpen: true }, () => c.end(send));
        c.on('data', (d) => chunks.push(d));
        c.on('end', () => resolve(Buffer.concat(chunks).toString()));
        c.on('error', reject);
      });
    },
    close() {},
    async result() {
      return { peerReceived: await received };
    },
  };
}

async function startPeer(spec) {
  if (spec.peer === 'tcp-echo') return tcpEcho();
  if (spec.peer === 'udp-echo') return udpEcho();
  if (spec.peer === 'tcp-client') return tcpClient(spec.send);
  return { env: {}, close() {}, result: () => ({}) };
}

/** Runs one program with its peer; returns { stdout, stderr, exitCode, peerReceived }. */
export async function runSocketProgram(name, spec) {
  const out = mkdtempSync(join(tmpdir(), `weft-wasi-p3-${name}-`));
  const peer = await startPeer(spec);
  try {
    execFileSync(weft, ['transpile', join(programs, `${name}.wasm`), '-o', out, '--instantiation'], { stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(join(out, 'package.json'), '{"type":"module"}');
    const stdout = [];
    const stderr = [];
    const imports = wasiImports({
      args: spec.args,
      env: { ...spec.env, ...peer.env },
      network: true,
      stdin: new Uint8Array(0),
      stdout: (b) => {
        stdout.push(Buffer.from(b));
        peer.onStdout?.(Buffer.from(b));
      },
      stderr: (b) => stderr.push(Buffer.from(b)),
    });
    const { instantiate } = await import(pathToFileURL(join(out, `${name}.js`)).href);
    const instance = await instantiate((file) => WebAssembly.compile(readFileSync(join(out, file))), imports);
    const run = Object.entries(instance).find(([k]) => /^wasi:cli\/run@0\.3\.\d+/.test(k))?.[1];
    if (!run) throw new Error(`${name}: no wasi:cli/run@0.3.x export`);
    let exitCode = 0;
    try {
      await run.run();
    } catch (e) {
      if (e instanceof WasiExit) exitCode = e.code;
      else if (e?.name === 'ComponentError') exitCode = 1;
      else throw Object.assign(e, { message: `${e.message} (stdout so far: ${JSON.stringify(Buffer.concat(stdout).toString())}, stderr: ${JSON.stringify(Buffer.concat(stderr).toString())})` });
    }
    return { stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString(), exitCode, ...(await peer.result()) };
  } finally {
    peer.close();
    rmSync(out, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  if (!existsSync(weft)) execFileSync('cargo', ['build', '-p', 'weft-cli'], { cwd: root, stdio: 'inherit' });
  const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const names = named.length > 0 ? named : Object.keys(expected).filter((n) => !n.startsWith('$'));
  let failures = 0;
  for (const name of names) {
    const spec = expected[name];
    if (!spec) throw new Error(`no expectation for ${name}`);
    let bad;
    try {
      if (!existsSync(join(programs, `${name}.wasm`))) throw new Error(`target/wasi-p3-programs/${name}.wasm is missing: run scripts/build-wasi-p3-programs`);
      const r = await runSocketProgram(name, spec);
      bad = compare(spec, r);
      if (spec.peerReceived !== undefined && r.peerReceived !== spec.peerReceived) bad.push(`peer received ${JSON.stringify(r.peerReceived)}, expected ${JSON.stringify(spec.peerReceived)}`);
      if (bad.length && process.env.VERBOSE) bad.push(`stdout was ${JSON.stringify(r.stdout)}`, `stderr was ${JSON.stringify(r.stderr)}`);
    } catch (e) {
      bad = [`threw ${e?.stack ?? e}`];
    }
    if (bad.length) failures++;
    console.log(`${bad.length ? 'FAIL' : 'ok  '} ${name}${bad.map((b) => `\n     ${b}`).join('')}`);
  }
  console.log(`${names.length - failures}/${names.length} WASI 0.3 socket programs pass on node ${process.version}`);
  console.log(`wasi-p3-sockets: ${names.length - failures} passed, ${failures} failed`);
  process.exitCode = failures ? 1 : 0;
}
