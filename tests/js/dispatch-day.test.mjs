// The day's dispatch as a page runs it: the sample company's 60 work orders planned from the
// coordinator's state in the solver's worker, committed as bookings through the same rules,
// one more job placed where it fits, and a sick technician re-planned.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, Coordinator } from '../../pkg/index.js';
import { planDay, options } from '../../pkg/dispatch.js';
import { company } from '../../www/sample-data.js';

await load();
const NOW = Date.parse('2026-11-30T14:00:00Z'); // Monday morning in New York
const DAY = '2026-12-03'; // Thursday: all six technicians work

function sampleCompany() {
  const c = new Coordinator({ timeZone: company.timeZone, now: NOW });
  for (const { area, ...p } of company.providers) c.upsertProvider(p);
  company.services.forEach((s) => c.upsertService(s));
  company.resources.forEach((r) => c.upsertResource(r));
  company.clients.forEach((x) => c.upsertClient(x));
  for (const o of company.workOrders) {
    const [from, to] = o.window.split('-');
    c.upsertWorkOrder({ id: o.id, serviceId: o.serviceId, clientIds: [o.clientId], priority: o.priority, windows: [{ start: `${DAY}T${from}`, end: `${DAY}T${to}` }] });
  }
  return c;
}

/** Every booking holding time passes every rule where it stands. */
function assertAllPass(c) {
  for (const b of c.bookings({ status: ['confirmed'] })) {
    const r = c.checkReschedule(b.id, {});
    assert.ok(r.ok, `${b.id}: ${r.violations.map((v) => v.code)}`);
  }
}

test('sixty work orders are planned in the worker and booked all at once, each one as the rules allow', async () => {
  const c = sampleCompany();
  const { day, plan } = await planDay(c, { date: DAY }, { seconds: 1 });
  assert.equal(day.workOrders.length, 60);
  const placed = plan.routes.flatMap((r) => r.stops.filter((s) => s.kind === 'job'));
  assert.ok(placed.length >= 45, `${placed.length} placed`);
  for (const u of plan.unassigned) assert.ok(u.reasons.length > 0, `${u.job} left out without a reason`);
  const booked = c.commitDayPlan(day, plan);
  assert.equal(booked.length, placed.length);
  assertAllPass(c);
  const linked = c.workOrders().filter((o) => o.bookingId);
  assert.equal(linked.length, placed.length);
  // Committing the same plan again is stale: the schedule moved.
  const before = c.snapshot();
  assert.throws(() => c.commitDayPlan(day, plan), (e) => e.code === 'STALE_PLAN');
  assert.equal(c.snapshot(), before);
  // What is left is the work not yet booked.
  assert.equal(c.dayProblem({ date: DAY }).workOrders.length, 60 - placed.length);
});

test('one more job: the options among the booked day are each bookable as they stand', async () => {
  const c = sampleCompany();
  // Half the orders booked: the day has room between visits.
  for (const o of company.workOrders.slice(30)) c.removeWorkOrder(o.id);
  const { day, plan } = await planDay(c, { date: DAY }, { seconds: 0.5 });
  c.commitDayPlan(day, plan);
  c.upsertWorkOrder({ id: 'wo-urgent', serviceId: 'gas-check', clientIds: ['cl-3'], priority: 2, windows: [{ start: `${DAY}T08:00`, end: `${DAY}T17:00` }] });
  const now = c.dayProblem({ date: DAY });
  const t = performance.now();
  const found = await options(now.problem, { job: 'wo-urgent', count: 3 });
  assert.ok(found.length >= 1, 'somewhere fits');
  assert.ok(performance.now() - t < 2000);
  // Each option books as it is (checked on a copy of the state, restored from its snapshot).
  const snap = c.snapshot();
  for (const o of found) {
    const copy = Coordinator.restore(snap, { now: NOW });
    const [b] = copy.commitDayPlan(copy.dayProblem({ date: DAY }), { routes: [{ technician: o.technician, shift: o.shift, stops: [{ job: 'wo-urgent', start: o.start }] }] });
    assert.equal(b.providerId, o.technician);
    assertAllPass(copy);
  }
});

test('a technician who goes home sick is re-planned: the rest keep their visits where they can', async () => {
  const c = sampleCompany();
  const first = await planDay(c, { date: DAY }, { seconds: 0.5 });
  c.commitDayPlan(first.day, first.plan);
  const ana = c.providers().find((p) => p.id === 'ana');
  c.upsertProvider({ ...ana, timeOff: [{ start: `${DAY}T12:00`, end: `${DAY}T23:59`, reason: 'sick' }] });
  assert.ok(c.atRisk({}).length > 0, 'her afternoon is at risk');
  const { day, plan } = await planDay(c, { date: DAY, replan: true }, { seconds: 1 });
  assert.ok(day.plan.routes.length > 0);
  const changed = c.commitDayPlan(day, plan);
  // Visits it could not keep are unbooked, and their orders open again.
  for (const u of plan.unassigned) {
    const order = c.workOrders().find((o) => o.id === u.job);
    if (order.bookingId) assert.equal(c.booking(order.bookingId).status, 'cancelled');
  }
  assert.ok(changed.length > 0);
  // Nobody's visit is left at risk by the plan; the changed count is the solver's.
  const left = new Set(plan.unassigned.map((u) => u.job));
  const risky = c.atRisk({}).map((x) => x.bookingId);
  for (const id of risky) {
    const order = c.workOrders().find((o) => o.bookingId === id);
    assert.ok(order && left.has(order.id), `${id} is at risk though the plan placed it`);
  }
  assert.equal(typeof plan.changed, 'number');
});
