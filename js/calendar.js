// <service-calendar>: a calendar element over a Coordinator. Every rule is the engine's: this file
// lays out what the engine answers, turns pointer and key presses into engine calls, and fires
// events. Text from hosts and clients only ever goes in through textContent or attributes.
const DAY = 864e5;
const VIEWS = ['month', 'week', 'day', 'agenda', 'resource-day', 'resource-week'];
const LIVE = ['tentative', 'confirmed'];

// ---- time in a zone, through Intl (the engine reads wall times itself; this is for layout) ----
const partFmts = new Map();
function wallOf(zone, ms) {
  let f = partFmts.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    partFmts.set(zone, f);
  }
  const p = {};
  for (const { type, value } of f.formatToParts(ms)) p[type] = +value;
  return p;
}
const offsetAt = (zone, ms) => {
  const p = wallOf(zone, ms);
  return (Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute) - Math.floor(ms / 6e4) * 6e4) / 6e4;
};
/** The instant a wall time (day number, minutes) has in `zone`; in a gap, the later reading. */
function utcOf(zone, day, minutes) {
  const guess = day * DAY + minutes * 6e4;
  const first = guess - offsetAt(zone, guess) * 6e4;
  const second = guess - offsetAt(zone, first) * 6e4;
  return Math.max(first, second);
}
const dayOfIso = (iso) => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY);
const isoOfDay = (n) => new Date(n * DAY).toISOString().slice(0, 10);
/** The day (days since 1970-01-01) an instant falls on in `zone`. */
const dayIn = (zone, ms) => { const p = wallOf(zone, ms); return Math.floor(Date.UTC(p.year, p.month - 1, p.day) / DAY); };
const todayIn = (zone) => dayIn(zone, Date.now());
const weekday = (n) => (n + 4) % 7; // 0 = Sunday
const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const wallText = (day, minutes) => `${isoOfDay(day)}T${hhmm(minutes)}`;

/**
 * A booking cut into one piece per day shown: `i` the day's index, `a`/`z` wall minutes from that
 * midnight (`z` is 1440 when it runs on), `first`/`last` whether the piece holds its start/end.
 * `frame`: the first and last day, each day's starting instant, and the zone arithmetic.
 */
function segmentsOf(b, { from, to, starts, minuteOf, dayIndexOf }) {
  const out = [];
  const s = Date.parse(b.start), e = Date.parse(b.end);
  for (let i = Math.max(0, dayIndexOf(s)); i < to - from && starts[i] < e; i++) {
    const a = Math.max(0, minuteOf(Math.max(s, starts[i]), i));
    const z = e >= starts[i + 1] ? 24 * 60 : minuteOf(e, i);
    if (z > a) out.push({ b, i, a, z, day: from + i, first: s >= starts[i], last: e <= starts[i + 1] });
  }
  return out;
}

function el(tag, attrs, ...kids) {
  const n = document.createElement(tag);
  if (attrs) for (const k in attrs) if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) n.setAttribute(k, attrs[k]);
  for (const k of kids) if (k !== undefined && k !== null) n.append(k);
  return n;
}

const STYLE = `
:host{--sc-bg:#fff;--sc-fg:#1d2330;--sc-muted:#5b6475;--sc-line:#e1e5ea;--sc-accent:#1f5fbf;--sc-accent-fg:#fff;
--sc-off:#f3f4f6;--sc-bad:#b42318;--sc-ok:#067647;--sc-radius:6px;--sc-hour:48px;--sc-font:system-ui,sans-serif;
--sc-c0:#2563eb;--sc-c1:#0d9488;--sc-c2:#c2410c;--sc-c3:#7c3aed;--sc-c4:#be185d;--sc-c5:#4d7c0f;
display:block;font-family:var(--sc-font);color:var(--sc-fg);background:var(--sc-bg);container-type:inline-size;position:relative}
:host([theme=dark]){--sc-bg:#161a22;--sc-fg:#e7eaf0;--sc-muted:#a5adbb;--sc-line:#2c3340;--sc-accent:#7fb0ff;--sc-accent-fg:#0b1220;
--sc-off:#1e232d;--sc-bad:#ff8a80;--sc-ok:#6ee7a8;--sc-c0:#3b82f6;--sc-c1:#0f9f90;--sc-c2:#d9622b;--sc-c3:#8b5cf6;--sc-c4:#db2777;--sc-c5:#5d9a13}
*{box-sizing:border-box}[hidden]{display:none!important}
button,select,input,textarea{font:inherit;color:inherit;background:var(--sc-bg);border:1px solid var(--sc-line);border-radius:var(--sc-radius);padding:.35rem .6rem}
button{cursor:pointer}button.primary{background:var(--sc-accent);color:var(--sc-accent-fg);border-color:var(--sc-accent)}.primary[disabled]{opacity:.65;cursor:progress}
:focus-visible{outline:3px solid var(--sc-accent);outline-offset:1px}
.bar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;padding:.5rem 0}
.bar h2{font-size:1.05rem;margin:0 auto 0 .25rem}.bar label{display:flex;gap:.3rem;align-items:center;font-size:.9rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.scroll{overflow:auto;max-height:var(--sc-height,70vh);border:1px solid var(--sc-line);border-radius:var(--sc-radius);position:relative}
.head,.body{display:grid;grid-template-columns:3.5rem repeat(var(--cols),minmax(var(--sc-col,7rem),1fr));min-width:min-content}
.head{position:sticky;top:0;z-index:3;background:var(--sc-bg);border-bottom:1px solid var(--sc-line)}
.head div{padding:.3rem;font-size:.8rem;text-align:center;border-left:1px solid var(--sc-line);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.head button{font-size:.8rem;padding:.1rem .3rem;border:0;background:none;text-decoration:underline dotted}
.body{position:relative;height:calc(var(--rows-h) * 1px)}
.gutter{position:sticky;left:0;z-index:2;background:var(--sc-bg)}.head .corner{position:sticky;left:0;background:var(--sc-bg);z-index:1}
.gutter div{position:absolute;left:0;width:3.5rem;font-size:.7rem;color:var(--sc-muted);text-align:right;padding-right:.3rem;transform:translateY(-.5em)}
.col{position:relative;content-visibility:auto;contain-intrinsic-size:auto 7rem auto 100px;border-left:1px solid var(--sc-line);--off:color-mix(in srgb,var(--sc-off) 85%,#0000);background:var(--shade,none),repeating-linear-gradient(var(--sc-bg) 0 calc(var(--sc-hour) - 1px),var(--sc-line) calc(var(--sc-hour) - 1px) var(--sc-hour))}
.ev{position:absolute;margin:0 2px;padding:2px 4px;border:0;border-left:4px solid var(--c);border-radius:4px;background:color-mix(in srgb,var(--c) 18%,var(--sc-bg));
color:var(--sc-fg);font-size:.75rem;text-align:left;overflow:hidden;line-height:1.2;touch-action:none;z-index:1}
.ev b{display:block;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.ev[data-status=tentative]{background:repeating-linear-gradient(135deg,color-mix(in srgb,var(--c) 18%,var(--sc-bg)) 0 6px,var(--sc-bg) 6px 10px)}
.ev[data-status=cancelled],.ev[data-status=no_show]{opacity:.55;text-decoration:line-through}
.ev[data-status=completed]{opacity:.75}.ev[data-status=held]{border-left-style:dashed;opacity:.85}
.ev.risk{outline:2px dashed var(--sc-bad);outline-offset:-2px}.ev.risk::after{content:"!";position:absolute;right:3px;top:1px;font-weight:800;color:var(--sc-bad)}
.ev.ghost{z-index:4;opacity:.9;box-shadow:0 2px 8px #0004}.ev.ghost.bad{border-left-color:var(--sc-bad);background:color-mix(in srgb,var(--sc-bad) 25%,var(--sc-bg))}
.ev .grip{position:absolute;left:0;right:0;bottom:0;height:6px;cursor:ns-resize}
.body>[role=grid]{position:absolute;inset:0;pointer-events:none}.cell{position:absolute;z-index:2;border:2px solid var(--sc-accent);border-radius:3px;pointer-events:none;background:color-mix(in srgb,var(--sc-accent) 10%,transparent)}
.grid[role=grid]:focus-within .cell{box-shadow:0 0 0 2px var(--sc-bg)}
.month{display:grid;grid-template-columns:repeat(7,1fr);border:1px solid var(--sc-line);border-radius:var(--sc-radius)}
.month [role=row]{display:contents}
.month [role=columnheader]{font-size:.75rem;color:var(--sc-muted);text-align:center;padding:.3rem}
.month [role=gridcell]{min-height:4.2rem;border-top:1px solid var(--sc-line);padding:.2rem;font-size:.8rem;cursor:pointer;overflow:hidden}
.month [role=gridcell][aria-selected=true]{background:color-mix(in srgb,var(--sc-accent) 15%,var(--sc-bg))}
.month .other{color:var(--sc-muted)}.month .num{font-weight:600}
.month .free{display:block;color:var(--sc-ok);font-size:.72rem}.month [aria-disabled=true]{cursor:default;color:var(--sc-muted)}
.chip{display:block;font-size:.7rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;border-left:3px solid var(--c);padding-left:3px;margin-top:2px}
.slots{display:grid;grid-template-columns:repeat(auto-fill,minmax(6.5rem,1fr));gap:.4rem;margin:.5rem 0}
.slots button[aria-pressed=true]{background:var(--sc-accent);color:var(--sc-accent-fg)}
form{display:grid;gap:.5rem;max-width:28rem}form label{display:grid;gap:.2rem;font-size:.9rem}
.msg{padding:.5rem .7rem;border-radius:var(--sc-radius);margin:.5rem 0}.msg:empty{display:none}
.msg.error{background:color-mix(in srgb,var(--sc-bad) 15%,var(--sc-bg));color:var(--sc-bad)}.msg.ok{background:color-mix(in srgb,var(--sc-ok) 15%,var(--sc-bg));color:var(--sc-ok)}
.agenda{list-style:none;padding:0;margin:0}.agenda h3{font-size:.9rem;margin:.8rem 0 .3rem}
.agenda li button{display:flex;gap:.6rem;width:100%;text-align:left;border:0;border-left:4px solid var(--c);margin:.15rem 0}
dialog{border:1px solid var(--sc-line);border-radius:var(--sc-radius);background:var(--sc-bg);color:var(--sc-fg);max-width:min(32rem,94vw)}
dialog::backdrop{background:#0005}dialog h3{margin:.2rem 0 .6rem}dialog dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem .8rem;font-size:.9rem}
dialog dt{color:var(--sc-muted)}dialog dd{margin:0;overflow-wrap:anywhere}.actions{display:flex;flex-wrap:wrap;gap:.4rem;margin-top:.8rem}
dialog ol{padding-left:1.2rem}dialog li{margin:.25rem 0}
@container (max-width:480px){.bar h2{flex-basis:100%;order:-1}.head,.body{grid-template-columns:2.6rem repeat(var(--cols),minmax(var(--sc-col,5.5rem),1fr))}.month [role=gridcell]{min-height:2.8rem}.chip{display:none}}
`;

