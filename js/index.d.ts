// Types of service-coordinator's JS API. Times are RFC 3339 strings: in, a time with `Z` or an
// offset is an instant, and one without is read in the stated `timeZone` (else the
// coordinator's); out, every instant is UTC (`...Z`). Intervals are half-open [start, end).

/** An RFC 3339 time (`2026-11-24T09:00:00-05:00`, `2026-11-24T14:00:00Z`), a wall time (`2026-11-24T09:00`) or a date (`2026-11-24`). */
export type TimeText = string;
/** A UTC instant as the engine writes it: `2026-11-24T14:00:00Z`. */
export type UtcTime = string;
/** A time of day, `"09:00"`; `"24:00"` ends a day. */
export type ClockTime = string;
/** An IANA time zone name, `"America/New_York"`. */
export type TimeZone = string;

export type ErrorCode =
  | 'OVERLAP' | 'OUTSIDE_WORKING_HOURS' | 'TIME_OFF' | 'SKILL_MISSING' | 'RESOURCE_UNAVAILABLE'
  | 'MIN_NOTICE' | 'BEYOND_HORIZON' | 'DAILY_CAP' | 'SEATS_FULL' | 'TRAVEL_TIME' | 'NO_PROVIDER_AVAILABLE' | 'HOLD_EXPIRED'
  | 'UNKNOWN_ID' | 'DUPLICATE_ID' | 'STALE_REVISION' | 'VERSION_GAP' | 'CHANGES_PRUNED' | 'OUT_OF_STEP'
  | 'STORAGE_UNAVAILABLE' | 'STORAGE_BLOCKED' | 'STORAGE_FULL' | 'STORAGE_FAILED'
  | 'SERVER_UNREACHABLE' | 'SERVER_FAILED' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'TENANT_EXISTS' | 'BUSY' | 'STORE_FAILED' | 'STALE_PLAN' | 'IN_USE' | 'INVALID_TRANSITION'
  | 'PROTOCOL_INCOMPLETE' | 'LOCKED'
  | 'INVALID_INPUT' | 'LOCATION_MISSING' | 'INVALID_JSON' | 'INVALID_TIME' | 'UNKNOWN_TIME_ZONE' | 'END_BEFORE_START'
  | 'INVALID_DURATION' | 'OVERLAPPING_HOURS' | 'RANGE_TOO_LARGE' | 'TOO_LARGE' | 'TOO_MANY_INSTANCES' | 'UNSUPPORTED_VERSION' | 'INVALID_RULE' | 'INVALID_ICALENDAR' | 'INTERNAL';

/** One broken rule, with the ids involved (the booking in the way, the provider, the resource kind...). */
export interface Violation {
  code: ErrorCode;
  /** The sentence in English, with UTC instants: for logs. People read `facts` rendered. */
  message: string;
  ids: string[];
  /** What the sentence names, to say it again in another language and zone (the element's
   * strings table does): present on the booking rules' violations, `NO_PROVIDER_AVAILABLE` and
   * `PROTOCOL_INCOMPLETE`. Instants are UTC (`2026-11-24T14:00:00Z`). */
  facts?: ViolationFacts;
}

/** The facts of a violation; which are present depends on its code. */
export interface ViolationFacts {
  /** Service and provider names; the proposed booking's start and end. */
  service?: string; provider?: string; start?: string; end?: string;
  /** The other booking (OVERLAP, TRAVEL_TIME) and the time it blocks, or the time off (TIME_OFF). */
  booking?: string; from?: string; to?: string; reason?: string;
  /** Skills lacking (SKILL_MISSING); the provider's zone (OUTSIDE_WORKING_HOURS). */
  skills?: string[]; zone?: string;
  /** MIN_NOTICE: minutes of notice and the earliest start; BEYOND_HORIZON: days and the latest;
   * TRAVEL_TIME: minutes of driving, and `next` 1 when the neighbour comes after (no `booking`: home). */
  minutes?: number; earliest?: string; days?: number; latest?: string; next?: number;
  /** SEATS_FULL; DAILY_CAP; NO_PROVIDER_AVAILABLE (qualified providers). */
  seats?: number; left?: number; asked?: number; cap?: number; qualified?: number;
  /** RESOURCE_UNAVAILABLE and resource errors: the resource, its kind, how many are needed and short. */
  resource?: string; kind?: string; quantity?: number; short?: number;
  /** PROTOCOL_INCOMPLETE: what is missing (`outcome`, `signature`, `checklist:<id>`...) and a checklist item's label. */
  missing?: string; item?: string;
}

/** Thrown by every method that refuses. `code` is the first violation's; `details` lists them all. */
export declare class CoordinatorError extends Error {
  readonly name: 'CoordinatorError';
  readonly code: ErrorCode;
  readonly details: Violation[];
}

export interface HoursRange { start: ClockTime; end: ClockTime; }

export interface WeeklyHours {
  mon?: HoursRange[]; tue?: HoursRange[]; wed?: HoursRange[]; thu?: HoursRange[];
  fri?: HoursRange[]; sat?: HoursRange[]; sun?: HoursRange[];
}

/** Replaces the weekly hours on one date; `hours: []` closes it. */
export interface DateOverride { date: string; hours?: HoursRange[]; reason?: string; }

/** Time off (or out of service), may span days. Stored in UTC. */
export interface TimeOff {
  start: TimeText;
  end: TimeText;
  reason?: string;
  /** Resources only: how many units are out (all if left out). */
  quantity?: number;
}

/** A place: coordinates (degrees, WGS 84) drive travel time; `address` is what people read. */
export interface Location { lat: number; lng: number; address?: string; }

/** How driving time is reckoned: great-circle distance times `detour`, at `speedKmh`, rounded up to whole minutes (defaults 1.3 and 40). */
export interface TravelModel { detour?: number; speedKmh?: number; }

/** Hours or time off that repeat: each instance of `rrule` starts a span as long as `start`..`end` (wall times in the owner's zone). */
export interface RecurringSpan { rrule: string; start: TimeText; end: TimeText; reason?: string; }

