// The dispatch board of the console (view "dispatch"): one day's routes, a row per technician on
// a timeline (stops, driving between them, breaks), the work orders not yet placed with the
// solver's reasons, a schematic map of the routes, and the day's figures. "Plan the day" runs the
// route solver in its Worker; a job is dragged (or, by keyboard, chosen from its options) onto a
// technician with the score change shown before the drop; nothing is booked until "Book the
// plan", which the engine checks all or nothing. Every number comes from the solver or the
// engine: the board computes no travel and decides no feasibility.
import { el, solver } from './dom.js';


export class Board {
  constructor(view) {
    this.v = view;
    this.h = view.h;
    this.key = null; // the date and zone the data below is for
    this.day = null; // the engine's dayProblem
    this.base = null; // the day as booked (the solver's evaluation of it)
    this.plan = null; // what the board shows: the day as booked, or a preview
    this.loading = null;
    this.planning = null; // an AbortController while the solver runs
    this.drag = null;
  }

  /** Says `text` in the live region, and keeps it there across re-renders. */
  say(text) {
    this.note = text;
    this.h.announce(text);
  }

  /** The day's data is stale (a booking or the catalog changed, or the date moved). */
  reset() { this.key = null; }

  get preview() { return this.plan && this.plan !== this.base; }

  async load() {
    const h = this.h, e = h.element;
    const key = `${e.date}|${e.timeZone}`;
    this.loading = key;
    try {
      const day = h.c.dayProblem({ date: e.date, timeZone: e.timeZone, replan: true });
      const { evaluate } = await solver();
      const base = await evaluate(day.problem, day.plan ?? { routes: [] });
      if (this.loading !== key) return;
      Object.assign(this, { day, base, plan: base, key, loading: null });
    } catch (err) {
      this.loading = null;
      this.key = key;
      this.day = null;
      h.fail(err, 'dispatch');
    }
    h.schedule();
  }

  render() {
    const h = this.h, s = h.s, e = h.element;
    if (this.key !== `${e.date}|${e.timeZone}`) {
      if (this.loading !== `${e.date}|${e.timeZone}`) this.load();
      return el('p', { class: 'board-wait', role: 'status' }, s.boardLoading);
    }
    if (!this.day) return el('p', null, s.boardNothing);
    const jobs = new Map(this.day.problem.jobs.map((j) => [j.id, j]));
    const techs = this.day.problem.technicians;
    if (!techs.length) return el('p', null, s.boardNobody);
    return el('div', { class: 'board' }, this.actions(), this.figures(jobs), this.timeline(techs, jobs), this.unassigned(jobs), this.map(techs, jobs));
  }

  // ---- the parts ----

  actions() {
    const s = this.h.s;
    const plan = el('button', { type: 'button', class: 'primary', part: 'button' }, this.planning ? s.boardStop : s.boardPlan);
    plan.onclick = () => (this.planning ? this.planning.abort() : this.solve());
    const parts = [plan];
    if (this.preview) {
      const book = el('button', { type: 'button', class: 'primary', part: 'button' }, s.boardBook);
      book.onclick = () => this.commit();
      const discard = el('button', { type: 'button', part: 'button' }, s.boardDiscard);
      discard.onclick = () => { this.plan = this.base; this.say(s.boardDiscarded); this.h.schedule(); };
      parts.push(book, discard, el('span', { class: 'muted' }, s.boardPreview));
    }
    return el('div', { class: 'actions board-actions' }, ...parts);
  }

  figures(jobs) {
    const s = this.h.s, p = this.plan;
    const placed = p.routes.reduce((n, r) => n + r.stops.filter((x) => x.kind === 'job').length, 0);
    const orders = this.day.workOrders.length;
    let work = 0, duty = 0;
    for (const r of p.routes) {
      duty += r.duty;
      for (const x of r.stops) if (x.kind !== 'break') work += jobs.get(x.job)?.duration ?? 0;
    }
    const items = [
      [s.figPlaced, s.ofCount(placed, orders)],
      [s.figTravel, s.hoursMinutes(p.travel)],
      [s.figDistance, s.km(p.distance)],
      [s.figLate, s.hoursMinutes(p.routes.reduce((n, r) => n + r.lateness, 0))],
      [s.figOvertime, s.hoursMinutes(p.routes.reduce((n, r) => n + r.overtime, 0))],
      [s.figUtilisation, duty ? `${Math.round((work / duty) * 100)}%` : '—'],
    ];
    if (this.preview && p.changed !== undefined) items.push([s.figChanged, String(p.changed)]);
    return el('dl', { class: 'figures' }, ...items.flatMap(([k, v]) => [el('div', null, el('dt', null, k), el('dd', null, v))]));
  }

