//! A small map from ids to values, kept sorted by id: the lanes (per provider and per resource)
//! and the zone tables. Binary search over a few hundred keys is as quick as hashing here, and one
//! generic sorted Vec is a fraction of the wasm a hash table costs per key/value type.

#[derive(Clone, Debug)]
pub struct IdMap<V> {
    items: Vec<(String, V)>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap { items: Vec::new() }
    }
}

impl<V> IdMap<V> {
    fn find(&self, id: &str) -> Result<usize, usize> {
        self.items.binary_search_by(|x| x.0.as_str().cmp(id))
    }
    pub fn get(&self, id: &str) -> Option<&V> {
        self.find(id)
            .ok()
            .and_then(|i| self.items.get(i))
            .map(|x| &x.1)
    }
    pub fn get_mut(&mut self, id: &str) -> Option<&mut V> {
        let i = self.find(id).ok()?;
        self.items.get_mut(i).map(|x| &mut x.1)
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn contains_key(&self, id: &str) -> bool {
        self.find(id).is_ok()
    }
    #[allow(clippy::indexing_slicing)] // `i` is where `id` was found, or was just inserted
    /// The value for `id`, made with `Default` when missing.
    pub fn entry(&mut self, id: &str) -> &mut V
    where
        V: Default,
    {
        let i = match self.find(id) {
            Ok(i) => i,
            Err(i) => {
                self.items.insert(i, (id.to_string(), V::default()));
                i
            }
        };
        &mut self.items[i].1
    }
    pub fn insert(&mut self, id: String, v: V) {
        match self.find(&id) {
            Ok(i) => {
                if let Some(x) = self.items.get_mut(i) {
                    x.1 = v;
                }
            }
            Err(i) => self.items.insert(i, (id, v)),
        }
    }
    pub fn remove(&mut self, id: &str) {
        if let Ok(i) = self.find(id) {
            self.items.remove(i);
        }
    }
    pub fn clear(&mut self) {
        self.items.clear();
    }
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.items.iter_mut().map(|(_, v)| v)
    }
    /// In id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.items.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<V> IntoIterator for IdMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;
    /// In id order.
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_ids_sorted_and_finds_them() {
        let mut m: IdMap<Vec<u32>> = IdMap::default();
        for (id, v) in [("van-2", 2), ("ana", 1), ("van-2", 3), ("ben", 4)] {
            m.entry(id).push(v);
        }
        assert_eq!(
            m.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            ["ana", "ben", "van-2"]
        );
        assert_eq!(m.get("van-2"), Some(&vec![2, 3]));
        m.remove("ben");
        assert!(!m.contains_key("ben"));
        m.insert("ana".into(), vec![9]);
        assert_eq!(m.get("ana"), Some(&vec![9]));
        assert_eq!(m.get("nobody"), None);
    }
}
