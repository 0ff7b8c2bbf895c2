// The booking page's build of the engine (its own process: a page loads one build): what a
// booking page needs works, and what only the console needs is refused by name, not missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, Coordinator, CoordinatorError } from '../../pkg/index.js';

await load({ build: 'booking' });

test('the booking build books, holds and lists slots, and names what it leaves out', () => {
  const day = [{ start: '08:00', end: '17:00' }];
  const c = new Coordinator({ timeZone: 'America/New_York', now: '2026-11-23T12:00:00Z' });
  c.upsertProvider({ id: 'ben', name: 'Ben', skills: ['plumbing'], timeZone: 'America/New_York', weeklyHours: { tue: day } });
  c.upsertService({ id: 'drain', name: 'Drain cleaning', durationMinutes: 60, requiredSkills: ['plumbing'] });
  c.upsertClient({ id: 'c-1', name: 'Dana' });
  assert.equal(c.availability({ serviceId: 'drain', from: '2026-11-24', to: '2026-11-25' }).slots.length, 9);
  const held = c.hold({ serviceId: 'drain', start: '2026-11-24T09:00' });
  assert.equal(c.confirmHold(held.id, { clientIds: ['c-1'] }).status, 'confirmed');
  const before = c.snapshot();
  for (const call of [() => c.explain({ serviceId: 'drain', start: '2026-11-24T09:00' }), () => c.planRepair({ providerId: 'ben', start: '2026-11-24', end: '2026-11-25' }), () => c.importICalendar('', { providerId: 'ben' })]) {
    assert.throws(call, (e) => e instanceof CoordinatorError && e.code === 'INVALID_INPUT' && /console build/.test(e.message));
  }
  assert.equal(c.snapshot(), before);
  assert.equal(Coordinator.restore(before).snapshot(), before);
});

