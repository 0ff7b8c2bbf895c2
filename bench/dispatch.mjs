// The dispatch solver on all 56 Solomon VRPTW instances, in wasm under Node (its Worker, one
// thread), at 1 s and 5 s an instance, beside vrp-core 1.25 from crates.io natively at the same
// budgets on one thread (bench/peer-vrp-core). Every plan of ours is checked here against the
// instance, apart from the solver. Gaps are to the best-known hierarchical results
// (../shared/data/solomon/best_known.csv): fewest vehicles, then distance.
// `node bench/dispatch.mjs [SECONDS,...] [INSTANCE-PREFIX...]`
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { solve } from '../pkg/dispatch.js';
import { SOLOMON as data, instance, check } from './solomon.mjs';

const [budgetArg, ...only] = process.argv.slice(2);
const budgets = (budgetArg ?? '1,5').split(',').map(Number);
const known = readFileSync(data + 'best_known.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
  .map((f) => ({ name: f[0], family: f[1], vehicles: Number(f[7]), distance: Number(f[8]) }))
  .filter((k) => only.length === 0 || only.some((p) => k.name.startsWith(p)));

const peer = new URL('./peer-vrp-core/target/release/peer-vrp-core', import.meta.url).pathname;
function peerRun(seconds) {
  if (!existsSync(peer)) return null;
  const out = execFileSync(peer, [String(seconds), '1', ...known.map((k) => `${data}${k.name}.txt`)], { maxBuffer: 1 << 20 }).toString();
  const rows = new Map();
  for (const line of out.split('\n')) {
    const [name, vehicles, distance, left] = line.trim().split(/\s+/);
    if (left !== undefined && known.some((k) => k.name === name)) rows.set(name, { vehicles: Number(vehicles), distance: Number(distance), left: Number(left) });
  }
  return rows;
}

const pct = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`;
for (const seconds of budgets) {
  const ours = new Map();
  let feasible = 0;
  for (const k of known) {
    const problem = instance(k.name);
    const plan = await solve(problem, { seconds, seed: 1 });
    const checked = check(problem, plan);
    const ok = typeof checked === 'number' && Math.abs(checked - plan.distance) < 1e-6 && plan.unassigned.length === 0;
    if (ok) feasible++;
    else console.log(`  ${k.name}: NOT FEASIBLE: ${checked}`);
    ours.set(k.name, { vehicles: plan.vehicles, distance: plan.distance, iterations: plan.iterations });
  }
  const theirs = peerRun(seconds);
  console.log(`\n${seconds} s an instance, one thread: ours in wasm (Node worker), vrp-core 1.25 natively`);
  console.log(`${'family'.padEnd(8)} ${'ours gap'.padStart(9)} ${'vehicles +'.padStart(11)} ${'vrp-core gap'.padStart(13)} ${'vehicles +'.padStart(11)}`);
  const families = [...new Set(known.map((k) => k.family)), 'all'];
  for (const f of families) {
    const ks = known.filter((k) => f === 'all' || k.family === f);
    const gap = (m) => ks.reduce((s, k) => s + (m.get(k.name).distance / k.distance - 1) * 100, 0) / ks.length;
    const extra = (m) => ks.reduce((s, k) => s + Math.max(0, m.get(k.name).vehicles - k.vehicles), 0);
    const row = `${f.padEnd(8)} ${pct(gap(ours)).padStart(9)} ${String(extra(ours)).padStart(11)}`;
    console.log(theirs ? `${row} ${pct(gap(theirs)).padStart(13)} ${String(extra(theirs)).padStart(11)}` : `${row}  (vrp-core not built)`);
  }
  const worst = Math.max(...known.map((k) => ours.get(k.name).vehicles - k.vehicles));
  for (const k of known.filter((k) => ours.get(k.name).vehicles - k.vehicles > 1)) {
    const o = ours.get(k.name);
    console.log(`  ${k.name}: ${o.vehicles} vehicles, best-known ${k.vehicles} (${o.iterations} iterations)`);
  }
  const its = [...ours.values()].reduce((s, o) => s + o.iterations, 0) / known.length;
  console.log(`feasible by the checker: ${feasible} of ${known.length}; most vehicles over best-known on one instance: ${worst} (target at most 1); mean iterations ${Math.round(its)}`);
  console.log(`targets: mean gap at most ${seconds >= 5 ? 2 : 4}% -> ${gap0(ours) <= (seconds >= 5 ? 2 : 4) ? 'within' : 'OVER'}`);
  function gap0(m) { return known.reduce((s, k) => s + (m.get(k.name).distance / k.distance - 1) * 100, 0) / known.length; }
}
