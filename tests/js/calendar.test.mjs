// <service-calendar> in real headless Chromium, on the two www/ pages with the sample company and
// a fixed clock (Monday 2026-11-23, 07:00 in New York): the client booking flow by mouse and by
// keyboard alone, drag and drop onto a free time and onto a clash, a keyboard move, the events a
// host receives, axe-core, injection payloads, and a screenshot of every view in both themes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { open, noBrowser } from './chromium.mjs';

const NOW = '2026-11-23T12:00:00Z';
const AXE = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname;
const VIEWS = ['month', 'week', 'day', 'agenda', 'resource-day', 'resource-week'];
const XSS = '<img src=x onerror="window.pwned=1">';

let chrome;
test.before(async () => { if (!noBrowser) chrome = await open(); });
test.after(async () => { await chrome?.close(); });

async function page(path, { width = 1280, height = 1400 } = {}) {
  const p = await chrome.browser.newPage({ viewport: { width, height } });
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e));
  await p.goto(chrome.url(`${path}?now=${NOW}`));
  await p.waitForFunction(() => window.demo?.cal?.shadowRoot?.querySelector('[role=grid], .grid'));
  // Record what a host page hears.
  await p.evaluate(() => {
    window.heard = [];
    for (const type of ['slot-selected', 'booking-requested', 'booked', 'error']) {
      document.addEventListener(type, (e) => window.heard.push({ type, detail: JSON.parse(JSON.stringify(e.detail)), composed: e.composed }));
    }
  });
  return p;
}
const heardNow = (p, type) => p.evaluate((t) => window.heard.filter((h) => h.type === t), type);
// The demo pages keep their data in IndexedDB: a change is made, then kept, then heard.
const heard = async (p, type) => {
  await p.waitForFunction((t) => window.heard.some((h) => h.type === t), type, { timeout: 5000 }).catch(() => {});
  return heardNow(p, type);
};
/** Waits for the page's store to keep every change asked of it so far. */
const settled = (p) => p.evaluate(() => window.demo.settled());
const active = (p) => p.evaluate(() => {
  const a = window.demo.cal.shadowRoot.activeElement;
  return a && { role: a.getAttribute('role'), label: a.getAttribute('aria-label') ?? a.querySelector('.sr')?.textContent, name: a.getAttribute('name'), text: a.textContent, tag: a.tagName };
});
/** Presses Tab until focus is in a grid (the one tab stop the APG patterns ask for), at most 25 times. */
async function tabIntoGrid(p) {
  for (let i = 0; i < 25 && (await active(p))?.role !== 'gridcell'; i++) await p.keyboard.press('Tab');
}

