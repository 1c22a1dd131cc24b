#!/usr/bin/env bash
# Every test: the habits (formatting, lints), the Rust core natively, the pure JavaScript in Node, then the built site
# in real headless Chromium, and its core cases in Firefox ESR and WebKit.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/browsers.sh
cargo fmt --check
cargo clippy --all-targets -- -D warnings
# The wasm exports (wasm.rs) and the requests (engines/io.rs, engines/convoy.rs) compile only for wasm32: lint them as the plain
# build, and as the threads build's code is (its blocking requests; the atomics themselves need the nightly).
cargo clippy --target wasm32-unknown-unknown --features io --lib -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings
npx biome ci
cargo test --workspace
# Node 20 calls its mock timers (tests/unit/workers.test.js) experimental, once per run: nothing to act on.
node --disable-warning=ExperimentalWarning --test tests/unit/
python3 -m unittest discover -q -s tests/python
bash scripts/build-wasm.sh
npx vite build --mode test --logLevel warn
node --test --test-concurrency=1 tests/e2e/ tests/firefox/ tests/webkit/ tests/soak/ tests/bench/
