# The versions threadlab builds with, in one place: setup.sh and build-wasm.sh read them from here.
# The threads build rebuilds std with atomics, which needs a nightly's -Z build-std.
NIGHTLY=nightly-2026-05-20
# wasm-bindgen-cli must be the exact version of the wasm-bindgen crate in crate/Cargo.toml (setup.sh checks).
WASM_BINDGEN_VERSION=0.2.130