async function axe(p, what) {
  await p.addScriptTag({ path: AXE });
  const { violations } = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${what}`);
}

test('a client books by mouse: day, time (held), details, confirm; the host hears each step', { skip: noBrowser }, async () => {
  const p = await page('book.html');
  const cal = p.locator('service-calendar');
  assert.deepEqual(await p.evaluate(() => [...window.demo.cal.shadowRoot.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent)), [],
    'no stray text (a missing part once showed as "null")');
  await cal.locator('[role=gridcell][data-day]:not([aria-disabled=true])').first().click();
  const slot = cal.locator('.slots button').first();
  const time = await slot.textContent();
  await slot.click();
  const [selected] = await heard(p, 'slot-selected');
  assert.ok(selected.composed, 'events cross the shadow boundary');
  assert.ok(selected.detail.holdId, 'the slot is held while the client types');
  assert.equal(await p.evaluate((id) => window.demo.coordinator.booking(id).status, selected.detail.holdId), 'held');
  await cal.locator('input[name=name]').fill(`${XSS}Mallory`);
  await cal.locator('input[name=email]').fill('mallory@example.com');
  await cal.locator('textarea[name=notes]').fill(`<script>window.pwned=2</script>gate code 42`);
  await cal.locator('button[type=submit]').click();
  await cal.locator('.msg.ok').waitFor();
  assert.match(await cal.locator('.msg').textContent(), new RegExp(`Booked: .* at ${time.replace(/\s/g, '\\s')}`));
  const [requested] = await heard(p, 'booking-requested');
  assert.equal(requested.detail.client.name, `${XSS}Mallory`);
  assert.equal(requested.detail.request.start, selected.detail.start);
  const [booked] = await heard(p, 'booked');
  assert.equal(booked.detail.booking.id, selected.detail.holdId, 'the hold became the booking');
  assert.equal(booked.detail.booking.status, 'confirmed');
  assert.equal(booked.detail.booking.notes, '<script>window.pwned=2</script>gate code 42');
  assert.equal(await p.evaluate(() => window.pwned), undefined);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a client books by keyboard alone (APG date picker: one tab stop, arrows, Enter)', { skip: noBrowser }, async () => {
  const p = await page('book.html');
  await tabIntoGrid(p);
  const start = await active(p);
  assert.equal(start.role, 'gridcell', 'Tab reaches the day grid');
  assert.match(start.label, /Tuesday, November 24, 2026, \d+ free times/);
  // One tab stop: a second Tab leaves the grid.
  assert.equal(await p.evaluate(() => window.demo.cal.shadowRoot.querySelectorAll('[role=gridcell][tabindex="0"]').length), 1);
  await p.keyboard.press('ArrowRight');
  assert.match((await active(p)).label, /^Wednesday, November 25, 2026/);
  await p.keyboard.press('ArrowDown');
  assert.match((await active(p)).label, /^Wednesday, December 2, 2026/);
  await p.keyboard.press('PageUp');
  assert.match((await active(p)).label, /^Monday, November 2, 2026/, 'PageUp: the same day a month before');
  assert.match(await p.evaluate(() => window.demo.cal.shadowRoot.querySelector('.live').textContent), /November 2026/);
  await p.keyboard.press('Shift+PageDown');
  assert.match((await active(p)).label, /November 2, 2027/, 'Shift+PageDown: a year on');
  await p.keyboard.press('Shift+PageUp');
  for (let i = 0; i < 22; i++) await p.keyboard.press('ArrowRight'); // to Tuesday, November 24
  assert.match((await active(p)).label, /^Tuesday, November 24, 2026/);
  await p.keyboard.press('End');
  assert.match((await active(p)).label, /^Saturday, November 28/);
  await p.keyboard.press('Home');
  assert.match((await active(p)).label, /^Sunday, November 22/);
  await p.keyboard.press('ArrowRight');
  await p.keyboard.press('ArrowRight');
  await p.keyboard.press('Enter');
  assert.equal((await active(p)).tag, 'BUTTON', 'Enter on a day moves focus to its first free time');
  await p.keyboard.press('Enter');
  await settled(p); // the time is held (and kept), then the form takes the focus
  assert.equal((await active(p)).name, 'name');
  await p.keyboard.type('Kim Keys');
  await p.keyboard.press('Tab'); // email: left empty
  await p.keyboard.press('Tab');
  await p.keyboard.type('+1 212 555 0199');
  await p.keyboard.press('Tab');
  await p.keyboard.press('Tab');
  await p.keyboard.press('Enter');
  await p.locator('service-calendar .msg.ok').waitFor();
  const [booked] = await heard(p, 'booked');
  assert.equal(booked.detail.client.phone, '+1 212 555 0199');
  assert.equal(booked.detail.booking.start.slice(0, 10), '2026-11-24');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a visit at home: the client gives the address and books an arrival window the solver placed', { skip: noBrowser }, async () => {
  for (const width of [1280, 360]) {
    const p = await page('book.html', { width, height: width < 400 ? 1600 : 1400 });
    const cal = p.locator('service-calendar');
    await cal.locator('select[part=service]').selectOption('boiler-service');
    // No place yet: the address is asked for, and no day is offered.
    await cal.locator('form[part=address]').waitFor();
    assert.equal(await cal.locator('[role=gridcell][data-day]:not([aria-disabled=true])').count(), 0);
    await cal.locator('input[name=address]').fill('Nowhere Lane');
    await cal.locator('form[part=address] button').click();
    await cal.locator('.msg.error').waitFor();
    assert.match(await cal.locator('.msg').textContent(), /Nowhere Lane/);
    assert.equal(await cal.locator('.msg').getAttribute('data-code'), 'LOCATION_MISSING', 'the code is for programs, not shown');
    assert.equal(await cal.locator('input[name=address]').inputValue(), 'Nowhere Lane', 'what the client typed stays');
    await p.screenshot({ path: `test-artifacts/book-address-${width}.png`, fullPage: true });
    await cal.locator('input[name=address]').fill('301 Lewis Ave');
    await cal.locator('form[part=address] button').click();
    await cal.locator('[part=place]').waitFor();
    assert.match(await cal.locator('[part=place]').textContent(), /Visit at 301 Lewis Ave, Brooklyn/);
    const day = cal.locator('[role=gridcell][data-day]:not([aria-disabled=true])').first();
    assert.match(await day.locator('.sr').textContent(), /\d+ arrival windows?/);
    await day.click();
    const first = cal.locator('.slots button').first();
    const label = await first.textContent();
    assert.match(label, /^\d{1,2}:\d{2}\s?(AM|PM)? – \d{1,2}:\d{2}\s?(AM|PM)?$/, 'a window, not a time');
    await first.click();
    await p.waitForFunction(() => window.heard.some((h) => h.type === 'slot-selected'));
    const [selected] = await heard(p, 'slot-selected');
    const { arrival, holdId } = selected.detail;
    assert.ok(arrival && holdId);
    assert.ok(Date.parse(selected.detail.start) >= Date.parse(arrival.start) && Date.parse(selected.detail.start) <= Date.parse(arrival.end), 'the time lies in the window');
    assert.equal(await first.getAttribute('aria-pressed'), 'true', 'the window stays chosen');
    assert.match(await cal.locator('[part=summary]').textContent(), new RegExp(label.replace(/\s/g, '\\s')));
    // The hold is at the client's place and passes every rule, travel among them.
    const held = await p.evaluate((id) => { const c = window.demo.coordinator; const b = c.booking(id); return { b, ok: c.check({ serviceId: b.serviceId, providerId: b.providerId, start: b.start, location: b.location }).violations.every((v) => v.code === 'OVERLAP') }; }, holdId);
    assert.equal(held.b.location.address, '301 Lewis Ave, Brooklyn');
    assert.ok(held.ok, 'only the hold itself is in the way');
    if (width === 1280) await axe(p, 'the on-site booking flow');
    await p.screenshot({ path: `test-artifacts/book-on-site-${width}.png`, fullPage: true });
    await cal.locator('input[name=name]').fill('Fay Wu');
    await cal.locator('input[name=email]').fill('fay@example.com');
    await cal.locator('button[part=confirm]').click();
    await cal.locator('.msg.ok').waitFor();
    assert.match(await cal.locator('.msg').textContent(), /arriving between/);
    const [booked] = await heard(p, 'booked');
    assert.deepEqual(booked.detail.arrival, arrival);
    assert.equal(booked.detail.booking.id, holdId);
    assert.equal(booked.detail.client.location.address, '301 Lewis Ave, Brooklyn');
    assert.deepEqual(p.errors, []);
    await p.close();
  }
});

/** The booking element's centre, and a point `minutes` later in the column `toCol` (0-based). */
async function dragPoints(p, id, toCol, minutes) {
  return p.evaluate(([id, toCol, minutes]) => {
    const root = window.demo.cal.shadowRoot;
    const ev = root.querySelector(`.ev[data-id="${id}"]`).getBoundingClientRect();
    const col = root.querySelector(`.col[data-col="${toCol}"]`).getBoundingClientRect();
    const hour = parseFloat(getComputedStyle(window.demo.cal).getPropertyValue('--sc-hour'));
    const from = { x: ev.x + ev.width / 2, y: ev.y + 10 };
    return [from, { x: col.x + col.width / 2, y: from.y + (minutes / 60) * hour }];
  }, [id, toCol, minutes]);
}
async function drag(p, from, to) {
  await p.mouse.move(from.x, from.y);
  await p.mouse.down();
  for (let i = 1; i <= 5; i++) await p.mouse.move(from.x + ((to.x - from.x) * i) / 5, from.y + ((to.y - from.y) * i) / 5);
  await p.mouse.up();
  await settled(p);
}

test('the console: drag onto a free time moves a job, its edge resizes it; onto a clash shows why, snaps back and offers alternatives', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => { window.demo.cal.style.setProperty('--sc-height', 'none'); window.demo.cal.view = 'resource-day'; window.demo.cal.render(); });
  const ids = await p.evaluate(() => Object.fromEntries(window.demo.coordinator.bookings({ from: '2026-11-24', to: '2026-11-25' }).map((b) => [b.providerId, b.id])));
  // Ana's furnace repair, 08:00 to 09:30: to 14:00 in her own column (0).
  const [a, b] = await dragPoints(p, ids.ana, 0, 6 * 60);
  await drag(p, a, b);
  const moved = await p.evaluate((id) => window.demo.coordinator.booking(id), ids.ana);
  assert.equal(moved.start, '2026-11-24T19:00:00Z');
  assert.equal(moved.revision, 2);
  assert.equal(await p.locator(`service-calendar .ev[data-id="${ids.ana}"]`).count(), 1, 'drawn once, in its new place');
  // Resize: Ana's job, now 14:00 to 15:30, by its bottom edge to 16:30.
  const grip = await p.evaluate((id) => {
    const r = window.demo.cal.shadowRoot.querySelector(`.ev[data-id="${id}"] .grip`).getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }, ids.ana);
  await drag(p, grip, { x: grip.x, y: grip.y + 48 });
  const longer = await p.evaluate((id) => window.demo.coordinator.booking(id), ids.ana);
  assert.equal(longer.start, '2026-11-24T19:00:00Z');
  assert.equal(longer.end, '2026-11-24T21:30:00Z');
  // Ben's drain cleaning at 09:00 onto Dev's column (3) at 13:00, where Dev has a drain cleaning.
  const before = await p.evaluate((id) => window.demo.coordinator.booking(id), ids.ben);
  const [c, d] = await dragPoints(p, ids.ben, 3, 4 * 60);
  await drag(p, c, d);
  const cal = p.locator('service-calendar');
  await cal.locator('.msg.error').waitFor();
  assert.equal(await cal.locator('.msg').getAttribute('data-code'), 'OVERLAP');
  assert.deepEqual(await p.evaluate((id) => window.demo.coordinator.booking(id), ids.ben), before, 'nothing changed');
  const [error] = await heard(p, 'error');
  assert.equal(error.detail.code, 'OVERLAP');
  assert.equal(error.detail.action, 'reschedule');
  const dialog = cal.locator('dialog[open]');
  assert.match(await dialog.textContent(), /That move clashes/);
  const options = dialog.locator('ol[aria-label^=Alternatives] button');
  assert.ok((await options.count()) > 0, 'ranked alternatives are offered');
  await options.first().click();
  await settled(p);
  const after = await p.evaluate((id) => window.demo.coordinator.booking(id), ids.ben);
  assert.notEqual(after.start + after.providerId, before.start + before.providerId, 'an alternative is one click');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('the console by keyboard: one tab stop, arrows by step and column, Enter opens a job, a keyboard move', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => { window.demo.cal.view = 'resource-day'; window.demo.cal.render(); });
  await tabIntoGrid(p);
  let cell = await active(p);
  assert.equal(cell.role, 'gridcell');
  assert.match(cell.label, /^Tuesday, November 24, 2026, 9:00 AM, Ana Ortiz: Furnace repair for Dana Smith/);
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('ArrowDown');
  assert.match((await active(p)).label, /10:30 AM, Ana Ortiz, free$/);
  await p.keyboard.press('ArrowRight');
  assert.match((await active(p)).label, /10:30 AM, Ben Okafor, free$/);
  await p.keyboard.press('ArrowUp');
  await p.keyboard.press('ArrowUp');
  await p.keyboard.press('ArrowUp');
  cell = await active(p);
  assert.match(cell.label, /9:00 AM, Ben Okafor: Drain cleaning/);
  await p.keyboard.press('Enter');
  const dialog = p.locator('service-calendar dialog[open]');
  await dialog.waitFor();
  const id = await p.evaluate(() => window.demo.coordinator.bookings({ providerId: 'ben', from: '2026-11-24', to: '2026-11-25' })[0].id);
  // Escape closes and gives focus back to the grid.
  await p.keyboard.press('Escape');
  assert.equal((await active(p)).role, 'gridcell');
  await p.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'Move with keyboard' }).click();
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('ArrowDown');
  assert.match(await p.evaluate(() => window.demo.cal.shadowRoot.querySelector('.live').textContent), /10:00 AM to 11:00 AM, Ben Okafor: free/);
  await p.keyboard.press('Shift+ArrowDown'); // 30 minutes longer
  await p.keyboard.press('Enter');
  await settled(p);
  const moved = await p.evaluate((id) => window.demo.coordinator.booking(id), id);
  assert.equal(moved.start, '2026-11-24T15:00:00Z');
  assert.equal(moved.end, '2026-11-24T16:30:00Z');
  assert.equal((await active(p)).role, 'gridcell', 'focus stays in the grid');
  // PageDown: the next day.
  await p.keyboard.press('PageDown');
  assert.match((await active(p)).label, /^Wednesday, November 25, 2026/);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('details and actions: check in, complete (refused before the start), cancel; a repair plan is previewed before it is applied', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => { window.demo.cal.view = 'week'; window.demo.cal.render(); });
  const cal = p.locator('service-calendar');
  const id = await p.evaluate(() => window.demo.coordinator.bookings({ providerId: 'cara', from: '2026-11-24', to: '2026-11-25' })[0].id);
  await cal.locator(`.ev[data-id="${id}"]`).click();
  await cal.locator('dialog[open]').getByRole('button', { name: 'Check in' }).click();
  await settled(p);
  await cal.locator(`.ev[data-id="${id}"]`).click();
  await cal.locator('dialog[open]').getByRole('button', { name: 'Complete' }).click();
  // The engine refuses to complete a job before it starts: the coded reason shows, nothing changes.
  await cal.locator('.msg.error').waitFor();
  assert.equal(await cal.locator('.msg').getAttribute('data-code'), 'INVALID_TRANSITION');
  assert.equal(await p.evaluate((id) => window.demo.coordinator.booking(id).status, id), 'checked_in');
  assert.equal(await cal.locator(`.ev[data-id="${id}"]`).getAttribute('data-status'), 'checked_in');
  const other = await p.evaluate(() => window.demo.coordinator.bookings({ providerId: 'ben', from: '2026-11-24', to: '2026-11-25' })[0].id);
  await cal.locator(`.ev[data-id="${other}"]`).click();
  await cal.locator('dialog[open]').getByRole('button', { name: 'Cancel booking' }).click();
  await settled(p);
  assert.equal(await p.evaluate((id) => window.demo.coordinator.booking(id).status, other), 'cancelled');
  assert.equal(await cal.locator(`.ev[data-id="${other}"]`).getAttribute('data-status'), 'cancelled');
  // Ana calls in sick on Tuesday: her job there is at risk; the plan shows first, then applies.
  await p.evaluate(() => window.demo.store.write((c) => {
    const ana = c.providers().find((x) => x.id === 'ana');
    c.upsertProvider({ ...ana, timeOff: [{ start: '2026-11-24', end: '2026-11-25', reason: 'sick' }] });
  }));
  await p.waitForFunction(() => window.demo.cal.shadowRoot.querySelector('.ev.risk'));
  const risky = await cal.locator('.ev.risk .sr').first().textContent();
  assert.match(risky, /Furnace repair .*Ana Ortiz.*at risk: .*sick/);
  await cal.locator('.ev.risk').first().click();
  await cal.locator('dialog[open]').getByRole('button', { name: /Ana Ortiz is out/ }).click();
  const preview = cal.locator('dialog[open]');
  await preview.getByRole('button', { name: 'Apply plan' }).waitFor();
  assert.match(await preview.textContent(), /1 moves, 0 without a place\. Nothing changes until you apply/);
  const still = await p.evaluate(() => window.demo.coordinator.atRisk().length);
  assert.equal(still, 1, 'the preview changed nothing');
  await preview.getByRole('button', { name: 'Apply plan' }).click();
  await settled(p);
  assert.equal(await p.evaluate(() => window.demo.coordinator.atRisk().length), 0);
  assert.equal(await cal.locator('.ev.risk').count(), 0);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('host and client text is inert everywhere: names, services, notes, in every view', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate((xss) => {
    const c = window.demo.coordinator;
    const [s] = c.services();
    c.upsertService({ ...s, name: `${xss}${s.name}` });
    const ana = c.providers().find((x) => x.id === 'ana');
    c.upsertProvider({ ...ana, name: `${xss}Ana` });
    for (const cl of c.clients()) c.upsertClient({ ...cl, name: `<svg onload="window.pwned=3">${cl.name}`, notes: `${xss}` });
  }, XSS);
  for (const view of VIEWS) {
    await p.evaluate((v) => { window.demo.cal.view = v; window.demo.cal.render(); }, view);
    const found = await p.evaluate(() => {
      const root = window.demo.cal.shadowRoot;
      return { elements: root.querySelectorAll('img, svg, script').length, text: root.textContent + [...root.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label')).join() };
    });
    assert.equal(found.elements, 0, `${view}: no injected element`);
    assert.ok(found.text.includes('<img src=x onerror="window.pwned=1">') || found.text.includes('<svg onload'), `${view}: the payload shows as text`);
  }
  const [first] = await p.evaluate(() => window.demo.coordinator.bookings({ from: '2026-11-24', to: '2026-11-25' }).map((b) => b.id));
  await p.evaluate(() => { window.demo.cal.view = 'week'; window.demo.cal.render(); });
  await p.locator(`service-calendar .ev[data-id="${first}"]`).click();
  assert.match(await p.locator('service-calendar dialog[open]').textContent(), /<svg onload="window.pwned=3">/);
  await p.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  assert.equal(await p.evaluate(() => window.pwned), undefined);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('axe-core finds no violations; every view in both themes is screenshotted; 360 px wide fits', { skip: noBrowser }, async () => {
  for (const theme of ['light', 'dark']) {
    const p = await page('console.html');
    for (const view of VIEWS) {
      await p.evaluate(([v, t]) => { window.demo.setTheme(t); window.demo.cal.view = v; window.demo.cal.render(); }, [view, theme]);
      await axe(p, `${view} (${theme})`);
      await p.screenshot({ path: `test-artifacts/calendar-${view}-${theme}.png`, fullPage: true });
    }
    // With the details dialog open, too.
    await p.evaluate(() => { window.demo.cal.view = 'week'; window.demo.cal.render(); });
    await p.locator('service-calendar .ev').first().click();
    await axe(p, `details dialog (${theme})`);
    await p.close();
    const b = await page('book.html', { width: 360, height: 900 });
    await b.evaluate((t) => window.demo.setTheme(t), theme);
    await b.locator('service-calendar [role=gridcell][data-day]:not([aria-disabled=true])').first().click();
    await b.locator('service-calendar .slots button').first().click();
    await axe(b, `booking page (${theme})`);
    assert.ok(await b.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways scrolling at 360 px');
    await b.screenshot({ path: `test-artifacts/calendar-booking-360px-${theme}.png`, fullPage: true });
    await b.close();
    // The console on a phone: the page does not scroll sideways (the calendar's own box does).
    const narrow = await page('console.html', { width: 360, height: 800 });
    await narrow.evaluate((t) => { window.demo.setTheme(t); window.demo.cal.view = 'day'; window.demo.cal.render(); }, theme);
    assert.ok(await narrow.evaluate(() => document.documentElement.scrollWidth <= 360), 'console: no sideways page scroll at 360 px');
    await axe(narrow, `console at 360 px (${theme})`);
    await narrow.screenshot({ path: `test-artifacts/calendar-console-360px-${theme}.png`, fullPage: true });
    await narrow.close();
  }
});

test('locale and zone: 24-hour German with Monday first; switching the zone moves the times', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => { const c = window.demo.cal; c.locale = 'de-DE'; c.view = 'week'; c.render(); });
  const head = await p.evaluate(() => window.demo.cal.shadowRoot.querySelector('.head').textContent);
  assert.match(head, /^Mo\.?, 23\. Nov/, 'the week starts on Monday in de-DE');
  const label = () => p.evaluate(() => window.demo.cal.shadowRoot.querySelector('.ev .sr').textContent);
  await p.waitForFunction(() => window.demo.cal.strings.today === 'Heute');
  assert.match(await label(), /\b8:00 bis 9:30\b/, '24-hour clock');
  assert.doesNotMatch(await label(), /AM|PM/);
  await p.evaluate(() => { window.demo.cal.timeZone = 'Europe/Berlin'; window.demo.cal.render(); });
  assert.match(await label(), /14:00/, 'the same job, in Berlin');
  // The toolbar speaks German once its table has loaded.
  await p.waitForFunction(() => window.demo.cal.shadowRoot.querySelector('select[aria-label="Zeitzone"]')?.value === 'Europe/Berlin');
  // A renamed service shows at once: the element keeps names only until one changes.
  await p.evaluate(() => window.demo.store.write((c) => c.upsertService({ ...c.services().find((s) => s.id === 'furnace-repair'), name: 'Heizungsreparatur' })));
  await p.waitForFunction(() => window.demo.cal.shadowRoot.querySelector('.ev b').textContent === 'Heizungsreparatur');
  assert.match(await label(), /^Heizungsreparatur für /);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('translated: the locale brings its language, the host\'s words go over it; days and times come from the locale', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => {
    const c = window.demo.cal;
    c.locale = 'de-DE';
    c.strings = { views: { week: 'Wochenansicht' },
      bookingLabel: (x) => `${x.service} für ${x.clients}, ${x.day}, ${x.start} bis ${x.end}, ${x.provider}, ${x.status}` };
    c.view = 'week';
    c.render();
  });
  // The German table arrives (loaded when first asked for).
  await p.waitForFunction(() => window.demo.cal.shadowRoot.querySelector('option[value=day]')?.textContent === 'Tag');
  const bar = await p.evaluate(() => window.demo.cal.shadowRoot.querySelector('.bar').textContent);
  assert.match(bar, /Heute/);
  assert.match(bar, /Ansicht/);
  assert.equal(await p.evaluate(() => window.demo.cal.shadowRoot.querySelector('option[value=week]').textContent), 'Wochenansicht', 'the host\'s word wins');
  assert.equal(await p.evaluate(() => window.demo.cal.strings.noBookingsWeek), 'Keine Termine in diesen sieben Tagen.', 'the console speaks German too');
  assert.equal(await p.evaluate(() => window.demo.cal.strings.moveClashes), 'Diese Verschiebung kollidiert');
  const label = await p.evaluate(() => [...window.demo.cal.shadowRoot.querySelectorAll('.ev .sr')].map((x) => x.textContent).find((t) => t.includes('bestätigt')));
  assert.match(label, / für .*, \w+, \d+\. November 2026, \d+:\d\d bis \d+:\d\d, .*, bestätigt$/);
  // Back to English when the locale is.
  await p.evaluate(() => { window.demo.cal.locale = 'en-US'; });
  await p.waitForFunction(() => window.demo.cal.shadowRoot.querySelector('option[value=day]')?.textContent === 'Day');
  await p.close();
});

test('a refusal in the viewer\'s language and zone: a clash dragged in German, Berlin time, says it in German at Berlin\'s hours; the code stays for programs', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => {
    const c = window.demo.cal;
    c.style.setProperty('--sc-height', 'none');
    c.locale = 'de-DE';
    c.timeZone = 'Europe/Berlin';
    c.view = 'resource-day';
    c.render();
  });
  await p.waitForFunction(() => window.demo.cal.strings.today === 'Heute');
  const ids = await p.evaluate(() => Object.fromEntries(window.demo.coordinator.bookings({ from: '2026-11-24', to: '2026-11-25' }).map((b) => [b.providerId, b.id])));
  const dev = await p.evaluate((id) => window.demo.coordinator.booking(id), ids.dev);
  // Ben's job onto Dev's column (3), four hours later: where Dev's drain cleaning is.
  const [c, d] = await dragPoints(p, ids.ben, 3, 4 * 60);
  await drag(p, c, d);
  const cal = p.locator('service-calendar');
  await cal.locator('.msg.error').waitFor();
  assert.equal(await cal.locator('.msg').getAttribute('data-code'), 'OVERLAP');
  const text = await cal.locator('.msg').textContent();
  const berlin = (t) => new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: 'numeric', minute: '2-digit' }).format(Date.parse(t));
  assert.ok(text.startsWith('Dev Patel hat schon einen Termin'), text);
  assert.match(text, /hat schon einen Termin/);
  assert.ok(text.includes(berlin(dev.start)), `${text} names the clash at ${berlin(dev.start)}, Berlin time`);
  assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT|already|booking/, 'no UTC instants, no English');
  // The host still hears the engine's own words and code.
  const [error] = await heard(p, 'error');
  assert.equal(error.detail.code, 'OVERLAP');
  assert.ok(error.detail.details[0].facts.from);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('every view in English and in German, at 360 and 1,280 px: axe-core finds nothing; screenshots of the German views', { skip: noBrowser }, async () => {
  const drawn = { dispatch: '.board', reports: '.reports' };
  for (const locale of ['en-US', 'de-DE']) {
    for (const width of [360, 1280]) {
      const p = await page('console.html', { width, height: 900 });
      await p.evaluate((l) => { window.demo.cal.locale = l; }, locale);
      await p.waitForFunction((w) => window.demo.cal.strings.today === w, locale === 'de-DE' ? 'Heute' : 'Today');
      for (const view of [...VIEWS, 'dispatch', 'reports']) {
        await p.evaluate((v) => { window.demo.cal.view = v; window.demo.cal.render(); }, view);
        await p.waitForFunction((sel) => window.demo.cal.shadowRoot.querySelector(sel), drawn[view] ?? '.bar + *', { timeout: 60000 });
        await axe(p, `${view} in ${locale} at ${width} px`);
        assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${view} in ${locale} at ${width} px: no sideways page scroll`);
        if (locale === 'de-DE') await p.screenshot({ path: `test-artifacts/de-${view}-${width}.png`, fullPage: true });
      }
      assert.deepEqual(p.errors, []);
      await p.close();
    }
  }
});

