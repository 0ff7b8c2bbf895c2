// service-coordinator/dispatch: the route solver, in a Worker of its own (its wasm module loads
// only when dispatch is used, and the page stays responsive while it searches).

// Node's built-in modules, out of a bundler's sight (a page's bundle must not try to pull them in).
const builtin = (name) => process.getBuiltinModule?.(`node:${name}`) ?? import(['node:', name].join(''));

/**
 * Solves a dispatch problem (see the README, "Dispatch") within `seconds`; resolves with the plan.
 * `onProgress` hears the best plan's figures about ten times a second (with the plan itself when
 * it changed, at most twice a second); aborting `signal` stops the search and resolves with the
 * best plan so far.
 * @param {object} problem
 * With `plan` (one `solve` returned, for the day before it changed), it is a re-plan: it starts
 * from that plan as far as it still holds and keeps what it can (`changed` counts the rest).
 * @param {{ seconds?: number, seed?: number, onProgress?: (p: object) => void, signal?: AbortSignal, plan?: object }} [options]
 */
export async function solve(problem, options = {}) {
  const { seconds = 1, seed = 1, onProgress, signal, plan } = options;
  if (!(seconds > 0 && seconds <= 3600)) throw new RangeError('seconds must be above 0 and at most 3600');
  const url = new URL('./dispatch-worker.js', import.meta.url);
  const node = typeof process !== 'undefined' && process.versions?.node;
  const worker = node
    ? new (await builtin('worker_threads')).Worker(url)
    : new Worker(url, { type: 'module' });
  const on = (fn) => (node ? worker.on('message', fn) : worker.addEventListener('message', (e) => fn(e.data)));
  try {
    return await new Promise((resolve, reject) => {
      const stop = () => worker.postMessage({ type: 'stop' });
      if (signal?.aborted) stop();
      signal?.addEventListener('abort', stop, { once: true });
      if (node) worker.on('error', reject);
      else worker.addEventListener('error', (e) => reject(new Error(e.message)));
      on((m) => {
        if (m.type === 'ready') {
          worker.postMessage({ type: 'solve', problem: text(problem), plan: plan === undefined ? undefined : text(plan), seconds, seed });
        } else if (m.type === 'progress') {
          onProgress?.(m.progress);
        } else if (m.type === 'done') {
          resolve({ ...JSON.parse(m.plan), iterations: m.iterations, seconds: m.seconds });
        } else if (m.type === 'error') {
          reject(new Error(m.message));
        }
      });
    });
  } finally {
    worker.terminate();
  }
}

const text = (x) => (typeof x === 'string' ? x : JSON.stringify(x));

/**
 * Plans a day of `coordinator` (a `Coordinator` of service-coordinator): its `dayProblem(query)`
 * solved in the Worker (with `query.replan`, starting from the routes as they stand). Resolves
 * with `{ day, plan }`; nothing is booked until `coordinator.commitDayPlan(day, plan)`.
 * @param {{ dayProblem(query: object): { problem: object, plan: object | null } }} coordinator
 * @param {object} query
 * @param {{ seconds?: number, seed?: number, onProgress?: (p: object) => void, signal?: AbortSignal }} [options]
 */
export async function planDay(coordinator, query, options = {}) {
  const day = coordinator.dayProblem(query);
  const plan = await solve(day.problem, { ...options, plan: day.plan ?? undefined });
  return { day, plan };
}

let module;
/** The solver's module on this thread, for calls too quick to need a Worker. */
async function solverHere() {
  if (!module) {
    const m = await import('./dispatch/dispatch.js');
    const wasm = new URL('./dispatch/dispatch_bg.wasm', import.meta.url);
    const node = typeof process !== 'undefined' && process.versions?.node;
    if (node) m.initSync({ module: (await builtin('fs')).readFileSync(wasm) });
    else await m.default({ module_or_path: wasm });
    module = m;
  }
  return module;
}

/**
 * "Where can this go?": the best `count` (default 5) places for job `job` of `problem` in
 * `plan` (without one: among the fixed stops and breaks alone), best first, each with its
 * technician, shift, position, arrival, start, cost, travel and distance added, and the stops it
 * would move. Runs on the calling thread (milliseconds; the module loads on the first call).
 * @param {object | string} problem
 * @param {{ job: string, plan?: object | string, count?: number }} options
 */
export async function options(problem, { job, plan, count = 5 }) {
  if (!(Number.isInteger(count) && count >= 1 && count <= 1000)) throw new RangeError('count must be a whole number from 1 to 1000');
  const m = await solverHere();
  return JSON.parse(m.placements(text(problem), plan === undefined ? '' : text(plan), job, count));
}

/**
 * A plan as it stands, without searching: `plan`'s routes in their order (fixed stops and breaks
 * where they fall in time), scheduled and scored as `solve` would report them, with the jobs left
 * out and why. Throws with the route that breaks a hard rule. On the calling thread.
 * @param {object | string} problem
 * @param {object | string} plan
 */
export async function evaluate(problem, plan) {
  const m = await solverHere();
  return JSON.parse(m.evaluate(text(problem), text(plan)));
}
