// The demo page in real headless Chromium: it lists slots, books one, and shows a coded error
// on a clash. Skipped (with a message) only where no Chromium is installed; ./dev test installs it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { open, noBrowser } from './chromium.mjs';

test('the demo page books a slot and shows OVERLAP on a clash', { skip: noBrowser }, async () => {
  const chrome = await open();
  try {
    const page = await chrome.browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(chrome.url(''));
    await page.waitForSelector('#slots button');
    const before = await page.locator('#booked tr').count();
    const first = page.locator('#slots button').first();
    await first.click();
    await page.fill('#name', '<img src=x onerror="window.pwned=1">Mallory');
    await page.fill('#email', 'mallory@example.com');
    await page.click('#details button[type=submit]');
    await page.waitForSelector('#message.ok');
    assert.match(await page.textContent('#message'), /Booked/);
    assert.equal(await page.locator('#booked tr').count(), before + 1);
    // The client's name is in the table as text, markup and all.
    assert.ok((await page.textContent('#booked')).includes('<img src=x onerror="window.pwned=1">Mallory'));
    await page.click('#clash');
    await page.waitForSelector('#message.error');
    assert.equal(await page.textContent('#message code'), 'OVERLAP');
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await page.screenshot({ path: 'test-artifacts/demo.png', fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await chrome.close();
  }
});
