// Every word <service-calendar> shows or stores, in English. A host translates the element by
// setting its `strings` property to any subset of these keys (functions get the numbers and the
// already formatted names, days and times they place). Dates, times and zones are formatted by
// Intl in the element's `locale`, not here.
export const STRINGS = {
  // toolbar
  previous: 'Previous period', next: 'Next period', today: 'Today', zone: 'Zone', timeZone: 'Time zone',
  view: 'View', service: 'Service',
  views: { week: 'Week', day: 'Day', 'resource-day': 'Technicians, day', 'resource-week': 'Technicians, week', month: 'Month', agenda: 'Agenda' },
  // what cannot be drawn
  badZone: (zone) => `unknown time zone \`${zone}\``,
  badLocale: (locale) => `\`${locale}\` is not a locale (for example en-US or de-DE)`,
  badDate: (date) => `date \`${date}\` is not a day (YYYY-MM-DD)`,
  // the client's booking flow
  serviceOption: (name, minutes) => `${name} (${minutes} min)`,
  dayFree: (day, n) => `${day}, ${n ? `${n} free ${n === 1 ? 'time' : 'times'}` : 'no free times'}`,
  freeCount: (n) => `${n} free`,
  freeOn: (day) => `Free times on ${day}`,
  freeTimes: 'Free times',
  chooseDay: 'Choose a day',
  yourName: 'Your name', contact: 'Email or phone', notesOptional: 'Notes (optional)',
  confirm: 'Confirm booking', confirming: 'Confirming…',
  waiting: 'Waiting for the booking to be confirmed',
  noFreeTimes: (day) => `${day}: no free times`,
  held: (time, minutes) => `${time} held for ${minutes} minutes. Enter your name and contact to confirm.`,
  requestSent: 'Request sent.',
  booked: (day, time) => `Booked: ${day} at ${time}.`,
  // the console
  status: { held: 'held', tentative: 'tentative', confirmed: 'confirmed', checked_in: 'checked-in', completed: 'completed', cancelled: 'cancelled', no_show: 'no-show' },
  dayBookings: (day, n, risky) => `${day}, ${n} ${n === 1 ? 'booking' : 'bookings'}${risky ? `, ${risky} at risk` : ''}`,
  more: (n) => `+${n} more`,
  bookingLabel: ({ service, clients, day, start, end, provider, status, risks }) =>
    `${service}${clients ? ` for ${clients}` : ''}, ${day}, ${start} to ${end}, ${provider}, ${status}${risks ? `, at risk: ${risks}` : ''}`,
  atRisk: 'at risk',
  noBookingsWeek: 'No bookings in these seven days.',
  cellLabel: (day, time, provider, booking) => `${day}, ${time}${provider ? `, ${provider}` : ''}${booking ? `: ${booking}` : ', free'}`,
  moveLabel: (day, start, end, provider, verdict) => `${day} ${start} to ${end}${provider ? `, ${provider}` : ''}: ${verdict ?? 'free'}`,
  moved: (time) => `Moved to ${time}.`,
  moveCancelled: 'Move cancelled',
  moving: 'Moving. Arrows move by step or day, Shift with Up or Down changes the length, Enter drops, Escape cancels.',
  // dialogs
  close: 'Close',
  when: 'When', technician: 'Technician', client: 'Client', status_: 'Status', equipment: 'Equipment', notes: 'Notes', revision: 'Revision',
  atRiskBecause: (why) => `At risk: ${why}`,
  checkIn: 'Check in', moveByKeyboard: 'Move with keyboard', noShow: 'No-show', cancelBooking: 'Cancel booking', complete: 'Complete',
  isOutThatDay: (provider) => `${provider} is out that day…`,
  history: 'History',
  historyLine: (at, action, reason) => `${at}: ${action.replace('_', ' ')}${reason ? ` (${reason})` : ''}`,
  book: 'Book',
  newBooking: (day, time, provider) => `New booking, ${day} ${time}${provider ? `, ${provider}` : ''}`,
  moveClashes: 'That move clashes', timeClashes: 'That time clashes',
  alternatives: 'Alternatives, best first', rankedAlternatives: 'Ranked alternatives:', noAlternatives: 'No alternatives nearby.',
  proposedMoves: 'Proposed moves',
  unplaced: (id, why) => `${id}: no place found (${why})`,
  applyPlan: 'Apply plan', planApplied: 'Plan applied.',
  outOn: (provider, day) => `${provider} is out on ${day}`,
  planSummary: (moves, unplaced) => (moves || unplaced ? `${moves} moves, ${unplaced} without a place. Nothing changes until you apply.` : 'No booking is affected.'),
  // reasons the element writes into booking history
  reasonMoved: 'moved in the calendar', reasonCancelled: 'cancelled in the calendar',
  reasonAlternative: 'moved to an alternative', reasonOut: 'out sick',
};
