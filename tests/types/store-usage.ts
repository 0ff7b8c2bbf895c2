// Compiled by tests/js/types.test.mjs with `tsc --strict --noEmit`: the stores' types describe
// real use (a page keeping its data, a page kept by the server), and wrong use fails to compile.
import { load, CoordinatorError, type Booking } from '../../pkg/index.js';
import { openStore, COMPACT_AFTER, type Store } from '../../pkg/persist.js';
import { connect, type Remote } from '../../pkg/remote.js';
import type { ServiceCalendar } from '../../pkg/calendar.js';

export async function inThePage(cal: ServiceCalendar): Promise<void> {
  await load();
  const store: Store = await openStore({ name: 'acme', timeZone: 'America/New_York' });
  const b: Booking = await store.write((c) => c.book({ serviceId: 'drain', start: '2026-11-24T09:00' }));
  const folded: number = COMPACT_AFTER;
  cal.store = store;
  cal.store = null;
  store.close();
  // @ts-expect-error a write gives the change a coordinator, not a promise of one
  await store.write(async (c: Promise<Booking>) => c);
  void b; void folded;
}

export async function keptByTheServer(cal: ServiceCalendar): Promise<void> {
  const remote: Remote = await connect({ url: 'https://example.com', tenant: 'acme', token: 'secret' });
  cal.store = remote;
  try {
    const moved: Booking = await remote.write((c) => c.reschedule('bk-1', { start: '2026-11-24T10:00' }));
    void moved;
  } catch (e) {
    if (e instanceof CoordinatorError && e.code === 'SERVER_UNREACHABLE') remote.close();
  }
  // @ts-expect-error the tenant is required
  await connect({ url: 'https://example.com' });
}
