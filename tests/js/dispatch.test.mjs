// The dispatch solver as a page or a Node server uses it: `solve` runs the wasm solver in a
// worker (a worker thread here), reports progress, stops on a signal, refuses a bad problem.
// Plans are checked against the problem by bench/solomon.mjs, apart from the solver.
import test from 'node:test';
import assert from 'node:assert/strict';
import { solve, options } from '../../pkg/dispatch.js';
import { instance as solomon, check } from '../../bench/solomon.mjs';

/** The checker (apart from the solver): the distance driven, or it fails the test with why. */
function checked(problem, plan) {
  const d = check(problem, plan);
  assert.equal(typeof d, 'number', d);
  return d;
}

test('a day of 100 jobs is planned in a worker within its second, every stop on time', async () => {
  const problem = solomon('C101');
  const heard = [];
  const plan = await solve(problem, { seconds: 1, seed: 3, onProgress: (p) => heard.push(p) });
  assert.equal(plan.unassigned.length, 0);
  assert.ok(Math.abs(checked(problem, plan) - plan.distance) < 1e-6);
  assert.ok(plan.distance < 828.94 * 1.02, `distance ${plan.distance}`); // best known 828.94
  assert.ok(heard.length >= 3 && heard.every((p) => p.vehicles > 0), 'progress about ten times a second');
  // The best plan so far comes with the progress when it changed, and is a whole plan.
  const plans = heard.filter((p) => p.plan);
  assert.ok(plans.length >= 1 && plans.length <= 3, `${plans.length} plans`);
  for (const p of plans) assert.equal(typeof checked(problem, p.plan), 'number');
  assert.ok(plan.seconds < 1.5);
});

test('stopping returns the best plan so far, at once', async () => {
  const problem = solomon('R201');
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 200);
  const t = performance.now();
  const plan = await solve(problem, { seconds: 30, signal: stop.signal });
  assert.ok(performance.now() - t < 3000, 'stopped well before its 30 seconds');
  assert.equal(plan.unassigned.length, 0);
  checked(problem, plan);
});

test('a problem with a mistake is refused with what is wrong', async () => {
  const problem = solomon('C101');
  problem.jobs[0].durationMinutes = 5;
  await assert.rejects(solve(problem, { seconds: 0.2 }), /unknown field `durationMinutes`/);
  await assert.rejects(solve({ ...solomon('C101'), jobs: [{ id: 'x', place: 999, duration: 1 }] }, { seconds: 0.2 }), /job x: no such place 999/);
});

test('a job nobody can do is left out with its reason, and the rest are planned', async () => {
  const problem = solomon('C101');
  problem.jobs[0].skills = { gas: 2 };
  problem.technicians[0].skills = { gas: 1 };
  const plan = await solve(problem, { seconds: 0.3 });
  assert.deepEqual(plan.unassigned, [{ job: problem.jobs[0].id, reasons: ['SKILL_MISSING'] }]);
  assert.equal(plan.routes.reduce((n, r) => n + r.stops.length, 0), problem.jobs.length - 1);
});

