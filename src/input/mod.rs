//! Input schema, loading and validation.
pub mod bevolking;