// Formatters by name (Intl.DateTimeFormat is slow to make, quick to use): [in UTC?, options].
const FORMATS = {
  time: [0, { hour: 'numeric', minute: '2-digit' }], clock: [1, { hour: 'numeric', minute: '2-digit' }],
  long: [1, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }], short: [1, { weekday: 'short', day: 'numeric', month: 'short' }],
  month: [1, { month: 'long', year: 'numeric' }], span: [1, { day: 'numeric', month: 'short', year: 'numeric' }],
  wdShort: [1, { weekday: 'short' }], wdLong: [1, { weekday: 'long' }], when: [0, { weekday: 'long', month: 'long', day: 'numeric' }],
  dayShort: [0, { weekday: 'short', month: 'short', day: 'numeric' }], wd: [0, { weekday: 'short' }], stamp: [0, { dateStyle: 'short', timeStyle: 'short' }],
};
const made = new Map();
const memo = new Map();

let sheet = null;
const colorIndex = new Map();
function colorOf(serviceId) {
  if (!colorIndex.has(serviceId)) colorIndex.set(serviceId, colorIndex.size % 6);
  return `var(--sc-c${colorIndex.get(serviceId)})`;
}

export class ServiceCalendar extends HTMLElement {
  static observedAttributes = ['view', 'mode', 'locale', 'time-zone', 'service', 'providers', 'date', 'step'];
  #c = null;
  #off = null;
  #root;
  #queued = false;
  #state = { active: null, selectedDay: null, slot: null, hold: null, pending: null, moving: null, dragged: false, msg: null };
  #catalogCache = null;
  #drawn = null; // what the time grid shows now: columns, days, hours, and each booking's element
  #dialogReturn = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    if (!sheet && 'adoptedStyleSheets' in Document.prototype) { sheet = new CSSStyleSheet(); sheet.replaceSync(STYLE); }
    if (sheet) this.#root.adoptedStyleSheets = [sheet];
    else this.#root.append(el('style', null, STYLE));
  }

  // ---- properties mirrored to attributes ----
  get view() { const v = this.getAttribute('view'); return VIEWS.includes(v) ? v : (this.mode === 'booking' ? 'month' : 'week'); }
  set view(v) { this.setAttribute('view', v); }
  get mode() { return this.getAttribute('mode') === 'booking' ? 'booking' : 'coordinator'; }
  set mode(v) { this.setAttribute('mode', v); }
  get locale() { return this.getAttribute('locale') || undefined; }
  set locale(v) { this.setAttribute('locale', v); }
  get timeZone() { return this.getAttribute('time-zone') || this.#zoneDefault(); }
  set timeZone(v) { this.setAttribute('time-zone', v); }
  get service() { return this.getAttribute('service') || ''; }
  set service(v) { this.setAttribute('service', v); }
  get providers() { const p = this.getAttribute('providers'); return p ? p.split(/[\s,]+/).filter(Boolean) : []; }
  set providers(v) { this.setAttribute('providers', Array.isArray(v) ? v.join(',') : v); }
  get date() { return this.getAttribute('date') || isoOfDay(todayIn(this.timeZone)); }
  set date(v) { this.setAttribute('date', v); }
  get step() { const s = +this.getAttribute('step'); return s >= 5 && s <= 240 ? s : 30; }
  set step(v) { this.setAttribute('step', v); }

  get coordinator() { return this.#c; }
  set coordinator(c) {
    if (this.#off) this.#off();
    this.#c = c;
    this.#off = c ? c.onChange((change) => this.#changed(change)) : null;
    this.#drawn = null;
    this.#catalogCache = null;
    this.#schedule();
  }

  connectedCallback() { this.#schedule(); }
  disconnectedCallback() { this.#releaseHold(); }
  attributeChangedCallback() { this.#drawn = null; this.#schedule(); }

  /** Draws now (rendering is otherwise batched to the next microtask). */
  render() {
    this.#queued = false;
    if (!this.#c || !this.isConnected) return;
    try {
      try {
        new Intl.DateTimeFormat('en', { timeZone: this.timeZone });
      } catch {
        throw Object.assign(new Error(`unknown time zone \`${this.timeZone}\``), { code: 'UNKNOWN_TIME_ZONE' });
      }
      try {
        if (this.locale !== undefined) Intl.getCanonicalLocales(this.locale);
      } catch {
        throw Object.assign(new Error(`\`${this.locale}\` is not a locale (for example en-US or de-DE)`), { code: 'INVALID_INPUT' });
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(this.date) || Number.isNaN(Date.parse(`${this.date}T00:00:00Z`))) {
        throw Object.assign(new Error(`date \`${this.date}\` is not a day (YYYY-MM-DD)`), { code: 'INVALID_TIME' });
      }
      if (this.mode === 'booking') this.#renderBooking();
      else this.#renderConsole();
    } catch (e) {
      // Nothing drawn: say why in place of the calendar (and to the host, as an `error` event).
      this.#drawn = null;
      this.#root.replaceChildren(el('div', { class: 'live sr', role: 'status' }), el('div', { class: 'msg', role: 'alert' }));
      this.#fail(e, 'render');
    }
  }

  #schedule() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => this.#queued && this.render());
  }

  #zoneDefault() {
    try { return this.#c?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone; } catch { return 'UTC'; }
  }

  #emit(type, detail) {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: type === 'booking-requested' }));
  }

  #fail(e, where) {
    const error = { code: e?.code ?? 'INTERNAL', message: String(e?.message ?? e), details: e?.details ?? [] };
    this.#say('error', error.message, error.code);
    this.#emit('error', { ...error, action: where ?? 'render' });
  }

  /** Shows a message until the next choice; kept across re-renders (a change may re-render at once). */
  #say(kind, text, code) {
    this.#state.msg = { kind, text, code };
    this.#showMsg();
    const live = this.#root.querySelector('.live');
    if (live) live.textContent = code ? `${text} (${code})` : text;
  }

  #showMsg() {
    const m = this.#root.querySelector('.msg');
    const said = this.#state.msg;
    if (!m || !said) return;
    m.className = `msg ${said.kind}`;
    m.replaceChildren();
    if (said.code) m.append(el('code', null, said.code), ' ');
    m.append(said.text);
  }

  #announce(text) {
    const live = this.#root.querySelector('.live');
    if (live) live.textContent = text;
  }

  // ---- formatting ----
  #f(name) {
    const key = `${this.locale}|${this.timeZone}|${name}`;
    let f = made.get(key);
    if (!f) {
      const [utc, opts] = FORMATS[name];
      f = new Intl.DateTimeFormat(this.locale, { timeZone: utc ? 'UTC' : this.timeZone, ...opts });
      made.set(key, f);
    }
    return f;
  }
  /** Formats and remembers (day names, wall clock times: a few hundred strings at most). */
  #memo(name, n) {
    const key = `${this.locale}|${name}|${n}`;
    let t = memo.get(key);
    if (t === undefined) {
      if (memo.size > 5000) memo.clear();
      t = this.#f(name).format(name === 'clock' ? n * 6e4 : n * DAY);
      memo.set(key, t);
    }
    return t;
  }
  #time(ms) { return this.#f('time').format(ms); }
  #longDay(day) { return this.#memo('long', day); }
  #shortDay(day) { return this.#memo('short', day); }
  #firstDay() {
    try {
      const l = new Intl.Locale(this.locale ?? navigator.language);
      const info = l.getWeekInfo?.() ?? l.weekInfo;
      return (info?.firstDay ?? 1) % 7;
    } catch { return 1; }
  }
  /** Providers, services and clients with a name map, kept until one of them changes (a render asks several times). */
  #catalog() {
    if (!this.#catalogCache) {
      const [providers, services, clients] = [this.#c.providers(), this.#c.services(), this.#c.clients()];
      const names = new Map();
      for (const list of [providers, services, clients]) for (const x of list) names.set(x.id, x.name);
      this.#catalogCache = { providers, services, clients, names };
    }
    return this.#catalogCache;
  }
  #names() { return this.#catalog().names; }

  // ---- the period on screen ----
  #range() {
    const anchor = dayOfIso(this.date);
    const v = this.view;
    if (v === 'day' || v === 'resource-day') return [anchor, anchor + 1];
    if (v === 'agenda') return [anchor, anchor + 7];
    const back = (weekday(anchor) - this.#firstDay() + 7) % 7;
    const start = anchor - back;
    if (v === 'month') {
      const d = new Date(anchor * DAY);
      const first = Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY);
      const s = first - ((weekday(first) - this.#firstDay() + 7) % 7);
      return [s, s + 42];
    }
    return [start, start + 7];
  }

  #title() {
    const [from, to] = this.#range();
    const anchor = dayOfIso(this.date);
    if (this.view === 'month') return this.#f('month').format(anchor * DAY);
    if (to - from === 1) return this.#longDay(from);
    const f = this.#f('span');
    return f.formatRange ? f.formatRange(from * DAY, (to - 1) * DAY) : `${f.format(from * DAY)} – ${f.format((to - 1) * DAY)}`;
  }

  #shift(days, unit) {
    const d = new Date(dayOfIso(this.date) * DAY);
    if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + days);
    else if (unit === 'year') d.setUTCFullYear(d.getUTCFullYear() + days);
    else d.setUTCDate(d.getUTCDate() + days);
    this.date = d.toISOString().slice(0, 10);
  }

  #periodStep() {
    const v = this.view;
    return v === 'month' ? [1, 'month'] : v === 'day' || v === 'resource-day' ? [1, 'day'] : [7, 'day'];
  }

  #toolbar(extra) {
    const [n, unit] = this.#periodStep();
    const zone = el('select', { 'aria-label': 'Time zone', part: 'zone' });
    const zones = new Set([this.timeZone, this.#zoneDefault(), ...this.#catalog().providers.map((p) => p.timeZone)]);
    try { zones.add(Intl.DateTimeFormat().resolvedOptions().timeZone); } catch { /* no Intl zone */ }
    for (const z of zones) zone.append(el('option', { value: z, selected: z === this.timeZone }, z));
    zone.onchange = () => { this.timeZone = zone.value; };
    const prev = el('button', { type: 'button', 'aria-label': 'Previous period', part: 'button' }, '‹');
    const next = el('button', { type: 'button', 'aria-label': 'Next period', part: 'button' }, '›');
    const today = el('button', { type: 'button', part: 'button' }, 'Today');
    prev.onclick = () => this.#shift(-n, unit);
    next.onclick = () => this.#shift(n, unit);
    today.onclick = () => { this.date = isoOfDay(todayIn(this.timeZone)); };
    const title = el('h2', { id: 'title' }, this.#title());
    return el('div', { class: 'bar', part: 'toolbar' }, prev, today, next, title, ...extra, el('label', null, 'Zone', zone));
  }

  // ================= client booking flow =================
  #renderBooking() {
    const services = this.#catalog().services;
    const serviceId = services.some((s) => s.id === this.service) ? this.service : services[0]?.id;
    const pick = el('select', { 'aria-label': 'Service', part: 'service' });
    for (const s of services) pick.append(el('option', { value: s.id, selected: s.id === serviceId }, `${s.name} (${s.durationMinutes} min)`));
    pick.onchange = () => { this.#releaseHold(); this.#state.slot = null; this.service = pick.value; };
    const [from, to] = this.#range();
    const zone = this.timeZone;
    // One engine query for the whole month: which days have slots, and the slots of the chosen day.
    let slots = [];
    if (serviceId) {
      slots = this.#c.availability({ serviceId, from: isoOfDay(from), to: isoOfDay(to), timeZone: zone, providerIds: this.providers.length ? this.providers : undefined }).slots;
    }
    const byDay = new Map();
    for (const s of slots) {
      const d = dayIn(zone, Date.parse(s.start));
      if (!byDay.has(d)) byDay.set(d, []);
      byDay.get(d).push(s);
    }
    const anchor = dayOfIso(this.date);
    const selected = this.#state.selectedDay ?? anchor;
    const monthOf = (d) => new Date(d * DAY).getUTCMonth();
    const grid = el('div', { role: 'grid', class: 'month', 'aria-labelledby': 'title', part: 'grid' });
    const head = el('div', { role: 'row' });
    for (let i = 0; i < 7; i++) {
      const d = from + i;
      head.append(el('div', { role: 'columnheader', 'aria-label': this.#memo('wdLong', d) },
        this.#memo('wdShort', d)));
    }
    grid.append(head);
    const focusDay = selected >= from && selected < to ? selected : anchor;
    for (let r = 0; r < 6; r++) {
      const row = el('div', { role: 'row' });
      for (let i = 0; i < 7; i++) {
        const d = from + r * 7 + i;
        const free = byDay.get(d)?.length ?? 0;
        const label = `${this.#longDay(d)}, ${free ? `${free} free ${free === 1 ? 'time' : 'times'}` : 'no free times'}`;
        const cell = el('div', { role: 'gridcell', tabindex: d === focusDay ? 0 : -1, 'data-day': d,
          'aria-selected': d === this.#state.selectedDay ? 'true' : 'false', 'aria-disabled': free ? undefined : 'true',
          class: monthOf(d) === monthOf(anchor) ? undefined : 'other', part: free ? 'day day-free' : 'day' },
          el('span', { class: 'sr' }, label),
          el('span', { class: 'num', 'aria-hidden': 'true' }, String(new Date(d * DAY).getUTCDate())),
          free ? el('span', { class: 'free', 'aria-hidden': 'true' }, `${free} free`) : null);
        row.append(cell);
      }
      grid.append(row);
    }
    grid.onclick = (e) => { const c = e.target.closest('[data-day]'); if (c) this.#chooseDay(+c.dataset.day); };
    grid.onkeydown = (e) => this.#dateKeys(e, grid, from, to);

    const day = this.#state.selectedDay;
    const list = el('div', { class: 'slots', role: 'group', 'aria-label': day != null ? `Free times on ${this.#longDay(day)}` : 'Free times', part: 'slots' });
    for (const s of day != null ? byDay.get(day) ?? [] : []) {
      const chosen = this.#state.slot?.start === s.start;
      const b = el('button', { type: 'button', 'aria-pressed': chosen ? 'true' : 'false', part: 'slot' }, this.#time(Date.parse(s.start)));
      b.onclick = () => this.#chooseSlot(serviceId, s);
      list.append(b);
    }
    const slotsHead = el('h3', null, day != null ? `Free times on ${this.#longDay(day)}` : 'Choose a day');
    const form = el('form', { hidden: !this.#state.slot, part: 'form' },
      el('label', null, 'Your name', el('input', { name: 'name', required: true, autocomplete: 'name', maxlength: 200 })),
      el('label', null, 'Email or phone', el('input', { name: 'contact', required: true, autocomplete: 'email', maxlength: 200 })),
      el('label', null, 'Notes (optional)', el('textarea', { name: 'notes', rows: 2, maxlength: 2000 })),
      el('button', { class: 'primary', type: 'submit', part: 'confirm', disabled: !!this.#state.pending, 'aria-busy': this.#state.pending ? 'true' : 'false' }, this.#state.pending ? 'Confirming…' : 'Confirm booking'));
    form.onsubmit = (e) => { e.preventDefault(); this.#confirm(serviceId, form); };
    const keep = this.#root.querySelector('form');
    if (keep && this.#state.slot) for (const f of ['name', 'contact', 'notes']) form.elements[f].value = keep.elements[f]?.value ?? '';
    const hadFocus = this.#root.activeElement?.closest?.('[role=grid]');
    this.#root.replaceChildren(
      this.#toolbar([el('label', null, 'Service', pick)]),
      el('div', { class: 'live sr', 'aria-live': 'polite', role: 'status' }, this.#title()),
      grid, slotsHead, list, form, el('div', { class: 'msg', role: 'alert' }));
    this.#showMsg();
    if (hadFocus) grid.querySelector('[tabindex="0"]')?.focus();
  }

  /** While the host books a request, the chosen time stays as it is. */
  #busy() {
    if (!this.#state.pending) return false;
    this.#announce('Waiting for the booking to be confirmed');
    return true;
  }

  #chooseDay(day) {
    if (this.#busy()) return;
    this.#state.msg = null;
    this.#state.selectedDay = day;
    this.#releaseHold();
    this.#state.slot = null;
    this.render();
    this.#root.querySelector('.slots button')?.focus();
  }

  #dateKeys(e, grid, from, to) {
    const cell = e.target.closest('[data-day]');
    if (!cell) return;
    let d = +cell.dataset.day;
    const k = e.key;
    const move = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[k];
    if (move) d += move;
    else if (k === 'Home') d -= (weekday(d) - this.#firstDay() + 7) % 7;
    else if (k === 'End') d += 6 - ((weekday(d) - this.#firstDay() + 7) % 7);
    else if (k === 'PageUp' || k === 'PageDown') {
      const dt = new Date(d * DAY);
      const n = k === 'PageUp' ? -1 : 1;
      if (e.shiftKey) dt.setUTCFullYear(dt.getUTCFullYear() + n); else dt.setUTCMonth(dt.getUTCMonth() + n);
      d = Math.floor(dt.getTime() / DAY);
    } else if (k === 'Enter' || k === ' ') {
      e.preventDefault();
      if (cell.getAttribute('aria-disabled') !== 'true') this.#chooseDay(d);
      else this.#announce(`${this.#longDay(d)}: no free times`);
      return;
    } else return;
    e.preventDefault();
    if (d >= from && d < to && !(k.startsWith('Page'))) {
      const next = grid.querySelector(`[data-day="${d}"]`);
      cell.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    } else {
      this.date = isoOfDay(d);
      this.render();
      const next = this.#root.querySelector(`[data-day="${d}"]`);
      if (next) { this.#root.querySelectorAll('[role=gridcell][tabindex="0"]').forEach((c) => { c.tabIndex = -1; }); next.tabIndex = 0; next.focus(); }
      this.#announce(this.#title());
    }
  }

  #chooseSlot(serviceId, slot) {
    if (this.#busy()) return;
    this.#state.msg = null;
    this.#releaseHold();
    const request = { serviceId, start: slot.start, end: slot.end, providerId: slot.providerIds[0], clientIds: [] };
    this.#state.slot = { ...request };
    if (typeof this.#c.hold === 'function') {
      try {
        const held = this.#c.hold(request, { minutes: 10 });
        this.#state.hold = held.id;
        this.#state.slot.providerId = held.providerId;
      } catch (e) {
        this.#state.slot = null;
        this.#fail(e, 'hold');
        this.render();
        return;
      }
    }
    this.#emit('slot-selected', { serviceId, start: slot.start, end: slot.end, providerId: this.#state.slot.providerId, holdId: this.#state.hold });
    this.render();
    this.#root.querySelector('input[name=name]')?.focus();
    this.#announce(`${this.#time(Date.parse(slot.start))} held for 10 minutes. Enter your name and contact to confirm.`);
  }

  #releaseHold() {
    const id = this.#state.hold;
    this.#state.hold = null;
    if (id && this.#c) try { this.#c.releaseHold(id); } catch { /* expired or already released */ }
  }

  #confirm(serviceId, form) {
    const slot = this.#state.slot;
    if (!slot) return;
    const name = form.elements.name.value.trim();
    const contact = form.elements.contact.value.trim();
    const notes = form.elements.notes.value.trim() || undefined;
    const client = { name, ...(contact.includes('@') ? { email: contact } : { phone: contact }), ...(notes ? { notes } : {}) };
    if (this.#state.pending) return; // one request at a time: a second click sends nothing
    let answer = null;
    const detail = {
      request: { ...slot, notes }, client, holdId: this.#state.hold,
      respondWith: (promise) => { answer = Promise.resolve(promise); },
    };
    if (!this.#emit('booking-requested', detail)) {
      // The host books through its own backend; until it answers the form stays disabled.
      const pending = {};
      this.#state.pending = pending;
      this.#say('ok', 'Request sent.');
      this.render();
      answer?.then(
        () => { if (this.#state.pending === pending) { this.#state.pending = null; this.#bookHere(slot, client, notes); } },
        (e) => {
          if (this.#state.pending !== pending) return;
          this.#state.pending = null;
          this.#releaseHold();
          this.#state.slot = null;
          this.render();
          this.#fail(e, 'book');
        });
      return;
    }
    this.#bookHere(slot, client, notes);
  }

  /** Books the chosen time in the page's coordinator (the hold confirmed) for a new client. */
  #bookHere(slot, client, notes) {
    const id = `cl-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    let added = false;
    try {
      this.#c.upsertClient({ id, ...client });
      added = true;
      let booking;
      if (this.#state.hold) booking = this.#c.confirmHold(this.#state.hold, { clientIds: [id], notes });
      else booking = this.#c.book({ ...slot, clientIds: [id], notes });
      this.#state.hold = null;
      this.#state.slot = null;
      this.render();
      this.#say('ok', `Booked: ${this.#longDay(this.#state.selectedDay)} at ${this.#time(Date.parse(booking.start))}.`);
      this.#emit('booked', { booking, client: { id, ...client } });
    } catch (e) {
      // Nothing half-done: the client record made for this booking goes again.
      if (added) try { this.#c.removeClient(id); } catch { /* in use after all */ }
      if (e?.code !== 'INVALID_INPUT') {
        // The time is gone (or no longer bookable): let go of it, show the day again, say why.
        this.#releaseHold();
        this.#state.slot = null;
        this.render();
      }
      this.#fail(e, 'book');
    }
  }

  // ================= coordinator console =================
  #renderConsole() {
    const v = this.view;
    const pick = el('select', { 'aria-label': 'View', part: 'view' });
    for (const [value, text] of [['week', 'Week'], ['day', 'Day'], ['resource-day', 'Technicians, day'], ['resource-week', 'Technicians, week'], ['month', 'Month'], ['agenda', 'Agenda']]) {
      pick.append(el('option', { value, selected: value === v }, text));
    }
    pick.onchange = () => { this.view = pick.value; };
    const bar = this.#toolbar([el('label', null, 'View', pick)]);
    const live = el('div', { class: 'live sr', 'aria-live': 'polite', role: 'status' });
    const msg = el('div', { class: 'msg', role: 'alert' });
    const body = v === 'month' ? this.#monthConsole() : v === 'agenda' ? this.#agenda() : this.#timeGrid();
    const focused = this.#root.activeElement && this.#root.querySelector('.grid')?.contains(this.#root.activeElement);
    this.#root.replaceChildren(bar, live, body, msg, el('dialog', { part: 'dialog' }));
    this.#showMsg();
    live.textContent = `${this.#title()}, ${this.timeZone}`;
    if (this.#drawn && body.contains(this.#drawn.body)) { this.#placeCell(!focused); this.#fill(); }
    if (focused) this.#root.querySelector('.grid [tabindex="0"]')?.focus();
  }

  #visibleBookings(from, to) {
    const filter = { from: isoOfDay(from), to: isoOfDay(to), timeZone: this.timeZone };
    const only = new Set(this.providers);
    let list = this.#c.bookings({ ...filter, history: false });
    if (only.size) list = list.filter((b) => only.has(b.providerId));
    const risk = new Map(this.#c.atRisk(filter).map((r) => [r.bookingId, r.violations]));
    return { list, risk };
  }

  /** A booking read out in full; `seg` (a time-grid segment) supplies the day and times already known. */
  #bookingLabel(b, names, risk, seg) {
    const who = b.clientIds.map((id) => names.get(id) ?? id).join(', ');
    let day, start, end;
    if (seg?.first && seg.last) {
      day = this.#longDay(seg.day);
      [start, end] = [this.#memo('clock', seg.a), this.#memo('clock', seg.z % 1440)];
    } else {
      day = this.#longDay(dayIn(this.timeZone, Date.parse(b.start)));
      [start, end] = [this.#time(Date.parse(b.start)), this.#time(Date.parse(b.end))];
    }
    const issues = risk?.length ? `, at risk: ${risk.map((x) => x.message).join('; ')}` : '';
    return `${names.get(b.serviceId) ?? b.serviceId}${who ? ` for ${who}` : ''}, ${day}, ${start} to ${end}, ${names.get(b.providerId) ?? b.providerId}, ${b.status.replace('_', '-')}${issues}`;
  }

  #monthConsole() {
    const [from, to] = this.#range();
    const { list, risk } = this.#visibleBookings(from, to);
    const names = this.#names();
    const byDay = new Map();
    for (const b of list) {
      const d = dayIn(this.timeZone, Date.parse(b.start));
      if (!byDay.has(d)) byDay.set(d, []);
      byDay.get(d).push(b);
    }
    const anchor = dayOfIso(this.date);
    const grid = el('div', { role: 'grid', class: 'month grid', 'aria-labelledby': 'title', part: 'grid' });
    const head = el('div', { role: 'row' });
    for (let i = 0; i < 7; i++) head.append(el('div', { role: 'columnheader' }, this.#memo('wdShort', from + i)));
    grid.append(head);
    for (let r = 0; r < 6; r++) {
      const row = el('div', { role: 'row' });
      for (let i = 0; i < 7; i++) {
        const d = from + r * 7 + i;
        const items = byDay.get(d) ?? [];
        const atRisk = items.filter((b) => risk.has(b.id)).length;
        const cell = el('div', { role: 'gridcell', tabindex: d === anchor ? 0 : -1, 'data-day': d,
          class: new Date(d * DAY).getUTCMonth() === new Date(anchor * DAY).getUTCMonth() ? undefined : 'other' },
        el('span', { class: 'sr' }, `${this.#longDay(d)}, ${items.length} ${items.length === 1 ? 'booking' : 'bookings'}${atRisk ? `, ${atRisk} at risk` : ''}`),
        el('span', { class: 'num', 'aria-hidden': 'true' }, String(new Date(d * DAY).getUTCDate())));
        for (const b of items.slice(0, 3)) cell.append(el('span', { class: 'chip', style: `--c:${colorOf(b.serviceId)}`, 'aria-hidden': 'true' }, `${this.#time(Date.parse(b.start))} ${names.get(b.serviceId) ?? ''}`));
        if (items.length > 3) cell.append(el('span', { class: 'chip', 'aria-hidden': 'true' }, `+${items.length - 3} more`));
        row.append(cell);
      }
      grid.append(row);
    }
    const open = (d) => { this.date = isoOfDay(d); this.view = 'day'; };
    grid.ondblclick = (e) => { const c = e.target.closest('[data-day]'); if (c) open(+c.dataset.day); };
    grid.onclick = (e) => { const c = e.target.closest('[data-day]'); if (c) { grid.querySelectorAll('[tabindex="0"]').forEach((x) => { x.tabIndex = -1; }); c.tabIndex = 0; c.focus(); } };
    grid.onkeydown = (e) => {
      if ((e.key === 'Enter' || e.key === ' ') && e.target.dataset.day) { e.preventDefault(); open(+e.target.dataset.day); return; }
      this.#dateKeys(e, grid, from, to);
    };
    return grid;
  }

  #agenda() {
    const [from, to] = this.#range();
    const { list, risk } = this.#visibleBookings(from, to);
    const names = this.#names();
    const wrap = el('div', { class: 'grid', part: 'grid' });
    let day = null;
    let ul = null;
    for (const b of list) {
      const d = dayIn(this.timeZone, Date.parse(b.start));
      if (d !== day) { day = d; wrap.append(el('h3', null, this.#longDay(d))); ul = el('ul', { class: 'agenda' }); wrap.append(ul); }
      const btn = el('button', { type: 'button', 'data-id': b.id, style: `--c:${colorOf(b.serviceId)}`, part: 'booking' },
        el('span', { class: 'sr' }, this.#bookingLabel(b, names, risk.get(b.id))),
        el('span', { 'aria-hidden': 'true' }, `${this.#time(Date.parse(b.start))}–${this.#time(Date.parse(b.end))}`),
        el('b', { 'aria-hidden': 'true' }, names.get(b.serviceId) ?? b.serviceId), el('span', { 'aria-hidden': 'true' }, names.get(b.providerId) ?? b.providerId),
        el('span', { 'aria-hidden': 'true' }, b.status), risk.has(b.id) ? el('strong', { 'aria-hidden': 'true' }, 'at risk') : null);
      btn.onclick = () => this.#details(b.id, btn);
      ul.append(el('li', null, btn));
    }
    if (!list.length) wrap.append(el('p', null, 'No bookings in these seven days.'));
    return wrap;
  }

  // ---- the time grid: week, day, and the resource views (technicians as columns) ----
  #columns(from, to) {
    const v = this.view;
    const resource = v.startsWith('resource');
    let providers = this.#catalog().providers;
    if (this.providers.length) providers = providers.filter((p) => this.providers.includes(p.id));
    const cols = [];
    for (let d = from; d < to; d++) {
      if (resource) for (const p of providers) cols.push({ day: d, provider: p.id, name: p.name });
      else cols.push({ day: d, provider: null });
    }
    return { cols, providers, resource };
  }

  #timeGrid() {
    const [from, to] = this.#range();
    const zone = this.timeZone;
    const { cols, resource } = this.#columns(from, to);
    const { list, risk } = this.#visibleBookings(from, to);
    // Day starts in the zone; a day whose offset does not change is laid out by arithmetic.
    const starts = [];
    for (let d = from; d <= to; d++) starts.push(utcOf(zone, d, 0));
    const steady = starts.slice(0, -1).map((s, i) => offsetAt(zone, s) === offsetAt(zone, starts[i + 1] - 1));
    const minuteOf = (ms, i) => (steady[i] ? (ms - starts[i]) / 6e4 : (() => { const p = wallOf(zone, ms); return p.hour * 60 + p.minute; })());
    const dayIndexOf = (ms) => { let lo = 0, hi = starts.length - 1; while (lo < hi - 1) { const m = (lo + hi) >> 1; if (starts[m] <= ms) lo = m; else hi = m; } return lo; };
    // Hours shown: 07:00-19:00, widened to the bookings and the working hours on screen.
    let lo = 7 * 60, hi = 19 * 60;
    const segs = [];
    for (const b of list) {
      for (const seg of segmentsOf(b, { from, to, starts, minuteOf, dayIndexOf })) {
        segs.push(seg);
        lo = Math.min(lo, Math.floor(seg.a / 60) * 60); hi = Math.max(hi, Math.ceil(seg.z / 60) * 60);
      }
    }
    const fb = this.#c.freeBusy({ from: isoOfDay(from), to: isoOfDay(to), timeZone: zone, providerIds: resource ? cols.slice(0, cols.length / (to - from)).map((c) => c.provider) : undefined });
    const free = new Map(fb.providers.map((p) => [p.id, p.free]));
    for (const spans of free.values()) for (const sp of spans) {
      const s = Date.parse(sp.start), e = Date.parse(sp.end), i = dayIndexOf(s);
      if (i < 0 || i >= to - from) continue;
      lo = Math.min(lo, Math.floor(minuteOf(s, i) / 60) * 60);
      hi = Math.max(hi, Math.min(24 * 60, Math.ceil((e >= starts[i + 1] ? 24 * 60 : minuteOf(e, i)) / 60) * 60));
    }
    const hourPx = parseFloat(getComputedStyle(this).getPropertyValue('--sc-hour')) || 48;
    const px = (m) => ((m - lo) / 60) * hourPx;
    const names = this.#names();
    const head = el('div', { class: 'head', 'aria-hidden': 'true' }, el('div', { class: 'corner' }));
    const body = el('div', { class: 'body', style: `--rows-h:${px(hi)}` });
    const gutter = el('div', { class: 'gutter' });
    for (let m = lo; m < hi; m += 60) gutter.append(el('div', { style: `top:${px(m)}px` }, this.#memo('clock', m)));
    body.append(gutter);
    const perDay = cols.length / (to - from);
    if (resource && to - from > 1) {
      for (let d = from; d < to; d++) head.append(el('div', { style: `grid-column:${2 + (d - from) * perDay} / span ${perDay}` }, this.#shortDay(d)));
      head.append(el('div', { class: 'corner', style: 'grid-column:1' }));
    }
    const parsed = new Map([...free].map(([id, spans]) => [id, spans.map((sp) => [Date.parse(sp.start), Date.parse(sp.end)])]));
    const everyone = [...parsed.values()].flat();
    const colEls = cols.map((c, ci) => {
      head.append(el('div', resource ? { title: c.name } : null, resource ? c.name : this.#shortDay(c.day)));
      const col = el('div', { class: 'col', 'data-col': ci });
      // Shade the time nobody works (per technician in the resource views, else nobody at all).
      const i = c.day - from;
      const spans = resource ? parsed.get(c.provider) ?? [] : everyone;
      const open = spans.filter(([s, e]) => s < starts[i + 1] && e > starts[i])
        .map(([s, e]) => [Math.max(lo, minuteOf(Math.max(s, starts[i]), i)), Math.min(hi, e >= starts[i + 1] ? 24 * 60 : minuteOf(e, i))]).sort((a, b) => a[0] - b[0]);
      // As one background gradient, not an element per band: a resource week has 400 bands.
      const bands = [];
      let at = lo, shaded = false;
      const band = (off, a, z) => { bands.push(`${off ? 'var(--off)' : '#0000'} ${px(a)}px ${px(z)}px`); shaded ||= off; };
      for (const [s, e] of open) { if (s > at) band(true, at, s); if (e > Math.max(at, s)) band(false, Math.max(at, s), e); at = Math.max(at, e); }
      if (at < hi) band(true, at, hi);
      if (shaded) col.style.setProperty('--shade', `linear-gradient(${bands.join()})`);
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
    const drawn = { from, to, cols, colEls, starts, steady, lo, hi, hourPx, px, minuteOf, dayIndexOf, resource, names, risk, byCol, els: new Map(), body, filled: new Set() };
    this.#drawn = drawn;

    // The grid a keyboard moves through: one tab stop, the active cell drawn over the columns.
    const rows = (hi - lo) / this.step;
    const grid = el('div', { class: 'grid', role: 'grid', 'aria-labelledby': 'title', 'aria-rowcount': rows, 'aria-colcount': cols.length, part: 'grid' });
    const row = el('div', { role: 'row' });
    const cell = el('div', { role: 'gridcell', tabindex: 0, class: 'cell' });
    row.append(cell);
    grid.append(row);
    body.append(grid);
    const a = this.#state.active;
    drawn.active = a && a.view === this.view ? { col: Math.min(a.col, cols.length - 1), row: Math.min(a.row, rows - 1) } : { col: Math.max(0, cols.findIndex((c) => c.day === dayOfIso(this.date))), row: Math.max(0, (9 * 60 - lo) / this.step) };
    drawn.cell = cell;
    drawn.rows = rows;
    this.#placeCell();
    grid.onkeydown = (e) => this.#gridKeys(e);
    body.onpointerdown = (e) => this.#pointerDown(e);
    body.onclick = (e) => {
      const ev = e.target.closest('.ev');
      if (ev && !this.#state.dragged) this.#details(ev.dataset.id, ev);
      this.#state.dragged = false;
    };
    body.ondblclick = (e) => {
      if (e.target.closest('.ev')) return;
      const at = this.#pointAt(e);
      if (at) { drawn.active = { col: at.col, row: Math.floor((at.minutes - lo) / this.step) }; this.#placeCell(); this.#newBooking(); }
    };
    const box = el('div', { class: 'scroll', part: 'scroll' }, head, body);
    let pending = false;
    box.addEventListener('scroll', () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; if (this.#drawn === drawn) this.#fill(); });
    }, { passive: true });
    return box;
  }

  /**
   * Lays out the bookings of the columns in view and one screen either side; the rest follow as
   * the box scrolls (a resource week is 210 columns; a screen shows a dozen). The keyboard grid
   * reads bookings from the layout data, not the DOM, so every cell is labelled wherever it is.
   */
  #fill() {
    const d = this.#drawn;
    const box = d.body.parentElement;
    const w = box?.clientWidth ?? 0;
    let first = 0, last = d.cols.length;
    if (w && d.cols.length > 1) {
      const left = box.scrollLeft - w, right = box.scrollLeft + 2 * w;
      const width = d.colEls[1].offsetLeft - d.colEls[0].offsetLeft || 1;
      const x0 = d.colEls[0].offsetLeft;
      first = Math.max(0, Math.floor((left - x0) / width));
      last = Math.min(d.cols.length, Math.ceil((right - x0) / width) + 1);
    }
    for (let ci = first; ci < last; ci++) if (!d.filled.has(ci)) this.#layoutColumn(ci);
  }

  #layoutColumn(ci) {
    const d = this.#drawn;
    const col = d.colEls[ci];
    d.filled.add(ci);
    for (const old of col.querySelectorAll('.ev')) { d.els.delete(old.key); old.remove(); }
    const segs = (d.byCol.get(ci) ?? []).slice().sort((x, y) => x.a - y.a || y.z - x.z);
    // Overlapping bookings side by side: greedy lanes within each cluster of overlaps.
    let cluster = [], lanes = [], end = -1;
    const flush = () => { for (const s of cluster) s.n = lanes.length; cluster = []; lanes = []; };
    for (const s of segs) {
      if (s.a >= end) flush();
      let lane = lanes.findIndex((z) => z <= s.a);
      if (lane < 0) { lane = lanes.length; lanes.push(0); }
      lanes[lane] = s.z;
      s.lane = lane;
      cluster.push(s);
      end = Math.max(end, s.z);
    }
    flush();
    const frag = document.createDocumentFragment();
    for (const s of segs) {
      const b = s.b;
      const risk = d.risk.get(b.id);
      const key = `${b.id}|${s.i}`;
      const top = d.px(Math.max(s.a, d.lo)), h = Math.max(14, d.px(Math.min(s.z, d.hi)) - top);
      const e = el('button', { tabindex: -1, class: risk ? 'ev risk' : 'ev', 'data-id': b.id, 'data-status': b.status, part: `booking booking-${b.status}${risk ? ' booking-at-risk' : ''}`,
        style: `--c:${colorOf(b.serviceId)};top:${top}px;height:${h}px;left:${(100 * s.lane) / s.n}%;width:calc(${100 / s.n}% - 4px)`,
        title: risk ? risk.map((x) => x.message).join('\n') : undefined },
      el('span', { class: 'sr' }, this.#bookingLabel(b, d.names, risk, s)),
      el('b', { 'aria-hidden': 'true' }, d.names.get(b.serviceId) ?? b.serviceId),
      el('span', { 'aria-hidden': 'true' }, `${s.first ? this.#memo('clock', s.a) : this.#time(Date.parse(b.start))} ${b.clientIds.map((id) => d.names.get(id) ?? id).join(', ')}`),
      LIVE.includes(b.status) ? el('span', { class: 'grip', 'aria-hidden': 'true' }) : null);
      e.key = key;
      d.els.set(key, e);
      frag.append(e);
    }
    col.append(frag);
  }

  /** After a change: re-lays out only the columns the booking left and entered. */
  #changed(change) {
    if (change.kind !== 'booking') this.#catalogCache = null;
    const d = this.#drawn;
    if (!d || change.kind !== 'booking' || this.mode !== 'coordinator' || !this.#root.contains(d.body)) { this.#drawn = null; this.#schedule(); return; }
    const touched = new Set();
    for (const [ci, segs] of d.byCol) {
      const kept = segs.filter((s) => s.b.id !== change.id);
      if (kept.length !== segs.length) { d.byCol.set(ci, kept); touched.add(ci); }
    }
    const b = change.after;
    if (b && (!this.providers.length || this.providers.includes(b.providerId))) {
      for (const seg of segmentsOf(b, d)) {
        const ci = d.cols.findIndex((c) => c.day - d.from === seg.i && (!d.resource || c.provider === b.providerId));
        if (ci < 0) continue;
        if (seg.a < d.lo || seg.z > d.hi) { this.#drawn = null; this.#schedule(); return; }
        if (!d.byCol.has(ci)) d.byCol.set(ci, []);
        d.byCol.get(ci).push(seg);
        touched.add(ci);
      }
    }
    // Whether this booking is at risk now (the rest stay as they were: a booking change does not
    // put another booking at risk).
    d.risk.delete(change.id);
    if (b && LIVE.includes(b.status)) {
      const r = this.#c.atRisk({ from: b.start, to: b.end, providerId: b.providerId }).find((x) => x.bookingId === b.id);
      if (r) d.risk.set(b.id, r.violations);
    }
    for (const ci of touched) if (d.filled.has(ci)) this.#layoutColumn(ci);
  }

  // ---- keyboard on the time grid ----
  /** Moves the active cell's outline and label; `start` scrolls its column to the left edge. */
  #placeCell(start = false) {
    const d = this.#drawn;
    const { col, row } = d.active;
    const c = d.cols[col];
    const minutes = d.lo + row * this.step;
    const colEl = d.colEls[col];
    const top = d.px(minutes);
    Object.assign(d.cell.style, { left: `${colEl.offsetLeft}px`, top: `${top}px`, width: `${colEl.offsetWidth}px`, height: `${d.px(minutes + this.step) - top}px` });
    d.cell.setAttribute('aria-rowindex', row + 1);
    d.cell.setAttribute('aria-colindex', col + 1);
    const here = this.#bookingAt(col, minutes);
    const who = c.provider ? `, ${c.name}` : '';
    d.cell.setAttribute('aria-label', `${this.#longDay(c.day)}, ${this.#time(utcOf(this.timeZone, c.day, minutes))}${who}${here ? `: ${this.#bookingLabel(here, d.names, d.risk.get(here.id))}` : ', free'}`);
    this.#state.active = { ...d.active, view: this.view };
    // Keep the cell in view by scrolling the calendar's own box (never the host page).
    const box = d.body.parentElement;
    if (box?.clientWidth) {
      const gutter = d.body.firstElementChild.offsetWidth;
      const head = box.firstElementChild.offsetHeight;
      const x = colEl.offsetLeft, w = colEl.offsetWidth, h = d.px(minutes + this.step) - top;
      if (start || x - gutter < box.scrollLeft) box.scrollLeft = x - gutter;
      else if (x + w > box.scrollLeft + box.clientWidth) box.scrollLeft = x + w - box.clientWidth;
      if (top < box.scrollTop) box.scrollTop = top;
      else if (top + h + head > box.scrollTop + box.clientHeight) box.scrollTop = top + h + head - box.clientHeight;
    }
  }

  #bookingAt(col, minutes) {
    const segs = this.#drawn.byCol.get(col) ?? [];
    return segs.find((s) => s.a <= minutes && minutes < s.z)?.b ?? null;
  }

  #gridKeys(e) {
    const d = this.#drawn;
    if (this.#state.moving) { this.#moveKeys(e); return; }
    const a = d.active;
    const perDay = d.resource ? d.cols.length / (d.to - d.from) : 1;
    const k = e.key;
    let { col, row } = a;
    if (k === 'ArrowLeft') col--;
    else if (k === 'ArrowRight') col++;
    else if (k === 'ArrowUp') row--;
    else if (k === 'ArrowDown') row++;
    else if (k === 'Home') { if (e.ctrlKey) col = 0; row = 0; }
    else if (k === 'End') { if (e.ctrlKey) col = d.cols.length - 1; row = d.rows - 1; }
    else if (k === 'PageUp' || k === 'PageDown') {
      e.preventDefault();
      const n = k === 'PageUp' ? -1 : 1;
      if (e.shiftKey) this.#shift(n, 'year'); else { const [m, unit] = this.#periodStep(); this.#shift(n * m, unit); }
      this.#state.active = { col, row, view: this.view };
      this.render();
      this.#root.querySelector('.cell')?.focus();
      return;
    } else if (k === 'Enter' || k === ' ') {
      e.preventDefault();
      const here = this.#bookingAt(col, d.lo + row * this.step);
      if (here) this.#details(here.id, d.cell); else this.#newBooking();
      return;
    } else return;
    e.preventDefault();
    if (col < 0 || col >= d.cols.length) {
      // Past the edge: the previous or next period, the same column position.
      const [m, unit] = this.#periodStep();
      this.#shift(col < 0 ? -m : m, unit);
      this.#state.active = { col: col < 0 ? d.cols.length - perDay + (a.col % perDay) : a.col % perDay, row, view: this.view };
      this.render();
      this.#root.querySelector('.cell')?.focus();
      return;
    }
    d.active = { col, row: Math.max(0, Math.min(d.rows - 1, row)) };
    this.#placeCell();
  }

  // ---- moving a booking: by pointer (drag, or the grip to resize) and by keyboard ----
  #pointAt(e) {
    const d = this.#drawn;
    const col = d.colEls.findIndex((c) => { const r = c.getBoundingClientRect(); return e.clientX >= r.left && e.clientX < r.right; });
    if (col < 0) return null;
    const r = d.colEls[col].getBoundingClientRect();
    const minutes = d.lo + Math.round(((e.clientY - r.top) / d.hourPx) * 60 / this.step) * this.step;
    return { col, minutes: Math.max(d.lo, Math.min(d.hi, minutes)) };
  }

  #pointerDown(e) {
    const ev = e.target.closest('.ev');
    if (!ev || e.button !== 0 || !LIVE.includes(ev.dataset.status)) return;
    const d = this.#drawn;
    const b = this.#c.booking(ev.dataset.id);
    const at = this.#pointAt(e);
    if (!at) return;
    const resize = e.target.classList.contains('grip');
    const seg = [...d.byCol.values()].flat().find((s) => s.b.id === b.id);
    const duration = (Date.parse(b.end) - Date.parse(b.start)) / 6e4;
    const m = { id: b.id, booking: b, col: d.colEls.indexOf(ev.parentElement), start: seg ? seg.a : at.minutes, duration, grab: at.minutes - (seg ? seg.a : at.minutes), resize, moved: false, el: ev };
    ev.setPointerCapture?.(e.pointerId);
    const move = (pe) => {
      const p = this.#pointAt(pe);
      if (!p) return;
      if (resize) { m.duration = Math.max(this.step, p.minutes - m.start); } else { m.col = p.col; m.start = Math.max(d.lo, Math.min(d.hi - m.duration, p.minutes - m.grab)); }
      m.moved = true;
      this.#state.moving = m;
      this.#showMove();
    };
    const up = () => {
      ev.removeEventListener('pointermove', move);
      ev.removeEventListener('pointerup', up);
      ev.removeEventListener('pointercancel', up);
      if (m.moved) { this.#state.dragged = true; this.#drop(); }
      this.#state.moving = null;
    };
    ev.addEventListener('pointermove', move);
    ev.addEventListener('pointerup', up);
    ev.addEventListener('pointercancel', up);
  }

  /** Where the moving booking would go, as a reschedule request. */
  #moveTarget() {
    const d = this.#drawn;
    const m = this.#state.moving;
    const c = d.cols[m.col];
    const changes = { start: wallText(c.day, m.start), end: wallText(c.day + Math.floor((m.start + m.duration) / 1440), (m.start + m.duration) % 1440), timeZone: this.timeZone, expectedRevision: m.booking.revision };
    if (d.resource && c.provider !== m.booking.providerId) changes.providerId = c.provider;
    return changes;
  }

  #showMove() {
    const d = this.#drawn;
    const m = this.#state.moving;
    const changes = this.#moveTarget();
    let verdict;
    try { verdict = this.#c.checkReschedule(m.id, changes); } catch (e) { verdict = { ok: false, violations: [{ code: e.code, message: e.message }] }; }
    m.verdict = verdict;
    const col = d.colEls[m.col];
    let ghost = d.body.querySelector('.ghost');
    if (!ghost) { ghost = m.el.cloneNode(true); ghost.classList.add('ghost'); ghost.setAttribute('aria-hidden', 'true'); d.body.append(ghost); }
    const top = d.px(m.start);
    Object.assign(ghost.style, { left: `${col.offsetLeft}px`, width: `${col.offsetWidth - 4}px`, top: `${top}px`, height: `${d.px(m.start + m.duration) - top}px` });
    ghost.classList.toggle('bad', !verdict.ok);
    ghost.title = verdict.ok ? '' : verdict.violations.map((v) => v.message).join('\n');
    const c = d.cols[m.col];
    this.#announce(`${this.#longDay(c.day)} ${this.#time(utcOf(this.timeZone, c.day, m.start))} to ${this.#time(utcOf(this.timeZone, c.day, m.start + m.duration))}${c.provider ? `, ${c.name}` : ''}: ${verdict.ok ? 'free' : verdict.violations[0].message}`);
  }

  #drop() {
    const m = this.#state.moving;
    this.#drawn.body.querySelector('.ghost')?.remove();
    const changes = this.#moveTarget();
    try {
      const after = this.#c.reschedule(m.id, { ...changes, reason: 'moved in the calendar' });
      this.#say('ok', `Moved to ${this.#time(Date.parse(after.start))}.`);
    } catch (e) {
      // An invalid drop: the booking stays (snaps back), the reason is shown, with the options.
      this.#fail(e, 'reschedule');
      const b = m.booking;
      this.#offerAlternatives({ serviceId: b.serviceId, providerId: changes.providerId ?? b.providerId, clientIds: b.clientIds, start: changes.start, timeZone: this.timeZone }, e, m.id);
    }
  }

  #moveKeys(e) {
    const m = this.#state.moving;
    const d = this.#drawn;
    const k = e.key;
    const perDay = d.resource ? d.cols.length / (d.to - d.from) : 1;
    if (k === 'Escape') { e.preventDefault(); d.body.querySelector('.ghost')?.remove(); this.#state.moving = null; this.#announce('Move cancelled'); return; }
    if (k === 'Enter' || k === ' ') { e.preventDefault(); this.#state.moving = m; this.#drop(); this.#state.moving = null; return; }
    if (e.shiftKey && (k === 'ArrowUp' || k === 'ArrowDown')) m.duration = Math.max(this.step, m.duration + (k === 'ArrowUp' ? -this.step : this.step));
    else if (k === 'ArrowUp') m.start = Math.max(d.lo, m.start - this.step);
    else if (k === 'ArrowDown') m.start = Math.min(d.hi - this.step, m.start + this.step);
    else if (k === 'ArrowLeft') m.col = Math.max(0, m.col - 1);
    else if (k === 'ArrowRight') m.col = Math.min(d.cols.length - 1, m.col + 1);
    else if (k === 'PageUp') m.col = Math.max(0, m.col - perDay);
    else if (k === 'PageDown') m.col = Math.min(d.cols.length - 1, m.col + perDay);
    else return;
    e.preventDefault();
    this.#showMove();
  }

  #startKeyboardMove(id) {
    const d = this.#drawn;
    const b = this.#c.booking(id);
    const seg = [...d.byCol.entries()].flatMap(([ci, segs]) => segs.map((s) => ({ ci, s }))).find((x) => x.s.b.id === id);
    if (!seg) return;
    if (!d.filled.has(seg.ci)) this.#layoutColumn(seg.ci);
    const el0 = d.els.get(`${id}|${seg.s.i}`);
    this.#state.moving = { id, booking: b, col: seg.ci, start: seg.s.a, duration: (Date.parse(b.end) - Date.parse(b.start)) / 6e4, el: el0 };
    d.cell.focus();
    this.#announce('Moving. Arrows move by step or day, Shift with Up or Down changes the length, Enter drops, Escape cancels.');
    this.#showMove();
  }

  // ---- dialogs: details and actions, new bookings, alternatives, repair plans ----
  #dialog(title, ...content) {
    const dlg = this.#root.querySelector('dialog');
    this.#dialogReturn = this.#root.activeElement ?? null;
    const close = el('button', { type: 'button', part: 'button' }, 'Close');
    close.onclick = () => dlg.close();
    dlg.replaceChildren(el('h3', { id: 'dlg-title' }, title), ...content, el('div', { class: 'actions' }, close));
    dlg.setAttribute('aria-labelledby', 'dlg-title');
    dlg.onclose = () => { const back = this.#dialogReturn; this.#dialogReturn = null; (back?.isConnected ? back : this.#root.querySelector('.grid [tabindex="0"]'))?.focus(); };
    if (!dlg.open) dlg.showModal();
    dlg.querySelector('button, input, select')?.focus();
    return dlg;
  }

  #details(id, from) {
    const b = this.#c.booking(id);
    const names = this.#names();
    const risk = this.#c.atRisk({ from: b.start, to: b.end, providerId: b.providerId }).find((x) => x.bookingId === id);
    const dl = el('dl');
    const row = (k, v) => dl.append(el('dt', null, k), el('dd', null, v));
    row('When', `${this.#f('when').format(Date.parse(b.start))}, ${this.#time(Date.parse(b.start))} – ${this.#time(Date.parse(b.end))} (${this.timeZone})`);
    row('Technician', names.get(b.providerId) ?? b.providerId);
    row('Client', b.clientIds.map((c) => names.get(c) ?? c).join(', ') || '—');
    row('Status', b.status.replace('_', '-'));
    if (b.resources.length) row('Equipment', b.resources.map((r) => r.resourceId).join(', '));
    if (b.notes) row('Notes', b.notes);
    row('Revision', String(b.revision));
    const parts = [dl];
    if (risk) parts.push(el('p', { class: 'msg error' }, `At risk: ${risk.violations.map((v) => v.message).join(' ')}`));
    const actions = el('div', { class: 'actions' });
    const act = (label, fn) => { const btn = el('button', { type: 'button', part: 'button' }, label); btn.onclick = () => { dlg.close(); try { fn(); } catch (e) { this.#fail(e, label.toLowerCase()); } }; actions.append(btn); };
    const opts = { expectedRevision: b.revision };
    if (LIVE.includes(b.status)) {
      act('Check in', () => this.#c.setStatus(id, 'checked_in', opts));
      act('Move with keyboard', () => queueMicrotask(() => this.#startKeyboardMove(id)));
      act('No-show', () => this.#c.setStatus(id, 'no_show', opts));
      act('Cancel booking', () => this.#c.cancel(id, { ...opts, reason: 'cancelled in the calendar' }));
      const day = dayIn(this.timeZone, Date.parse(b.start));
      act(`${names.get(b.providerId) ?? b.providerId} is out that day…`, () => queueMicrotask(() => this.planRepairFor(b.providerId, day)));
    }
    if (b.status === 'checked_in') act('Complete', () => this.#c.setStatus(id, 'completed', opts));
    parts.push(actions);
    if (b.history?.length) {
      const h = el('ol', { 'aria-label': 'History' });
      for (const x of b.history) h.append(el('li', null, `${this.#f('stamp').format(Date.parse(x.at))}: ${x.action.replace('_', ' ')}${x.reason ? ` (${x.reason})` : ''}`));
      parts.push(h);
    }
    const dlg = this.#dialog(names.get(b.serviceId) ?? b.serviceId, ...parts);
    this.#dialogReturn = from?.isConnected && from.matches?.('[tabindex="0"]') ? from : this.#root.querySelector('.grid [tabindex="0"]');
  }

  #newBooking() {
    const d = this.#drawn;
    const { col, row } = d.active;
    const c = d.cols[col];
    const minutes = d.lo + row * this.step;
    const services = el('select', { name: 'service', 'aria-label': 'Service' });
    for (const s of this.#catalog().services) services.append(el('option', { value: s.id }, s.name));
    const clients = el('select', { name: 'client', 'aria-label': 'Client' });
    for (const cl of this.#catalog().clients) clients.append(el('option', { value: cl.id }, cl.name));
    const form = el('form', null, el('label', null, 'Service', services), el('label', null, 'Client', clients),
      el('button', { class: 'primary', type: 'submit' }, 'Book'));
    const request = () => ({ serviceId: services.value, clientIds: clients.value ? [clients.value] : [], providerId: c.provider ?? undefined, start: wallText(c.day, minutes), timeZone: this.timeZone });
    form.onsubmit = (e) => {
      e.preventDefault();
      const req = request();
      if (!this.#emit('booking-requested', { request: req, client: null, holdId: null })) { dlg.close(); return; }
      try {
        const booking = this.#c.book(req);
        dlg.close();
        this.#emit('booked', { booking, client: null });
      } catch (err) {
        this.#fail(err, 'book');
        this.#offerAlternatives(req, err);
      }
    };
    const dlg = this.#dialog(`New booking, ${this.#longDay(c.day)} ${this.#time(utcOf(this.timeZone, c.day, minutes))}${c.provider ? `, ${c.name}` : ''}`, form);
  }

  /** A clash: why, and the engine's ranked alternatives, each bookable (or a move target) in one click. */
  #offerAlternatives(request, error, movingId) {
    let options = [];
    try { options = this.#c.alternatives(request, { limit: 5 }); } catch { /* no alternatives for a broken request */ }
    const names = this.#names();
    const why = el('ul', null, ...(error.details?.length ? error.details : [error]).map((v) => el('li', null, el('code', null, v.code ?? ''), ' ', v.message)));
    const list = el('ol', { 'aria-label': 'Alternatives, best first' });
    for (const o of options) {
      const btn = el('button', { type: 'button', part: 'button' }, `${this.#f('dayShort').format(Date.parse(o.start))} ${this.#time(Date.parse(o.start))}, ${names.get(o.providerId) ?? o.providerId}`);
      btn.onclick = () => {
        try {
          if (movingId) this.#c.reschedule(movingId, { start: o.start, providerId: o.providerId, reason: 'moved to an alternative' });
          else this.#emit('booked', { booking: this.#c.book({ ...request, start: o.start, providerId: o.providerId, timeZone: undefined }), client: null });
          dlg.close();
        } catch (e) { this.#fail(e, 'book'); }
      };
      list.append(el('li', null, btn));
    }
    const dlg = this.#dialog(movingId ? 'That move clashes' : 'That time clashes', why,
      options.length ? el('p', null, 'Ranked alternatives:') : el('p', null, 'No alternatives nearby.'), list);
  }

  /** A technician is out for the day on screen: the engine's repair plan, previewed, then applied. */
  planRepairFor(providerId, day = dayOfIso(this.date)) {
    const names = this.#names();
    let plan;
    try {
      plan = this.#c.planRepair({ providerId, start: isoOfDay(day), end: isoOfDay(day + 1), timeZone: this.timeZone, reason: 'out sick' });
    } catch (e) { this.#fail(e, 'planRepair'); return null; }
    const moves = el('ol', { 'aria-label': 'Proposed moves' });
    for (const m of plan.moves) {
      const b = this.#c.booking(m.bookingId);
      moves.append(el('li', null, `${names.get(b?.serviceId) ?? m.bookingId}: ${this.#time(Date.parse(m.from.start))} ${names.get(m.from.providerId) ?? ''} → ${this.#f('wd').format(Date.parse(m.to.start))} ${this.#time(Date.parse(m.to.start))} ${names.get(m.to.providerId) ?? m.to.providerId}`));
    }
    for (const u of plan.unplaced) moves.append(el('li', null, `${u.bookingId}: no place found (${u.reason.message})`));
    const apply = el('button', { type: 'button', class: 'primary', part: 'button' }, 'Apply plan');
    apply.onclick = () => { try { this.#c.applyPlan(plan.id); dlg.close(); this.#say('ok', 'Plan applied.'); } catch (e) { this.#fail(e, 'applyPlan'); } };
    const dlg = this.#dialog(`${names.get(providerId) ?? providerId} is out on ${this.#longDay(day)}`,
      el('p', null, plan.moves.length || plan.unplaced.length ? `${plan.moves.length} moves, ${plan.unplaced.length} without a place. Nothing changes until you apply.` : 'No booking is affected.'), moves,
      plan.moves.length || plan.unplaced.length ? apply : null);
    return plan;
  }
}

/** Defines `<service-calendar>` (once; a second call is a no-op). */
export function defineServiceCalendar(name = 'service-calendar') {
  if (!customElements.get(name)) customElements.define(name, class extends ServiceCalendar {});
  return customElements.get(name);
}

if (globalThis.customElements) defineServiceCalendar();
