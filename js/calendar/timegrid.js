// The console's time grids: week and day (one column a day) and the technician views (one column
// a technician a day), drawn lazily as the box scrolls, with one keyboard grid over them.
import { dayOfIso, isoOfDay, utcOf, frameOf, segmentsOf, lanesOf, bandsOf } from './zone.js';
import { el, LIVE } from './dom.js';
import { details, newBooking } from './dialogs.js';
import { pointAt, pointerDown, moveKeys } from './move.js';

/** The columns of the period: a day each, or in the technician views a technician a day. */
function columns(v, from, to) {
  const e = v.h.element;
  const resource = e.view.startsWith('resource');
  let providers = v.h.catalog().providers;
  if (e.providers.length) providers = providers.filter((p) => e.providers.includes(p.id));
  const cols = [];
  for (let d = from; d < to; d++) {
    if (resource) for (const p of providers) cols.push({ day: d, provider: p.id, name: p.name });
    else cols.push({ day: d, provider: null });
  }
  return { cols, providers, resource };
}

export function timeGrid(v) {
  const h = v.h, e = h.element, fmt = h.fmt;
  const [from, to] = h.range();
  const zone = e.timeZone;
  const { cols, resource } = columns(v, from, to);
  const { list, risk } = v.visibleBookings(from, to);
  // Day starts in the zone; a day whose offset does not change is laid out by arithmetic.
  const frame = frameOf(zone, from, to);
  const { starts, minuteOf, dayIndexOf } = frame;
  // Hours shown: 07:00-19:00, widened to the bookings and the working hours on screen.
  let lo = 7 * 60, hi = 19 * 60;
  const segs = [];
  for (const b of list) {
    for (const seg of segmentsOf(b, frame)) {
      segs.push(seg);
      lo = Math.min(lo, Math.floor(seg.a / 60) * 60); hi = Math.max(hi, Math.ceil(seg.z / 60) * 60);
    }
  }
  const fb = h.c.freeBusy({ from: isoOfDay(from), to: isoOfDay(to), timeZone: zone, providerIds: resource ? cols.slice(0, cols.length / (to - from)).map((c) => c.provider) : undefined });
  const free = new Map(fb.providers.map((p) => [p.id, p.free]));
  for (const spans of free.values()) for (const sp of spans) {
    const s = Date.parse(sp.start), end = Date.parse(sp.end), i = dayIndexOf(s);
    if (i < 0 || i >= to - from) continue;
    lo = Math.min(lo, Math.floor(minuteOf(s, i) / 60) * 60);
    hi = Math.max(hi, Math.min(24 * 60, Math.ceil((end >= starts[i + 1] ? 24 * 60 : minuteOf(end, i)) / 60) * 60));
  }
  const hourPx = parseFloat(getComputedStyle(e).getPropertyValue('--sc-hour')) || 48;
  const px = (m) => ((m - lo) / 60) * hourPx;
  const names = h.names();
  const head = el('div', { class: 'head', 'aria-hidden': 'true' }, el('div', { class: 'corner' }));
  const body = el('div', { class: 'body', style: `--rows-h:${px(hi)}` });
  const gutter = el('div', { class: 'gutter' });
  // Whole hours, as short as the locale writes them, so the labels fit a phone's narrow gutter.
  for (let m = lo; m < hi; m += 60) gutter.append(el('div', { style: `top:${px(m)}px` }, fmt.hour(m)));
  body.append(gutter);
  const perDay = cols.length / (to - from);
  if (resource && to - from > 1) {
    // The day's name stays in view while its technicians scroll past (a phone shows a few).
    for (let d = from; d < to; d++) head.append(el('div', { class: 'day', style: `grid-column:${2 + (d - from) * perDay} / span ${perDay}` }, el('span', null, fmt.shortDay(d))));
    head.append(el('div', { class: 'corner', style: 'grid-column:1' }));
  }
  const parsed = new Map([...free].map(([id, spans]) => [id, spans.map((sp) => [Date.parse(sp.start), Date.parse(sp.end)])]));
  const everyone = [...parsed.values()].flat();
  const colEls = cols.map((c, ci) => {
    head.append(el('div', resource ? { title: c.name } : null, resource ? c.name : fmt.shortDay(c.day)));
    const col = el('div', { class: 'col', 'data-col': ci });
    // Shade the time nobody works (per technician in the resource views, else nobody at all),
    // as one background gradient, not an element per band: a resource week has 400 bands.
    const bands = bandsOf(resource ? parsed.get(c.provider) ?? [] : everyone, c.day - from, frame, lo, hi);
    if (bands.some(([off]) => off)) col.style.setProperty('--shade', `linear-gradient(${bands.map(([off, a, z]) => `${off ? 'var(--off)' : '#0000'} ${px(a)}px ${px(z)}px`).join()})`);
    body.append(col);
    return col;
  });
  body.style.gridTemplateRows = '1fr';
  head.style.setProperty('--cols', cols.length);
  body.style.setProperty('--cols', cols.length);
  const colIndex = new Map(cols.map((c, ci) => [`${c.day - from}|${c.provider ?? ''}`, ci]));
  const byCol = new Map();
  for (const s of segs) {
    const ci = colIndex.get(`${s.i}|${resource ? s.b.providerId : ''}`);
    if (ci === undefined) continue;
    if (!byCol.has(ci)) byCol.set(ci, []);
    byCol.get(ci).push(s);
  }
  const drawn = { ...frame, cols, colEls, lo, hi, hourPx, px, resource, names, risk, byCol, els: new Map(), body, filled: new Set() };
  v.drawn = drawn;

  // The grid a keyboard moves through: one tab stop, the active cell drawn over the columns.
  const step = e.step;
  const rows = (hi - lo) / step;
  const grid = el('div', { class: 'grid', role: 'grid', 'aria-labelledby': 'title', 'aria-rowcount': rows, 'aria-colcount': cols.length, part: 'grid' });
  const row = el('div', { role: 'row' });
  const cell = el('div', { role: 'gridcell', tabindex: 0, class: 'cell' });
  row.append(cell);
  grid.append(row);
  body.append(grid);
  const a = v.active;
  drawn.active = a && a.view === e.view ? { col: Math.min(a.col, cols.length - 1), row: Math.min(a.row, rows - 1) } : { col: Math.max(0, cols.findIndex((c) => c.day === dayOfIso(e.date))), row: Math.max(0, (9 * 60 - lo) / step) };
  drawn.cell = cell;
  drawn.rows = rows;
  placeCell(v);
  grid.onkeydown = (ev) => gridKeys(v, ev);
  body.onpointerdown = (ev) => pointerDown(v, ev);
  body.onclick = (ev) => {
    const card = ev.target.closest('.ev');
    if (card && !v.dragged) details(v, card.dataset.id, card);
    v.dragged = false;
  };
  body.ondblclick = (ev) => {
    if (ev.target.closest('.ev')) return;
    const at = pointAt(v, ev);
    if (at) { drawn.active = { col: at.col, row: Math.floor((at.minutes - lo) / step) }; placeCell(v); newBooking(v); }
  };
  const box = el('div', { class: 'scroll', part: 'scroll' }, head, body);
  let pending = false;
  box.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; if (v.drawn === drawn) fill(v); });
  }, { passive: true });
  return box;
}

