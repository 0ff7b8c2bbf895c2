// The console's dialogs: a booking's details and actions, a new booking, the alternatives after a
// clash, and a repair plan previewed before it is applied.
import { dayIn, isoOfDay, utcOf, wallText } from './zone.js';
import { el, LIVE } from './dom.js';
import { startKeyboardMove } from './move.js';

/** Opens the console's dialog with a title and content; focus returns where it came from. */
function dialog(v, title, ...content) {
  const h = v.h;
  const dlg = h.root.querySelector('dialog');
  v.dialogReturn = h.root.activeElement ?? null;
  const close = el('button', { type: 'button', part: 'button' }, h.s.close);
  close.onclick = () => dlg.close();
  dlg.replaceChildren(el('h3', { id: 'dlg-title' }, title), ...content, el('div', { class: 'actions' }, close));
  dlg.setAttribute('aria-labelledby', 'dlg-title');
  dlg.onclose = () => { const back = v.dialogReturn; v.dialogReturn = null; (back?.isConnected ? back : h.root.querySelector('.grid [tabindex="0"]'))?.focus(); };
  if (!dlg.open) dlg.showModal();
  dlg.querySelector('button, input, select')?.focus();
  return dlg;
}

/** A booking in full, with what can be done to it now. */
export function details(v, id, from) {
  const h = v.h, s = h.s, fmt = h.fmt, e = h.element;
  const b = h.c.booking(id);
  const names = h.names();
  const risk = h.c.atRisk({ from: b.start, to: b.end, providerId: b.providerId }).find((x) => x.bookingId === id);
  const dl = el('dl');
  const row = (k, val) => dl.append(el('dt', null, k), el('dd', null, val));
  row(s.when, `${fmt.f('when').format(Date.parse(b.start))}, ${fmt.time(Date.parse(b.start))} – ${fmt.time(Date.parse(b.end))} (${e.timeZone})`);
  row(s.technician, names.get(b.providerId) ?? b.providerId);
  row(s.client, b.clientIds.map((c) => names.get(c) ?? c).join(', ') || '—');
  row(s.status_, s.status[b.status] ?? b.status);
  if (b.resources.length) row(s.equipment, equipment(b, names));
  if (b.notes) row(s.notes, b.notes);
  row(s.revision, String(b.revision));
  const parts = [dl];
  if (risk) parts.push(el('p', { class: 'msg error' }, s.atRiskBecause(h.explainAll(risk.violations))));
  const actions = el('div', { class: 'actions' });
  // `fn(c)` changes the coordinator it is given (h.write); `later` opens another view instead.
  const act = (label, action, fn) => {
    const btn = el('button', { type: 'button', part: 'button' }, label);
    btn.onclick = () => { dlg.close(); h.write(fn, () => {}, (err) => h.fail(err, action)); };
    actions.append(btn);
  };
  const later = (label, action, fn) => {
    const btn = el('button', { type: 'button', part: 'button' }, label);
    btn.onclick = () => { dlg.close(); queueMicrotask(fn); };
    actions.append(btn);
  };
  const opts = { expectedRevision: b.revision };
  if (LIVE.includes(b.status)) {
    act(s.checkIn, 'setStatus', (c) => c.setStatus(id, 'checked_in', opts));
    later(s.moveByKeyboard, 'reschedule', () => startKeyboardMove(v, id));
    act(s.noShow, 'setStatus', (c) => c.setStatus(id, 'no_show', opts));
    act(s.cancelBooking, 'cancel', (c) => c.cancel(id, { ...opts, reason: s.reasonCancelled }));
    const day = dayIn(e.timeZone, Date.parse(b.start));
    later(s.isOutThatDay(names.get(b.providerId) ?? b.providerId), 'planRepair', () => planRepairFor(v, b.providerId, day));
  }
  if (b.status === 'checked_in') act(s.complete, 'setStatus', (c) => c.setStatus(id, 'completed', opts));
  if (LIVE.includes(b.status) && Date.parse(b.start) <= h.c.now()) act(s.providerNoShow, 'setStatus', (c) => c.setStatus(id, 'provider_no_show', opts));
  if (b.status !== 'held') later(s.visitRecord, 'updateVisit', () => visitRecord(v, id));
  if (b.visit?.outcome) row(s.outcome, s.outcomes[b.visit.outcome] ?? b.visit.outcome);
  if (b.cancelledBy) row(s.cancelledBy, s.parties[b.cancelledBy] ?? b.cancelledBy);
  parts.push(actions);
  if (b.history?.length) {
    const list = el('ol', { 'aria-label': s.history });
    for (const x of b.history) list.append(el('li', null, s.historyLine(fmt.f('stamp').format(Date.parse(x.at)), x.action === 'status_changed' ? s.status[x.status] ?? x.status : s.actions[x.action] ?? x.action.replaceAll('_', ' '), x.reason)));
    parts.push(list);
  }
  const dlg = dialog(v, names.get(b.serviceId) ?? b.serviceId, ...parts);
  v.dialogReturn = from?.isConnected && from.matches?.('[tabindex="0"]') ? from : h.root.querySelector('.grid [tabindex="0"]');
}

