#!/usr/bin/env bash
# Every test: the Rust core natively, then the built site in real headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/chromium.sh
cargo test --workspace
bash scripts/build-wasm.sh
npx vite build --mode test --logLevel warn
node --test --test-concurrency=1 tests/e2e/ tests/bench/
