// The console's reports (view "reports"): the month of the element's date in its zone, from the
// engine's `metrics` (every figure is the engine's; this file only draws). KPI cards with their
// change against the month before, trend lines over the twelve whole weeks before this one,
// utilisation bars per provider (on site / travel / idle), no-shows by hour of day, and a provider
// leaderboard. Charts are SVG drawn here: each has a title and a description, and the same
// figures follow it as a table for screen readers; colours come from the element's custom
// properties; a print sheet lays the page out for paper. "Download CSV" hands over the engine's
// `visitsCsv` for the month.
import { el } from './dom.js';
import { DAY, dayOfIso, isoOfDay } from './zone.js';

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...kids) {
  const n = document.createElementNS(SVG, tag);
  for (const k in attrs ?? {}) if (attrs[k] !== undefined && attrs[k] !== null) n.setAttribute(k, attrs[k]);
  for (const k of kids) if (k !== undefined && k !== null) n.append(k);
  return n;
}

/** The cards: the figure, and how it is shown. */
const CARDS = [
  ['completed', 'count'], ['noShowRate', 'pct'], ['lateCancelRate', 'pct'], ['utilisation', 'pct'],
  ['firstTimeFixRate', 'pct'], ['recallRate', 'pct'], ['onTimeArrival', 'pct'], ['slaCompliance', 'pct'],
  ['csat', 'pct'], ['nps', 'score'], ['billableHours', 'hours'], ['revenueMinor', 'money'],
];
/** For these, a fall is good news. */
const LOWER_IS_BETTER = new Set(['noShowRate', 'lateCancelRate', 'recallRate']);

export class Reports {
  constructor(view) {
    this.v = view;
    this.h = view.h;
    this.key = null;
    this.data = null;
  }

  reset() { this.key = null; }

  /** The month of the element's date: [first day, first day of the next month), as ISO dates. */
  month() {
    const d = new Date(dayOfIso(this.h.element.date) * DAY);
    const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return [isoOfDay(first / DAY), isoOfDay(next / DAY)];
  }

  /** The chart's width in its own units: the element's, within 300 to 600, so text keeps its
   * size on a phone. */
  width() { return Math.max(300, Math.min(600, (this.h.element.getBoundingClientRect().width || 600) - 48)); }

  /** Today in the element's zone, as a day number. */
  today() {
    const iso = new Intl.DateTimeFormat('en-CA', { timeZone: this.h.element.timeZone }).format(new Date(this.h.c.now()));
    return dayOfIso(iso);
  }

  load() {
    const h = this.h, e = h.element;
    const [from, monthEnd] = this.month();
    // A month still under way is reported to date, beside as many days before it.
    const to = isoOfDay(Math.min(dayOfIso(monthEnd), this.today() + 1));
    if (to <= from) {
      this.key = `${from}|${e.timeZone}`;
      this.data = null;
      return null;
    }
    const key = `${from}|${e.timeZone}`;
    if (this.key === key) return this.data;
    const zone = e.timeZone;
    // The trend is of whole weeks (Monday to Sunday, as the engine cuts them): one under way,
    // with today's hours counted and its visits not yet done, would end every line in a fall.
    const today = this.today();
    const weeksTo = Math.min(dayOfIso(to), today - ((today + 3) % 7));
    const weeksFrom = isoOfDay(weeksTo - 12 * 7);
    try {
      this.data = {
        from, to,
        all: h.c.metrics({ from, to, timeZone: zone }),
        providers: h.c.metrics({ from, to, timeZone: zone, groupBy: 'provider' }),
        weeks: h.c.metrics({ from: weeksFrom, to: isoOfDay(weeksTo), timeZone: zone, groupBy: 'week' }),
      };
    } catch (err) {
      this.data = null;
      h.fail(err, 'metrics');
    }
    this.key = key;
    return this.data;
  }

  // ---- formatting (the element's locale) ----

  num(opts) { return new Intl.NumberFormat(this.h.element.locale || undefined, opts); }

