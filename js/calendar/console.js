// The coordinator's console of <service-calendar>: month, agenda, and the time grids (week, day,
// technicians by day or week; timegrid.js), with moving by pointer and keyboard (move.js) and the
// dialogs (dialogs.js). Importing this file registers the console with the element.
import { DAY, dayIn, dayOfIso, isoOfDay, segmentsOf } from './zone.js';
import { el, LIVE } from './dom.js';
import { registerView, defineServiceCalendar } from './element.js';
import { dateKeys } from './booking.js';
import { timeGrid, fill, layoutColumn, placeCell } from './timegrid.js';
import { details, equipment, planRepairFor } from './dialogs.js';
import { CONSOLE_STYLE } from './console-style.js';
import { Board, BOARD_STYLE } from './board.js';
import { Reports, REPORTS_STYLE } from './reports.js';

export class ConsoleView {
  constructor(host) {
    this.h = host;
    host.css = [...host.css, CONSOLE_STYLE, BOARD_STYLE, REPORTS_STYLE];
    this.board = new Board(this); // the dispatch board (view "dispatch")
    this.reports = new Reports(this); // the reports (view "reports")
    this.drawn = null; // what the time grid shows now: columns, days, hours, and each booking's element
    this.active = null; // the keyboard grid's active cell, kept across renders of one view
    this.moving = null; // a booking being moved (pointer or keyboard)
    this.dragged = false;
    this.dialogReturn = null;
  }

  reset() { this.drawn = null; this.board.reset(); this.reports.reset(); }

  render() {
    const h = this.h, s = h.s, e = h.element;
    const v = e.view;
    const pick = el('select', { 'aria-label': s.view, part: 'view' });
    for (const value of ['week', 'day', 'resource-day', 'resource-week', 'month', 'agenda', 'dispatch', 'reports']) pick.append(el('option', { value, selected: value === v }, s.views[value]));
    pick.onchange = () => { e.view = pick.value; };
    const bar = h.toolbar([el('label', null, s.view, pick)]);
    const live = el('div', { class: 'live sr', 'aria-live': 'polite', role: 'status' });
    const msg = el('div', { class: 'msg', role: 'alert' });
    const body = v === 'month' ? this.month() : v === 'agenda' ? this.agenda() : v === 'dispatch' ? this.board.render() : v === 'reports' ? this.reports.render() : timeGrid(this);
    const focused = h.root.activeElement && h.root.querySelector('.grid')?.contains(h.root.activeElement);
    h.show(bar, live, body, msg, el('dialog', { part: 'dialog' }));
    h.showMsg();
    live.textContent = v === 'dispatch' && this.board.note ? this.board.note : `${h.title()}, ${e.timeZone}`;
    if (this.drawn && body.contains(this.drawn.body)) { placeCell(this, !focused); fill(this); }
    if (focused) h.root.querySelector('.grid [tabindex="0"]')?.focus();
  }

  /** The bookings on screen (the chosen providers' only) and which of them are at risk. */
  visibleBookings(from, to) {
    const h = this.h, e = h.element;
    const filter = { from: isoOfDay(from), to: isoOfDay(to), timeZone: e.timeZone };
    const only = new Set(e.providers);
    let list = h.c.bookings({ ...filter, history: false });
    if (only.size) list = list.filter((b) => only.has(b.providerId));
    const risk = new Map(h.c.atRisk(filter).map((r) => [r.bookingId, r.violations]));
    return { list: sessions(list, risk), risk };
  }

  /** A booking read out in full; `seg` (a time-grid segment) supplies the day and times already known. */
  label(b, names, risk, seg) {
    const h = this.h, fmt = h.fmt, s = h.s;
    let day, start, end;
    if (seg?.first && seg.last) {
      day = fmt.longDay(seg.day);
      [start, end] = [fmt.clock(seg.a), fmt.clock(seg.z % 1440)];
    } else {
      day = fmt.longDay(dayIn(h.zone, Date.parse(b.start)));
      [start, end] = [fmt.time(Date.parse(b.start)), fmt.time(Date.parse(b.end))];
    }
    const service = names.get(b.serviceId) ?? b.serviceId;
    return s.bookingLabel({
      service: b.seats ? `${service} (${s.seatsOf(b.seats.taken, b.seats.of)})` : service, clients: b.clientIds.map((id) => names.get(id) ?? id).join(', '),
      day, start, end, provider: names.get(b.providerId) ?? b.providerId, status: s.status[b.status] ?? b.status,
      risks: risk?.length ? h.explainAll(risk) : '',
      equipment: b.resources?.length ? equipment(b, names) : '',
    });
  }

