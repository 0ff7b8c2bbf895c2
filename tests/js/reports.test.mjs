// The console's reports in real headless Chromium, on the demo company with three months of past
// visits replayed through the engine (clock fixed at Monday 2026-11-23, 07:00 in New York): the
// figures are the engine's, each chart has a title, a description and its table, the CSV
// downloads, axe-core finds nothing in either theme, and screenshots at desk and phone widths.
import test from 'node:test';
import assert from 'node:assert/strict';
import { open, noBrowser } from './chromium.mjs';

const NOW = '2026-11-23T12:00:00Z';
const AXE = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname;

let chrome;
test.before(async () => { if (!noBrowser) chrome = await open(); });
test.after(async () => { await chrome?.close(); });

async function reports({ width = 1280, height = 1400 } = {}) {
  const p = await chrome.browser.newPage({ viewport: { width, height }, acceptDownloads: true });
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e));
  await p.goto(chrome.url(`console.html?now=${NOW}&view=reports`));
  await p.waitForFunction(() => window.demo?.cal?.shadowRoot?.querySelector('.reports'), null, { timeout: 60000 });
  return p;
}
const cal = (p) => p.locator('service-calendar');

async function axe(p, what) {
  await p.addScriptTag({ path: AXE });
  const { violations } = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${what}`);
}

test('the month in figures: cards from the engine, charts with their tables, the CSV', { skip: noBrowser }, async () => {
  const p = await reports();
  const shown = await p.evaluate(() => {
    const root = window.demo.cal.shadowRoot;
    const m = window.demo.coordinator.metrics({ from: '2026-11-01', to: '2026-11-24', timeZone: window.demo.cal.timeZone });
    return {
      title: root.querySelector('.report-title').textContent,
      cards: [...root.querySelectorAll('.kpi')].map((k) => [k.querySelector('.kpi-name').textContent, k.querySelector('.kpi-value').textContent]),
      completed: m.total.figures.completed.value,
      scheduled: m.total.figures.scheduled.value,
      charts: [...root.querySelectorAll('svg.chart')].map((s) => [s.getAttribute('role'), !!s.querySelector('title')?.textContent, !!s.querySelector('desc')?.textContent]),
      tables: root.querySelectorAll('table.figures').length,
      leaders: root.querySelectorAll('.leaderboard tbody tr').length,
      weeks: [...root.querySelectorAll('table.figures')[0].querySelectorAll('tbody th')].map((th) => th.textContent),
      ticks: [...root.querySelectorAll('svg.chart')[0].querySelectorAll('text.tick')].map((t) => t.textContent),
    };
  });
  // A month under way is reported to date (the clock says Monday the 23rd).
  assert.equal(shown.title, 'Service report, November 2026 to Nov 23, 2026');
  assert.ok(shown.scheduled > 100, `the demo's past: ${shown.scheduled} visits this month`);
  assert.equal(shown.cards.length, 12);
  assert.deepEqual(shown.cards[0], ['Completed', String(shown.completed)]);
  assert.ok(shown.cards.every(([, v]) => !/NaN|undefined/.test(v)), JSON.stringify(shown.cards));
  assert.deepEqual(shown.charts, [['img', true, true], ['img', true, true], ['img', true, true]]);
  assert.equal(shown.tables, 3);
  assert.equal(shown.leaders, 6);
  // Twelve whole weeks before this one (Monday the 23rd has only begun), each from its Monday,
  // a date written as such in New York, not a day early (a date read as midnight UTC is the
  // evening before there).
  assert.deepEqual([shown.weeks[0], shown.weeks.at(-1), shown.weeks.length], ['Mon, Aug 31', 'Mon, Nov 16', 12]);
  assert.ok(shown.weeks.every((w) => w.startsWith('Mon, ')), shown.weeks.join(' | '));
  assert.ok(shown.ticks.includes('Aug 31') && !shown.ticks.includes('Aug 30'), shown.ticks.join(' | '));
  const download = p.waitForEvent('download');
  await cal(p).getByRole('button', { name: 'Download CSV' }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), 'visits-2026-11.csv');
  // The month before, by the toolbar: its own figures.
  await cal(p).getByRole('button', { name: 'Previous period' }).click();
  await p.waitForFunction(() => window.demo.cal.shadowRoot.querySelector('.report-title')?.textContent.includes('October'));
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('axe-core finds no violations on the reports; screenshots at 1280 and 360 px in both themes', { skip: noBrowser }, async () => {
  for (const theme of ['light', 'dark']) {
    const p = await reports();
    await p.evaluate((t) => window.demo.setTheme(t), theme);
    await axe(p, `reports (${theme})`);
    await p.screenshot({ path: `test-artifacts/reports-${theme}.png`, fullPage: true });
    await p.emulateMedia({ media: 'print' });
    await p.screenshot({ path: `test-artifacts/reports-print-${theme}.png`, fullPage: true });
    await p.close();
    const narrow = await reports({ width: 360, height: 800 });
    await narrow.evaluate((t) => window.demo.setTheme(t), theme);
    assert.ok(await narrow.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways page scroll at 360 px');
    await axe(narrow, `reports at 360 px (${theme})`);
    await narrow.screenshot({ path: `test-artifacts/reports-360px-${theme}.png`, fullPage: true });
    await narrow.close();
  }
});

test('the visit record: the protocol says what is missing, a signature drawn on the pad completes it', { skip: noBrowser }, async () => {
  for (const width of [1280, 360]) {
    const p = await reports({ width, height: 1000 });
    // A boiler service of last week nobody closed (the demo's past leaves a few unresolved).
    const b = await p.evaluate(() => {
      const [x] = window.demo.coordinator.bookings({ unresolved: true, serviceId: 'boiler-service' });
      window.demo.cal.view = 'day';
      window.demo.cal.date = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(x.start));
      return x;
    });
    const card = cal(p).locator(`.ev[data-id="${b.id}"]`);
    await card.click();
    await cal(p).getByRole('button', { name: 'Visit record…' }).click();
    const form = cal(p).locator('form.visit');
    await form.waitFor();
    await form.getByLabel('Outcome').selectOption('resolved');
    await form.getByLabel('Work notes').fill('Replaced the thermocouple.');
    await form.getByRole('checkbox', { name: 'Flue gas analysed' }).check();
    await form.getByRole('button', { name: 'Save and complete' }).click();
    // Refused: two checklist items and the signature are missing; nothing was written.
    await cal(p).locator('form.visit .msg.error').waitFor();
    assert.match(await cal(p).locator('form.visit .msg.error').textContent(), /Pressure checked.*CO alarm tested.*signature/);
    assert.equal(await cal(p).locator('form.visit .msg.error').getAttribute('data-code'), 'PROTOCOL_INCOMPLETE');
    assert.equal(await p.evaluate((id) => window.demo.coordinator.booking(id).status, b.id), 'confirmed');
    await form.getByRole('checkbox', { name: 'Pressure checked' }).check();
    await form.getByRole('checkbox', { name: 'CO alarm tested' }).check();
    const pad = await form.locator('svg.pad').boundingBox();
    await p.mouse.move(pad.x + 20, pad.y + pad.height * 0.7);
    await p.mouse.down();
    for (let i = 1; i <= 12; i++) await p.mouse.move(pad.x + 20 + i * (pad.width - 40) / 12, pad.y + pad.height * (0.7 - 0.4 * Math.sin(i / 2)));
    await p.mouse.up();
    await form.getByLabel('Signed by').fill('Grace Okoro');
    if (width === 360) await p.screenshot({ path: 'test-artifacts/visit-record-360px.png', fullPage: true });
    else await cal(p).locator('dialog[open]').screenshot({ path: 'test-artifacts/visit-record.png' });
    await p.addScriptTag({ path: AXE });
    const { violations } = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    assert.deepEqual(violations.map((v) => v.id), [], 'axe on the visit record');
    await form.getByRole('button', { name: 'Save and complete' }).click();
    await cal(p).locator('dialog[open]').waitFor({ state: 'detached' });
    const after = await p.evaluate((id) => window.demo.coordinator.booking(id), b.id);
    assert.equal(after.status, 'completed');
    assert.deepEqual(after.visit.checklist, ['flue', 'pressure', 'co']);
    assert.match(after.visit.signature.path, /^M\d+ \d+( L\d+ \d+){12}$/);
    assert.equal(after.visit.signature.signedBy, 'Grace Okoro');
    assert.equal(after.visit.workNotes, 'Replaced the thermocouple.');
    assert.deepEqual(p.errors, []);
    await p.close();
  }
});