export interface Provider {
  id: string;
  name: string;
  skills?: string[];
  timeZone: TimeZone;
  weeklyHours?: WeeklyHours;
  dateOverrides?: DateOverride[];
  timeOff?: TimeOff[];
  /** Extra working hours that repeat ("the first Saturday of each month, 09:00-13:00"). */
  recurringHours?: RecurringSpan[];
  /** Time off that repeats ("every other Friday"). */
  recurringTimeOff?: RecurringSpan[];
  /** At most this many bookings a local day (a group session counts once). */
  dailyCap?: number;
  home?: Location;
  /** An hour of billable time, in minor units (cents); a service's own rate comes first. */
  rateMinor?: number;
}

export interface ResourceNeed { kind: string; quantity?: number; }

export interface Service {
  id: string;
  name: string;
  durationMinutes: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  requiredSkills?: string[];
  requiredResources?: ResourceNeed[];
  minNoticeMinutes?: number;
  /** How many days ahead a booking may start; unlimited if left out. */
  horizonDays?: number;
  /** The slot grid on the provider's wall clock; defaults to the duration. */
  slotStepMinutes?: number;
  /** More than 1 for group sessions. */
  seats?: number;
  /** Done at the client's place: a booking needs a location, and leaves its provider time to drive there from the stop before and on to the next (`TRAVEL_TIME`). */
  onSite?: boolean;
  /** Cancelling less than this long before the start is a late cancellation; default 1440 (24 h). */
  cancellationWindowMinutes?: number;
  /** What the visit record ticks off (see `protocol`). */
  checklist?: ChecklistItem[];
  /** What a status change needs in the visit record: `[{ status: 'completed', requires: ['outcome', 'checklist', 'signature'] }]`. */
  protocol?: ProtocolStep[];
  /** What falls due after a completed visit: calls, maintenance visits. */
  followUps?: FollowUpRule[];
  /** A return visit starting within this many days of the visit's end is a recall; default 30. */
  recallDays?: number;
  /** An hour of billable time, in minor units (before the provider's rate). */
  rateMinor?: number;
  /** The service's fixed price on an invoice, a seat, in minor units. */
  priceMinor?: number;
  /** Its colour in calendars, `#rrggbb` (without one, a colour kept by its place in the catalog). */
  color?: string;
  /** The response an urgent job (priority above 0) is promised: started within this many minutes of being booked (the SLA reports measure). */
  responseMinutes?: number;
}

export interface ChecklistItem { id: string; label: string; }

export type Requirement = 'outcome' | 'checklist' | 'signature' | 'actualStart' | 'actualEnd' | 'workNotes' | 'parts';

/** Before a booking may become `status`, its visit record must hold what `requires` lists (else `PROTOCOL_INCOMPLETE`, one violation per thing missing). */
export interface ProtocolStep { status: 'checked_in' | 'completed' | 'no_show' | 'provider_no_show'; requires: Requirement[]; }

/** A call `afterDays` after a completed visit, or a visit of `serviceId` `afterMonths` later; `outcomes` limits it to visits that ended so. */
export interface FollowUpRule {
  id: string;
  kind?: 'call' | 'visit';
  label: string;
  afterDays?: number;
  afterMonths?: number;
  serviceId?: string;
  outcomes?: Outcome[];
  /** Days after the due date before it is overdue; default 0. */
  graceDays?: number;
}

export type Outcome = 'resolved' | 'partially_resolved' | 'needs_follow_up' | 'escalated' | 'not_done';
export type Party = 'client' | 'provider' | 'staff';

/** A part or material used; money in integer minor units. */
export interface Part { item: string; quantity?: number; unitPriceMinor?: number; }

/** The client's signature as drawn: SVG path data in a `width` x `height` box. */
export interface Signature { path: string; width?: number; height?: number; signedBy?: string; /** Set by the engine. */ signedAt?: UtcTime; }

export interface Satisfaction { /** 1-5 */ csat?: number; /** 0-10 */ nps?: number; comment?: string; /** Set by the engine. */ at?: UtcTime; }

/** One setting of a visit's actual times. */
export interface TimeEdit { at: UtcTime; departedAt?: UtcTime; actualStart?: UtcTime; actualEnd?: UtcTime; reason?: string; }

export interface FollowUpDone { rule: string; at: UtcTime; note?: string; }

/** What happened at the visit. */
export interface Visit {
  /** On the way (travel time starts). */
  departedAt?: UtcTime;
  /** Checked in. */
  actualStart?: UtcTime;
  actualEnd?: UtcTime;
  outcome?: Outcome;
  /** Required with `not_done`. */
  outcomeReason?: string;
  workNotes?: string;
  parts?: Part[];
  signature?: Signature;
  /** The ids of the service's checklist items done. */
  checklist?: string[];
  satisfaction?: Satisfaction;
  followUps?: FollowUpDone[];
  timeHistory?: TimeEdit[];
}

/** A change to a visit record: each field given replaces the stored one; times read in `timeZone`. */
export interface VisitUpdate {
  departedAt?: TimeText;
  actualStart?: TimeText;
  actualEnd?: TimeText;
  timeZone?: TimeZone;
  outcome?: Outcome;
  outcomeReason?: string;
  workNotes?: string;
  parts?: Part[];
  signature?: Signature;
  checklist?: string[];
  satisfaction?: Satisfaction;
  expectedRevision?: number;
  /** Why the times changed (kept in `timeHistory`). */
  reason?: string;
}

export interface Resource {
  id: string;
  name: string;
  kind: string;
  quantity?: number;
  timeZone?: TimeZone;
  /** Left out: available around the clock. */
  weeklyHours?: WeeklyHours;
  dateOverrides?: DateOverride[];
  timeOff?: TimeOff[];
  recurringHours?: RecurringSpan[];
  recurringTimeOff?: RecurringSpan[];
  /** Carried by one provider (their van, their kit): only their bookings use it, and the day's plan sends work that needs it to them. */
  providerId?: string;
}

