#!/usr/bin/env node
// `npx weft transpile|wit`: the native `weft` CLI's two transpiler subcommands over the
// wasm build, with its output lines, messages and exit codes (0 ok, 1 bad input,
// 2 usage, 70 a bug in weft). `weft run` and `weft serve` are only in the native CLI.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { formatError, transpile, wit } from '../src/index.js';

const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

const TRANSPILE_USAGE = 'Usage: weft transpile [OPTIONS] --out-dir <OUT_DIR> <INPUT>';
const WIT_USAGE = 'Usage: weft wit <INPUT>';
const TOP_USAGE = 'Usage: weft <COMMAND>';

const TOP_HELP = `Run WebAssembly components in any JS engine (the wasm build of weft's transpiler)

${TOP_USAGE}

Commands:
  transpile  Transpile a component into core wasm modules and an ES module
  wit        Print the WIT of a component
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
 * Parses a subcommand's arguments. `spec` maps a long name to `{ short, value, multi,
 * parse }`; values are stored under the long name.
 */
function parseArgs(argv, spec, usage, help) {
  const out = { positionals: [] };
  const seen = new Set();
  const short = new Map(Object.entries(spec).filter(([, s]) => s.short).map(([k, s]) => [s.short, k]));
  const unexpected = (tok) => new Usage(`unexpected argument '${tok}' found`, { tip: `to pass '${tok}' as a value, use '-- ${tok}'`, usage });
  const put = (name, value) => {
    const s = spec[name];
    if (seen.has(name) && !s.multi) {
      throw new Usage(`the argument '${display(name, s)}' cannot be used multiple times`, { usage });
    }
    seen.add(name);
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
      if (!(name in spec)) throw unexpected(tok);
    } else if (tok.startsWith('-') && tok.length > 1) {
      const c = tok[1];
      if (c === 'h') throw new Help(help);
      name = short.get(c);
      if (name === undefined) throw unexpected(tok.slice(0, 2));
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
      if (seen.has(name)) throw new Usage(`the argument '--${name}[=<${s.meta}>]' cannot be used multiple times`, { usage });
      seen.add(name);
      out[name] = value;
      continue;
    }
    if (!s.value) {
      if (inline !== undefined) {
        // clap lists every argument in this one message's usage line.
        const all = Object.entries(spec).map(([k, v]) => (v.value ? display(k, v) : v.optional ? `--${k}[=<${v.meta}>]` : `--${k}`));
        const list = usage === TRANSPILE_USAGE ? `weft transpile <INPUT|${all.join('|')}>` : usage.slice('Usage: '.length);
        throw new Usage(`unexpected value '${inline}' for '--${name}' found; no more were expected`, { usage: `Usage: ${list}` });
      }
      put(name);
      continue;
    }
    if (inline === undefined) {
      const next = argv[i + 1];
      if (next === undefined) {
        throw new Usage(`a value is required for '${display(name, s)}' but none was supplied`);
      }
      if (next.startsWith('-') && next.length > 1) throw unexpected(next);
      inline = next;
      i++;
    }
    put(name, inline);
  }
  return out;
}

function display(name, s) {
  return `--${name} <${s.meta ?? name.toUpperCase().replaceAll('-', '_')}>`;
}

function parseCompat(s) {
  if (s === 'native' || s === 'jco') return s;
  throw new Error(`unknown compat mode \`${s}\` (expected \`native\` or \`jco\`)`);
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
  'max-instances': { value: true, parse: parseU32, meta: 'N' },
  'max-nesting': { value: true, parse: parseU32, meta: 'N' },
  'max-code-size': { value: true, parse: parseUsize, meta: 'BYTES' },
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
 * Bad input (exit 1), or a bug in weft (`code: 'WEFT_BUG'`, exit 70): `error: ` and the
 * native CLI's message, the chain of `causes` laid out by the transpiler's own printer.
 */
class Failure extends Error {
  constructor(message, { causes = [], code } = {}) {
    super(message);
    this.causes = causes;
    this.code = code;
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
  const args = parseArgs(argv, TRANSPILE_SPEC, TRANSPILE_USAGE, TRANSPILE_HELP);
  if (args.positionals.length > 1) {
    throw new Usage(`unexpected argument '${args.positionals[1]}' found`, { usage: TRANSPILE_USAGE });
  }
  const missing = [];
  if (args['out-dir'] === undefined) missing.push('--out-dir <OUT_DIR>');
  if (args.positionals.length === 0) missing.push('<INPUT>');
  if (missing.length) {
    throw new Usage(`the following required arguments were not provided:\n${missing.map((m) => `  ${m}\n`).join('')}`.trimEnd(), {
      usage: 'Usage: weft transpile --out-dir <OUT_DIR> <INPUT>',
    });
  }
  const input = args.positionals[0];
  const outDir = args['out-dir'];
  const bytes = readInput(input);
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
      maxInstances: args['max-instances'],
      maxNesting: args['max-nesting'],
      maxCodeSize: args['max-code-size'],
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
  const args = parseArgs(argv, {}, WIT_USAGE, WIT_HELP);
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
      else if (cmd === 'help' && rest[0] === 'wit') process.stdout.write(WIT_HELP);
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
    case 'serve':
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
        process.exitCode = e.code === 'WEFT_BUG' ? 70 : 1;
      });
    } else {
      process.stderr.write(`error: ${e?.stack ?? e}\n`);
      process.exitCode = 1;
    }
  },
);
