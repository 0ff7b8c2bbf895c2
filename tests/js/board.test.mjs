// The dispatch board in real headless Chromium, on the demo console with the sample company's
// Tuesday of 60 work orders (clock fixed at Monday 2026-11-23, 07:00 in New York): planning in
// the solver's Worker, placing a job by keyboard alone and by dragging it onto a technician (the
// ghost shows the solver's verdict and cost before the drop), booking the plan through the
// engine, axe-core in both themes, and screenshots at desk and phone widths.
import test from 'node:test';
import assert from 'node:assert/strict';
import { open, noBrowser } from './chromium.mjs';

const NOW = '2026-11-23T12:00:00Z';
const AXE = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname;

let chrome;
test.before(async () => { if (!noBrowser) chrome = await open(); });
test.after(async () => { await chrome?.close(); });

async function board({ width = 1280, height = 1400 } = {}) {
  const p = await chrome.browser.newPage({ viewport: { width, height } });
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e));
  await p.goto(chrome.url(`console.html?now=${NOW}&view=dispatch`));
  await p.waitForFunction(() => window.demo?.cal?.shadowRoot?.querySelector('.board'), null, { timeout: 30000 });
  return p;
}
const cal = (p) => p.locator('service-calendar');
const inRoutes = (p, job) => p.evaluate((j) => !!window.demo.cal.shadowRoot.querySelector(`.track [data-job="${j}"]`), job);
const unplaced = (p) => p.evaluate(() => [...window.demo.cal.shadowRoot.querySelectorAll('.left [data-job]')].map((b) => b.dataset.job));
const tracks = (p) => p.evaluate(() => [...window.demo.cal.shadowRoot.querySelectorAll('.track')].map((t) => t.dataset.tech));
const live = (p) => p.evaluate(() => window.demo.cal.shadowRoot.querySelector('.live').textContent);

