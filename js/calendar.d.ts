// Types of `service-coordinator/calendar`: the <service-calendar> element.
import type { Booking, BookingRequest, Client, Coordinator, ErrorCode, RepairPlan, Violation } from './index.js';

export type CalendarView = 'month' | 'week' | 'day' | 'agenda' | 'resource-day' | 'resource-week';
export type CalendarMode = 'booking' | 'coordinator';

/** `slot-selected`: a client picked a time (held for 10 minutes when `holdId` is set). */
export interface SlotSelectedDetail { serviceId: string; start: string; end: string; providerId: string; holdId: string | null; }
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
}
export interface BookedDetail { booking: Booking; client: Client | null; }
export interface CalendarErrorDetail { code: ErrorCode | 'INTERNAL'; message: string; details: Violation[]; action: string; }

export interface ServiceCalendarEventMap {
  'slot-selected': CustomEvent<SlotSelectedDetail>;
  'booking-requested': CustomEvent<BookingRequestedDetail>;
  booked: CustomEvent<BookedDetail>;
  error: CustomEvent<CalendarErrorDetail>;
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
  coordinator: Coordinator | null;
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
