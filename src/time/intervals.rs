//! One interval-set type; working time, free time, busy time and resource capacity all build on it.

use crate::time::{Instant, Interval};

/// Sorted, disjoint, non-empty, non-adjacent half-open intervals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntervalSet {
    parts: Vec<Interval>,
}

impl IntervalSet {
    pub fn new() -> Self {
        IntervalSet { parts: Vec::new() }
    }

    /// The union of any intervals, in any order; empty ones are dropped.
    pub fn from_unsorted(mut parts: Vec<Interval>) -> Self {
        parts.retain(|p| !p.is_empty());
        if !parts.is_sorted() {
            crate::base::sort::sort(&mut parts);
        }
        let mut out: Vec<Interval> = Vec::with_capacity(parts.len());
        for p in parts {
            match out.last_mut() {
                Some(last) if p.start <= last.end => last.end = last.end.max(p.end),
                _ => out.push(p),
            }
        }
        IntervalSet { parts: out }
    }

    pub fn single(iv: Interval) -> Self {
        Self::from_unsorted(vec![iv])
    }

    pub fn parts(&self) -> &[Interval] {
        &self.parts
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub fn total(&self) -> i64 {
        self.parts.iter().map(Interval::len).sum()
    }

    pub fn union(&self, other: &IntervalSet) -> IntervalSet {
        let mut all = self.parts.clone();
        all.extend_from_slice(&other.parts);
        Self::from_unsorted(all)
    }

    #[allow(clippy::indexing_slicing)] // `i < a.len() && j < b.len()`: the loop's guard
    pub fn intersect(&self, other: &IntervalSet) -> IntervalSet {
        let (a, b) = (&self.parts, &other.parts);
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < a.len() && j < b.len() {
            let start = a[i].start.max(b[j].start);
            let end = a[i].end.min(b[j].end);
            if start < end {
                out.push(Interval::new(start, end));
            }
            if a[i].end < b[j].end {
                i += 1;
            } else {
                j += 1;
            }
        }
        IntervalSet { parts: out }
    }

    /// Removes `other` from `self`. `other` may be unsorted and overlapping.
    pub fn subtract_all(&self, other: &[Interval]) -> IntervalSet {
        if other.is_empty() {
            return self.clone();
        }
        self.subtract(&Self::from_unsorted(other.to_vec()))
    }

    pub fn subtract(&self, other: &IntervalSet) -> IntervalSet {
        self.subtract_run(&other.parts, |x| *x)
    }

    /// This set less a run of intervals sorted by start, which may overlap or touch (none
    /// empty): one pass, without merging the run first.
    #[allow(clippy::indexing_slicing)] // `j` and `k` are checked against `b.len()` before each use
    pub fn subtract_run<T>(&self, b: &[T], iv: impl Fn(&T) -> Interval) -> IntervalSet {
        // Each interval of the run cuts at most one part in two.
        let mut out = Vec::with_capacity(self.parts.len() + b.len());
        let mut j = 0;
        for p in &self.parts {
            let mut start = p.start;
            // Those ending by this part's start end before every later part too.
            while j < b.len() && iv(&b[j]).end <= start {
                j += 1;
            }
            let mut k = j;
            while k < b.len() && iv(&b[k]).start < p.end {
                let x = iv(&b[k]);
                if x.start > start {
                    out.push(Interval::new(start, x.start));
                }
                start = start.max(x.end);
                k += 1;
            }
            if start < p.end {
                out.push(Interval::new(start, p.end));
            }
        }
        IntervalSet { parts: out }
    }

    /// Whether `iv` lies wholly inside one part.
    pub fn covers(&self, iv: &Interval) -> bool {
        let i = self.parts.partition_point(|p| p.end < iv.end);
        self.parts.get(i).is_some_and(|p| p.contains(iv))
    }

    pub fn overlaps(&self, iv: &Interval) -> bool {
        let i = self.parts.partition_point(|p| p.end <= iv.start);
        self.parts.get(i).is_some_and(|p| p.overlaps(iv))
    }

    /// Shrinks each part by `before` at its start and `after` at its end (dropping what vanishes).
    pub fn shrink(&self, before: i64, after: i64) -> IntervalSet {
        let parts = self
            .parts
            .iter()
            .map(|p| Interval::new(p.start + before, p.end - after))
            .filter(|p| !p.is_empty())
            .collect();
        IntervalSet { parts }
    }

    pub fn clip(&self, range: Interval) -> IntervalSet {
        IntervalSet {
            parts: self.within(range).collect(),
        }
    }

    /// The parts that overlap `range`, cut to it, in order (a binary search, then a scan).
    pub fn within(&self, range: Interval) -> impl Iterator<Item = Interval> + '_ {
        let from = self.parts.partition_point(|p| p.end <= range.start);
        self.parts
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(move |p| p.start < range.end)
            .map(move |p| Interval::new(p.start.max(range.start), p.end.min(range.end)))
            .filter(|p| !p.is_empty())
    }

