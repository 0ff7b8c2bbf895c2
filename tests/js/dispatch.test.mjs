// The dispatch solver as a page or a Node server uses it: `solve` runs the wasm solver in a
// worker (a worker thread here), reports progress, stops on a signal, refuses a bad problem.
// Plans are checked here against the problem, apart from the solver.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { solve } from '../../pkg/dispatch.js';

/** A Solomon instance as a dispatch problem (Euclidean travel, one capacity, one window a job). */
function solomon(name) {
  const text = readFileSync(new URL(`../../../shared/data/solomon/${name}.txt`, import.meta.url), 'utf8');
  const rows = text.split('\n').map((l) => l.trim().split(/\s+/).map(Number)).filter((r) => r.length === 7 && r.every(Number.isFinite));
  const [count, capacity] = text.split('\n').map((l) => l.trim().split(/\s+/).map(Number)).find((r) => r.length === 2 && r.every(Number.isFinite));
  const [depot, ...customers] = rows;
  return {
    travel: { euclidean: { points: rows.map((r) => [r[1], r[2]]) } },
    technicians: Array.from({ length: count }, (_, i) => ({ id: `v${i + 1}`, start: 0, end: 0, shift: [depot[4], depot[5]], capacity: [capacity] })),
    jobs: customers.map((r, i) => ({ id: String(r[0]), place: i + 1, duration: r[6], windows: [[r[4], r[5]]], demand: [r[3]] })),
  };
}

/** Every job once, on time, within capacity and the shift; returns the distance driven. */
function check(problem, plan) {
  const points = problem.travel.euclidean.points;
  const dist = (a, b) => Math.hypot(points[a][0] - points[b][0], points[a][1] - points[b][1]);
  const jobs = new Map(problem.jobs.map((j) => [j.id, j]));
  const served = new Set();
  let total = 0;
  for (const r of plan.routes) {
    const tech = problem.technicians.find((t) => t.id === r.technician);
    let at = tech.start, clock = tech.shift[0], load = 0;
    for (const stop of r.stops) {
      const j = jobs.get(stop.job);
      assert.ok(j && !served.has(j.id), `job ${stop.job} served once`);
      served.add(j.id);
      total += dist(at, j.place);
      clock = Math.max(clock + dist(at, j.place), j.windows[0][0]);
      assert.ok(clock <= j.windows[0][1] + 1e-9, `job ${j.id} starts in its window`);
      assert.ok(Math.abs(stop.start - clock) < 1e-6, `job ${j.id}: the plan's start is the checker's`);
      clock += j.duration;
      load += j.demand[0];
      at = j.place;
    }
    total += dist(at, tech.end);
    assert.ok(clock + dist(at, tech.end) <= tech.shift[1] + 1e-9, `${r.technician} back before the shift ends`);
    assert.ok(load <= tech.capacity[0], `${r.technician} within capacity`);
  }
  assert.equal(served.size + plan.unassigned.length, problem.jobs.length);
  return total;
}

test('a day of 100 jobs is planned in a worker within its second, every stop on time', async () => {
  const problem = solomon('C101');
  const heard = [];
  const plan = await solve(problem, { seconds: 1, seed: 3, onProgress: (p) => heard.push(p) });
  assert.equal(plan.unassigned.length, 0);
  assert.ok(Math.abs(check(problem, plan) - plan.distance) < 1e-6);
  assert.ok(plan.distance < 828.94 * 1.02, `distance ${plan.distance}`); // best known 828.94
  assert.ok(heard.length >= 3 && heard.every((p) => p.vehicles > 0), 'progress about ten times a second');
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
  check(problem, plan);
});

test('a problem with a mistake is refused with what is wrong', async () => {
  const problem = solomon('C101');
  problem.jobs[0].durationMinutes = 5;
  await assert.rejects(solve(problem, { seconds: 0.2 }), /unknown field `durationMinutes`/);
  await assert.rejects(solve({ ...solomon('C101'), jobs: [{ id: 'x', place: 999, duration: 1 }] }, { seconds: 0.2 }), /no such place 999/);
});

test('a job nobody can do is left out with its reason, and the rest are planned', async () => {
  const problem = solomon('C101');
  problem.jobs[0].skills = { gas: 2 };
  problem.technicians[0].skills = { gas: 1 };
  const plan = await solve(problem, { seconds: 0.3 });
  assert.deepEqual(plan.unassigned, [{ job: problem.jobs[0].id, reasons: ['SKILL_MISSING'] }]);
  assert.equal(plan.routes.reduce((n, r) => n + r.stops.length, 0), problem.jobs.length - 1);
});