  /** The technicians as rows of a timeline from the day's first shift start to its last end. */
  timeline(techs, jobs) {
    const h = this.h, s = h.s, fmt = h.fmt, names = h.names();
    const shifts = techs.flatMap((t) => t.shifts.map((x) => x.time));
    const t0 = Math.floor(Math.min(...shifts.map((x) => x[0])) / 3600) * 3600;
    const t1 = Math.ceil(Math.max(...shifts.map((x) => x[1]), ...this.plan.routes.map((r) => r.end)) / 3600) * 3600;
    this.span = [t0, t1]; // what a drag maps the pointer with
    const at = (t) => `${(((t - t0) / (t1 - t0)) * 100).toFixed(3)}%`;
    const span = (a, b) => `inset-inline-start:${at(a)};width:${(((b - a) / (t1 - t0)) * 100).toFixed(3)}%`;
    const hours = el('div', { class: 'hours', 'aria-hidden': 'true' });
    for (let t = t0; t < t1; t += 3600) hours.append(el('span', { style: `inset-inline-start:${at(t)}` }, fmt.time(t * 1000)));
    const rows = el('ol', { class: 'rows', 'aria-label': s.boardRoutes });
    // Bookings not done on site are breaks to the solver (spent where the technician is); the
    // board names them from the engine's bookings.
    const offSite = h.c.bookings({ from: this.day.from, to: this.day.to, status: ['tentative', 'confirmed', 'checked_in'], history: false }).filter((b) => !b.location);
    techs.forEach((t, ti) => {
      const routes = this.plan.routes.filter((r) => r.technician === t.id);
      const track = el('div', { class: 'track', 'data-tech': t.id, style: `--c:var(--sc-c${ti % 6})` });
      for (const sh of t.shifts) track.append(el('div', { class: 'shiftband', style: span(sh.time[0], sh.time[1]) }));
      const list = el('ol', { class: 'stops', 'aria-label': s.stopsOf(names.get(t.id) ?? t.id) });
      let n = 0;
      for (const r of routes) {
        let from = r.start;
        for (const x of r.stops) {
          const job = jobs.get(x.job);
          const dur = job?.duration ?? breakLength(t, r.shift, x);
          if (x.arrival > from) track.append(el('div', { class: 'drive', style: span(from, x.arrival), title: s.driving(fmt.time(from * 1000), fmt.time(x.arrival * 1000)) }));
          from = x.start + dur;
          if (x.kind === 'break') { track.append(el('div', { class: 'break', style: span(x.start, x.start + dur), 'aria-hidden': 'true' })); continue; }
          n += 1;
          const label = this.stopLabel(n, x, job, dur);
          const b = el('button', { type: 'button', class: `stop ${x.kind}`, style: span(x.start, x.start + dur), 'data-job': x.job, 'aria-label': label, title: label, part: 'booking' }, String(n));
          if (x.kind === 'job') this.draggable(b, x.job);
          list.append(el('li', null, b));
        }
        if (r.end > from) track.append(el('div', { class: 'drive', style: span(from, r.end), title: s.drivingHome(fmt.time(r.end * 1000)) }));
      }
      for (const b of offSite.filter((x) => x.providerId === t.id)) {
        const [a, z] = [Date.parse(b.start) / 1000, Date.parse(b.end) / 1000];
        const label = s.offSite(this.describe(`booking:${b.id}`), fmt.time(a * 1000), fmt.time(z * 1000));
        list.append(el('li', null, el('span', { class: 'stop offsite', style: span(a, z), role: 'img', 'aria-label': label, title: label }, '•')));
      }
      track.append(list);
      const route = routes[0];
      const who = el('div', { class: 'who' }, el('b', null, names.get(t.id) ?? t.id),
        el('span', { class: 'muted' }, route ? s.routeSummary(n, s.hoursMinutes(routes.reduce((a, r) => a + r.travel, 0))) : s.noStops));
      rows.append(el('li', { class: 'row' }, who, track));
    });
    return el('div', { class: 'scroll timeline', part: 'grid', role: 'region', tabindex: 0, 'aria-label': s.boardRoutes, style: `--hours:${(t1 - t0) / 3600}` }, el('div', { class: 'row head' }, el('div', { class: 'who' }), hours), rows);
  }

