// The client's booking flow of <service-calendar mode="booking">: a month of days with free
// times, the day's times, a hold while the client types, and the confirmation (in the page, or by
// the host's backend through `booking-requested`). Importing this file defines the element with
// this view only; the console is fetched if a page asks for it.
import { DAY, dayIn, dayOfIso, isoOfDay, utcOf, wallOf, wallText, weekday } from './zone.js';
import { el, solver } from './dom.js';
import { registerView, defineServiceCalendar } from './element.js';

/** How long the element holds a chosen time while the client fills in the form. */
const HOLD_MINUTES = 10;

class BookingView {
  constructor(host) {
    this.h = host;
    this.selectedDay = null;
    this.slot = null; // the chosen time, as a booking request
    this.hold = null; // the id of the hold on it
    this.pending = null; // the host's answer awaited (booking-requested with respondWith)
    this.place = null; // where an on-site visit is, as the client gave it (else the host's `location`)
    this.editing = false; // the client is changing the address
    this.finding = false; // the host's geocoder is at work
    this.typed = undefined; // the address as the client last typed it
    this.choosing = null; // the arrival window whose best time is being worked out
    this.token = null; // that piece of work: a newer choice (or none) makes its answer moot
  }

  /** Where an on-site visit is: the address the client gave, or the host's `location`. */
  placeNow() { return this.editing ? null : this.place ?? this.h.element.location; }

  leave() { this.letGo(); }

  /** Lets go of the chosen time: its hold, and a window whose best time is still being worked out. */
  letGo() {
    this.releaseHold();
    this.slot = null;
    this.token = null;
    this.choosing = null;
  }