  month() {
    const h = this.h, fmt = h.fmt, s = h.s, e = h.element;
    const [from, to] = h.range();
    const { list, risk } = this.visibleBookings(from, to);
    const names = h.names();
    const byDay = new Map();
    for (const b of list) {
      const d = dayIn(e.timeZone, Date.parse(b.start));
      if (!byDay.has(d)) byDay.set(d, []);
      byDay.get(d).push(b);
    }
    const anchor = dayOfIso(e.date);
    const grid = el('div', { role: 'grid', class: 'month grid', 'aria-labelledby': 'title', part: 'grid' });
    const head = el('div', { role: 'row' });
    for (let i = 0; i < 7; i++) head.append(el('div', { role: 'columnheader' }, fmt.memo('wdShort', from + i)));
    grid.append(head);
    for (let r = 0; r < 6; r++) {
      const row = el('div', { role: 'row' });
      for (let i = 0; i < 7; i++) {
        const d = from + r * 7 + i;
        const items = byDay.get(d) ?? [];
        const atRisk = items.filter((b) => risk.has(b.id)).length;
        const cell = el('div', { role: 'gridcell', tabindex: d === anchor ? 0 : -1, 'data-day': d,
          class: new Date(d * DAY).getUTCMonth() === new Date(anchor * DAY).getUTCMonth() ? undefined : 'other' },
        el('span', { class: 'sr' }, s.dayBookings(fmt.longDay(d), items.length, atRisk)),
        el('span', { class: 'num', 'aria-hidden': 'true' }, String(new Date(d * DAY).getUTCDate())));
        for (const b of items.slice(0, 3)) cell.append(el('span', { class: risk.has(b.id) ? 'chip risk' : 'chip', style: `--c:${h.color(b.serviceId)}`, 'aria-hidden': 'true' }, `${fmt.time(Date.parse(b.start))} ${names.get(b.serviceId) ?? ''}`));
        if (items.length > 3) cell.append(el('span', { class: 'chip', 'aria-hidden': 'true' }, s.more(items.length - 3)));
        // On a phone the chips give way to a dot per booking (coloured by service, ringed when at
        // risk) and the count: every day still says how busy it is.
        if (items.length) {
          cell.append(el('span', { class: 'dots', 'aria-hidden': 'true' },
            ...items.slice(0, 6).map((b) => el('i', { class: risk.has(b.id) ? 'risk' : undefined, style: `--c:${h.color(b.serviceId)}` })),
            el('b', null, String(items.length))));
        }
        row.append(cell);
      }
      grid.append(row);
    }
    const open = (d) => { e.date = isoOfDay(d); e.view = 'day'; };
    grid.ondblclick = (ev) => { const c = ev.target.closest('[data-day]'); if (c) open(+c.dataset.day); };
    grid.onclick = (ev) => { const c = ev.target.closest('[data-day]'); if (c) { grid.querySelectorAll('[tabindex="0"]').forEach((x) => { x.tabIndex = -1; }); c.tabIndex = 0; c.focus(); } };
    grid.onkeydown = (ev) => {
      if ((ev.key === 'Enter' || ev.key === ' ') && ev.target.dataset.day) { ev.preventDefault(); open(+ev.target.dataset.day); return; }
      dateKeys(h, ev, grid, from, to, open);
    };
    return grid;
  }

