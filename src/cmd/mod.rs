//! One file per command, like mdBook's `src/cmd/`: each turns its arguments into
//! calls of the library and returns what happened as a `Report`, which `main`
//! prints and maps to the exit code.

pub(crate) mod bevolking;
pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod new;
pub(crate) mod serve;
pub(crate) mod templates;
