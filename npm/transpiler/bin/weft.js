#!/usr/bin/env node
// `npx weft transpile|run|serve|replay|wit|webidl`: the native `weft` CLI's subcommands over
// the wasm build, with its options, help, output lines, messages and exit codes (0 ok, 1
// bad input, 2 usage, 65 a component that is not what `run`/`serve` runs, 70 a bug in
// weft; `weft run` otherwise exits with the program's exit code). `run`, `serve` and
// `replay` transpile into `$WEFT_CACHE/run/` and run node on the runner scripts the
// native CLI embeds (src/host/run.mjs, serve.mjs, replay.mjs) with the installed
// `@weft/wasi` (the native CLI embeds a copy of its shims). `webidl` reads the `.idl` files (and the specs of
// `@webref/idl`) here, as crates/cli/src/webidl.rs does, and the wasm's `webidl()` does
// the rest. `weft types`, and `weft wit` of WIT text, are only in the native CLI.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatError, transpile, webidl, wit } from '../src/index.js';

const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

const TRANSPILE_USAGE = 'Usage: weft transpile [OPTIONS] --out-dir <OUT_DIR> <INPUT>';
const WIT_USAGE = 'Usage: weft wit <INPUT>';
const WEBIDL_USAGE = 'Usage: weft webidl [OPTIONS] --out-dir <OUT_DIR> <IDL>...';
const TOP_USAGE = 'Usage: weft <COMMAND>';

const TOP_HELP = `Run WebAssembly components in any JS engine (the wasm build of weft's transpiler)

${TOP_USAGE}

Commands:
  transpile  Transpile a component into core wasm modules and an ES module
  run        Run a \`wasi:cli/run\` command component in node; exits with its exit code
  serve      Serve a \`wasi:http/incoming-handler\` component on loopback with node
  replay     Replay a trace (\`--record\`'s, or written by hand) against a component in node: the trace answers its imports; exits 1 where the run first differs from it
  wit        Print the WIT of a component
  webidl     Write WIT for Web APIs from WebIDL (files, or specs of \`@webref/idl\`)
  help       Print this message or the help of the given subcommand(s)

Options:
  -h, --help     Print help
  -V, --version  Print version
`;

const TRANSPILE_HELP = `Transpile a component into core wasm modules and an ES module

${TRANSPILE_USAGE}

Arguments:
  <INPUT>  The component (\`.wasm\`, or \`.wat\` text)

Options:
  -o, --out-dir <OUT_DIR>              Output directory
      --name <NAME>                    Base name of the output files (default: the input's file stem)
      --instantiation[=<MODE>]         Emit \`instantiate(getCoreModule, imports)\` for many independent instances: \`async\` (the default) returns a promise, \`sync\` the exports (\`getCoreModule\` then returns compiled \`WebAssembly.Module\`s). \`--instantiation sync\` works too [possible values: async, sync]
      --compat <COMPAT>                Value shapes: \`native\` (CM Explainer JS API) or \`jco\` (jco 1.35) [default: native]
      --base64-cutoff <BASE64_CUTOFF>  Inline core modules smaller than this many bytes as base64 [default: 4096]
      --map <MAP>                      Rewrite an import specifier: \`--map 'wasi:*=./shims/*.js'\` (a rule that matches no import is a warning)
      --async-imports <PATTERN>        Host imports whose JS may return a promise to a synchronous caller (\`interface#function\` or \`interface\`, one \`*\`): the guest suspends with JSPI
      --async-exports <PATTERN>        Synchronous exports entered through JSPI (same patterns): they return promises
      --no-typescript                  Do not write \`<name>.d.ts\`
      --minify                         Print the JS without whitespace (names are kept)
      --tla-compat                     No top-level \`await\`: export \`$init\`, a promise to await before using the exports (jco's \`--tla-compat\`)
  -q, --quiet                          Print nothing on success (warnings still go to stderr)
      --record                         Record every call across the component's boundary in WAVE, one event per line: the module exports the trace as \`$trace\` (docs/record-replay.md)
      --lowered                        Link the component's core instances into one core module (multi-memory: node 24, Chrome 120, Firefox 125) and generate the glue on it (docs/lower.md)
      --webidl <IDL>                   WebIDL (\`.idl\` files or directories of them) the component's \`webidl:\` imports are bound against; default: every spec of \`@webref/idl\` in \`node_modules\` here or above. Read only when the component has such imports
      --webidl-missing <MODE>          What a WebIDL member (or interface) the engine lacks does: \`error\` (instantiation fails with \`WebIdlMissing\`, naming the first) or \`trap\` (a call of a function that uses it traps, naming it) [default: error]
      --max-instances <N>              Fail when the flattened component creates more component and core instances [default: 10000]
      --max-nesting <N>                Fail when component instantiations nest deeper [default: 100]
      --max-code-size <BYTES>          Fail when the generated JS and \`.d.ts\` would be larger (bytes) [default: 67108864]
  -h, --help                           Print help
`;

const WIT_HELP = `Print the WIT of a component

${WIT_USAGE}

Arguments:
  <INPUT>  The component (\`.wasm\`, or \`.wat\` text)

Options:
  -h, --help  Print help
`;

const WEBIDL_HELP = `Write WIT for Web APIs from WebIDL (files, or specs of \`@webref/idl\`)

${WEBIDL_USAGE}

Arguments:
  <IDL>...  WebIDL: \`.idl\` files, directories of them, or the short names of specs in \`@webref/idl\` (\`dom\`, \`html\`, \`fetch\`, ...; with a short name, every spec of the package is read, so that what the kept interfaces mention is defined)

Options:
  -o, --out-dir <OUT_DIR>     Output directory (the package is written as \`<name>.wit\` in it)
      --interface <NAME>      Keep this interface or namespace and what it mentions (repeatable; default: every interface and namespace the inputs define)
      --only                  Keep only those interfaces and their ancestors: a member that mentions another interface is left out (with a warning) instead of bringing it in
      --sync                  Leave out what WIT would make async (operations returning promises, promise attributes, event handlers as streams), for guests without Component Model async (each one a warning)
      --package <NS:NAME>     The WIT package (\`webidl:NAME\`: \`weft transpile\` binds imports of the \`webidl\` namespace to the platform) [default: webidl:web]
      --wit-interface <NAME>  The WIT interface holding the resources and types [default: web]
      --webref <DIR>          Where \`@webref/idl\` is (default: \`node_modules/@webref/idl\` in the current directory or one above it)
  -q, --quiet                 Print nothing on success (warnings still go to stderr)
  -h, --help                  Print help
`;

