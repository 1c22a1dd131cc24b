#!/usr/bin/env bash
# Builds the crate twice into www/pkg/: plain (stable, no atomics) and threads (nightly, shared memory).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/versions.sh
WASM_BINDGEN="${THREADLAB_CACHE:-$HOME/.cache/threadlab}/wasm-bindgen-$WASM_BINDGEN_VERSION/bin/wasm-bindgen"
[ -x "$WASM_BINDGEN" ] || { echo "build-wasm: wasm-bindgen is missing: run npm run setup" >&2; exit 1; }

bindgen() { # <flavour>: wasm-bindgen the flavour's .wasm into www/pkg/<flavour>/
  rm -rf "www/pkg/$1"
  # The name section only helps debuggers; without it the page downloads ~20 KB less (gzip).
  "$WASM_BINDGEN" --target web --remove-name-section --remove-producers-section --out-dir "www/pkg/$1" \
    "target/$1/wasm32-unknown-unknown/release/threadlab.wasm"
  # wasm-bindgen-rayon's worker helper imports the package by its folder ('../../..'): give the folder an entry.
  printf '{ "type": "module", "main": "threadlab.js" }\n' > "www/pkg/$1/package.json"
}

# Plain: its own target dir and no RUSTFLAGS, so the threads flags below never leak into it. It alone makes the
# io modes' requests, and makes and reads share links (feature io): the threads build, loaded first, stays smaller.
RUSTFLAGS= cargo build --release --lib --target wasm32-unknown-unknown -p threadlab --target-dir target/plain \
  --features io
bindgen plain

# Threads: std rebuilt with atomics. Since late-2025 nightlies +atomics no longer implies a shared memory, so the
# linker is told to import one (1 GiB max) and to export the TLS symbols wasm-bindgen needs for each thread;
# without these the build succeeds and initThreadPool fails with "DataCloneError: #<Memory> could not be cloned".
# -A warnings: rustc warns that +atomics is an unstable target feature, which wasm threads need, and that warning
# is no lint that could be allowed alone. The crate's own warnings are denied by clippy (scripts/test.sh); the only
# code that only this build compiles is wasm.rs's link to wasm-bindgen-rayon.
# It is most of the first load (≤ 200 KB gzip): one codegen unit lets LLVM share code across the crate (7 KB gzip
# less), and sha2's compact compress function is a loop where its default is unrolled (1.5 KB less). Every mode of a
# click computes with this one build, so neither changes how they compare.
CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
RUSTFLAGS="-A warnings -C target-feature=+atomics,+bulk-memory,+mutable-globals --cfg sha2_backend_soft=\"compact\" \
 -C link-arg=--shared-memory -C link-arg=--max-memory=1073741824 -C link-arg=--import-memory \
 -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size \
 -C link-arg=--export=__tls_align -C link-arg=--export=__tls_base" \
cargo +"$NIGHTLY" build --release --lib --target wasm32-unknown-unknown -p threadlab --target-dir target/threads \
  --features threads -Z build-std=panic_abort,std
bindgen threads
grep -q 'shared: *true' www/pkg/threads/threadlab.js \
  || { echo "build-wasm: the threads build does not create a shared memory" >&2; exit 1; }
# The interpreters' hosts make one fresh instance after another: they need a glue they can copy.
node scripts/fresh-glue.js
# threadlab.py's table of modes follows the core's (scripts/script-modes.js).
node scripts/script-modes.js
