// Keeping the data in the page, in real headless Chromium on 127.0.0.1: a reload keeps the
// bookings, two tabs racing for one slot end with exactly one booking and the same data, ids never
// collide, and a tab killed right after an acknowledged booking leaves it on disk.
import test from 'node:test';
import assert from 'node:assert/strict';
import { open, noBrowser } from './chromium.mjs';

const NOW = '2026-11-23T12:00:00Z';

/** Loads the engine and opens the store `name` in page `p` (as `window.store`). */
async function openIn(p, name) {
  return p.evaluate(async ([name, now]) => {
    const { load } = await import('/pkg/index.js');
    await load();
    const { openStore } = await import('/pkg/persist.js');
    window.store = await openStore({ name, timeZone: 'America/New_York', now });
    const c = window.store.coordinator;
    if (!c.services().some((s) => s.id === 'drain')) {
      await window.store.write((c) => {
        c.upsertProvider({ id: 'ben', name: 'Ben Okafor', skills: ['plumbing'], timeZone: 'America/New_York',
          weeklyHours: { tue: [{ start: '08:00', end: '17:00' }] } });
        c.upsertService({ id: 'drain', name: 'Drain cleaning', durationMinutes: 60, requiredSkills: ['plumbing'] });
      });
    }
    return c.changeVersion();
  }, [name, NOW]);
}

const book = (p, start) => p.evaluate(async (start) => {
  try {
    const b = await window.store.write((c) => c.book({ serviceId: 'drain', start }));
    return b.id;
  } catch (e) {
    return e.code;
  }
}, start);

const snapshot = (p) => p.evaluate(() => window.store.coordinator.snapshot());

test('the page keeps its data: reloads, racing tabs and a killed tab', { skip: noBrowser }, async (t) => {
  const chrome = await open();
  t.after(() => chrome.close());
  const context = await chrome.browser.newContext();
  const page = await context.newPage();
  await page.goto(chrome.url('index.html'));

  await t.test('a reload keeps every booking', async () => {
    await openIn(page, 'reload');
    assert.equal(await book(page, '2026-11-24T09:00'), 'bk-1');
    const before = await snapshot(page);
    await page.reload();
    await openIn(page, 'reload');
    assert.equal(await snapshot(page), before);
    assert.equal(await page.evaluate(() => window.store.coordinator.booking('bk-1').status), 'confirmed');
  });

  await t.test('two tabs race for one slot: exactly one wins, and both see the same data', async () => {
    const other = await context.newPage();
    await other.goto(chrome.url('index.html'));
    await openIn(page, 'race');
    await openIn(other, 'race');
    const results = await Promise.all([book(page, '2026-11-24T10:00'), book(other, '2026-11-24T10:00')]);
    assert.deepEqual([...results].sort(), ['NO_PROVIDER_AVAILABLE', 'bk-1'], results.join(' '));
    // Each tab's next booking gets its own id: the second writer ran on the first one's state.
    const next = await Promise.all([book(page, '2026-11-24T12:00'), book(other, '2026-11-24T14:00')]);
    assert.deepEqual([...next].sort(), ['bk-2', 'bk-3']);
    // The tab that did not write last hears of it within a frame or two.
    await other.waitForFunction(() => window.store.coordinator.changeVersion() === 5);
    await page.waitForFunction(() => window.store.coordinator.changeVersion() === 5);
    assert.equal(await snapshot(page), await snapshot(other));
    await other.close();
  });

  await t.test('a tab killed right after an acknowledged booking leaves it on disk', async () => {
    const doomed = await context.newPage();
    await doomed.goto(chrome.url('index.html'));
    await openIn(doomed, 'killed');
    assert.equal(await book(doomed, '2026-11-24T15:00'), 'bk-1');
    // The renderer crashes: no unload handlers, no goodbye.
    const cdp = await context.newCDPSession(doomed);
    const crashed = doomed.waitForEvent('crash');
    cdp.send('Page.crash').catch(() => {}); // never answered: the renderer is gone
    await crashed;
    await doomed.close().catch(() => {});
    const fresh = await context.newPage();
    await fresh.goto(chrome.url('index.html'));
    await openIn(fresh, 'killed');
    assert.equal(await fresh.evaluate(() => window.store.coordinator.booking('bk-1').start), '2026-11-24T20:00:00Z');
    await fresh.close();
  });

  await t.test('the log is folded into a snapshot and the store still opens whole', async () => {
    const writes = await page.evaluate(async () => {
      const { COMPACT_AFTER } = await import('/pkg/persist.js');
      for (let i = 0; i <= COMPACT_AFTER; i++) {
        await window.store.write((c) => c.upsertClient({ id: `c-${i % 7}`, name: `Client ${i}` }));
      }
      return COMPACT_AFTER + 1;
    });
    assert.ok(writes > 1);
    const before = await snapshot(page);
    await page.reload();
    await openIn(page, 'race');
    assert.equal(await snapshot(page), before);
  });
});