export interface Client {
  id: string;
  name: string;
  email?: string;
  phone?: string;
  /** The postal address as people write it (letters, invoices); `location` is where a technician drives to. */
  address?: string;
  timeZone?: TimeZone;
  notes?: string;
  /** Where on-site visits go unless a booking names its own place. */
  location?: Location;
}

/** `held`: a slot kept for a client filling in the form, until `expiresAt`. */
export type Status = 'held' | 'tentative' | 'confirmed' | 'checked_in' | 'completed' | 'cancelled' | 'late_cancelled' | 'no_show' | 'provider_no_show';

export interface ResourceUse { resourceId: string; quantity?: number; }

export interface HistoryEntry {
  revision: number;
  at: UtcTime;
  action: 'created' | 'held' | 'confirmed' | 'released' | 'rescheduled' | 'status_changed' | 'cancelled' | 'visit_updated' | 'follow_up_done' | 'imported';
  status: Status;
  providerId: string;
  start: UtcTime;
  end: UtcTime;
  reason?: string;
}

export interface Booking {
  id: string;
  serviceId: string;
  clientIds: string[];
  providerId: string;
  resources: Required<ResourceUse>[];
  start: UtcTime;
  end: UtcTime;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** The service's seats when placed, if more than one: a seat of a group session. */
  sessionSeats?: number;
  status: Status;
  priority: number;
  notes?: string;
  revision: number;
  createdAt: UtcTime;
  updatedAt: UtcTime;
  /** A hold's expiry; it blocks no one after this. */
  expiresAt?: UtcTime;
  /** An occurrence of a series: the series, and the start the rule gave it (kept when moved on its own). */
  seriesId?: string;
  recurrenceId?: UtcTime;
  /** Where an on-site visit takes place (the request's, or its first client's when booked). */
  location?: Location;
  /** Who cancelled it (a cancelled or late-cancelled booking). */
  cancelledBy?: Party;
  /** A return visit: the booking it follows up, and the follow-up rule it was booked for (`return` when the job was not resolved). */
  returnOf?: string;
  followUpRule?: string;
  visit?: Visit;
  /** Imported (`importBookings`) over other bookings, as the data had it: their ids. */
  importClashes?: string[];
  history: HistoryEntry[];
}

export interface BookingRequest {
  /** Your id, or left out for a generated one (`bk-1`, ...). */
  id?: string;
  serviceId: string;
  /** Left out: the engine picks a qualified free provider, the least booked that day. */
  providerId?: string;
  clientIds?: string[];
  start: TimeText;
  /** Defaults to start + the service's duration. */
  end?: TimeText;
  timeZone?: TimeZone;
  /** Left out: free resources of the kinds the service needs are assigned. */
  resources?: ResourceUse[];
  status?: 'tentative' | 'confirmed';
  priority?: number;
  notes?: string;
  reason?: string;
  /** For an on-site service: where the visit is; defaults to the first client's location (`LOCATION_MISSING` without either). Refused for services not done on site. */
  location?: Location;
  /** A return visit: the booking it follows up. */
  returnOf?: string;
  /** The follow-up rule of the original's service it is booked for; default `return`. */
  followUpRule?: string;
}

export interface RescheduleChanges {
  start?: TimeText;
  end?: TimeText;
  providerId?: string;
  timeZone?: TimeZone;
  resources?: ResourceUse[];
  /** Refused with STALE_REVISION unless the booking is still at this revision. */
  expectedRevision?: number;
  reason?: string;
}

export interface WriteOptions {
  expectedRevision?: number;
  reason?: string;
  /** Who cancelled (with a cancellation only). */
  by?: Party;
  /** Visit fields written with the status change, all or nothing (a completion's outcome, checklist, signature). */
  visit?: VisitUpdate;
}

export interface HoldOptions { /** 1 to 1440; default 10. */ minutes?: number; }

/** What confirming a hold may add: who is coming (replaces the hold's clients), notes. */
export interface ConfirmHoldDetails { clientIds?: string[]; notes?: string; expectedRevision?: number; reason?: string; }

export interface CheckResult {
  ok: boolean;
  violations: Violation[];
  providerId: string | null;
  start: UtcTime;
  end: UtcTime;
  resources: Required<ResourceUse>[];
}

export interface AvailabilityQuery {
  serviceId: string;
  /** Inclusive. */
  from: TimeText;
  /** Exclusive. At most 366 days after `from`. */
  to: TimeText;
  timeZone?: TimeZone;
  providerIds?: string[];
  /** Also list every grid step a provider cannot take, with the reason codes. */
  explain?: boolean;
  /** For an on-site service: where the visit would be, so every slot leaves time to drive there and on (ignored for other services; without it, slots cannot count driving). */
  location?: Location;
  /** A hold (its id) whose time counts as free: the page's own, so the held time stays listed while the client fills in the form. */
  exceptHold?: string;
}

export interface Slot {
  start: UtcTime;
  end: UtcTime;
  /** The providers who can take this slot, by id. */
  providerIds: string[];
  seatsLeft: number;
}

/** A grid step some providers cannot take, and each one's reasons (the booking rules' codes). */
export interface Unavailable {
  start: UtcTime;
  end: UtcTime;
  providers: { providerId: string; codes: ErrorCode[] }[];
}

export interface Availability {
  slots: Slot[];
  /** Empty unless the query asked to `explain`. */
  unavailable: Unavailable[];
}

export interface ProviderVerdict { providerId: string; ok: boolean; violations: Violation[]; }

/** Why a time can or cannot be booked, per provider. */
export interface Explanation { ok: boolean; providers: ProviderVerdict[]; }

export interface AlternativesOptions {
  /** How many options, 1 to 50 (default 5); at most half go to one provider. */
  limit?: number;
  /** Providers the client would like besides `request.providerId`. */
  preferredProviderIds?: string[];
  /** The time of day the client would like, in the request's zone. */
  window?: HoursRange;
  /** How far either side of the requested time to look, 1 to 60 (default 14). */
  searchDays?: number;
}