test('the booking flow in German, French, Spanish and Japanese, with their plurals; axe finds nothing in German at both widths', { skip: noBrowser }, async () => {
  const words = {
    'de-DE': { choose: 'Tag wählen', free: /^\d+ frei$/, name: 'Ihr Name', confirm: 'Termin bestätigen', day: /freie Termine|freier Termin/ },
    'fr-FR': { choose: 'Choisissez un jour', free: /^\d+ libres?$/, name: 'Votre nom', confirm: 'Confirmer le rendez-vous', day: /créneaux? libres?/ },
    'es-ES': { choose: 'Elija un día', free: /^\d+ libres?$/, name: 'Su nombre', confirm: 'Confirmar la cita', day: /horas? libres?/ },
    'ja-JP': { choose: '日付を選んでください', free: /^空き \d+$/, name: 'お名前', confirm: '予約を確定', day: /空き \d+ 件/ },
  };
  for (const [locale, w] of Object.entries(words)) {
    for (const width of locale === 'de-DE' ? [360, 1280] : [1280]) {
      const p = await page('book.html', { width, height: 1400 });
      await p.evaluate((l) => { window.demo.cal.locale = l; }, locale);
      const cal = p.locator('service-calendar');
      await p.waitForFunction((t) => window.demo.cal.shadowRoot.querySelector('h3')?.textContent === t, w.choose);
      assert.match(await cal.locator('.month .free').first().textContent(), w.free, `${locale}: the count of free times`);
      assert.match(await cal.locator('[role=gridcell][data-day]:not([aria-disabled=true]) .sr').first().textContent(), w.day, `${locale}: the day as read aloud`);
      await cal.locator('[role=gridcell][data-day]:not([aria-disabled=true])').first().click();
      await cal.locator('.slots button').first().click();
      await cal.locator('input[name=name]').waitFor();
      assert.equal(await cal.locator('form label').first().evaluate((l) => l.firstChild.textContent), w.name);
      assert.equal((await cal.locator('button[type=submit]').textContent()).trim(), w.confirm);
      if (locale === 'de-DE') {
        await axe(p, `the German booking page at ${width} px`);
        await p.screenshot({ path: `test-artifacts/booking-de-${width}.png` });
      }
      if (locale === 'ja-JP') await p.screenshot({ path: 'test-artifacts/booking-ja-1280.png' });
      assert.deepEqual(p.errors, []);
      await p.close();
    }
  }
});

