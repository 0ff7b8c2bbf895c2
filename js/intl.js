// The wasm module's time-zone source: the host's own IANA database, through Intl.
// One DateTimeFormat per zone (creating one costs ~80 us, formatting ~6 us); the engine calls
// this only while it builds a zone's transition table, never per slot, and always with the name
// zoneName gave, so spellings of one zone ('america/new_york') share one entry here.
const formats = new Map();

/** The zone's canonical name, or '' if Intl does not know it (nothing is cached for junk). */
export function zoneName(zone) {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return '';
  }
}

export function zoneOffset(zone, ms) {
  let format = formats.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', era: 'short',
        year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      return NaN; // not a zone; not cached, so junk input cannot grow the map
    }
    formats.set(zone, format);
  }
  const p = {};
  for (const { type, value } of format.formatToParts(ms)) p[type] = value;
  const year = p.era === 'BC' || p.era === 'B' ? 1 - p.year : +p.year;
  const wall = Date.UTC(year, p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return (wall - ms) / 1000;
}