/**
 * The visit record: outcome, notes, the service's checklist, parts, and the client's signature
 * drawn on a pad (kept as SVG path data). "Save" writes it; "Save and complete" also completes the
 * visit, which the service's protocol may refuse (the engine says what is missing; nothing is
 * written then).
 */
export function visitRecord(v, id) {
  const h = v.h, s = h.s;
  const b = h.c.booking(id);
  const service = h.catalog().services.find((x) => x.id === b.serviceId) ?? { checklist: [] };
  const visit = b.visit ?? {};
  const outcome = el('select', { name: 'outcome' }, el('option', { value: '' }, '—'),
    ...Object.entries(s.outcomes).map(([value, label]) => el('option', { value, selected: visit.outcome === value }, label)));
  const reason = el('input', { name: 'outcomeReason', value: visit.outcomeReason ?? '' });
  const notes = el('textarea', { name: 'workNotes', rows: 3 });
  notes.value = visit.workNotes ?? '';
  const checks = (service.checklist ?? []).map((item) => el('input', { type: 'checkbox', value: item.id, checked: visit.checklist?.includes(item.id) }));
  const checklist = checks.length ? el('fieldset', null, el('legend', null, s.checklist),
    ...checks.map((box, i) => el('label', { class: 'check' }, box, ` ${service.checklist[i].label}`))) : null;
  // Parts: one row each (item, quantity, unit price in the currency's major units).
  const currency = h.c.billing?.().currency ?? 'EUR';
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  const partRows = el('tbody');
  const addPart = (p = { item: '', quantity: 1, unitPriceMinor: 0 }) => {
    const n = partRows.children.length + 1;
    partRows.append(el('tr', null,
      el('td', null, el('input', { name: 'item', 'aria-label': s.partItem(n), value: p.item })),
      el('td', null, el('input', { name: 'quantity', type: 'number', min: 1, 'aria-label': s.partQuantity(n), value: p.quantity ?? 1 })),
      el('td', null, el('input', { name: 'price', type: 'number', min: 0, step: 10 ** -digits, 'aria-label': s.partPrice(n, currency), value: (p.unitPriceMinor ?? 0) / 10 ** digits }))));
  };
  (visit.parts ?? []).forEach(addPart);
  const more = el('button', { type: 'button', part: 'button' }, s.addPart);
  more.onclick = () => addPart();
  const parts = el('fieldset', null, el('legend', null, s.parts), el('table', { class: 'parts' }, partRows), more);
  // The signature pad: strokes become path data as the pointer moves.
  const W = 300, H = 100;
  let path = visit.signature?.path ?? '';
  const ink = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  ink.setAttribute('d', path);
  const pad = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  pad.setAttribute('viewBox', `0 0 ${W} ${H}`);
  pad.setAttribute('class', 'pad');
  pad.setAttribute('role', 'img');
  pad.setAttribute('aria-label', s.signaturePad);
  pad.append(ink);
  let drawing = false;
  const at = (ev) => {
    const r = pad.getBoundingClientRect();
    return `${Math.round(((ev.clientX - r.left) * W) / r.width)} ${Math.round(((ev.clientY - r.top) * H) / r.height)}`;
  };
  pad.onpointerdown = (ev) => { drawing = true; pad.setPointerCapture?.(ev.pointerId); path += `${path ? ' ' : ''}M${at(ev)}`; ink.setAttribute('d', path); };
  pad.onpointermove = (ev) => { if (drawing) { path += ` L${at(ev)}`; ink.setAttribute('d', path); } };
  pad.onpointerup = () => { drawing = false; };
  const signedBy = el('input', { name: 'signedBy', value: visit.signature?.signedBy ?? '' });
  const clear = el('button', { type: 'button', part: 'button' }, s.clearSignature);
  clear.onclick = () => { path = ''; ink.setAttribute('d', ''); };
  const signature = el('fieldset', null, el('legend', null, s.signature), pad, el('label', null, s.signedBy, signedBy), clear);
  const update = () => {
    const u = { expectedRevision: h.c.booking(id).revision };
    if (outcome.value) u.outcome = outcome.value;
    if (reason.value.trim()) u.outcomeReason = reason.value.trim();
    if (notes.value.trim() !== (visit.workNotes ?? '')) u.workNotes = notes.value.trim();
    if (checks.length) u.checklist = checks.filter((x) => x.checked).map((x) => x.value);
    const rows = [...partRows.children].map((tr) => {
      const [item, quantity, price] = tr.querySelectorAll('input');
      return { item: item.value.trim(), quantity: Number(quantity.value) || 1, unitPriceMinor: Math.round(Number(price.value) * 10 ** digits) };
    }).filter((p) => p.item);
    if (rows.length || visit.parts?.length) u.parts = rows;
    if (path && path !== visit.signature?.path) u.signature = { path, width: W, height: H, ...(signedBy.value.trim() ? { signedBy: signedBy.value.trim() } : {}) };
    return u;
  };
  const save = el('button', { type: 'submit', class: 'primary', part: 'button' }, s.saveVisit);
  const complete = ['checked_in', 'confirmed', 'tentative'].includes(b.status) && Date.parse(b.start) <= h.c.now()
    ? el('button', { type: 'button', part: 'button' }, s.saveAndComplete) : null;
  const form = el('form', { class: 'visit' },
    el('label', null, s.outcome, outcome), el('label', null, s.outcomeReason, reason), el('label', null, s.workNotes, notes),
    checklist, parts, signature, el('div', { class: 'actions' }, save, complete));
  const write = (fn, action) => {
    h.write(fn, () => {
      dlg.close();
      h.say('ok', s.visitSaved);
    }, (err) => {
      h.fail(err, action);
      const why = h.explainAll(err.details?.length ? err.details : [err]);
      form.querySelector('.msg')?.remove();
      form.prepend(el('p', { class: 'msg error', role: 'alert', 'data-code': err.code ?? '' }, why));
    });
  };
  form.onsubmit = (ev) => { ev.preventDefault(); const u = update(); write((c) => c.updateVisit(id, u), 'updateVisit'); };
  if (complete) complete.onclick = () => { const { expectedRevision, ...visitFields } = update(); write((c) => c.setStatus(id, 'completed', { expectedRevision, visit: visitFields }), 'setStatus'); };
  const names = h.names();
  const dlg = dialog(v, s.visitOf(names.get(b.serviceId) ?? b.serviceId), form);
}

