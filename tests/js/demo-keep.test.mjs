// The demo pages keep their data: in the page's IndexedDB by default (a reload keeps every
// booking), and with ?server on the reference server (a reload, or another browser, sees it).
import test from 'node:test';
import assert from 'node:assert/strict';
import { open, noBrowser } from './chromium.mjs';
import { database, startServer, call, TOKEN } from './server-harness.mjs';

const NOW = '2026-11-23T14:00:00Z';

test('the booking page keeps a booking across a reload (IndexedDB)', { skip: noBrowser, timeout: 60000 }, async () => {
  const chrome = await open();
  try {
    const p = await chrome.browser.newPage({ viewport: { width: 1280, height: 1400 } });
    await p.goto(chrome.url(`book.html?now=${NOW}`));
    const cal = p.locator('service-calendar');
    await cal.locator('[role=gridcell][data-day]:not([aria-disabled=true])').first().click();
    const slot = cal.locator('.slots button').first();
    const label = await slot.getAttribute('aria-label') ?? await slot.textContent();
    await slot.click();
    await cal.locator('input[name=name]').fill('Rita Reload');
    await cal.locator('input[name=email]').fill('rita@example.com');
    await cal.locator('button[type=submit]').click();
    await cal.locator('.msg.ok').waitFor();
    const booked = await p.evaluate(() => window.demo.coordinator.bookings({}).filter((b) => b.status === 'confirmed').length);
    await p.reload();
    await p.waitForFunction(() => window.demo?.coordinator);
    const after = await p.evaluate(() => window.demo.coordinator.bookings({}));
    assert.equal(after.filter((b) => b.status === 'confirmed').length, booked, 'every booking is still there');
    const rita = await p.evaluate(() => window.demo.coordinator.clients().find((c) => c.name === 'Rita Reload'));
    assert.ok(rita, 'the new client too');
    assert.ok(after.some((b) => b.clientIds.includes(rita.id)), `the booking of ${label}`);
    await p.close();
  } finally {
    await chrome.close();
  }
});

test('the console on the reference server: a change made in the page is on the server, and a reload shows it', { skip: noBrowser, timeout: 120000 }, async () => {
  const db = database('sc_test');
  const server = await startServer({ db });
  const chrome = await open({ env: { SC_SERVER: server.url } });
  const tenant = `demo-${process.pid}-${Date.now().toString(36)}`;
  try {
    const p = await chrome.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const address = chrome.url(`console.html?now=${NOW}&server&token=${TOKEN}&tenant=${tenant}`);
    await p.goto(address);
    await p.waitForFunction(() => window.demo?.cal?.shadowRoot?.querySelector('[role=grid], .grid'), null, { timeout: 60000 });
    // The first page filled the tenant on the server.
    const onServer = (await call(server, tenant, 'providers', null)).body.ok;
    assert.equal(onServer.length, 6);
    // Cancel a job through the element's dialog: the element writes through the store.
    await p.evaluate(() => { window.demo.cal.view = 'week'; window.demo.cal.render(); });
    const id = await p.evaluate(() => window.demo.coordinator.bookings({ from: '2026-11-24', to: '2026-11-25', status: ['confirmed'] })[0].id);
    const cal = p.locator('service-calendar');
    await cal.locator(`.ev[data-id="${id}"]`).click();
    await cal.locator('dialog[open]').getByRole('button', { name: 'Cancel booking' }).click();
    await p.evaluate(() => window.demo.settled());
    // Cancelled by the server's clock (the real one: the page's ?now is only the page's), so late.
    const kept = (await call(server, tenant, 'booking', id)).body.ok.status;
    assert.match(kept, /^(late_)?cancelled$/, 'the server kept it');
    assert.equal(await p.evaluate((id) => window.demo.coordinator.booking(id).status, id), kept, 'the page shows what the server kept');
    await p.screenshot({ path: 'test-artifacts/console-server-1280.png' });
    await p.reload();
    await p.waitForFunction(() => window.demo?.coordinator, null, { timeout: 60000 });
    assert.equal(await p.evaluate((id) => window.demo.coordinator.booking(id).status, id), kept);
    // A change made elsewhere (another console, through the server) reaches this page.
    const other = (await call(server, tenant, 'bookings', { from: '2026-11-24', to: '2026-11-25', status: ['confirmed'] })).body.ok[0];
    await call(server, tenant, 'cancel', [other.id, {}]);
    await p.waitForFunction((id) => window.demo.coordinator.booking(id).status.endsWith('cancelled'), other.id, { timeout: 5000 });
    await p.close();
  } finally {
    await chrome.close();
    await server.stop();
  }
});
