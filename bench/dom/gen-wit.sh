#!/usr/bin/env bash
# The DOM WIT of the `dom-bench` guest (tests/guests/dom-bench), generated at build time
# by its build.rs (not committed): `weft webidl dom html --interface Window --interface
# Document --interface HTMLElement --only --sync` over the specs of @webref/idl
# (scripts/setup installs them into $WEFT_CACHE/webref): those three and their
# ancestors, without the members that mention other interfaces (`--only`) or that WIT
# would make async (`--sync`: wit-bindgen 0.63 compiles `async func`, `stream<T>` and
# `future<T>` only with its `async` feature, which the guest workspace leaves off, as it
# would change every guest's code).
#
#   bench/dom/gen-wit.sh OUT_DIR     writes OUT_DIR/web.wit (only when its text changes)
#
# The weft binary: $WEFT, else the newer of target/release/weft and target/debug/weft,
# else `cargo build -p weft-cli` (debug) first.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:?usage: gen-wit.sh OUT_DIR}"
cache="${WEFT_CACHE:-$HOME/.cache/weft}"
webref="$cache/webref/node_modules/@webref/idl"
if [ ! -d "$webref" ]; then
  echo "gen-wit.sh: $webref is missing (scripts/setup installs @webref/idl)" >&2
  exit 1
fi

weft="${WEFT:-}"
if [ -z "$weft" ]; then
  for w in "$root/target/release/weft" "$root/target/debug/weft"; do
    if [ -x "$w" ] && { [ -z "$weft" ] || [ "$w" -nt "$weft" ]; }; then weft="$w"; fi
  done
fi
if [ -z "$weft" ]; then
  # Called from a guest build: cargo's variables for the wasm32 build must not leak in.
  (cd "$root" && env -u CARGO_TARGET_DIR -u CARGO_ENCODED_RUSTFLAGS -u CARGO_BUILD_TARGET -u RUSTFLAGS \
    cargo build --quiet -p weft-cli)
  weft="$root/target/debug/weft"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$weft" webidl dom html --webref "$webref" --interface Window --interface Document --interface HTMLElement \
  --only --sync -o "$tmp" -q 2>"$tmp/warnings.txt" || {
  cat "$tmp/warnings.txt" >&2
  exit 1
}
mkdir -p "$out"
if ! cmp -s "$tmp/web.wit" "$out/web.wit"; then
  cp "$tmp/web.wit" "$out/web.wit.tmp"
  mv "$out/web.wit.tmp" "$out/web.wit"
fi