test('a technician\'s day through the worker: lunch, an existing booking, a dependency, costs that add up', async () => {
  const H = 3600;
  const problem = {
    travel: { matrix: {
      durations: [[0, 900, 1200, 600], [900, 0, 600, 900], [1200, 600, 0, 1200], [600, 900, 1200, 0]],
      distances: [[0, 9000, 12000, 6000], [9000, 0, 6000, 9000], [12000, 6000, 0, 12000], [6000, 9000, 12000, 0]] } },
    technicians: [
      { id: 'ana', start: 0, end: 0, shift: [8 * H, 17 * H], breaks: [{ window: [12 * H, 13 * H], duration: 1800 }], costPerHour: 40, costPerKm: 0.3 },
      { id: 'ben', start: 3, end: 3, shifts: [{ time: [8 * H, 12 * H] }, { time: [13 * H, 18 * H] }], costPerHour: 35 },
    ],
    jobs: [
      { id: 'booked', place: 1, duration: H, technician: 'ana', at: 9 * H, fixed: true },
      { id: 'delivery', place: 2, duration: H },
      { id: 'install', place: 2, duration: 2 * H, after: ['delivery'], preferred: [14 * H, 16 * H] },
      { id: 'survey', place: 3, duration: H, deadline: 11 * H },
    ],
  };
  const plan = await solve(problem, { seconds: 0.3, seed: 2 });
  assert.deepEqual(plan.unassigned, []);
  const stops = plan.routes.flatMap((r) => r.stops.map((s) => ({ ...s, technician: r.technician })));
  const at = (id) => stops.find((s) => s.job === id);
  assert.equal(at('booked').start, 9 * H);
  assert.equal(at('booked').kind, 'fixed');
  assert.ok(at('install').start >= at('delivery').start + H, 'the install after the delivery');
  assert.ok(at('survey').start + H <= 11 * H, 'the survey within its SLA');
  assert.ok(at('ana#1.break1').start >= 12 * H && at('ana#1.break1').start <= 13 * H);
  for (const r of plan.routes) {
    const c = r.costs;
    const sum = c.travel + c.distance + c.duty + c.lateness + c.overtime + c.balance + c.preferred;
    assert.ok(Math.abs(sum - c.total) < 1e-6);
    for (const s of r.stops) assert.ok(s.wait >= 0 && s.slack >= -1e-9 && s.start >= s.arrival);
  }
  assert.ok(Math.abs(plan.cost - plan.routes.reduce((n, r) => n + r.costs.total, 0)) < 1e-6);
});

test('where can one more job go: options on this thread, best first, each with what it moves', async () => {
  const problem = solomon('C101');
  const plan = await solve(problem, { seconds: 0.3, seed: 1 });
  // A new customer near the depot, any time in the first half of the day.
  problem.travel.euclidean.points.push([42, 52]);
  problem.jobs.push({ id: 'new', place: problem.travel.euclidean.points.length - 1, duration: 10, windows: [[0, 600]], demand: [1] });
  const found = await options(problem, { job: 'new', plan, count: 3 });
  assert.equal(found.length, 3);
  assert.ok(found[0].cost <= found[1].cost && found[1].cost <= found[2].cost);
  for (const o of found) {
    assert.ok(plan.routes.some((r) => r.technician === o.technician));
    assert.ok(o.start >= o.arrival && o.start <= 600 && o.distance >= -1e-9);
    assert.ok(Array.isArray(o.moved) && o.moved.every((m) => m.to >= m.from));
  }
  await assert.rejects(options(problem, { job: 'missing', plan }), /no job missing/);
  await assert.rejects(options(problem, { job: 'new', plan, count: 0 }), /count/);
});

test('a re-plan after a technician goes home keeps the other visits and counts what changed', async () => {
  // The weighted objective weighs changes; Solomon's clock is in minutes, so 15 of them.
  const problem = { ...solomon('R101'), objective: 'weighted', weights: { changeTolerance: 15 } };
  const plan = await solve(problem, { seconds: 0.5, seed: 1 });
  const gone = plan.routes[0].technician;
  const sick = { ...problem, technicians: problem.technicians.filter((t) => t.id !== gone) };
  const replanned = await solve(sick, { seconds: 0.5, seed: 1, plan });
  checked(sick, replanned);
  const theirs = plan.routes[0].stops.length;
  assert.ok(replanned.changed >= theirs - replanned.unassigned.length, `${replanned.changed} changed`);
  // Counted here apart from the solver: visits with another technician, moved by more than 15
  // minutes, or left out.
  const changedFrom = (after) => {
    const at = new Map(after.routes.flatMap((r) => r.stops.map((s) => [s.job, [r.technician, s.start]])));
    return plan.routes.flatMap((r) => r.stops.map((s) => [r.technician, s]))
      .filter(([t, s]) => { const a = at.get(s.job); return !a || a[0] !== t || Math.abs(a[1] - s.start) > 15; }).length;
  };
  assert.equal(replanned.changed, changedFrom(replanned));
  const scratch = await solve(sick, { seconds: 0.5, seed: 1 });
  assert.ok(2 * replanned.changed < changedFrom(scratch), `${replanned.changed} against ${changedFrom(scratch)} from scratch`);
});
