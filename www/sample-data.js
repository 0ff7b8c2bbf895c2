// Sample data for the demo: Northside Heating & Plumbing, six technicians, four services.
// Bookings are laid out over the coming week from whatever day the demo is opened.
const day = [{ start: '08:00', end: '12:00' }, { start: '12:30', end: '17:00' }];
const weekdays = { mon: day, tue: day, wed: day, thu: day, fri: day };

export const company = {
  name: 'Northside Heating & Plumbing',
  timeZone: 'America/New_York',
  providers: [
    { id: 'ana', name: 'Ana Ortiz', area: 'North side', skills: ['hvac', 'gas'], timeZone: 'America/New_York', weeklyHours: weekdays, home: { lat: 40.87, lng: -73.9 } },
    { id: 'ben', name: 'Ben Okafor', area: 'Downtown', skills: ['plumbing'], timeZone: 'America/New_York', weeklyHours: weekdays, home: { lat: 40.71, lng: -74.0 } },
    { id: 'cara', name: 'Cara Lind', area: 'West (works from Chicago)', skills: ['hvac'], timeZone: 'America/Chicago', weeklyHours: weekdays, home: { lat: 41.88, lng: -87.63 } },
    { id: 'dev', name: 'Dev Patel', area: 'Harbor', skills: ['plumbing', 'gas'], timeZone: 'America/New_York', weeklyHours: { ...weekdays, sat: [{ start: '09:00', end: '13:00' }] }, dailyCap: 4, home: { lat: 40.64, lng: -74.07 } },
    { id: 'eve', name: 'Eve Brooks', area: 'East side', skills: ['hvac', 'plumbing'], timeZone: 'America/New_York', weeklyHours: { tue: day, wed: day, thu: day }, home: { lat: 40.75, lng: -73.88 } },
    { id: 'finn', name: 'Finn Walsh', area: 'Airport', skills: ['hvac', 'gas', 'plumbing'], timeZone: 'America/New_York', weeklyHours: { mon: [{ start: '12:00', end: '20:00' }], tue: [{ start: '12:00', end: '20:00' }], thu: [{ start: '12:00', end: '20:00' }], fri: [{ start: '12:00', end: '20:00' }], sat: [{ start: '10:00', end: '16:00' }] }, home: { lat: 40.66, lng: -73.78 } },
  ],
  services: [
    { id: 'furnace-repair', name: 'Furnace repair', durationMinutes: 90, bufferAfterMinutes: 30, requiredSkills: ['gas', 'hvac'], requiredResources: [{ kind: 'van' }], minNoticeMinutes: 120, horizonDays: 60, slotStepMinutes: 30 },
    { id: 'ac-tune-up', name: 'AC tune-up', durationMinutes: 60, bufferAfterMinutes: 15, requiredSkills: ['hvac'], slotStepMinutes: 30, horizonDays: 90 },
    { id: 'drain-cleaning', name: 'Drain cleaning', durationMinutes: 60, bufferAfterMinutes: 15, requiredSkills: ['plumbing'], requiredResources: [{ kind: 'van' }], slotStepMinutes: 30 },
    { id: 'water-heater', name: 'Water heater install', durationMinutes: 180, bufferBeforeMinutes: 30, requiredSkills: ['plumbing', 'gas'], requiredResources: [{ kind: 'van' }], minNoticeMinutes: 2880, slotStepMinutes: 60 },
  ],
  resources: [1, 2, 3, 4].map((n) => ({ id: `van-${n}`, name: `Van ${n}`, kind: 'van' })),
  clients: [
    { id: 'cl-1', name: 'Dana Smith', email: 'dana@example.com', phone: '+1 212 555 0101' },
    { id: 'cl-2', name: 'Eli Jones', email: 'eli@example.com' },
    { id: 'cl-3', name: 'Fay Wu', phone: '+1 718 555 0133', notes: 'Dog in the yard' },
    { id: 'cl-4', name: 'Gus Lee', email: 'gus@example.com' },
    { id: 'cl-5', name: 'Hana Kim', email: 'hana@example.com', timeZone: 'America/Chicago' },
  ],
  // (day offset from tomorrow, local time, service, technician, client)
  week: [
    [0, '08:00', 'furnace-repair', 'ana', 'cl-1'], [0, '10:30', 'ac-tune-up', 'cara', 'cl-2'], [0, '09:00', 'drain-cleaning', 'ben', 'cl-3'],
    [0, '13:00', 'drain-cleaning', 'dev', 'cl-4'], [1, '09:00', 'ac-tune-up', 'ana', 'cl-5'], [1, '14:00', 'furnace-repair', 'finn', 'cl-1'],
    [1, '08:00', 'drain-cleaning', 'eve', 'cl-2'], [2, '11:00', 'drain-cleaning', 'ben', 'cl-3'], [2, '13:00', 'ac-tune-up', 'eve', 'cl-4'],
    [3, '08:30', 'furnace-repair', 'ana', 'cl-5'], [3, '15:00', 'drain-cleaning', 'dev', 'cl-1'], [4, '09:30', 'ac-tune-up', 'cara', 'cl-2'],
    [4, '14:00', 'drain-cleaning', 'finn', 'cl-3'], [5, '10:00', 'drain-cleaning', 'dev', 'cl-4'], [6, '13:00', 'ac-tune-up', 'finn', 'cl-5'],
  ],
};
