//! No library: this package holds the checks that span the whole repository (`packaging.rs`).