const RUN_HELP = `Run a \`wasi:cli/run\` command component in node; exits with its exit code

Usage: weft run [OPTIONS] <COMPONENT> [ARGS]...

Arguments:
  <COMPONENT> [ARGS]...  The command component (\`.wasm\`, or \`.wat\` text), then the program's arguments: everything after the component is the program's, \`--help\` included (a \`--\` right after the component is dropped)

Options:
      --dir <HOST[::GUEST]>  Give the program a host directory: \`HOST\` (seen as the same path) or \`HOST::GUEST\`. Without any, the current directory is preopened as \`.\`
      --env <NAME=VALUE>     Set an environment variable for the program (\`NAME=VALUE\`)
      --clear-env            Do not pass weft's own environment to the program (only \`--env\` values)
      --allow-network        Let the program open sockets and look up names (WASI sockets; off by default)
      --argv0 <NAME>         The program's name, its \`argv[0]\` (default: the input's file stem)
      --record <FILE>        Record every call across the component's boundary (its \`run\` and each WASI call inside it) into FILE, in WAVE, one event per line (docs/record-replay.md)
  -h, --help                 Print help (see more with '--help')
`;

const RUN_LONG_HELP = `Run a \`wasi:cli/run\` command component in node; exits with its exit code.

weft's options go before the component: every argument after it is the program's (\`--help\` included; a \`--\` right after the component is dropped).

Usage: weft run [OPTIONS] <COMPONENT> [ARGS]...

Arguments:
  <COMPONENT> [ARGS]...
          The command component (\`.wasm\`, or \`.wat\` text), then the program's arguments: everything after the component is the program's, \`--help\` included (a \`--\` right after the component is dropped)

Options:
      --dir <HOST[::GUEST]>
          Give the program a host directory: \`HOST\` (seen as the same path) or \`HOST::GUEST\`. Without any, the current directory is preopened as \`.\`

      --env <NAME=VALUE>
          Set an environment variable for the program (\`NAME=VALUE\`)

      --clear-env
          Do not pass weft's own environment to the program (only \`--env\` values)

      --allow-network
          Let the program open sockets and look up names (WASI sockets; off by default)

      --argv0 <NAME>
          The program's name, its \`argv[0]\` (default: the input's file stem)

      --record <FILE>
          Record every call across the component's boundary (its \`run\` and each WASI call inside it) into FILE, in WAVE, one event per line (docs/record-replay.md)

  -h, --help
          Print help (see a summary with '-h')
`;

const REPLAY_USAGE = 'Usage: weft replay [OPTIONS] <TRACE> <COMPONENT>';

const REPLAY_HELP = `Replay a trace (\`--record\`'s, or written by hand) against a component in node: the trace answers its imports; exits 1 where the run first differs from it

${REPLAY_USAGE}

Arguments:
  <TRACE>      The trace: recorded (\`--record\`) or written by hand (docs/record-replay.md)
  <COMPONENT>  The component (\`.wasm\`, or \`.wat\` text): the one recorded, or a modified build

Options:
      --only <PATTERN>  Make only the export calls this names (\`iface#f\`, an interface, one \`*\`); the trace's other calls, and what happens inside them, are left out (repeatable)
      --host <PATTERN>  Let the host functions this names (same patterns) go to a real host, the WASI shims \`weft run\` gives a program, instead of the trace; their calls are not compared (repeatable)
  -h, --help            Print help
`;

const SERVE_HELP = `Serve a \`wasi:http/incoming-handler\` component on loopback with node

Usage: weft serve [OPTIONS] <COMPONENT> [ARGS]...

Arguments:
  <COMPONENT> [ARGS]...  The \`wasi:http\` handler component (\`.wasm\`, or \`.wat\` text), then the component's arguments (\`wasi:cli/environment\`'s \`get-arguments\`; its \`argv[0]\` is the file stem). weft's options go before the component

Options:
      --port <PORT>                   Port to listen on (0 picks a free one) [default: 8080]
      --host <HOST>                   Address to listen on [default: 127.0.0.1]
      --env <NAME=VALUE>              Set an environment variable for the component (\`NAME=VALUE\`)
      --max-instance-reuse-count <N>  How many requests one instance serves before a fresh one replaces it (default: no limit; 1: an instance per request, what \`wasmtime serve\` does for WASI 0.2). A request that traps always retires its instance
  -h, --help                          Print help (see more with '--help')
`;

const SERVE_LONG_HELP = `Serve a \`wasi:http/incoming-handler\` component on loopback with node.

weft's options go before the component: arguments after it are the component's (\`wasi:cli/environment\`'s \`get-arguments\`).

Usage: weft serve [OPTIONS] <COMPONENT> [ARGS]...

Arguments:
  <COMPONENT> [ARGS]...
          The \`wasi:http\` handler component (\`.wasm\`, or \`.wat\` text), then the component's arguments (\`wasi:cli/environment\`'s \`get-arguments\`; its \`argv[0]\` is the file stem). weft's options go before the component

Options:
      --port <PORT>
          Port to listen on (0 picks a free one)
          
          [default: 8080]

      --host <HOST>
          Address to listen on
          
          [default: 127.0.0.1]

      --env <NAME=VALUE>
          Set an environment variable for the component (\`NAME=VALUE\`)

      --max-instance-reuse-count <N>
          How many requests one instance serves before a fresh one replaces it (default: no limit; 1: an instance per request, what \`wasmtime serve\` does for WASI 0.2). A request that traps always retires its instance

  -h, --help
          Print help (see a summary with '-h')
`;

/** A usage error, printed like clap prints it (exit code 2). */
class Usage extends Error {
  constructor(message, { tip, usage } = {}) {
    super(message);
    this.tip = tip;
    this.usage = usage;
  }
}

/** `--help` seen: print `text` and stop (exit 0). */
class Help {
  constructor(text) {
    this.text = text;
  }
}

function usageText(e) {
  let text = `error: ${e.message}\n`;
  if (e.tip) text += `\n  tip: ${e.tip}\n`;
  if (e.usage) text += `\n${e.usage}\n`;
  return `${text}\nFor more information, try '--help'.\n`;
}

/**
 * Parses a subcommand's arguments as clap does. `cmd`: `{ name, spec, usage, help,
 * positional, required }`, `spec` mapping a long name to `{ short, value, multi, parse,
 * optional, meta }` (values are stored under the long name), `positional` the
 * positional argument as clap's usage shows it (`<INPUT>`), `required` the long names
 * of the required options. The result's `usage` is clap's usage line for an error about
 * missing arguments: the required options, then the others used, in order.
 */
