#!/usr/bin/env bash
# Every test: the Rust core natively, then the built site in real headless Chromium, and its core cases in Firefox ESR.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/browsers.sh
cargo test --workspace
bash scripts/build-wasm.sh
npx vite build --mode test --logLevel warn
node --test --test-concurrency=1 tests/e2e/ tests/firefox/ tests/soak/ tests/bench/
