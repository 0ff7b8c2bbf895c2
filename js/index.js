// service-coordinator: the typed JS API over the wasm engine.
// A thin shell: it turns arguments into JSON, reads the clock, throws coded errors, and tells
// onChange listeners. Every rule lives in the Rust core.
import init, { initSync, Engine, setHeapLimit as setLimit, heapUsage as usage } from './engine.js';

/** Shared with remote.js (not part of the API): a write's calls are sent to the server. */
const TAP = Symbol.for('service-coordinator.tap');

let loaded = null;

/**
 * Loads the engine once; call (and await) before the first `new Coordinator()`.
 * In a browser it fetches the .wasm next to this file; in Node it reads it from disk.
 * `source` may be the wasm bytes, a `WebAssembly.Module`, a URL or a Response, or
 * `{ build: 'booking' }` for the booking page's smaller build (availability, holds, booking and
 * the catalog; other methods answer INVALID_INPUT) instead of the console's full one.
 */
export function load(source) {
  if (!loaded) {
    loaded = (async () => {
      const build = source?.build;
      if (build !== undefined && build !== 'booking' && build !== 'console') {
        throw new CoordinatorError({ code: 'INVALID_INPUT', message: `build \`${build}\` is not booking or console`, details: [] });
      }
      if (build !== undefined) source = undefined;
      const file = build === 'booking' ? './booking_bg.wasm' : './engine_bg.wasm';
      if (source === undefined && typeof process !== 'undefined' && process.versions?.node) {
        // Node's file reader, out of a bundler's sight (a page's bundle must not try to pull it in).
        const { readFile } = process.getBuiltinModule?.('node:fs/promises') ?? await import(['node:fs', 'promises'].join('/'));
        initSync({ module: await readFile(new URL(file, import.meta.url)) });
      } else if (source instanceof WebAssembly.Module || ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
        initSync({ module: source });
      } else {
        await init({ module_or_path: source ?? new URL(file, import.meta.url) });
      }
    })();
    loaded.catch(() => { loaded = null; });
  }
  return loaded;
}

/**
 * Sets the heap budget all coordinators share, in bytes (default 2 GiB). A call that would go
 * past it faults (`INTERNAL`) instead of growing the page's memory without end; the coordinator's
 * state as it was stays available from `snapshot()`.
 */
export function setHeapLimit(bytes) { setLimit(bytes ?? 0); }

/** The heap in use by all coordinators, its budget, and the wasm memory (its high-water mark), in bytes. */
export function heapUsage() {
  const [used, limit, memory] = usage();
  return { used, limit, memory };
}

/** A refusal from the engine: a stable `code`, a sentence, and every violation in `details`. */
export class CoordinatorError extends Error {
  constructor({ code, message, details }) {
    super(message);
    this.name = 'CoordinatorError';
    this.code = code;
    this.details = details ?? [];
  }
}

function clockOf(now) {
  if (typeof now === 'function') return () => toMillis(now());
  if (now === undefined) return () => Date.now();
  const fixed = toMillis(now);
  return () => fixed;
}

function toMillis(value) {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  return NaN;
}

// A slot's providers cross the boundary as a hex bitmask, 4 providers a digit, lowest first.
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = i;
function fromMask(hex, ids) {
  const out = [];
  for (let d = 0; d < hex.length; d++) {
    const bits = HEX[hex.charCodeAt(d)];
    if (bits & 1) out.push(ids[d * 4]);
    if (bits & 2) out.push(ids[d * 4 + 1]);
    if (bits & 4) out.push(ids[d * 4 + 2]);
    if (bits & 8) out.push(ids[d * 4 + 3]);
  }
  return out;
}

