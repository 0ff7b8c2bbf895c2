// Types of `service-coordinator/calendar/booking`: the same element, loading only the booking flow.
export * from '../calendar.js';
