//! threadlab's core: the fib and request workloads, the modes that run them, a CPython-like GIL, and the one
//! result type.
//! The wasm exports live in `wasm`; everything else also builds and is tested natively.

pub mod clock;
pub mod convoy;
pub mod cpu;
pub mod env;
pub mod experiments;
pub mod fault;
pub mod fib;
pub mod gil;
pub mod io;
pub mod modes;
pub mod options;
pub mod python;
pub mod report;
pub mod result;
pub mod runs;
pub mod scaling;
pub mod share;
pub mod stats;
pub mod trace;
#[cfg(target_arch = "wasm32")]
mod wasm;
