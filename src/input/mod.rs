//! Input schema, loading and validation.