    /// How much of `range` the set covers (`within`'s lengths summed, as one loop).
    pub fn covered(&self, range: Interval) -> i64 {
        let from = self.parts.partition_point(|p| p.end <= range.start);
        let mut sum = 0;
        for p in self.parts.get(from..).unwrap_or_default() {
            if p.start >= range.end {
                break;
            }
            sum += (p.end.min(range.end) - p.start.max(range.start)).max(0);
        }
        sum
    }

    /// `covered`, for ranges that come mostly in order (a provider's visits through the year):
    /// `at` keeps where the last one began (the first part ending after its start), and the next
    /// walks on from there; a range that starts before it searches again.
    pub fn covered_from(&self, range: Interval, at: &mut usize) -> i64 {
        let parts = &self.parts;
        let ends_after = |i: Option<usize>| {
            i.and_then(|i| parts.get(i))
                .is_some_and(|p| p.end > range.start)
        };
        if ends_after(at.checked_sub(1)) {
            // Going backwards: one part back (a pass over the year, newest first), else a search.
            *at = if ends_after(at.checked_sub(2)) {
                parts.partition_point(|p| p.end <= range.start)
            } else {
                *at - 1
            };
        } else if *at > parts.len() {
            *at = parts.partition_point(|p| p.end <= range.start);
        }
        while parts.get(*at).is_some_and(|p| p.end <= range.start) {
            *at += 1;
        }
        let mut sum = 0;
        for p in parts.get(*at..).unwrap_or_default() {
            if p.start >= range.end {
                break;
            }
            sum += (p.end.min(range.end) - p.start.max(range.start)).max(0);
        }
        sum
    }

    pub fn contains_instant(&self, t: Instant) -> bool {
        self.covers(&Interval::new(t, t + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Instant;

    #[test]
    fn covered_from_a_cursor_is_covered_in_any_order() {
        let s = set(&[(0, 10), (20, 30), (40, 50), (60, 70)]);
        let iv = |a: i64, b: i64| Interval::new(Instant::from_secs(a), Instant::from_secs(b));
        let mut at = 0;
        for (a, b) in [
            (5, 25),
            (22, 45),
            (0, 100),
            (45, 65),
            (48, 49),
            (1, 2),
            (69, 80),
            (80, 90),
            (-5, 3),
            // Newest first, as the metrics' pass goes.
            (62, 66),
            (45, 48),
            (41, 42),
            (25, 26),
            (5, 8),
            (-9, -1),
        ] {
            assert_eq!(
                s.covered_from(iv(a, b), &mut at),
                s.covered(iv(a, b)),
                "{a}..{b}"
            );
        }
    }

    fn set(v: &[(i64, i64)]) -> IntervalSet {
        IntervalSet::from_unsorted(
            v.iter()
                .map(|&(a, b)| Interval::new(Instant::from_secs(a), Instant::from_secs(b)))
                .collect(),
        )
    }

    #[test]
    fn union_merges_overlapping_and_touching_parts() {
        assert_eq!(
            set(&[(5, 7), (0, 2), (2, 3), (6, 9)]),
            set(&[(0, 3), (5, 9)])
        );
        assert_eq!(set(&[(0, 3)]).union(&set(&[(3, 4)])), set(&[(0, 4)]));
    }

    #[test]
    fn subtract_cuts_holes() {
        let work = set(&[(0, 10), (20, 30)]);
        assert_eq!(
            work.subtract(&set(&[(2, 4), (8, 22), (29, 40)])),
            set(&[(0, 2), (4, 8), (22, 29)])
        );
        assert_eq!(work.subtract(&set(&[(-5, 50)])), IntervalSet::new());
    }

    #[test]
    fn a_run_sorted_by_start_is_subtracted_as_its_union() {
        let work = set(&[(0, 10), (20, 30), (40, 50)]);
        // Overlapping, touching and nested, by start; a long one ending after shorter ones.
        let run = [
            (1, 3),
            (2, 9),
            (3, 4),
            (9, 12),
            (18, 26),
            (19, 21),
            (29, 41),
            (45, 46),
        ];
        let run: Vec<Interval> = run
            .iter()
            .map(|&(a, b)| Interval::new(Instant::from_secs(a), Instant::from_secs(b)))
            .collect();
        let merged = IntervalSet::from_unsorted(run.clone());
        assert_eq!(work.subtract_run(&run, |x| *x), work.subtract(&merged));
        assert_eq!(
            work.subtract_run(&run, |x| *x),
            set(&[(0, 1), (26, 29), (41, 45), (46, 50)])
        );
    }

    #[test]
    fn intersect_and_cover() {
        let a = set(&[(0, 10), (20, 30)]);
        assert_eq!(a.intersect(&set(&[(5, 25)])), set(&[(5, 10), (20, 25)]));
        assert!(a.covers(&Interval::new(
            Instant::from_secs(20),
            Instant::from_secs(30)
        )));
        assert!(!a.covers(&Interval::new(
            Instant::from_secs(5),
            Instant::from_secs(21)
        )));
        assert!(a.overlaps(&Interval::new(
            Instant::from_secs(9),
            Instant::from_secs(11)
        )));
        assert!(!a.overlaps(&Interval::new(
            Instant::from_secs(10),
            Instant::from_secs(20)
        )));
    }
}