function parseArgs(argv, cmd) {
  const { spec, usage, help } = cmd;
  const required = cmd.required ?? [];
  const out = { positionals: [] };
  /** Options in the order of their first use. */
  const used = [];
  const short = new Map(Object.entries(spec).filter(([, s]) => s.short).map(([k, s]) => [s.short, k]));
  const shown = (name) => {
    const s = spec[name];
    return s.value ? display(name, s) : s.optional ? `--${name}[=<${s.meta}>]` : `--${name}`;
  };
  // clap's usage once arguments were used: the required options and the used ones.
  const smartUsage = () => {
    const names = [...required, ...used.filter((n) => !required.includes(n))];
    return `Usage: weft ${cmd.name} ${names.map((n) => `${shown(n)} `).join('')}${cmd.positional}`;
  };
  const longName = (tok) => {
    const eq = tok.indexOf('=');
    return eq < 0 ? tok.slice(2) : tok.slice(2, eq);
  };
  const unexpected = (tok) => {
    const shownTok = tok.startsWith('--') ? `--${longName(tok)}` : tok.slice(0, 2);
    // A long one: clap's usage of what was used, if anything was; a short one: [OPTIONS].
    const anyUsed = used.length > 0 || out.positionals.length > 0;
    return new Usage(`unexpected argument '${shownTok}' found`, {
      tip: `to pass '${shownTok}' as a value, use '-- ${shownTok}'`,
      usage: tok.startsWith('--') && anyUsed ? smartUsage() : usage,
    });
  };
  const use = (name) => {
    if (!used.includes(name)) used.push(name);
  };
  const put = (name, value) => {
    const s = spec[name];
    if (used.includes(name) && !s.multi) {
      throw new Usage(`the argument '${shown(name)}' cannot be used multiple times`, { usage });
    }
    use(name);
    if (!s.value) {
      out[name] = true;
      return;
    }
    if (s.parse) {
      try {
        value = s.parse(value);
      } catch (e) {
        throw new Usage(`invalid value '${value}' for '${display(name, s)}': ${e.message}`);
      }
    }
    if (s.multi) (out[name] ??= []).push(value);
    else out[name] = value;
  };
  /** Whether clap takes `tok` for an argument (so not for the value of an option before it). */
  const isArgument = (tok) => {
    if (tok === '--') return true;
    if (tok.startsWith('--')) {
      const name = longName(tok);
      return name === 'help' || Object.hasOwn(spec, name);
    }
    return tok.startsWith('-') && tok.length > 1 && (tok[1] === 'h' || short.has(tok[1]));
  };
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (tok === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    let name;
    let inline;
    if (tok.startsWith('--')) {
      const eq = tok.indexOf('=');
      name = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
      inline = eq < 0 ? undefined : tok.slice(eq + 1);
      if (name === 'help') throw new Help(help);
      if (!Object.hasOwn(spec, name)) throw unexpected(tok);
    } else if (tok.startsWith('-') && tok.length > 1) {
      const c = tok[1];
      if (c === 'h') throw new Help(help);
      name = short.get(c);
      if (name === undefined) throw unexpected(tok);
      if (tok.length > 2) {
        if (spec[name].value) inline = tok[2] === '=' ? tok.slice(3) : tok.slice(2);
        else throw unexpected(`-${tok[2]}`); // bundled short flags are not used here
      }
    } else {
      out.positionals.push(tok);
      continue;
    }
    const s = spec[name];
    if (s.optional) {
      // `--name[=VALUE]`, also `--name VALUE` for one of its values (as the native CLI's
      // normalize_args does): the value is optional, so without one it is the first.
      if (inline === undefined && s.optional.includes(argv[i + 1])) inline = argv[++i];
      const value = inline ?? s.optional[0];
      if (!s.optional.includes(value)) {
        throw new Usage(`invalid value '${value}' for '--${name}[=<${s.meta}>]'\n  [possible values: ${s.optional.join(', ')}]`);
      }
      if (used.includes(name)) throw new Usage(`the argument '--${name}[=<${s.meta}>]' cannot be used multiple times`, { usage });
      use(name);
      out[name] = value;
      continue;
    }
    if (!s.value) {
      if (inline !== undefined) {
        // clap lists every argument in this one message's usage line.
        const all = Object.keys(spec).map(shown);
        const list = cmd.positional ? `weft ${cmd.name} <${cmd.positional.replace(/^<|>(\.\.\.)?$/g, '')}|${all.join('|')}>` : usage.slice('Usage: '.length);
        throw new Usage(`unexpected value '${inline}' for '--${name}' found; no more were expected`, { usage: `Usage: ${list}` });
      }
      put(name);
      continue;
    }
    if (inline === undefined) {
      const next = argv[i + 1];
      if (next === undefined || isArgument(next)) {
        throw new Usage(`a value is required for '${display(name, s)}' but none was supplied`);
      }
      if (next.startsWith('-') && next.length > 1) throw unexpected(next);
      inline = next;
      i++;
    }
    put(name, inline);
  }
  out.usage = smartUsage();
  return out;
}

function display(name, s) {
  return `--${name} <${s.meta ?? name.toUpperCase().replaceAll('-', '_')}>`;
}

function parseCompat(s) {
  if (s === 'native' || s === 'jco') return s;
  throw new Error(`unknown compat mode \`${s}\` (expected \`native\` or \`jco\`)`);
}

function parseWebidlMissing(s) {
  if (s === 'error' || s === 'trap') return s;
  throw new Error(`unknown \`--webidl-missing\` mode \`${s}\` (expected \`error\` or \`trap\`)`);
}

function parseMap(s) {
  const eq = s.indexOf('=');
  if (eq > 0 && eq < s.length - 1) return [s.slice(0, eq), s.slice(eq + 1)];
  throw new Error(`expected \`from=to\`, got \`${s}\``);
}

function parseUsize(s) {
  // Rust's `usize::from_str` messages.
  if (s === '') throw new Error('cannot parse integer from empty string');
  if (!/^\+?[0-9]+$/.test(s)) throw new Error('invalid digit found in string');
  const n = Number(s.replace(/^\+/, ''));
  if (!Number.isSafeInteger(n)) throw new Error('number too large to fit in target type');
  return n;
}

/** clap's `u32` parser: an `i64`, then a range check. */
function parseU32(s) {
  if (s === '') throw new Error('cannot parse integer from empty string');
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error('invalid digit found in string');
  const n = BigInt(s.replace(/^\+/, ''));
  if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) {
    throw new Error(n < 0n ? 'number too small to fit in target type' : 'number too large to fit in target type');
  }
  if (n < 0n || n > 0xffffffffn) throw new Error(`${n} is not in 0..=4294967295`);
  return Number(n);
}

const TRANSPILE_SPEC = {
  'out-dir': { short: 'o', value: true },
  name: { value: true },
  instantiation: { optional: ['async', 'sync'], meta: 'MODE' },
  compat: { value: true, parse: parseCompat },
  'base64-cutoff': { value: true, parse: parseUsize },
  map: { value: true, multi: true, parse: parseMap },
  'async-imports': { value: true, multi: true, meta: 'PATTERN' },
  'async-exports': { value: true, multi: true, meta: 'PATTERN' },
  'no-typescript': {},
  minify: {},
  'tla-compat': {},
  quiet: { short: 'q' },
  record: {},
  lowered: {},
  webidl: { value: true, multi: true, meta: 'IDL' },
  'webidl-missing': { value: true, parse: parseWebidlMissing, meta: 'MODE' },
  'max-instances': { value: true, parse: parseU32, meta: 'N' },
  'max-nesting': { value: true, parse: parseU32, meta: 'N' },
  'max-code-size': { value: true, parse: parseUsize, meta: 'BYTES' },
};