test('the booking page loads the booking flow only; the console is fetched when a page asks for it', { skip: noBrowser }, async () => {
  const p = await chrome.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const loaded = [];
  p.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/pkg/calendar')) loaded.push(u.pathname); });
  await p.goto(chrome.url(`book.html?now=${NOW}`));
  await p.waitForFunction(() => window.demo?.cal?.shadowRoot?.querySelector('[role=grid]'));
  const booking = [...loaded];
  assert.ok(booking.includes('/pkg/calendar/booking.js'));
  assert.ok(!booking.includes('/pkg/calendar.js'), `the booking page loaded ${booking.join(', ')}`);
  await p.evaluate(() => { window.demo.cal.mode = 'coordinator'; window.demo.cal.view = 'week'; });
  // The console's code arrives; this page's engine is the booking build, which says so, coded.
  await p.waitForFunction(() => window.demo.cal.shadowRoot.querySelector('.msg[data-code]'));
  const fetched = loaded.filter((f) => !booking.includes(f));
  assert.ok(fetched.some((f) => /\/pkg\/calendar\/console-/.test(f)), `asked for the console, it fetched ${fetched.join(', ')}`);
  assert.match(await p.evaluate(() => window.demo.cal.shadowRoot.querySelector('.msg').textContent), /console build of the engine/);
  assert.equal(await p.evaluate(() => window.demo.cal.shadowRoot.querySelector('.msg').dataset.code), 'INVALID_INPUT');
  await p.close();
});