// JSON would write NaN and Infinity as null, which reads as "not given": `expectedRevision: NaN`
// would skip the stale-revision check. They are refused instead, with the path to them.
function finiteOnly(key, value) {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`${key ? `\`${key}\` is` : 'the argument is'} ${value}, not a finite number`);
  }
  return value;
}

/** Inputs longer than this many characters cross into the engine as UTF-8 bytes. */
const LARGE = 16384;
const UTF8 = new TextEncoder();

function toJson(value) {
  try {
    const text = JSON.stringify(value === undefined ? null : value, finiteOnly);
    if (text === undefined) throw new TypeError('not representable as JSON');
    return text;
  } catch (e) {
    throw new CoordinatorError({ code: 'INVALID_INPUT', message: `argument is not JSON data: ${e.message}`, details: [] });
  }
}

export class Coordinator {
  #engine;
  #now;
  #listeners = new Set();
  #dead = false;
  #rescued = null;
  #zone = 'UTC';

  /**
   * @param {{ now?: string | number | Date | (() => string | number | Date), timeZone?: string }} [options]
   */
  constructor(options = {}) {
    if (!loaded) throw new Error('call `await load()` before `new Coordinator()`');
    this.#engine = new Engine();
    this.#now = clockOf(options?.now);
    if (options?.timeZone !== undefined) this.#zone = this.#call('configure', options.timeZone);
  }

  /**
   * Replaces this coordinator's state with a snapshot's (`null`: empty, in the same zone), keeping
   * its listeners and clock: what a store does when the engine moved and the disk did not.
   * Listeners hear nothing of it; a view re-renders from the coordinator.
   */
  replaceState(json) {
    if (json === null) {
      const engine = new Engine();
      const reply = JSON.parse(engine.call('configure', toJson(this.#zone), this.#clock()));
      if (reply.error) throw new CoordinatorError(reply.error);
      this.#engine = engine;
      this.#dead = false;
      return;
    }
    this.#zone = this.#restore(typeof json === 'string' ? json : toJson(json));
  }

  /** The coordinator's clock, in milliseconds since the epoch: the `now` its calls use. */
  now() { return this.#now(); }

  /** The zone wall times without an offset are read in (the one given to the constructor). */
  get timeZone() { return this.#zone; }

  /** Rebuilds a coordinator from `snapshot()` text (or its parsed object). */
  static restore(json, options = {}) {
    const c = new Coordinator({ now: options?.now });
    c.#zone = c.#restore(typeof json === 'string' ? json : toJson(json));
    return c;
  }

  /**
   * Hands the snapshot's text to the engine 256 KB at a time, never cutting a character
   * (a surrogate pair) in two: the engine reads each booking as its text completes, so the text
   * is never in wasm memory whole (100,000 bookings: 50 MB of text).
   */
  #restore(text) {
    const PIECE = 1 << 18;
    const reply = (out) => {
      const r = JSON.parse(out);
      if (r.error) throw new CoordinatorError(r.error);
      return r.ok;
    };
    try {
      for (let i = 0; i < text.length;) {
        let end = Math.min(text.length, i + PIECE);
        const last = text.charCodeAt(end - 1);
        if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
        const out = this.#engine.restorePiece(UTF8.encode(text.slice(i, end)));
        if (out) reply(out);
        i = end;
      }
      return reply(this.#engine.restoreEnd());
    } catch (e) {
      if (e instanceof CoordinatorError) throw e;
      if (e instanceof WebAssembly.RuntimeError) this.#fault();
      throw new CoordinatorError({ code: 'INTERNAL', message: `engine fault in restore: ${e.message}`, details: [] });
    }
  }

  /** The clock's reading, or INVALID_TIME if the host's clock fails. */
  #clock() {
    try {
      return this.#now();
    } catch (e) {
      throw new CoordinatorError({ code: 'INVALID_TIME', message: `the clock (\`now\`) failed: ${e?.message ?? e}`, details: [] });
    }
  }

  /** Runs one engine call; a trap ends this coordinator (its state stays in `snapshot()`). */
  #engineRun(method, run) {
    try {
      return run();
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) this.#fault();
      throw new CoordinatorError({ code: 'INTERNAL', message: `engine fault in ${method}: ${e.message}; snapshot() still has the state`, details: [] });
    }
  }

  /** Calls the engine: `input` as JSON (`raw`: already JSON text), and for a method whose first
   * argument is large text (a calendar), that `text` apart, as UTF-8, never escaped into JSON. */
  #call(method, input, raw = false, text = undefined) {
    if (this.#dead) throw new CoordinatorError({ code: 'INTERNAL', message: 'this coordinator stopped after an internal fault; restore it from its snapshot()', details: [] });
    const json = raw ? input : toJson(input);
    const now = this.#clock();
    // Large inputs cross as UTF-8 from the native TextEncoder (see Engine.callUtf8).
    const reply = JSON.parse(this.#engineRun(method, () => {
      if (text !== undefined) return this.#engine.callWithText(method, UTF8.encode(text), json, now);
      return json.length > LARGE ? this.#engine.callUtf8(method, UTF8.encode(json), now) : this.#engine.call(method, json, now);
    }));
    if (reply.error) throw new CoordinatorError(reply.error);
    // The remote store's tap (remote.js): which calls changed something, with their input.
    if (reply.changes.length > 0) this[TAP]?.(method, text === undefined ? json : toJson([text, input]));
    for (const change of reply.changes) {
      for (const listener of this.#listeners) {
        try {
          listener(change);
        } catch (e) {
          // A host listener's failure must not undo or block the engine's change, nor the other
          // listeners, nor end a Node process: it is reported as the platform reports errors.
          if (typeof globalThis.reportError === 'function') globalThis.reportError(e);
          else console.error('service-coordinator: an onChange listener threw', e);
        }
      }
    }
    return reply.ok;
  }

  // A read-only call answering text, which crosses as it is: `=` and the text, or an error.
  #text(method, input) {
    if (this.#dead) return this.#call(method, input);
    const now = this.#clock();
    const out = this.#engineRun(method, () => this.#engine.text(method, toJson(input), now));
    if (out[0] === '=') return out.slice(1);
    throw new CoordinatorError(JSON.parse(out).error);
  }

  upsertProvider(provider) { return this.#call('upsertProvider', provider); }
  upsertService(service) { return this.#call('upsertService', service); }
  upsertResource(resource) { return this.#call('upsertResource', resource); }
  upsertClient(client) { return this.#call('upsertClient', client); }
  setTravel(travel) { return this.#call('setTravel', travel); }
  travel() { return this.#call('travel', null); }
  removeProvider(id) { this.#call('removeProvider', id); }
  removeService(id) { this.#call('removeService', id); }
  removeResource(id) { this.#call('removeResource', id); }
  removeClient(id) { this.#call('removeClient', id); }
  providers() { return this.#call('providers', null); }
  services() { return this.#call('services', null); }
  resources() { return this.#call('resources', null); }
  clients() { return this.#call('clients', null); }
  /** Removed providers, services, resources and clients that past bookings still name. */
  archived() { return this.#call('archived', null); }
  booking(id) { return this.#call('booking', id); }
  bookings(filter = {}) { return this.#call('bookings', filter); }

  availability(query) {
    const { providerIds, slots, unavailable } = this.#call('availability', query);
    return {
      slots: slots.map((s) => ({ start: s.start, end: s.end, providerIds: fromMask(s.providers, providerIds), seatsLeft: s.seatsLeft })),
      unavailable,
    };
  }

  /** Each provider's verdict on a request (or the named provider's), with every reason. */
  explain(request) { return this.#call('explain', request); }

  /** Ranked feasible options near a request: other times, other providers, or both. */
  alternatives(request, options = {}) { return this.#call('alternatives', { ...options, request }); }

  freeBusy(query) { return this.#call('freeBusy', query); }
  check(request) { return this.#call('check', request); }
  book(request) { return this.#call('book', request); }
  /** Holds a slot for `minutes` (default 10) while a client fills in the form. */
  hold(request, options) { return this.#call('hold', [request, options?.minutes ?? 10]); }
  confirmHold(id, details = {}) { return this.#call('confirmHold', [id, details]); }
  releaseHold(id, options = {}) { return this.#call('releaseHold', [id, options]); }
  /** Works out how to repair the schedule after a disruption (changes nothing). */
  planRepair(disruption) { return this.#call('planRepair', disruption); }
  /** Reads an RRULE (RFC 5545); a rule the RFC forbids is INVALID_RULE. */
  parseRule(text) { return this.#call('parseRule', text); }
  /** The instants (UTC) of a recurrence in a zone, within an optional window. */
  expand(query) { return this.#call('expand', query); }
  /** Checks every occurrence of a recurring booking together (books nothing). */
  checkSeries(request, rrule, options = {}) { return this.#call('checkSeries', { ...options, request, rrule }); }
  /** Books a series: all or nothing, or with `{ bookableOnly: true }` the occurrences that pass. */
  bookSeries(request, rrule, options = {}) { return this.#call('bookSeries', { ...options, request, rrule }); }
  cancelSeries(seriesId, change = {}) { return this.#call('cancelSeries', [seriesId, change]); }
  rescheduleSeries(seriesId, change = {}) { return this.#call('rescheduleSeries', [seriesId, change]); }
  /** Imports a provider's calendar (VEVENT, VFREEBUSY as busy time; VAVAILABILITY as hours): what
   * cannot be read is left out and reported, or with `{ strict: true }` the file is refused. */
  importICalendar(text, options) {
    if (typeof text !== 'string') throw new CoordinatorError({ code: 'INVALID_INPUT', message: 'importICalendar: the calendar is iCalendar text (a string)', details: [] });
    return this.#call('importICalendar', options, false, text);
  }
  /** Bookings (and optionally a provider's busy time) as iCalendar text (RFC 5545). */
  exportICalendar(query = {}) { return this.#call('exportICalendar', query); }
  /** Puts a client on the waitlist (or replaces their entry by id). */
  waitlistAdd(entry) { return this.#call('waitlistAdd', entry); }
  waitlistRemove(id) { this.#call('waitlistRemove', id); }
  waitlist() { return this.#call('waitlist', null); }
  /** Which waiting client gets which slot now: by priority, then waiting time. Books nothing. */
  waitlistOffers() { return this.#call('waitlistOffers', null); }
  /** Fits an urgent job in by its deadline, bumping lower-priority bookings if it must (changes nothing). */
  planUrgent(request) { return this.#call('planUrgent', request); }
  /** Applies a plan from `planRepair` or `planUrgent`, all or nothing. */
  applyPlan(planId) { return this.#call('applyPlan', planId); }
  upsertWorkOrder(order) { return this.#call('upsertWorkOrder', order); }
  removeWorkOrder(id) { this.#call('removeWorkOrder', id); }
  workOrders() { return this.#call('workOrders', null); }
  /** The route solver's problem for a day (solve it with `service-coordinator/dispatch`). */
  dayProblem(query) { return this.#call('dayProblem', query); }
  /** Books a solved plan all or nothing (only each stop's job and start are read). */
  commitDayPlan(day, plan) {
    const routes = plan.routes.map((r) => ({ technician: r.technician, shift: r.shift ?? 0, stops: r.stops.map((s) => ({ job: s.job, start: s.start })) }));
    const unassigned = (plan.unassigned ?? []).map((u) => (typeof u === 'string' ? u : u.job));
    return this.#call('commitDayPlan', { version: day.version, routes, unassigned });
  }
  reschedule(id, changes = {}) { return this.#call('reschedule', [id, changes]); }
  /** What `reschedule(id, changes)` would break, state unchanged (a drag checks each position). */
  checkReschedule(id, changes = {}) { return this.#call('checkReschedule', [id, changes]); }
  /** Live bookings that break a rule where they stand (time off added later, a skill removed...). */
  atRisk(filter = {}) { return this.#call('atRisk', filter); }
  cancel(id, options = {}) { return this.#call('cancel', [id, options]); }
  setStatus(id, status, options = {}) { return this.#call('setStatus', [id, status, options]); }
  updateVisit(id, update) { return this.#call('updateVisit', [id, update]); }
  followUps(query = {}) { return this.#call('followUps', query); }
  closeFollowUp(bookingId, close) { return this.#call('closeFollowUp', [bookingId, close]); }
  setBilling(billing) { return this.#call('setBilling', billing); }
  billing() { return this.#call('billing', null); }
  timeEntries() { return this.#call('timeEntries', null); }
  addTimeEntry(entry) { return this.#call('addTimeEntry', entry); }
  updateTimeEntry(id, change) { return this.#call('updateTimeEntry', [id, change]); }
  removeTimeEntry(id) { this.#call('removeTimeEntry', id); }
  approveTimeEntries(ids) { return this.#call('approveTimeEntries', ids); }
  correctTimeEntry(id, change) { return this.#call('correctTimeEntry', [id, change]); }
  metrics(query) { return this.#call('metrics', query); }
  timesheet(query) { return this.#call('timesheet', query); }
  invoice(bookingId) { return this.#call('invoice', bookingId); }
  visitsCsv(query) { return this.#text('visitsCsv', query); }
  fhir(query) { return this.#call('fhir', query); }

  // The sync protocol (README, "Keeping copies in step"): versions, the kept changes, applying
  // another copy's changes in order, each once.
  changeVersion() { return this.#call('changeVersion', null); }
  changesSince(version) { return this.#call('changesSince', version); }
  applyChanges(changes) { return this.#call('applyChanges', changes); }
  importBookings(records) { return this.#call('importBookings', records); }

  /** The whole state as versioned JSON text (after a fault: the state the faulted call left). */
  snapshot() {
    if (this.#dead) {
      if (this.#rescued === null) throw new CoordinatorError({ code: 'INTERNAL', message: 'the state could not be read after a fault', details: [] });
      return this.#rescued;
    }
    return this.#engine.snapshot();
  }

  // A call trapped: keep the state it left as snapshot text, then refuse further calls.
  #fault() {
    this.#dead = true;
    try {
      this.#rescued = this.#engine.rescue();
    } catch {
      this.#rescued = null;
    }
  }

  /** Calls `listener(change)` after every change; returns a function that unsubscribes. */
  onChange(listener) {
    if (typeof listener !== 'function') throw new CoordinatorError({ code: 'INVALID_INPUT', message: 'onChange needs a function', details: [] });
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
