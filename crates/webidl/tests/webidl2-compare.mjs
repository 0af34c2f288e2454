// Reads every `.idl` file of @webref/idl with the reference WebIDL parser, webidl2 (the
// peer dependency @webref/idl itself parses with), and prints a canonical summary of
// each: one JSON document per line, `{"file": "dom.idl", "definitions": [...]}` (or
// `{"file": ..., "error": ...}` when webidl2 rejects the file).
// crates/webidl/tests/webref.rs builds the same summary from weft's AST and compares.
//
//   node webidl2-compare.mjs [IDL_DIR]
//
// IDL_DIR defaults to $WEFT_CACHE/webref/node_modules/@webref/idl (WEFT_CACHE defaults to
// $HOME/.cache/weft), where scripts/setup installs @webref/idl and, with it, webidl2.
//
// The canonical form:
//   definition: {kind, partial, name, inherits, extAttrs, ...}; kind is "interface",
//     "interface mixin", "callback interface", "namespace", "dictionary", "enum",
//     "typedef", "includes" or "callback"; interface-likes and dictionaries have
//     `members`, enums `values`, typedefs `type`, callbacks `type` (the return type)
//     and `args`, includes `includes` (the mixin).
//   member: {kind, name, extAttrs, ...}; kind is "const", "attribute", "operation",
//     "constructor", "stringifier" (bare `stringifier;`), "iterable", "async_iterable"
//     (either spelling: `async iterable<…>` is the older one of `async_iterable<…>`),
//     "maplike", "setlike" or "field" (a dictionary member); then what applies of
//     `type`, `types` (of an iterable, maplike or setlike), `args`, `value`, `default`
//     and the flags `static`, `readonly`, `inherit`, `required`, `special` ("getter",
//     "setter", "deleter", "stringifier" or "").
//   argument: {name, optional, variadic, type, default, extAttrs}.
//   type: a string, as WebIDL writes it, extended attributes included:
//     `[EnforceRange] unsigned long long`, `(Node or [LegacyNullToEmptyString] DOMString)?`,
//     `sequence<DOMString>`, `record<DOMString, long>`, `Promise<undefined>`.
//   extended attribute: a string: `Name`, `Name=ident`, `Name="string"`, `Name=1`,
//     `Name=*`, `Name=(A, B)`, `Name(args)`, `Name=Ident(args)`.
//   value (a const's value or a default): a string: `"string"` (quoted), a number as
//     written, `true`, `false`, `null`, `[]`, `{}`, `Infinity`, `-Infinity`, `NaN`.
// Names are unescaped (`_interface` reads `interface`), as webidl2's `name` is.

import { createRequire } from "node:module";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const cache = process.env.WEFT_CACHE || join(process.env.HOME || "", ".cache/weft");
const dir = resolve(process.argv[2] || join(cache, "webref/node_modules/@webref/idl"));

if (!existsSync(dir)) {
  console.error(`no @webref/idl at ${dir}; scripts/setup installs it (and webidl2 with it)`);
  process.exit(2);
}

// webidl2 as @webref/idl itself finds it (a peer dependency, next to it).
let WebIDL2;
try {
  WebIDL2 = createRequire(join(dir, "index.js"))("webidl2");
} catch (e) {
  console.error(
    `webidl2 is not installed next to ${dir} (${e.code || e.message}); ` +
      "scripts/setup installs it with @webref/idl",
  );
  process.exit(2);
}

const extAttrs = (list) => (list || []).map(extAttr);

function extAttr(a) {
  let s = a.name;
  const { rhs } = a;
  if (rhs) {
    if (rhs.type.endsWith("-list")) {
      s += "=(" + rhs.value.map((v) => v.value).join(", ") + ")";
    } else if (rhs.type === "*") {
      s += "=*";
    } else {
      s += "=" + rhs.value;
    }
  }
  if (a.params.tokens.open && !a.params.rhsIsList) {
    s += "(" + a.arguments.map(argString).join(", ") + ")";
  }
  return s;
}