test('DST: on the days New York falls back and springs forward, a 09:00 job sits on the 9 o\'clock line', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  const placed = await p.evaluate(() => {
    const c = window.demo.coordinator;
    const all = [{ start: '00:00', end: '23:30' }];
    c.upsertProvider({ id: 'night', name: 'Nia Night', skills: ['hvac', 'gas', 'plumbing'], timeZone: 'America/New_York',
      weeklyHours: { sun: all, mon: all, tue: all, wed: all, thu: all, fri: all, sat: all } });
    c.upsertService({ id: 'night-call', name: 'Night call', durationMinutes: 60 });
    const out = [];
    for (const day of ['2027-03-14', '2027-11-07']) {
      const b = c.book({ serviceId: 'night-call', providerId: 'night', start: `${day}T09:00` });
      const late = c.book({ serviceId: 'night-call', providerId: 'night', start: `${day}T18:00` });
      const cal = window.demo.cal;
      cal.providers = ['night'];
      cal.view = 'day';
      cal.date = day;
      cal.render();
      const root = cal.shadowRoot;
      const line = (text) => [...root.querySelectorAll('.gutter div')].find((d) => d.textContent === text)?.style.top;
      const top = (id) => root.querySelector(`.ev[data-id="${id}"]`).style.top;
      out.push({ day, utc: b.start, nine: line('9 AM'), job: top(b.id), six: line('6 PM'), lateJob: top(late.id),
        label: root.querySelector(`.ev[data-id="${b.id}"] .sr`).textContent });
    }
    return out;
  });
  assert.equal(placed[0].utc, '2027-03-14T13:00:00Z', 'after springing forward, 09:00 is UTC-4');
  assert.equal(placed[1].utc, '2027-11-07T14:00:00Z', 'after falling back, 09:00 is UTC-5');
  for (const x of placed) {
    assert.equal(x.job, x.nine, `${x.day}: the job is on the 9:00 line`);
    assert.equal(x.lateJob, x.six, `${x.day}: the 18:00 job is on the 6:00 PM line`);
    assert.match(x.label, /9:00 AM to 10:00 AM/);
  }
  assert.deepEqual(p.errors, []);
  await p.close();
});

test("the README's calendar example works as pasted (with an import map for the package name)", { skip: noBrowser }, async () => {
  const { readFileSync } = await import('node:fs');
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  // Served where the package is at /pkg/ rather than /node_modules/service-coordinator/.
  const snippet = readme.split('## The calendar element')[1].match(/```html\n([\s\S]*?)```/)[1].replaceAll('/node_modules/service-coordinator/', '/pkg/');
  const p = await chrome.browser.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e));
  // The example on a page of the demo's origin (for /pkg/), served by the test itself.
  const html = `<!doctype html><html lang="en"><head><script>window.crm = { createJob() {} };</script></head><body>${snippet}</body></html>`;
  await p.route(chrome.url('readme-example.html'), (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await p.goto(chrome.url('readme-example.html'));
  await p.waitForFunction(() => document.getElementById('cal')?.shadowRoot?.querySelector('[role=grid]'));
  assert.equal(await p.evaluate(() => document.getElementById('cal').mode), 'booking');
  assert.deepEqual(errors, []);
  await p.close();
});

