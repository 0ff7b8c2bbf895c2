// The element's layout arithmetic (js/calendar/zone.js), in Node without a DOM: days and wall
// minutes in a zone across DST changes, the period each view shows, bookings cut into day pieces,
// overlapping bookings put side by side, and working-time shading.
import test from 'node:test';
import assert from 'node:assert/strict';
import { utcOf, wallOf, dayOfIso, isoOfDay, dayIn, periodOf, shiftDay, frameOf, segmentsOf, lanesOf, bandsOf } from '../../js/calendar/zone.js';

const NY = 'America/New_York';
const iso = (ms) => new Date(ms).toISOString();

test('a wall time in New York is the right instant either side of both DST changes', () => {
  assert.equal(iso(utcOf(NY, dayOfIso('2026-03-07'), 9 * 60)), '2026-03-07T14:00:00.000Z'); // EST
  assert.equal(iso(utcOf(NY, dayOfIso('2026-03-09'), 9 * 60)), '2026-03-09T13:00:00.000Z'); // EDT
  // 02:30 on the spring-forward night does not exist: the later reading, 03:30 EDT.
  assert.equal(iso(utcOf(NY, dayOfIso('2026-03-08'), 150)), '2026-03-08T07:30:00.000Z');
  // 01:30 on the fall-back night happens twice; either reading shows 01:30 on the wall.
  const twice = utcOf(NY, dayOfIso('2026-11-01'), 90);
  assert.deepEqual([wallOf(NY, twice).hour, wallOf(NY, twice).minute], [1, 30]);
});

test('the day an instant falls on depends on the zone', () => {
  const t = Date.parse('2026-11-24T03:00:00Z');
  assert.equal(isoOfDay(dayIn(NY, t)), '2026-11-23');
  assert.equal(isoOfDay(dayIn('Europe/Berlin', t)), '2026-11-24');
});

test('each view shows its period, weeks starting on the locale first day', () => {
  const wed = dayOfIso('2026-11-25');
  const show = ([a, b]) => [isoOfDay(a), isoOfDay(b)];
  assert.deepEqual(show(periodOf('week', wed, 1)), ['2026-11-23', '2026-11-30']); // Monday first
  assert.deepEqual(show(periodOf('week', wed, 0)), ['2026-11-22', '2026-11-29']); // Sunday first
  assert.deepEqual(show(periodOf('day', wed, 1)), ['2026-11-25', '2026-11-26']);
  assert.deepEqual(show(periodOf('agenda', wed, 1)), ['2026-11-25', '2026-12-02']);
  const [from, to] = periodOf('month', wed, 1);
  assert.equal(to - from, 42);
  assert.equal(isoOfDay(from), '2026-10-26'); // the Monday on or before 1 November
  assert.equal(isoOfDay(shiftDay(dayOfIso('2027-01-31'), 1, 'month')), '2027-03-03');
});

test('a booking is cut at midnight, and on the 23-hour day its minutes are wall minutes', () => {
  const f = frameOf(NY, dayOfIso('2026-03-07'), dayOfIso('2026-03-10'));
  const overnight = { start: '2026-03-07T03:00:00Z', end: '2026-03-07T07:00:00Z' }; // 22:00-02:00 EST
  const spanning = segmentsOf({ start: '2026-03-08T04:00:00Z', end: '2026-03-08T06:00:00Z' }, f); // 23:00 EST to 01:00
  assert.deepEqual(segmentsOf(overnight, f).map(({ i, a, z, first, last }) => [i, a, z, first, last]), [[0, 0, 120, false, true]]);
  assert.deepEqual(spanning.map(({ i, a, z }) => [i, a, z]), [[0, 23 * 60, 24 * 60], [1, 0, 60]]);
  // 01:00 EST to 04:00 EDT on the spring-forward day: two hours long, drawn from 1:00 to 4:00.
  const dst = segmentsOf({ start: '2026-03-08T06:00:00Z', end: '2026-03-08T08:00:00Z' }, f);
  assert.deepEqual(dst.map(({ i, a, z }) => [i, a, z]), [[1, 60, 240]]);
});

test('overlapping bookings go side by side; a later one with room takes the first free lane', () => {
  const segs = [{ a: 540, z: 600, id: 'a' }, { a: 540, z: 660, id: 'b' }, { a: 600, z: 630, id: 'c' }, { a: 700, z: 760, id: 'd' }];
  const laid = Object.fromEntries(lanesOf(segs).map((s) => [s.id, [s.lane, s.n]]));
  assert.deepEqual(laid, { b: [0, 2], a: [1, 2], c: [1, 2], d: [0, 1] });
});

test('working time shades as bands: off before, open, off after', () => {
  const f = frameOf('UTC', 0, 1);
  const spans = [[9 * 36e5, 12 * 36e5], [13 * 36e5, 17 * 36e5]];
  assert.deepEqual(bandsOf(spans, 0, f, 7 * 60, 19 * 60), [[true, 420, 540], [false, 540, 720], [true, 720, 780], [false, 780, 1020], [true, 1020, 1140]]);
});
