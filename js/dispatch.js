// service-coordinator/dispatch: the route solver, in a Worker of its own (its wasm module loads
// only when dispatch is used, and the page stays responsive while it searches).

/**
 * Solves a dispatch problem (see the README, "Dispatch") within `seconds`; resolves with the plan.
 * `onProgress` hears the best plan's figures about ten times a second (with the plan itself when
 * it changed, at most twice a second); aborting `signal` stops the search and resolves with the
 * best plan so far.
 * @param {object} problem
 * @param {{ seconds?: number, seed?: number, onProgress?: (p: object) => void, signal?: AbortSignal }} [options]
 */
export async function solve(problem, options = {}) {
  const { seconds = 1, seed = 1, onProgress, signal } = options;
  if (!(seconds > 0 && seconds <= 3600)) throw new RangeError('seconds must be above 0 and at most 3600');
  const url = new URL('./dispatch-worker.js', import.meta.url);
  const node = typeof process !== 'undefined' && process.versions?.node;
  const worker = node
    ? new (await import('node:worker_threads')).Worker(url)
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
          worker.postMessage({ type: 'solve', problem: typeof problem === 'string' ? problem : JSON.stringify(problem), seconds, seed });
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