/**
 * Lays out the bookings of the columns in view and one screen either side; the rest follow as
 * the box scrolls (a resource week is 210 columns; a screen shows a dozen). The keyboard grid
 * reads bookings from the layout data, not the DOM, so every cell is labelled wherever it is.
 */
export function fill(v) {
  const d = v.drawn;
  const box = d.body.parentElement;
  const w = box?.clientWidth ?? 0;
  let first = 0, last = d.cols.length;
  if (w && d.cols.length > 1) {
    // Where the columns are against the box, from two of them: the same arithmetic left to right
    // and right to left (where the first column is rightmost and the step is negative).
    const r = box.getBoundingClientRect();
    const x0 = d.colEls[0].getBoundingClientRect().left;
    const step = d.colEls[1].getBoundingClientRect().left - x0 || 1;
    const a = (r.left - w - x0) / step, b = (r.right + w - x0) / step;
    first = Math.max(0, Math.floor(Math.min(a, b)));
    last = Math.min(d.cols.length, Math.ceil(Math.max(a, b)) + 1);
  }
  for (let ci = first; ci < last; ci++) if (!d.filled.has(ci)) layoutColumn(v, ci);
}

/** Draws one column's bookings, overlapping ones side by side. */
export function layoutColumn(v, ci) {
  const d = v.drawn, fmt = v.h.fmt;
  const col = d.colEls[ci];
  d.filled.add(ci);
  for (const old of col.querySelectorAll('.ev')) { d.els.delete(old.key); old.remove(); }
  const frag = document.createDocumentFragment();
  for (const s of lanesOf(d.byCol.get(ci) ?? [])) {
    const b = s.b;
    const risk = d.risk.get(b.id);
    const key = `${b.id}|${s.i}`;
    const top = d.px(Math.max(s.a, d.lo)), h = Math.max(14, d.px(Math.min(s.z, d.hi)) - top);
    const card = el('button', { tabindex: -1, class: risk ? 'ev risk' : 'ev', 'data-id': b.id, 'data-status': b.status, part: `booking booking-${b.status}${risk ? ' booking-at-risk' : ''}`,
      style: `--c:${v.h.color(b.serviceId)};top:${top}px;height:${h}px;inset-inline-start:${(100 * s.lane) / s.n}%;width:calc(${100 / s.n}% - 4px)`,
      title: risk ? v.h.explainAll(risk, '\n') : undefined },
    el('span', { class: 'sr' }, v.label(b, d.names, risk, s)),
    el('b', { 'aria-hidden': 'true' }, d.names.get(b.serviceId) ?? b.serviceId),
    // A group session is one card with its seats (under its name, where a short card still shows
    // them); its seats are moved one by one, not dragged.
    b.seats ? el('span', { class: 'seats', 'aria-hidden': 'true' }, v.h.s.seatsOf(b.seats.taken, b.seats.of)) : null,
    el('span', { 'aria-hidden': 'true' }, `${s.first ? fmt.clock(s.a) : fmt.time(Date.parse(b.start))} ${b.clientIds.map((id) => d.names.get(id) ?? id).join(', ')}`),
    LIVE.includes(b.status) && !b.seats ? el('span', { class: 'grip', 'aria-hidden': 'true' }) : null);
    if (b.seats) card.dataset.members = b.members.join(' ');
    card.key = key;
    d.els.set(key, card);
    frag.append(card);
  }
  col.append(frag);
}

