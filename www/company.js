// Opens the sample company: technicians, services, vans, clients, three months of past visits
// (console only), and a week of bookings starting tomorrow (in the company's zone), so every page
// has data to show. Kept in the page's IndexedDB by default (a reload keeps every booking), or by
// the reference server (./dev server), or only in memory.
import { load, Coordinator } from '/pkg/index.js';
import { openStore } from '/pkg/persist.js';
import { connect } from '/pkg/remote.js';
import { company } from './sample-data.js';
import { history } from './history.js';

export const addDays = (date, n) => new Date(Date.parse(`${date}T12:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);
export const todayIn = (zone) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/**
 * `now` (an instant) fixes the clock, for tests; pages pass `?now=` from their address. `build`:
 * the booking page loads the engine's booking build, the console the full one. `keep`: 'page'
 * (IndexedDB, one store per page), 'server' (the reference server's `tenant`, with the
 * console's `token`; the first page to open it there fills it), or 'none' (memory only).
 * Returns the store (null for 'none'), its coordinator and the days the pages start on.
 */
export async function openCompany({ now, build, keep = 'page', token, tenant = 'demo' } = {}) {
  await load(build ? { build } : undefined);
  // The clock: `now` (or the real one), except while the past is replayed (`history`).
  const clock = { at: null };
  const time = () => clock.at ?? now ?? Date.now();
  const today = now ? new Intl.DateTimeFormat('en-CA', { timeZone: company.timeZone }).format(new Date(now)) : todayIn(company.timeZone);
  const tomorrow = addDays(today, 1);
  // The work orders' dispatch day: the next Tuesday or Thursday from tomorrow (all six
  // technicians work then), for the dispatch board (the booking page's build has no dispatch).
  let dispatchDay = tomorrow;
  while (![2, 4].includes(new Date(`${dispatchDay}T12:00:00Z`).getUTCDay())) dispatchDay = addDays(dispatchDay, 1);
  const fill = (coordinator) => {
    for (const { area, ...provider } of company.providers) coordinator.upsertProvider(provider);
    company.services.forEach((x) => coordinator.upsertService(x));
    company.resources.forEach((r) => coordinator.upsertResource(r));
    company.clients.forEach((c) => coordinator.upsertClient(c));
    // The console's reports need a past: three months of it, replayed through the engine.
    if (build !== 'booking') {
      coordinator.setBilling({ currency: 'USD', rounding: { unitMinutes: 15, mode: 'up', minimumMinutes: 30, per: 'visit' } });
      history(coordinator, clock, company, today, 91, now ? Date.parse(now) : Date.now());
    }
    for (const [offset, at, serviceId, providerId, clientId] of company.week) {
      try {
        coordinator.book({ serviceId, providerId, clientIds: [clientId], start: `${addDays(tomorrow, offset)}T${at}` });
      } catch { /* a weekend or a closed day in this particular week */ }
    }
    if (build !== 'booking') {
      for (const o of company.workOrders) {
        const [from, to] = o.window.split('-');
        coordinator.upsertWorkOrder({
          id: o.id, serviceId: o.serviceId, clientIds: [o.clientId], priority: o.priority, notes: o.notes,
          windows: [{ start: `${dispatchDay}T${from}`, end: `${dispatchDay}T${to}` }],
        });
      }
    }
  };
  let store = null;
  let coordinator;
  if (keep === 'server') {
    const open = () => connect({ tenant, token, now: time });
    store = await open().catch(async (e) => {
      if (e.code !== 'NOT_FOUND') throw e;
      const fresh = new Coordinator({ timeZone: company.timeZone, now: time });
      fill(fresh);
      const res = await fetch(`/api/${tenant}`, { method: 'PUT', body: fresh.snapshot(), headers: { authorization: `Bearer ${token}` } });
      if (!res.ok && res.status !== 409) throw new Error(`starting the demo tenant: ${res.status} ${await res.text()}`);
      return open();
    });
    coordinator = store.coordinator;
  } else if (keep === 'page') {
    store = await openStore({ name: `demo-${build ?? 'console'}`, timeZone: company.timeZone, now: time });
    coordinator = store.coordinator;
    if (coordinator.providers().length === 0) await store.write(fill);
  } else {
    coordinator = new Coordinator({ timeZone: company.timeZone, now: time });
    fill(coordinator);
  }
  return { store, coordinator, company, tomorrow, dispatchDay };
}

/** Says where the page's data is kept, in the element with id `kept` (if the page has one). */
export function showKept(keep) {
  const where = { page: 'Kept in this browser (IndexedDB): a reload keeps every booking; other tabs stay in step.',
    server: 'Kept by the reference server (PostgreSQL): every change is checked there again.',
    none: 'Kept in memory only: a reload starts again.' }[keep];
  const node = document.getElementById('kept');
  if (node && where) node.textContent = where;
}

/** How a page keeps its data, from its address: `?keep=none|page|server` (`?server` for short),
 * and for the server `&token=` and `&tenant=`. */
export function keeping(query) {
  const keep = query.get('keep') ?? (query.has('server') ? 'server' : 'page');
  return { keep, token: query.get('token') ?? 'demo-console', tenant: query.get('tenant') ?? 'demo' };
}
