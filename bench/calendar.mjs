// The calendar in real headless Chromium, side by side with FullCalendar in the same run: a week
// of 30 technicians with 1,000 bookings. Prints medians and ratios; not a timed test.
//   ours:         <service-calendar view="resource-week">, render (engine queries + DOM + layout)
//                 and the update after one booking moves (engine reschedule + re-layout)
//   FullCalendar: core + daygrid + timegrid + interaction from npm, timeGridWeek with the same
//                 1,000 events (no resources: that view is behind its paid licence), render and
//                 the update after one event moves (event.setDates)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const fc = ['core', 'daygrid', 'timegrid', 'interaction'].map((p) => `${root}node_modules/@fullcalendar/${p}/index.global.min.js`);
const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
/** A module of pkg/ and every module it imports statically (the element's chunks). */
const closure = (file, seen = new Set()) => {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, spec] of readFileSync(`${root}pkg/${file}`, 'utf8').matchAll(/(?:from|import)\s*"(\.[^"]+)"/g)) {
    closure(new URL(spec, `file:///${file}`).pathname.slice(1), seen);
  }
  return seen;
};
// The console's build: the full engine, its glue, the API, the Intl shim, and the element whole.
const ours = ['engine_bg.wasm', 'engine.js', 'index.js',
  `snippets/${readFileSync(`${root}pkg/engine.js`, 'utf8').match(/snippets\/([^/]+)\//)[1]}/js/intl.js`,
  ...closure('calendar.js')].map((f) => `${root}pkg/${f}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
// Files come straight from disk under a made-up origin: no server in the measurement.
await page.route('http://bench.local/**', (route) => {
  const path = new URL(route.request().url()).pathname;
  const type = path.endsWith('.wasm') ? 'application/wasm' : path.endsWith('.html') ? 'text/html' : 'text/javascript';
  route.fulfill({ body: path === '/' ? '<!doctype html><html lang="en"><body></body></html>' : readFileSync(root + path.slice(1)), contentType: type });
});
await page.goto('http://bench.local/');
for (const f of fc) await page.addScriptTag({ path: f });

const figures = await page.evaluate(async () => {
  const { load, Coordinator } = await import('/pkg/index.js');
  await import('/pkg/calendar.js');
  await load();
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const NOW = '2026-11-23T12:00:00Z';
  const days = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];
  const hours = [{ start: '07:00', end: '19:00' }];
  const c = new Coordinator({ now: NOW, timeZone: 'America/New_York' });
  for (let p = 0; p < 30; p++) {
    c.upsertProvider({ id: `t${p}`, name: `Technician ${p}`, timeZone: 'America/New_York', weeklyHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours } });
  }
  c.upsertService({ id: 'job', name: 'Service call', durationMinutes: 60 });
  const events = [];
  for (let i = 0; i < 1000; i++) {
    const b = c.book({ serviceId: 'job', providerId: `t${i % 30}`, start: `${days[Math.floor(i / 30) % 7]}T${String(7 + 2 * Math.floor(i / 210)).padStart(2, '0')}:30` });
    events.push({ id: b.id, title: 'Service call', start: b.start, end: b.end, resourceId: b.providerId });
  }
  // The engine's share of each render: every Coordinator call the element makes, timed.
  const engine = {};
  for (const k of ['providers', 'services', 'clients', 'bookings', 'atRisk', 'freeBusy']) {
    const f = c[k].bind(c);
    c[k] = (...a) => { const t = performance.now(); try { return f(...a); } finally { engine[k] = (engine[k] ?? 0) + performance.now() - t; } };
  }
  const box = document.createElement('div');
  box.style.cssText = 'width:1500px;height:900px';
  document.body.append(box);

  // Ours: a fresh element each round; render() is synchronous, offsetHeight forces layout.
  const renders = [];
  let cal;
  for (let r = 0; r < 9; r++) {
    box.replaceChildren();
    cal = document.createElement('service-calendar');
    cal.setAttribute('view', 'resource-week');
    cal.setAttribute('date', '2026-11-23');
    cal.setAttribute('locale', 'en-GB');
    box.append(cal);
    const t = performance.now();
    cal.coordinator = c;
    cal.render();
    void box.offsetHeight;
    renders.push(performance.now() - t);
  }
  const parts = Object.fromEntries(Object.entries(engine).map(([k, v]) => [k, +(v / renders.length).toFixed(2)]));
  const drawn = cal.shadowRoot.querySelectorAll('.ev').length;
  const updates = [];
  const moved = c.bookings({ providerId: 't0' }).slice(0, 20);
  for (const b of moved) {
    const t = performance.now();
    c.reschedule(b.id, { start: new Date(Date.parse(b.start) + 3600e3).toISOString() });
    void box.offsetHeight;
    updates.push(performance.now() - t);
  }

  // FullCalendar: the same 1,000 events in its week view.
  const fcRenders = [];
  let fc;
  for (let r = 0; r < 9; r++) {
    fc?.destroy();
    box.replaceChildren();
    const t = performance.now();
    fc = new FullCalendar.Calendar(box, { initialView: 'timeGridWeek', initialDate: '2026-11-23', firstDay: 1, timeZone: 'UTC', editable: true, events, height: 900 });
    fc.render();
    void box.offsetHeight;
    fcRenders.push(performance.now() - t);
  }
  const fcUpdates = [];
  for (const e of events.slice(0, 20)) {
    const ev = fc.getEventById(e.id);
    const t = performance.now();
    ev.setDates(new Date(Date.parse(e.start) + 3600e3), new Date(Date.parse(e.end) + 3600e3));
    void box.offsetHeight;
    fcUpdates.push(performance.now() - t);
  }
  const fcDrawn = box.querySelectorAll('.fc-event').length;
  return { parts, render: median(renders), update: median(updates), drawn, fcRender: median(fcRenders), fcUpdate: median(fcUpdates), fcDrawn };
});
await browser.close();
console.log('engine calls per render (ms, mean of the rounds):', JSON.stringify(figures.parts));

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const oursSize = ours.reduce((a, f) => a + gz(f), 0);
const fcSize = fc.reduce((a, f) => a + gz(f), 0);
const line = (what, a, target, b) => console.log(`${what.padEnd(44)} ours ${a.toFixed(1).padStart(6)} ms (target <= ${target} ms, ${a <= target ? 'within' : 'OVER'})   FullCalendar ${b.toFixed(1).padStart(6)} ms   ratio ${(b / a).toFixed(1)}x`);
console.log(`a week, 30 technicians, 1,000 bookings (ours drew ${figures.drawn} booking boxes, FullCalendar ${figures.fcDrawn} events)`);
line('render (engine queries, DOM, layout)', figures.render, 50, figures.fcRender);
line('update after one booking moves', figures.update, 16, figures.fcUpdate);
console.log(`${'package, gzip -9'.padEnd(44)} ours ${kb(oursSize)} (the console build: engine, widget, glue; target <= 150 KB, ${oursSize <= 150 * 1024 ? 'within' : 'OVER'})   FullCalendar ${kb(fcSize)} (four packages, no rules)`);
for (const f of ours) console.log(`  ${f.slice(root.length).padEnd(60)} ${kb(gz(f))}`);
