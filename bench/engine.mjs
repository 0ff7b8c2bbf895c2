// Engine benchmark through the JS API in Node. Prints figures; it is not a timed test (machines
// here are noisy): read the medians side by side with their targets.
import { load, Coordinator } from '../pkg/index.js';
import { builds } from '../scripts/size.mjs';

await load();
const NOW = '2026-11-23T12:00:00Z';
const day = [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '18:00' }];
const week = { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [{ start: '09:00', end: '13:00' }] };

// The median of `runs` timings (this machine's neighbours make single runs noisy).
function median(fn, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

/** Medians of `fns` timed in turn, run after run: side by side under the same noise. */
function medians(fns, runs) {
  const times = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, k) => {
      const t = performance.now();
      fn(i);
      times[k].push(performance.now() - t);
    });
  }
  return times.map((ts) => ts.sort((a, b) => a - b)[Math.floor(runs / 2)]);
}

function row(what, ms, target, unit = 'ms') {
  const shown = unit === 'us' ? ms * 1000 : ms;
  const ok = shown <= target ? 'within' : 'OVER';
  console.log(`${what.padEnd(58)} ${shown.toFixed(unit === 'us' ? 2 : 3).padStart(10)} ${unit}   target <= ${target} ${unit}  ${ok}`);
}

// 1. Availability: one service, 50 providers, 30 days, with two bookings per provider-day.
const c = new Coordinator({ now: NOW, timeZone: 'America/New_York' });
for (let p = 0; p < 50; p++) {
  c.upsertProvider({ id: `tech-${p}`, name: `Technician ${p}`, skills: ['hvac'], timeZone: p % 5 === 0 ? 'America/Chicago' : 'America/New_York', weeklyHours: week });
}
c.upsertService({ id: 'tune-up', name: 'AC tune-up', durationMinutes: 60, slotStepMinutes: 30, bufferAfterMinutes: 15, requiredSkills: ['hvac'] });
for (let d = 1; d <= 30; d++) {
  const date = new Date(Date.parse('2026-11-23T00:00:00Z') + d * 86400e3).toISOString().slice(0, 10);
  for (let p = 0; p < 50; p++) {
    for (const time of ['09:00', '14:00']) {
      try { c.book({ serviceId: 'tune-up', providerId: `tech-${p}`, start: `${date}T${time}` }); } catch { /* weekends, closed */ }
    }
  }
}
const query = { serviceId: 'tune-up', from: '2026-11-24', to: '2026-12-24' };
const slots = c.availability(query).slots;
const plainMs = median(() => c.availability(query), 100);
row(`availability, 50 providers x 30 days (${slots.length} slots)`, plainMs, 2);

// The same day on site (issue 13): homes around one city, every booking at a client's place,
// and the query for a visit at one more; the travel rule works on every slot.
{
  const t = new Coordinator({ now: NOW, timeZone: 'America/New_York' });
  const spot = (i) => ({ lat: 40.70 + ((i * 37) % 100) / 1000, lng: -74.0 + ((i * 53) % 100) / 1000 });
  for (let p = 0; p < 50; p++) {
    t.upsertProvider({ id: `tech-${p}`, name: `Technician ${p}`, skills: ['hvac'], timeZone: p % 5 === 0 ? 'America/Chicago' : 'America/New_York', weeklyHours: week, home: spot(p + 500) });
  }
  t.upsertService({ id: 'tune-up', name: 'AC tune-up', durationMinutes: 60, slotStepMinutes: 30, bufferAfterMinutes: 15, requiredSkills: ['hvac'], onSite: true });
  t.upsertClient({ id: 'cl', name: 'Client' });
  let n = 0;
  for (let d = 1; d <= 30; d++) {
    const date = new Date(Date.parse('2026-11-23T00:00:00Z') + d * 86400e3).toISOString().slice(0, 10);
    for (let p = 0; p < 50; p++) {
      for (const time of ['09:00', '14:00']) {
        try { t.book({ serviceId: 'tune-up', providerId: `tech-${p}`, clientIds: ['cl'], start: `${date}T${time}`, location: spot(n++) }); } catch { /* weekends, closed */ }
      }
    }
  }
  const visit = { ...query, location: spot(9999) };
  const travelSlots = t.availability(visit).slots.length;
  // Timed in turn with the query without travel, so both see the same neighbours.
  const [plainSide, travelMs] = medians([() => c.availability(query), () => t.availability(visit)], 200);
  row(`availability with travel, same day on site (${travelSlots} slots)`, travelMs, Number((2 * plainSide).toFixed(3)));
  const ratio = travelMs / plainSide;
  console.log(`${`  ratio to availability without travel (${plainSide.toFixed(3)} ms in turn)`.padEnd(58)} ${ratio.toFixed(2).padStart(10)} x    target <= 2 x   ${ratio <= 2 ? 'within' : 'OVER'}`);
}

// Explain (issue 3): every 15-minute step of a week for one provider, with its reasons.
c.upsertService({ id: 'inspection', name: 'Inspection', durationMinutes: 30, slotStepMinutes: 15, requiredSkills: ['hvac'] });
const week1 = { serviceId: 'inspection', from: '2026-11-30', to: '2026-12-07', providerIds: ['tech-1'], explain: true };
const steps = c.availability(week1);
row(`explain a week of 15-minute steps, 1 provider (${steps.slots.length} free, ${steps.unavailable.length} explained)`,
  median(() => c.availability(week1), 100), 2);