function type(t) {
  let s;
  if (t.union) {
    s = "(" + t.idlType.map(type).join(" or ") + ")";
  } else if (t.generic) {
    s = t.generic + "<" + t.idlType.map(type).join(", ") + ">";
  } else {
    s = t.idlType;
  }
  if (t.nullable) s += "?";
  const ea = extAttrs(t.extAttrs);
  return ea.length ? `[${ea.join(", ")}] ${s}` : s;
}

function value(v) {
  if (!v) return null;
  switch (v.type) {
    case "string":
      return `"${v.value}"`;
    case "number":
      return v.value;
    case "boolean":
      return String(v.value);
    case "null":
      return "null";
    case "sequence":
      return "[]";
    case "dictionary":
      return "{}";
    case "Infinity":
      return v.negative ? "-Infinity" : "Infinity";
    case "NaN":
      return "NaN";
    default:
      return `?${v.type}`;
  }
}

function arg(a) {
  return {
    name: a.name,
    optional: a.optional,
    variadic: a.variadic,
    type: type(a.idlType),
    default: value(a.default),
    extAttrs: extAttrs(a.extAttrs),
  };
}

// An argument of an extended attribute, as one string.
function argString(a) {
  const ea = extAttrs(a.extAttrs);
  return (
    (ea.length ? `[${ea.join(", ")}] ` : "") +
    (a.optional ? "optional " : "") +
    type(a.idlType) +
    (a.variadic ? "..." : "") +
    " " +
    a.name +
    (a.default ? " = " + value(a.default) : "")
  );
}

function member(m) {
  const out = { kind: m.type, name: m.name || "", extAttrs: extAttrs(m.extAttrs) };
  switch (m.type) {
    case "const":
      out.type = type(m.idlType);
      out.value = value(m.value);
      break;
    case "attribute":
      out.type = type(m.idlType);
      out.static = m.special === "static";
      out.readonly = m.readonly;
      out.inherit = m.special === "inherit";
      out.special = m.special === "stringifier" ? "stringifier" : "";
      break;
    case "operation":
      if (!m.idlType) {
        // A bare `stringifier;`.
        out.kind = "stringifier";
        break;
      }
      out.type = type(m.idlType);
      out.static = m.special === "static";
      out.special = m.special === "static" ? "" : m.special;
      out.args = m.arguments.map(arg);
      break;
    case "constructor":
      out.args = m.arguments.map(arg);
      break;
    case "iterable":
    case "async_iterable":
      out.kind = m.async || m.type === "async_iterable" ? "async_iterable" : "iterable";
      out.types = m.idlType.map(type);
      out.args = m.arguments.map(arg);
      break;
    case "maplike":
    case "setlike":
      out.types = m.idlType.map(type);
      out.readonly = m.readonly;
      break;
    case "field":
      out.type = type(m.idlType);
      out.required = m.required;
      out.default = value(m.default);
      break;
    default:
      out.kind = `?${m.type}`;
  }
  return out;
}

function definition(d) {
  const out = {
    kind: d.type,
    partial: Boolean(d.partial),
    name: d.type === "includes" ? d.target : d.name,
    inherits: d.inheritance || null,
    extAttrs: extAttrs(d.extAttrs),
  };
  switch (d.type) {
    case "interface":
    case "interface mixin":
    case "callback interface":
    case "namespace":
    case "dictionary":
      out.members = d.members.map(member);
      break;
    case "enum":
      out.values = d.values.map((v) => v.value);
      break;
    case "typedef":
      out.type = type(d.idlType);
      break;
    case "callback":
      out.type = type(d.idlType);
      out.args = d.arguments.map(arg);
      break;
    case "includes":
      out.includes = d.includes;
      break;
    default:
      out.kind = `?${d.type}`;
  }
  return out;
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith(".idl"))
  .sort();
const lines = [];
for (const file of files) {
  const text = readFileSync(join(dir, file), "utf8");
  let line;
  try {
    line = { file, definitions: WebIDL2.parse(text).map(definition) };
  } catch (e) {
    line = { file, error: String(e.message || e).split("\n")[0] };
  }
  lines.push(JSON.stringify(line));
}
process.stdout.write(lines.join("\n") + "\n");
