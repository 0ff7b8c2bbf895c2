// The demo page in real headless Chromium: it lists slots, books one, and shows a coded error
// on a clash. Skipped (with a message) only where no Chromium is installed; ./dev test installs it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

test('the demo page books a slot and shows OVERLAP on a clash', { skip: !existsSync(browserPath) && `no browser at ${browserPath}` }, async () => {
  const port = 8700 + Math.floor(Math.random() * 200);
  const server = spawn(process.execPath, [new URL('../../www/serve.mjs', import.meta.url).pathname, String(port)], { stdio: 'pipe' });
  await new Promise((resolve) => server.stdout.once('data', resolve));
  const browser = await chromium.launch({ executablePath: browserPath, args });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForSelector('#slots button');
    const before = await page.locator('#booked tr').count();
    const first = page.locator('#slots button').first();
    await first.click();
    await page.fill('#name', '<img src=x onerror="window.pwned=1">Mallory');
    await page.fill('#contact', 'mallory@example.com');
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
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/demo.png', fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.kill();
  }
});