/** Moves the active cell's outline and label; `start` scrolls its column to the left edge. */
export function placeCell(v, start = false) {
  const h = v.h, e = h.element, fmt = h.fmt;
  const d = v.drawn;
  const { col, row } = d.active;
  const c = d.cols[col];
  const minutes = d.lo + row * e.step;
  const colEl = d.colEls[col];
  const top = d.px(minutes);
  Object.assign(d.cell.style, { left: `${colEl.offsetLeft}px`, top: `${top}px`, width: `${colEl.offsetWidth}px`, height: `${d.px(minutes + e.step) - top}px` });
  d.cell.setAttribute('aria-rowindex', row + 1);
  d.cell.setAttribute('aria-colindex', col + 1);
  const here = bookingAt(v, col, minutes);
  d.cell.setAttribute('aria-label', h.s.cellLabel(fmt.longDay(c.day), fmt.time(utcOf(e.timeZone, c.day, minutes)), c.provider ? c.name : null, here ? v.label(here, d.names, d.risk.get(here.id)) : null));
  v.active = { ...d.active, view: e.view };
  // Keep the cell in view by scrolling the calendar's own box (never the host page).
  const box = d.body.parentElement;
  if (box?.clientWidth) {
    const gutter = d.body.firstElementChild.offsetWidth;
    const head = box.firstElementChild.offsetHeight;
    const x = colEl.offsetLeft, w = colEl.offsetWidth, ht = d.px(minutes + e.step) - top;
    if (start || x - gutter < box.scrollLeft) box.scrollLeft = x - gutter;
    else if (x + w > box.scrollLeft + box.clientWidth) box.scrollLeft = x + w - box.clientWidth;
    if (top < box.scrollTop) box.scrollTop = top;
    else if (top + ht + head > box.scrollTop + box.clientHeight) box.scrollTop = top + ht + head - box.clientHeight;
  }
}

export function bookingAt(v, col, minutes) {
  const segs = v.drawn.byCol.get(col) ?? [];
  return segs.find((s) => s.a <= minutes && minutes < s.z)?.b ?? null;
}

/** Keys on the time grid: arrows by step and column, Home/End, PageUp/Down by period, Enter opens. */
function gridKeys(v, ev) {
  const h = v.h, e = h.element;
  const d = v.drawn;
  if (v.moving) { moveKeys(v, ev); return; }
  const a = d.active;
  const perDay = d.resource ? d.cols.length / (d.to - d.from) : 1;
  const k = ev.key;
  let { col, row } = a;
  if (k === 'ArrowLeft') col--;
  else if (k === 'ArrowRight') col++;
  else if (k === 'ArrowUp') row--;
  else if (k === 'ArrowDown') row++;
  else if (k === 'Home') { if (ev.ctrlKey) col = 0; row = 0; }
  else if (k === 'End') { if (ev.ctrlKey) col = d.cols.length - 1; row = d.rows - 1; }
  else if (k === 'PageUp' || k === 'PageDown') {
    ev.preventDefault();
    const n = k === 'PageUp' ? -1 : 1;
    if (ev.shiftKey) h.shift(n, 'year'); else { const [m, unit] = h.periodStep(); h.shift(n * m, unit); }
    v.active = { col, row, view: e.view };
    e.render();
    h.root.querySelector('.cell')?.focus();
    return;
  } else if (k === 'Enter' || k === ' ') {
    ev.preventDefault();
    const here = bookingAt(v, col, d.lo + row * e.step);
    if (here) details(v, here.id, d.cell); else newBooking(v);
    return;
  } else return;
  ev.preventDefault();
  if (col < 0 || col >= d.cols.length) {
    // Past the edge: the previous or next period, the same column position.
    const [m, unit] = h.periodStep();
    h.shift(col < 0 ? -m : m, unit);
    v.active = { col: col < 0 ? d.cols.length - perDay + (a.col % perDay) : a.col % perDay, row, view: e.view };
    e.render();
    h.root.querySelector('.cell')?.focus();
    return;
  }
  d.active = { col, row: Math.max(0, Math.min(d.rows - 1, row)) };
  placeCell(v);
}
