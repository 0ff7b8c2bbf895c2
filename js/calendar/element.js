// <service-calendar>: a calendar element over a Coordinator. Every rule is the engine's: the
// element lays out what the engine answers, turns pointer and key presses into engine calls, and
// fires events. This file is the element itself (attributes, the coordinator, messages, the
// toolbar); the views are modules that register themselves: booking.js (the client's booking
// flow) and console.js (the coordinator's console), so a booking page never loads the console.
import { DAY, dayOfIso, isoOfDay, todayIn, periodOf, shiftDay } from './zone.js';
import { el, Formats, adopt, STYLE } from './dom.js';
import { STRINGS } from './strings.js';

/** The languages the element speaks besides English, each loaded when a `locale` asks for it. */
const LOCALES = {
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  ja: () => import('./locales/ja.js'),
};

const VIEWS = ['month', 'week', 'day', 'agenda', 'resource-day', 'resource-week', 'dispatch', 'reports'];
/** Views by mode: a class taking the `Host`, with `render()`, and optionally `changed(change)`,
 * `reset()` (what is drawn is stale) and `leave()` (the element goes or changes mode). */
const views = {};
const loaders = { coordinator: () => import('./console.js') };
export function registerView(mode, View) { views[mode] = View; }

/** The element as its views see it: state, strings, formatting, messages, the period on screen. */
export class Host {
  constructor(element, root) {
    this.element = element;
    this.root = root;
    this.css = [STYLE];
    this.catalogCache = null;
    this.msg = null;
  }
  get c() { return this.element.coordinator; }
  /**
   * Makes a change: `change(coordinator)` runs through the element's `store` when it has one
   * (kept before `done` is called; a remote store runs it on a scratch copy, so `change` uses
   * the coordinator it is given), else on the coordinator at once. Then `done(result)`, or
   * `failed(error)` with the coordinator as it was.
   */
  write(change, done, failed) {
    const store = this.element.store;
    if (store) {
      store.write(change).then(done, failed);
      return;
    }
    let result;
    try {
      result = change(this.c);
    } catch (e) {
      failed(e);
      return;
    }
    done(result);
  }
  get s() { return this.element.strings; }
  get zone() { return this.element.timeZone; }
  get fmt() {
    const e = this.element;
    if (this.fmtCache?.locale !== e.locale || this.fmtCache?.zone !== e.timeZone) this.fmtCache = new Formats(e.locale, e.timeZone);
    return this.fmtCache;
  }
  /** Draws `nodes` as the whole content, over the style sheets the view asked for (a missing
   * part, `null`, is left out: `replaceChildren` would write it as the text "null"). */
  show(...nodes) {
    adopt(this.root, ...this.css);
    this.root.replaceChildren(...(this.root.adoptedStyleSheets ? [] : this.css.map((t) => el('style', null, t))), ...nodes.filter((n) => n != null));
  }
  schedule() { this.element.schedule(); }
  emit(type, detail) {
    return this.element.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: type === 'booking-requested' }));
  }
  /** The engine's sentence with its UTC instants (`2026-11-24T14:00:00Z`) written as people read
   * them: in the zone shown, in the locale ("Tue, Nov 24, 9:00 AM"). */
  readable(text) {
    return String(text).replace(/\b(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\b/g, (t) => this.at(t));
  }
  /** A UTC instant (text or ms) as people read it: day and time in the zone shown. */
  at(t) {
    const ms = typeof t === 'number' ? t : Date.parse(t);
    return Number.isFinite(ms) ? `${this.fmt.f('dayShort').format(ms)}, ${this.fmt.time(ms)}` : String(t);
  }
  /** What the strings table's sentences format facts with, in the element's locale and zone. */
  get phrase() {
    const fmt = this.fmt;
    if (this.sayCache?.fmt === fmt) return this.sayCache;
    const list = new Intl.ListFormat(fmt.locale, { type: 'conjunction' });
    const day = (ms) => fmt.f('dayShort').format(ms);
    this.sayCache = {
      fmt,
      at: (t) => this.at(t),
      time: (t) => fmt.time(Date.parse(t)),
      /** From and to, the day said once when both fall on it. */
      span: (a, b) => {
        const [x, y] = [Date.parse(a), Date.parse(b)];
        return day(x) === day(y) ? `${day(x)}, ${fmt.time(x)}–${fmt.time(y)}` : `${this.at(x)} – ${this.at(y)}`;
      },
      list: (items) => list.format(items ?? []),
    };
    return this.sayCache;
  }
  /** A violation or an error as a sentence in the element's language and zone: made from its
   * facts by the strings table (`violation[code]`), else the table's sentence for the code, else
   * the engine's English with its instants made readable. */
  explain(v) {
    const made = v?.facts && this.s.violation[v.code];
    if (made) {
      try {
        const text = made(v.facts, this.phrase);
        if (text) return text;
      } catch { /* facts of an older engine: fall back */ }
    }
    return this.s.codes[v?.code] ?? this.readable(v?.message ?? v);
  }
  /** Every violation of a refusal, explained, joined. */
  explainAll(list, sep = '; ') { return list.map((x) => this.explain(x)).join(sep); }
  /** Says what went wrong, in place and to the host (an `error` event, with the engine's text). */
  fail(e, action) {
    const error = { code: e?.code ?? 'INTERNAL', message: String(e?.message ?? e), details: e?.details ?? [] };
    const facts = error.details.filter((d) => d.facts);
    this.say('error', facts.length ? this.explainAll(facts) : this.explain(error), error.code);
    this.emit('error', { ...error, action: action ?? 'render' });
  }
  /** Shows a message until the next choice; kept across re-renders (a change may re-render at once). */
  say(kind, text, code) {
    this.msg = { kind, text, code };
    this.showMsg();
    const live = this.root.querySelector('.live');
    if (live) live.textContent = text;
  }
  showMsg() {
    const m = this.root.querySelector('.msg');
    const said = this.msg;
    if (!m || !said) return;
    m.className = `msg ${said.kind}`;
    m.replaceChildren();
    // People read the sentence; the code stays for programs (the `error` event, `data-code`).
    if (said.code) m.dataset.code = said.code;
    else delete m.dataset.code;
    m.append(said.text);
  }
  announce(text) {
    const live = this.root.querySelector('.live');
    if (live) live.textContent = text;
  }
  /** Providers, services and clients with a name map, kept until one of them changes. */
  catalog() {
    if (!this.catalogCache) {
      const [providers, services, clients, resources] = [this.c.providers(), this.c.services(), this.c.clients(), this.c.resources()];
      const names = new Map();
      for (const list of [providers, services, clients, resources]) for (const x of list) names.set(x.id, x.name);
      this.catalogCache = { providers, services, clients, resources, names };
    }
    return this.catalogCache;
  }
  names() { return this.catalog().names; }
  /** A service's colour: its own (`color`, checked by the engine as #rrggbb), else its place in
   * the catalog (by id), so it is the same on every load. */
  color(serviceId) {
    const c = this.catalog();
    c.colors ??= new Map(c.services.map((x, i) => [x.id, x.color ?? `var(--sc-c${i % 6})`]));
    return c.colors.get(serviceId) ?? 'var(--sc-muted)';
  }
  /** The days on screen, `[from, to)`. */
  range() { return periodOf(this.element.view, dayOfIso(this.element.date), this.fmt.firstDay()); }
  title() {
    const [from, to] = this.range();
    const fmt = this.fmt;
    if (this.element.view === 'month' || this.element.view === 'reports') return fmt.f('month').format(dayOfIso(this.element.date) * DAY);
    if (to - from === 1) return fmt.longDay(from);
    const f = fmt.f('span');
    return f.formatRange ? f.formatRange(from * DAY, (to - 1) * DAY) : `${f.format(from * DAY)} – ${f.format((to - 1) * DAY)}`;
  }
  shift(n, unit) { this.element.date = isoOfDay(shiftDay(dayOfIso(this.element.date), n, unit)); }
  periodStep() {
    const v = this.element.view;
    return v === 'month' || v === 'reports' ? [1, 'month'] : v === 'day' || v === 'resource-day' || v === 'dispatch' ? [1, 'day'] : [7, 'day'];
  }
  toolbar(extra) {
    const s = this.s, e = this.element;
    const [n, unit] = this.periodStep();
    const zone = el('select', { 'aria-label': s.timeZone, part: 'zone' });
    const zones = new Set([e.timeZone, e.zoneDefault(), ...this.catalog().providers.map((p) => p.timeZone)]);
    try { zones.add(Intl.DateTimeFormat().resolvedOptions().timeZone); } catch { /* no Intl zone */ }
    for (const z of zones) zone.append(el('option', { value: z, selected: z === e.timeZone }, z));
    zone.onchange = () => { e.timeZone = zone.value; };
    // ‹ and › are mirrored by the bidi algorithm in a right-to-left element: no flip of our own.
    const prev = el('button', { type: 'button', 'aria-label': s.previous, part: 'button' }, '‹');
    const next = el('button', { type: 'button', 'aria-label': s.next, part: 'button' }, '›');
    const today = el('button', { type: 'button', part: 'button' }, s.today);
    prev.onclick = () => this.shift(-n, unit);
    next.onclick = () => this.shift(n, unit);
    today.onclick = () => { e.date = isoOfDay(todayIn(e.timeZone)); };
    const title = el('h2', { id: 'title' }, this.title());
    return el('div', { class: 'bar', part: 'toolbar' }, prev, today, next, title, ...extra, el('label', null, s.zone, zone));
  }
}

