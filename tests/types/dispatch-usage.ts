// Real use of service-coordinator/dispatch compiles; each @ts-expect-error marks a use the
// declarations must refuse.
import { solve, options, type Placement, type Plan, type Problem } from '../../pkg/dispatch.js';

const problem: Problem = {
  travel: { coordinates: { points: [[40.71, -74.0], [40.73, -73.99]], detour: 1.3, speed: 11 } },
  technicians: [
    { id: 'ana', start: 0, end: 0, shift: [28800, 61200], capacity: [4], skills: { gas: 2 }, maxTravel: 7200,
      breaks: [{ window: [43200, 46800], duration: 1800 }], overtime: 1800, costPerHour: 40 },
    { id: 'ben', shifts: [{ time: [28800, 43200], start: 1 }, { time: [61200, 75600], end: 0 }], costPerKm: 0.4 },
  ],
  jobs: [
    { id: 'furnace', place: 1, duration: 5400, windows: [[32400, 43200]], demand: [1], skills: { gas: 1 }, priority: 2, deadline: 50400 },
    { id: 'check', place: 0, duration: 1800, preferred: [54000, 57600], preferredTechnician: 'ben', after: ['furnace'], sameTechnicianAs: ['furnace'] },
    { id: 'booked', place: 1, duration: 3600, technician: 'ana', at: 36000, fixed: true },
  ],
  objective: 'weighted',
  weights: { travel: 30, balance: 0 },
};

export async function plan(): Promise<string[]> {
  const p: Plan = await solve(problem, { seconds: 1, seed: 7, onProgress: (x) => console.log(x.distance), signal: new AbortController().signal });
  const reasons: string[] = p.unassigned.flatMap((u) => u.reasons);
  const breaks = p.routes.flatMap((r) => r.stops.filter((s) => s.kind === 'break').map((s) => `${r.technician}/${r.shift}@${s.start}+${s.slack}`));
  return [...p.routes.map((r) => `${r.technician}:${r.costs.total}`), ...reasons, ...breaks];
}

export async function replanAndPlace(before: Plan): Promise<string[]> {
  const after: Plan = await solve(problem, { seconds: 1, plan: before });
  const found: Placement[] = await options(problem, { job: 'check', plan: after, count: 3 });
  return [`${after.changed}`, ...found.map((o) => `${o.technician}@${o.start}:${o.cost}:${o.moved.length}`)];
}

// @ts-expect-error: options names the job
options(problem, { count: 3 });
// @ts-expect-error: a job needs a duration
const noDuration: Problem = { ...problem, jobs: [{ id: 'x', place: 0 }] };
// @ts-expect-error: travel is one of matrix, coordinates or euclidean
const badTravel: Problem = { ...problem, travel: { points: [] } };
// @ts-expect-error: one shift or several, not both
const bothShifts: Problem = { ...problem, technicians: [{ id: 'x', shift: [0, 1], shifts: [{ time: [0, 1] }] }] };
// @ts-expect-error: the objective is weighted or hierarchical
const badObjective: Problem = { ...problem, objective: 'fastest' };
// @ts-expect-error: seconds is a number
solve(problem, { seconds: '5' });
export { noDuration, badTravel, bothShifts, badObjective };

// The day's dispatch through a coordinator: work orders, the problem, a plan, its commit.
import { Coordinator, type DayProblem, type WorkOrder, type Booking } from '../../pkg/index.js';
import { planDay, evaluate } from '../../pkg/dispatch.js';

export async function planTuesday(c: Coordinator): Promise<string[]> {
  const order: WorkOrder = { serviceId: 'boiler', clientIds: ['dana'], windows: [{ start: '2026-11-24T08:00', end: '2026-11-24T12:00' }], priority: 1 };
  c.upsertWorkOrder(order);
  c.setTravel({ speedKmh: 30 });
  const { day, plan } = await planDay(c, { date: '2026-11-24', replan: true }, { seconds: 1 });
  const shown = await evaluate(day.problem, day.plan ?? { routes: [] });
  const booked: Booking[] = c.commitDayPlan(day, plan);
  const d: DayProblem = c.dayProblem({ date: '2026-11-24' });
  return [...booked.map((b) => b.location?.address ?? b.id), ...d.skipped.map((s) => s.code), ...d.blocked.flatMap((b) => b.bookingIds), `${shown.travel}`];
}

// @ts-expect-error: a work order needs its windows
const noWindows: WorkOrder = { serviceId: 'boiler' };
// @ts-expect-error: the day is a date string
declare const c2: Coordinator; c2.dayProblem({ date: 20261124 });
export { noWindows };