/** A feasible option; lower `score` is better (see the README for how it is made). */
export interface Alternative {
  start: UtcTime;
  end: UtcTime;
  providerId: string;
  differs: ('time' | 'provider')[];
  minutesAway: number;
  score: number;
}

export interface FreeBusyQuery {
  from: TimeText;
  to: TimeText;
  timeZone?: TimeZone;
  providerIds?: string[];
  resourceIds?: string[];
}

export interface Span { start: UtcTime; end: UtcTime; }
export interface BusySpan extends Span { bookingId: string; quantity: number; }
export interface FreeBusyLane { id: string; free: Span[]; busy: BusySpan[]; }
export interface FreeBusy { providers: FreeBusyLane[]; resources: FreeBusyLane[]; }

export interface BookingFilter {
  providerId?: string;
  clientId?: string;
  serviceId?: string;
  status?: Status[];
  /** Only past visits nobody has given the outcome of (not completed, no-show or cancelled). */
  unresolved?: boolean;
  from?: TimeText;
  to?: TimeText;
  timeZone?: TimeZone;
  /** `false` leaves each booking's `history` out of the listing (smaller, faster); default true. */
  history?: boolean;
}

export interface BookingIssue { bookingId: string; violations: Violation[]; }

/** One change, as `onChange`, `changesSince` and `applyChanges` carry it: `version` is the
 * state's version once the change is made (1, 2, 3, ... for the life of the data). */
export type Change = { version: number } & (
  | { kind: 'booking'; id: string; before: Booking | null; after: Booking }
  | { kind: 'provider'; id: string; before: Provider | null; after: Provider | null }
  | { kind: 'service'; id: string; before: Service | null; after: Service | null }
  | { kind: 'resource'; id: string; before: Resource | null; after: Resource | null }
  | { kind: 'client'; id: string; before: Client | null; after: Client | null }
  | { kind: 'waitlist'; id: string; before: WaitlistEntry | null; after: WaitlistEntry | null }
  | { kind: 'workOrder'; id: string; before: WorkOrder | null; after: WorkOrder | null }
  | { kind: 'travel'; id: 'travel'; before: Required<TravelModel>; after: Required<TravelModel> }
  | { kind: 'timeEntry'; id: string; before: TimeEntry | null; after: TimeEntry | null }
  | { kind: 'billing'; id: 'billing'; before: Required<Billing>; after: Required<Billing> }
  | { kind: 'series'; id: string; before: Series | null; after: Series });

/** A recurring booking's rule, as `bookSeries` stored it. */
export interface Series {
  id: string;
  rrule: string;
  /** The first occurrence's wall time in `timeZone`. */
  dtstart: TimeText;
  timeZone: string;
  serviceId: string;
}

/** One appointment as a CRM holds it, for `importBookings`. */
export interface ImportRecord {
  id: string;
  serviceId: string;
  providerId: string;
  clientIds?: string[];
  resources?: ResourceUse[];
  start: TimeText;
  /** Default: the start plus the service's duration. */
  end?: TimeText;
  /** The zone of wall times in start and end (default: the coordinator's). */
  timeZone?: string;
  /** As recorded (default confirmed); a hold is refused. */
  status?: Exclude<Status, 'held'>;
  cancelledBy?: Party;
  notes?: string;
  /** When the CRM took the booking (default: now). */
  createdAt?: TimeText;
  location?: Location;
}

/** What `importBookings` did: the bookings loaded, and those loaded over others (kept as the
 * data had them, marked `importClashes` on the booking) with the ids they clash with. */
export interface Imported { imported: number; clashes: { id: string; with: string[] }[]; }

/** What `applyChanges` did: the version reached, changes applied, and changes skipped as
 * already here. */
export interface Applied { version: number; applied: number; skipped: number; }

export type FollowUpState = 'upcoming' | 'due' | 'overdue' | 'booked' | 'done';

/** Which follow-ups to list: due dates in `[from, to)` in `timeZone`; states default to upcoming, due, overdue. At most 10,000 (`TOO_LARGE` beyond). */
export interface FollowUpQuery { from?: TimeText; to?: TimeText; timeZone?: TimeZone; states?: FollowUpState[]; clientId?: string; providerId?: string; }

export interface FollowUp {
  /** `<bookingId>/<rule>` */
  id: string;
  bookingId: string;
  rule: string;
  kind: 'call' | 'visit';
  label: string;
  serviceId: string;
  clientIds: string[];
  providerId: string;
  /** The local date it falls due in `timeZone`. */
  dueOn: string;
  dueAt: UtcTime;
  overdueAt: UtcTime;
  timeZone: TimeZone;
  state: FollowUpState;
  /** The visit booked for it. */
  bookedId?: string;
  done?: FollowUpDone;
  /** For an open visit follow-up: what to pass to `availability`, `alternatives` or `book` (with a start). */
  request?: Omit<BookingRequest, 'start'>;
}

/** Closing a follow-up by hand: the call made (and the client's answer), or the visit not wanted. */
export interface CloseFollowUp { rule: string; note?: string; satisfaction?: Satisfaction; expectedRevision?: number; }

export type EntryKind = 'on_site' | 'travel' | 'admin';

/** A period `[from, to)` read in `timeZone` (default the coordinator's), at most 400 days. */
export interface ReportQuery { from: TimeText; to: TimeText; timeZone?: TimeZone; providerId?: string; }

export interface FhirQuery extends ReportQuery { /** Its free slots in the period come too. */ serviceId?: string; }

export type GroupBy = 'none' | 'provider' | 'service' | 'client' | 'day' | 'week' | 'month';

export interface MetricsQuery {
  from: TimeText;
  to: TimeText;
  timeZone?: TimeZone;
  /** Default monday. */
  weekStart?: 'monday' | 'sunday' | 'saturday';
  groupBy?: GroupBy;
  providerIds?: string[];
  serviceIds?: string[];
}

/** A figure now and in the previous period; `null` is n/a (a zero denominator), never 0. */
export interface Figure {
  value: number | null;
  previous: number | null;
  /** value − previous (a rate's change is in points of a fraction). */
  change: number | null;
  numerator?: number;
  denominator?: number;
  n?: number;
}

