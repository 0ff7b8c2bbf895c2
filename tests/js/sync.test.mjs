// Keeping the data, through the packaged JS API: the sync protocol between a server's copy and a
// page's (versions, gaps, duplicates, a fork, the window) and a CRM's appointments imported as
// they are (past, completed, clashing).
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, Coordinator, CoordinatorError } from '../../pkg/index.js';

await load();

const NOW = '2026-11-23T12:00:00Z';

function company() {
  const c = new Coordinator({ timeZone: 'America/New_York', now: NOW });
  const day = [{ start: '08:00', end: '17:00' }];
  c.upsertProvider({ id: 'ben', name: 'Ben Okafor', skills: ['plumbing'], timeZone: 'America/New_York',
    weeklyHours: { mon: day, tue: day, wed: day, thu: day, fri: day } });
  c.upsertService({ id: 'drain', name: 'Drain cleaning', durationMinutes: 60, requiredSkills: ['plumbing'], minNoticeMinutes: 1440 });
  c.upsertClient({ id: 'c-1', name: 'Mrs Alvarez' });
  return c;
}

function refusal(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof CoordinatorError);
    return e;
  }
  assert.fail('expected a refusal');
}

test('a page follows the server change by change, each once, and asks for what it missed', () => {
  const server = company();
  const page = Coordinator.restore(server.snapshot(), { now: NOW });
  const stream = [];
  server.onChange((change) => stream.push(change));
  const heard = [];
  page.onChange((change) => heard.push(change.version));

  server.book({ serviceId: 'drain', clientIds: ['c-1'], start: '2026-11-25T09:00' });
  server.book({ serviceId: 'drain', clientIds: ['c-1'], start: '2026-11-25T11:00' });
  assert.deepEqual(stream.map((c) => c.version), [4, 5]);

  // The second arrives first: a gap, refused whole.
  const saved = page.snapshot();
  assert.equal(refusal(() => page.applyChanges([stream[1]])).code, 'VERSION_GAP');
  assert.equal(page.snapshot(), saved);

  assert.deepEqual(page.applyChanges(server.changesSince(page.changeVersion())), { version: 5, applied: 2, skipped: 0 });
  assert.deepEqual(heard, [4, 5]);
  // The stream delivers them again (a reconnect): taken once.
  assert.deepEqual(page.applyChanges(stream), { version: 5, applied: 0, skipped: 2 });
  assert.equal(page.snapshot(), server.snapshot());
  // A relay that reorders members (PostgreSQL's jsonb) is the same change.
  const reordered = stream.map((c) => Object.fromEntries(Object.entries(c).reverse()));
  assert.deepEqual(page.applyChanges(reordered), { version: 5, applied: 0, skipped: 2 });
});

test('a page that wrote on its own cannot take the server changes at the same version', () => {
  const server = company();
  const page = Coordinator.restore(server.snapshot(), { now: NOW });
  const stream = [];
  server.onChange((change) => stream.push(change));
  server.book({ serviceId: 'drain', clientIds: ['c-1'], start: '2026-11-25T09:00' });
  page.book({ serviceId: 'drain', clientIds: ['c-1'], start: '2026-11-25T13:00' });
  assert.equal(refusal(() => page.applyChanges(stream)).code, 'OUT_OF_STEP');
});

test('a saved page restores at its version; changes from before the save are no longer kept', () => {
  const server = company();
  server.book({ serviceId: 'drain', clientIds: ['c-1'], start: '2026-11-25T09:00' });
  const reopened = Coordinator.restore(server.snapshot(), { now: NOW });
  assert.equal(reopened.changeVersion(), server.changeVersion());
  assert.deepEqual(reopened.changesSince(reopened.changeVersion()), []);
  assert.equal(refusal(() => reopened.changesSince(0)).code, 'CHANGES_PRUNED');
  assert.equal(refusal(() => reopened.changesSince(99)).code, 'VERSION_GAP');
});

test("a CRM's past, completed and clashing appointments load as they were", () => {
  const c = company();
  const result = c.importBookings([
    { id: 'crm-1', serviceId: 'drain', providerId: 'ben', clientIds: ['c-1'], start: '2026-10-20T09:00', status: 'completed' },
    { id: 'crm-2', serviceId: 'drain', providerId: 'ben', clientIds: ['c-1'], start: '2026-10-21T09:00', status: 'no_show' },
    // Tomorrow with less notice than the service asks, as the CRM booked it.
    { id: 'crm-3', serviceId: 'drain', providerId: 'ben', clientIds: ['c-1'], start: '2026-11-23T14:00' },
    // The old system let these two overlap.
    { id: 'crm-4', serviceId: 'drain', providerId: 'ben', clientIds: ['c-1'], start: '2026-11-26T09:00' },
    { id: 'crm-5', serviceId: 'drain', providerId: 'ben', clientIds: ['c-1'], start: '2026-11-26T09:30', notes: 'double-booked in the old CRM' },
  ]);
  assert.deepEqual(result, { imported: 5, clashes: [{ id: 'crm-5', with: ['crm-4'] }] });
  assert.equal(c.booking('crm-1').status, 'completed');
  assert.equal(c.booking('crm-2').status, 'no_show');
  assert.deepEqual(c.booking('crm-5').importClashes, ['crm-4']);
  assert.equal(c.booking('crm-5').history[0].action, 'imported');
  const saved = c.snapshot();
  assert.equal(Coordinator.restore(saved, { now: NOW }).snapshot(), saved);

  // All or nothing: one record naming a provider nobody has refuses the run.
  const e = refusal(() => c.importBookings([
    { id: 'crm-6', serviceId: 'drain', providerId: 'ben', clientIds: ['c-1'], start: '2026-11-27T09:00' },
    { id: 'crm-7', serviceId: 'drain', providerId: 'zed', clientIds: ['c-1'], start: '2026-11-27T11:00' },
  ]));
  assert.equal(e.code, 'UNKNOWN_ID');
  assert.deepEqual(e.details.map((d) => d.ids[0]), ['crm-7']);
  assert.equal(c.snapshot(), saved);
});
