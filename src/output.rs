//! Writing the documents atomically.
