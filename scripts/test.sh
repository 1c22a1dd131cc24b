#!/usr/bin/env bash
# Every test: the habits (formatting, lints), the Rust core natively, the pure JavaScript in Node, then the built site
# in real headless Chromium, Firefox ESR and WebKit, two test files at a time (the tests read causes, not the clock),
# and last the soak and the quick bench, alone. At the end it says where the minutes went.
set -euo pipefail
cd "$(dirname "$0")/.."

timings=()
step() { # <name> <command…>: runs the command and keeps how long it took
  local name=$1 start=$SECONDS
  shift
  "$@"
  timings+=("$(printf '%4d s  %s' $((SECONDS - start)) "$name")")
}
# The browsers' tests report in TAP as they go; a failure's details are said again at the very end, where the tail of
# a long log (all a CI summary may keep) still shows them.
failures=$(mktemp)
browser_tests() { # <node --test arguments…>
  node --test --test-reporter=tap --test-reporter-destination=stdout \
    --test-reporter=spec --test-reporter-destination="$failures" "$@"
}
said() {
  printf '\nWhere the time went:\n'
  printf '%s\n' "${timings[@]}"
  # The spec reporter's summary of what failed, without the stack frames.
  sed -n '/^✖ failing tests/,$p' "$failures" | grep -v '^ *at ' || true
  rm -f "$failures"
}
trap said EXIT

step "setup" bash scripts/setup.sh
step "browsers" bash scripts/browsers.sh
step "cargo fmt" cargo fmt --check
step "clippy" cargo clippy --all-targets -- -D warnings
# The wasm exports (wasm.rs) and the requests (engines/io.rs, engines/convoy.rs) compile only for wasm32: lint them as
# the plain build, and as the threads build's code is (its blocking requests; the atomics themselves need the nightly).
step "clippy wasm (plain)" cargo clippy --target wasm32-unknown-unknown --features io --lib -- -D warnings
step "clippy wasm (threads)" cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings
step "biome" npx biome ci
step "cargo test" cargo test --workspace
# Node 20 calls its mock timers (tests/unit/workers.test.js) experimental, once per run: nothing to act on.
step "unit (node)" node --disable-warning=ExperimentalWarning --test tests/unit/
step "threadlab.py (unittest)" python3 -m unittest discover -q -s tests/python
step "build wasm" bash scripts/build-wasm.sh
step "build site" npx vite build --mode test --logLevel warn
step "browsers' tests" browser_tests --test-concurrency=2 tests/build/ tests/e2e/ tests/browsers/
step "soak and quick bench" browser_tests --test-concurrency=1 tests/soak/ tests/bench/