export type FigureName =
  | 'scheduled' | 'completed' | 'unresolved' | 'noShowRate' | 'providerNoShowRate' | 'cancelRate' | 'lateCancelRate'
  | 'cancelledByClient' | 'cancelledByProvider' | 'cancelledByStaff' | 'cancelledByUnrecorded' | 'leadTimeMinutes'
  | 'onTimeArrival' | 'scheduleAdherence' | 'durationVarianceMinutes' | 'utilisation' | 'onSiteShare' | 'travelShare'
  | 'onSiteHours' | 'travelHours' | 'capacityHours' | 'firstTimeFixRate' | 'recallRate' | 'timeToResolveMinutes'
  | 'slaCompliance' | 'responseMinutes' | 'csat' | 'csatMean' | 'nps' | 'billableHours' | 'billableHoursRaw' | 'revenueMinor';

export interface MetricsGroup { key: string; label: string; figures: Record<FigureName, Figure>; }

export interface MetricsReport {
  from: UtcTime;
  to: UtcTime;
  previous: { from: UtcTime; to: UtcTime };
  timeZone: TimeZone;
  weekStart: 'monday' | 'sunday' | 'saturday';
  groupBy: GroupBy;
  currency: string;
  total: MetricsGroup;
  groups: MetricsGroup[];
  /** Visits due (completed or a no-show of either side) and client no-shows by local hour of the booked start. */
  byHour: { hour: number; visits: number; noShows: number }[];
}

export interface TimesheetLine {
  providerId: string;
  bookingId?: string;
  kind: EntryKind;
  /** The local date (in the query's zone). */
  day: string;
  billable: boolean;
  rateMinor: number;
  rawMinutes: number;
  roundedMinutes: number;
  amountMinor: number;
  entryIds: string[];
}

export type InvoiceLine =
  | { kind: 'service' | 'part'; description: string; quantity: number; unitPriceMinor: number; amountMinor: number }
  | { kind: 'time'; description: string; rawMinutes: number; roundedMinutes: number; rateMinor: number; amountMinor: number };

/** FHIR R4 resources as the engine writes them (see the README's mapping); fields beyond these follow the R4 specification. */
export interface FhirResource {
  resourceType: 'Appointment' | 'Encounter' | 'Schedule' | 'Slot';
  id: string;
  status?: string;
  identifier?: { system: string; value: string }[];
  [field: string]: unknown;
}

export interface FhirBundle { resourceType: 'Bundle'; type: 'collection'; timestamp: UtcTime; entry: { resource: FhirResource }[]; }

export interface Invoice { bookingId: string; currency: string; lines: InvoiceLine[]; totalMinor: number; }

/** How billable time is rounded: to `unitMinutes` by `mode`, at least `minimumMinutes`, per entry, visit or day. */
export interface Rounding { unitMinutes?: number; mode?: 'none' | 'nearest' | 'up' | 'down'; minimumMinutes?: number; per?: 'entry' | 'visit' | 'day'; }

export interface Billing {
  /** ISO 4217 (`EUR`); amounts are in its minor units. */
  currency?: string;
  rounding?: Rounding;
  /** Whether new entries of each kind are billable unless said otherwise (travel: yes, admin: no). */
  travelBillable?: boolean;
  adminBillable?: boolean;
}

/** A stretch of a provider's work. Approved entries are locked (`LOCKED`): corrected by a reversing entry and a new one. */
export interface TimeEntry {
  id: string;
  bookingId?: string;
  providerId: string;
  kind: EntryKind;
  start: UtcTime;
  end: UtcTime;
  billable: boolean;
  /** An hour's rate when the entry was made, in minor units. */
  rateMinor: number;
  approved?: boolean;
  approvedAt?: UtcTime;
  /** The entry this one reverses (its time counts negative). */
  reverses?: string;
  note?: string;
  createdAt: UtcTime;
}

/** A new entry, or a draft's change. With `bookingId`, start and end default to the visit's actual times (travel: `departedAt` to the actual start). */
export interface TimeEntryInput {
  id?: string;
  bookingId?: string;
  providerId?: string;
  kind?: EntryKind;
  start?: TimeText;
  end?: TimeText;
  timeZone?: TimeZone;
  billable?: boolean;
  rateMinor?: number;
  note?: string;
}

/** A provider unavailable for a while (sick, vehicle broken), or a resource (some units) out of service. */
export type Disruption = {
  start: TimeText;
  end: TimeText;
  timeZone?: TimeZone;
  reason?: string;
  /** How far from a broken booking to look for a new time, 1 to 60 days (default 7). */
  searchDays?: number;
} & ({ providerId: string; resourceId?: never; quantity?: never } | { resourceId: string; quantity?: number; providerId?: never });

export interface Placement { providerId: string; start: UtcTime; end: UtcTime; }

export interface Move {
  bookingId: string;
  from: Placement;
  to: Placement;
  resources: Required<ResourceUse>[];
  timeChanged: boolean;
  providerChanged: boolean;
  shiftMinutes: number;
}

/** Where an urgent job goes, and the bookings it bumps (their new places are the plan's moves). */
export interface UrgentPlacement {
  serviceId: string;
  priority: number;
  place: Placement;
  resources: Required<ResourceUse>[];
  bumped: string[];
}

/** A job that must start by a deadline ("on site within 4 hours"); `priority` decides whom it may bump. */
export type UrgentRequest = Omit<BookingRequest, 'start' | 'end' | 'status'> & {
  /** The latest start. */
  deadline: TimeText;
  /** How far from a bumped booking to look for its new time, 1 to 60 days (default 7). */
  searchDays?: number;
};

/** A plan to preview: every broken or bumped booking is either moved or listed as unplaced, with why. */
export interface RepairPlan {
  id: string;
  /** Repair plans: what broke. */
  disruption?: Omit<Disruption, 'timeZone' | 'searchDays'>;
  /** Urgent plans: where the job goes and whom it bumps (unplaced bumped bookings are cancelled on apply). */
  urgent?: UrgentPlacement;
  moves: Move[];
  unplaced: { bookingId: string; reason: Violation }[];
  /** Lower is better: first the clients whose time changes, then the total shift. */
  score: { clientsTimeChanged: number; totalShiftMinutes: number; unplaced: number };
}

