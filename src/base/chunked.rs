//! A list that grows a chunk at a time: pushing never copies what is stored, so a list of
//! 100,000 bookings never holds two copies of itself while it grows (a `Vec` doubling from
//! 65,536 to 131,072 entries holds both buffers at once: the restore's peak memory).

/// Entries per chunk (a power of two).
const SHIFT: u32 = 10;
const CHUNK: usize = 1 << SHIFT;

#[derive(Clone, Debug)]
pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i >> SHIFT)?.get(i & (CHUNK - 1))
    }
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.chunks.get_mut(i >> SHIFT)?.get_mut(i & (CHUNK - 1))
    }
    pub fn push(&mut self, x: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(x),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(x);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }
    pub fn pop(&mut self) -> Option<T> {
        let last = self.chunks.last_mut()?;
        let x = last.pop();
        if last.is_empty() {
            self.chunks.pop();
        }
        if x.is_some() {
            self.len -= 1;
        }
        x
    }
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.chunks.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_keeps_order_and_positions_across_chunks() {
        let mut list = Chunked::default();
        for i in 0..3 * CHUNK + 5 {
            list.push(i);
        }
        assert_eq!(list.len(), 3 * CHUNK + 5);
        assert_eq!(list.get(CHUNK), Some(&CHUNK));
        assert_eq!(list.get(3 * CHUNK + 5), None);
        assert!(list.iter().copied().eq(0..3 * CHUNK + 5));
        for i in (0..3 * CHUNK + 5).rev() {
            assert_eq!(list.pop(), Some(i));
        }
        assert_eq!(list.pop(), None);
        assert!(list.is_empty());
    }
}