/** A new booking at the active cell of the time grid. */
export function newBooking(v) {
  const h = v.h, s = h.s, fmt = h.fmt, e = h.element;
  const d = v.drawn;
  const { col, row } = d.active;
  const c = d.cols[col];
  const minutes = d.lo + row * e.step;
  const { services: all, providers, clients: everyone } = h.catalog();
  // In a technician's column, only the services that technician has the skills for.
  const who = c.provider ? providers.find((p) => p.id === c.provider) : null;
  const can = (x) => !who || (x.requiredSkills ?? []).every((k) => (who.skills ?? []).includes(k));
  const services = el('select', { name: 'service', 'aria-label': s.service });
  for (const x of all.filter(can)) services.append(el('option', { value: x.id }, x.name));
  // The client: searched as you type (name, email or phone; the first matches are offered), or new.
  const list = el('datalist', { id: 'client-matches' });
  const search = el('input', { name: 'client', type: 'search', list: 'client-matches', autocomplete: 'off', maxlength: 200 });
  const shown = new Map();
  const offer = () => {
    const q = search.value.trim().toLowerCase();
    const hits = q ? everyone.filter((x) => [x.name, x.email, x.phone].some((f) => f?.toLowerCase().includes(q))).slice(0, 8) : [];
    shown.clear();
    list.replaceChildren(...hits.map((x) => {
      const label = [x.name, x.email ?? x.phone].filter(Boolean).join(' · ');
      shown.set(label, x.id);
      return el('option', { value: label });
    }));
  };
  search.oninput = offer;
  const chosen = () => shown.get(search.value) ?? everyone.find((x) => x.name === search.value.trim())?.id ?? null;
  const email = el('input', { name: 'email', type: 'email', autocomplete: 'off', maxlength: 200 });
  const phone = el('input', { name: 'phone', type: 'tel', autocomplete: 'off', maxlength: 50 });
  const address = el('input', { name: 'address', autocomplete: 'off', maxlength: 300 });
  const notes = el('textarea', { name: 'notes', rows: 2, maxlength: 2000 });
  const fresh = el('fieldset', { class: 'new-client' }, el('legend', null, s.newClient),
    el('label', null, s.email, email), el('label', null, s.phone, phone), el('label', null, s.clientAddress, address));
  const form = el('form', null, el('label', null, s.service, services), el('label', null, s.clientSearch, search), list, fresh,
    el('label', null, s.notesOptional, notes), el('button', { class: 'primary', type: 'submit' }, s.book));
  const request = (clientIds) => ({ serviceId: services.value, clientIds, providerId: c.provider ?? undefined, start: wallText(c.day, minutes), timeZone: e.timeZone,
    ...(notes.value.trim() ? { notes: notes.value.trim() } : {}) });
  form.onsubmit = (ev) => {
    ev.preventDefault();
    const known = chosen();
    const name = search.value.trim();
    // A name that matches nobody is a new client, made in the same write as the booking.
    const client = !known && name ? { id: `cl-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, name,
      ...(email.value.trim() ? { email: email.value.trim() } : {}), ...(phone.value.trim() ? { phone: phone.value.trim() } : {}),
      ...(address.value.trim() ? { address: address.value.trim() } : {}) } : null;
    const req = request(known ? [known] : client ? [client.id] : []);
    if (!h.emit('booking-requested', { request: req, client, holdId: null })) { dlg.close(); return; }
    h.write((c) => {
      if (client) c.upsertClient(client);
      return c.book(req);
    }, (booking) => {
      dlg.close();
      h.emit('booked', { booking, client });
    }, (err) => {
      h.fail(err, 'book');
      offerAlternatives(v, req, err);
    });
  };
  const dlg = dialog(v, s.newBooking(fmt.longDay(c.day), fmt.time(utcOf(e.timeZone, c.day, minutes)), c.provider ? c.name : null), form);
}

/** A clash: why, and the engine's ranked alternatives, each bookable (or a move target) in one click. */
export function offerAlternatives(v, request, error, movingId) {
  const h = v.h, s = h.s, fmt = h.fmt;
  let options = [];
  try { options = h.c.alternatives(request, { limit: 5 }); } catch { /* no alternatives for a broken request */ }
  const names = h.names();
  const why = el('ul', null, ...(error.details?.length ? error.details : [error]).map((x) => el('li', { 'data-code': x.code ?? '' }, h.explain(x))));
  const list = el('ol', { 'aria-label': s.alternatives });
  for (const o of options) {
    const btn = el('button', { type: 'button', part: 'button' }, `${fmt.f('dayShort').format(Date.parse(o.start))} ${fmt.time(Date.parse(o.start))}, ${names.get(o.providerId) ?? o.providerId}`);
    btn.onclick = () => {
      const change = movingId
        ? (c) => c.reschedule(movingId, { start: o.start, providerId: o.providerId, reason: s.reasonAlternative })
        : (c) => c.book({ ...request, start: o.start, providerId: o.providerId, timeZone: undefined });
      h.write(change, (booking) => {
        if (!movingId) h.emit('booked', { booking, client: null });
        dlg.close();
      }, (err) => h.fail(err, 'book'));
    };
    list.append(el('li', null, btn));
  }
  const dlg = dialog(v, movingId ? s.moveClashes : s.timeClashes, why,
    el('p', null, options.length ? s.rankedAlternatives : s.noAlternatives), list);
}

/** A technician is out for a day: the engine's repair plan, previewed, then applied. */
export function planRepairFor(v, providerId, day) {
  const h = v.h, s = h.s, fmt = h.fmt;
  const names = h.names();
  let plan;
  try {
    plan = h.c.planRepair({ providerId, start: isoOfDay(day), end: isoOfDay(day + 1), timeZone: h.element.timeZone, reason: s.reasonOut });
  } catch (e) { h.fail(e, 'planRepair'); return null; }
  const moves = el('ol', { 'aria-label': s.proposedMoves });
  for (const m of plan.moves) {
    const b = h.c.booking(m.bookingId);
    moves.append(el('li', null, `${names.get(b?.serviceId) ?? m.bookingId}: ${fmt.time(Date.parse(m.from.start))} ${names.get(m.from.providerId) ?? ''} → ${fmt.f('wd').format(Date.parse(m.to.start))} ${fmt.time(Date.parse(m.to.start))} ${names.get(m.to.providerId) ?? m.to.providerId}`));
  }
  for (const u of plan.unplaced) moves.append(el('li', null, s.unplaced(u.bookingId, h.explain(u.reason))));
  const apply = el('button', { type: 'button', class: 'primary', part: 'button' }, s.applyPlan);
  apply.onclick = () => h.write((c) => c.applyPlan(plan.id), () => { dlg.close(); h.say('ok', s.planApplied); }, (e) => h.fail(e, 'applyPlan'));
  const affected = plan.moves.length || plan.unplaced.length;
  const dlg = dialog(v, s.outOn(names.get(providerId) ?? providerId, fmt.longDay(day)),
    el('p', null, s.planSummary(plan.moves.length, plan.unplaced.length)), moves, affected ? apply : null);
  return plan;
}

/** The resources a booking uses, by name, with how many where more than one ("Van 2, Ladder ×2"). */
export function equipment(b, names) {
  return b.resources.map((r) => `${names.get(r.resourceId) ?? r.resourceId}${(r.quantity ?? 1) > 1 ? ` ×${r.quantity}` : ''}`).join(', ');
}
