//! The inputs: every field with its rule (`fields`), how a value is read by it (`read`), and the checks of what each
//! door was given (`check`). Every way in is checked here, so a rule lives in one place.

pub mod check;
pub mod fields;
pub mod read;

pub use check::{check_bend, check_convoy, check_form, check_run, check_scaling};
pub use read::{Door, FieldError};
