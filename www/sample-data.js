// Sample data for the demo: Northside Heating & Plumbing in New York, six technicians, seven
// services (three done at the client's), five vans (each carried by one technician), 65 clients
// with addresses, a week of bookings and a day of 60 work orders, laid out from whatever day the
// demo is opened. Generated clients and orders come from a fixed seed: the same every load.
const day = [{ start: '08:00', end: '12:00' }, { start: '12:30', end: '17:00' }];
const weekdays = { mon: day, tue: day, wed: day, thu: day, fri: day };

// Neighbourhoods the clients live in: [name, borough, latitude, longitude, streets].
const areas = [
  ['Upper West Side', 'Manhattan', 40.787, -73.975, ['W 79th St', 'W 86th St', 'Amsterdam Ave', 'Riverside Dr']],
  ['Harlem', 'Manhattan', 40.811, -73.946, ['W 135th St', 'Lenox Ave', 'Frederick Douglass Blvd']],
  ['Midtown', 'Manhattan', 40.754, -73.984, ['W 44th St', '9th Ave', 'E 39th St']],
  ['Lower East Side', 'Manhattan', 40.715, -73.985, ['Delancey St', 'Orchard St', 'Grand St']],
  ['Park Slope', 'Brooklyn', 40.672, -73.977, ['7th Ave', '5th St', 'Prospect Park W']],
  ['Williamsburg', 'Brooklyn', 40.714, -73.956, ['Bedford Ave', 'Grand St', 'N 7th St']],
  ['Astoria', 'Queens', 40.764, -73.923, ['Ditmars Blvd', '31st St', 'Steinway St']],
  ['Forest Hills', 'Queens', 40.719, -73.845, ['Austin St', '71st Ave', 'Queens Blvd']],
  ['Riverdale', 'Bronx', 40.890, -73.912, ['Johnson Ave', 'W 236th St']],
  ['Hoboken', 'New Jersey', 40.744, -74.032, ['Washington St', 'Hudson St', 'Bloomfield St']],
];
const first = ['Ava', 'Ben', 'Chloe', 'Diego', 'Emma', 'Farah', 'Grace', 'Hugo', 'Iris', 'Jon', 'Kai', 'Lena', 'Maya', 'Noah', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sam', 'Tara'];
const last = ['Adler', 'Brown', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez', 'Moreau', 'Nguyen', 'Okoro', 'Patel'];

export const company = {
  name: 'Northside Heating & Plumbing',
  timeZone: 'America/New_York',
  providers: [
    { id: 'ana', name: 'Ana Ortiz', area: 'Upper Manhattan', skills: ['hvac', 'gas'], timeZone: 'America/New_York', weeklyHours: weekdays, home: { lat: 40.8682, lng: -73.9212, address: 'Inwood, Manhattan' } },
    { id: 'ben', name: 'Ben Okafor', area: 'Downtown', skills: ['plumbing'], timeZone: 'America/New_York', weeklyHours: weekdays, home: { lat: 40.7145, lng: -73.9960, address: 'Chinatown, Manhattan' } },
    { id: 'cara', name: 'Cara Lind', area: 'Jersey City (keeps Chicago hours)', skills: ['hvac'], timeZone: 'America/Chicago', weeklyHours: weekdays, home: { lat: 40.7216, lng: -74.0475, address: 'Jersey City' } },
    { id: 'dev', name: 'Dev Patel', area: 'Brooklyn', skills: ['plumbing', 'gas'], timeZone: 'America/New_York', weeklyHours: { ...weekdays, sat: [{ start: '09:00', end: '13:00' }] }, dailyCap: 8, home: { lat: 40.6782, lng: -73.9442, address: 'Crown Heights, Brooklyn' } },
    { id: 'eve', name: 'Eve Brooks', area: 'Queens', skills: ['hvac', 'plumbing'], timeZone: 'America/New_York', weeklyHours: { tue: day, wed: day, thu: day }, home: { lat: 40.7498, lng: -73.8860, address: 'Jackson Heights, Queens' } },
    { id: 'finn', name: 'Finn Walsh', area: 'Bronx (late shift)', skills: ['hvac', 'gas', 'plumbing'], timeZone: 'America/New_York', weeklyHours: { mon: [{ start: '12:00', end: '20:00' }], tue: [{ start: '12:00', end: '20:00' }], thu: [{ start: '12:00', end: '20:00' }], fri: [{ start: '12:00', end: '20:00' }], sat: [{ start: '10:00', end: '16:00' }] }, home: { lat: 40.8448, lng: -73.8648, address: 'Parkchester, Bronx' } },
  ],
  services: [
    { id: 'furnace-repair', name: 'Furnace repair', durationMinutes: 90, bufferAfterMinutes: 30, requiredSkills: ['gas', 'hvac'], requiredResources: [{ kind: 'van' }], minNoticeMinutes: 120, horizonDays: 60, slotStepMinutes: 30 },
    { id: 'ac-tune-up', name: 'AC tune-up', durationMinutes: 60, bufferAfterMinutes: 15, requiredSkills: ['hvac'], slotStepMinutes: 30, horizonDays: 90, priceMinor: 12900, rateMinor: 9500 },
    { id: 'drain-cleaning', name: 'Drain cleaning', durationMinutes: 60, bufferAfterMinutes: 15, requiredSkills: ['plumbing'], requiredResources: [{ kind: 'van' }], slotStepMinutes: 30, priceMinor: 9900, rateMinor: 8500 },
    { id: 'water-heater', name: 'Water heater install', durationMinutes: 180, bufferBeforeMinutes: 30, requiredSkills: ['plumbing', 'gas'], requiredResources: [{ kind: 'van' }], minNoticeMinutes: 2880, slotStepMinutes: 60 },
    // Done at the client's: visits leave time to drive (the dispatch board plans these).
    { id: 'boiler-service', name: 'Boiler service', durationMinutes: 40, requiredSkills: ['hvac'], slotStepMinutes: 15, onSite: true,
      priceMinor: 14900, rateMinor: 9500,
      // Completing it needs an outcome, the whole checklist and the client's signature.
      checklist: [{ id: 'flue', label: 'Flue gas analysed' }, { id: 'pressure', label: 'Pressure checked' }, { id: 'co', label: 'CO alarm tested' }],
      protocol: [{ status: 'completed', requires: ['outcome', 'checklist', 'signature'] }],
      followUps: [{ id: 'call', kind: 'call', label: 'Satisfaction call', afterDays: 2 }, { id: 'annual', kind: 'visit', label: 'Next annual service', afterMonths: 12 }] },
    { id: 'leak-repair', name: 'Leak repair', durationMinutes: 40, requiredSkills: ['plumbing'], requiredResources: [{ kind: 'van' }], slotStepMinutes: 15, onSite: true, rateMinor: 8500 },
    { id: 'gas-check', name: 'Gas safety check', durationMinutes: 25, requiredSkills: ['gas'], slotStepMinutes: 15, onSite: true, priceMinor: 8900, rateMinor: 9500, responseMinutes: 240 },
  ],
  // Each van goes with one technician: work that needs a van goes to them.
  resources: [['ana', 1], ['ben', 2], ['dev', 3], ['eve', 4], ['finn', 5]].map(([who, n]) => ({ id: `van-${n}`, name: `Van ${n}`, kind: 'van', providerId: who })),
  clients: [
    { id: 'cl-1', name: 'Dana Smith', email: 'dana@example.com', phone: '+1 212 555 0101', location: { lat: 40.7870, lng: -73.9754, address: '210 W 85th St, Manhattan' } },
    { id: 'cl-2', name: 'Eli Jones', email: 'eli@example.com', location: { lat: 40.8116, lng: -73.9465, address: '55 W 125th St, Manhattan' } },
    { id: 'cl-3', name: 'Fay Wu', phone: '+1 718 555 0133', notes: 'Dog in the yard', location: { lat: 40.6872, lng: -73.9418, address: '301 Lewis Ave, Brooklyn' } },
    { id: 'cl-4', name: 'Gus Lee', email: 'gus@example.com', location: { lat: 40.7420, lng: -73.9200, address: '44-02 Queens Blvd, Queens' } },
    { id: 'cl-5', name: 'Hana Kim', email: 'hana@example.com', timeZone: 'America/Chicago', location: { lat: 40.7306, lng: -73.9866, address: '120 E 14th St, Manhattan' } },
    ...generatedClients(),
  ],
  // (day offset from tomorrow, local time, service, technician, client)
  week: [
    [0, '08:00', 'furnace-repair', 'ana', 'cl-1'], [0, '10:30', 'ac-tune-up', 'cara', 'cl-2'], [0, '09:00', 'drain-cleaning', 'ben', 'cl-3'],
    [0, '13:00', 'drain-cleaning', 'dev', 'cl-4'], [1, '09:00', 'ac-tune-up', 'ana', 'cl-5'], [1, '14:00', 'furnace-repair', 'finn', 'cl-1'],
    [1, '08:00', 'ac-tune-up', 'eve', 'cl-2'], [2, '11:00', 'drain-cleaning', 'ben', 'cl-3'], [2, '13:00', 'ac-tune-up', 'eve', 'cl-4'],
    [3, '08:30', 'furnace-repair', 'ana', 'cl-5'], [3, '15:00', 'drain-cleaning', 'dev', 'cl-1'], [4, '09:30', 'ac-tune-up', 'cara', 'cl-2'],
    [4, '14:00', 'drain-cleaning', 'finn', 'cl-3'], [5, '10:00', 'drain-cleaning', 'dev', 'cl-4'], [6, '13:00', 'ac-tune-up', 'finn', 'cl-5'],
  ],
  workOrders: generatedOrders(),
};

/** A fixed-seed generator (mulberry32): the demo's clients and orders are the same every load. */
function seeded(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generatedClients() {
  const r = seeded(2026);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  return Array.from({ length: 60 }, (_, i) => {
    const [area, borough, lat, lng, streets] = areas[i % areas.length];
    return {
      id: `cl-${i + 6}`,
      name: `${pick(first)} ${pick(last)}`,
      phone: `+1 212 555 ${String(1000 + i).slice(-4)}`,
      location: {
        lat: Math.round((lat + (r() - 0.5) * 0.02) * 1e5) / 1e5,
        lng: Math.round((lng + (r() - 0.5) * 0.025) * 1e5) / 1e5,
        address: `${10 + Math.floor(r() * 400)} ${pick(streets)}, ${area}, ${borough}`,
      },
    };
  });
}

/**
 * A day of 60 work orders, one per generated client: [service, window, priority, notes], with
 * windows as local times of the planned day ('08:00-12:00' mornings, '12:30-17:00' afternoons,
 * '08:00-17:00' any time).
 */
function generatedOrders() {
  const r = seeded(13);
  const services = ['boiler-service', 'boiler-service', 'boiler-service', 'leak-repair', 'leak-repair', 'gas-check'];
  const windows = ['08:00-12:00', '12:30-17:00', '08:00-17:00', '08:00-17:00'];
  const notes = [undefined, undefined, 'Call 20 minutes ahead', 'Side entrance', 'Tenant at home after 10', undefined];
  return Array.from({ length: 60 }, (_, i) => ({
    id: `wo-${101 + i}`,
    clientId: `cl-${i + 6}`,
    serviceId: services[Math.floor(r() * services.length)],
    window: windows[Math.floor(r() * windows.length)],
    priority: r() < 0.15 ? 2 : r() < 0.5 ? 1 : 0,
    notes: notes[Math.floor(r() * notes.length)],
  }));
}
