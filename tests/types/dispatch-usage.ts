// Real use of service-coordinator/dispatch compiles; each @ts-expect-error marks a use the
// declarations must refuse.
import { solve, type Plan, type Problem } from '../../pkg/dispatch.js';

const problem: Problem = {
  travel: { coordinates: { points: [[40.71, -74.0], [40.73, -73.99]], detour: 1.3, speed: 11 } },
  technicians: [{ id: 'ana', start: 0, end: 0, shift: [28800, 61200], capacity: [4], skills: { gas: 2 }, maxTravel: 7200 }],
  jobs: [{ id: 'furnace', place: 1, duration: 5400, windows: [[32400, 43200]], demand: [1], skills: { gas: 1 }, priority: 2 }],
};

export async function plan(): Promise<string[]> {
  const p: Plan = await solve(problem, { seconds: 1, seed: 7, onProgress: (x) => console.log(x.distance), signal: new AbortController().signal });
  const reasons: string[] = p.unassigned.flatMap((u) => u.reasons);
  return [...p.routes.map((r) => r.technician), ...reasons];
}

// @ts-expect-error: a job needs a duration
const noDuration: Problem = { ...problem, jobs: [{ id: 'x', place: 0 }] };
// @ts-expect-error: travel is one of matrix, coordinates or euclidean
const badTravel: Problem = { ...problem, travel: { points: [] } };
// @ts-expect-error: seconds is a number
solve(problem, { seconds: '5' });
export { noDuration, badTravel };
