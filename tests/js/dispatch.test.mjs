// The dispatch solver as a page or a Node server uses it: `solve` runs the wasm solver in a
// worker (a worker thread here), reports progress, stops on a signal, refuses a bad problem.
// Plans are checked against the problem by bench/solomon.mjs, apart from the solver.
import test from 'node:test';
import assert from 'node:assert/strict';
import { solve } from '../../pkg/dispatch.js';
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
