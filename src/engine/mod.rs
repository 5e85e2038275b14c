//! Pure calculations: no I/O.