  agenda() {
    const h = this.h, fmt = h.fmt, s = h.s;
    const [from, to] = h.range();
    const { list, risk } = this.visibleBookings(from, to);
    const names = h.names();
    const wrap = el('div', { class: 'grid', part: 'grid' });
    let day = null;
    let ul = null;
    for (const b of list) {
      const d = dayIn(h.zone, Date.parse(b.start));
      if (d !== day) { day = d; wrap.append(el('h3', null, fmt.longDay(d))); ul = el('ul', { class: 'agenda' }); wrap.append(ul); }
      const btn = el('button', { type: 'button', 'data-id': b.id, style: `--c:${h.color(b.serviceId)}`, part: 'booking' },
        el('span', { class: 'sr' }, this.label(b, names, risk.get(b.id))),
        el('span', { class: 't', 'aria-hidden': 'true' }, `${fmt.time(Date.parse(b.start))}–${fmt.time(Date.parse(b.end))}`),
        el('b', { 'aria-hidden': 'true' }, names.get(b.serviceId) ?? b.serviceId), el('span', { 'aria-hidden': 'true' }, names.get(b.providerId) ?? b.providerId),
        el('span', { 'aria-hidden': 'true' }, s.status[b.status] ?? b.status), risk.has(b.id) ? el('strong', { 'aria-hidden': 'true' }, s.atRisk) : null);
      btn.onclick = () => details(this, b.id, btn);
      ul.append(el('li', null, btn));
    }
    if (!list.length) wrap.append(el('p', null, s.noBookingsWeek));
    return wrap;
  }

  /** After a change: re-lays out only the columns the booking left and entered. */
  changed(change) {
    const h = this.h, e = h.element;
    const d = this.drawn;
    this.board.reset();
    this.reports.reset();
    if (!d || change.kind !== 'booking' || !h.root.contains(d.body)) { this.drawn = null; h.schedule(); return; }
    const touched = new Set();
    for (const [ci, segs] of d.byCol) {
      const kept = segs.filter((s) => s.b.id !== change.id);
      if (kept.length !== segs.length) { d.byCol.set(ci, kept); touched.add(ci); }
    }
    const b = change.after;
    if (b && (!e.providers.length || e.providers.includes(b.providerId))) {
      for (const seg of segmentsOf(b, d)) {
        const ci = d.cols.findIndex((c) => c.day - d.from === seg.i && (!d.resource || c.provider === b.providerId));
        if (ci < 0) continue;
        if (seg.a < d.lo || seg.z > d.hi) { this.drawn = null; h.schedule(); return; }
        if (!d.byCol.has(ci)) d.byCol.set(ci, []);
        d.byCol.get(ci).push(seg);
        touched.add(ci);
      }
    }
    // Whether this booking is at risk now (the rest stay as they were: a booking change does not
    // put another booking at risk).
    d.risk.delete(change.id);
    if (b && LIVE.includes(b.status)) {
      const r = h.c.atRisk({ from: b.start, to: b.end, providerId: b.providerId }).find((x) => x.bookingId === b.id);
      if (r) d.risk.set(b.id, r.violations);
    }
    for (const ci of touched) if (d.filled.has(ci)) layoutColumn(this, ci);
  }

  planRepairFor(providerId, day) { return planRepairFor(this, providerId, day); }
}

registerView('coordinator', ConsoleView);
if (globalThis.customElements) defineServiceCalendar();

/**
 * The seats of one group session (the engine's `same_session`: one service, technician, start and
 * end, more than one seat) as one entry: the first seat's booking with every seat's clients,
 * `seats` (taken, of) and `members` (the seats' ids); at risk if any seat is. Cancelled and
 * no-show seats stay apart (they hold no time).
 */
const HOLDS_TIME = [...LIVE, 'completed'];
function sessions(list, risk) {
  const out = [];
  const open = new Map();
  for (const b of list) {
    if ((b.sessionSeats ?? 1) <= 1 || !HOLDS_TIME.includes(b.status)) { out.push(b); continue; }
    const key = `${b.serviceId}|${b.providerId}|${b.start}|${b.end}`;
    const s = open.get(key);
    if (!s) {
      const first = { ...b, clientIds: [...b.clientIds], members: [b.id], seats: { taken: Math.max(1, b.clientIds.length), of: b.sessionSeats } };
      open.set(key, first);
      out.push(first);
      continue;
    }
    s.clientIds.push(...b.clientIds);
    s.members.push(b.id);
    s.seats.taken += Math.max(1, b.clientIds.length);
    s.seats.of = Math.max(s.seats.of, b.sessionSeats);
    if (risk.has(b.id) && !risk.has(s.id)) risk.set(s.id, risk.get(b.id));
  }
  return out;
}