  render() {
    const h = this.h, s = h.s, fmt = h.fmt, e = h.element;
    // On-site services need the visit's place: offered when the host can find one (its `locate`
    // geocoder, or a `location` it knows), as arrival windows the technicians can reach.
    const services = h.catalog().services.filter((x) => !x.onSite || e.locate || e.location);
    // Unless one is asked for, the first that needs no address: the page opens on free times.
    const serviceId = services.some((x) => x.id === e.service) ? e.service : (services.find((x) => !x.onSite) ?? services[0])?.id;
    const service = services.find((x) => x.id === serviceId);
    const place = service?.onSite ? this.placeNow() : null;
    const windows = !!service?.onSite;
    const pick = el('select', { 'aria-label': s.service, part: 'service' });
    for (const x of services) pick.append(el('option', { value: x.id, selected: x.id === serviceId }, s.serviceOption(x.name, x.durationMinutes)));
    pick.onchange = () => { this.letGo(); e.service = pick.value; };
    const [from, to] = h.range();
    const zone = e.timeZone;
    // One engine query for the whole month: which days have slots, and the slots of the chosen day.
    let slots = [];
    if (serviceId && (!windows || place)) {
      // The time this page holds stays listed (and pressed) while the client types (until the
      // hold is confirmed: a store tells of the booking before the write's answer arrives).
      const held = this.hold && h.c.bookings({ status: ['held'], history: false }).some((b) => b.id === this.hold) ? this.hold : undefined;
      slots = h.c.availability({ serviceId, from: isoOfDay(from), to: isoOfDay(to), timeZone: zone, providerIds: e.providers.length ? e.providers : undefined,
        location: place ?? undefined, exceptHold: held }).slots;
    }
    // Per day, its free times; on site, its arrival windows (each with the reachable times in it).
    const byDay = new Map();
    const width = e.arrivalWindow;
    for (const x of slots) {
      const ms = Date.parse(x.start);
      const d = dayIn(zone, ms);
      if (!byDay.has(d)) byDay.set(d, []);
      const list = byDay.get(d);
      if (!windows) { list.push(x); continue; }
      const p = wallOf(zone, ms);
      const at = Math.floor((p.hour * 60 + p.minute) / width) * width;
      if (list.at(-1)?.from !== at) list.push({ from: at, to: Math.min(at + width, 1440), slots: [] });
      list.at(-1).slots.push(x);
    }
    const anchor = dayOfIso(e.date);
    const selected = this.selectedDay ?? anchor;
    const monthOf = (d) => new Date(d * DAY).getUTCMonth();
    const grid = el('div', { role: 'grid', class: 'month', 'aria-labelledby': 'title', part: 'grid' });
    const head = el('div', { role: 'row' });
    for (let i = 0; i < 7; i++) head.append(el('div', { role: 'columnheader', 'aria-label': fmt.memo('wdLong', from + i) }, fmt.memo('wdShort', from + i)));
    grid.append(head);
    const focusDay = selected >= from && selected < to ? selected : anchor;
    for (let r = 0; r < 6; r++) {
      const row = el('div', { role: 'row' });
      for (let i = 0; i < 7; i++) {
        const d = from + r * 7 + i;
        const free = byDay.get(d)?.length ?? 0;
        row.append(el('div', { role: 'gridcell', tabindex: d === focusDay ? 0 : -1, 'data-day': d,
          'aria-selected': d === this.selectedDay ? 'true' : 'false', 'aria-disabled': free ? undefined : 'true',
          class: monthOf(d) === monthOf(anchor) ? undefined : 'other', part: free ? 'day day-free' : 'day' },
        el('span', { class: 'sr' }, windows ? s.dayWindows(fmt.longDay(d), free) : s.dayFree(fmt.longDay(d), free)),
        el('span', { class: 'num', 'aria-hidden': 'true' }, String(new Date(d * DAY).getUTCDate())),
        free ? el('span', { class: 'free', 'aria-hidden': 'true' }, s.freeCount(free)) : null));
      }
      grid.append(row);
    }
    grid.onclick = (ev) => { const c = ev.target.closest('[data-day]'); if (c) this.chooseDay(+c.dataset.day); };
    grid.onkeydown = (ev) => dateKeys(h, ev, grid, from, to, (d) => this.chooseDay(d));

    const day = this.selectedDay;
    const on = windows ? s.windowsOn : s.freeOn;
    const list = el('div', { class: windows ? 'slots windows' : 'slots', role: 'group', 'aria-label': day != null ? on(fmt.longDay(day)) : s.freeTimes, part: 'slots' });
    for (const x of day != null ? byDay.get(day) ?? [] : []) {
      if (windows) {
        const chosen = this.slot?.window?.day === day && this.slot.window.from === x.from;
        const b = el('button', { type: 'button', 'aria-pressed': chosen ? 'true' : 'false', 'aria-busy': this.choosing === x.from ? 'true' : 'false', part: 'slot' },
          s.window(fmt.clock(x.from), fmt.clock(x.to)));
        b.onclick = () => this.chooseWindow(service, day, x);
        list.append(b);
        continue;
      }
      const chosen = this.slot?.start === x.start;
      // A group session's time says how many seats are left.
      const seats = service?.seats > 1 ? el('span', { class: 'seats' }, s.seatsLeft(x.seatsLeft)) : null;
      const b = el('button', { type: 'button', 'aria-pressed': chosen ? 'true' : 'false', part: 'slot' }, fmt.time(Date.parse(x.start)), seats);
      b.onclick = () => this.chooseSlot(serviceId, x);
      list.append(b);
    }
    const slotsHead = el('h3', null, windows && !place ? s.addressFirst : day != null ? on(fmt.longDay(day)) : s.chooseDay);
    // The visit's address, for on-site services: asked for, or shown with a way to change it.
    let where = null;
    if (windows && !place) {
      where = el('form', { class: 'where', part: 'address' },
        el('label', null, s.address, el('input', { name: 'address', required: true, autocomplete: 'street-address', maxlength: 300, value: this.typed ?? this.place?.address ?? '' })),
        el('button', { type: 'submit', part: 'button', disabled: this.finding || !e.locate, 'aria-busy': this.finding ? 'true' : 'false' }, s.findTimes));
      where.onsubmit = (ev) => { ev.preventDefault(); this.find(where.elements.address.value.trim()); };
    } else if (windows) {
      const change = el('button', { type: 'button', part: 'button', hidden: !e.locate }, s.changeAddress);
      change.onclick = () => { this.letGo(); this.editing = true; e.render(); h.root.querySelector('input[name=address]')?.focus(); };
      where = el('p', { class: 'where', part: 'place' }, s.visitAt(place.address ?? `${place.lat}, ${place.lng}`), ' ', change);
    }
    const w = this.slot?.window;
    // What is being confirmed, in words: the service, the day and time in the zone shown, and who.
    const who = this.slot?.providerId ? h.catalog().providers.find((p) => p.id === this.slot.providerId)?.name ?? null : null;
    const what = this.slot && !w && service
      ? s.confirmingWhat(service.name, fmt.longDay(dayIn(zone, Date.parse(this.slot.start))), fmt.time(Date.parse(this.slot.start)), zone, who) : null;
    const form = el('form', { hidden: !this.slot, part: 'form' },
      w ? el('p', { part: 'summary' }, `${service ? `${service.name}, ` : ''}${fmt.longDay(w.day)}, ${s.window(fmt.clock(w.from), fmt.clock(w.to))}${who ? `, ${who}` : ''}`) : null,
      what ? el('p', { part: 'summary', class: 'summary' }, what) : null,
      el('label', null, s.yourName, el('input', { name: 'name', required: true, autocomplete: 'name', maxlength: 200 })),
      // Email, phone or both: one person is one client, found again by either.
      el('fieldset', { class: 'contact' }, el('legend', null, s.contact),
        el('label', null, s.email, el('input', { name: 'email', type: 'email', autocomplete: 'email', maxlength: 200 })),
        el('label', null, s.phone, el('input', { name: 'phone', type: 'tel', autocomplete: 'tel', maxlength: 60 }))),
      el('label', null, s.notesOptional, el('textarea', { name: 'notes', rows: 2, maxlength: 2000 })),
      el('button', { class: 'primary', type: 'submit', part: 'confirm', disabled: !!this.pending, 'aria-busy': this.pending ? 'true' : 'false' }, this.pending ? s.confirming : s.confirm));
    const [email, phone] = [form.elements.email, form.elements.phone];
    const reachable = () => email.setCustomValidity(email.value.trim() || phone.value.trim() ? '' : s.contactNeeded);
    email.oninput = phone.oninput = reachable;
    form.onsubmit = (ev) => {
      ev.preventDefault();
      reachable();
      if (form.reportValidity()) this.confirm(form);
    };
    const keep = h.root.querySelector('form');
    if (keep && this.slot) for (const f of ['name', 'email', 'phone', 'notes']) form.elements[f].value = keep.elements[f]?.value ?? '';
    const hadFocus = h.root.activeElement?.closest?.('[role=grid]');
    h.show(h.toolbar([el('label', null, s.service, pick)]),
      el('div', { class: 'live sr', 'aria-live': 'polite', role: 'status' }, h.title()),
      where, grid, slotsHead, list, form, el('div', { class: 'msg', role: 'alert' }));
    h.showMsg();
    if (hadFocus) grid.querySelector('[tabindex="0"]')?.focus();
  }

