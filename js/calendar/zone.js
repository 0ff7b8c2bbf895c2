// Days and wall-clock minutes in a zone, through Intl, and the layout arithmetic the views share.
// Pure functions (no DOM): tests/js/calendar-zone.test.mjs runs them in Node. The engine reads
// wall times itself; this is only for drawing.
export const DAY = 864e5;

const partFmts = new Map();
/** The wall-clock parts (year, month, day, hour, minute) of an instant in `zone`. */
export function wallOf(zone, ms) {
  let f = partFmts.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    partFmts.set(zone, f);
  }
  const p = {};
  for (const { type, value } of f.formatToParts(ms)) p[type] = +value;
  return p;
}
/** The zone's offset from UTC at an instant, in minutes. */
export const offsetAt = (zone, ms) => {
  const p = wallOf(zone, ms);
  return (Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute) - Math.floor(ms / 6e4) * 6e4) / 6e4;
};
/** The instant a wall time (day number, minutes) has in `zone`; in a gap, the later reading. */
export function utcOf(zone, day, minutes) {
  const guess = day * DAY + minutes * 6e4;
  const first = guess - offsetAt(zone, guess) * 6e4;
  const second = guess - offsetAt(zone, first) * 6e4;
  return Math.max(first, second);
}
/** Day numbers (days since 1970-01-01) and `YYYY-MM-DD`. */
export const dayOfIso = (iso) => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY);
export const isoOfDay = (n) => new Date(n * DAY).toISOString().slice(0, 10);
/** The day an instant falls on in `zone`. */
export const dayIn = (zone, ms) => { const p = wallOf(zone, ms); return Math.floor(Date.UTC(p.year, p.month - 1, p.day) / DAY); };
export const todayIn = (zone) => dayIn(zone, Date.now());
export const weekday = (n) => (n + 4) % 7; // 0 = Sunday
export const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
/** A wall time as the engine reads it with a `timeZone`: `YYYY-MM-DDTHH:MM`. */
export const wallText = (day, minutes) => `${isoOfDay(day)}T${hhmm(minutes)}`;

/** The days a view shows, `[from, to)`, for an anchor day; weeks start on `firstDay` (0 = Sunday). */
export function periodOf(view, anchor, firstDay) {
  if (view === 'day' || view === 'resource-day' || view === 'dispatch') return [anchor, anchor + 1];
  if (view === 'agenda') return [anchor, anchor + 7];
  if (view === 'month') {
    const d = new Date(anchor * DAY);
    const first = Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY);
    const s = first - ((weekday(first) - firstDay + 7) % 7);
    return [s, s + 42];
  }
  const start = anchor - ((weekday(anchor) - firstDay + 7) % 7);
  return [start, start + 7];
}

/** A day moved by `n` days, months or years (a month on from 31 January is 3 March, as in Date). */
export function shiftDay(day, n, unit) {
  const d = new Date(day * DAY);
  if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + n);
  else if (unit === 'year') d.setUTCFullYear(d.getUTCFullYear() + n);
  else d.setUTCDate(d.getUTCDate() + n);
  return Math.floor(d.getTime() / DAY);
}

/**
 * The frame of a time grid over days `[from, to)` in `zone`: each day's first instant, and the
 * wall minute of an instant within day `i` (by arithmetic on a day whose offset holds, by Intl
 * on a day with a DST change).
 */
export function frameOf(zone, from, to) {
  const starts = [];
  for (let d = from; d <= to; d++) starts.push(utcOf(zone, d, 0));
  const steady = starts.slice(0, -1).map((s, i) => offsetAt(zone, s) === offsetAt(zone, starts[i + 1] - 1));
  const minuteOf = (ms, i) => (steady[i] ? (ms - starts[i]) / 6e4 : (() => { const p = wallOf(zone, ms); return p.hour * 60 + p.minute; })());
  const dayIndexOf = (ms) => { let lo = 0, hi = starts.length - 1; while (lo < hi - 1) { const m = (lo + hi) >> 1; if (starts[m] <= ms) lo = m; else hi = m; } return lo; };
  return { from, to, starts, minuteOf, dayIndexOf };
}

/**
 * A booking cut into one piece per day shown: `i` the day's index, `a`/`z` wall minutes from that
 * midnight (`z` is 1440 when it runs on), `first`/`last` whether the piece holds its start/end.
 */
export function segmentsOf(b, { from, to, starts, minuteOf, dayIndexOf }) {
  const out = [];
  const s = Date.parse(b.start), e = Date.parse(b.end);
  for (let i = Math.max(0, dayIndexOf(s)); i < to - from && starts[i] < e; i++) {
    const a = Math.max(0, minuteOf(Math.max(s, starts[i]), i));
    const z = e >= starts[i + 1] ? 24 * 60 : minuteOf(e, i);
    if (z > a) out.push({ b, i, a, z, day: from + i, first: s >= starts[i], last: e <= starts[i + 1] });
  }
  return out;
}

/**
 * Overlapping pieces side by side: sorts `segs` by start (longest first) and gives each a `lane`
 * and the lane count `n` of its cluster of overlaps (greedy: the first lane free at its start).
 */
export function lanesOf(segs) {
  const sorted = segs.slice().sort((x, y) => x.a - y.a || y.z - x.z);
  let cluster = [], lanes = [], end = -1;
  const flush = () => { for (const s of cluster) s.n = lanes.length; cluster = []; lanes = []; };
  for (const s of sorted) {
    if (s.a >= end) flush();
    let lane = lanes.findIndex((z) => z <= s.a);
    if (lane < 0) { lane = lanes.length; lanes.push(0); }
    lanes[lane] = s.z;
    s.lane = lane;
    cluster.push(s);
    end = Math.max(end, s.z);
  }
  flush();
  return sorted;
}

/**
 * Working time as bands over one day's column, `[lo, hi)` minutes: `[off, a, z]` with `off` true
 * where nobody in `spans` ([start, end] instants) works.
 */
export function bandsOf(spans, i, { starts, minuteOf }, lo, hi) {
  const open = spans.filter(([s, e]) => s < starts[i + 1] && e > starts[i])
    .map(([s, e]) => [Math.max(lo, minuteOf(Math.max(s, starts[i]), i)), Math.min(hi, e >= starts[i + 1] ? 24 * 60 : minuteOf(e, i))])
    .sort((a, b) => a[0] - b[0]);
  const bands = [];
  let at = lo;
  for (const [s, e] of open) {
    if (s > at) bands.push([true, at, s]);
    if (e > Math.max(at, s)) bands.push([false, Math.max(at, s), e]);
    at = Math.max(at, e);
  }
  if (at < hi) bands.push([true, at, hi]);
  return bands;
}
