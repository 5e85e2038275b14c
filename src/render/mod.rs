//! Rendering documents with Tera, Dutch formatting.