const coded = (message, code) => Object.assign(new Error(message), { code });

export class ServiceCalendar extends HTMLElement {
  static observedAttributes = ['view', 'mode', 'locale', 'time-zone', 'service', 'providers', 'date', 'step', 'arrival-window'];
  #c = null;
  #store = null;
  #hostStrings = null;
  #localeStrings = null;
  #localeLang = 'en';
  #off = null;
  #queued = false;
  #host;
  #view = null; // the view drawn now, and its mode
  #mode = null;
  #strings = STRINGS;
  #location = null;
  #locate = null;

  constructor() {
    super();
    this.#host = new Host(this, this.attachShadow({ mode: 'open' }));
  }

  // ---- properties mirrored to attributes ----
  get view() { const v = this.getAttribute('view'); return VIEWS.includes(v) ? v : (this.mode === 'booking' ? 'month' : 'week'); }
  set view(v) { this.setAttribute('view', v); }
  get mode() { return this.getAttribute('mode') === 'booking' ? 'booking' : 'coordinator'; }
  set mode(v) { this.setAttribute('mode', v); }
  get locale() { return this.getAttribute('locale') || undefined; }
  set locale(v) { this.setAttribute('locale', v); }
  get timeZone() { return this.getAttribute('time-zone') || this.zoneDefault(); }
  set timeZone(v) { this.setAttribute('time-zone', v); }
  get service() { return this.getAttribute('service') || ''; }
  set service(v) { this.setAttribute('service', v); }
  get providers() { const p = this.getAttribute('providers'); return p ? p.split(/[\s,]+/).filter(Boolean) : []; }
  set providers(v) { this.setAttribute('providers', Array.isArray(v) ? v.join(',') : v); }
  get date() { return this.getAttribute('date') || isoOfDay(todayIn(this.timeZone)); }
  set date(v) { this.setAttribute('date', v); }
  get step() { const s = +this.getAttribute('step'); return s >= 5 && s <= 240 ? s : 30; }
  set step(v) { this.setAttribute('step', v); }
  /** Minutes in an arrival window the booking page offers for on-site services (30 to 480). */
  get arrivalWindow() { const w = +this.getAttribute('arrival-window'); return w >= 30 && w <= 480 ? w : 120; }
  set arrivalWindow(v) { this.setAttribute('arrival-window', v); }
  /** Where an on-site visit is (`{ lat, lng, address? }`), if the host knows (a signed-in client). */
  get location() { return this.#location; }
  set location(v) { this.#location = v ?? null; this.#view?.reset?.(); this.schedule(); }
  /** The host's geocoder: `async (text) => ({ lat, lng, address? }) | null`. With it (or a
   * `location`), the booking page offers on-site services, asking for the address. */
  get locate() { return this.#locate; }
  set locate(fn) { this.#locate = typeof fn === 'function' ? fn : null; this.schedule(); }
  /** The words the element shows: English, under the table of the `locale`'s language (German,
   * French, Spanish, Japanese: loaded when first needed), under the host's own translations. */
  get strings() { return this.#strings; }
  set strings(v) {
    this.#hostStrings = v ?? null;
    this.#mergeStrings();
  }

  #mergeStrings() {
    const layers = [STRINGS, this.#localeStrings, this.#hostStrings].filter(Boolean);
    const merged = Object.assign({}, ...layers);
    // Tables of words (views, statuses, violations...) merge key by key.
    for (const k in STRINGS) if (typeof STRINGS[k] === 'object') merged[k] = Object.assign({}, ...layers.map((l) => l[k]));
    this.#strings = merged;
    this.#view?.reset?.();
    this.schedule();
  }

  /** Loads the words of the `locale`'s language (or the browser's), if the element has them. */
  #loadLocale() {
    let lang = 'en';
    try { lang = new Intl.Locale(this.locale ?? globalThis.navigator?.language ?? 'en').language; } catch { /* a bad locale: said when drawn */ }
    if (lang === this.#localeLang) return;
    this.#localeLang = lang;
    const load = LOCALES[lang];
    if (!load) {
      this.#localeStrings = null;
      this.#mergeStrings();
      return;
    }
    load().then((m) => {
      if (this.#localeLang !== lang) return; // the locale changed again meanwhile
      this.#localeStrings = m.default;
      this.#mergeStrings();
    }, (e) => this.#host.fail(e, 'render'));
  }

  /** A store that keeps the coordinator (`openStore` from service-coordinator/persist, or
   * `connect` from service-coordinator/remote): the element shows its coordinator and makes
   * every change through its `write`. */
  get store() { return this.#store; }
  set store(s) {
    this.#store = s ?? null;
    this.coordinator = s ? s.coordinator : null;
  }

  get coordinator() { return this.#c; }
  set coordinator(c) {
    if (this.#off) this.#off();
    this.#c = c;
    this.#off = c ? c.onChange((change) => this.#changed(change)) : null;
    this.#host.catalogCache = null;
    this.#view?.reset?.();
    this.schedule();
  }

  connectedCallback() { this.#loadLocale(); this.schedule(); }
  disconnectedCallback() { this.#view?.leave?.(); }
  attributeChangedCallback(name) {
    if (name === 'locale') this.#loadLocale();
    this.#view?.reset?.();
    this.schedule();
  }

  /** Draws now (rendering is otherwise batched to the next microtask). */
  render() {
    this.#queued = false;
    if (!this.#c || !this.isConnected) return;
    const host = this.#host, s = this.strings;
    try {
      try { new Intl.DateTimeFormat('en', { timeZone: this.timeZone }); } catch { throw coded(s.badZone(this.timeZone), 'UNKNOWN_TIME_ZONE'); }
      try { if (this.locale !== undefined) Intl.getCanonicalLocales(this.locale); } catch { throw coded(s.badLocale(this.locale), 'INVALID_INPUT'); }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(this.date) || Number.isNaN(Date.parse(`${this.date}T00:00:00Z`))) throw coded(s.badDate(this.date), 'INVALID_TIME');
      const mode = this.mode;
      if (this.#mode !== mode) {
        this.#view?.leave?.();
        const View = views[mode];
        if (!View) {
          // A page that loaded only the booking flow asked for the console: fetch it, then draw.
          loaders[mode]().then(() => this.schedule(), (e) => host.fail(e, 'render'));
          return;
        }
        host.css = [STYLE];
        this.#view = new View(host);
        this.#mode = mode;
      }
      this.#view.render();
    } catch (e) {
      // Nothing drawn: say why in place of the calendar (and to the host, as an `error` event).
      this.#view?.reset?.();
      host.show(el('div', { class: 'live sr', role: 'status' }), el('div', { class: 'msg', role: 'alert' }));
      host.fail(e, 'render');
    }
  }

  /** Renders on the next microtask (once, however many changes come before it). */
  schedule() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => this.#queued && this.render());
  }

  zoneDefault() {
    try { return this.#c?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone; } catch { return 'UTC'; }
  }

  #changed(change) {
    if (change.kind !== 'booking') this.#host.catalogCache = null;
    if (this.#view?.changed) this.#view.changed(change);
    else this.schedule();
  }

  /** Previews the engine's repair plan for a provider out on `day`, with an Apply button (console). */
  planRepairFor(providerId, day = dayOfIso(this.date)) {
    if (!this.#view?.planRepairFor) { this.#host.fail(coded('the repair preview is part of the console (mode="coordinator")', 'INVALID_INPUT'), 'planRepair'); return null; }
    return this.#view.planRepairFor(providerId, day);
  }
}

/** Defines `<service-calendar>` (once; a second call is a no-op). */
export function defineServiceCalendar(name = 'service-calendar') {
  if (!customElements.get(name)) customElements.define(name, class extends ServiceCalendar {});
  return customElements.get(name);
}
