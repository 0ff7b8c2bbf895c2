//! Reports: read-only views over the state, never a write. Metrics defined once (`metrics`),
//! timesheets and invoices (`billing`), the visits as CSV for finance (`csv`), and FHIR R4
//! resources for healthcare plugins (`fhir`).

pub mod billing;
pub mod csv;
pub mod fhir;
pub mod metrics;

use crate::base::id::Id;

/// Records found through a shared `Id`, remembered by the address of the id's text: bookings
/// share their provider's and service's `Id`, so a pass over a year of visits finds nearly all
/// of them without comparing text. A direct-mapped table of 256 addresses: 100 technicians in
/// turn do not push each other out, as they did from a list of the last eight. (Nothing is freed
/// while a report reads, so an address names one id for the cache's life.)
pub(crate) struct Recent<V> {
    slots: Vec<(*const u8, Option<V>)>,
}

impl<V: Copy> Default for Recent<V> {
    fn default() -> Self {
        Recent {
            slots: vec![(std::ptr::null(), None); 256],
        }
    }
}

impl<V: Copy> Recent<V> {
    /// The slot of an id's address (Fibonacci hashing; allocations are 4-byte aligned).
    fn slot(id: &Id) -> usize {
        (((id.as_ptr() as usize as u32) >> 2).wrapping_mul(0x9E37_79B9) >> 24) as usize
    }

    /// What `id` was found to be, if it is remembered (`Some(None)`: found to be nothing).
    pub(crate) fn get(&self, id: &Id) -> Option<Option<V>> {
        match self.slots.get(Self::slot(id)) {
            Some(&(p, v)) if p == id.as_ptr() => Some(v),
            _ => None,
        }
    }

    pub(crate) fn put(&mut self, id: &Id, v: Option<V>) {
        if let Some(s) = self.slots.get_mut(Self::slot(id)) {
            *s = (id.as_ptr(), v);
        }
    }

    /// What `id` is, remembered or found now by `find`.
    pub(crate) fn find(&mut self, id: &Id, find: impl FnOnce(&str) -> Option<V>) -> Option<V> {
        if let Some(v) = self.get(id) {
            return v;
        }
        let v = find(id);
        self.put(id, v);
        v
    }
}

/// FNV-1a over a key's bytes: the reports' tables of ids (a tally per provider, service or
/// client) are looked up once a visit, where std's SipHash (built against hash flooding, which
/// ids the host wrote do not need guarding against here) cost a fifth of a year's metrics by
/// provider (callgrind).
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by ids, hashed with [`Fnv`].
pub(crate) type IdTable<V> =
    std::collections::HashMap<String, V, std::hash::BuildHasherDefault<Fnv>>;
