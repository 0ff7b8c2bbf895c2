// Prints the package's size as shipped, per build: gzip -9 of each .wasm and .js a page loads,
// as TOOLCHAIN.md asks. The booking page loads the booking build of the engine; the console the
// full one. Both share the JS glue, the API wrapper and the Intl shim; the booking page loads the
// element's booking flow (calendar/booking.js and what it imports), the console all of it.
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dir = new URL('../pkg/', import.meta.url).pathname;
const INTL = 'snippets/' + (await import('node:fs')).readdirSync(dir + 'snippets')[0] + '/js/intl.js';
const shared = ['engine.js', 'index.js', INTL];
/** A module and every module it imports statically (the element's chunks, as esbuild wrote them). */
function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(dir + file, 'utf8');
  for (const [, spec] of text.matchAll(/(?:from|import)\s*"(\.[^"]+)"/g)) {
    closure(new URL(spec, `file:///${file}`).pathname.slice(1), seen);
  }
  return seen;
}
const element = [...closure('calendar/booking.js')];
const whole = [...closure('calendar.js')];
export const builds = [
  { name: 'booking page', files: ['booking_bg.wasm', ...shared, ...element], target: 100 },
  { name: 'console', files: ['engine_bg.wasm', ...shared, ...whole], target: 150 },
];
const gz = (f) => gzipSync(readFileSync(dir + f), { level: 9 }).length;
for (const f of ['engine_bg.wasm', 'booking_bg.wasm', ...shared, ...new Set([...element, ...whole])]) {
  console.log(`  ${f.padEnd(58)} ${String(statSync(dir + f).size).padStart(8)} B  ${String(gz(f)).padStart(7)} B gzip`);
}
for (const b of builds) {
  b.kb = b.files.reduce((sum, f) => sum + gz(f), 0) / 1024;
  console.log(`${b.name} build: ${b.kb.toFixed(1)} KB gzip (target at most ${b.target} KB: ${b.kb <= b.target ? 'within' : 'OVER'})`);
}
// The dispatch solver: its own module, loaded only when dispatch is used (no budget of its own:
// it is built for speed, and its size is printed beside the others).
const solver = ['dispatch.js', 'dispatch-worker.js', 'dispatch/dispatch.js', 'dispatch/dispatch_bg.wasm'];
const solverKb = solver.reduce((sum, f) => sum + gz(f), 0) / 1024;
console.log(`dispatch solver (its own module, built for speed): ${solverKb.toFixed(1)} KB gzip`);

