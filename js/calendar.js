// `service-coordinator/calendar`: <service-calendar> with both of its modes, the client's booking
// flow and the coordinator's console. A booking page that needs only the first imports
// `service-coordinator/calendar/booking` instead (the console is then fetched only if asked for).
import './calendar/booking.js';
import './calendar/console.js';
export { ServiceCalendar, defineServiceCalendar } from './calendar/element.js';
