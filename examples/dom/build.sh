#!/usr/bin/env bash
# Builds the DOM example, idempotently (each step is quick when nothing changed):
#
#   1. `npm install` in vite-app/ (Vite, the weft plugin, and @webref/idl: the web
#      platform's IDL); npm's cache is $WEFT_CACHE/npm/cache.
#   2. todo/wit/deps/web/web.wit: the DOM as WIT, made by `weft webidl` from that IDL
#      (generated, not committed; rewritten only when its text changes).
#   3. The Rust crate todo/ for wasm32-wasip2 (release; CARGO_TARGET_DIR
#      $WEFT_CACHE/dom-example-target), copied to vite-app/src/todo.wasm.
#   4. `vite build` into vite-app/dist/, with the base `./` (the page works wherever it is
#      served: web-tests serves it at /examples/dom/vite-app/dist/).
#
# The weft binary: $WEFT_BIN, else target/debug/weft (built when missing). The plugin
# transpiles with @weft/transpiler's wasm build (npm/transpiler/wasm/, made by
# scripts/build-npm when missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${WEFT_CACHE:-$HOME/.cache/weft}"
export npm_config_cache="$cache/npm/cache"
app="$here/vite-app"
crate="$here/todo"

if [ -z "${WEFT_BIN:-}" ]; then
  [ -x "$root/target/debug/weft" ] || (cd "$root" && cargo build --quiet -p weft-cli)
  WEFT_BIN="$root/target/debug/weft"
fi
[ -f "$root/npm/transpiler/wasm/weft_bg.wasm" ] || "$root/scripts/build-npm"
grep -qx wasm32-wasip2 <<<"$(rustup target list --installed)" || rustup target add wasm32-wasip2

# 1. The app's packages, when package.json changed since the last install.
if [ ! -f "$app/node_modules/.package-lock.json" ] || [ "$app/package.json" -nt "$app/node_modules/.package-lock.json" ]; then
  (cd "$app" && npm install --no-audit --no-fund --silent --prefer-offline >/dev/null)
fi
webref="$app/node_modules/@webref/idl"

# 2. The WIT of the DOM parts the component uses: these interfaces, their ancestors
#    (HTMLElement, Element, Node, EventTarget, UIEvent, Event) and the types their
#    members mention; `--only` leaves out members that mention other interfaces (each
#    with a warning, kept in todo/wit/deps/web/warnings.txt).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$WEFT_BIN" webidl dom html uievents \
  --interface Window --interface Document \
  --interface HTMLInputElement --interface HTMLButtonElement \
  --interface KeyboardEvent --interface DOMTokenList \
  --only -o "$tmp" --webref "$webref" -q 2>"$tmp/warnings.txt" || { cat "$tmp/warnings.txt" >&2; exit 1; }
mkdir -p "$crate/wit/deps/web"
cmp -s "$tmp/web.wit" "$crate/wit/deps/web/web.wit" || cp "$tmp/web.wit" "$crate/wit/deps/web/web.wit"
cp "$tmp/warnings.txt" "$crate/wit/deps/web/warnings.txt"

# 3. The component.
export CARGO_TARGET_DIR="$cache/dom-example-target"
(cd "$crate" && cargo build --quiet --locked --release --target wasm32-wasip2)
wasm="$CARGO_TARGET_DIR/wasm32-wasip2/release/todo.wasm"
cmp -s "$wasm" "$app/src/todo.wasm" || cp "$wasm" "$app/src/todo.wasm"

# 4. The page.
(cd "$app" && npx vite build --configLoader native --logLevel warn --base ./ --outDir dist --emptyOutDir)
echo "examples/dom: vite-app/dist built ($(wc -c <"$app/src/todo.wasm") bytes of component)"