/** A client waiting for a service. */
export interface WaitlistEntry {
  /** Yours, or generated (`wl-1`, ...). */
  id?: string;
  serviceId: string;
  clientIds?: string[];
  /** When the client could come; stored in UTC. */
  windows: { start: TimeText; end: TimeText }[];
  preferredProviderIds?: string[];
  /** Higher goes first; then who waited longer. */
  priority?: number;
  /** Defaults to now. */
  joinedAt?: TimeText;
  /** The zone the windows are read in (defaults to the coordinator's). */
  timeZone?: TimeZone;
  notes?: string;
}

/** Work that needs a technician, a time and a place; the day's plan books it (`bookingId`). */
export interface WorkOrder {
  /** Yours, or generated (`wo-1`, ...); not starting with `booking:` or `visit:`. */
  id?: string;
  serviceId: string;
  clientIds?: string[];
  /** Where the work is; defaults to the first client's location (an on-site service needs one). */
  location?: Location;
  /** When the visit may start (promised arrival windows), 1 to 100; stored in UTC. */
  windows: { start: TimeText; end: TimeText }[];
  /** Overrides the service's duration. */
  durationMinutes?: number;
  /** Placed before lower ones when not every order fits. */
  priority?: number;
  /** When it must be finished. */
  deadline?: TimeText;
  /** Only this technician. */
  providerId?: string;
  /** Another may do it, at a cost. */
  preferredProviderId?: string;
  /** The zone windows and deadline are read in (defaults to the coordinator's). */
  timeZone?: TimeZone;
  notes?: string;
  /** Set when a plan books it. */
  bookingId?: string;
}

/** Which day to plan. */
export interface DayQuery {
  date: string;
  timeZone?: TimeZone;
  /** Only these technicians (default: all who work that day). */
  providerIds?: string[];
  /** Let the plan move visits already booked from work orders (not started ones), starting from the routes as they stand. */
  replan?: boolean;
  /** One more visit to place, asked about and not stored ("where can this go?"): its job is `visit:new`; its windows default to the whole day. */
  visit?: Omit<WorkOrder, 'id' | 'bookingId' | 'windows'> & { windows?: WorkOrder['windows'] };
}

/** The route solver's problem for a day, built from the state (`service-coordinator/dispatch` solves it). */
export interface DayProblem {
  /** The state's version: a commit after anything changed is STALE_PLAN. */
  version: number;
  from: UtcTime;
  to: UtcTime;
  problem: import('./dispatch.js').Problem;
  /** The routes as they stand, for a re-plan (`solve(problem, { plan })`). */
  plan: import('./dispatch.js').GivenPlan | null;
  /** The work orders in the problem. */
  workOrders: string[];
  /** Open work orders of the day left out: every window has passed or is inside the service's notice (`MIN_NOTICE`), or lies past its horizon (`BEYOND_HORIZON`). */
  skipped: { workOrderId: string; code: 'MIN_NOTICE' | 'BEYOND_HORIZON' }[];
  /** Technicians left out: bookings of theirs that day break a rule where they stand (repair them first). */
  blocked: { providerId: string; bookingIds: string[] }[];
}

/** A slot for a waiting client, bookable as it stands (nothing is booked). */
export interface WaitlistOffer {
  entryId: string;
  serviceId: string;
  clientIds: string[];
  providerId: string;
  start: UtcTime;
  end: UtcTime;
}

export interface SeriesOptions {
  /** Book only the occurrences that pass (default: all or nothing). */
  bookableOnly?: boolean;
  /** Alternatives offered per occurrence that cannot be booked, 0 to 10 (default 3). */
  alternatives?: number;
}

export interface Occurrence {
  start: UtcTime;
  end: UtcTime;
  ok: boolean;
  violations: Violation[];
  alternatives: Alternative[];
  /** Set when booked. */
  bookingId?: string;
}

export interface SeriesResult { seriesId: string; occurrences: Occurrence[]; }
/** What `checkSeries` finds: each occurrence's verdict, nothing booked. */
export interface SeriesCheck { occurrences: Omit<Occurrence, 'bookingId'>[]; }

/** Which occurrences a series change touches (one occurrence: use reschedule or cancel on its booking). */
export interface SeriesChange {
  scope?: 'all' | 'this_and_following';
  /** With this_and_following: the first occurrence's recurrenceId. */
  from?: TimeText;
  /** rescheduleSeries: move each occurrence by this many minutes. */
  shiftMinutes?: number;
  /** rescheduleSeries: move them to this provider. */
  providerId?: string;
  reason?: string;
}

export interface ImportOptions {
  /** Whose calendar this is. */
  providerId: string;
  /** Recurring events are taken as their instances within this many days from now (default 365). */
  horizonDays?: number;
  /** All or nothing: a component that cannot be read, or a line passed over, refuses the file
   * (`INVALID_ICALENDAR`, every problem in `details`). Default: it is left out and reported. */
  strict?: boolean;
}

/** A component the import left out. `reason`: the calendar says the time is not busy
 * (`CANCELLED`, `TRANSPARENT`), it has no start (`NO_DTSTART`), or the code of what could not be
 * read (`INVALID_TIME`, `UNKNOWN_TIME_ZONE`, `INVALID_DURATION`, `INVALID_RULE`,
 * `END_BEFORE_START`, `INVALID_ICALENDAR` for an unreadable line of a property it needs). */
export interface ImportSkip {
  line: number;
  component: 'VEVENT' | 'VFREEBUSY' | 'VAVAILABILITY' | 'AVAILABLE';
  uid?: string;
  reason: 'CANCELLED' | 'TRANSPARENT' | 'NO_DTSTART' | 'INVALID_TIME' | 'UNKNOWN_TIME_ZONE' | 'INVALID_DURATION' | 'INVALID_RULE' | 'END_BEFORE_START' | 'INVALID_ICALENDAR';
  message: string;
}