/** The subcommands `parseArgs` reads (`run` and `serve` have `parseCommand`). */
const TRANSPILE = {
  name: 'transpile',
  usage: TRANSPILE_USAGE,
  help: TRANSPILE_HELP,
  positional: '<INPUT>',
  required: ['out-dir'],
  spec: TRANSPILE_SPEC,
};

const WIT = { name: 'wit', usage: WIT_USAGE, help: WIT_HELP, positional: '<INPUT>', spec: {} };

const WEBIDL = {
  name: 'webidl',
  usage: WEBIDL_USAGE,
  help: WEBIDL_HELP,
  positional: '<IDL>...',
  required: ['out-dir'],
  spec: {
    'out-dir': { short: 'o', value: true },
    interface: { value: true, multi: true, meta: 'NAME' },
    only: {},
    sync: {},
    package: { value: true, meta: 'NS:NAME' },
    'wit-interface': { value: true, meta: 'NAME' },
    webref: { value: true, meta: 'DIR' },
    quiet: { short: 'q' },
  },
};

/** Rust's `io::Error` display for a node fs error: `Message (os error N)`. */
function ioMessage(e) {
  const errno = e.code && constants.errno[e.code];
  if (errno === undefined) return e.message;
  const text = STRERROR[e.code] ?? e.message.replace(/^[A-Z]+: /, '').replace(/,.*$/, '');
  return `${text} (os error ${errno})`;
}

const STRERROR = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  EPERM: 'Operation not permitted',
};

/**
 * Bad input (exit 1), a component `run`/`serve` does not run (`exit: 65`), or a bug in
 * weft (`code: 'WEFT_BUG'`, exit 70): `error: ` and the native CLI's message, the chain
 * of `causes` laid out by the transpiler's own printer.
 */
class Failure extends Error {
  constructor(message, { causes = [], code, exit = 1 } = {}) {
    super(message);
    this.causes = causes;
    this.code = code;
    this.exit = exit;
  }
}

function fail(message, cause) {
  return new Failure(message, { causes: [cause] });
}

/** A rejection of the wasm API: its message is already laid out. */
function apiFailure(e) {
  return new Failure(e.message, { code: e.code });
}

/** `Path::extension() == "wat"`. */
function isWat(path) {
  const file = path.split('/').pop();
  const dot = file.lastIndexOf('.');
  return dot > 0 && file.slice(dot + 1) === 'wat';
}

function readInput(path) {
  try {
    return readFileSync(path);
  } catch (e) {
    throw fail(`failed to read \`${path}\``, ioMessage(e));
  }
}

/** Whether `path` is a directory (false when it does not exist). */
function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `Path::join` as `display()` shows it. */
function join(dir, file) {
  if (dir === '') return file;
  return dir.endsWith('/') ? dir + file : `${dir}/${file}`;
}

/** The native CLI's size column: `{n} B`, `{:.1} KiB`, `{:.1} MiB` (ties to even, like Rust). */
function human(n) {
  if (n < 1024) return `${n} B`;
  const [unit, div] = n < 1024 * 1024 ? ['KiB', 1024] : ['MiB', 1024 * 1024];
  const scaled = n * 10;
  let tenths = Math.floor(scaled / div);
  const rem = scaled - tenths * div;
  if (rem * 2 > div || (rem * 2 === div && tenths % 2 === 1)) tenths++;
  return `${Math.floor(tenths / 10)}.${tenths % 10} ${unit}`;
}

async function runTranspile(argv) {
  const args = parseArgs(argv, TRANSPILE);
  if (args.positionals.length > 1) {
    throw new Usage(`unexpected argument '${args.positionals[1]}' found`, { usage: TRANSPILE_USAGE });
  }
  const missing = [];
  if (args['out-dir'] === undefined) missing.push('--out-dir <OUT_DIR>');
  if (args.positionals.length === 0) missing.push('<INPUT>');
  if (missing.length) {
    throw new Usage(`the following required arguments were not provided:\n${missing.map((m) => `  ${m}\n`).join('')}`.trimEnd(), {
      usage: args.usage,
    });
  }
  const input = args.positionals[0];
  const outDir = args['out-dir'];
  const bytes = readInput(input);
  const webidl = transpileIdl(bytes, args.webidl ?? []);
  let out;
  try {
    out = await transpile(bytes, {
      inputName: input,
      wat: isWat(input),
      name: args.name,
      instantiation: args.instantiation ?? false,
      compat: args.compat ?? 'native',
      base64Cutoff: args['base64-cutoff'] ?? 4096,
      map: args.map ?? [],
      typescript: !args['no-typescript'],
      asyncImports: args['async-imports'] ?? [],
      asyncExports: args['async-exports'] ?? [],
      minify: !!args.minify,
      tlaCompat: !!args['tla-compat'],
      record: !!args.record,
      lowered: !!args.lowered,
      maxInstances: args['max-instances'],
      maxNesting: args['max-nesting'],
      maxCodeSize: args['max-code-size'],
      ...(webidl && { webidl }),
      webidlMissing: args['webidl-missing'] ?? 'error',
    });
  } catch (e) {
    throw apiFailure(e);
  }
  for (const w of out.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw fail(`failed to create \`${outDir}\``, ioMessage(e));
  }
  for (const [file, contents] of Object.entries(out.files)) {
    const path = join(outDir, file);
    try {
      writeFileSync(path, contents);
    } catch (e) {
      throw fail(`failed to write \`${path}\``, ioMessage(e));
    }
    if (!args.quiet) process.stdout.write(`  ${human(contents.length).padStart(10)}  ${path}\n`);
  }
}

async function runWit(argv) {
  const args = parseArgs(argv, WIT);
  if (args.positionals.length > 1) {
    throw new Usage(`unexpected argument '${args.positionals[1]}' found`, { usage: WIT_USAGE });
  }
  if (args.positionals.length === 0) {
    throw new Usage('the following required arguments were not provided:\n  <INPUT>', { usage: WIT_USAGE });
  }
  const input = args.positionals[0];
  if (input.endsWith('.wit') || isDirectory(input)) {
    throw fail(`cannot read \`${input}\``, 'WIT text (a `.wit` file or a package directory) is only read by the native weft CLI (cargo install --path crates/cli); `npx weft wit` prints the WIT of a component');
  }
  const bytes = readInput(input);
  let text;
  try {
    text = await wit(bytes, { inputName: input, wat: isWat(input) });
  } catch (e) {
    throw apiFailure(e);
  }
  process.stdout.write(text);
}

