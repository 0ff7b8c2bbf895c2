// Prints the package's size as shipped: gzip -9 of the .wasm and the JS, as TOOLCHAIN.md asks.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dir = new URL('../pkg/', import.meta.url).pathname;
const files = [];
(function walk(d) {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(wasm|js)$/.test(f)) files.push(p);
  }
})(dir);
let total = 0;
for (const f of files) {
  const gz = gzipSync(readFileSync(f), { level: 9 }).length;
  total += gz;
  console.log(`  ${f.slice(dir.length).padEnd(50)} ${String(statSync(f).size).padStart(8)} B  ${String(gz).padStart(7)} B gzip`);
}
export const gzipTotal = total;
console.log(`pkg size: ${(total / 1024).toFixed(1)} KB gzip (targets: at most 80 KB with the calendar; 60 KB for the engine alone)`);
