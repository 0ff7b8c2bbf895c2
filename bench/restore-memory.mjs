// Restores one snapshot in a fresh process and prints the wasm memory it left (bench/engine.mjs):
// measured right after the restore, before any other call (listing 100,000 bookings would build
// a 40 MB answer in wasm memory and count that instead).
import { readFileSync } from 'node:fs';
import { load, Coordinator, heapUsage } from '../pkg/index.js';

await load();
const text = readFileSync(process.argv[2], 'utf8');
const restored = Coordinator.restore(text, { now: '2026-11-23T12:00:00Z' });
const usage = heapUsage();
console.log(JSON.stringify({ bookings: restored.bookings({ history: false }).length, ...usage }));