// `weft webidl`: the native CLI's (crates/cli/src/webidl.rs). The files are read here, in
// the native CLI's order; the wasm's `webidl()` (weft_webidl::to_wit, which the native
// CLI calls too) parses them, keeps what the given files define and generates the WIT.

async function runWebidl(argv) {
  const args = parseArgs(argv, WEBIDL);
  const missing = [];
  if (args['out-dir'] === undefined) missing.push('--out-dir <OUT_DIR>');
  if (args.positionals.length === 0) missing.push('<IDL>...');
  if (missing.length) {
    throw new Usage(`the following required arguments were not provided:\n${missing.map((m) => `  ${m}`).join('\n')}`, { usage: args.usage });
  }
  const pkg = args.package ?? 'webidl:web';
  // Checked before anything is read, as natively (weft_webidl::split_package's message).
  const colon = pkg.indexOf(':');
  if (colon <= 0 || colon === pkg.length - 1) {
    throw new Failure(`\`--package ${pkg}\`: expected \`namespace:name\`, e.g. \`webidl:dom\``);
  }
  const files = [];
  const shortNames = [];
  for (const input of args.positionals) {
    if (isDirectory(input)) {
      for (const f of idlFiles(input)) files.push(readIdl(f));
    } else if (existsSync(input) || input.endsWith('.idl')) {
      files.push(readIdl(input));
    } else {
      shortNames.push(input);
    }
  }
  const given = files.length;
  if (shortNames.length > 0) {
    const dir = webrefDir(args.webref);
    for (const f of idlFiles(dir)) {
      const file = readIdl(f);
      // The named specs first.
      if (shortNames.includes(programName(f))) files.unshift(file);
      else files.push(file);
    }
    for (const s of shortNames) {
      if (!existsSync(join(dir, `${s}.idl`))) {
        throw new Failure(`\`${s}\` is neither a file nor a spec of ${dir} (its specs are the \`.idl\` files there)`);
      }
    }
  }
  let out;
  try {
    out = await webidl(files, {
      interfaces: args.interface ?? [],
      only: args.only === true,
      sync: args.sync === true,
      package: pkg,
      witInterface: args['wit-interface'] ?? 'web',
      // The given files and specs define what is kept; the other specs only what they mention.
      keepFrom: files.slice(0, given + shortNames.length).map((f) => f.name),
    });
  } catch (e) {
    throw apiFailure(e);
  }
  for (const w of out.warnings) process.stderr.write(`warning: ${w}\n`);
  const outDir = args['out-dir'];
  try {
    // `create_dir_all("")` does nothing.
    if (outDir !== '') mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw fail(`cannot create the directory \`${outDir}\``, ioMessage(e));
  }
  const file = join(outDir, `${pkg.slice(colon + 1)}.wit`);
  try {
    writeFileSync(file, out.wit);
  } catch (e) {
    throw fail(`cannot write \`${file}\``, ioMessage(e));
  }
  if (!args.quiet) {
    const leftOut = out.warnings.length > 0 ? ` (${out.warnings.length} warnings: what WIT cannot say, left out)` : '';
    process.stdout.write(`${file}${leftOut}\n`);
  }
}

/** The `.idl` and `.webidl` files of a directory, sorted by name (bytes, as Rust sorts paths). */
function idlFiles(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw fail(`cannot read the directory \`${dir}\``, ioMessage(e));
  }
  return names
    .filter((n) => ['idl', 'webidl'].includes(extension(n)))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((n) => join(dir, n));
}

/**
 * The IDL `weft transpile --webidl` binds `webidl:` imports against, read only for a
 * component that names such imports: the files and directories given, else every spec
 * of `@webref/idl` here or above (none found: no files, and the transpile says what it
 * needs).
 */
function transpileIdl(bytes, given) {
  if (!Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('webidl:')) return undefined;
  let paths = [];
  for (const p of given) {
    if (isDirectory(p)) paths.push(...idlFiles(p));
    else paths.push(p);
  }
  if (given.length === 0) {
    try {
      paths = idlFiles(webrefDir(undefined));
    } catch {
      return undefined;
    }
  }
  return paths.map(readIdl);
}

/** `{ name, text }` of an IDL file (`read_to_string`: UTF-8, a BOM kept). */
function readIdl(path) {
  let bytes;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw fail(`cannot read \`${path}\``, ioMessage(e));
  }
  try {
    return { name: path, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    throw fail(`cannot read \`${path}\``, 'stream did not contain valid UTF-8');
  }
}