  /** While the host books a request, the chosen time stays as it is. */
  busy() {
    if (!this.pending) return false;
    this.h.announce(this.h.s.waiting);
    return true;
  }

  chooseDay(day) {
    if (this.busy()) return;
    this.h.msg = null;
    this.selectedDay = day;
    this.letGo();
    this.h.element.render();
    this.h.root.querySelector('.slots button')?.focus();
  }

  chooseSlot(serviceId, slot) {
    if (this.busy()) return;
    this.h.msg = null;
    this.releaseHold();
    this.take({ serviceId, start: slot.start, end: slot.end, providerId: slot.providerIds[0], clientIds: [] });
  }

  /** Holds a chosen time (in an arrival window, on site) while the client fills in the form. */
  take(request, window) {
    const h = this.h;
    const slot = { ...request, window };
    this.slot = slot;
    const chosen = () => {
      const { serviceId, start, end } = request;
      h.emit('slot-selected', { serviceId, start, end, providerId: slot.providerId, holdId: this.hold, ...(window ? { arrival: { start: window.start, end: window.end } } : {}) });
      h.element.render();
      h.root.querySelector('input[name=name]')?.focus();
      const fmt = h.fmt;
      h.announce(window ? h.s.arrivalHeld(fmt.clock(window.from), fmt.clock(window.to), HOLD_MINUTES) : h.s.held(fmt.time(Date.parse(start)), HOLD_MINUTES));
    };
    if (typeof h.c.hold !== 'function') {
      chosen();
      return;
    }
    h.write((c) => c.hold(request, { minutes: HOLD_MINUTES }), (held) => {
      if (this.slot !== slot) {
        // Another time was chosen while this one was being held (a store answers later).
        h.write((c) => c.releaseHold(held.id), () => {}, () => {});
        return;
      }
      this.hold = held.id;
      slot.providerId = held.providerId;
      chosen();
    }, (e) => {
      if (this.slot === slot) this.slot = null;
      h.fail(e, 'hold');
      h.element.render();
    });
  }

