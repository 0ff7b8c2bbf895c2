// Types of `service-coordinator/calendar`: the <service-calendar> element.
import type { Booking, BookingRequest, Client, Coordinator, ErrorCode, Location, Outcome, Party, RepairPlan, Status, Violation, ViolationFacts } from './index.js';

export type CalendarView = 'month' | 'week' | 'day' | 'agenda' | 'resource-day' | 'resource-week';
export type CalendarMode = 'booking' | 'coordinator';

/** An on-site visit's arrival window, as promised to the client (the booking's start lies in it). */
export interface ArrivalWindow { start: string; end: string; }
/** `slot-selected`: a client picked a time (held for 10 minutes when `holdId` is set); on site, in an arrival window. */
export interface SlotSelectedDetail { serviceId: string; start: string; end?: string; providerId: string; holdId: string | null; arrival?: ArrivalWindow; }
/**
 * `booking-requested` (cancelable): call `preventDefault()` to book through your own backend
 * instead, and `respondWith(promise)` to tell the element how it went. While the promise is
 * pending the form is disabled (a second click sends nothing); when it resolves the element
 * confirms its hold in the page, when it rejects (with `{ code, message }`) it lets the time go
 * and shows the message.
 */
export interface BookingRequestedDetail {
  request: BookingRequest;
  /** The contact the client typed (booking mode); null in the console. */
  client: Omit<Client, 'id'> | null;
  holdId: string | null;
  /** Booking mode only. */
  respondWith?: (outcome: Promise<unknown>) => void;
  /** Booking mode, on site: the arrival window the client chose. */
  arrival?: ArrivalWindow;
}
export interface BookedDetail { booking: Booking; client: Client | null; arrival?: ArrivalWindow; }
export interface CalendarErrorDetail { code: ErrorCode | 'INTERNAL'; message: string; details: Violation[]; action: string; }

export interface ServiceCalendarEventMap {
  'slot-selected': CustomEvent<SlotSelectedDetail>;
  'booking-requested': CustomEvent<BookingRequestedDetail>;
  booked: CustomEvent<BookedDetail>;
  error: CustomEvent<CalendarErrorDetail>;
}

/**
 * Every word the element shows or writes into booking history, in English by default. Set
 * `strings` to some or all of them to translate; functions receive numbers and already formatted days,
 * times and names. Dates and times themselves follow `locale`.
 */
