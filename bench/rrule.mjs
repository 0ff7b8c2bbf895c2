// Recurrence expansion, side by side in one run: our wasm (through the JS API) against rrule.js
// from npm, on the same rules. Prints medians and the ratio; not a timed test.
import { load, Coordinator } from '../pkg/index.js';
import rrule from 'rrule';

const { RRule, datetime } = rrule;
await load();
const c = new Coordinator({ timeZone: 'America/New_York' });

function median(fn, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

const cases = [
  { what: 'daily x 3,650, TZID America/New_York', runs: [5, 30],
    ours: { rrule: 'FREQ=DAILY;COUNT=3650', dtstart: '2026-01-01T09:00', limit: 4000 },
    theirs: () => new RRule({ freq: RRule.DAILY, count: 3650, dtstart: datetime(2026, 1, 1, 9, 0, 0), tzid: 'America/New_York' }).all(), target: '100x' },
  { what: 'weekly Mon/Wed/Fri x 1,560, TZID America/New_York', runs: [5, 30],
    ours: { rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=1560', dtstart: '2026-01-05T09:00', limit: 2000 },
    theirs: () => new RRule({ freq: RRule.WEEKLY, byweekday: [RRule.MO, RRule.WE, RRule.FR], count: 1560, dtstart: datetime(2026, 1, 5, 9, 0, 0), tzid: 'America/New_York' }).all(), target: '100x' },
  { what: 'monthly last Friday x 120, TZID America/New_York', runs: [10, 50],
    ours: { rrule: 'FREQ=MONTHLY;BYDAY=-1FR;COUNT=120', dtstart: '2026-01-30T09:00' },
    theirs: () => new RRule({ freq: RRule.MONTHLY, byweekday: [RRule.FR.nth(-1)], count: 120, dtstart: datetime(2026, 1, 30, 9, 0, 0), tzid: 'America/New_York' }).all(), target: '100x' },
  { what: 'a 1-month window of a weekly rule from 1970', runs: [10, 100],
    ours: { rrule: 'FREQ=WEEKLY;BYDAY=TU', dtstart: '1970-01-06T09:00', from: '2026-11-01', to: '2026-12-01' },
    theirs: () => new RRule({ freq: RRule.WEEKLY, byweekday: [RRule.TU], dtstart: datetime(1970, 1, 6, 9, 0, 0), tzid: 'America/New_York' })
      .between(new Date(Date.UTC(2026, 10, 1, 4)), new Date(Date.UTC(2026, 11, 1, 5))), target: '1 ms' },
  { what: 'a 10-minute window of a minutely rule from 2 years before', runs: [3, 100],
    ours: { rrule: 'FREQ=MINUTELY', dtstart: '2024-11-23T00:00', from: '2026-11-23T10:00', to: '2026-11-23T10:10' },
    theirs: () => new RRule({ freq: RRule.MINUTELY, dtstart: datetime(2024, 11, 23, 5, 0, 0) })
      .between(new Date(Date.UTC(2026, 10, 23, 15, 0)), new Date(Date.UTC(2026, 10, 23, 15, 10))), target: '1 ms' },
];

console.log(`${'recurrence'.padEnd(58)} ${'ours'.padStart(10)} ${'rrule.js'.padStart(11)} ${'ratio'.padStart(8)}  target`);
for (const k of cases) {
  const n = c.expand(k.ours).length;
  const m = k.theirs().length;
  const theirs = median(k.theirs, k.runs[0]);
  const ours = median(() => c.expand(k.ours), k.runs[1]);
  const ok = k.target.endsWith('x') ? theirs / ours >= 100 : ours <= 1;
  console.log(`${`${k.what} (${n}${n === m ? '' : ` vs ${m}`})`.padEnd(58)} ${ours.toFixed(3).padStart(7)} ms ${theirs.toFixed(1).padStart(8)} ms ${`${(theirs / ours).toFixed(0)}x`.padStart(8)}  ${k.target} ${ok ? 'within' : 'OVER'}`);
}
// iCalendar: a 1 MB calendar, read by ical.js (parse only) and imported by us (parse, expand,
// apply); issue 17's target: our whole import at least as fast as ical.js's parse.
{
  const { default: ICAL } = await import('ical.js');
  let ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n';
  for (let i = 0; ics.length < 1_000_000; i++) {
    const d = new Date(Date.UTC(2026, 11, 1) + (i % 300) * 86400e3 + (i % 8) * 3600e3).toISOString().replace(/[-:]/g, '').slice(0, 15);
    ics += `BEGIN:VEVENT\r\nUID:ev-${i}@bench\r\nDTSTAMP:20261123T120000Z\r\nDTSTART;TZID=America/New_York:${d}\r\nDURATION:PT45M\r\nSUMMARY:Appointment number ${i}\\, with a comma\r\nDESCRIPTION:A longer description line that needs folding because it runs past seventy-five \r\n octets of text\r\nEND:VEVENT\r\n`;
  }
  ics += 'END:VCALENDAR\r\n';
  const fresh = () => {
    const k = new Coordinator({ now: '2026-11-23T12:00:00Z', timeZone: 'America/New_York' });
    k.upsertProvider({ id: 'p', name: 'P', timeZone: 'America/New_York' });
    return k;
  };
  const events = fresh().importICalendar(ics, { providerId: 'p' }).busy;
  const theirs = median(() => ICAL.parse(ics), 5);
  const ours = median(() => fresh().importICalendar(ics, { providerId: 'p' }), 5);
  console.log(`${`iCalendar, ${(ics.length / 1e6).toFixed(1)} MB, ${events} events (ical.js: parse only)`.padEnd(58)} ${ours.toFixed(3).padStart(7)} ms ${theirs.toFixed(1).padStart(8)} ms ${`${(theirs / ours).toFixed(1)}x`.padStart(8)}  at least 1x ${ours <= theirs ? 'within' : 'OVER'}`);
}