/** `--webref`, or `node_modules/@webref/idl` in the current directory or one above it. */
function webrefDir(given) {
  if (given !== undefined) {
    if (!isDirectory(given)) throw new Failure(`\`--webref ${given}\`: not a directory`);
    return given;
  }
  let dir;
  try {
    dir = process.cwd();
  } catch (e) {
    throw fail('cannot read the current directory', ioMessage(e));
  }
  for (;;) {
    const candidate = join(dir, 'node_modules/@webref/idl');
    if (isDirectory(candidate)) return candidate;
    if (dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  throw new Failure(
    'no `@webref/idl` package in `node_modules` here or above (`npm install @webref/idl`, or name its folder with `--webref DIR`); `.idl` files can be given as paths',
  );
}

// `weft run` and `weft serve`: the native CLI's (crates/cli/src/run.rs) over the wasm
// build. The component is transpiled into `$WEFT_CACHE/run/npm-<hash>` (once per
// component and build of this package), then node runs the runner scripts both CLIs
// share (src/host/run.mjs and serve.mjs, which crates/cli embeds) with the installed
// @weft/wasi, the shims the native CLI embeds.

/** The options of `weft run`: everything after the component is the program's. */
const RUN = {
  name: 'run',
  spec: {
    dir: { value: true, multi: true, meta: 'HOST[::GUEST]' },
    env: { value: true, multi: true, meta: 'NAME=VALUE', parse: parseEnv },
    'clear-env': {},
    'allow-network': {},
    argv0: { value: true, meta: 'NAME' },
    record: { value: true, meta: 'FILE' },
  },
  // clap's usage of the subcommand's argument group, in a few of its messages.
  group: '<--dir <HOST[::GUEST]>|--env <NAME=VALUE>|--clear-env|--allow-network|--argv0 <NAME>|--record <FILE>|<COMPONENT> <ARGS>>',
  help: RUN_HELP,
  longHelp: RUN_LONG_HELP,
};

/** The options of `weft serve`: arguments after the component are the component's. */
const SERVE = {
  name: 'serve',
  spec: {
    port: { value: true, parse: (s) => parseRanged(s, 0, 65535) },
    host: { value: true },
    env: { value: true, multi: true, meta: 'NAME=VALUE', parse: parseEnv },
    'max-instance-reuse-count': { value: true, meta: 'N', parse: (s) => parseRanged(s, 1, 4294967295) },
  },
  group: '<<COMPONENT> <ARGS>|--port <PORT>|--host <HOST>|--env <NAME=VALUE>|--max-instance-reuse-count <N>>',
  help: SERVE_HELP,
  longHelp: SERVE_LONG_HELP,
};

function parseEnv(s) {
  const eq = s.indexOf('=');
  if (eq > 0) return [s.slice(0, eq), s.slice(eq + 1)];
  throw new Error(`expected \`NAME=VALUE\`, got \`${s}\``);
}

/** clap's ranged integer parser: an `i64`, then the range check. */
function parseRanged(s, min, max) {
  if (s === '') throw new Error('cannot parse integer from empty string');
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error('invalid digit found in string');
  const n = BigInt(s.replace(/^\+/, ''));
  if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) {
    throw new Error(n < 0n ? 'number too small to fit in target type' : 'number too large to fit in target type');
  }
  if (n < BigInt(min) || n > BigInt(max)) throw new Error(`${n} is not in ${min}..=${max}`);
  return Number(n);
}

/**
 * Parses the arguments of `weft run` or `weft serve` as clap parses them (a trailing
 * `<COMPONENT> [ARGS]...`): weft's options up to the component, then everything is the
 * program's, `--help` included. Resolves to the options by long name, `component` and
 * `rest` (the arguments after it, a `--` right after it dropped). The usage lines of
 * the errors are clap's: they list the options used so far, where clap does.
 */
function parseCommand(argv, cmd) {
  const { spec } = cmd;
  const known = (name) => Object.hasOwn(spec, name);
  const out = {};
  /**
   * Options in the order of their first use. `pending`: an option whose value was the
   * next argument, which clap takes (checks, parses and counts as used) only when it
   * reads the argument after that.
   */
  const used = [];
  let pending = null;
  const use = (name) => {
    if (!used.includes(name)) used.push(name);
  };
  const take = (name, value) => {
    const s = spec[name];
    if (Object.hasOwn(out, name) && !s.multi) {
      throw new Usage(`the argument '${display(name, s)}' cannot be used multiple times`, { usage: optionsUsage });
    }
    if (s.parse) {
      try {
        value = s.parse(value);
      } catch (e) {
        throw new Usage(`invalid value '${value}' for '${display(name, s)}': ${e.message}`);
      }
    }
    if (s.multi) (out[name] ??= []).push(value);
    else out[name] = value;
    use(name);
  };
  const commit = () => {
    if (pending !== null) {
      const [name, value] = pending;
      pending = null;
      take(name, value);
    }
  };
  const shown = (name) => (name === 'help' || !spec[name].value ? `--${name}` : display(name, spec[name]));
  const usedUsage = () => `Usage: weft ${cmd.name} ${used.map((n) => `${shown(n)} `).join('')}<COMPONENT> [ARGS]...`;
  const optionsUsage = `Usage: weft ${cmd.name} [OPTIONS] <COMPONENT> [ARGS]...`;
  const isFlag = (name) => name === 'help' || (known(name) && !spec[name].value);
  const longName = (tok) => {
    const eq = tok.indexOf('=');
    return eq < 0 ? tok.slice(2) : tok.slice(2, eq);
  };
  const unexpected = (tok) => {
    const shownTok = tok.startsWith('--') ? `--${longName(tok)}` : tok.slice(0, 2);
    commit();
    const usage = tok.startsWith('--') && used.length > 0 ? usedUsage() : optionsUsage;
    return new Usage(`unexpected argument '${shownTok}' found`, { tip: `to pass '${shownTok}' as a value, use '-- ${shownTok}'`, usage });
  };
  const component = (i) => {
    commit();
    let rest = argv.slice(i + 1);
    if (rest[0] === '--') rest = rest.slice(1);
    return { ...out, component: argv[i], rest };
  };
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (tok === '--') {
      if (i + 1 < argv.length) return component(i + 1);
      break;
    }
    if (tok.startsWith('--')) {
      const name = longName(tok);
      const inline = tok.includes('=') ? tok.slice(tok.indexOf('=') + 1) : undefined;
      if (isFlag(name)) {
        if (inline !== undefined) {
          let usage = `Usage: weft ${cmd.name} --${name} <COMPONENT> [ARGS]...`;
          if (used.length > 0) usage = `Usage: weft ${cmd.name} ${name === 'help' ? '--help ' : ''}${cmd.group}`;
          throw new Usage(`unexpected value '${inline}' for '--${name}' found; no more were expected`, { usage });
        }
        commit();
        if (name === 'help') throw new Help(cmd.longHelp);
        if (Object.hasOwn(out, name)) throw new Usage(`the argument '--${name}' cannot be used multiple times`, { usage: optionsUsage });
        out[name] = true;
        use(name);
        continue;
      }
      if (!known(name)) throw unexpected(tok);
      commit();
      if (inline !== undefined) {
        take(name, inline);
      } else {
        const next = argv[i + 1];
        if (next !== undefined && next.startsWith('--') && next !== '--' && isFlag(longName(next)) && next.includes('=')) {
          // clap reports the flag's value before this option's missing one.
          continue;
        }
        if (next === undefined || next === '--' || (next.startsWith('--') && (isFlag(longName(next)) || known(longName(next)))) || /^-h/.test(next)) {
          throw new Usage(`a value is required for '${display(name, spec[name])}' but none was supplied`);
        }
        if (next.startsWith('-') && next.length > 1) throw unexpected(next);
        pending = [name, next];
        i++;
      }
      continue;
    }
    if (tok.startsWith('-') && tok.length > 1) {
      if (tok[1] !== 'h') throw unexpected(tok);
      commit();
      throw new Help(cmd.help);
    }
    return component(i);
  }
  commit();
  throw new Usage('the following required arguments were not provided:\n  <COMPONENT> [ARGS]...', { usage: usedUsage() });
}

/** `Path::extension` of the last component of `path`. */
function extension(path) {
  const file = path.split('/').pop();
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(dot + 1) : undefined;
}