/** What an import added and left out. */
export interface ImportSummary {
  /** Events imported, each one or more busy spans. */
  events: number;
  /** Busy spans added: events' instances and free/busy periods. */
  busy: number;
  /** Dates given working hours by VAVAILABILITY. */
  availableDates: number;
  /** Components left out (`skips.length`). */
  skipped: number;
  skips: ImportSkip[];
  /** Passed over without leaving anything out: an unreadable line the import does not use, a
   * misspelt END, a VTIMEZONE that cannot be read (its TZID read as a zone name). */
  notes: { line: number; message: string }[];
}

/** What to export: bookings (filtered as `bookings` filters them) and, optionally, providers' busy time. */
export interface ExportQuery { bookings?: BookingFilter; freeBusy?: FreeBusyQuery; }

/** A recurrence to expand (RFC 5545 RRULE). */
export interface ExpandQuery {
  /** `FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=10` (an `RRULE:` prefix is allowed). */
  rrule: string;
  /** The first occurrence, a wall time (or a date, for all-day series) in `timeZone`. */
  dtstart: TimeText;
  timeZone?: TimeZone;
  /** Only instances in `[from, to)`; without COUNT the expansion starts here, not at DTSTART. */
  from?: TimeText;
  to?: TimeText;
  /** At most this many instances: 1 to 100000, default 1000. */
  limit?: number;
  exdates?: TimeText[];
  rdates?: TimeText[];
}

export interface ParsedRule {
  /** The rule printed back in its canonical form. */
  rrule: string;
  freq: 'YEARLY' | 'MONTHLY' | 'WEEKLY' | 'DAILY' | 'HOURLY' | 'MINUTELY' | 'SECONDLY';
  interval: number;
  count?: number;
}

export type Clock = string | number | Date;

export interface CoordinatorOptions {
  /** A fixed time, or a function the engine asks for the time; defaults to the system clock. */
  now?: Clock | (() => Clock);
  /** The zone wall times without offset are read in; defaults to "UTC". */
  timeZone?: TimeZone;
}

/** Loads the wasm engine once; await it before the first `new Coordinator()`. */
/** Loads the engine once. `{ build: 'booking' }`: the booking page's smaller build (availability, holds, booking, the catalog). */
export declare function load(source?: BufferSource | WebAssembly.Module | URL | string | Response | { build: 'booking' | 'console' }): Promise<void>;
/** Sets the heap budget all coordinators share, in bytes (default 2 GiB); past it a call faults with INTERNAL and `snapshot()` keeps the state. */
export declare function setHeapLimit(bytes?: number): void;
/** The heap in use by all coordinators, its budget, and the wasm memory (its high-water mark: it never shrinks), in bytes. */
export declare function heapUsage(): { used: number; limit: number; memory: number };
/** Removed records that past bookings still name. */
export interface Archived {
  providers: Provider[];
  services: Service[];
  resources: Resource[];
  clients: Client[];
}

export declare class Coordinator {
  constructor(options?: CoordinatorOptions);
  static restore(snapshot: string | object, options?: { now?: Clock | (() => Clock) }): Coordinator;

  /** The coordinator's clock, in milliseconds since the epoch: the `now` its calls use. */
  now(): number;
  upsertProvider(provider: Provider): Provider;
  upsertService(service: Service): Service;
  upsertResource(resource: Resource): Resource;
  upsertClient(client: Client): Client;
  /** Sets how driving time is reckoned, for the travel rule and the dispatch problem alike. */
  setTravel(travel: TravelModel): Required<TravelModel>;
  travel(): Required<TravelModel>;
  removeProvider(id: string): void;
  removeService(id: string): void;
  removeResource(id: string): void;
  removeClient(id: string): void;
  providers(): Provider[];
  services(): Service[];
  resources(): Resource[];
  clients(): Client[];
  /** Removed providers, services, resources and clients that past bookings still name. */
  archived(): Archived;