test('a full quota is STORAGE_FULL: the change is not kept and the coordinator is put back', { skip: noBrowser }, async (t) => {
  const chrome = await open({ persistent: true });
  t.after(() => chrome.close());
  const page = await chrome.context.newPage();
  await page.goto(chrome.url('pkg/package.json')); // any page of the origin: nothing else opens a store
  // DevTools' quota override: this origin may keep 300 KB (set before the store opens).
  const cdp = await chrome.context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: chrome.origin, quotaSize: 300_000 });
  await openIn(page, 'full');
  assert.equal(await book(page, '2026-11-24T09:00'), 'bk-1');
  const before = await snapshot(page);
  // A day's bookings with long notes in one write (as an import would make), week after week,
  // until one is refused (Chromium reckons usage against the quota as writes grow).
  const day = (week) => new Date(Date.parse('2026-11-24T12:00:00Z') + week * 7 * 86400e3).toISOString().slice(0, 10);
  let answer; let last = before; let week = 1;
  for (; week < 30; week++) {
    last = await snapshot(page);
    answer = await page.evaluate(async (date) => {
      try {
        await window.store.write((c) => {
          for (let h = 8; h < 17; h++) c.book({ serviceId: 'drain', start: `${date}T${String(h).padStart(2, '0')}:00`, notes: 'gate code and directions '.repeat(380) });
        });
        return 'kept';
      } catch (e) {
        return e.code;
      }
    }, day(week));
    if (answer !== 'kept') break;
  }
  assert.equal(answer, 'STORAGE_FULL', `a write past the quota (week ${week})`);
  assert.equal(await snapshot(page), last, 'the coordinator is put back to what is on disk');
  const kept = await page.evaluate(() => window.store.coordinator.bookings({}).map((b) => b.id));
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: chrome.origin });
  await page.reload();
  await openIn(page, 'full');
  assert.deepEqual(await page.evaluate(() => window.store.coordinator.bookings({}).map((b) => b.id)), kept, 'what was kept, and nothing else');
});

test('a newer version of the page upgrading the store is not blocked by an open tab, and an older page is told to reload', { skip: noBrowser }, async (t) => {
  const chrome = await open();
  t.after(() => chrome.close());
  const context = await chrome.browser.newContext();
  const old = await context.newPage();
  await old.goto(chrome.url('pkg/package.json'));
  await openIn(old, 'upgrade');
  assert.equal(await book(old, '2026-11-24T09:00'), 'bk-1');
  // Another tab opens the database at version 2, as a later release with a new schema would.
  const newer = await context.newPage();
  await newer.goto(chrome.url('pkg/package.json'));
  const upgraded = await newer.evaluate(() => new Promise((resolve) => {
    const r = indexedDB.open('service-coordinator:upgrade', 2);
    r.onblocked = () => resolve('blocked');
    r.onsuccess = () => { r.result.close(); resolve('upgraded'); };
    r.onerror = () => resolve(r.error.name);
  }));
  assert.equal(upgraded, 'upgraded', 'the open tab let go of the database');
  const code = await old.evaluate(() => window.store.write((c) => c.book({ serviceId: 'drain', start: '2026-11-24T10:00' })).then(() => 'kept', (e) => `${e.code}: ${e.message}`));
  assert.match(code, /^STORAGE_FAILED: .*newer version of the page/);
  // This version's page on the upgraded store: a coded error saying to load the page again.
  const reopened = await old.evaluate(async () => {
    const { openStore } = await import('/pkg/persist.js');
    return openStore({ name: 'upgrade' }).then(() => 'opened', (e) => `${e.code}: ${e.message}`);
  });
  assert.match(reopened, /^STORAGE_FAILED: .*newer version of service-coordinator/);
});
