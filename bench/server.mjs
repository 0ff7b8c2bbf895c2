// The reference server under load: 200 clients booking at once, through one server process and
// then two on one PostgreSQL (side by side, in one run), on 127.0.0.1. Each client books random
// free-looking slots of 20 technicians over 20 days (4,000 slots) until 4,000 requests are made.
// Prints bookings per second and the latency of every booking request (p50, p99), after a warm-up.
import { database, startServer, call, createTenant, raceCompany, percentile } from '../tests/js/server-harness.mjs';

const CLIENTS = 200;
const REQUESTS = 4000;
const db = database('sc_bench');
const { snapshot, slots } = await raceCompany({ providers: 20, days: 20, clients: CLIENTS });

async function run(servers, { requests = REQUESTS, quiet = false } = {}) {
  const tenant = `bench-${process.pid}-${servers.length}-${Date.now().toString(36)}`;
  await createTenant(servers[0], tenant, snapshot);
  const latencies = [];
  let sent = 0; let booked = 0; let taken = 0; let other = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async (_, i) => {
    while (sent < requests) {
      sent++;
      const slot = slots[Math.floor(Math.random() * slots.length)];
      const t0 = performance.now();
      const answer = await call(servers[(i + sent) % servers.length], tenant, 'book',
        { serviceId: 'visit', providerId: slot.providerId, clientIds: [`c-${i}`], start: slot.start }, { token: null });
      latencies.push(performance.now() - t0);
      if (answer.status === 200) booked++;
      else if (answer.body.error?.code === 'OVERLAP') taken++;
      else other++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const line = `${servers.length} server${servers.length > 1 ? 's' : ' '}: ${booked} bookings in ${seconds.toFixed(1)} s = ${Math.round(booked / seconds)} bookings/s `
    + `(${Math.round(latencies.length / seconds)} requests/s); latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; `
    + `${taken} refused as taken${other ? `, ${other} other refusals` : ''}`;
  if (!quiet) console.log(`server: ${line}`);
  if (other) process.exitCode = 1;
  return booked / seconds;
}

// Each set of servers is warmed first (connections opened, code paged in) on a tenant of its own.
const one = await startServer({ db });
await run([one], { requests: 400, quiet: true });
const single = await run([one]);
const two = await startServer({ db });
await run([one, two], { requests: 400, quiet: true });
const double = await run([one, two]);
console.log(`server: two processes / one = ${(double / single).toFixed(2)}x bookings/s (writes to one tenant take turns on its row lock; tenants spread across processes)`);
await Promise.all([one.stop(), two.stop()]);