test('a held time lost while the client typed (released, then booked by someone else): the coded reason is shown and the day is offered again', { skip: noBrowser }, async () => {
  const p = await page('book.html');
  const cal = p.locator('service-calendar');
  await cal.locator('[role=gridcell][data-day]:not([aria-disabled=true])').first().click();
  await cal.locator('.slots button').first().click();
  const [selected] = await heard(p, 'slot-selected');
  // The hold is released meanwhile (by the coordinator, as an expiry frees it), and someone else books that time.
  await p.evaluate((s) => window.demo.store.write((c) => {
    c.releaseHold(s.holdId);
    c.book({ serviceId: s.serviceId, providerId: s.providerId, start: s.start });
  }), selected.detail);
  await cal.locator('input[name=name]').fill('Late Larry');
  await cal.locator('input[name=email]').fill('larry@example.com');
  await cal.locator('button[type=submit]').click();
  await cal.locator('.msg.error').waitFor();
  assert.equal(await cal.locator('.msg').getAttribute('data-code'), 'INVALID_TRANSITION');
  const [error] = await heard(p, 'error');
  assert.equal(error.detail.action, 'book');
  assert.ok(await cal.locator('form[hidden]').count(), 'the form is put away until a new time is chosen');
  assert.deepEqual(await heardNow(p, 'booked'), []);
  assert.equal(await p.evaluate(() => window.demo.coordinator.clients().some((c) => c.name === 'Late Larry')), false, 'no stray client record');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('the console books an empty cell by keyboard; a refused request shows the ranked alternatives', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => { window.demo.cal.view = 'resource-day'; window.demo.cal.render(); });
  await tabIntoGrid(p);
  await p.keyboard.press('ArrowRight'); // Ben
  await p.keyboard.press('Home'); // the first row: 07:00, before Ben starts at 08:00
  assert.match((await active(p)).label, /7:00 AM, Ben Okafor, free$/);
  await p.keyboard.press('Enter');
  const dialog = p.locator('service-calendar dialog[open]');
  await dialog.locator('select[name=service]').selectOption('drain-cleaning');
  await dialog.getByRole('button', { name: 'Book' }).click();
  await dialog.getByText('That time clashes').waitFor();
  assert.match(await dialog.textContent(), /Tue, Nov 24, 7:00 AM–8:00 AM is outside Ben Okafor’s working hours/, 'a sentence, not a code; times as people read them, in the zone shown');
  assert.doesNotMatch(await dialog.textContent(), /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/, 'no raw UTC instants');
  assert.equal(await dialog.locator('li[data-code=OUTSIDE_WORKING_HOURS]').count(), 1);
  const [requested] = await heard(p, 'booking-requested');
  assert.equal(requested.detail.request.providerId, 'ben');
  const first = dialog.locator('ol[aria-label^=Alternatives] button').first();
  await first.click();
  const [booked] = await heard(p, 'booked');
  assert.equal(booked.detail.booking.serviceId, 'drain-cleaning');
  assert.equal(await p.evaluate((id) => window.demo.coordinator.booking(id).status, booked.detail.booking.id), 'confirmed');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a bad time-zone attribute is a coded error in place of the calendar, and fixing it draws again', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => { window.demo.cal.timeZone = 'Mars/Olympus_Mons'; window.demo.cal.render(); });
  const cal = p.locator('service-calendar');
  assert.equal(await cal.locator('.msg').getAttribute('data-code'), 'UNKNOWN_TIME_ZONE');
  const [error] = await heard(p, 'error');
  assert.equal(error.detail.action, 'render');
  await p.evaluate(() => { window.demo.cal.timeZone = 'America/Chicago'; window.demo.cal.render(); });
  assert.ok(await cal.locator('.ev').count() > 0);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a bad locale or date attribute is a coded error, not INTERNAL', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  const cal = p.locator('service-calendar');
  await p.evaluate(() => { window.demo.cal.locale = 'not a locale!'; window.demo.cal.render(); });
  assert.equal(await cal.locator('.msg').getAttribute('data-code'), 'INVALID_INPUT');
  await p.evaluate(() => { window.demo.cal.removeAttribute('locale'); window.demo.cal.date = '2026-13-45'; window.demo.cal.render(); });
  assert.equal(await cal.locator('.msg').getAttribute('data-code'), 'INVALID_TIME');
  assert.deepEqual((await heard(p, 'error')).map((e) => e.detail.code), ['INVALID_INPUT', 'INVALID_TIME']);
  await p.evaluate(() => { window.demo.cal.date = '2026-11-23'; window.demo.cal.render(); });
  assert.ok(await cal.locator('.ev').count() > 0);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('host-confirmed booking: a second click sends nothing while the host books; its answer confirms or lets go of the time', { skip: noBrowser }, async () => {
  const p = await page('book.html');
  const cal = p.locator('service-calendar');
  // The host books on its own backend and answers later (the test settles it by hand).
  await p.evaluate(() => {
    window.requests = 0;
    document.addEventListener('booking-requested', (e) => {
      window.requests += 1;
      e.preventDefault();
      e.detail.respondWith(new Promise((resolve, reject) => { window.settle = { resolve, reject }; }));
    });
  });
  const pick = async () => {
    await cal.locator('[role=gridcell][data-day]:not([aria-disabled=true])').first().click();
    await cal.locator('.slots button').first().click();
    await cal.locator('input[name=name]').fill('Rita');
    await cal.locator('input[name=email]').fill('rita@example.com');
  };
  await pick();
  const [{ detail: { holdId } }] = await heard(p, 'slot-selected');
  await cal.locator('button[type=submit]').click();
  await cal.locator('button[type=submit][disabled]').waitFor();
  await cal.locator('button[type=submit]').click({ force: true });
  await p.evaluate(() => window.demo.cal.shadowRoot.querySelector('form').requestSubmit());
  assert.equal(await p.evaluate(() => window.requests), 1, 'one request while pending');
  // Choosing another time is held off while the host books.
  await cal.locator('.slots button').nth(1).click();
  assert.equal(await p.evaluate((id) => window.demo.coordinator.booking(id).status, holdId), 'held');
  // The host says it booked: the hold becomes the booking in the page.
  await p.evaluate(() => window.settle.resolve({ id: 'crm-1' }));
  await cal.locator('.msg.ok', { hasText: 'Booked' }).waitFor();
  assert.equal(await p.evaluate((id) => window.demo.coordinator.booking(id).status, holdId), 'confirmed');
  assert.equal((await heard(p, 'booked')).length, 1);
  // Next time the host refuses: the time is let go and the reason shown.
  await pick();
  const second = (await heard(p, 'slot-selected')).at(-1).detail.holdId;
  await cal.locator('button[type=submit]').click();
  await p.evaluate(() => window.settle.reject({ code: 'OVERLAP', message: 'the CRM has a job then' }));
  await cal.locator('.msg[data-code=OVERLAP]').waitFor();
  assert.equal(await p.evaluate((id) => window.demo.coordinator.booking(id).status, second), 'cancelled');
  assert.equal(await cal.locator('button[type=submit][disabled]').count(), 0);
  assert.equal(await p.evaluate(() => window.requests), 2);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('the booking flow says what is happening: the held time stays chosen, the form names what it confirms, seats left, one client per contact', { skip: noBrowser }, async () => {
  const p = await page('book.html');
  const cal = p.locator('service-calendar');
  await cal.locator('[role=gridcell][data-day]:not([aria-disabled=true])').first().click();
  const first = cal.locator('.slots button').first();
  const time = (await first.textContent()).trim();
  const count = await cal.locator('.slots button').count();
  await first.click();
  await cal.locator('input[name=name]').waitFor();
  // The page's own hold does not take its time (or its neighbours) off the list, and it stays pressed.
  assert.equal(await cal.locator('.slots button').count(), count, 'no time left the list');
  assert.equal(await cal.locator('.slots button[aria-pressed=true]').textContent(), time);
  assert.match(await cal.locator('[part=summary]').textContent(), new RegExp(`^AC tune-up, \\w+day, November \\d+, 2026 at ${time.replace(/\s/g, '\\s')} \\(America/New_York\\), with \\w+`));
  await cal.locator('input[name=name]').fill('Sam Same');
  await cal.locator('input[name=email]').fill('sam@example.com');
  await cal.locator('button[type=submit]').click();
  await cal.locator('.msg.ok').waitFor();
  const clients = await p.evaluate(() => window.demo.coordinator.clients().length);
  // The same person again, typed differently: the same client.
  await cal.locator('.slots button').first().click();
  await cal.locator('input[name=name]').waitFor();
  await cal.locator('input[name=name]').fill('Sam');
  await cal.locator('input[name=email]').fill(' SAM@Example.com ');
  await cal.locator('button[type=submit]').click();
  await p.waitForFunction(() => window.heard.filter((h) => h.type === 'booked').length === 2);
  const booked = await heardNow(p, 'booked');
  assert.equal(booked[1].detail.booking.clientIds[0], booked[0].detail.booking.clientIds[0]);
  assert.equal(await p.evaluate(() => window.demo.coordinator.clients().length), clients, 'no second client');
  // Email and phone are two fields; neither given is refused by the form, with a sentence.
  await cal.locator('.slots button').first().click();
  await cal.locator('input[name=name]').fill('Pat Phone');
  await cal.locator('button[type=submit]').click();
  assert.equal(await cal.locator('input[name=email]').evaluate((i) => i.validationMessage), 'Enter an email or a phone number.');
  assert.equal((await heardNow(p, 'booked')).length, 2, 'nothing sent');
  await cal.locator('input[name=phone]').fill('+1 (212) 555-0199');
  await cal.locator('button[type=submit]').click();
  await p.waitForFunction(() => window.heard.filter((h) => h.type === 'booked').length === 3);
  const pat = (await heardNow(p, 'booked'))[2].detail.booking.clientIds[0];
  assert.deepEqual(await p.evaluate((id) => { const c = window.demo.coordinator.clients().find((x) => x.id === id); return [c.email ?? null, c.phone]; }, pat),
    [null, '+1 (212) 555-0199'], 'a phone is kept as a phone, not guessed');
  // The same phone written another way, with an email now: the same client.
  await cal.locator('.slots button').first().click();
  await cal.locator('input[name=name]').fill('Pat');
  await cal.locator('input[name=phone]').fill('212-555-0199 ');
  await cal.locator('button[type=submit]').click();
  await p.waitForFunction(() => window.heard.filter((h) => h.type === 'booked').length === 4);
  assert.equal((await heardNow(p, 'booked'))[3].detail.booking.clientIds[0], pat);
  assert.deepEqual(await heardNow(p, 'error'), [], 'no error on the way');
  // A group session: each time says how many seats are left.
  await p.evaluate(() => window.demo.store.write((c) => c.upsertService({ id: 'workshop', name: 'Thermostat workshop', durationMinutes: 60, seats: 6, requiredSkills: ['hvac'] })));
  await p.evaluate(() => { window.demo.cal.setAttribute('service', 'workshop'); });
  await cal.locator('[role=gridcell][data-day]:not([aria-disabled=true])').first().click();
  assert.match(await cal.locator('.slots button').first().textContent(), /6 seats left$/);
  await p.screenshot({ path: 'test-artifacts/booking-seats-1280.png' });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a service\'s own colour is its colour in every view; without one it keeps its place in the catalog', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => { window.demo.cal.view = 'week'; window.demo.cal.render(); });
  const id = await p.evaluate(() => window.demo.coordinator.bookings({ from: '2026-11-24', to: '2026-11-25', status: ['confirmed'] })[0].id);
  const colour = () => p.evaluate((id) => getComputedStyle(window.demo.cal.shadowRoot.querySelector(`.ev[data-id="${id}"]`)).borderLeftColor, id);
  const before = await colour();
  await p.evaluate((id) => window.demo.store.write((c) => {
    const s = c.services().find((x) => x.id === c.booking(id).serviceId);
    c.upsertService({ ...s, color: '#1a7f5c' });
  }), id);
  await p.waitForFunction((id) => getComputedStyle(window.demo.cal.shadowRoot.querySelector(`.ev[data-id="${id}"]`)).borderLeftColor === 'rgb(26, 127, 92)', id);
  assert.notEqual(before, 'rgb(26, 127, 92)');
  await p.reload();
  await p.waitForFunction(() => window.demo?.cal?.shadowRoot?.querySelector('.ev'));
  await p.evaluate(() => { window.demo.cal.view = 'week'; window.demo.cal.render(); });
  assert.equal(await colour(), 'rgb(26, 127, 92)', 'kept across a reload');
  await p.close();
});

test('the new-booking dialog: only the services the technician can do, clients found as you type, a new client with contact and address, notes', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => { window.demo.cal.view = 'resource-day'; window.demo.cal.render(); });
  await tabIntoGrid(p);
  await p.keyboard.press('ArrowRight'); // Ben, a plumber
  await p.keyboard.press('Home'); // 07:00
  for (let i = 0; i < 8; i++) await p.keyboard.press('ArrowDown'); // 11:00
  assert.match((await active(p)).label, /11:00 AM, Ben Okafor, free$/);
  await p.keyboard.press('Enter');
  const dialog = p.locator('service-calendar dialog[open]');
  const offered = await dialog.locator('select[name=service] option').allTextContents();
  const skills = await p.evaluate(() => window.demo.coordinator.providers().find((x) => x.id === 'ben').skills);
  const services = await p.evaluate(() => window.demo.coordinator.services());
  assert.deepEqual(offered, services.filter((x) => (x.requiredSkills ?? []).every((k) => skills.includes(k))).map((x) => x.name), 'what Ben can do, and only that');
  assert.ok(offered.length < services.length);
  // Typing part of a name offers the matches (a few, not every client).
  await dialog.locator('input[name=client]').fill('dana');
  const matches = await dialog.locator('datalist option').evaluateAll((o) => o.map((x) => x.value));
  assert.ok(matches.length >= 1 && matches.length <= 8 && matches.every((m) => /dana/i.test(m)), JSON.stringify(matches));
  // Someone new: a name nobody has, with contact and address; one write makes both.
  await dialog.locator('input[name=client]').fill('Nia New');
  await dialog.locator('input[name=email]').fill('nia@example.com');
  await dialog.locator('input[name=phone]').fill('+1 718 555 0100');
  await dialog.locator('input[name=address]').fill('9 Pine St, Brooklyn');
  await dialog.locator('textarea[name=notes]').fill('side door');
  await dialog.getByRole('button', { name: 'Book' }).click();
  const [booked] = await heard(p, 'booked');
  const nia = await p.evaluate(() => window.demo.coordinator.clients().find((x) => x.name === 'Nia New'));
  assert.deepEqual({ email: nia.email, phone: nia.phone, address: nia.address }, { email: 'nia@example.com', phone: '+1 718 555 0100', address: '9 Pine St, Brooklyn' });
  assert.deepEqual(booked.detail.booking.clientIds, [nia.id]);
  assert.equal(booked.detail.booking.notes, 'side door');
  await axe(p, 'the console after a new booking');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a group session is one card with its seats, not one narrow card per attendee', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  const ids = await p.evaluate(() => window.demo.store.write((c) => {
    c.upsertService({ id: 'workshop', name: 'Thermostat workshop', durationMinutes: 60, seats: 6, requiredSkills: ['hvac'] });
    return ['cl-1', 'cl-2', 'cl-3'].map((client) => c.book({ serviceId: 'workshop', providerId: 'ana', clientIds: [client], start: '2026-11-25T16:00' }).id);
  }));
  await p.evaluate(() => { window.demo.cal.view = 'week'; window.demo.cal.render(); });
  const cards = p.locator(`service-calendar .ev[data-id="${ids[0]}"]`);
  await cards.first().waitFor();
  assert.equal(await cards.count(), 1);
  assert.equal(await p.locator(`service-calendar .ev[data-id="${ids[1]}"]`).count(), 0, 'the other seats are in the same card');
  assert.equal(await cards.getAttribute('data-members'), ids.join(' '));
  assert.equal(await cards.locator('.seats').textContent(), '3 of 6 seats');
  const names = await p.evaluate(() => ['cl-1', 'cl-2', 'cl-3'].map((id) => window.demo.coordinator.clients().find((x) => x.id === id).name));
  const label = await cards.locator('.sr').textContent();
  assert.ok(names.every((n) => label.includes(n)), label);
  assert.match(label, /Thermostat workshop \(3 of 6 seats\)/);
  await p.screenshot({ path: 'test-artifacts/calendar-session-1280.png' });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('resources are shown by name: in a booking\'s details and in what is read out for it', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => { window.demo.cal.view = 'week'; window.demo.cal.render(); });
  const b = await p.evaluate(() => window.demo.coordinator.bookings({ from: '2026-11-24', to: '2026-11-25', status: ['confirmed'] }).find((x) => x.resources.length));
  const name = await p.evaluate((id) => window.demo.coordinator.resources().find((r) => r.id === id).name, b.resources[0].resourceId);
  const card = p.locator(`service-calendar .ev[data-id="${b.id}"]`);
  assert.match(await card.locator('.sr').textContent(), new RegExp(` with ${name}, `));
  await card.click();
  const dialog = p.locator('service-calendar dialog[open]');
  const text = await dialog.textContent();
  assert.match(text, new RegExp(`Equipment${name}`));
  assert.ok(!text.includes(b.resources[0].resourceId), 'no resource id shown');
  await p.close();
});

