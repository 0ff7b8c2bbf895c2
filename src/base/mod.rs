//! The bottom layer: errors as data, and the two small containers the engine shares (one
//! heapsort, one sorted id map), chosen over std's on wasm size (ARCHITECTURE.md).

pub mod error;
pub mod idmap;
pub mod sort;
