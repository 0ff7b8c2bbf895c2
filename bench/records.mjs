// Issue 14, item 8: the metrics and the CSV of a year of 100 providers (about 250,000 visits), in
// wasm through the JS API. The year is written as a snapshot (restored once, not timed): visits
// every working hour, most completed with actual times, an outcome and a time entry; the rest
// no-shows of either side, cancellations in time and late, and a few never closed.
import { load, Coordinator } from '../pkg/index.js';

await load();

const NOW = '2027-01-04T08:00:00Z';
const iso = (t) => new Date(t).toISOString().replace('.000Z', 'Z');
const hours = [{ start: '08:00', end: '18:00' }];
const week = { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours };
const PROVIDERS = Number(process.env.RECORDS_PROVIDERS ?? 100);
const providers = [];
for (let p = 0; p < PROVIDERS; p++) {
  providers.push({ id: `tech-${p}`, name: `Technician ${p}`, skills: [], timeZone: 'Europe/Berlin', weeklyHours: week });
}
const clients = [];
for (let i = 0; i < 5000; i++) clients.push({ id: `c-${i}`, name: `Client ${i}` });
const services = [{ id: 'service', name: 'Boiler service', durationMinutes: 45, seats: 1, priceMinor: 8900, rateMinor: 9000,
  followUps: [{ id: 'call', kind: 'call', label: 'Satisfaction call', afterDays: 2 }] }];

/** Berlin's offset on a day of 2026 (summer time 29 March to 25 October). */
function offsetHours(t) {
  return t >= Date.parse('2026-03-29T01:00:00Z') && t < Date.parse('2026-10-25T01:00:00Z') ? 2 : 1;
}

/** The year as snapshot text; the records it is made of are garbage once it returns (held
 * alongside the engine's own copy, they made Node's collector the benchmark). */
function makeYear() {
  const bookings = [];
  const entries = [];
  let n = 0;
  for (let d = Date.parse('2026-01-01T00:00:00Z'); d < Date.parse('2027-01-01T00:00:00Z'); d += 86400e3) {
    const weekday = new Date(d).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let p = 0; p < PROVIDERS; p++) {
      for (let h = 8; h < 18; h++) {
        n++;
        const start = d + (h - offsetHours(d)) * 3600e3;
        const end = start + 45 * 60e3;
        const kind = n % 100;
        const created = iso(start - (3 + (n % 20)) * 86400e3);
        const b = { id: `bk-${n}`, serviceId: 'service', clientIds: [`c-${n % 5000}`], providerId: `tech-${p}`, resources: [],
          start: iso(start), end: iso(end), bufferBeforeMinutes: 0, bufferAfterMinutes: 0, status: 'completed', priority: n % 50 === 0 ? 1 : 0,
          revision: 2, createdAt: created, updatedAt: iso(end), history: [] };
        if (kind < 80) {
          const late = (n % 7) * 60e3;
          b.visit = { actualStart: iso(start + late), actualEnd: iso(end + late + (n % 5) * 60e3),
            outcome: n % 9 === 0 ? 'partially_resolved' : 'resolved' };
          if (n % 10 === 0) b.visit.satisfaction = { csat: 1 + (n % 5), nps: n % 11, at: iso(end + 86400e3) };
          entries.push({ id: `te-${entries.length + 1}`, bookingId: b.id, providerId: b.providerId, kind: 'on_site',
            start: b.visit.actualStart, end: b.visit.actualEnd, billable: true, rateMinor: 9000, createdAt: iso(end + 3600e3) });
        } else if (kind < 85) b.status = 'no_show';
        else if (kind < 87) b.status = 'provider_no_show';
        else if (kind < 95) { b.status = 'cancelled'; b.cancelledBy = 'client'; }
        else if (kind < 98) { b.status = 'late_cancelled'; b.cancelledBy = n % 2 ? 'client' : 'staff'; }
        else b.status = 'confirmed';
        bookings.push(b);
      }
    }
  }
  return JSON.stringify({ version: 2, timeZone: 'Europe/Berlin', nextId: n + entries.length + 2, providers, services,
    resources: [], clients, archived: { providers: [], services: [], resources: [], clients: [] }, bookings, waitlist: [], series: [],
    billing: { currency: 'EUR', rounding: { unitMinutes: 15, mode: 'up', minimumMinutes: 0, per: 'visit' }, travelBillable: true, adminBillable: false },
    timeEntries: entries });
}
const snapshot = makeYear();

if (process.env.RECORDS_SNAPSHOT_OUT) {
  // For profiling natively (tests/bench_native.rs, `profile_records`).
  (await import('node:fs')).writeFileSync(process.env.RECORDS_SNAPSHOT_OUT, snapshot);
  process.exit(0);
}
const t = performance.now();
const c = Coordinator.restore(snapshot, { now: NOW });
const restoreMs = performance.now() - t;

function median(fn, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}
function row(what, ms, target) {
  console.log(`${what.padEnd(58)} ${ms.toFixed(1).padStart(10)} ms   target <= ${target} ms  ${ms <= target ? 'within' : 'OVER'}`);
}

console.log(`${`(restoring the year: ${(snapshot.length / 1e6).toFixed(0)} MB, not a target)`.padEnd(58)} ${restoreMs.toFixed(0).padStart(10)} ms`);
const year = { from: '2026-01-01', to: '2027-01-01' };
const m = c.metrics(year);
row(`metrics, a year of 100 providers (${m.total.figures.scheduled.value} visits)`, median(() => c.metrics(year), 7), 50);
row('  the same grouped by provider', median(() => c.metrics({ ...year, groupBy: 'provider' }), 7), 50);
row('  the same grouped by week', median(() => c.metrics({ ...year, groupBy: 'week' }), 7), 50);
let csv = '';
const csvMs = median(() => { csv = c.visitsCsv(year); }, 3);
row(`CSV of those visits (${(csv.length / 1e6).toFixed(1)} MB, ${csv.split('\r\n').length - 2} rows)`, csvMs, 500);
