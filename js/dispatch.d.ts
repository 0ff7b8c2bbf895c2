// service-coordinator/dispatch: the route solver (README, "Dispatch").

/** Travel between places, which jobs and technicians name by index. */
export type Travel =
  /** Seconds and metres between places, row by row (`n x n` each). */
  | { matrix: { durations: number[][]; distances: number[][] } }
  /** `[latitude, longitude]` points: great-circle distance times `detour` (at least 1), driven at `speed` metres a second or `speedKmh` (one of the two); each time rounded up to a multiple of `roundUp` seconds if given (the coordinator's problems use 60, as its travel rule does). */
  | { coordinates: { points: [number, number][]; detour: number; roundUp?: number } & ({ speed: number } | { speedKmh: number }) }
  /** `[x, y]` points, Euclidean distance at one unit a unit of time (Solomon's benchmark). */
  | { euclidean: { points: [number, number][] } };

/** A break of `duration` seconds starting inside `window`, wherever the technician is. */
export interface Break {
  window: [number, number];
  duration: number;
}

export interface Shift {
  /** `[start, end]` in seconds. */
  time: [number, number];
  /** Where it starts and ends (place indexes); the technician's `start` and `end` otherwise. */
  start?: number;
  end?: number;
  breaks?: Break[];
  /** Seconds it may run past its end (weighed by `weights.overtime`). */
  overtime?: number;
}

interface TechnicianBase {
  id: string;
  /** Where shifts start and end (place indexes); left out: at the first or last job. */
  start?: number;
  end?: number;
  /** One number per capacity dimension (parts, equipment, load); the jobs' `demand` has as many. */
  capacity?: number[];
  /** Skill name to level (1 and up). */
  skills?: Record<string, number>;
  /** At most this many seconds of driving in a shift. */
  maxTravel?: number;
  /** What an hour on duty and a kilometre driven cost (weighted objective). */
  costPerHour?: number;
  costPerKm?: number;
}

/** One shift (`shift`, with its `breaks` and `overtime`), or several (`shifts`). */
export type Technician = TechnicianBase &
  (
    | { shift: [number, number]; breaks?: Break[]; overtime?: number; shifts?: never }
    | { shifts: Shift[]; shift?: never; breaks?: never; overtime?: never }
  );

export interface Job {
  id: string;
  place: number;
  /** Seconds on site. */
  duration: number;
  /** `[start, end]` spans in which the job may start; unrestricted if left out. */
  windows?: [number, number][];
  /** When the client would like it to start: soft, starting before or after it is weighed. */
  preferred?: [number, number];
  /** An SLA: it must be finished by then (hard). */
  deadline?: number;
  /** One number per capacity dimension; nothing is used if left out. */
  demand?: number[];
  /** Skill name to the minimum level. */
  skills?: Record<string, number>;
  /** Placed before lower ones when not every job fits (default 0). */
  priority?: number;
  /** Only this technician does it. */
  technician?: string;
  /** It starts at exactly this time (inside its windows, if it has them). */
  at?: number;
  /** Another technician may do it, at `weights.preferred`. */
  preferredTechnician?: string;
  /** It starts once these jobs (ids) have finished, and only if they are done. */
  after?: string[];
  /** The technician who does these jobs does it too, and only if they are done. */
  sameTechnicianAs?: string[];
  /** An existing booking its technician's route keeps, at `at` (needs `technician` and `at`). */
  fixed?: boolean;
}

/** The weighted objective's weights (README, "Dispatch"); each left out keeps its default. */
export interface Weights {
  /** Per hour driving (default 30). */
  travel?: number;
  /** Per hour a stop starts outside its preferred window, early or late (default 60). */
  lateness?: number;
  /** Per hour past a shift's end (default 90). */
  overtime?: number;
  /** Per job left out, times 1 + its priority (default 10000). */
  unassigned?: number;
  /** Per (hour on duty) squared, per technician (default 2). */
  balance?: number;
  /** Per job not with its preferred technician (default 50). */
  preferred?: number;
  /** In a re-plan, per visit that changes technician or moves more than `changeTolerance` (default 200). */
  changed?: number;
  /** Seconds a visit may move in a re-plan and count as kept (default 900). */
  changeTolerance?: number;
}

