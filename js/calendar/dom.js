// What every view of <service-calendar> draws with: elements, service colours, Intl formatters,
// and the base style (the console adds its own sheet). Text from hosts and clients only ever goes
// in through `append` (text nodes) or attributes.
import { DAY } from './zone.js';

/** An element with attributes (null, undefined and false are left off) and children. */
/** The route solver's module, beside the element in the package (its Worker and wasm sit there
 * too), loaded when first asked for: the dispatch board, and arrival windows on a booking page. */
export const solver = () => import(/* @vite-ignore */ new URL('../dispatch.js', import.meta.url).href);

export function el(tag, attrs, ...kids) {
  const n = document.createElement(tag);
  if (attrs) for (const k in attrs) if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) n.setAttribute(k, attrs[k]);
  for (const k of kids) if (k !== undefined && k !== null) n.append(k);
  return n;
}

/** Statuses that hold time and can still be moved. */
export const LIVE = ['tentative', 'confirmed'];

// Formatters by name (Intl.DateTimeFormat is slow to make, quick to use): [in UTC?, options].
// Those in UTC format day numbers and wall minutes; the others, instants in the element's zone.
const FORMATS = {
  time: [0, { hour: 'numeric', minute: '2-digit' }], clock: [1, { hour: 'numeric', minute: '2-digit' }], hour: [1, { hour: 'numeric' }],
  long: [1, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }], short: [1, { weekday: 'short', day: 'numeric', month: 'short' }],
  month: [1, { month: 'long', year: 'numeric' }], span: [1, { day: 'numeric', month: 'short', year: 'numeric' }],
  wdShort: [1, { weekday: 'short' }], wdLong: [1, { weekday: 'long' }], when: [0, { weekday: 'long', month: 'long', day: 'numeric' }],
  dayShort: [0, { weekday: 'short', month: 'short', day: 'numeric' }], wd: [0, { weekday: 'short' }], stamp: [0, { dateStyle: 'short', timeStyle: 'short' }],
};
const made = new Map();
const memo = new Map();

/** Formatting in one locale and zone. */
export class Formats {
  constructor(locale, zone) { this.locale = locale; this.zone = zone; }
  f(name) {
    const key = `${this.locale}|${this.zone}|${name}`;
    let f = made.get(key);
    if (!f) {
      const [utc, opts] = FORMATS[name];
      f = new Intl.DateTimeFormat(this.locale, { timeZone: utc ? 'UTC' : this.zone, ...opts });
      made.set(key, f);
    }
    return f;
  }
  /** Formats and remembers (day names, wall clock times: a few hundred strings at most). */
  memo(name, n) {
    const key = `${this.locale}|${name}|${n}`;
    let t = memo.get(key);
    if (t === undefined) {
      if (memo.size > 5000) memo.clear();
      t = this.f(name).format(name === 'clock' || name === 'hour' ? n * 6e4 : n * DAY);
      memo.set(key, t);
    }
    return t;
  }
  /** An instant's wall-clock time in the zone. */
  time(ms) { return this.f('time').format(ms); }
  /** A wall time given as minutes after midnight. */
  clock(minutes) { return this.memo('clock', minutes); }
  /** A whole hour given as minutes after midnight, as short as the locale writes it ("9 AM", "09 Uhr"). */
  hour(minutes) { return this.memo('hour', minutes); }
  longDay(day) { return this.memo('long', day); }
  shortDay(day) { return this.memo('short', day); }
  /** The first day of the week in the locale (0 = Sunday; Monday when Intl does not say). */
  firstDay() {
    try {
      const l = new Intl.Locale(this.locale ?? navigator.language);
      const info = l.getWeekInfo?.() ?? l.weekInfo;
      return (info?.firstDay ?? 1) % 7;
    } catch { return 1; }
  }
}

const sheets = new Map();
/** Gives a shadow root these style sheets, constructed once and shared by every element (where
 * the browser cannot adopt sheets, `Host.show` puts them in as <style> elements). */
export function adopt(root, ...css) {
  if (!('adoptedStyleSheets' in Document.prototype)) return;
  root.adoptedStyleSheets = css.map((text) => {
    let s = sheets.get(text);
    if (!s) { s = new CSSStyleSheet(); s.replaceSync(text); sheets.set(text, s); }
    return s;
  });
}

export const STYLE = `
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
.bar h2{font-size:1.05rem;margin:0 auto 0 .25rem}.bar label{display:flex;gap:.3rem;align-items:center;font-size:.9rem;min-width:0;max-width:100%}
.bar select{min-width:0;max-width:100%;text-overflow:ellipsis}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.month{display:grid;grid-template-columns:repeat(7,1fr);border:1px solid var(--sc-line);border-radius:var(--sc-radius)}
.month [role=row]{display:contents}
.month [role=columnheader]{font-size:.75rem;color:var(--sc-muted);text-align:center;padding:.3rem}
.month [role=gridcell]{min-height:4.2rem;border-top:1px solid var(--sc-line);padding:.2rem;font-size:.8rem;cursor:pointer;overflow:hidden}
.month [role=gridcell][aria-selected=true]{background:color-mix(in srgb,var(--sc-accent) 15%,var(--sc-bg))}
.month .other{color:var(--sc-muted)}.month .num{font-weight:600}
.month .free{display:block;color:var(--sc-ok);font-size:.72rem}.month [aria-disabled=true]{cursor:default;color:var(--sc-muted)}
.slots{display:grid;grid-template-columns:repeat(auto-fill,minmax(6.5rem,1fr));gap:.4rem;margin:.5rem 0}
.slots.windows{grid-template-columns:repeat(auto-fill,minmax(10rem,1fr))}.slots.windows button{white-space:nowrap}
.where{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}.where label{flex:1 1 14rem}
.slots button[aria-pressed=true]{background:var(--sc-accent);color:var(--sc-accent-fg)}.slots .seats{display:block;font-size:.72rem}
.summary{font-weight:600;margin:0}
form{display:grid;gap:.5rem;max-width:28rem}form label{display:grid;gap:.2rem;font-size:.9rem}
.contact{border:0;padding:0;margin:0;min-width:0;display:grid;gap:.5rem;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr))}.contact legend{padding:0;margin-bottom:.3rem;font-size:.9rem}
.msg{padding:.5rem .7rem;border-radius:var(--sc-radius);margin:.5rem 0}.msg:empty{display:none}
.msg.error{background:color-mix(in srgb,var(--sc-bad) 15%,var(--sc-bg));color:var(--sc-bad)}.msg.ok{background:color-mix(in srgb,var(--sc-ok) 15%,var(--sc-bg));color:var(--sc-ok)}
@container (max-width:480px){.bar h2{flex-basis:100%;order:-1}.month [role=gridcell]{min-height:2.8rem}}
`;
