// Three months of the sample company's past, for the console's reports: visits booked days ahead,
// then checked in, completed (with outcomes, parts, signatures, the client's answer), missed by
// the client or the technician, cancelled in time or late, a few returns for jobs not resolved
// the first time, a few never closed; time entries from the actual times. All of it goes through
// the engine's API on a clock that walks from three months ago to now, event by event, so every
// record is one the rules accepted at the time it claims. Random choices come from a fixed seed.
const DAY = 86400e3;
const addDays = (date, n) => new Date(Date.parse(`${date}T12:00:00Z`) + n * DAY).toISOString().slice(0, 10);

function seeded(seed) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** Which service a technician does on a history visit, by skill. */
function serviceFor(provider, r) {
  const s = provider.skills;
  const pick = [];
  if (s.includes('hvac')) pick.push('ac-tune-up', 'boiler-service');
  if (s.includes('plumbing')) pick.push('drain-cleaning', 'leak-repair');
  if (s.includes('gas')) pick.push('gas-check');
  return pick[Math.floor(r() * pick.length)];
}

/**
 * Replays the `days` before `today` into `coordinator`, moving `clock.at` up to `nowMs`; leaves
 * `clock.at` null (the page's clock) when done. Returns how many visits were booked.
 */
export function history(coordinator, clock, company, today, days, nowMs) {
  const r = seeded(20261201);
  const events = [];
  const slots = { default: ['08:30', '10:30', '13:30', '15:30'], finn: ['12:30', '14:30', '16:30', '18:30'] };
  const start = addDays(today, -days);
  let lastDay = addDays(today, -1);
  while ([0, 6].includes(new Date(`${lastDay}T12:00:00Z`).getUTCDay())) lastDay = addDays(lastDay, -1);
  for (let d = 0; d < days; d++) {
    const date = addDays(start, d);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const p of company.providers) {
      for (const time of slots[p.id] ?? slots.default) {
        if (r() < 0.3) continue;
        const client = company.clients[Math.floor(r() * company.clients.length)];
        const serviceId = serviceFor(p, r);
        const urgent = serviceId === 'gas-check' && r() < 0.25;
        const lead = urgent ? 0.12 : 1 + Math.floor(r() * 9);
        events.push({ kind: 'plan', date, time, p, client, serviceId, urgent, lead, roll: r(), late: r(), answer: r(), jitter: r() });
      }
    }
  }
  // Each visit's events, on the clock: booked `lead` days before; then what happened.
  const at = (date, time) => Date.parse(`${date}T${time}:00Z`); // an approximate instant to sort by
  const queue = [];
  for (const v of events) {
    const t = at(v.date, v.time) + 5 * 3600e3; // New York is 4-5 hours behind UTC
    queue.push({ t: t - v.lead * DAY, v, step: 'book' });
  }
  queue.sort((a, b) => a.t - b.t);
  let booked = 0;
  const setClock = (ms) => { clock.at = Math.max(clock.at ?? 0, ms); };
  // A min-heap would be tidier; the queue is short (a few thousand), kept sorted by insertion.
  const push = (e) => {
    let i = queue.length;
    while (i > 0 && queue[i - 1].t > e.t) i--;
    queue.splice(i, 0, e);
  };
  const now = nowMs;
  while (queue.length) {
    const { t, v, step } = queue.shift();
    if (t >= now) continue;
    setClock(t);
    try {
      if (step === 'book') {
        const b = coordinator.book({
          serviceId: v.serviceId, providerId: v.p.id, clientIds: [v.client.id], start: `${v.date}T${v.time}`,
          priority: v.urgent ? 1 : 0, returnOf: v.returnOf,
        });
        v.b = b;
        booked++;
        const start = Date.parse(b.start), end = Date.parse(b.end);
        if (v.roll < 0.06) push({ t: start - (v.late < 0.5 ? 0.4 : 2.5) * DAY, v, step: 'cancel' });
        else if (v.roll < 0.12) push({ t: start + 20 * 60e3, v, step: 'no_show' });
        else if (v.roll < 0.14) push({ t: start + 60 * 60e3, v, step: 'provider_no_show' });
        // Never closed (unresolved): a few of the last fortnight, and half of the last working
        // day's, which the office has not gone through yet.
        else if ((v.roll < 0.17 && start > now - 14 * DAY) || (v.date === lastDay && v.roll < 0.6)) { /* unresolved */ } else {
          const late = Math.round((v.jitter * 25 - 5)) * 60e3;
          push({ t: start + late, v, step: 'check_in' });
          push({ t: end + late + Math.round(v.answer * 20 - 8) * 60e3, v, step: 'complete' });
        }
      } else if (step === 'cancel') {
        coordinator.cancel(v.b.id, { by: v.late < 0.75 ? 'client' : 'staff', reason: 'changed plans' });
      } else if (step === 'no_show' || step === 'provider_no_show') {
        coordinator.setStatus(v.b.id, step);
      } else if (step === 'check_in') {
        coordinator.updateVisit(v.b.id, { departedAt: new Date(t - (15 + Math.round(v.late * 25)) * 60e3).toISOString() });
        coordinator.setStatus(v.b.id, 'checked_in');
      } else if (step === 'complete') {
        const outcome = v.answer < 0.06 ? 'needs_follow_up' : v.answer < 0.12 ? 'partially_resolved' : v.answer < 0.14 ? 'not_done' : 'resolved';
        const visit = {
          outcome, workNotes: outcome === 'resolved' ? 'Checked and working.' : 'Part on order.',
          checklist: v.serviceId === 'boiler-service' ? ['flue', 'pressure', 'co'] : undefined,
          signature: { path: 'M4 30 C 20 6, 34 6, 46 28 S 74 50, 96 20', signedBy: v.client.name },
          parts: v.answer > 0.7 ? [{ item: 'Gasket kit', quantity: 1, unitPriceMinor: 1850 }] : undefined,
        };
        if (outcome === 'not_done') visit.outcomeReason = 'No access to the unit';
        if (v.answer > 0.55) visit.satisfaction = { csat: Math.min(5, 2 + Math.floor(v.jitter * 4)), nps: Math.min(10, 3 + Math.floor(v.late * 8)) };
        coordinator.setStatus(v.b.id, 'completed', { visit });
        coordinator.addTimeEntry({ bookingId: v.b.id });
        coordinator.addTimeEntry({ bookingId: v.b.id, kind: 'travel' });
        const back = addDays(v.date, 3 + Math.floor(v.late * 6));
        // A return visit for a job not resolved, if it fell before today (the past only).
        if ((outcome === 'needs_follow_up' || outcome === 'partially_resolved') && back < today) {
          const again = { ...v, date: back, lead: 0, returnOf: v.b.id, roll: 0.5, urgent: false, b: null };
          push({ t: t + 3600e3, v: again, step: 'book' });
        }
      }
    } catch {
      // A slot the rules refused on that day (a clash, travel, a van in use): the visit never was.
    }
  }
  clock.at = null;
  return booked;
}