export interface Problem {
  travel: Travel;
  technicians: Technician[];
  jobs: Job[];
  /** `weighted` (default): the weighed costs; `hierarchical`: fewest technicians, then distance. */
  objective?: 'weighted' | 'hierarchical';
  weights?: Weights;
}

export type Reason = 'SKILL_MISSING' | 'CAPACITY' | 'OUTSIDE_SHIFT' | 'NO_WINDOW_FITS' | 'TRAVEL_LIMIT' | 'DEPENDENCY';

export interface Stop {
  /** The job's id; a break's is `technician#shift.breakN`. */
  job: string;
  kind: 'job' | 'fixed' | 'break';
  arrival: number;
  start: number;
  /** Seconds waiting before the start. */
  wait: number;
  /** How much later the start could be without breaking a later stop or the shift. */
  slack: number;
}

export interface Route {
  technician: string;
  /** Which of the technician's shifts (from 0). */
  shift: number;
  stops: Stop[];
  distance: number;
  /** Seconds driving. */
  travel: number;
  /** Leaving for the first stop, and back at the end place (or done, without one). */
  start: number;
  end: number;
  duty: number;
  lateness: number;
  overtime: number;
  /** The weighted objective's terms for this route, and their sum. */
  costs: { travel: number; distance: number; duty: number; lateness: number; overtime: number; balance: number; preferred: number; changed: number; total: number };
}

export interface Plan {
  routes: Route[];
  unassigned: { job: string; reasons: Reason[] }[];
  /** The objective's cost: the weighted sum, or (hierarchical) the distance. */
  cost: number;
  distance: number;
  travel: number;
  vehicles: number;
  /** In a re-plan: visits of the given plan that changed technician or time, or were left out. */
  changed: number;
  iterations: number;
  seconds: number;
}

export interface Progress {
  iterations: number;
  vehicles: number;
  distance: number;
  unassigned: number;
  cost: number;
  seconds: number;
  /** The best plan so far, when it changed (at most about twice a second). */
  plan?: Omit<Plan, 'iterations' | 'seconds'>;
}

export interface SolveOptions {
  /** The time budget (default 1, at most 3600). */
  seconds?: number;
  seed?: number;
  /** Hears the best plan's figures about ten times a second, and the plan when it changed. */
  onProgress?: (progress: Progress) => void;
  /** Aborting stops the search; the best plan so far is the answer. */
  signal?: AbortSignal;
  /** A re-plan: the plan `solve` gave before the day changed (or the routes as they stand); kept as far as it holds. */
  plan?: Plan | GivenPlan | string;
}

/** Routes as a re-plan reads them: each technician's (and shift's) stops, by job id and start. */
export interface GivenPlan {
  routes: { technician: string; shift?: number; stops: { job: string; start: number }[] }[];
}

/** Plans routes in a worker (Web Worker, or a worker thread in Node). */
export function solve(problem: Problem | string, options?: SolveOptions): Promise<Plan>;

/** One place a job could take in a plan. */
export interface Placement {
  technician: string;
  shift: number;
  /** The job goes after this many stops of the route. */
  position: number;
  arrival: number;
  start: number;
  /** What the objective's cost gains with the job there; driving seconds and metres added. */
  cost: number;
  travel: number;
  distance: number;
  /** The stops whose planned start moves. */
  moved: { job: string; from: number; to: number }[];
}

/** The best places for one job in a plan, best first (on the calling thread). */
export function options(problem: Problem | string, options: { job: string; plan?: Plan | string; count?: number }): Promise<Placement[]>;

/** Plans a day of a coordinator: its `dayProblem(query)` solved in the Worker (with `query.replan`, from the routes as they stand). Nothing is booked until `coordinator.commitDayPlan(day, plan)`. */
export function planDay<D extends { problem: Problem; plan: GivenPlan | null }>(
  coordinator: { dayProblem(query: import('./index.js').DayQuery): D },
  query: import('./index.js').DayQuery,
  options?: Omit<SolveOptions, 'plan'>,
): Promise<{ day: D; plan: Plan }>;

/** A plan as it stands, without searching: its routes scheduled and scored, the jobs left out and why. Throws with a route that breaks a hard rule. */
export function evaluate(problem: Problem | string, plan: Plan | GivenPlan | string): Promise<Omit<Plan, 'iterations' | 'seconds'>>;