  stopLabel(n, x, job, dur) {
    const h = this.h, s = h.s, fmt = h.fmt, names = h.names();
    const what = this.describe(x.job, job);
    return s.stopLabel({ n, what, start: fmt.time(x.start * 1000), end: fmt.time((x.start + dur) * 1000), arrival: fmt.time(x.arrival * 1000), fixed: x.kind === 'fixed', names });
  }

  /** A job in words: its service and client (from the work order or the booking). */
  describe(id, job) {
    const h = this.h, names = h.names();
    // The work orders once per render, not a call into the engine per stop.
    if (this.ordersFor !== this.plan) this.orders = new Map(h.c.workOrders().map((o) => [o.id, o]));
    this.ordersFor = this.plan;
    const order = id.startsWith('booking:') ? null : this.orders.get(id);
    const booking = order ? null : id.startsWith('booking:') ? safe(() => h.c.booking(id.slice(8))) : null;
    const rec = order ?? booking;
    if (!rec) return id;
    const client = rec.clientIds?.map((c) => names.get(c) ?? c).join(', ');
    return `${names.get(rec.serviceId) ?? rec.serviceId}${client ? `, ${client}` : ''}`;
  }

  unassigned(jobs) {
    const h = this.h, s = h.s;
    const left = this.plan.unassigned;
    const list = el('ul', { class: 'left' });
    for (const u of left) {
      const b = el('button', { type: 'button', 'data-job': u.job, part: 'booking' },
        el('b', null, this.describe(u.job, jobs.get(u.job))), ' ',
        el('span', { class: 'muted' }, `${this.window(jobs.get(u.job))} · ${u.reasons.length ? s.reasonsWhy(u.reasons.map((r) => s.reason[r] ?? r).join('; ')) : s.notPlannedYet}`));
      this.draggable(b, u.job);
      list.append(el('li', null, b));
    }
    // Collapsible: on a phone, sixty orders would push the map a long way down.
    return el('details', { class: 'unplaced', open: true },
      el('summary', null, el('h3', null, s.notPlaced(left.length))), left.length ? list : el('p', { class: 'muted' }, s.allPlaced));
  }

  window(job) {
    const fmt = this.h.fmt;
    const w = job?.windows?.[0];
    return w ? `${fmt.time(w[0] * 1000)}–${fmt.time(w[1] * 1000)}` : '';
  }