  show(kind, value) {
    const s = this.h.s;
    if (value === null || value === undefined) return s.na;
    if (kind === 'pct') return this.num({ style: 'percent', maximumFractionDigits: 1 }).format(value);
    if (kind === 'hours') return s.hours(this.num({ maximumFractionDigits: 1 }).format(value));
    if (kind === 'money') return this.money(value);
    if (kind === 'score') return this.num({ maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(value);
    return this.num({ maximumFractionDigits: 1 }).format(value);
  }

  money(minor) {
    const currency = this.data?.all.currency ?? 'EUR';
    const f = this.num({ style: 'currency', currency });
    const digits = f.resolvedOptions().maximumFractionDigits;
    return f.format(minor / 10 ** digits);
  }

  change(kind, figure) {
    const s = this.h.s;
    if (figure.change === null) return s.noChange;
    if (figure.change === 0) return s.unchanged;
    const sign = figure.change > 0 ? '+' : '−';
    const abs = Math.abs(figure.change);
    const text = kind === 'pct' ? s.points(this.num({ maximumFractionDigits: 1 }).format(abs * 100))
      : kind === 'money' ? this.money(abs) : this.show(kind === 'score' ? 'count' : kind, abs);
    return `${sign}${text}`;
  }

  // ---- the page ----

  render() {
    const h = this.h, s = h.s;
    const data = this.load();
    if (!data) return el('p', null, s.reportsNothing);
    const month = h.fmt.f('month').format(dayOfIso(data.from) * DAY);
    const title = data.to === this.month()[1] ? month : s.toDate(month, h.fmt.f('span').format((dayOfIso(data.to) - 1) * DAY));
    const csv = el('button', { type: 'button', part: 'button' }, s.downloadCsv);
    csv.onclick = () => this.download();
    const print = el('button', { type: 'button', part: 'button' }, s.print);
    print.onclick = () => globalThis.print?.();
    return el('div', { class: 'reports' },
      el('div', { class: 'report-actions' }, csv, print),
      el('h2', { class: 'report-title' }, s.reportsFor(title)),
      this.cards(data.all.total.figures),
      el('div', { class: 'charts' }, this.trend(data.weeks), this.utilisation(data.providers), this.byHour(data.all.byHour)),
      this.leaderboard(data.providers));
  }

  cards(figures) {
    const s = this.h.s;
    return el('ul', { class: 'kpis', 'aria-label': s.kpis }, ...CARDS.map(([name, kind]) => {
      const f = figures[name];
      const good = f.change === null || f.change === 0 ? '' : (f.change > 0) !== LOWER_IS_BETTER.has(name) ? 'up' : 'down';
      return el('li', { class: 'kpi' },
        el('span', { class: 'kpi-name' }, s.figures[name]),
        el('strong', { class: 'kpi-value' }, this.show(kind, f.value)),
        el('span', { class: `kpi-change ${good}` }, `${this.change(kind, f)} ${s.vsPrevious}`));
    }));
  }

  /** A chart: the SVG with its title and description, then the same figures as a table. */
  chart(id, title, desc, drawing, head, rows) {
    const t = `${id}-t`, d = `${id}-d`;
    const pic = svg('svg', { role: 'img', 'aria-labelledby': `${t} ${d}`, viewBox: drawing.box, class: 'chart', part: 'chart' },
      svg('title', { id: t }, title), svg('desc', { id: d }, desc), ...drawing.parts);
    const table = el('table', { class: 'figures' },
      el('caption', null, title),
      el('thead', null, el('tr', null, ...head.map((x) => el('th', { scope: 'col' }, x)))),
      el('tbody', null, ...rows.map((r) => el('tr', null, ...r.map((x, i) => el(i ? 'td' : 'th', i ? null : { scope: 'row' }, x))))));
    return el('figure', { class: 'report-chart' }, el('figcaption', null, title), pic, table);
  }

  /** A week's first day (a date, so written as the calendar has it, in no zone). */
  weekOf(key) { return this.h.fmt.f('short').format(dayOfIso(key) * DAY); }

  trend(weeks) {
    const s = this.h.s;
    const groups = weeks.groups;
    const W = this.width(), H = 220, L = 40, R = 40, T = 16, B = 34;
    const done = groups.map((g) => g.figures.completed.value ?? 0);
    const use = groups.map((g) => g.figures.utilisation.value);
    const max = Math.max(1, ...done);
    const x = (i) => L + (groups.length < 2 ? 0 : (i * (W - L - R)) / (groups.length - 1));
    const y = (v, top) => T + (H - T - B) * (1 - v / top);
    const line = (values, top, cls) => {
      const pts = values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v, top).toFixed(1)}`)).filter(Boolean);
      return svg('polyline', { points: pts.join(' '), class: cls, fill: 'none' });
    };
    const parts = [
      svg('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }),
      svg('text', { x: L - 6, y: T + 4, class: 'tick', 'text-anchor': 'end' }, String(max)),
      svg('text', { x: W - R + 6, y: T + 4, class: 'tick' }, '100%'),
      line(done, max, 'series-a'), line(use, 1, 'series-b'),
      ...groups.map((g, i) => (i % (W < 400 ? 4 : 2) === 0 ? svg('text', { x: x(i), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, this.weekOf(g.key).replace(/^\S+\s/, '')) : null)),
      svg('text', { x: L, y: H - 4, class: 'legend a' }, `— ${s.figures.completed}`),
      svg('text', { x: L + (W - L) / 2, y: H - 4, class: 'legend b' }, `— ${s.figures.utilisation}`),
    ];
    const rows = groups.map((g, i) => [this.weekOf(g.key), this.show('count', done[i]), this.show('pct', use[i])]);
    return this.chart('trend', s.trendTitle, s.trendDesc(groups.length), { box: `0 0 ${W} ${H}`, parts }, [s.weekOf, s.figures.completed, s.figures.utilisation], rows);
  }

  utilisation(providers) {
    const s = this.h.s;
    const rows = providers.groups.filter((g) => (g.figures.capacityHours.value ?? 0) > 0);
    const W = this.width(), rowH = 26, L = W < 400 ? 100 : 150, R = 50, T = 8;
    const H = T + rows.length * rowH + 24;
    const parts = [];
    rows.forEach((g, i) => {
      const f = g.figures, cap = f.capacityHours.value;
      const site = (f.onSiteHours.value ?? 0) / cap, road = (f.travelHours.value ?? 0) / cap;
      const idle = Math.max(0, 1 - site - road);
      const w = W - L - R, yy = T + i * rowH;
      parts.push(svg('text', { x: L - 8, y: yy + 16, class: 'tick', 'text-anchor': 'end' }, g.label));
      let at = L;
      for (const [share, cls] of [[site, 'seg-site'], [road, 'seg-road'], [idle, 'seg-idle']]) {
        const width = Math.max(0, Math.min(1, share)) * w;
        parts.push(svg('rect', { x: at.toFixed(1), y: yy + 4, width: width.toFixed(1), height: rowH - 8, class: cls }));
        at += width;
      }
      parts.push(svg('text', { x: W - R + 6, y: yy + 16, class: 'tick' }, this.show('pct', f.utilisation.value)));
    });
    const gap = (W - L) / 3;
    parts.push(svg('text', { x: L, y: H - 6, class: 'legend site' }, `■ ${s.onSite}`), svg('text', { x: L + gap, y: H - 6, class: 'legend road' }, `■ ${s.travel}`), svg('text', { x: L + 2 * gap, y: H - 6, class: 'legend idle' }, `■ ${s.idle}`));
    const table = rows.map((g) => {
      const f = g.figures;
      return [g.label, this.show('hours', f.onSiteHours.value), this.show('hours', f.travelHours.value), this.show('hours', f.capacityHours.value), this.show('pct', f.utilisation.value)];
    });
    return this.chart('use', s.utilisationTitle, s.utilisationDesc, { box: `0 0 ${W} ${H}`, parts }, [s.provider, s.onSite, s.travel, s.capacity, s.figures.utilisation], table);
  }

  byHour(hours) {
    const s = this.h.s;
    const used = hours.filter((x) => x.visits > 0);
    const first = used.length ? used[0].hour : 8, last = used.length ? used[used.length - 1].hour : 17;
    const span = hours.slice(first, last + 1);
    const W = this.width(), H = 200, L = 40, T = 12, B = 30;
    const hourName = new Intl.DateTimeFormat(this.h.element.locale || undefined, { hour: 'numeric', timeZone: 'UTC' });
    const every = Math.max(1, Math.ceil((span.length * 44) / (W - L)));
    const max = Math.max(1, ...span.map((x) => x.noShows));
    const bw = (W - L - 10) / Math.max(1, span.length);
    const parts = [svg('line', { x1: L, x2: W - 10, y1: H - B, y2: H - B, class: 'axis' }), svg('text', { x: L - 6, y: T + 4, class: 'tick', 'text-anchor': 'end' }, String(max))];
    span.forEach((x, i) => {
      const h = ((H - T - B) * x.noShows) / max;
      parts.push(svg('rect', { x: (L + i * bw + 3).toFixed(1), y: (H - B - h).toFixed(1), width: Math.max(1, bw - 6).toFixed(1), height: h.toFixed(1), class: 'bar' }));
      if (i % every === 0) parts.push(svg('text', { x: (L + i * bw + bw / 2).toFixed(1), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, hourName.format(x.hour * 3600e3)));
    });
    const rows = span.map((x) => [this.h.fmt.clock(x.hour * 60), this.show('count', x.visits), this.show('count', x.noShows), this.show('pct', x.visits ? x.noShows / x.visits : null)]);
    return this.chart('hours', s.byHourTitle, s.byHourDesc, { box: `0 0 ${W} ${H}`, parts }, [s.hour, s.visitsDue, s.noShows, s.figures.noShowRate], rows);
  }

  leaderboard(providers) {
    const s = this.h.s;
    const rows = [...providers.groups].sort((a, b) => (b.figures.completed.value ?? 0) - (a.figures.completed.value ?? 0) || a.label.localeCompare(b.label));
    const cols = [['completed', 'count'], ['firstTimeFixRate', 'pct'], ['noShowRate', 'pct'], ['utilisation', 'pct'], ['csat', 'pct'], ['revenueMinor', 'money']];
    // In a region that scrolls sideways on a phone (and is reachable by keyboard there).
    return el('div', { class: 'leaders', role: 'region', tabindex: '0', 'aria-label': s.leaderboard }, el('table', { class: 'leaderboard', part: 'leaderboard' },
      el('caption', null, s.leaderboard),
      el('thead', null, el('tr', null, el('th', { scope: 'col' }, s.provider), ...cols.map(([n]) => el('th', { scope: 'col' }, s.figures[n])))),
      el('tbody', null, ...rows.map((g) => el('tr', null, el('th', { scope: 'row' }, g.label), ...cols.map(([n, k]) => el('td', null, this.show(k, g.figures[n].value))))))));
  }

  download() {
    const h = this.h;
    const [from, to] = this.month();
    try {
      const text = h.c.visitsCsv({ from, to, timeZone: h.element.timeZone });
      const a = el('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })), download: `visits-${from.slice(0, 7)}.csv` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      h.announce(h.s.csvReady);
    } catch (err) {
      h.fail(err, 'visitsCsv');
    }
  }
}

export const REPORTS_STYLE = `
.reports{display:grid;gap:1rem}
.report-actions{display:flex;gap:.5rem;justify-content:flex-end}
.report-title{font-size:1.1rem;margin:0}
.kpis{list-style:none;margin:0;padding:0;display:grid;gap:.5rem;grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr))}
.kpi{border:1px solid var(--sc-line);border-radius:var(--sc-radius);padding:.5rem .7rem;display:grid;gap:.15rem;break-inside:avoid}
.kpi-name{font-size:.8rem;color:var(--sc-muted)}.kpi-value{font-size:1.35rem}
.kpi-change{font-size:.75rem;color:var(--sc-muted)}.kpi-change.up{color:var(--sc-ok)}.kpi-change.down{color:var(--sc-bad)}
.charts{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr))}
.report-chart{margin:0;border:1px solid var(--sc-line);border-radius:var(--sc-radius);padding:.5rem;break-inside:avoid}
.report-chart figcaption{font-weight:600;font-size:.9rem;margin-bottom:.3rem}
.chart{width:100%;height:auto;font:12px var(--sc-font);overflow:visible;direction:ltr}
.chart .axis{stroke:var(--sc-line)}.chart .tick{fill:var(--sc-muted)}
.chart .series-a{stroke:var(--sc-chart-1,var(--sc-accent));stroke-width:2.5}.chart .series-b{stroke:var(--sc-chart-2,#b54708);stroke-width:2.5;stroke-dasharray:6 4}
.chart .legend.a{fill:var(--sc-chart-1,var(--sc-accent))}.chart .legend.b{fill:var(--sc-chart-2,#b54708)}
.chart .seg-site,.chart .bar{fill:var(--sc-chart-1,var(--sc-accent))}.chart .seg-road{fill:var(--sc-chart-2,#b54708)}.chart .seg-idle{fill:var(--sc-off)}
.chart .legend.site{fill:var(--sc-chart-1,var(--sc-accent))}.chart .legend.road{fill:var(--sc-chart-2,#b54708)}.chart .legend.idle{fill:var(--sc-muted)}
.figures{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.leaderboard{border-collapse:collapse;width:100%;font-size:.9rem}
.leaderboard caption{text-align:start;font-weight:600;padding:.3rem 0}
.leaderboard th,.leaderboard td{padding:.3rem .5rem;border-bottom:1px solid var(--sc-line);text-align:end}
.leaderboard th[scope=row],.leaderboard thead th:first-child{text-align:start}
@media (max-width:480px){.leaders{overflow-x:auto}.kpis{grid-template-columns:repeat(2,1fr)}}
@media print{
  .report-actions,.bar select,.bar button{display:none!important}
  .reports{display:block}.kpis{grid-template-columns:repeat(4,1fr)}
  .report-chart,.kpi,.leaderboard{break-inside:avoid;page-break-inside:avoid}
  .figures{position:static;width:auto;height:auto;clip:auto;white-space:normal;font-size:.8rem;margin-top:.3rem}
  .kpi-change.up,.kpi-change.down{color:#000}
}`;