// Repair (issue 3): a day with 30 technicians and 300 bookings, one technician out all day.
{
  const r = new Coordinator({ now: NOW, timeZone: 'America/New_York' });
  for (let p = 0; p < 30; p++) r.upsertProvider({ id: `t-${p}`, name: `T${p}`, skills: ['hvac'], timeZone: 'America/New_York', weeklyHours: week });
  r.upsertService({ id: 'visit', name: 'Visit', durationMinutes: 45, slotStepMinutes: 15, requiredSkills: ['hvac'] });
  const times = ['08:00', '08:45', '09:30', '10:15', '11:00', '13:00', '13:45', '14:30', '15:15', '16:00'];
  for (let p = 0; p < 30; p++) for (const t of times) r.book({ serviceId: 'visit', providerId: `t-${p}`, start: `2026-11-25T${t}` });
  const out = { providerId: 't-3', start: '2026-11-25', end: '2026-11-26', reason: 'sick' };
  const plan = r.planRepair(out);
  row(`repair plan, 30 providers x 300 bookings, one out (${plan.moves.length} moves, ${plan.unplaced.length} unplaced)`, median(() => r.planRepair(out), 20), 50);
}

// A snapshot with `n` bookings: 50 technicians, 4 jobs a day each from 2026-11-24.
const providers = [];
for (let p = 0; p < 50; p++) providers.push({ id: `tech-${p}`, name: `Technician ${p}`, skills: ['hvac'], timeZone: 'America/New_York', weeklyHours: week });
function snapshotWith(n) {
  const bookings = [];
  const base = Date.parse('2026-11-24T13:00:00Z');
  const iso = (t) => new Date(t).toISOString().replace('.000Z', 'Z');
  for (let i = 0; i < n; i++) {
    const p = i % 50, slot = Math.floor(i / 50);
    const start = base + Math.floor(slot / 4) * 86400e3 + (slot % 4) * 2 * 3600e3;
    bookings.push({ id: `bk-${i + 1}`, serviceId: 'tune-up', clientIds: [], providerId: `tech-${p}`, resources: [],
      start: iso(start), end: iso(start + 3600e3), bufferBeforeMinutes: 0, bufferAfterMinutes: 15, status: 'confirmed',
      priority: 0, revision: 1, createdAt: NOW, updatedAt: NOW,
      history: [{ revision: 1, at: NOW, action: 'created', status: 'confirmed', providerId: `tech-${p}`, start: iso(start), end: iso(start + 3600e3) }] });
  }
  return JSON.stringify({ version: 1, timeZone: 'America/New_York', nextId: n + 1, providers,
    services: [{ id: 'tune-up', name: 'AC tune-up', durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 15,
      requiredSkills: ['hvac'], requiredResources: [], minNoticeMinutes: 0, slotStepMinutes: 30, seats: 1 }], resources: [], clients: [], bookings });
}

// Alternatives (issue 3): one clashing request among 10,000 bookings.
const mid = Coordinator.restore(snapshotWith(10_000), { now: NOW });
const clash = { serviceId: 'tune-up', providerId: 'tech-7', start: '2026-12-01T08:00' };
const offered = mid.alternatives(clash);
row(`alternatives for a clash among 10,000 bookings (${offered.length} offered)`, median(() => mid.alternatives(clash), 50), 5);

// 2 and 3. 100,000 bookings restored from a snapshot, then `check` among them.
// Saved by the engine itself (format 2: the archive before the bookings, so a restore checks and
// stores each booking as its text arrives).
const snapshot = Coordinator.restore(snapshotWith(100_000), { now: NOW }).snapshot();
let big;
const restoreMs = median(() => { big = Coordinator.restore(snapshot, { now: NOW }); }, 3);
row(`restore a snapshot of 100,000 bookings (${(snapshot.length / 1e6).toFixed(1)} MB)`, restoreMs, 300);
// A host's own snapshot (a CRM's export) may list 100,000 clients in creation order, not by id.
{
  const clients = [];
  for (let i = 0; i < 100_000; i++) clients.push({ id: `c-${i}`, name: `Client ${i}` });
  const crm = JSON.stringify({ version: 2, timeZone: 'Europe/Berlin', nextId: 1, providers: [], services: [], resources: [],
    clients, archived: { providers: [], services: [], resources: [], clients: [] }, bookings: [], waitlist: [], series: [] });
  const ms = median(() => Coordinator.restore(crm, { now: NOW }), 3);
  console.log(`${'  (restore 100,000 clients listed out of id order, not a target)'.padEnd(58)} ${ms.toFixed(0).padStart(10)} ms`);
}
// The wasm memory a restore leaves (its peak: a wasm memory never shrinks), in a fresh process
// so that nothing else this benchmark did is counted.
{
  const { writeFileSync, rmSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const file = `${(await import('node:os')).tmpdir()}/sc-restore-${process.pid}.json`;
  writeFileSync(file, snapshot);
  const out = JSON.parse(execFileSync(process.execPath, [new URL('./restore-memory.mjs', import.meta.url).pathname, file]).toString());
  rmSync(file);
  console.log(`${'wasm memory after restoring 100,000 bookings, per booking'.padEnd(58)} ${String(Math.round(out.memory / 100_000)).padStart(10)} B    target <= 300 B  ${out.memory / 100_000 <= 300 ? 'within' : 'OVER'}`);
}
const requests = [];
for (let i = 0; i < 200; i++) requests.push({ serviceId: 'tune-up', providerId: `tech-${i % 50}`, start: `2027-0${1 + (i % 9)}-1${i % 10}T10:30` });
row('check among 100,000 bookings', median((i) => big.check(requests[i % 200]), 2000), 20, 'us');

for (const b of builds) {
  console.log(`${`${b.name} build (gzip -9 of the .wasm + .js it loads)`.padEnd(58)} ${b.kb.toFixed(1).padStart(10)} KB   target <= ${b.target} KB  ${b.kb <= b.target ? 'within' : 'OVER'}`);
}
