// Compiled by tests/js/types.test.mjs with `tsc --strict --noEmit` against pkg/index.d.ts: the
// public types must describe real use, and wrong use must fail to compile (the @ts-expect-error lines).
import { load, Coordinator, CoordinatorError, type Booking, type Change, type Slot, type Violation } from '../../pkg/index.js';

export async function example(): Promise<void> {
  await load();
  const c = new Coordinator({ timeZone: 'America/New_York', now: () => new Date() });
  c.upsertProvider({ id: 'ben', name: 'Ben', timeZone: 'America/New_York', skills: ['plumbing'],
    weeklyHours: { tue: [{ start: '08:00', end: '17:00' }] }, dailyCap: 6, home: { lat: 40.7, lng: -74 } });
  c.upsertService({ id: 'drain', name: 'Drain cleaning', durationMinutes: 60, requiredResources: [{ kind: 'van' }] });
  c.upsertResource({ id: 'van-1', name: 'Van 1', kind: 'van' });
  c.upsertClient({ id: 'c-1', name: 'Dana', email: 'dana@example.com' });
  const slots: Slot[] = c.availability({ serviceId: 'drain', from: '2026-11-24', to: '2026-11-25' }).slots;
  const first: string | undefined = slots[0]?.providerIds[0];
  const check = c.check({ serviceId: 'drain', start: '2026-11-24T09:00' });
  const reasons: Violation[] = check.violations;
  const b: Booking = c.book({ serviceId: 'drain', providerId: first, clientIds: ['c-1'], start: '2026-11-24T09:00' });
  c.reschedule(b.id, { start: '2026-11-24T10:00', expectedRevision: b.revision, reason: 'client asked' });
  c.setStatus(b.id, 'checked_in');
  const held: Booking = c.hold({ serviceId: 'drain', start: '2026-11-25T09:00' }, { minutes: 5 });
  const until: string | undefined = held.expiresAt;
  c.confirmHold(held.id, { clientIds: ['c-1'] });
  void until;
  c.cancel(b.id, { reason: 'client called' });
  const off: () => void = c.onChange((change: Change) => {
    if (change.kind === 'booking' && change.after) {
      const status: Booking['status'] = change.after.status;
      void status;
    }
  });
  off();
  try {
    c.book({ serviceId: 'drain', start: '2026-11-24T09:00' });
  } catch (e) {
    if (e instanceof CoordinatorError && e.code === 'OVERLAP') console.log(e.details.map((d) => d.ids));
  }
  const restored: Coordinator = Coordinator.restore(c.snapshot());
  void restored; void reasons;

  // @ts-expect-error durationMinutes is required
  c.upsertService({ id: 'x', name: 'X' });
  const checked = c.checkSeries({ serviceId: 'drain', start: '2026-11-24T09:00' }, 'FREQ=WEEKLY;COUNT=2');
  const fine: boolean = checked.occurrences.every((o) => o.ok);
  // @ts-expect-error a check names no series
  void checked.seriesId;
  // @ts-expect-error nor bookings
  void checked.occurrences[0]?.bookingId;
  void fine;
  // @ts-expect-error not a status
  c.setStatus(b.id, 'done');
  // @ts-expect-error times are strings
  c.book({ serviceId: 'drain', start: new Date() });
}
