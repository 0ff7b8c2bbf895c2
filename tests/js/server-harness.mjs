// Starting the reference server for tests and the benchmark: a local PostgreSQL (scripts/
// postgres.sh), server processes on 127.0.0.1, a company to race for, and calls by fetch.
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load, Coordinator } from '../../pkg/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const BINARY = `${root}target/server/service-coordinator-server`;
export const TOKEN = 'console-token-for-tests';

/** The address of database `name` on the local PostgreSQL (started, and installed, if need be). */
export function database(name) {
  return execFileSync(`${root}scripts/postgres.sh`, [name], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();
}

/** Starts a server process; resolves once it listens. `port` 0: any free port. */
export function startServer({ db, port = 0, env = {} }) {
  const child = spawn(BINARY, [], {
    env: { ...process.env, SC_DATABASE_URL: db, SC_CONSOLE_TOKEN: TOKEN, SC_LISTEN: `127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (d) => { errors += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the server did not start: ${errors}`)); }, 20000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}): ${errors}`)); });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.:]+)/);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const url = m[1];
      resolve({ url, port: Number(url.split(':').pop()), child,
        kill: () => new Promise((done) => { child.once('exit', done); child.kill('SIGKILL'); }),
        stop: () => new Promise((done) => { if (child.exitCode !== null) return done(); child.once('exit', done); child.kill('SIGINT'); }) });
    });
  });
}

/** Calls `method` on `tenant`; `{ status, body }` (the engine's answer), or throws on a network failure. */
export async function call(server, tenant, method, args, { token = TOKEN, timeout = 10000 } = {}) {
  const res = await fetch(`${server.url}/api/${tenant}/${method}`, {
    method: 'POST', body: JSON.stringify(args ?? null), signal: AbortSignal.timeout(timeout),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, body: await res.json() };
}

export async function createTenant(server, tenant, snapshot) {
  const res = await fetch(`${server.url}/api/${tenant}`, { method: 'PUT', body: snapshot, headers: { authorization: `Bearer ${TOKEN}` } });
  if (res.status !== 201) throw new Error(`creating ${tenant}: ${res.status} ${await res.text()}`);
}

const addDays = (date, n) => new Date(Date.parse(`${date}T12:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);

/**
 * A company to race for: `providers` technicians working 08:00-18:00 UTC on weekdays, a one-hour
 * visit, `clients` clients; and its slots (`days` weekdays from the Monday after next, ten a
 * day per technician). Returns { snapshot, slots: [{ providerId, start }] }.
 */
export async function raceCompany({ providers = 1, days = 5, clients = 200 } = {}) {
  await load();
  const c = new Coordinator({ timeZone: 'UTC' });
  const hours = [{ start: '08:00', end: '18:00' }];
  const ids = Array.from({ length: providers }, (_, i) => `tech-${i + 1}`);
  for (const id of ids) {
    c.upsertProvider({ id, name: `Technician ${id}`, timeZone: 'UTC', skills: ['hvac'],
      weeklyHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours } });
  }
  c.upsertService({ id: 'visit', name: 'Service visit', durationMinutes: 60, requiredSkills: ['hvac'] });
  for (let i = 0; i < clients; i++) c.upsertClient({ id: `c-${i}`, name: `Client ${i}` });
  let monday = addDays(new Date().toISOString().slice(0, 10), 8);
  while (new Date(`${monday}T12:00:00Z`).getUTCDay() !== 1) monday = addDays(monday, 1);
  const slots = [];
  for (let d = 0, day = monday; slots.length < days * 10 * providers; day = addDays(day, 1)) {
    if ([0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) continue;
    for (const providerId of ids) {
      for (let h = 8; h < 18; h++) slots.push({ providerId, start: `${day}T${String(h).padStart(2, '0')}:00:00Z` });
    }
    d++;
  }
  return { snapshot: c.snapshot(), slots, from: monday, to: addDays(monday, Math.ceil(days / 5) * 7) };
}

/** The p-th percentile (0-100) of sorted numbers. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
