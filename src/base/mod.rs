//! The bottom layer: errors as data, and the small containers the engine shares (one heapsort,
//! one sorted id map chosen over std's on wasm size (ARCHITECTURE.md), a list grown by chunks).

pub mod chunked;
pub mod error;
pub mod id;
pub mod idmap;
pub mod sort;
