//! An id that many records name: one allocation per distinct id, shared by every mention
//! (100,000 bookings name 50 technicians and a few services; as `String`s each mention was an
//! allocation of its own, about 20 bytes of wasm memory a booking for each of three fields).

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(Arc<str>);

impl Default for Id {
    fn default() -> Self {
        Id(Arc::from(""))
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Id {
    /// The address of the shared text: equal for two `Id`s of one allocation (a cache key).
    pub fn as_ptr(&self) -> *const u8 {
        self.0.as_ptr()
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id(Arc::from(s))
    }
}

impl From<String> for Id {
    fn from(s: String) -> Self {
        Id(Arc::from(s))
    }
}

impl From<&String> for Id {
    fn from(s: &String) -> Self {
        Id(Arc::from(s.as_str()))
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Id> for String {
    fn eq(&self, other: &Id) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        *self == *other.0
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The ids stored so far, so that a new mention of one shares its allocation.
#[derive(Clone, Default)]
pub struct Ids(std::collections::HashSet<Id>);

impl Ids {
    /// The stored id equal to `id` (stored now if it is new).
    pub fn share(&mut self, id: &mut Id) {
        match self.0.get(&**id) {
            Some(known) => *id = known.clone(),
            None => {
                self.0.insert(id.clone());
            }
        }
    }
}
