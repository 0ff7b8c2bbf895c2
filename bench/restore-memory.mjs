// Restores one snapshot in a fresh process and prints the wasm memory it left (bench/engine.mjs).
import { readFileSync } from 'node:fs';
import { load, Coordinator, heapUsage } from '../pkg/index.js';

await load();
const text = readFileSync(process.argv[2], 'utf8');
const restored = Coordinator.restore(text, { now: '2026-11-23T12:00:00Z' });
console.log(JSON.stringify({ bookings: restored.bookings({ history: false }).length, ...heapUsage() }));
