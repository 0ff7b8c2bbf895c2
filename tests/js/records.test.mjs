// After the visit, through the packaged JS API: the visit record and its protocol, time records,
// the CSV read back by a real CSV parser (csv-parse, strict RFC 4180), and FHIR R4 output
// checked against the R4 value sets for status.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { load, Coordinator, CoordinatorError } from '../../pkg/index.js';

await load();

// The R4 value sets (4.0.1), as published:
// https://hl7.org/fhir/R4/valueset-appointmentstatus.html
const APPOINTMENT = ['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist'];
// https://hl7.org/fhir/R4/valueset-encounter-status.html
const ENCOUNTER = ['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown'];
// https://hl7.org/fhir/R4/valueset-slotstatus.html
const SLOT = ['busy', 'free', 'busy-unavailable', 'busy-tentative', 'entered-in-error'];

// What a spreadsheet would run: every text field a person types gets one of these.
const PAYLOADS = ['=HYPERLINK("http://evil.example","click")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '\tTAB', '\rCR', 'plain, "quoted"\nand two lines'];

function clinic(clock) {
  const c = new Coordinator({ now: () => clock.now, timeZone: 'Europe/Berlin' });
  const day = [{ start: '09:00', end: '17:00' }];
  c.upsertProvider({ id: 'adler', name: PAYLOADS[0], timeZone: 'Europe/Berlin', weeklyHours: { mon: day, tue: day, wed: day, thu: day, fri: day } });
  c.upsertService({
    id: 'boiler', name: PAYLOADS[1], durationMinutes: 60, priceMinor: 8900, rateMinor: 6000,
    checklist: [{ id: 'flue', label: 'Flue gas analysed' }, { id: 'seal', label: 'Seals checked' }],
    protocol: [{ status: 'completed', requires: ['outcome', 'checklist', 'signature'] }],
  });
  PAYLOADS.forEach((name, i) => c.upsertClient({ id: `p${i}`, name }));
  c.setBilling({ currency: 'EUR', rounding: { unitMinutes: 15, mode: 'nearest', per: 'visit' } });
  return c;
}

function refused(fn, code) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof CoordinatorError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

/** Seven visits on October's weekdays from the 5th, each with a payload in every text field. */
const DAYS = ['05', '06', '07', '08', '09', '12', '13'];
function month() {
  const clock = { now: '2026-09-28T07:00:00Z' };
  const c = clinic(clock);
  const ids = [];
  for (let i = 0; i < PAYLOADS.length; i++) {
    const b = c.book({ serviceId: 'boiler', providerId: 'adler', clientIds: [`p${i}`], start: `2026-10-${DAYS[i]}T10:00`, notes: PAYLOADS[i] });
    ids.push(b.id);
  }
  for (let i = 0; i < ids.length; i++) {
    const d = DAYS[i];
    clock.now = `2026-10-${d}T10:00:00Z`;
    c.updateVisit(ids[i], { actualStart: `2026-10-${d}T11:32`, actualEnd: `2026-10-${d}T11:32` });
    c.updateVisit(ids[i], { actualStart: `2026-10-${d}T10:02`, reason: PAYLOADS[i] });
    c.setStatus(ids[i], 'completed', {
      visit: {
        outcome: i === 3 ? 'not_done' : 'resolved', outcomeReason: PAYLOADS[i], workNotes: PAYLOADS[i],
        checklist: ['flue', 'seal'], signature: { path: 'M2 30 C 20 2, 40 2, 58 30', signedBy: PAYLOADS[i] },
        parts: [{ item: PAYLOADS[i], quantity: 2, unitPriceMinor: 1234 }],
      },
    });
    c.addTimeEntry({ bookingId: ids[i], note: PAYLOADS[i] });
  }
  clock.now = '2026-11-02T08:00:00Z';
  return { c, clock, ids };
}

test('a completion without what the protocol needs is refused with what is missing, and changes nothing', () => {
  const clock = { now: '2026-10-01T08:00:00Z' };
  const c = clinic(clock);
  const b = c.book({ serviceId: 'boiler', providerId: 'adler', clientIds: ['p0'], start: '2026-10-05T10:00' });
  clock.now = '2026-10-05T08:05:00Z';
  c.setStatus(b.id, 'checked_in');
  const before = c.snapshot();
  clock.now = '2026-10-05T09:00:00Z';
  const e = refused(() => c.setStatus(b.id, 'completed', { visit: { outcome: 'resolved', checklist: ['seal'] } }), 'PROTOCOL_INCOMPLETE');
  assert.deepEqual(e.details.map((d) => d.ids[1]), ['checklist:flue', 'signature']);
  assert.equal(c.snapshot(), before);
  const done = c.setStatus(b.id, 'completed', { visit: { outcome: 'resolved', checklist: ['seal', 'flue'], signature: { path: 'M0 0 L5 5' } } });
  assert.equal(done.visit.actualStart, '2026-10-05T08:05:00Z');
  assert.equal(done.visit.actualEnd, '2026-10-05T09:00:00Z');
});

test('money is exact after rounding: invoice lines add up to the total, in minor units', () => {
  const { c, ids } = month();
  for (const id of ids) {
    const inv = c.invoice(id);
    // 88 minutes on site rounded to the nearest 15: 90, at 60.00 an hour = 90.00.
    const time = inv.lines.find((l) => l.kind === 'time');
    assert.deepEqual([time.rawMinutes, time.roundedMinutes, time.amountMinor], [90, 90, 9000]);
    assert.equal(inv.totalMinor, inv.lines.reduce((s, l) => s + l.amountMinor, 0));
    assert.equal(inv.totalMinor, 8900 + 2 * 1234 + 9000);
    assert.ok(inv.lines.every((l) => Number.isInteger(l.amountMinor)));
  }
  const sheet = c.timesheet({ from: '2026-10-01', to: '2026-11-01' });
  assert.equal(sheet.reduce((s, l) => s + l.amountMinor, 0), 7 * 9000);
  // An approved entry is locked; the correction reverses it to the cent.
  const entry = c.timeEntries()[0];
  c.approveTimeEntries([entry.id]);
  refused(() => c.updateTimeEntry(entry.id, { billable: false }), 'LOCKED');
  const [reversal, fresh] = c.correctTimeEntry(entry.id, { billable: false });
  assert.equal(reversal.reverses, entry.id);
  const after = c.invoice(entry.bookingId);
  assert.equal(after.lines.filter((l) => l.kind === 'time').reduce((s, l) => s + l.amountMinor, 0), 0);
  assert.equal(fresh.billable, false);
});

test('the visits CSV read back by a CSV parser equals the data, and every payload comes back inert', () => {
  const { c, ids } = month();
  const text = c.visitsCsv({ from: '2026-10-01', to: '2026-11-01' });
  assert.ok(text.endsWith('\r\n'));
  const rows = parse(text, { columns: true, relax_quotes: false, record_delimiter: '\r\n' });
  assert.equal(rows.length, ids.length);
  const dangerous = /^[=+\-@\t\r]/;
  for (const [i, row] of rows.entries()) {
    const b = c.booking(ids[i]);
    const inv = c.invoice(ids[i]);
    assert.equal(row.booking_id, b.id);
    assert.equal(row.status, 'completed');
    assert.equal(row.outcome, b.visit.outcome);
    assert.equal(row.start, `2026-10-${DAYS[i]}T10:00:00+02:00`);
    assert.equal(row.time_zone, 'Europe/Berlin');
    assert.equal(row.actual_minutes, '90');
    assert.equal(Number(row.total_minor), inv.totalMinor);
    assert.equal(Number(row.parts_minor), 2 * 1234);
    assert.equal(row.currency, 'EUR');
    // Every cell a person typed, exactly as typed, behind a ' when a spreadsheet would run it.
    for (const column of ['outcome_reason', 'service', 'provider', 'clients', 'work_notes']) {
      const typed = { outcome_reason: PAYLOADS[i], service: PAYLOADS[1], provider: PAYLOADS[0], clients: PAYLOADS[i], work_notes: PAYLOADS[i] }[column];
      assert.ok(!dangerous.test(row[column]), `${column} ${JSON.stringify(row[column])} would run`);
      assert.equal(row[column].replace(/^'(?=[=+\-@\t\r])/, ''), typed, column);
    }
  }
});

test('FHIR R4: every status is in its R4 value set, and the mapping holds', () => {
  const clock = { now: '2026-09-28T07:00:00Z' };
  const c = clinic(clock);
  const at = (d) => `2026-10-${d}T10:00`;
  const book = (d, client) => c.book({ serviceId: 'boiler', providerId: 'adler', clientIds: [client], start: at(d) });
  const v = ['05', '06', '07', '08', '09', '12', '13'].map((d, i) => book(d, `p${i}`));
  c.book({ serviceId: 'boiler', providerId: 'adler', clientIds: ['p1'], start: at('14'), status: 'tentative' });
  c.cancel(v[0].id, { by: 'client' });
  clock.now = '2026-10-06T09:00:00Z';
  c.cancel(v[2].id, { by: 'provider' });
  clock.now = '2026-10-08T09:00:00Z';
  c.setStatus(v[1].id, 'no_show');
  c.setStatus(v[3].id, 'checked_in');
  clock.now = '2026-10-09T09:00:00Z';
  c.setStatus(v[4].id, 'provider_no_show');
  clock.now = '2026-10-12T09:00:00Z';
  c.setStatus(v[5].id, 'completed', { visit: { outcome: 'resolved', checklist: ['flue', 'seal'], signature: { path: 'M0 0 L1 1' } } });
  c.hold({ serviceId: 'boiler', providerId: 'adler', start: at('15') }, { minutes: 60 });
  c.hold({ serviceId: 'boiler', providerId: 'adler', start: at('16') }, { minutes: 1 });
  clock.now = '2026-10-12T09:05:00Z'; // the second hold has lapsed: it is no one's appointment
  c.waitlistAdd({ serviceId: 'boiler', clientIds: ['p2'], windows: [{ start: '2026-10-20T09:00', end: '2026-10-20T17:00' }] });
  const bundle = c.fhir({ from: '2026-10-01', to: '2026-11-01', serviceId: 'boiler' });
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'collection');
  const of = (type) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
  for (const a of of('Appointment')) {
    assert.ok(APPOINTMENT.includes(a.status), a.status);
    assert.ok(a.participant.length > 0);
    assert.match(a.id, /^[A-Za-z0-9\-.]{1,64}$/);
  }
  for (const e of of('Encounter')) {
    assert.ok(ENCOUNTER.includes(e.status), e.status);
    assert.ok(e.class.code);
  }
  for (const s of of('Slot')) {
    assert.ok(SLOT.includes(s.status), s.status);
    assert.ok(s.schedule.reference.startsWith('Schedule/') && s.start && s.end);
  }
  assert.ok(of('Schedule').every((s) => s.actor.length === 1));
  const status = (id) => of('Appointment').find((a) => a.identifier[0].value === id).status;
  assert.deepEqual(v.map((b) => status(b.id)), ['cancelled', 'noshow', 'cancelled', 'checked-in', 'noshow', 'fulfilled', 'booked']);
  assert.equal(of('Appointment').find((a) => a.identifier[0].value === v[2].id).cancelationReason.text, 'late cancellation by provider');
  assert.deepEqual(of('Appointment').map((a) => a.status).filter((s) => ['pending', 'proposed', 'waitlist'].includes(s)).sort(), ['pending', 'proposed', 'waitlist']);
  assert.deepEqual(of('Encounter').map((e) => e.status).sort(), ['finished', 'in-progress']);
  assert.ok(of('Slot').some((s) => s.status === 'free'));
  assert.ok(of('Slot').some((s) => s.status === 'busy-tentative'));
});

test('metrics over the API: a rate with nothing to divide is null, never 0', () => {
  const { c } = month();
  const m = c.metrics({ from: '2026-10-01', to: '2026-11-01', groupBy: 'week' });
  assert.equal(m.total.figures.completed.value, 7);
  assert.equal(m.total.figures.completed.previous, 0);
  assert.equal(m.total.figures.completed.change, 7);
  assert.equal(m.total.figures.noShowRate.value, 0);
  assert.equal(m.total.figures.noShowRate.previous, null);
  assert.equal(m.total.figures.noShowRate.change, null);
  assert.deepEqual([m.total.figures.firstTimeFixRate.numerator, m.total.figures.firstTimeFixRate.denominator], [6, 7]);
  assert.equal(m.total.figures.firstTimeFixRate.value, 0.857143, 'written to millionths');
  assert.deepEqual(m.groups.map((g) => g.key), ['2026-09-28', '2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26']);
  refused(() => c.metrics({ from: '2026-01-01', to: '2027-06-01' }), 'RANGE_TOO_LARGE');
});
