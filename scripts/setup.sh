#!/usr/bin/env bash
# Installs the Rust pieces threadlab builds and checks with; each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.sh
WASM_BINDGEN_DIR="${THREADLAB_CACHE:-$HOME/.cache/threadlab}/wasm-bindgen-$WASM_BINDGEN_VERSION"

fail() { echo "setup: $*" >&2; exit 1; }

grep -q "^wasm-bindgen = \"=$WASM_BINDGEN_VERSION\"" crate/Cargo.toml \
  || fail "crate/Cargo.toml's wasm-bindgen is not =$WASM_BINDGEN_VERSION, the version in scripts/versions.sh"
command -v rustup >/dev/null || fail "rustup is missing: install Rust from https://rustup.rs and run this again"

# RUSTUP_AUTO_INSTALL may be off, so rust-toolchain files install nothing: say it explicitly.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown || fail "could not add the wasm32 target to the stable toolchain"
fi
# npm test checks the formatting and lints with these.
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    rustup component add "$component" || fail "could not add $component to the stable toolchain"
  fi
done
if ! rustup run "$NIGHTLY" rustc --print sysroot >/dev/null 2>&1 \
   || ! rustup +"$NIGHTLY" component list --installed | grep -q '^rust-src' \
   || ! rustup +"$NIGHTLY" target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src --target wasm32-unknown-unknown \
    || fail "could not install $NIGHTLY (with rust-src and the wasm32 target) through rustup"
fi

# wasm-bindgen-cli, cached per user and version so that fresh clones reuse it (the install takes minutes).
if [ "$("$WASM_BINDGEN_DIR/bin/wasm-bindgen" --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION into $WASM_BINDGEN_DIR (a few minutes, once)"
  # No --locked: its lock file pins a webpki-roots release the registry no longer serves. The scripts call the
  # binary by its path; with its folder on PATH here, cargo install does not warn that it is missing from PATH.
  PATH="$WASM_BINDGEN_DIR/bin:$PATH" cargo install --quiet wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" \
    --root "$WASM_BINDGEN_DIR" \
    || fail "could not install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
fi