  /** Finds the address through the host's geocoder, then shows the arrival windows there. */
  async find(text) {
    const h = this.h, e = h.element;
    if (!e.locate || !text || this.finding) return;
    h.msg = null;
    this.finding = true;
    this.typed = text; // kept in the field while the geocoder works, and if it finds nothing
    e.render();
    try {
      const p = await e.locate(text);
      if (p && Number.isFinite(p.lat) && Number.isFinite(p.lng)) {
        this.place = { lat: p.lat, lng: p.lng, address: String(p.address ?? text) };
        this.editing = false;
        this.typed = undefined;
      } else {
        h.say('error', h.s.addressNotFound(text), 'LOCATION_MISSING');
      }
    } catch (err) {
      h.fail(err, 'locate');
    } finally {
      this.finding = false;
      e.render();
    }
  }

  /**
   * An arrival window chosen: the route solver's best place for the visit in it among the day's
   * booked visits (the engine's `dayProblem` with the visit, then the solver's options), held.
   * Without the solver's module (not served), the window's first reachable time.
   */
  async chooseWindow(service, day, win) {
    const h = this.h, e = h.element, zone = e.timeZone;
    if (this.busy()) return;
    h.msg = null;
    this.releaseHold();
    this.slot = null;
    const token = {};
    this.choosing = win.from;
    this.token = token;
    e.render();
    const place = this.placeNow();
    let pick = null;
    try {
      let options = null;
      try { ({ options } = await solver()); } catch { /* the module is not served: see below */ }
      if (options) {
        // A window to midnight ends at the next day's 00:00.
        const end = win.to >= 1440 ? wallText(day + 1, 0) : wallText(day, win.to);
        const visit = { serviceId: service.id, location: place, timeZone: zone, windows: [{ start: wallText(day, win.from), end }] };
        const query = { date: isoOfDay(day), timeZone: zone, providerIds: e.providers.length ? e.providers : undefined, visit };
        const [best] = await options(h.c.dayProblem(query).problem, { job: 'visit:new', count: 1 });
        // The solver's start is where the visit's blocked time starts (its buffer first).
        if (best) pick = { providerId: best.technician, start: new Date((best.start + (service.bufferBeforeMinutes ?? 0) * 60) * 1000).toISOString() };
      }
    } catch (err) {
      if (this.token === token) { this.choosing = null; e.render(); h.fail(err, 'hold'); }
      return;
    }
    if (this.token !== token) return; // another window was chosen meanwhile
    this.choosing = null;
    pick ??= { providerId: win.slots[0].providerIds[0], start: win.slots[0].start };
    const window = { day, from: win.from, to: win.to, start: new Date(utcOf(zone, day, win.from)).toISOString(), end: new Date(utcOf(zone, day, win.to)).toISOString() };
    this.take({ serviceId: service.id, start: pick.start, providerId: pick.providerId, location: place, clientIds: [] }, window);
  }

  releaseHold() {
    const id = this.hold;
    this.hold = null;
    if (id && this.h.c) this.h.write((c) => c.releaseHold(id), () => {}, () => { /* expired or already released */ });
  }

  confirm(form) {
    const h = this.h;
    const slot = this.slot;
    if (!slot) return;
    const name = form.elements.name.value.trim();
    const email = form.elements.email.value.trim();
    const phone = form.elements.phone.value.trim();
    const notes = form.elements.notes.value.trim() || undefined;
    const { window, ...request } = slot;
    // The client's address is the visit's (on site).
    const client = { name, ...(email ? { email } : {}), ...(phone ? { phone } : {}), ...(notes ? { notes } : {}), ...(request.location ? { location: request.location } : {}) };
    if (this.pending || this.writing) return; // one request at a time: a second click sends nothing
    let answer = null;
    const detail = {
      request: { ...request, notes }, client, holdId: this.hold, ...(window ? { arrival: { start: window.start, end: window.end } } : {}),
      respondWith: (promise) => { answer = Promise.resolve(promise); },
    };
    if (!h.emit('booking-requested', detail)) {
      // The host books through its own backend; until it answers the form stays disabled.
      const pending = {};
      this.pending = pending;
      h.say('ok', h.s.requestSent);
      h.element.render();
      answer?.then(
        () => { if (this.pending === pending) { this.pending = null; this.bookHere(slot, client, notes); } },
        (e) => {
          if (this.pending !== pending) return;
          this.pending = null;
          this.releaseHold();
          this.slot = null;
          h.element.render();
          h.fail(e, 'book');
        });
      return;
    }
    this.bookHere(slot, client, notes);
  }