/** `Path::file_stem` of the last component of `path`, else `component` (run.rs's `program_name`). */
function programName(path) {
  const file = path.split('/').pop();
  if (file === '' || file === '.' || file === '..') return 'component';
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

/** The native `read_component`: WIT is refused with what to use instead. */
function readComponent(input) {
  if (isDirectory(input) || extension(input) === 'wit') {
    throw new Failure(
      `\`${input}\` is WIT, not a component: this subcommand needs a component (\`.wasm\`, or \`.wat\` text); \`weft types ${input} -o DIR\` writes its TypeScript declarations and \`weft wit ${input}\` prints it`,
    );
  }
  return readInput(input);
}

/** A valid component that is not what the subcommand runs (the native `NotRunnable`: exit 65). */
function notRunnable(message) {
  return new Failure(message, { exit: 65 });
}

/** ` (its exports: `a`, `b`)`, or ` (it exports nothing)`. */
function exportsListed(exports) {
  return exports.length === 0 ? ' (it exports nothing)' : ` (its exports: ${exports.map((e) => `\`${e}\``).join(', ')})`;
}

/** The cache directory of `$WEFT_CACHE`, else `$HOME/.cache/weft`. */
function cacheRoot() {
  if (process.env.WEFT_CACHE !== undefined) return process.env.WEFT_CACHE;
  if (process.env.HOME === undefined) throw new Failure('HOME is not set; set WEFT_CACHE');
  return join(process.env.HOME, '.cache/weft');
}

/**
 * Transpiles the component for `weft run`/`weft serve` (`--instantiation`, named
 * `component`) into `$WEFT_CACHE/run/npm-<hash>`, once per component and build of the
 * transpiler's wasm; resolves to `{ dir, exports }`. `record`: with `--record`'s glue
 * (`weft run --record`, `weft replay`), cached apart.
 */
async function prepare(bytes, input, record = false) {
  const wat = isWat(input);
  const h = createHash('sha256');
  for (const part of [version, readFileSync(new URL('../wasm/weft_bg.wasm', import.meta.url)), wat ? 'wat' : 'wasm', record ? 'record' : '', bytes]) {
    h.update(part);
    h.update('\0');
  }
  const dir = join(join(cacheRoot(), 'run'), `npm-${h.digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, 'ok'))) {
    try {
      return { dir, exports: JSON.parse(readFileSync(join(dir, 'exports.json'), 'utf8')) };
    } catch {
      // Written by something else: transpile again.
    }
  }
  let out;
  try {
    out = await transpile(bytes, { inputName: input, wat, name: 'component', instantiation: true, typescript: false, record });
  } catch (e) {
    throw apiFailure(e);
  }
  const write = (file, contents) => {
    const path = join(dir, file);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw fail(`failed to create \`${dir}\``, ioMessage(e));
    }
    try {
      writeFileSync(path, contents);
    } catch (e) {
      throw fail(`failed to write \`${path}\``, ioMessage(e));
    }
  };
  for (const [file, contents] of Object.entries(out.files)) write(file, contents);
  write('package.json', '{ "type": "module" }');
  write('exports.json', JSON.stringify(out.exports));
  write('ok', '');
  return { dir, exports: out.exports };
}

/**
 * The URLs of the @weft/wasi modules the runner scripts load (their `shims`): the
 * @weft/wasi installed as this package's dependency; else, in the repository (or an
 * install linked to it, which node runs from the clone), the package beside this one,
 * `npm/wasi`, resolved by its own name.
 */
function resolveShims(subcommand) {
  const specifiers = { p2: '@weft/wasi/p2/node', p3: '@weft/wasi/p3/node', p2Serve: '@weft/wasi/p2/serve' };
  const resolvers = [
    (s) => (typeof import.meta.resolve === 'function' ? import.meta.resolve(s) : pathToFileURL(createRequire(import.meta.url).resolve(s)).href),
    (s) => pathToFileURL(createRequire(fileURLToPath(new URL('../../wasi/package.json', import.meta.url))).resolve(s)).href,
  ];
  for (const resolve of resolvers) {
    try {
      return Object.fromEntries(Object.entries(specifiers).map(([k, s]) => [k, resolve(s)]));
    } catch {
      // next
    }
  }
  throw fail(
    `cannot find the WASI shims \`weft ${subcommand}\` runs the component with`,
    'the package `@weft/wasi` is not installed next to `@weft/transpiler` (npm install @weft/wasi)',
  );
}

/**
 * Runs node (`$WEFT_NODE`, else the node running this) on a runner script with the
 * configuration in WEFT_RUN_CONFIG, as the native CLI does; resolves when it ends, with
 * its exit code as this process's (a signal that ended it ends this process too).
 */
function execNode(config, args) {
  const node = process.env.WEFT_NODE ?? process.execPath;
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { stdio: 'inherit', env: { ...process.env, WEFT_RUN_CONFIG: JSON.stringify(config) } });
    // A signal for this process (`kill PID`) is node's: the native CLI execs node.
    const signals = process.platform === 'win32' ? [] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const forward = (signal) => child.kill(signal);
    for (const s of signals) process.on(s, forward);
    const done = () => {
      for (const s of signals) process.off(s, forward);
    };
    child.on('error', (e) => {
      done();
      reject(fail(`failed to start node (\`${node}\`); install node or set WEFT_NODE`, ioMessage(e)));
    });
    child.on('exit', (code, signal) => {
      done();
      if (signal !== null) process.kill(process.pid, signal);
      else process.exitCode = code;
      resolve();
    });
  });
}

/** The current directory (preopened as `.`), as run.rs's `cwd_preopen`. */
function currentDir() {
  try {
    return process.cwd();
  } catch (e) {
    throw fail('cannot read the current directory', ioMessage(e));
  }
}

/** This process's environment, to pass on to a program (the runner's configuration left out). */
function ownEnv() {
  return Object.entries(process.env).filter(([k]) => k !== 'WEFT_RUN_CONFIG');
}

async function runRun(argv) {
  const args = parseCommand(argv, RUN);
  const input = args.component;
  const bytes = readComponent(input);
  const prepared = await prepare(bytes, input, args.record !== undefined);
  const exportsAny = (prefix) => prepared.exports.some((e) => e.startsWith(prefix));
  const p3 = exportsAny('wasi:cli/run@0.3.');
  if (!p3 && !exportsAny('wasi:cli/run@0.2.')) {
    throw notRunnable(
      `\`${input}\` is not a command: it exports no \`wasi:cli/run\` interface${exportsListed(prepared.exports)}, which \`weft run\` calls; \`weft transpile\` makes a module whose exports JS can call`,
    );
  }
  const preopens = {};
  if (!args.dir) preopens['.'] = currentDir();
  for (const d of args.dir ?? []) {
    const sep = d.indexOf('::');
    const [host, guest] = sep < 0 ? [d, d] : [d.slice(0, sep), d.slice(sep + 2)];
    try {
      // `realpathSync('')` is the current directory; `canonicalize("")` fails.
      if (host === '') throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      preopens[guest] = realpathSync(host);
    } catch (e) {
      throw fail(`\`--dir ${d}\`: cannot open the host directory \`${host}\``, ioMessage(e));
    }
  }
  let env = args['clear-env'] ? [] : ownEnv();
  for (const [k, v] of args.env ?? []) {
    env = env.filter(([ek]) => ek !== k);
    env.push([k, v]);
  }
  const record = args.record === undefined ? null : resolvePath(args.record);
  const config = { p3, network: !!args['allow-network'], record, preopens, env, shims: resolveShims('run') };
  const name = args.argv0 ?? programName(input);
  await execNode(config, [fileURLToPath(new URL('../src/host/run.mjs', import.meta.url)), prepared.dir, name, ...args.rest]);
}