async function axe(p, what) {
  await p.addScriptTag({ path: AXE });
  const { violations } = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${what}`);
}

test('the board shows the day as booked: six technicians, 60 work orders waiting, each with its reasons', { skip: noBrowser }, async () => {
  const p = await board();
  const rows = await cal(p).locator('.rows > li').count();
  assert.equal(rows, 6);
  assert.equal((await unplaced(p)).length, 60);
  assert.match(await cal(p).locator('.figures').textContent(), /0 of 60/);
  // The map: one numbered marker per placed stop (none yet), every work order a dashed marker.
  assert.equal(await cal(p).locator('svg.map circle[stroke-dasharray]').count(), 60);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('plan the day, place one more by keyboard and one by dragging, then book it all at once', { skip: noBrowser }, async () => {
  const p = await board();
  await cal(p).getByRole('button', { name: 'Plan the day' }).click();
  await cal(p).getByRole('button', { name: 'Book the plan' }).waitFor({ timeout: 30000 });
  const left = await unplaced(p);
  const placedText = await cal(p).locator('.figures').textContent();
  const placed = Number(/(\d+) of 60/.exec(placedText)[1]);
  assert.ok(placed >= 45, `${placed} placed`);
  assert.equal(left.length, 60 - placed);

  // Keyboard only: the first job a route holds, Enter, its options; take it out of the plan.
  const first = await p.evaluate(() => window.demo.cal.shadowRoot.querySelector('.track .stop.job').dataset.job);
  await cal(p).locator(`.track [data-job="${first}"]`).focus();
  await p.keyboard.press('Enter');
  await cal(p).locator('dialog[open]').waitFor();
  assert.match(await cal(p).locator('dialog[open] h3').textContent(), /^Place /);
  await cal(p).getByRole('button', { name: 'Leave it unplaced' }).focus();
  await p.keyboard.press('Enter');
  await p.waitForFunction((j) => !window.demo.cal.shadowRoot.querySelector(`.track [data-job="${j}"]`), first);
  assert.ok((await unplaced(p)).includes(first));
  // ... and back in: Enter on it in the list, then Enter on its best option.
  await cal(p).locator(`.left [data-job="${first}"]`).focus();
  await p.keyboard.press('Enter');
  await cal(p).locator('dialog[open] .choices button').first().waitFor();
  const option = await cal(p).locator('dialog[open] .choices button').first().textContent();
  assert.match(option, /cost [+-]\d+\.\d, \d+ min more driving/);
  await p.keyboard.press('Enter');
  await p.waitForFunction((j) => window.demo.cal.shadowRoot.querySelector(`.track [data-job="${j}"]`), first);
  assert.match(await live(p), /placed with .* \(preview\)/);

  // By mouse: drag it from its route onto the row of the technician its options put first (the
  // day is full: most rows have no room), and onto a row that cannot take it; the ghost says the
  // cost, or that the row cannot take it, before the drop.
  await cal(p).locator(`.track [data-job="${first}"]`).focus();
  await p.keyboard.press('Enter');
  const best = await cal(p).locator('dialog[open] .choices button').first().textContent();
  await p.keyboard.press('Escape');
  const names = await p.evaluate(() => Object.fromEntries(window.demo.coordinator.providers().map((x) => [x.name, x.id])));
  const target = names[best.split(' at ')[0]];
  const drag = async (tech) => {
    const from = await cal(p).locator(`.track [data-job="${first}"]`).boundingBox();
    const to = await cal(p).locator(`.track[data-tech="${tech}"]`).boundingBox();
    await p.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await p.mouse.down();
    await p.mouse.move(to.x + to.width * 0.45, to.y + to.height / 2, { steps: 8 });
    await cal(p).locator('.ghost').waitFor();
    await p.waitForFunction(() => /cost|Cannot take it/.test(window.demo.cal.shadowRoot.querySelector('.ghost')?.textContent ?? ''));
    const verdict = await cal(p).locator('.ghost').textContent();
    await p.mouse.up();
    return verdict;
  };
  const verdicts = [];
  for (const row of await tracks(p)) {
    if (row === target) continue;
    const v = await drag(row);
    verdicts.push(v);
    if (/Cannot/.test(v)) {
      assert.ok(await inRoutes(p, first), 'a refused drop leaves the job on the board');
      break;
    }
    await p.waitForFunction(([j, t]) => window.demo.cal.shadowRoot.querySelector(`.track[data-tech="${t}"] [data-job="${j}"]`), [first, row]);
  }
  assert.match(await drag(target), /cost [+-]\d+\.\d/);
  await p.waitForFunction(([j, t]) => window.demo.cal.shadowRoot.querySelector(`.track[data-tech="${t}"] [data-job="${j}"]`), [first, target]);
  const moved = target;

  // Book the plan: every placed work order becomes a booking the engine accepted.
  const shown = await p.evaluate(() => [...window.demo.cal.shadowRoot.querySelectorAll('.track .stop.job')].map((b) => b.dataset.job));
  await cal(p).getByRole('button', { name: 'Book the plan' }).click();
  await p.waitForFunction(() => /Plan booked|[A-Z_]{5,}/.test(window.demo.cal.shadowRoot.querySelector('.msg')?.textContent ?? ''));
  assert.match(await cal(p).locator('.msg').textContent(), /Plan booked/);
  const booked = await p.evaluate(() => window.demo.coordinator.workOrders().filter((o) => o.bookingId).map((o) => [o.id, window.demo.coordinator.booking(o.bookingId).providerId]));
  assert.deepEqual(booked.map((b) => b[0]).sort(), [...shown].sort());
  assert.ok(booked.some(([id, who]) => id === first && who === moved), 'the dragged job is booked with the technician it was dropped on');
  assert.deepEqual(await p.evaluate(() => window.demo.coordinator.atRisk({}).length), 0);
  // The board now shows the day as booked, with the booked visits on their routes.
  await p.waitForFunction(() => !window.demo.cal.shadowRoot.querySelector('.board-actions')?.textContent.includes('Book the plan'));
  assert.ok(await inRoutes(p, first));
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('axe-core finds no violations on the board; screenshots at 1280 and 360 px in both themes', { skip: noBrowser }, async () => {
  for (const theme of ['light', 'dark']) {
    const p = await board();
    await p.evaluate((t) => window.demo.setTheme(t), theme);
    await cal(p).getByRole('button', { name: 'Plan the day' }).click();
    await cal(p).getByRole('button', { name: 'Book the plan' }).waitFor({ timeout: 30000 });
    await axe(p, `dispatch board (${theme})`);
    await p.screenshot({ path: `test-artifacts/board-${theme}.png`, fullPage: true });
    await cal(p).locator('.left button').first().focus();
    await p.keyboard.press('Enter');
    await cal(p).locator('dialog[open]').waitFor();
    await axe(p, `a job's options (${theme})`);
    await p.close();
    const narrow = await board({ width: 360, height: 800 });
    await narrow.evaluate((t) => window.demo.setTheme(t), theme);
    assert.ok(await narrow.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways page scroll at 360 px');
    await axe(narrow, `board at 360 px (${theme})`);
    await narrow.screenshot({ path: `test-artifacts/board-360px-${theme}.png`, fullPage: true });
    await narrow.close();
  }
});