  availability(query: AvailabilityQuery): Availability;
  freeBusy(query: FreeBusyQuery): FreeBusy;
  check(request: BookingRequest): CheckResult;
  /** Every provider's verdict on a request (or the named provider's), with every reason. */
  explain(request: BookingRequest): Explanation;
  /** Ranked feasible options near a request, each bookable as it stands. */
  alternatives(request: BookingRequest, options?: AlternativesOptions): Alternative[];
  book(request: BookingRequest): Booking;
  /** Keeps a slot from everyone else until it expires (same rules as `book`). */
  hold(request: Omit<BookingRequest, 'status'>, options?: HoldOptions): Booking;
  /** Books a held slot, atomically: refused with HOLD_EXPIRED, or with the rules that now fail. */
  confirmHold(id: string, details?: ConfirmHoldDetails): Booking;
  releaseHold(id: string, options?: WriteOptions): Booking;
  /** Works out how to repair the schedule after a disruption; changes nothing. */
  planRepair(disruption: Disruption): RepairPlan;
  /** Every occurrence of a series (the request is the first; the rule needs COUNT or UNTIL), checked together. */
  /** Checks every occurrence (changes nothing, so it names no series and no bookings). */
  checkSeries(request: Omit<BookingRequest, 'id' | 'end'>, rrule: string, options?: SeriesOptions): SeriesCheck;
  bookSeries(request: Omit<BookingRequest, 'id' | 'end'>, rrule: string, options?: SeriesOptions): SeriesResult;
  /** Cancels all occurrences, or this and the following ones, atomically. */
  cancelSeries(seriesId: string, change?: SeriesChange): Booking[];
  /** Moves all occurrences, or this and the following ones, atomically: if one cannot move, none does. */
  rescheduleSeries(seriesId: string, change: SeriesChange): Booking[];
  /** Bookings as VEVENTs (stable UID, SEQUENCE per revision, STATUS:CANCELLED when cancelled), and VFREEBUSY. */
  exportICalendar(query?: ExportQuery): string;
  /** A provider's calendar as busy time and hours; a bad line is INVALID_ICALENDAR naming it, and nothing is imported. */
  importICalendar(text: string, options: ImportOptions): ImportSummary;
  parseRule(rrule: string): ParsedRule;
  /** The instants of a recurrence, in UTC; a time in a DST gap moves forward by the gap. */
  expand(query: ExpandQuery): UtcTime[];
  waitlistAdd(entry: WaitlistEntry): Required<Omit<WaitlistEntry, 'timeZone' | 'notes'>> & { notes?: string };
  waitlistRemove(id: string): void;
  waitlist(): WaitlistEntry[];
  /** Which waiting client gets which slot now: by priority, then waiting time. */
  waitlistOffers(): WaitlistOffer[];
  /** Fits an urgent job in by its deadline: the earliest free start, else bumping only lower-priority bookings. */
  planUrgent(request: UrgentRequest): RepairPlan;
  /** Applies a plan, all or nothing; STALE_PLAN if the schedule changed after it was made. */
  applyPlan(planId: string): RepairPlan;
  upsertWorkOrder(order: WorkOrder): WorkOrder & { id: string };
  removeWorkOrder(id: string): void;
  workOrders(): (WorkOrder & { id: string })[];
  /** The solver's problem for a day: shifts from working hours (home to home), breaks, existing bookings as fixed stops, open work orders as jobs. */
  dayProblem(query: DayQuery): DayProblem;
  /** Books a solved plan (or one placement) all or nothing, through every rule; STALE_PLAN if anything changed since `day` was made. A booked work order the plan leaves out (a re-plan that could not keep it) is unbooked: its booking cancelled, the order open again. Answers the bookings made, moved and cancelled. */
  commitDayPlan(day: DayProblem, plan: import('./dispatch.js').GivenPlan & { unassigned?: ({ job: string } | string)[] }): Booking[];
  reschedule(id: string, changes?: RescheduleChanges): Booking;
  /** Cancels; inside the service's cancellation window (or after the start) the booking becomes `late_cancelled`. `by` says who. */
  cancel(id: string, options?: WriteOptions): Booking;
  /** Moves a booking along its life; `options.visit` is written with it, and the service's protocol for the new status must hold (`PROTOCOL_INCOMPLETE`). Check-in records the actual start, completing a checked-in visit the actual end. */
  setStatus(id: string, status: Status, options?: WriteOptions): Booking;
  /** Writes the visit record (console build): actual times with history, outcome, notes, parts, signature, checklist, satisfaction. */
  updateVisit(id: string, update: VisitUpdate): Booking;
  /** The follow-ups of completed visits, by due date (console build). */
  followUps(query?: FollowUpQuery): FollowUp[];
  /** Closes a follow-up by hand, with a note and the client's answer (console build). */
  closeFollowUp(bookingId: string, close: CloseFollowUp): Booking;
  setBilling(billing: Billing): Required<Billing>;
  billing(): Required<Billing>;
  timeEntries(): TimeEntry[];
  addTimeEntry(entry: TimeEntryInput): TimeEntry;
  /** Changes a draft (`LOCKED` once approved). */
  updateTimeEntry(id: string, change: TimeEntryInput): TimeEntry;
  /** Removes a draft (`LOCKED` once approved). */
  removeTimeEntry(id: string): void;
  /** Approves entries, all or none; each is then locked. */
  approveTimeEntries(ids: string[]): TimeEntry[];
  /** Corrects an approved entry: returns the reversing entry (approved) and the new draft. */
  correctTimeEntry(id: string, change: TimeEntryInput): [TimeEntry, TimeEntry];
  /** Service delivery metrics of a period (at most 400 days) beside the previous one (console build); the README's table defines each. */
  metrics(query: MetricsQuery): MetricsReport;
  /** Time entries starting in the period, rounded by the billing rule, raw and rounded side by side. */
  timesheet(query: ReportQuery): TimesheetLine[];
  /** A visit's invoice lines: the service's price a seat (once completed), parts, billable time. */
  invoice(bookingId: string): Invoice;
  /** The bookings starting in the period as RFC 4180 CSV, one row per booking; text cells neutralised against formula injection. */
  visitsCsv(query: ReportQuery): string;
  /** A FHIR R4 Bundle of Appointments, Encounters, Schedules, Slots and the waitlist; the status mapping is in the README. */
  fhir(query: FhirQuery): FhirBundle;
  /** Replaces the state with a snapshot's (null: empty, in the same zone), keeping listeners
   * and clock; listeners hear nothing of it. */
  replaceState(snapshot: string | object | null): void;
  /** The state's version: how many changes it has seen (a snapshot carries it). */
  changeVersion(): number;
  /** The changes after `version`, oldest first; VERSION_GAP when `version` is ahead of this copy,
   * CHANGES_PRUNED when they are no longer kept (the latest 2,000 are): restore from a snapshot. */
  changesSince(version: number): Change[];
  /** Another copy's changes, in order, each once (a version already here is skipped; a fork is
   * OUT_OF_STEP), all or nothing; a gap is VERSION_GAP. At most 5,000 a call. */
  applyChanges(changes: Change[]): Applied;
  /** Loads a CRM's appointments as they are: past and completed ones without client rules,
   * statuses as recorded, ids kept, clashes kept and listed; all or nothing (each refused record
   * is a detail naming it). At most 5,000 a call. Console build. */
  importBookings(records: ImportRecord[]): Imported;
  booking(id: string): Booking;
  bookings(filter: BookingFilter & { history: false }): Omit<Booking, 'history'>[];
  bookings(filter?: BookingFilter): Booking[];
  /** The zone wall times without an offset are read in (the constructor's `timeZone`, or UTC). */
  readonly timeZone: TimeZone;
  /** What `reschedule(id, changes)` would break, state unchanged (a drag checks each position). */
  checkReschedule(id: string, changes?: RescheduleChanges): CheckResult;
  /** Live bookings (tentative, confirmed, not over) that break a rule where they stand. */
  atRisk(filter?: BookingFilter): BookingIssue[];

  snapshot(): string;
  onChange(listener: (change: Change) => void): () => void;
}
