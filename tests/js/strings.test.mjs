// The element's words: every language has every word English has, and each sentence can be made
// from the arguments the views give it (no `undefined`, no throw), plurals included.
import test from 'node:test';
import assert from 'node:assert/strict';
import { STRINGS } from '../../js/calendar/strings.js';

const LANGS = ['de', 'fr', 'es', 'ja'];
const tables = Object.fromEntries(await Promise.all(LANGS.map(async (l) => [l, (await import(`../../js/calendar/locales/${l}.js`)).default])));

// What the views pass: numbers, names and already formatted days and times.
const x = { at: (t) => `[at ${t}]`, time: (t) => `[time ${t}]`, span: (a, b) => `[${a}..${b}]`, list: (l) => l.join('+') };
const facts = {
  service: 'Furnace repair', provider: 'Ana Ortiz', start: '2026-11-24T14:00:00Z', end: '2026-11-24T15:30:00Z',
  booking: 'bk-1', from: '2026-11-24T13:00:00Z', to: '2026-11-24T16:00:00Z', reason: 'dentist', skills: ['gas', 'hvac'],
  zone: 'Europe/Berlin', minutes: 90, earliest: '2026-11-25T08:00:00Z', days: 30, latest: '2026-12-24T00:00:00Z', next: 1,
  seats: 8, left: 2, asked: 3, cap: 6, qualified: 3, resource: 'Van 2', kind: 'van', quantity: 2, short: 1, missing: 'signature',
};
function sample(fn, key) {
  if (key === 'bookingLabel' || key === 'stopLabel') {
    return fn({ service: 'S', clients: 'C', day: 'D', start: '9', end: '10', provider: 'P', status: 'st', risks: 'r', equipment: 'e', n: 2, what: 'W', arrival: 'a', fixed: true });
  }
  return [0, 1, 2, 5].map((n) => fn(...Array.from({ length: Math.max(fn.length, 1) }, (_, i) => (i === 0 && /Day|day|when|Label/.test(key) ? 'Mon' : n))));
}

test('every language has every word and table English has, and no word English lacks', () => {
  for (const [lang, t] of Object.entries(tables)) {
    const missing = Object.keys(STRINGS).filter((k) => !(k in t));
    assert.deepEqual(missing, [], `${lang} lacks`);
    assert.deepEqual(Object.keys(t).filter((k) => !(k in STRINGS)), [], `${lang} has words English lacks`);
    for (const [k, v] of Object.entries(STRINGS)) {
      if (typeof v === 'function') {
        assert.equal(typeof t[k], 'function', `${lang}.${k} is a sentence`);
        assert.equal(t[k].length, v.length, `${lang}.${k} takes what English takes`);
      } else if (typeof v === 'object' && k !== 'codes') {
        assert.deepEqual(Object.keys(t[k]).sort(), Object.keys(v).sort(), `${lang}.${k}`);
      }
    }
  }
});

test('every sentence makes text from what the views pass, in every language and plural', () => {
  for (const [lang, t] of Object.entries({ en: STRINGS, ...tables })) {
    for (const [k, v] of Object.entries(t)) {
      if (typeof v !== 'function') continue;
      for (const out of [sample(v, k)].flat()) {
        assert.equal(typeof out, 'string', `${lang}.${k}`);
        assert.doesNotMatch(out, /undefined|NaN|\[object/, `${lang}.${k}: ${out}`);
      }
    }
    for (const [code, say] of Object.entries(t.violation)) {
      const other = { ...facts, next: 0, booking: undefined, quantity: undefined, item: 'Flue checked' };
      // Whom no provider can take has no provider (SKILL_MISSING for the service as a whole).
      for (const f of [facts, other, ...(code === 'SKILL_MISSING' ? [{ ...facts, provider: undefined }] : [])]) {
        const out = say(f, x);
        if (!out && (code === 'UNKNOWN_ID' || code === 'INVALID_INPUT')) continue; // not a resource's: the code's sentence
        assert.equal(typeof out, 'string', `${lang}.violation.${code}`);
        assert.doesNotMatch(out, /undefined|NaN/, `${lang}.violation.${code}: ${out}`);
      }
    }
  }
});

test('plurals follow the language: German and French say one and many differently, Japanese the same', () => {
  assert.equal(tables.de.seatsLeft(1), '1 Platz frei');
  assert.equal(tables.de.seatsLeft(2), '2 Plätze frei');
  assert.equal(tables.fr.routeSummary(1, 'x'), '1 arrêt, x de conduite');
  assert.equal(tables.fr.routeSummary(2, 'x'), '2 arrêts, x de conduite');
  assert.equal(tables.fr.routeSummary(0, 'x'), '0 arrêt, x de conduite', 'French counts 0 as one');
  assert.equal(STRINGS.routeSummary(0, 'x'), '0 stops, x driving', 'English counts 0 as many');
  assert.equal(tables.ja.dayBookings('月', 1, 0).replace('1', 'n'), tables.ja.dayBookings('月', 5, 0).replace('5', 'n'));
});
