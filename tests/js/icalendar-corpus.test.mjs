// Calendars as they come: 304 files from the test suites of ical4j, python-icalendar and ical.js
// (tests/data/icalendar-corpus, sources in its README), imported one by one beside ical.js.
// The target: every file ical.js reads, we import; every event is imported or left out with a
// reason, and its line.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ICAL from 'ical.js';
import { load, Coordinator } from '../../pkg/index.js';

await load();
const root = new URL('../data/icalendar-corpus/', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ics')) files.push(p);
  }
}(root));

const REASONS = ['CANCELLED', 'TRANSPARENT', 'NO_DTSTART', 'INVALID_TIME', 'UNKNOWN_TIME_ZONE', 'INVALID_DURATION', 'INVALID_RULE', 'END_BEFORE_START', 'INVALID_ICALENDAR'];

/** The calendar's VEVENTs in ical.js's parse (jCal: [name, properties, components]): those of a
 * VCALENDAR (one may sit in another) and bare ones. An event inside an unknown component is not
 * the calendar's (RFC 5545 3.6: such components are ignored, with what they hold). */
function theirEvents(jcal) {
  let n = 0;
  const walk = (c) => {
    if (c[0] === 'vevent') n++;
    else if (c[0] === 'vcalendar') for (const k of c[2] ?? []) walk(k);
  };
  for (const c of Array.isArray(jcal[0]) ? jcal : [jcal]) walk(c);
  return n;
}

function ours(text, strict = false) {
  const c = new Coordinator({ now: '2026-11-23T12:00:00Z', timeZone: 'America/New_York' });
  c.upsertProvider({ id: 'p', name: 'P', timeZone: 'Europe/Berlin' });
  return c.importICalendar(text, { providerId: 'p', strict });
}

const results = files.map((f) => {
  const text = readFileSync(f, 'utf8');
  const name = relative(root, f);
  let theirs = null;
  try { theirs = theirEvents(ICAL.parse(text)); } catch { /* ical.js does not read it */ }
  let summary = null, refusal = null;
  try { summary = ours(text); } catch (e) { refusal = e; }
  return { name, text, theirs, summary, refusal };
});

test('the corpus: at least 50 calendars from public sources, each with its licence beside it', () => {
  assert.ok(files.length >= 50, `${files.length} files`);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const dir of ['ical4j', 'icalendar', 'ical.js']) {
    assert.ok(readme.includes(`\`${dir}/`), `${dir} is in the README`);
    assert.ok(readdirSync(join(root, dir)).some((f) => /^LICEN[CS]E/.test(f)), `${dir} keeps its licence`);
  }
});

test('every file ical.js reads, we import; every event we leave out has a reason and a line (printed beside ical.js)', () => {
  const read = results.filter((r) => r.theirs !== null);
  const missed = read.filter((r) => r.refusal).map((r) => `${r.name}: ${r.refusal.code} ${r.refusal.message}`);
  assert.deepEqual(missed, [], 'files ical.js reads and we refuse');
  const imported = results.filter((r) => r.summary);
  const byReason = {};
  let events = 0, skippedEvents = 0, theirEventsTotal = 0;
  for (const r of imported) {
    events += r.summary.events;
    theirEventsTotal += r.theirs ?? 0;
    for (const k of r.summary.skips) {
      assert.ok(REASONS.includes(k.reason), `${r.name}: reason ${k.reason}`);
      assert.ok(k.line >= 1 && k.message.length > 0, `${r.name}: ${JSON.stringify(k)}`);
      if (k.component === 'VEVENT') skippedEvents++;
      byReason[k.reason] = (byReason[k.reason] ?? 0) + 1;
    }
  }
  // Each event is accounted for: imported or left out with its reason, never lost in between.
  for (const r of imported.filter((x) => x.theirs !== null)) {
    const ev = r.summary.events + r.summary.skips.filter((k) => k.component === 'VEVENT').length;
    assert.equal(ev, r.theirs, `${r.name}: ${r.summary.events} imported + left out = the calendar's VEVENTs as ical.js finds them`);
  }
  const refused = results.filter((r) => r.refusal);
  const both = imported.filter((r) => r.theirs !== null);
  const sum = (list, f) => list.reduce((n, r) => n + f(r), 0);
  console.log([
    `files: ${files.length}; ical.js reads ${read.length}; we import ${imported.length} (${refused.length} refused as broken: ${refused.map((r) => `${r.name} [${r.refusal.message}]`).join('; ')})`,
    `events in the ${both.length} files both read: ical.js finds ${theirEventsTotal}; we import ${sum(both, (r) => r.summary.events)} and leave out ${sum(both, (r) => r.summary.skips.filter((k) => k.component === 'VEVENT').length)}`,
    `events in all ${imported.length} files we import: ${events} imported, ${skippedEvents} left out`,
    `left out, by reason: ${Object.entries(byReason).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ].join('\n'));
});

test('strict keeps all or nothing: a file with anything left out for a problem is refused whole, with every problem; a clean file imports the same', () => {
  const problems = results.filter((r) => r.summary && (r.summary.skips.some((k) => !['CANCELLED', 'TRANSPARENT'].includes(k.reason)) || r.summary.notes.length));
  assert.ok(problems.length > 0);
  for (const r of problems) {
    assert.throws(() => ours(r.text, true), (e) => e.code === 'INVALID_ICALENDAR' && /^line \d+:/.test(e.message) && e.details.length >= 1, r.name);
  }
  // A file the tolerant import takes clean imports the same under strict, unless a line the
  // tolerant import passes over unread (an odd X- or attendee line) is malformed: strict reads it.
  let stricter = 0;
  for (const r of results.filter((x) => x.summary && !problems.includes(x))) {
    try {
      assert.deepEqual(ours(r.text, true), r.summary, r.name);
    } catch (e) {
      if (e.code !== 'INVALID_ICALENDAR') throw e;
      stricter++;
    }
  }
  assert.ok(stricter < problems.length, `${stricter} files only strict refuses`);
});
