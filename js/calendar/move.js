// Moving a booking in the console's time grid: by pointer (drag, or the grip to resize) and by
// keyboard, asking the engine at every position whether the move would be accepted.
import { utcOf, wallText } from './zone.js';
import { LIVE } from './dom.js';
import { offerAlternatives } from './dialogs.js';
import { layoutColumn } from './timegrid.js';

/** The column and grid time under a pointer event. */
export function pointAt(v, ev) {
  const d = v.drawn, step = v.h.element.step;
  const col = d.colEls.findIndex((c) => { const r = c.getBoundingClientRect(); return ev.clientX >= r.left && ev.clientX < r.right; });
  if (col < 0) return null;
  const r = d.colEls[col].getBoundingClientRect();
  const minutes = d.lo + Math.round(((ev.clientY - r.top) / d.hourPx) * 60 / step) * step;
  return { col, minutes: Math.max(d.lo, Math.min(d.hi, minutes)) };
}

export function pointerDown(v, ev) {
  const card = ev.target.closest('.ev');
  if (!card || ev.button !== 0 || !LIVE.includes(card.dataset.status) || card.dataset.members) return;
  const d = v.drawn, step = v.h.element.step;
  const b = v.h.c.booking(card.dataset.id);
  const at = pointAt(v, ev);
  if (!at) return;
  const resize = ev.target.classList.contains('grip');
  const seg = [...d.byCol.values()].flat().find((s) => s.b.id === b.id);
  const duration = (Date.parse(b.end) - Date.parse(b.start)) / 6e4;
  const m = { id: b.id, booking: b, col: d.colEls.indexOf(card.parentElement), start: seg ? seg.a : at.minutes, duration, grab: at.minutes - (seg ? seg.a : at.minutes), resize, moved: false, el: card };
  card.setPointerCapture?.(ev.pointerId);
  const move = (pe) => {
    const p = pointAt(v, pe);
    if (!p) return;
    if (resize) { m.duration = Math.max(step, p.minutes - m.start); } else { m.col = p.col; m.start = Math.max(d.lo, Math.min(d.hi - m.duration, p.minutes - m.grab)); }
    m.moved = true;
    v.moving = m;
    showMove(v);
  };
  const up = () => {
    card.removeEventListener('pointermove', move);
    card.removeEventListener('pointerup', up);
    card.removeEventListener('pointercancel', up);
    if (m.moved) { v.dragged = true; drop(v); }
    v.moving = null;
  };
  card.addEventListener('pointermove', move);
  card.addEventListener('pointerup', up);
  card.addEventListener('pointercancel', up);
}

/** Where the moving booking would go, as a reschedule request. */
function moveTarget(v) {
  const d = v.drawn, m = v.moving;
  const c = d.cols[m.col];
  const changes = { start: wallText(c.day, m.start), end: wallText(c.day + Math.floor((m.start + m.duration) / 1440), (m.start + m.duration) % 1440), timeZone: v.h.element.timeZone, expectedRevision: m.booking.revision };
  if (d.resource && c.provider !== m.booking.providerId) changes.providerId = c.provider;
  return changes;
}

/** Draws the booking where it would go, marked when the engine would refuse, and says why. */
function showMove(v) {
  const h = v.h, fmt = h.fmt;
  const d = v.drawn, m = v.moving;
  let verdict;
  try { verdict = h.c.checkReschedule(m.id, moveTarget(v)); } catch (e) { verdict = { ok: false, violations: [{ code: e.code, message: e.message }] }; }
  m.verdict = verdict;
  const col = d.colEls[m.col];
  let ghost = d.body.querySelector('.ghost');
  if (!ghost) { ghost = m.el.cloneNode(true); ghost.classList.add('ghost'); ghost.setAttribute('aria-hidden', 'true'); d.body.append(ghost); }
  const top = d.px(m.start);
  Object.assign(ghost.style, { left: `${col.offsetLeft}px`, width: `${col.offsetWidth - 4}px`, top: `${top}px`, height: `${d.px(m.start + m.duration) - top}px` });
  ghost.classList.toggle('bad', !verdict.ok);
  ghost.title = verdict.ok ? '' : h.explainAll(verdict.violations, '\n');
  const c = d.cols[m.col];
  const zone = h.element.timeZone;
  h.announce(h.s.moveLabel(fmt.longDay(c.day), fmt.time(utcOf(zone, c.day, m.start)), fmt.time(utcOf(zone, c.day, m.start + m.duration)), c.provider ? c.name : null, verdict.ok ? null : h.explain(verdict.violations[0])));
}

function drop(v) {
  const h = v.h, m = v.moving;
  v.drawn.body.querySelector('.ghost')?.remove();
  const changes = moveTarget(v);
  h.write((c) => c.reschedule(m.id, { ...changes, reason: h.s.reasonMoved }), (after) => {
    h.say('ok', h.s.moved(h.fmt.time(Date.parse(after.start))));
  }, (e) => {
    // An invalid drop: the booking stays (snaps back), the reason is shown, with the options.
    h.fail(e, 'reschedule');
    const b = m.booking;
    offerAlternatives(v, { serviceId: b.serviceId, providerId: changes.providerId ?? b.providerId, clientIds: b.clientIds, start: changes.start, timeZone: h.element.timeZone }, e, m.id);
  });
}

/** Keys while a booking is being moved: arrows, Shift for the length, Enter drops, Escape cancels. */
export function moveKeys(v, ev) {
  const m = v.moving, d = v.drawn, step = v.h.element.step;
  const k = ev.key;
  const perDay = d.resource ? d.cols.length / (d.to - d.from) : 1;
  if (k === 'Escape') { ev.preventDefault(); d.body.querySelector('.ghost')?.remove(); v.moving = null; v.h.announce(v.h.s.moveCancelled); return; }
  if (k === 'Enter' || k === ' ') { ev.preventDefault(); drop(v); v.moving = null; return; }
  if (ev.shiftKey && (k === 'ArrowUp' || k === 'ArrowDown')) m.duration = Math.max(step, m.duration + (k === 'ArrowUp' ? -step : step));
  else if (k === 'ArrowUp') m.start = Math.max(d.lo, m.start - step);
  else if (k === 'ArrowDown') m.start = Math.min(d.hi - step, m.start + step);
  else if (k === 'ArrowLeft') m.col = Math.max(0, m.col - 1);
  else if (k === 'ArrowRight') m.col = Math.min(d.cols.length - 1, m.col + 1);
  else if (k === 'PageUp') m.col = Math.max(0, m.col - perDay);
  else if (k === 'PageDown') m.col = Math.min(d.cols.length - 1, m.col + perDay);
  else return;
  ev.preventDefault();
  showMove(v);
}

export function startKeyboardMove(v, id) {
  const d = v.drawn;
  const b = v.h.c.booking(id);
  const seg = [...d.byCol.entries()].flatMap(([ci, segs]) => segs.map((s) => ({ ci, s }))).find((x) => x.s.b.id === id);
  if (!seg) return;
  if (!d.filled.has(seg.ci)) layoutColumn(v, seg.ci);
  v.moving = { id, booking: b, col: seg.ci, start: seg.s.a, duration: (Date.parse(b.end) - Date.parse(b.start)) / 6e4, el: d.els.get(`${id}|${seg.s.i}`) };
  d.cell.focus();
  v.h.announce(v.h.s.moving);
  showMove(v);
}