export interface CalendarStrings {
  previous: string; next: string; today: string; zone: string; timeZone: string; view: string; service: string;
  views: Record<CalendarView, string>;
  badZone(zone: string): string; badLocale(locale: string): string; badDate(date: string): string;
  serviceOption(name: string, minutes: number): string;
  dayFree(day: string, free: number): string; freeCount(free: number): string; freeOn(day: string): string;
  freeTimes: string; chooseDay: string; yourName: string;
  /** The booking form's contact fields (email, phone: `email`, `phone`), and what it says when both are empty. */
  contact: string; contactNeeded: string; notesOptional: string;
  confirm: string; confirming: string; waiting: string; noFreeTimes(day: string): string;
  held(time: string, minutes: number): string; requestSent: string; booked(day: string, time: string): string;
  /** A group session's seats still free (on its time's button). */
  seatsLeft(seats: number): string;
  /** What the form is confirming: the service, day, time, zone and provider. */
  confirmingWhat(service: string, day: string, time: string, zone: string, provider: string | null): string;
  address: string; findTimes: string; changeAddress: string; addressFirst: string; addressNotFound(text: string): string;
  visitAt(address: string): string; dayWindows(day: string, windows: number): string;
  windowsOn(day: string): string; window(from: string, to: string): string;
  arrivalHeld(from: string, to: string, minutes: number): string; bookedArrival(day: string, from: string, to: string): string;
  status: Record<Status, string>;
  dayBookings(day: string, bookings: number, atRisk: number): string; more(n: number): string;
  bookingLabel(parts: { service: string; clients: string; day: string; start: string; end: string; provider: string; status: string; risks: string; /** The resources it uses, by name ("" when none). */ equipment: string }): string;
  atRisk: string; noBookingsWeek: string;
  cellLabel(day: string, time: string, provider: string | null, booking: string | null): string;
  moveLabel(day: string, start: string, end: string, provider: string | null, refusal: string | null): string;
  moved(time: string): string; moveCancelled: string; moving: string;
  close: string; when: string; technician: string; client: string; status_: string; equipment: string; notes: string; revision: string;
  atRiskBecause(why: string): string;
  checkIn: string; moveByKeyboard: string; noShow: string; cancelBooking: string; complete: string;
  isOutThatDay(provider: string): string; history: string; historyLine(at: string, action: string, reason?: string): string;
  book: string; newBooking(day: string, time: string, provider: string | null): string;
  /** A group session's card: seats taken of the session's seats. */
  seatsOf(taken: number, of: number): string;
  /** The new-booking dialog's client search, and the fields of a client not found. */
  clientSearch: string; newClient: string; email: string; phone: string; clientAddress: string;
  moveClashes: string; timeClashes: string; alternatives: string; rankedAlternatives: string; noAlternatives: string;
  proposedMoves: string; unplaced(bookingId: string, why: string): string; applyPlan: string; planApplied: string;
  outOn(provider: string, day: string): string; planSummary(moves: number, unplaced: number): string;
  reasonMoved: string; reasonCancelled: string; reasonAlternative: string; reasonOut: string;
  /** What a booking's history records, by action (a status change says the new status). */
  actions: Record<'created' | 'held' | 'confirmed' | 'rescheduled' | 'cancelled' | 'released' | 'visit_updated' | 'follow_up_done' | 'imported', string>;
  // The visit record dialog.
  providerNoShow: string; visitRecord: string; visitOf(what: string): string; outcome: string; outcomeReason: string;
  workNotes: string; checklist: string; outcomes: Record<Outcome, string>; cancelledBy: string; parties: Record<Party, string>;
  parts: string; addPart: string; partItem(n: number): string; partQuantity(n: number): string; partPrice(n: number, currency: string): string;
  signature: string; signaturePad: string; signedBy: string; clearSignature: string;
  saveVisit: string; saveAndComplete: string; visitSaved: string;
  // The dispatch board.
  boardLoading: string; boardNothing: string; boardNobody: string; boardPlan: string; boardStop: string; boardBook: string;
  boardDiscard: string; boardPreview: string; boardDiscarded: string; boardRoutes: string;
  figPlaced: string; figTravel: string; figDistance: string; figLate: string; figOvertime: string; figUtilisation: string; figChanged: string;
  ofCount(n: number, of: number): string; hoursMinutes(seconds: number): string; km(metres: number): string;
  stopsOf(technician: string): string; driving(from: string, to: string): string; drivingHome(at: string): string;
  routeSummary(stops: number, driving: string): string; noStops: string;
  stopLabel(stop: { n: number; what: string; start: string; end: string; arrival: string; fixed: boolean }): string;
  notPlaced(n: number): string; allPlaced: string;
  /** Why the solver left a work order out, by its reason code. */
  reason: Record<'SKILL_MISSING' | 'CAPACITY' | 'OUTSIDE_SHIFT' | 'NO_WINDOW_FITS' | 'TRAVEL_LIMIT' | 'DEPENDENCY', string>;
  reasonsWhy(list: string): string; notPlannedYet: string; offSite(what: string, start: string, end: string): string;
  mapTitle(routes: number, unplaced: number): string; homeOf(technician: string): string;
  planning(iterations: number, unplaced: number): string; planned(unplaced: number): string; bookedPlan(visits: number): string;
  placedAt(what: string, technician: string, time: string): string; dropNowhere: string;
  scoreChange(time: string, cost: number, minutes: number): string; cannotTake: string;
  optionLabel(technician: string, time: string, cost: number, minutes: number, moved: number): string;
  placeTitle(what: string): string; leaveOut: string; noPlaceFits: string;
  // Reports.
  reportsFor(month: string): string; toDate(month: string, last: string): string; reportsNothing: string;
  kpis: string; vsPrevious: string; noChange: string; unchanged: string; points(n: number): string; hours(n: number): string; na: string;
  downloadCsv: string; print: string; csvReady: string;
  figures: Record<'completed' | 'noShowRate' | 'lateCancelRate' | 'utilisation' | 'firstTimeFixRate' | 'recallRate' | 'onTimeArrival'
    | 'slaCompliance' | 'csat' | 'nps' | 'billableHours' | 'revenueMinor', string>;
  trendTitle: string; trendDesc(weeks: number): string; weekOf: string; utilisationTitle: string; utilisationDesc: string;
  onSite: string; travel: string; idle: string; capacity: string; provider: string;
  byHourTitle: string; byHourDesc: string; hour: string; visitsDue: string; noShows: string; leaderboard: string;
  /** The engine's refusals said from their facts, in the element's language and zone (`x` formats
   * instants in that zone); a sentence that returns nothing falls back to `codes`. */
  violation: Partial<Record<ErrorCode, (facts: ViolationFacts, x: FactFormat) => string | undefined>>;
  /** A refusal without facts, by code (English shows the engine's own sentence). */
  codes: Partial<Record<ErrorCode, string>>;
}