test('the month view on a phone: each day shows a dot per booking and the count, at-risk ringed', { skip: noBrowser }, async () => {
  const p = await page('console.html', { width: 360, height: 1000 });
  await p.evaluate(() => { window.demo.cal.view = 'month'; window.demo.cal.render(); });
  const cal = p.locator('service-calendar');
  const tuesday = cal.locator('[role=gridcell][data-day]').filter({ hasText: /^.*November 24, 2026/ });
  const count = await p.evaluate(() => window.demo.coordinator.bookings({ from: '2026-11-24', to: '2026-11-25' }).length);
  assert.ok(count > 0);
  assert.equal(await tuesday.locator('.dots b').textContent(), String(count));
  assert.ok(await tuesday.locator('.dots').isVisible(), 'dots at 360 px');
  assert.equal(await tuesday.locator('.chip').first().isVisible(), false, 'no clipped chips');
  await axe(p, 'the month view at 360 px');
  await p.screenshot({ path: 'test-artifacts/calendar-month-360px.png' });
  await p.close();
});

test('a day\'s schedule prints: every booking, without the controls', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => { window.demo.cal.view = 'resource-day'; window.demo.cal.render(); });
  const count = await p.locator('service-calendar .ev').count();
  assert.ok(count > 0);
  await p.emulateMedia({ media: 'print' });
  const visible = await p.evaluate(() => [...window.demo.cal.shadowRoot.querySelectorAll('.ev')].filter((x) => x.offsetWidth > 0 && getComputedStyle(x).display !== 'none').length);
  assert.equal(visible, count, 'every booking is on paper');
  assert.equal(await p.evaluate(() => [...window.demo.cal.shadowRoot.querySelectorAll('.bar select, .bar button')].filter((x) => getComputedStyle(x).display !== 'none').length), 0, 'no controls');
  assert.equal(await p.evaluate(() => getComputedStyle(window.demo.cal.shadowRoot.querySelector('.bar h2')).display !== 'none'), true, 'the day is named');
  await p.screenshot({ path: 'test-artifacts/calendar-print-day.png', fullPage: true });
  await p.emulateMedia({ media: 'screen' });
  await p.close();
});

