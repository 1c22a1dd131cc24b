//! The engines: how each mode's jobs run and how their jobs become a run. Under them only the base and the data types.

pub mod convoy;
pub mod cpu;
pub mod cpython;
pub mod gil;
pub mod io;
pub mod runs;
