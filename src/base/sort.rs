//! One small sort for the whole engine, written here on measurement: the standard library's
//! `sort_unstable` is fast but monomorphises about 2.5 KB of wasm per element type (pattern-defeating
//! quicksort, heapsort fallback and sorting networks), and the engine sorts a dozen types. A
//! heapsort is a tenth of that per type, O(n log n) in the worst case, in place, and fast enough
//! for what we sort (at most a lane's bookings: 100,000 keys in a few milliseconds).

use std::cmp::Ordering;

/// Sorts by `Ord` (not stable; equal keys are interchangeable for every caller).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, |a, b| a.cmp(b))
}

/// Sorts by a key computed per comparison (cheap keys only).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    heapsort(v, &mut |a, b| cmp(a, b) == Ordering::Less)
}

fn heapsort<T>(v: &mut [T], less: &mut dyn FnMut(&T, &T) -> bool) {
    let n = v.len();
    // Build a max-heap, then move the maximum to the end one at a time.
    for i in (0..n / 2).rev() {
        sift_down(v, i, n, less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, less);
    }
}

#[allow(clippy::indexing_slicing)] // `node < child < end <= v.len()`: the loop's guard
fn sift_down<T>(v: &mut [T], mut node: usize, end: usize, less: &mut dyn FnMut(&T, &T) -> bool) {
    loop {
        let mut child = 2 * node + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[node], &v[child]) {
            return;
        }
        v.swap(node, child);
        node = child;
    }
}

/// Sorts a slice that is nearly in order (each element a few places from its own) by a cheap
/// key: an insertion sort, linear when the slice is sorted, and stable.
pub fn sort_nearly_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v.get(j - 1).map(&mut key) > v.get(j).map(&mut key) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Sorts integer keys (a report's hundreds of thousands of packed (start, position) keys) by
/// radix, 16 bits a pass from the lowest, skipping a pass whose digit all keys share: linear
/// where the heapsort's comparisons grew as n log n (a third of a year's CSV went on them).
pub fn sort_keys(v: &mut Vec<i64>) {
    if v.len() < 64 {
        return sort(v);
    }
    // Flipping the sign bit orders the keys as unsigned numbers.
    let digit = |k: i64, shift: u32| ((k as u64 ^ (1 << 63)) >> shift) as usize & 0xffff;
    let mut other = vec![0i64; v.len()];
    for shift in [0, 16, 32, 48] {
        let mut count = vec![0usize; 1 << 16];
        for &k in v.iter() {
            if let Some(c) = count.get_mut(digit(k, shift)) {
                *c += 1;
            }
        }
        if count.contains(&v.len()) {
            continue;
        }
        let mut at = 0;
        for c in count.iter_mut() {
            let n = *c;
            *c = at;
            at += n;
        }
        for &k in v.iter() {
            if let Some(c) = count.get_mut(digit(k, shift)) {
                if let Some(slot) = other.get_mut(*c) {
                    *slot = k;
                }
                *c += 1;
            }
        }
        std::mem::swap(v, &mut other);
    }
}

/// Sorts and drops repeats.
pub fn sort_dedup<T: Ord>(v: &mut Vec<T>) {
    sort(v);
    v.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_keys_like_the_standard_library() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for n in [0usize, 5, 63, 64, 1000, 70_000] {
            for spread in [u64::MAX, 1 << 40, 1 << 20, 3] {
                let mut v: Vec<i64> = (0..n)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        ((seed % spread) as i64).wrapping_sub((spread / 2) as i64)
                    })
                    .collect();
                let mut want = v.clone();
                want.sort_unstable();
                sort_keys(&mut v);
                assert_eq!(v, want, "{n} keys spread over {spread}");
            }
        }
    }

    #[test]
    fn sorts_like_the_standard_library() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for n in [0usize, 1, 2, 3, 7, 64, 1000] {
            let mut v: Vec<u32> = (0..n)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % 50) as u32
                })
                .collect();
            let mut want = v.clone();
            want.sort();
            let mut nearly = v.clone();
            sort(&mut v);
            assert_eq!(v, want);
            sort_nearly_by_key(&mut nearly, |x| *x);
            assert_eq!(nearly, want);
        }
    }
}
