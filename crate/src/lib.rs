//! threadlab's core: the fib and request workloads, the modes that run them, a CPython-like GIL, the experiments
//! that read their runs, and every input's rule. The wasm exports live in `wasm`; everything else also builds and is
//! tested natively.
//!
//! The modules stand in layers, and a module imports only from its own layer or an earlier one in this list (a
//! test, `layers`, reads the source and holds it so):
//!
//! 1. base: clock, fault, fib, work, stats, modes, env
//! 2. data: spec, result
//! 3. engines
//! 4. experiments
//! 5. inputs
//! 6. doors: share, trace, wasm

pub mod clock;
pub mod engines;
pub mod env;
pub mod experiments;
pub mod fault;
pub mod fib;
pub mod inputs;
pub mod modes;
pub mod result;
pub mod share;
pub mod spec;
pub mod stats;
pub mod trace;
#[cfg(target_arch = "wasm32")]
mod wasm;
pub mod work;

#[cfg(test)]
mod layers;