/** How the `violation` sentences write the facts' UTC instants: in the element's zone and locale. */
export interface FactFormat {
  /** A day and time ("Tue, Nov 24, 9:00 AM"). */
  at(instant: string): string;
  time(instant: string): string;
  /** From and to, the day said once when both fall on it. */
  span(from: string, to: string): string;
  /** "gas and hvac", in the locale. */
  list(items: string[]): string;
}

export declare class ServiceCalendar extends HTMLElement {
  view: CalendarView;
  mode: CalendarMode;
  locale: string | undefined;
  /** The zone times are shown in (default: the coordinator's). */
  timeZone: string;
  /** Booking mode: the service offered (default: the first). */
  service: string;
  /** Only these providers (default: all). */
  providers: string[];
  /** A day in the period shown, `YYYY-MM-DD` (default: today in `timeZone`). */
  date: string;
  /** Grid step in minutes for keyboard and drag (default 30). */
  step: number;
  /** Booking mode, on-site services: minutes in each arrival window offered (30 to 480, default 120). */
  arrivalWindow: number;
  /** Booking mode: where an on-site visit is, if you know (a signed-in client's address). */
  location: Location | null;
  /** Booking mode: your geocoder. With it (or a `location`) on-site services are offered: the client types the address, you return its coordinates (or null). */
  locate: ((address: string) => Promise<Location | null>) | null;
  coordinator: Coordinator | null;
  /** A store that keeps the coordinator (`openStore` from service-coordinator/persist, or
   * `connect` from service-coordinator/remote): setting it shows its coordinator, and every
   * change the element makes goes through its `write`. */
  store: { readonly coordinator: Coordinator; write<T>(change: (c: Coordinator) => T): Promise<T> } | null;
  /** The words shown (reading gives the whole table; setting merges a partial one over English). */
  get strings(): CalendarStrings;
  set strings(v: Partial<CalendarStrings>);
  /** Draws now (changes are otherwise drawn on the next microtask). */
  render(): void;
  /** Previews the engine's repair plan for a provider out on `day` (days since 1970-01-01), with an Apply button. */
  planRepairFor(providerId: string, day?: number): RepairPlan | null;
  addEventListener<K extends keyof ServiceCalendarEventMap>(type: K, listener: (this: ServiceCalendar, ev: ServiceCalendarEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** Defines the element (under `name`, default `service-calendar`); a second call does nothing. */
export declare function defineServiceCalendar(name?: string): typeof ServiceCalendar;

declare global {
  interface HTMLElementTagNameMap { 'service-calendar': ServiceCalendar; }
}
