//! Pure calculations: no I/O.
pub mod verdeling;
