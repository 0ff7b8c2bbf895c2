// iCalendar export, read back by an independent parser (ical.js from npm, test-only).
import test from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { load, Coordinator } from '../../pkg/index.js';

await load();

test('a calendar written by ical.js imports as busy time', () => {
  const c = new Coordinator({ now: '2026-11-23T12:00:00Z', timeZone: 'America/New_York' });
  c.upsertProvider({ id: 'ben', name: 'Ben', timeZone: 'America/New_York', weeklyHours: { tue: [{ start: '08:00', end: '17:00' }] } });
  c.upsertService({ id: 'drain', name: 'Drain', durationMinutes: 60 });
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.updatePropertyWithValue('prodid', '-//test//EN');
  const ev = new ICAL.Event(new ICAL.Component('vevent'));
  ev.uid = 'x-1';
  ev.summary = 'Dentist; then, coffee';
  ev.startDate = ICAL.Time.fromDateTimeString('2026-11-24T14:00:00Z');
  ev.endDate = ICAL.Time.fromDateTimeString('2026-11-24T15:00:00Z');
  cal.addSubcomponent(ev.component);
  assert.deepEqual(c.importICalendar(cal.toString(), { providerId: 'ben' }), { events: 1, busy: 1, availableDates: 0, skipped: 0, skips: [], notes: [] });
  const check = c.check({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:00' });
  assert.equal(check.violations[0].code, 'TIME_OFF');
  assert.match(check.violations[0].message, /Dentist; then, coffee/);
  assert.throws(() => c.importICalendar('BEGIN:VCALENDAR\nBEGIN:VEVENT\n', { providerId: 'ben' }), (e) => e.code === 'INVALID_ICALENDAR' && /^line 2:/.test(e.message));
});

test('exported bookings parse in ical.js with their UID, SEQUENCE, STATUS and text intact', () => {
  let now = '2026-11-23T12:00:00Z';
  const c = new Coordinator({ now: () => now, timeZone: 'America/New_York' });
  const day = [{ start: '08:00', end: '17:00' }];
  c.upsertProvider({ id: 'ben', name: 'Ben "the plumber" O\'Kafor', timeZone: 'America/New_York', weeklyHours: { tue: day } });
  c.upsertService({ id: 'drain', name: 'Drain cleaning; kitchen, bath & <script>alert(1)</script>', durationMinutes: 60 });
  c.upsertClient({ id: 'c-1', name: 'Dana, Smith', email: 'dana@example.com' });
  const a = c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:00', clientIds: ['c-1'], notes: 'Side door\nDog in the yard 🐕 — ring twice. '.repeat(4) });
  const b = c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T11:00' });
  c.reschedule(a.id, { start: '2026-11-24T10:00' });
  c.cancel(b.id);
  const text = c.exportICalendar({ freeBusy: { from: '2026-11-24', to: '2026-11-25', providerIds: ['ben'] } });
  assert.ok(text.split('\r\n').every((l) => new TextEncoder().encode(l).length <= 75), 'lines are folded at 75 octets');
  const cal = new ICAL.Component(ICAL.parse(text));
  const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  assert.equal(events.length, 2);
  const moved = events.find((e) => e.uid === `${a.id}@service-coordinator`);
  assert.equal(moved.summary, 'Drain cleaning; kitchen, bath & <script>alert(1)</script>');
  assert.equal(moved.description, 'Side door\nDog in the yard 🐕 — ring twice. '.repeat(4));
  assert.equal(moved.sequence, 1);
  assert.equal(moved.startDate.toJSDate().toISOString(), '2026-11-24T15:00:00.000Z');
  assert.equal(moved.component.getFirstPropertyValue('status'), 'CONFIRMED');
  assert.equal(moved.attendees[0].getParameter('cn'), 'Dana, Smith');
  assert.equal(moved.attendees[0].getFirstValue(), 'mailto:dana@example.com');
  const cancelled = events.find((e) => e.uid === `${b.id}@service-coordinator`);
  assert.equal(cancelled.component.getFirstPropertyValue('status'), 'CANCELLED');
  const fb = cal.getFirstSubcomponent('vfreebusy');
  const busy = fb.getAllProperties('freebusy').map((p) => p.getFirstValue().toString());
  assert.deepEqual(busy, ['2026-11-24T15:00:00Z/2026-11-24T16:00:00Z']);
  const provider = moved.component.getFirstProperty('x-service-coordinator-provider');
  assert.equal(provider.getParameter('cn'), 'Ben "the plumber" O\'Kafor');
});

test('a series goes out as one VEVENT with RRULE, EXDATE and overrides that ical.js expands to our bookings', () => {
  const c = new Coordinator({ now: '2026-10-01T12:00:00Z', timeZone: 'America/New_York' });
  c.upsertProvider({ id: 'ben', name: 'Ben', timeZone: 'America/New_York', weeklyHours: { tue: [{ start: '08:00', end: '17:00' }] } });
  c.upsertService({ id: 'therapy', name: 'Physio session', durationMinutes: 60 });
  // Weekly on Tuesdays at 10:00 New York, across the fall-back of 2026-11-01.
  const series = c.bookSeries({ serviceId: 'therapy', providerId: 'ben', start: '2026-10-20T10:00' }, 'FREQ=WEEKLY;COUNT=4');
  const [, second, third] = series.occurrences.map((o) => o.bookingId);
  c.cancel(second);
  c.reschedule(third, { start: '2026-11-03T14:00' });
  const text = c.exportICalendar();
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const vtz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  const vevents = cal.getAllSubcomponents('vevent');
  assert.equal(vevents.length, 2, 'the master and one override');
  const master = vevents.find((v) => !v.hasProperty('recurrence-id'));
  assert.match(master.getFirstPropertyValue('rrule').toString(), /FREQ=WEEKLY;COUNT=4/);
  const event = new ICAL.Event(master, { exceptions: vevents.filter((v) => v.hasProperty('recurrence-id')) });
  const theirs = [];
  const it = event.iterator();
  for (let next = it.next(); next; next = it.next()) {
    const details = event.getOccurrenceDetails(next);
    theirs.push(details.startDate.toJSDate().toISOString().replace('.000Z', 'Z'));
  }
  const ours = c.bookings({ status: ['confirmed'] }).map((b) => b.start).sort();
  assert.deepEqual(theirs.sort(), ours);
  assert.deepEqual(ours, ['2026-10-20T14:00:00Z', '2026-11-03T19:00:00Z', '2026-11-10T15:00:00Z']);
});

test("round trip: a provider's exported bookings import into a fresh coordinator as the same busy time", () => {
  const setup = () => {
    const k = new Coordinator({ now: '2026-11-23T12:00:00Z', timeZone: 'America/New_York' });
    k.upsertProvider({ id: 'ben', name: 'Ben', timeZone: 'America/New_York', weeklyHours: { tue: [{ start: '08:00', end: '17:00' }], wed: [{ start: '08:00', end: '17:00' }] } });
    k.upsertService({ id: 'drain', name: 'Drain', durationMinutes: 60, bufferAfterMinutes: 0 });
    return k;
  };
  const a = setup();
  a.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:00' });
  a.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-25T13:00' });
  a.bookSeries({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T15:00' }, 'FREQ=WEEKLY;COUNT=3');
  const range = { from: '2026-11-23', to: '2026-12-31', providerIds: ['ben'] };
  const busy = (k) => k.freeBusy(range).providers[0];
  const b = setup();
  b.importICalendar(a.exportICalendar(), { providerId: 'ben' });
  const spans = (list) => list.map((x) => `${x.start}/${x.end}`).sort();
  assert.deepEqual(spans(b.providers()[0].timeOff), spans(busy(a).busy));
  assert.deepEqual(busy(b).free, busy(a).free);
});