test('right to left: with dir="rtl" the grids, the hours, the cards and the dispatch board mirror, and axe finds nothing', { skip: noBrowser }, async () => {
  const p = await page('console.html');
  await p.evaluate(() => { const c = window.demo.cal; c.setAttribute('dir', 'rtl'); c.view = 'week'; c.render(); });
  const where = await p.evaluate(() => {
    const root = window.demo.cal.shadowRoot;
    const box = (q) => root.querySelector(q).getBoundingClientRect();
    const card = root.querySelector('.ev');
    return { gutter: box('.gutter').x, firstDay: box('.col[data-col="0"]').x, lastDay: box('.col[data-col="6"]').x,
      border: [getComputedStyle(card).borderRightWidth, getComputedStyle(card).borderLeftWidth] };
  });
  assert.ok(where.gutter > where.firstDay, 'the hours on the right');
  assert.ok(where.firstDay > where.lastDay, 'the week runs right to left');
  assert.deepEqual(where.border, ['4px', '0px'], 'a card\'s colour bar on its leading (right) edge');
  await axe(p, 'the console week, right to left');
  await p.screenshot({ path: 'test-artifacts/calendar-week-rtl.png' });
  // The dispatch board: technicians on the right, the day running leftwards from them.
  await p.evaluate(() => { window.demo.cal.view = 'dispatch'; window.demo.cal.render(); });
  await p.waitForFunction(() => window.demo.cal.shadowRoot.querySelector('.board .hours span'), null, { timeout: 30000 });
  const board = await p.evaluate(() => {
    const root = window.demo.cal.shadowRoot;
    const hours = [...root.querySelectorAll('.hours span')].map((x) => x.getBoundingClientRect().x);
    return { who: root.querySelector('.who').getBoundingClientRect().x, first: hours[0], last: hours.at(-1) };
  });
  assert.ok(board.who > board.first, 'the names on the right');
  assert.ok(board.first > board.last, 'the day runs right to left');
  await axe(p, 'the dispatch board, right to left');
  await p.screenshot({ path: 'test-artifacts/board-rtl.png' });
  await p.evaluate(() => { window.demo.cal.view = 'reports'; window.demo.cal.render(); });
  await p.waitForFunction(() => window.demo.cal.shadowRoot.querySelector('.reports'), null, { timeout: 60000 });
  await axe(p, 'the reports, right to left');
  await p.screenshot({ path: 'test-artifacts/reports-rtl.png' });
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('the console imports a technician\'s calendar file: what came in, what was left out and why (as text), kept; axe at both widths', { skip: noBrowser }, async () => {
  for (const width of [1280, 360]) {
    const p = await page('console.html', { width, height: 900 });
    await p.getByRole('button', { name: 'Import a technician\'s calendar…' }).click();
    const dialog = p.locator('dialog#import');
    await dialog.locator('select[name=provider]').selectOption('ben');
    const ics = [
      'BEGIN:VCALENDAR', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
      'BEGIN:VEVENT', 'UID:dentist@google.com', 'DTSTART;TZID=America/New_York:20261124T100000', 'DTEND;TZID=America/New_York:20261124T113000', `SUMMARY:Dentist ${XSS}`, 'END:VEVENT',
      'BEGIN:VEVENT', `UID:${XSS}`, `DTSTART;TZID=${XSS}:20261125T100000`, 'DURATION:PT1H', 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n');
    await dialog.locator('input[type=file]').setInputFiles({ name: 'ben.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.locator('.ok').waitFor();
    assert.match(await dialog.locator('.ok').textContent(), /^Ben Okafor: 1 event imported \(1 busy time\); 1 left out\.$/);
    const skip = dialog.locator('li[data-reason=UNKNOWN_TIME_ZONE]');
    assert.match(await skip.textContent(), /^Line 11 \(<img src=x onerror="window\.pwned=1">\), an unknown time zone: TZID /);
    assert.doesNotMatch(await dialog.locator('.result').textContent(), /null/);
    assert.equal(await dialog.locator('img').count(), 0, 'text from the file stays text');
    await settled(p);
    const off = await p.evaluate(() => window.demo.coordinator.providers().find((x) => x.id === 'ben').timeOff.map((t) => [t.start, t.end]));
    assert.ok(off.some(([s, e]) => s === '2026-11-24T15:00:00Z' && e === '2026-11-24T16:30:00Z'), JSON.stringify(off));
    await axe(p, `the import dialog at ${width} px`);
    await p.screenshot({ path: `test-artifacts/import-${width}.png`, fullPage: true });
    // All or nothing: the same file refused whole, nothing changes.
    await dialog.locator('input[name=strict]').check();
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.locator('.error[data-code=INVALID_ICALENDAR]').waitFor();
    assert.match(await dialog.locator('.error').textContent(), /^Nothing was imported: line 11: /);
    assert.equal(await p.evaluate(() => window.pwned), undefined);
    assert.deepEqual(p.errors, []);
    await p.close();
  }
});
