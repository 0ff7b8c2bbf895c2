// service-coordinator/dispatch: the route solver (README, "Dispatch").

/** Travel between places, which jobs and technicians name by index. */
export type Travel =
  /** Seconds and metres between places, row by row (`n x n` each). */
  | { matrix: { durations: number[][]; distances: number[][] } }
  /** `[latitude, longitude]` points: great-circle distance times `detour` (at least 1), driven at `speed` metres a second. */
  | { coordinates: { points: [number, number][]; detour: number; speed: number } }
  /** `[x, y]` points, Euclidean distance at one unit a unit of time (Solomon's benchmark). */
  | { euclidean: { points: [number, number][] } };

export interface Technician {
  id: string;
  /** Where the shift starts and ends (place indexes); left out: at the first or last job. */
  start?: number;
  end?: number;
  /** `[start, end]` in seconds. */
  shift: [number, number];
  /** One number per capacity dimension (parts, equipment, load); the jobs' `demand` has as many. */
  capacity?: number[];
  /** Skill name to level (1 and up). */
  skills?: Record<string, number>;
  /** At most this many seconds of driving in the shift. */
  maxTravel?: number;
}

export interface Job {
  id: string;
  place: number;
  /** Seconds on site. */
  duration: number;
  /** `[start, end]` spans in which the job may start; unrestricted if left out. */
  windows?: [number, number][];
  /** One number per capacity dimension; nothing is used if left out. */
  demand?: number[];
  /** Skill name to the minimum level. */
  skills?: Record<string, number>;
  /** Placed before lower ones when not every job fits (default 0). */
  priority?: number;
}

export interface Problem {
  travel: Travel;
  technicians: Technician[];
  jobs: Job[];
}

export type Reason = 'SKILL_MISSING' | 'CAPACITY' | 'OUTSIDE_SHIFT' | 'NO_WINDOW_FITS' | 'TRAVEL_LIMIT';

export interface Plan {
  routes: {
    technician: string;
    stops: { job: string; arrival: number; start: number }[];
    distance: number;
    /** When the technician is back at the end place (or done, without one). */
    end: number;
  }[];
  unassigned: { job: string; reasons: Reason[] }[];
  distance: number;
  vehicles: number;
  iterations: number;
  seconds: number;
}

export interface Progress {
  iterations: number;
  vehicles: number;
  distance: number;
  unassigned: number;
  seconds: number;
}

export interface SolveOptions {
  /** The time budget (default 1, at most 3600). */
  seconds?: number;
  seed?: number;
  /** Hears the best plan's figures about ten times a second. */
  onProgress?: (progress: Progress) => void;
  /** Aborting stops the search; the best plan so far is the answer. */
  signal?: AbortSignal;
}

/** Plans routes in a worker (Web Worker, or a worker thread in Node). */
export function solve(problem: Problem | string, options?: SolveOptions): Promise<Plan>;
