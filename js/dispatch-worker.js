// The dispatch solver's Worker (a Web Worker in browsers, a worker thread in Node). It steps the
// wasm solver a few milliseconds at a time, reads the clock between steps, posts progress, and
// hands control back to its event loop so that a `stop` message is heard at once.
import init, { initSync, DispatchSolver } from './dispatch/dispatch.js';

// Node's built-in modules, out of a bundler's sight (a page's bundle must not try to pull them in).
const builtin = (name) => process.getBuiltinModule?.(`node:${name}`) ?? import(['node:', name].join(''));

const node = typeof process !== 'undefined' && process.versions?.node;
const port = node ? (await builtin('worker_threads')).parentPort : self;
const listen = (fn) => (node ? port.on('message', fn) : port.addEventListener('message', (e) => fn(e.data)));
const post = (m) => port.postMessage(m);
// A macrotask turn (MessageChannel is not clamped like setTimeout), so messages get through.
const yieldTurn = () => new Promise((resolve) => {
  const c = new MessageChannel();
  c.port1.onmessage = () => { c.port1.close(); resolve(); };
  c.port2.postMessage(0);
});

let stopped = false;
listen(async (m) => {
  if (m.type === 'stop') { stopped = true; return; }
  if (m.type !== 'solve') return;
  try {
    const wasm = new URL('./dispatch/dispatch_bg.wasm', import.meta.url);
    if (node) initSync({ module: (await builtin('fs')).readFileSync(wasm) });
    else await init({ module_or_path: wasm });
    const solver = m.plan ? DispatchSolver.replan(m.problem, m.plan, m.seed) : new DispatchSolver(m.problem, m.seed);
    const budget = m.seconds * 1000;
    const t0 = performance.now();
    let n = 16, last = -Infinity, shown = -Infinity, shownCost = NaN;
    for (;;) {
      const spent = (performance.now() - t0) / budget;
      if (spent >= 1 || stopped) break;
      // About 10 ms of work a step: the batch size follows the measured speed.
      const s = performance.now();
      solver.steps(spent, n);
      const took = performance.now() - s;
      n = Math.max(1, Math.min(10_000, Math.round(n * (took > 0 ? 10 / took : 2))));
      if (performance.now() - last > 100) {
        last = performance.now();
        const [iterations, vehicles, distance, unassigned, cost] = solver.progress();
        const progress = { iterations, vehicles, distance, unassigned, cost, seconds: (last - t0) / 1000 };
        // The plan itself when it changed, at most twice a second (it is the larger message).
        if (cost !== shownCost && last - shown > 500) {
          shown = last;
          shownCost = cost;
          progress.plan = JSON.parse(solver.plan());
        }
        post({ type: 'progress', progress });
      }
      await yieldTurn();
    }
    const [iterations] = solver.progress();
    post({ type: 'done', plan: solver.plan(), iterations, seconds: (performance.now() - t0) / 1000 });
    solver.free();
  } catch (e) {
    post({ type: 'error', message: String(e?.message ?? e) });
  }
});
post({ type: 'ready' });