  /** Books the chosen time in the page's coordinator (the hold confirmed) for a new client. */
  bookHere(slot, client, notes) {
    const h = this.h;
    const { window, ...request } = slot;
    const hold = this.hold;
    this.writing = true;
    let id = `cl-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    h.write((c) => {
      // One person is one client: someone who gave this email or phone before is that client.
      const known = sameContact(c, client);
      if (known) {
        id = known.id;
        return hold ? c.confirmHold(hold, { clientIds: [id], notes }) : c.book({ ...request, clientIds: [id], notes });
      }
      c.upsertClient({ id, ...client });
      try {
        return hold ? c.confirmHold(hold, { clientIds: [id], notes }) : c.book({ ...request, clientIds: [id], notes });
      } catch (e) {
        // Nothing half-done: the client record made for this booking goes again (a store
        // undoes a failed write whole; a coordinator on its own does not).
        try { c.removeClient(id); } catch { /* in use after all */ }
        throw e;
      }
    }, (booking) => {
      this.writing = false;
      this.hold = null;
      this.slot = null;
      h.element.render();
      const fmt = h.fmt, day = fmt.longDay(this.selectedDay);
      h.say('ok', window ? h.s.bookedArrival(day, fmt.clock(window.from), fmt.clock(window.to)) : h.s.booked(day, fmt.time(Date.parse(booking.start))));
      h.emit('booked', { booking, client: { id, ...client }, ...(window ? { arrival: { start: window.start, end: window.end } } : {}) });
    }, (e) => {
      this.writing = false;
      if (e?.code !== 'INVALID_INPUT') {
        // The time is gone (or no longer bookable): let go of it, show the day again, say why.
        this.releaseHold();
        this.slot = null;
        h.element.render();
      }
      h.fail(e, 'book');
    });
  }
}

/**
 * Keys on a month grid of days (the APG date grid): arrows, Home/End within the week, PageUp/Down
 * by month (with Shift, by year), Enter or Space to choose. Shared with the console's month view.
 */
export function dateKeys(h, e, grid, from, to, choose) {
  const cell = e.target.closest('[data-day]');
  if (!cell) return;
  let d = +cell.dataset.day;
  const k = e.key;
  const first = h.fmt.firstDay();
  const move = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[k];
  if (move) d += move;
  else if (k === 'Home') d -= (weekday(d) - first + 7) % 7;
  else if (k === 'End') d += 6 - ((weekday(d) - first + 7) % 7);
  else if (k === 'PageUp' || k === 'PageDown') {
    const dt = new Date(d * DAY);
    const n = k === 'PageUp' ? -1 : 1;
    if (e.shiftKey) dt.setUTCFullYear(dt.getUTCFullYear() + n); else dt.setUTCMonth(dt.getUTCMonth() + n);
    d = Math.floor(dt.getTime() / DAY);
  } else if (k === 'Enter' || k === ' ') {
    e.preventDefault();
    if (cell.getAttribute('aria-disabled') !== 'true') choose(d);
    else h.announce(h.s.noFreeTimes(h.fmt.longDay(d)));
    return;
  } else return;
  e.preventDefault();
  if (d >= from && d < to && !(k.startsWith('Page'))) {
    const next = grid.querySelector(`[data-day="${d}"]`);
    cell.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  } else {
    h.element.date = isoOfDay(d);
    h.element.render();
    const next = h.root.querySelector(`[data-day="${d}"]`);
    if (next) { h.root.querySelectorAll('[role=gridcell][tabindex="0"]').forEach((c) => { c.tabIndex = -1; }); next.tabIndex = 0; next.focus(); }
    h.announce(h.title());
  }
}

registerView('booking', BookingView);
if (globalThis.customElements) defineServiceCalendar();
export { ServiceCalendar, defineServiceCalendar } from './element.js';

/** The client `c` already has with the email or phone of `client` (case and punctuation aside). */
function sameContact(c, client) {
  if (typeof c.clients !== 'function') return null;
  const email = client.email?.trim().toLowerCase();
  // A phone's digits without the trunk zero: "020 7946 0958" and "+44 20 7946 0958" are one number
  // when one is the other behind a country code (at most three digits).
  const digits = (p) => (p ?? '').replace(/\D/g, '').replace(/^0+/, '');
  const phone = digits(client.phone);
  const samePhone = (other) => {
    const [a, b] = [phone, digits(other)].sort((x, y) => x.length - y.length);
    return a.length >= 7 && b.endsWith(a) && b.length - a.length <= 3;
  };
  return c.clients().find((x) => (email && x.email?.trim().toLowerCase() === email) || samePhone(x.phone)) ?? null;
}
