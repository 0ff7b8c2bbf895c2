// Compiled with tsc --strict against pkg/calendar.d.ts: a host page wiring <service-calendar> to
// its CRM in a few lines, with typed event details; wrong use fails (the @ts-expect-error lines).
import { load, Coordinator } from '../../pkg/index.js';
import { defineServiceCalendar, type ServiceCalendar } from '../../pkg/calendar.js';
import { defineServiceCalendar as defineBookingOnly } from '../../pkg/calendar/booking.js';

export async function host(): Promise<void> {
  await load();
  defineServiceCalendar();
  const cal: ServiceCalendar = document.createElement('service-calendar');
  cal.mode = 'booking';
  cal.view = 'month';
  cal.coordinator = new Coordinator({ timeZone: 'America/New_York' });
  cal.addEventListener('booked', (e) => {
    const id: string = e.detail.booking.id;
    const email: string | undefined = e.detail.client?.email;
    void id; void email;
  });
  cal.addEventListener('booking-requested', (e) => {
    e.preventDefault(); // book through the host's own backend instead
    const start: string = e.detail.request.start;
    void start;
  });
  cal.addEventListener('error', (e) => console.log(e.detail.code, e.detail.details.length));
  cal.planRepairFor('ana');
  // A translation: some words, the rest stay English.
  cal.strings = { today: 'Heute', freeCount: (n) => `${n} frei`, views: { week: 'Woche', day: 'Tag', 'resource-day': 'Techniker, Tag', 'resource-week': 'Techniker, Woche', month: 'Monat', agenda: 'Agenda' } };
  const confirm: string = cal.strings.confirm;
  void confirm; void defineBookingOnly;
  // @ts-expect-error a plural is a function of the count
  cal.strings = { freeCount: 'frei' };
  // @ts-expect-error not a view
  cal.view = 'year';
  // @ts-expect-error the detail of `booked` has no `slot`
  cal.addEventListener('booked', (e) => e.detail.slot);
  document.body.append(cal);
}
