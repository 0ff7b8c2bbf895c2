// Differential test against rrule.js (npm, test-only) on the shared RRULE cases without time
// zones: where rrule.js is right, we must say the same. Its known errors are excluded by name,
// with the reason, and for those we must give the consensus answer instead.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import rrule from 'rrule';
import { load, Coordinator } from '../../pkg/index.js';

const { rrulestr } = rrule;
await load();

// rrule.js 2.8.1 applies BYSETPOS to a different candidate set when BYDAY ordinals meet several
// BYHOUR and BYMINUTE values; libical, python-dateutil and rust-rrule agree with each other (the
// "core" consensus of the shared data) and with us.
const RRULE_JS_WRONG = new Set(['libical:icalrecur_test.txt:583', 'libical:icalrecur_test.txt:590']);

const iso = (basic) => `${basic.slice(0, 4)}-${basic.slice(4, 6)}-${basic.slice(6, 8)}T${basic.slice(9, 11)}:${basic.slice(11, 13)}:${basic.slice(13, 15)}`;

test('our expansion equals rrule.js on every floating core case it gets right', () => {
  const cases = JSON.parse(readFileSync(new URL('../../../shared/data/rrule/cases.json', import.meta.url), 'utf8'));
  const c = new Coordinator({ timeZone: 'UTC' });
  let compared = 0;
  for (const k of cases.filter((k) => k.recommended_tier === 'core' && !k.tzid && k.value_type === 'DATE-TIME' && !k.extra_lines)) {
    const n = k.expected.length + (k.expected_kind === 'all' ? 1 : 0);
    const ours = c.expand({ rrule: k.rrule, dtstart: iso(k.dtstart), limit: n });
    const theirs = rrulestr(`DTSTART:${k.dtstart}Z\nRRULE:${k.rrule}`).all((d, i) => i < n).map((d) => d.toISOString().replace('.000Z', 'Z'));
    if (RRULE_JS_WRONG.has(k.id)) {
      assert.notDeepEqual(theirs, ours, `${k.id}: rrule.js agrees now; drop it from the known errors`);
      assert.deepEqual(ours, k.expected.map((e) => `${iso(e)}Z`), k.id);
    } else {
      assert.deepEqual(ours, theirs, `${k.id} ${k.rrule}`);
    }
    compared++;
  }
  assert.ok(compared > 80, `only ${compared} cases compared`);
});
