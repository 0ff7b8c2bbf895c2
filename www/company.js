// Opens the sample company in a fresh coordinator: technicians, services, vans, clients, three
// months of past visits (console only), and a week of bookings starting tomorrow (in the
// company's zone), so every page has data to show.
import { load, Coordinator } from '/pkg/index.js';
import { company } from './sample-data.js';
import { history } from './history.js';

export const addDays = (date, n) => new Date(Date.parse(`${date}T12:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);
export const todayIn = (zone) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/**
 * `now` (an instant) fixes the clock, for tests; pages pass `?now=` from their address. `build`:
 * the booking page loads the engine's booking build, the console the full one.
 */
export async function openCompany({ now, build } = {}) {
  await load(build ? { build } : undefined);
  // The clock: `now` (or the real one), except while the past is replayed (`history`).
  const clock = { at: null };
  const coordinator = new Coordinator({ timeZone: company.timeZone, now: () => clock.at ?? now ?? Date.now() });
  for (const { area, ...provider } of company.providers) coordinator.upsertProvider(provider);
  company.services.forEach((s) => coordinator.upsertService(s));
  company.resources.forEach((r) => coordinator.upsertResource(r));
  company.clients.forEach((c) => coordinator.upsertClient(c));
  const today = now ? new Intl.DateTimeFormat('en-CA', { timeZone: company.timeZone }).format(new Date(now)) : todayIn(company.timeZone);
  const tomorrow = addDays(today, 1);
  // The console's reports need a past: three months of it, replayed through the engine.
  if (build !== 'booking') {
    coordinator.setBilling({ currency: 'USD', rounding: { unitMinutes: 15, mode: 'up', minimumMinutes: 30, per: 'visit' } });
    history(coordinator, clock, company, today, 91, now ? Date.parse(now) : Date.now());
  }
  for (const [offset, time, serviceId, providerId, clientId] of company.week) {
    try {
      coordinator.book({ serviceId, providerId, clientIds: [clientId], start: `${addDays(tomorrow, offset)}T${time}` });
    } catch { /* a weekend or a closed day in this particular week */ }
  }
  // The work orders of the dispatch day, the next Tuesday or Thursday from tomorrow (all six
  // technicians work then), for the dispatch board (the booking page's build has no dispatch).
  let dispatchDay = tomorrow;
  while (![2, 4].includes(new Date(`${dispatchDay}T12:00:00Z`).getUTCDay())) dispatchDay = addDays(dispatchDay, 1);
  if (build !== 'booking') {
    for (const o of company.workOrders) {
      const [from, to] = o.window.split('-');
      coordinator.upsertWorkOrder({
        id: o.id, serviceId: o.serviceId, clientIds: [o.clientId], priority: o.priority, notes: o.notes,
        windows: [{ start: `${dispatchDay}T${from}`, end: `${dispatchDay}T${to}` }],
      });
    }
  }
  return { coordinator, company, tomorrow, dispatchDay };
}