/**
 * `weft replay <TRACE> <COMPONENT>`: the component (transpiled with `--record`, cached)
 * run by src/host/replay.mjs against the trace, which answers its imports.
 */
async function runReplay(argv) {
  const positional = [];
  const patterns = { only: [], host: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') throw new Help(REPLAY_HELP);
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const option = /^--(only|host)(?:=(.*))?$/.exec(a);
    if (option) {
      const value = option[2] ?? argv[++i];
      if (value === undefined) {
        throw new Usage(`a value is required for '--${option[1]} <PATTERN>' but none was supplied`);
      }
      patterns[option[1]].push(value);
      continue;
    }
    if (a.startsWith('-') && a !== '-') {
      throw new Usage(`unexpected argument '${a}' found`, { tip: `to pass '${a}' as a value, use '-- ${a}'`, usage: REPLAY_USAGE });
    }
    positional.push(a);
  }
  if (positional.length > 2) throw new Usage(`unexpected argument '${positional[2]}' found`, { usage: REPLAY_USAGE });
  if (positional.length < 2) {
    const missing = ['<TRACE>', '<COMPONENT>'].slice(positional.length).map((m) => `  ${m}`).join('\n');
    // clap's usage here: the options used (once each, in order of first use), then the
    // required arguments.
    const used = [...new Set(argv.filter((a) => /^--(only|host)\b/.test(a)).map((a) => a.split('=')[0]))];
    const usage = `Usage: weft replay ${used.map((o) => `${o} <PATTERN> `).join('')}<TRACE> <COMPONENT>`;
    throw new Usage(`the following required arguments were not provided:\n${missing}`, { usage });
  }
  const [trace, input] = positional;
  try {
    statSync(trace);
  } catch (e) {
    throw fail(`cannot read the trace \`${trace}\``, ioMessage(e));
  }
  const prepared = await prepare(readComponent(input), input, true);
  const exportsAny = (prefix) => prepared.exports.some((e) => e.startsWith(prefix));
  const config = {
    p3: exportsAny('wasi:cli/run@0.3.') || exportsAny('wasi:http/handler@0.3.'),
    ...patterns,
    // The real host (`--host`): the current directory as `.`, this environment.
    preopens: { '.': currentDir() },
    env: ownEnv(),
    ...(patterns.host.length > 0 && { shims: resolveShims('replay') }),
  };
  await execNode(config, [fileURLToPath(new URL('../src/host/replay.mjs', import.meta.url)), prepared.dir, resolvePath(trace)]);
}

async function runServe(argv) {
  const args = parseCommand(argv, SERVE);
  const input = args.component;
  for (const a of args.rest) {
    const name = a.split('=')[0];
    if (['--port', '--host', '--env', '--max-instance-reuse-count'].includes(name)) {
      process.stderr.write(
        `note: \`${name}\` after the component is an argument for the component; weft's options go before it (\`weft serve ${name} … COMPONENT\`)\n`,
      );
    }
  }
  const bytes = readComponent(input);
  const prepared = await prepare(bytes, input);
  const exportsAny = (prefix) => prepared.exports.some((e) => e.startsWith(prefix));
  const p3 = exportsAny('wasi:http/handler@0.3.');
  if (!p3 && !exportsAny('wasi:http/incoming-handler@0.2.')) {
    throw notRunnable(
      `\`${input}\` is not an http handler: it exports no \`wasi:http/incoming-handler@0.2.x\` or \`wasi:http/handler@0.3.x\`${exportsListed(prepared.exports)}, which \`weft serve\` serves`,
    );
  }
  const config = {
    p3,
    preopens: {},
    env: args.env ?? [],
    args: [programName(input), ...args.rest],
    maxInstanceReuseCount: args['max-instance-reuse-count'] ?? null,
    shims: resolveShims('serve'),
  };
  const script = fileURLToPath(new URL('../src/host/serve.mjs', import.meta.url));
  await execNode(config, [script, prepared.dir, String(args.port ?? 8080), args.host ?? '127.0.0.1']);
}

async function main(argv) {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
      process.stderr.write(TOP_HELP);
      process.exitCode = 2;
      return;
    case '-h':
    case '--help':
    case 'help':
      if (cmd === 'help' && rest[0] === 'transpile') process.stdout.write(TRANSPILE_HELP);
      else if (cmd === 'help' && rest[0] === 'run') process.stdout.write(RUN_LONG_HELP);
      else if (cmd === 'help' && rest[0] === 'serve') process.stdout.write(SERVE_LONG_HELP);
      else if (cmd === 'help' && rest[0] === 'replay') process.stdout.write(REPLAY_HELP);
      else if (cmd === 'help' && rest[0] === 'wit') process.stdout.write(WIT_HELP);
      else if (cmd === 'help' && rest[0] === 'webidl') process.stdout.write(WEBIDL_HELP);
      else process.stdout.write(TOP_HELP);
      return;
    case '-V':
    case '--version':
      process.stdout.write(`weft ${version}\n`);
      return;
    case 'transpile':
      return runTranspile(rest);
    case 'wit':
      return runWit(rest);
    case 'run':
      return runRun(rest);
    case 'serve':
      return runServe(rest);
    case 'replay':
      return runReplay(rest);
    case 'webidl':
      return runWebidl(rest);
    case 'types':
      throw new Usage(`\`weft ${cmd}\` is only in the native weft CLI (cargo install --path crates/cli)`, { usage: TOP_USAGE });
    default:
      if (cmd.startsWith('-')) {
        throw new Usage(`unexpected argument '${cmd}' found`, { tip: `to pass '${cmd}' as a value, use '-- ${cmd}'`, usage: TOP_USAGE });
      }
      throw new Usage(`unrecognized subcommand '${cmd}'`, { usage: TOP_USAGE });
  }
}

// Exit codes through `process.exitCode`, so piped output is flushed first.
main(process.argv.slice(2)).then(
  () => {},
  (e) => {
    if (e instanceof Help) {
      process.stdout.write(e.text);
    } else if (e instanceof Usage) {
      process.stderr.write(usageText(e));
      process.exitCode = 2;
    } else if (e instanceof Failure) {
      return formatError(e.message, e.causes).then((text) => {
        process.stderr.write(`error: ${text}\n`);
        process.exitCode = e.code === 'WEFT_BUG' ? 70 : e.exit;
      });
    } else {
      process.stderr.write(`error: ${e?.stack ?? e}\n`);
      process.exitCode = 1;
    }
  },
);
