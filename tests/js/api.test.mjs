// The packaged JS API, as a host page or a Node server uses it: only pkg/.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, Coordinator, CoordinatorError } from '../../pkg/index.js';

await load();

const day = [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }];
function company(now = '2026-11-23T12:00:00Z') {
  const c = new Coordinator({ now, timeZone: 'America/New_York' });
  c.upsertProvider({ id: 'ana', name: 'Ana Ortiz', skills: ['hvac', 'gas'], timeZone: 'America/New_York', weeklyHours: { mon: day, tue: day, wed: day } });
  c.upsertProvider({ id: 'ben', name: 'Ben Okafor', skills: ['plumbing'], timeZone: 'America/New_York', weeklyHours: { mon: day, tue: day, wed: day } });
  c.upsertService({ id: 'drain', name: 'Drain cleaning', durationMinutes: 60, requiredSkills: ['plumbing'] });
  c.upsertService({ id: 'furnace', name: 'Furnace repair', durationMinutes: 90, requiredSkills: ['gas'], bufferAfterMinutes: 30 });
  c.upsertClient({ id: 'c-1', name: 'Dana Smith', email: 'dana@example.com' });
  return c;
}

function refused(fn, code) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof CoordinatorError, `not a CoordinatorError: ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.code, code, e.message);
    assert.ok(Array.isArray(e.details) && e.details.length > 0);
    return e;
  }
  assert.fail(`expected ${code}`);
}

test('slots list who can take them, in UTC', () => {
  const c = company();
  const { slots } = c.availability({ serviceId: 'drain', from: '2026-11-24', to: '2026-11-25' });
  assert.equal(slots.length, 8);
  assert.deepEqual(slots[0], { start: '2026-11-24T13:00:00Z', end: '2026-11-24T14:00:00Z', providerIds: ['ben'], seatsLeft: 1 });
});

test('a clash is a coded OVERLAP naming the booking in the way', () => {
  const c = company();
  const b = c.book({ serviceId: 'drain', providerId: 'ben', clientIds: ['c-1'], start: '2026-11-24T09:00' });
  const e = refused(() => c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:30' }), 'OVERLAP');
  assert.deepEqual(e.details[0].ids, [b.id, 'ben']);
  const check = c.check({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:30' });
  assert.equal(check.ok, false);
  assert.equal(check.violations[0].code, 'OVERLAP');
});

test('a refusal carries its facts, so a viewer can say it in their own language and zone', () => {
  const c = company();
  const b = c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:00' });
  const e = refused(() => c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:30' }), 'OVERLAP');
  assert.deepEqual(e.details[0].facts, {
    service: 'Drain cleaning', provider: 'Ben Okafor', start: '2026-11-24T14:30:00Z', end: '2026-11-24T15:30:00Z',
    booking: b.id, from: '2026-11-24T14:00:00Z', to: '2026-11-24T15:00:00Z',
  });
  c.upsertProvider({ ...c.providers().find((p) => p.id === 'ana'), timeOff: [{ start: '2026-11-25T08:00', end: '2026-11-25T12:00', reason: 'dentist' }] });
  const off = c.check({ serviceId: 'furnace', providerId: 'ana', start: '2026-11-25T09:00' }).violations[0];
  assert.equal(off.code, 'TIME_OFF');
  assert.deepEqual([off.facts.provider, off.facts.from, off.facts.to, off.facts.reason], ['Ana Ortiz', '2026-11-25T13:00:00Z', '2026-11-25T17:00:00Z', 'dentist']);
  const skills = c.check({ serviceId: 'furnace', providerId: 'ben', start: '2026-11-24T09:00' }).violations[0];
  assert.deepEqual([skills.code, skills.facts.skills], ['SKILL_MISSING', ['gas']]);
  c.upsertService({ id: 'drain', name: 'Drain cleaning', durationMinutes: 60, requiredSkills: ['plumbing'], minNoticeMinutes: 24 * 60 });
  const notice = c.check({ serviceId: 'drain', providerId: 'ben', start: '2026-11-23T14:00' }).violations.find((v) => v.code === 'MIN_NOTICE');
  assert.deepEqual([notice.facts.minutes, notice.facts.earliest], [1440, '2026-11-24T12:00:00Z']);
  // Rules that are not about a time have no facts; programs read `code` and `ids` as before.
  assert.equal(refused(() => c.cancel('nope'), 'UNKNOWN_ID').details[0].facts, undefined);
});

test('onChange reports each booking change with before and after', () => {
  const c = company();
  const seen = [];
  const off = c.onChange((change) => seen.push(change));
  const b = c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:00' });
  c.reschedule(b.id, { start: '2026-11-24T10:00', expectedRevision: 1, reason: 'client asked' });
  c.cancel(b.id, { reason: 'client called' });
  assert.deepEqual(seen.map((s) => [s.kind, s.before?.status ?? null, s.after.status]), [
    ['booking', null, 'confirmed'], ['booking', 'confirmed', 'confirmed'], ['booking', 'confirmed', 'cancelled'],
  ]);
  assert.equal(seen[1].before.start, '2026-11-24T14:00:00Z');
  assert.equal(seen[1].after.start, '2026-11-24T15:00:00Z');
  off();
  c.upsertClient({ id: 'c-2', name: 'Eli' });
  assert.equal(seen.length, 3);
});

test('a listener that throws does not undo the change, nor stop the others; its error is reported', () => {
  const c = company();
  const reported = [];
  const original = [globalThis.reportError, console.error];
  globalThis.reportError = (e) => reported.push(e);
  try {
    let others = 0;
    c.onChange(() => { throw new Error('host bug'); });
    c.onChange(() => { others += 1; });
    const b = c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:00' });
    assert.equal(c.booking(b.id).status, 'confirmed');
    assert.equal(others, 1);
  } finally {
    [globalThis.reportError, console.error] = original;
  }
  assert.equal(reported.length, 1);
  assert.match(reported[0].message, /host bug/);
});

test('two tabs: the stale one is refused with STALE_REVISION', () => {
  const c = company();
  const b = c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:00' });
  c.reschedule(b.id, { start: '2026-11-24T13:00', expectedRevision: 1 });
  refused(() => c.reschedule(b.id, { start: '2026-11-24T14:00', expectedRevision: 1 }), 'STALE_REVISION');
  assert.equal(c.booking(b.id).start, '2026-11-24T18:00:00Z');
  // Saving an unchanged form is not a change.
  assert.equal(c.reschedule(b.id, {}).revision, 2);
});

test('status changes follow the visit', () => {
  let now = '2026-11-23T12:00:00Z';
  const c = new Coordinator({ now: () => now });
  c.upsertProvider({ id: 'ben', name: 'Ben', timeZone: 'America/New_York', weeklyHours: { tue: day } });
  c.upsertService({ id: 'drain', name: 'Drain', durationMinutes: 60 });
  const b = c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:00', timeZone: 'America/New_York' });
  refused(() => c.setStatus(b.id, 'no_show'), 'INVALID_TRANSITION');
  now = '2026-11-24T14:10:00Z';
  assert.equal(c.setStatus(b.id, 'checked_in').status, 'checked_in');
  assert.equal(c.setStatus(b.id, 'completed', { reason: 'replaced trap' }).revision, 3);
});

test('explain names the reasons, for one time and for every step of a day', () => {
  const c = company();
  c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:00' });
  const why = c.explain({ serviceId: 'drain', start: '2026-11-24T09:00' });
  assert.equal(why.ok, false);
  assert.deepEqual(why.providers.map((p) => [p.providerId, p.violations.map((v) => v.code)]), [['ana', ['SKILL_MISSING']], ['ben', ['OVERLAP']]]);
  const day = c.availability({ serviceId: 'drain', from: '2026-11-24', to: '2026-11-25', providerIds: ['ben'], explain: true });
  const at = (t) => day.unavailable.find((u) => u.start === t)?.providers[0].codes;
  assert.deepEqual(at('2026-11-24T14:00:00Z'), ['OVERLAP']);
  assert.deepEqual(at('2026-11-24T05:00:00Z'), ['OUTSIDE_WORKING_HOURS']);
  assert.equal(day.slots.length + day.unavailable.length, 24);
  assert.deepEqual(c.availability({ serviceId: 'drain', from: '2026-11-24', to: '2026-11-25' }).unavailable, []);
});

test('a clash comes with ranked alternatives, each bookable', () => {
  const c = company();
  c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T10:00' });
  const options = c.alternatives({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T10:00' }, { limit: 3, searchDays: 3 });
  assert.equal(options.length, 3);
  assert.deepEqual(options[0], { start: '2026-11-24T14:00:00Z', end: '2026-11-24T15:00:00Z', providerId: 'ben', differs: ['time'], minutesAway: 60, score: 75 });
  for (const o of options) c.check({ serviceId: 'drain', providerId: o.providerId, start: o.start }).ok || assert.fail(o.start);
  refused(() => c.alternatives({ serviceId: 'drain', start: '2026-11-24T10:00' }, { limit: 0 }), 'INVALID_INPUT');
});

test('a sick day is repaired from a previewed plan, all at once', () => {
  const c = company();
  c.upsertProvider({ id: 'cy', name: 'Cy', skills: ['plumbing'], timeZone: 'America/New_York', weeklyHours: { tue: day } });
  const job = c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:00' });
  const seen = [];
  c.onChange((ch) => seen.push(ch.kind));
  const plan = c.planRepair({ providerId: 'ben', start: '2026-11-24', end: '2026-11-25', reason: 'sick' });
  assert.equal(seen.length, 0);
  assert.deepEqual(plan.moves.map((m) => [m.bookingId, m.to.providerId, m.timeChanged, m.providerChanged]), [[job.id, 'cy', false, true]]);
  assert.deepEqual(plan.score, { clientsTimeChanged: 0, totalShiftMinutes: 0, unplaced: 0 });
  c.applyPlan(plan.id);
  assert.equal(c.booking(job.id).providerId, 'cy');
  assert.deepEqual(seen, ['provider', 'booking']);
  refused(() => c.applyPlan(plan.id), 'UNKNOWN_ID');
  const stale = c.planRepair({ providerId: 'cy', start: '2026-11-24', end: '2026-11-25' });
  c.upsertClient({ id: 'c-9', name: 'New client' });
  refused(() => c.applyPlan(stale.id), 'STALE_PLAN');
});

test('an urgent job is fitted in before its deadline, bumping a routine visit', () => {
  const c = company();
  const routine = c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-23T08:00' });
  const plan = c.planUrgent({ serviceId: 'drain', priority: 3, clientIds: ['c-1'], deadline: '2026-11-23T08:30' });
  assert.deepEqual(plan.urgent.place, { providerId: 'ben', start: '2026-11-23T13:00:00Z', end: '2026-11-23T14:00:00Z' });
  assert.deepEqual(plan.urgent.bumped, [routine.id]);
  c.applyPlan(plan.id);
  assert.notEqual(c.booking(routine.id).start, routine.start);
  refused(() => c.planUrgent({ serviceId: 'drain', priority: 3, deadline: '2020-01-01T00:00Z' }), 'END_BEFORE_START');
});

test('a cancellation turns into an offer for the client waiting longest', () => {
  const c = company();
  const jobs = ['08:00', '09:00', '10:00', '11:00', '13:00', '14:00', '15:00', '16:00']
    .map((t) => c.book({ serviceId: 'drain', providerId: 'ben', start: `2026-11-24T${t}` }));
  const entry = c.waitlistAdd({ serviceId: 'drain', clientIds: ['c-1'], windows: [{ start: '2026-11-24T08:00', end: '2026-11-24T17:00' }] });
  assert.equal(entry.id, 'wl-9');
  assert.deepEqual(c.waitlistOffers(), []);
  c.cancel(jobs[3].id);
  assert.deepEqual(c.waitlistOffers(), [{ entryId: entry.id, serviceId: 'drain', clientIds: ['c-1'], providerId: 'ben', start: jobs[3].start, end: jobs[3].end }]);
  c.waitlistRemove(entry.id);
  assert.deepEqual(c.waitlist(), []);
});

test('recurrences expand in a zone, across DST, and jump to a far window', () => {
  const c = new Coordinator({ timeZone: 'America/New_York' });
  assert.equal(c.parseRule('RRULE:FREQ=MONTHLY;BYDAY=2TU;INTERVAL=3').rrule, 'FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU');
  refused(() => c.parseRule('FREQ=DAILY;COUNT=3;UNTIL=20270101T000000Z'), 'INVALID_RULE');
  refused(() => c.parseRule('FREQ=FORTNIGHTLY'), 'INVALID_RULE');
  refused(() => c.parseRule('FREQ=MONTHLY;BYDAY=-1F🕴R'), 'INVALID_RULE'); // once a panic that killed the instance
  assert.equal(c.parseRule('FREQ=DAILY').freq, 'DAILY');
  const march = c.expand({ rrule: 'FREQ=DAILY;COUNT=3', dtstart: '2026-03-07T09:00' });
  assert.deepEqual(march, ['2026-03-07T14:00:00Z', '2026-03-08T13:00:00Z', '2026-03-09T13:00:00Z']);
  const far = c.expand({ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR', dtstart: '1970-01-05T09:00', from: '2026-11-23', to: '2026-11-28' });
  assert.deepEqual(far, ['2026-11-23T14:00:00Z', '2026-11-25T14:00:00Z', '2026-11-27T14:00:00Z']);
  const less = c.expand({ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR', dtstart: '2026-11-23T09:00', exdates: ['2026-11-25T09:00'], limit: 3 });
  assert.deepEqual(less, ['2026-11-23T14:00:00Z', '2026-11-27T14:00:00Z', '2026-11-30T14:00:00Z']);
});

test('a weekly series books together, and this-and-following moves together', () => {
  const c = company();
  const clash = c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-12-01T10:00' });
  const first = { serviceId: 'drain', providerId: 'ben', start: '2026-11-24T10:00', clientIds: ['c-1'] };
  const check = c.checkSeries(first, 'FREQ=WEEKLY;COUNT=3');
  assert.deepEqual(check.occurrences.map((o) => [o.ok, o.violations.map((v) => v.code)]), [[true, []], [false, ['OVERLAP']], [true, []]]);
  assert.ok(check.occurrences[1].alternatives.length > 0);
  // A check books nothing, so it names no series and no bookings (ids that would not exist).
  assert.equal(check.seriesId, undefined);
  assert.ok(check.occurrences.every((o) => !('bookingId' in o)));
  refused(() => c.bookSeries(first, 'FREQ=WEEKLY;COUNT=3'), 'OVERLAP');
  refused(() => c.bookSeries(first, 'FREQ=WEEKLY'), 'INVALID_RULE'); // a series needs COUNT or UNTIL
  c.cancel(clash.id);
  const series = c.bookSeries(first, 'FREQ=WEEKLY;COUNT=3');
  const ids = series.occurrences.map((o) => o.bookingId);
  assert.equal(c.booking(ids[1]).seriesId, series.seriesId);
  const moved = c.rescheduleSeries(series.seriesId, { scope: 'this_and_following', from: c.booking(ids[1]).recurrenceId, shiftMinutes: 60 });
  assert.deepEqual(moved.map((b) => b.start), ['2026-12-01T16:00:00Z', '2026-12-08T16:00:00Z']);
  assert.equal(c.booking(ids[0]).start, '2026-11-24T15:00:00Z');
  assert.equal(c.cancelSeries(series.seriesId, { scope: 'all' }).length, 3);
});

test('a hold keeps the slot while the client types, then books it or lapses', () => {
  let now = '2026-11-23T12:00:00Z';
  const c = new Coordinator({ now: () => now, timeZone: 'America/New_York' });
  c.upsertProvider({ id: 'ben', name: 'Ben', timeZone: 'America/New_York', weeklyHours: { tue: day } });
  c.upsertService({ id: 'drain', name: 'Drain', durationMinutes: 60 });
  c.upsertClient({ id: 'c-1', name: 'Dana' });
  const held = c.hold({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T10:00' }, { minutes: 5 });
  assert.equal(held.status, 'held');
  assert.equal(held.expiresAt, '2026-11-23T12:05:00Z');
  refused(() => c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T10:00' }), 'OVERLAP');
  const booked = c.confirmHold(held.id, { clientIds: ['c-1'] });
  assert.equal(booked.status, 'confirmed');
  assert.equal(booked.expiresAt, undefined);
  const late = c.hold({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T13:00' }, { minutes: 5 });
  now = '2026-11-23T12:06:00Z';
  refused(() => c.confirmHold(late.id), 'HOLD_EXPIRED');
  c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T13:00' });
});

test('snapshot and restore give the same state, byte for byte', () => {
  const c = company();
  c.book({ serviceId: 'drain', start: '2026-11-24T09:00', clientIds: ['c-1'], notes: 'side door' });
  c.book({ serviceId: 'furnace', start: '2026-11-25T13:00' });
  const snap = c.snapshot();
  const d = Coordinator.restore(snap);
  assert.equal(d.snapshot(), snap);
  assert.deepEqual(d.bookings(), c.bookings());
  assert.equal(JSON.parse(snap).version, 2);
  refused(() => Coordinator.restore('{"version": 99}'), 'INVALID_JSON');
  refused(() => Coordinator.restore(snap.replace('"version":2', '"version":3')), 'UNSUPPORTED_VERSION');
});

test('junk through every public method is a coded error and changes nothing', () => {
  const c = company();
  c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T09:00' });
  const before = c.snapshot();
  const cyclic = {};
  cyclic.self = cyclic;
  const junk = [undefined, null, 0, -1, NaN, '', 'x'.repeat(1e6), [], {}, { id: '' }, 10n, cyclic, () => 1, Symbol('s'),
    { serviceId: 'drain', start: '2026-11-24T25:00' }, { id: 'p', name: 'P', timeZone: 'Nowhere/Town' },
    { serviceId: 'drain', from: '2026-01-01', to: '2199-01-01' }, { id: 's', name: 'S', durationMinutes: -30 },
    { id: 'p', name: 'P', timeZone: 'UTC', weeklyHours: { mon: [{ start: '09:00', end: '12:00' }, { start: '10:00', end: '11:00' }] } }];
  const methods = ['upsertProvider', 'upsertService', 'upsertResource', 'upsertClient', 'removeProvider', 'removeService',
    'removeResource', 'removeClient', 'booking', 'availability', 'freeBusy', 'check', 'explain', 'alternatives', 'planRepair', 'planUrgent', 'applyPlan', 'waitlistAdd', 'waitlistRemove', 'parseRule', 'expand', 'checkSeries', 'bookSeries', 'cancelSeries', 'rescheduleSeries', 'exportICalendar', 'importICalendar', 'book', 'hold', 'confirmHold', 'releaseHold',
    'reschedule', 'cancel', 'setStatus', 'bookings'];
  let refusals = 0;
  for (const m of methods) {
    for (const j of junk) {
      for (const args of [[j], ['no-such-booking', j], [j, j, j]]) {
        try {
          c[m](...args);
        } catch (e) {
          assert.ok(e instanceof CoordinatorError, `${m}: ${e}`);
          assert.match(e.code, /^[A-Z_]+$/);
          assert.notEqual(e.code, 'INTERNAL', `${m}: ${e.message}`);
          refusals++;
        }
      }
    }
  }
  assert.ok(refusals > 500);
  // Read methods may accept some junk (an empty filter); nothing may have been written.
  assert.equal(c.snapshot(), before);
  for (const bad of [undefined, 42, '{', '[]', 'null', { version: 1 }]) {
    assert.throws(() => Coordinator.restore(bad), CoordinatorError);
  }
  assert.throws(() => new Coordinator({ timeZone: 'Atlantis/Central' }), (e) => e.code === 'UNKNOWN_TIME_ZONE');
  assert.throws(() => new Coordinator({ now: 'yesterday' }).book({ serviceId: 'x', start: '2026-01-01T00:00Z' }), (e) => e.code === 'INVALID_TIME');
});

test('a calendar lists bookings without history, checks a drag, and finds bookings at risk', () => {
  const c = company();
  const a = c.book({ serviceId: 'drain', providerId: 'ben', clientIds: ['c-1'], start: '2026-11-24T09:00' });
  c.book({ serviceId: 'drain', providerId: 'ben', start: '2026-11-24T11:00' });
  const [brief] = c.bookings({ providerId: 'ben', history: false });
  assert.equal(brief.history, undefined);
  assert.deepEqual({ ...c.booking(a.id), history: undefined }, { ...brief, history: undefined });
  assert.equal(c.bookings({ providerId: 'ben' })[0].history.length, 1);
  assert.equal(c.checkReschedule(a.id, { start: '2026-11-24T10:30' }).violations[0].code, 'OVERLAP');
  assert.ok(c.checkReschedule(a.id, { start: '2026-11-24T14:00' }).ok);
  assert.equal(c.booking(a.id).revision, 1, 'checking moved nothing');
  assert.equal(c.timeZone, 'America/New_York');
  assert.deepEqual(c.atRisk(), []);
  c.upsertProvider({ ...c.providers().find((p) => p.id === 'ben'), timeOff: [{ start: '2026-11-24', end: '2026-11-25', reason: 'sick' }] });
  assert.deepEqual(c.atRisk().map((r) => [r.bookingId, r.violations[0].code]), [[a.id, 'TIME_OFF'], ['bk-2', 'TIME_OFF']]);
  refused(() => c.atRisk({ from: 'yesterday' }), 'INVALID_TIME');
});

test('a save is handed to the engine 256 KB at a time; an emoji on the cut arrives whole', () => {
  // Clients enough for a save over 256 KB, and one named with an emoji whose first half would
  // be the last UTF-16 unit of the first piece: the cut moves one unit back.
  const PIECE = 1 << 18;
  const c = new Coordinator({ timeZone: 'UTC', now: '2026-11-23T12:00:00Z' });
  for (let i = 0; i < 1480; i++) c.upsertClient({ id: `c-${String(i).padStart(5, '0')}`, name: 'n'.repeat(150) });
  c.upsertClient({ id: 'zz', name: 'Zoë 😀 Smile' });
  // Lengthen (or shorten) names, one client at a time, until the emoji sits on the cut.
  for (let i = 0; i < 200; i++) {
    const at = c.snapshot().indexOf('😀');
    if (at === PIECE - 1) break;
    const id = `c-${String(i).padStart(5, '0')}`;
    c.upsertClient({ id, name: 'n'.repeat(Math.max(1, Math.min(1900, 150 + PIECE - 1 - at))) });
  }
  const text = c.snapshot();
  assert.equal(text.indexOf('😀'), PIECE - 1, 'the emoji straddles the first cut');
  const back = Coordinator.restore(text, { now: '2026-11-23T12:00:00Z' });
  assert.equal(back.clients().find((x) => x.id === 'zz').name, 'Zoë 😀 Smile');
  assert.equal(back.snapshot(), text);
});
