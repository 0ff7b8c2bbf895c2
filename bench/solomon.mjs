// Solomon VRPTW instances as dispatch problems, and a checker of plans written apart from the
// solver: shared by the benchmark (bench/dispatch.mjs) and the Node tests (tests/js/dispatch.test.mjs).
import { readFileSync } from 'node:fs';

export const SOLOMON = new URL('../../shared/data/solomon/', import.meta.url).pathname;

/** Instance `name` as a problem: Euclidean travel, one capacity, one window a job, and the
 * benchmark's objective (fewest technicians, then distance). */
export function instance(name) {
  const text = readFileSync(`${SOLOMON}${name}.txt`, 'utf8');
  const lines = text.split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const rows = lines.filter((r) => r.length === 7 && r.every(Number.isFinite));
  const [count, capacity] = lines.find((r) => r.length === 2 && r.every(Number.isFinite));
  const [depot, ...customers] = rows;
  return {
    objective: 'hierarchical',
    travel: { euclidean: { points: rows.map((r) => [r[1], r[2]]) } },
    technicians: Array.from({ length: count }, (_, i) => ({ id: `v${i + 1}`, start: 0, end: 0, shift: [depot[4], depot[5]], capacity: [capacity] })),
    jobs: customers.map((r, i) => ({ id: String(r[0]), place: i + 1, duration: r[6], windows: [[r[4], r[5]]], demand: [r[3]] })),
  };
}

/**
 * The distance the plan drives, if every job is served at most once, each stop starts in its
 * window at the time the plan says, and every route is within capacity and its shift; else
 * what is wrong (a string). Jobs left out are the plan's to list.
 */
export function check(problem, plan) {
  const p = problem.travel.euclidean.points;
  const dist = (a, b) => Math.hypot(p[a][0] - p[b][0], p[a][1] - p[b][1]);
  const jobs = new Map(problem.jobs.map((j) => [j.id, j]));
  const seen = new Set();
  let total = 0;
  for (const r of plan.routes) {
    const t = problem.technicians.find((x) => x.id === r.technician);
    if (!t) return `no technician ${r.technician}`;
    let at = t.start, clock = t.shift[0], load = 0;
    for (const s of r.stops) {
      const j = jobs.get(s.job);
      if (!j || seen.has(s.job)) return `job ${s.job} twice or unknown`;
      seen.add(s.job);
      total += dist(at, j.place);
      clock = Math.max(clock + dist(at, j.place), j.windows[0][0]);
      if (clock > j.windows[0][1] + 1e-9) return `job ${s.job} starts after its window`;
      if (Math.abs(s.start - clock) > 1e-6) return `job ${s.job}: the plan says ${s.start}, the checker ${clock}`;
      clock += j.duration; load += j.demand[0]; at = j.place;
    }
    total += dist(at, t.end);
    if (clock + dist(at, t.end) > t.shift[1] + 1e-9) return `${r.technician} is back after the shift`;
    if (load > t.capacity[0]) return `${r.technician} carries more than its capacity`;
  }
  if (seen.size + plan.unassigned.length !== problem.jobs.length) return 'jobs neither served nor listed as left out';
  return total;
}