  /** The routes on a schematic map: coordinates projected (no tiles), stops numbered. */
  map(techs, jobs) {
    const s = this.h.s, names = this.h.names();
    const pts = this.day.problem.travel.coordinates?.points ?? [];
    if (!pts.length) return null;
    const lat0 = pts.reduce((a, p) => a + p[0], 0) / pts.length;
    const k = Math.cos((lat0 * Math.PI) / 180);
    const xs = pts.map((p) => p[1] * k), ys = pts.map((p) => -p[0]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const W = 400, H = 300, pad = 14;
    const scale = Math.min((W - 2 * pad) / (x1 - x0 || 1), (H - 2 * pad) / (y1 - y0 || 1));
    const xy = (i) => [pad + (xs[i] - x0) * scale, pad + (ys[i] - y0) * scale];
    const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'map-t', class: 'map' });
    svg.append(svgEl('title', { id: 'map-t' }, s.mapTitle(this.plan.routes.length, this.plan.unassigned.length)));
    techs.forEach((t, ti) => {
      const color = `var(--sc-c${ti % 6})`;
      for (const r of this.plan.routes.filter((x) => x.technician === t.id)) {
        const places = [t.start, ...r.stops.filter((x) => x.kind !== 'break').map((x) => jobs.get(x.job)?.place), t.end].filter((p) => p !== undefined);
        svg.append(svgEl('polyline', { points: places.map((p) => xy(p).join(',')).join(' '), fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
        let n = 0;
        for (const x of r.stops) {
          if (x.kind === 'break') continue;
          n += 1;
          const [cx, cy] = xy(jobs.get(x.job).place);
          svg.append(svgEl('circle', { cx, cy, r: 7, fill: color, stroke: 'var(--sc-bg)' }), svgEl('text', { x: cx, y: cy + 3, 'text-anchor': 'middle', class: 'num' }, String(n)));
        }
      }
      if (t.start !== undefined) {
        const [hx, hy] = xy(t.start);
        svg.append(svgEl('rect', { x: hx - 5, y: hy - 5, width: 10, height: 10, fill: 'var(--sc-bg)', stroke: color, 'stroke-width': 2 }, svgEl('title', null, s.homeOf(names.get(t.id) ?? t.id))));
      }
    });
    for (const u of this.plan.unassigned) {
      const p = jobs.get(u.job)?.place;
      if (p === undefined) continue;
      const [cx, cy] = xy(p);
      svg.append(svgEl('circle', { cx, cy, r: 5, fill: 'none', stroke: 'var(--sc-muted)', 'stroke-dasharray': '2 2' }));
    }
    const key = el('ul', { class: 'key' }, ...techs.map((t, ti) => el('li', { style: `--c:var(--sc-c${ti % 6})` }, names.get(t.id) ?? t.id)));
    return el('figure', { class: 'mapbox' }, svg, el('figcaption', null, key));
  }

  // ---- planning, placing, booking ----

  async solve() {
    const h = this.h, s = h.s;
    const stop = new AbortController();
    this.planning = stop;
    h.schedule();
    try {
      const { solve } = await solver();
      const day = this.day;
      const plan = await solve(day.problem, {
        seconds: 3, plan: day.plan ?? undefined, signal: stop.signal,
        onProgress: (p) => this.say(s.planning(p.iterations, p.unassigned)),
      });
      if (this.day === day) { this.plan = plan; this.say(s.planned(plan.unassigned.length)); }
    } catch (err) {
      h.fail(err, 'dispatch');
    } finally {
      this.planning = null;
      h.schedule();
    }
  }

  commit() {
    const h = this.h, s = h.s;
    const day = this.day, plan = this.plan;
    h.write((c) => c.commitDayPlan(day, plan), (done) => {
      this.reset();
      h.say('ok', s.bookedPlan(done.length));
      h.schedule();
    }, (err) => {
      h.fail(err, 'dispatch');
      h.schedule();
    });
  }

  /** The shown plan as routes of job ids (every stop, fixed and breaks included), without `job`. */
  routesWithout(job) {
    return this.plan.routes.map((r) => ({ technician: r.technician, shift: r.shift, stops: r.stops.filter((x) => x.job !== job).map((x) => ({ job: x.job, start: x.start })) }));
  }

  /** Where `job` can go in the shown plan (taken out of its route first), best first. */
  async placesFor(job) {
    const { options } = await solver();
    const routes = this.routesWithout(job);
    return { routes, found: await options(this.day.problem, { job, plan: { routes }, count: 500 }) };
  }

  /** The shown plan with `job` at placement `p` (scheduled and scored by the solver). */
  async place(job, routes, p) {
    const { evaluate } = await solver();
    let r = routes.find((x) => x.technician === p.technician && x.shift === p.shift);
    if (!r) { r = { technician: p.technician, shift: p.shift, stops: [] }; routes.push(r); }
    r.stops.splice(p.position, 0, { job, start: p.start });
    this.plan = { ...(await evaluate(this.day.problem, { routes })), changed: undefined };
    this.say(this.h.s.placedAt(this.describe(job), this.h.names().get(p.technician) ?? p.technician, this.h.fmt.time(p.start * 1000)));
    this.h.schedule();
  }

  async unplace(job) {
    const { evaluate } = await solver();
    this.plan = await evaluate(this.day.problem, { routes: this.routesWithout(job) });
    this.h.schedule();
  }

  /** Pointer: drag onto a technician's row; the ghost shows the place the solver finds nearest
   * the pointer on that row and its score change, or that the row cannot take it. Keyboard:
   * Enter opens the options. */
  draggable(button, job) {
    button.onclick = () => this.choose(job, button);
    button.onpointerdown = (ev) => {
      if (ev.button !== 0) return;
      const start = { x: ev.clientX, y: ev.clientY };
      const places = this.placesFor(job);
      const move = (m) => {
        if (!this.drag && Math.hypot(m.clientX - start.x, m.clientY - start.y) < 6) return;
        m.preventDefault();
        this.drag ??= { job, places, ghost: el('div', { class: 'ghost', role: 'status' }) };
        this.hover(m.clientX, m.clientY);
      };
      const up = async (u) => {
        removeEventListener('pointermove', move);
        removeEventListener('pointerup', up);
        const d = this.drag;
        this.drag = null;
        d?.ghost.remove();
        if (!d) return;
        u.preventDefault();
        if (d.pick) await this.place(job, (await d.places).routes, d.pick);
        else this.say(this.h.s.dropNowhere);
      };
      addEventListener('pointermove', move);
      addEventListener('pointerup', up);
    };
  }

  async hover(x, y) {
    const d = this.drag;
    const track = this.h.root.elementsFromPoint?.(x, y)?.find((n) => n.classList?.contains('track'));
    if (!track) { d.pick = null; d.ghost.remove(); return; }
    const { found } = await d.places;
    if (this.drag !== d) return;
    const box = track.getBoundingClientRect();
    const [t0, t1] = this.span;
    // Time runs with the writing: from the right edge in a right-to-left element.
    const from = getComputedStyle(track).direction === 'rtl' ? box.right - x : x - box.left;
    const t = t0 + (from / box.width) * (t1 - t0);
    const mine = found.filter((p) => p.technician === track.dataset.tech);
    const s = this.h.s, fmt = this.h.fmt;
    const pick = mine.reduce((best, p) => (!best || Math.abs(p.start - t) < Math.abs(best.start - t) ? p : best), null);
    d.pick = pick;
    const dur = this.day.problem.jobs.find((j) => j.id === d.job)?.duration ?? 1800;
    const at = pick?.start ?? t;
    d.ghost.className = `ghost${pick ? '' : ' bad'}`;
    d.ghost.style.cssText = `inset-inline-start:${(((at - t0) / (t1 - t0)) * 100).toFixed(3)}%;width:${((dur / (t1 - t0)) * 100).toFixed(3)}%`;
    d.ghost.textContent = pick ? s.scoreChange(fmt.time(pick.start * 1000), pick.cost, Math.round(pick.travel / 60)) : s.cannotTake;
    if (d.ghost.parentNode !== track) track.append(d.ghost);
  }

  /** The keyboard's way: the job's best places across the technicians, each a button. */
  async choose(job, from) {
    const h = this.h, s = h.s, fmt = h.fmt, names = h.names();
    let got;
    try { got = await this.placesFor(job); } catch (err) { h.fail(err, 'dispatch'); return; }
    const dlg = h.root.querySelector('dialog');
    const best = got.found.slice(0, 8);
    const list = el('ol', { class: 'choices' });
    for (const p of best) {
      const b = el('button', { type: 'button', part: 'button' }, s.optionLabel(names.get(p.technician) ?? p.technician, fmt.time(p.start * 1000), p.cost, Math.round(p.travel / 60), p.moved.length));
      b.onclick = async () => { dlg.close(); await this.place(job, got.routes, p); };
      list.append(el('li', null, b));
    }
    const planned = this.plan.routes.some((r) => r.stops.some((x) => x.job === job));
    const out = planned ? el('button', { type: 'button', part: 'button' }, s.leaveOut) : null;
    if (out) out.onclick = async () => { dlg.close(); await this.unplace(job); };
    const close = el('button', { type: 'button', part: 'button' }, s.close);
    close.onclick = () => dlg.close();
    dlg.replaceChildren(el('h3', { id: 'dlg-title' }, s.placeTitle(this.describe(job))),
      best.length ? list : el('p', null, s.noPlaceFits), el('div', { class: 'actions' }, out, close));
    dlg.setAttribute('aria-labelledby', 'dlg-title');
    dlg.onclose = () => { if (from?.isConnected) from.focus(); else h.root.querySelector(`[data-job="${CSS.escape(job)}"]`)?.focus(); };
    if (!dlg.open) dlg.showModal();
    dlg.querySelector('button')?.focus();
  }
}

function breakLength(tech, shift, stop) {
  const n = Number(/break(\d+)$/.exec(stop.job)?.[1] ?? 0);
  return tech.shifts[shift]?.breaks?.[n - 1]?.duration ?? 0;
}

function safe(fn) { try { return fn(); } catch { return null; } }

function svgEl(tag, attrs, ...kids) {
  const n = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const k in attrs ?? {}) n.setAttribute(k, attrs[k]);
  for (const k of kids) n.append(k);
  return n;
}

export const BOARD_STYLE = `
.board{display:grid;gap:.6rem}.board-actions{align-items:center;margin:0}.muted{color:var(--sc-muted);font-size:.85rem}
.figures{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;margin:0}.figures div{display:flex;flex-direction:column}.figures dt{font-size:.75rem;color:var(--sc-muted)}.figures dd{margin:0;font-weight:600}
.timeline{max-height:none}.rows{list-style:none;margin:0;padding:0;min-width:46rem}
.timeline .row{display:grid;grid-template-columns:9rem 1fr;border-top:1px solid var(--sc-line);min-width:46rem}.timeline .head{border-top:0}
.who{position:sticky;inset-inline-start:0;z-index:2;background:var(--sc-bg);padding:.3rem .4rem;display:flex;flex-direction:column;font-size:.8rem;border-inline-end:1px solid var(--sc-line)}
.hours{position:relative;height:1.4rem;overflow:hidden}.hours span{position:absolute;font-size:.7rem;color:var(--sc-muted);padding-inline-start:3px;white-space:nowrap;border-inline-start:1px solid var(--sc-line)}
.track{position:relative;height:3rem;background:repeating-linear-gradient(90deg,transparent 0 calc(100% / var(--hours) - 1px),var(--sc-line) calc(100% / var(--hours) - 1px) calc(100% / var(--hours)))}
.track .stops{list-style:none;margin:0;padding:0}
.shiftband{position:absolute;top:0;bottom:0;background:color-mix(in srgb,var(--c) 7%,var(--sc-bg))}
.drive{position:absolute;top:46%;height:4px;background:repeating-linear-gradient(90deg,var(--c) 0 4px,transparent 4px 7px)}
.break{position:absolute;top:.6rem;bottom:.6rem;background:repeating-linear-gradient(135deg,var(--sc-off) 0 4px,var(--sc-line) 4px 6px);border-radius:3px}
.stop{position:absolute;top:.45rem;bottom:.45rem;min-width:1.3rem;padding:0 2px;font-size:.72rem;font-weight:700;text-align:center;border:0;border-inline-start:3px solid var(--c);border-radius:4px;
background:color-mix(in srgb,var(--c) 22%,var(--sc-bg));color:var(--sc-fg);overflow:hidden;touch-action:none}
.stop.offsite{display:flex;align-items:center;justify-content:center;background:var(--sc-off);border-inline-start-color:var(--sc-muted);color:var(--sc-muted)}
.stop.fixed{background:repeating-linear-gradient(135deg,color-mix(in srgb,var(--c) 22%,var(--sc-bg)) 0 5px,var(--sc-bg) 5px 8px)}
.ghost{position:absolute;top:.2rem;bottom:.2rem;z-index:5;border:2px dashed var(--sc-ok);border-radius:4px;background:color-mix(in srgb,var(--sc-ok) 18%,var(--sc-bg));
font-size:.7rem;white-space:nowrap;overflow:visible;padding:0 2px;pointer-events:none;color:var(--sc-fg)}.ghost.bad{border-color:var(--sc-bad);background:color-mix(in srgb,var(--sc-bad) 18%,var(--sc-bg))}
.unplaced summary{cursor:pointer}.unplaced h3{display:inline;font-size:.95rem;margin:.3rem 0}.left{list-style:none;margin:0;padding:0;display:grid;gap:.25rem;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr))}
.left button{width:100%;text-align:start;font-size:.8rem;border-inline-start:4px solid var(--sc-muted);touch-action:none}
.mapbox{margin:0;max-width:34rem}.map{width:100%;height:auto;border:1px solid var(--sc-line);border-radius:var(--sc-radius);background:var(--sc-off)}
.map .num{font-size:8px;font-weight:700;fill:#fff}.key{display:flex;flex-wrap:wrap;gap:.2rem .8rem;list-style:none;padding:0;margin:.3rem 0;font-size:.8rem}
.key li::before{content:"";display:inline-block;width:.8rem;height:.8rem;margin-inline-end:.3rem;background:var(--c);border-radius:2px;vertical-align:-.1rem}
.choices{padding-inline-start:1.2rem}.choices button{text-align:start}
`;
