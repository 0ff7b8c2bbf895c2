// The package as people install it: pkg/ carries its README and licences, and the README's
// esbuild example bundles and runs in Chromium (the .wasm loaded from the URL esbuild gives it).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { open, noBrowser } from './chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = join(root, 'pkg');

test('pkg/ carries its README and licences, and lists them', () => {
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  for (const f of ['README.md', 'LICENSE-MIT', 'LICENSE-APACHE']) {
    assert.ok(existsSync(join(pkg, f)), `${f} is in pkg/`);
    assert.ok(manifest.files.includes(f), `${f} is published`);
  }
  assert.equal(manifest.license, 'MIT OR Apache-2.0');
  assert.equal(manifest.exports['./booking_bg.wasm'], './booking_bg.wasm');
});

test("the package README's esbuild example bundles and books in Chromium", { skip: noBrowser, timeout: 60000 }, async () => {
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
  const example = readme.split('## With a bundler')[1].match(/```js\n([\s\S]*?)```/)[1];
  const dir = join(root, 'test-artifacts', 'bundle');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(pkg, join(dir, 'node_modules', 'service-coordinator'), 'dir');
  writeFileSync(join(dir, 'app.js'), `${example}
const c = new Coordinator({ timeZone: 'America/New_York', now: '2026-11-23T12:00:00Z' });
const day = [{ start: '09:00', end: '17:00' }];
c.upsertProvider({ id: 'ana', name: 'Ana Ortiz', skills: ['hvac'], timeZone: 'America/New_York', weeklyHours: { mon: day, tue: day, wed: day, thu: day, fri: day } });
c.upsertService({ id: 'tune-up', name: 'Furnace tune-up', durationMinutes: 60, requiredSkills: ['hvac'] });
const cal = document.getElementById('cal');
cal.date = '2026-11-24';
cal.coordinator = c;
window.coordinator = c;
`);
  const out = join(dir, 'dist');
  await esbuild.build({ entryPoints: [join(dir, 'app.js')], bundle: true, format: 'esm', loader: { '.wasm': 'file' }, outdir: out, logLevel: 'error', preserveSymlinks: false });
  // The console's entry points bundle for the browser too (no Node module pulled in).
  writeFileSync(join(dir, 'console.js'), "import 'service-coordinator/calendar';\nimport { solve } from 'service-coordinator/dispatch';\nimport { openStore } from 'service-coordinator/persist';\nimport { connect } from 'service-coordinator/remote';\nwindow.parts = [solve, openStore, connect];\n");
  await esbuild.build({ entryPoints: [join(dir, 'console.js')], bundle: true, format: 'esm', loader: { '.wasm': 'file' }, outdir: join(dir, 'console'), logLevel: 'error', platform: 'browser' });
  writeFileSync(join(out, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bundled</title></head><body><service-calendar id="cal" mode="booking"></service-calendar><script type="module" src="app.js"></script></body></html>');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const file = join(out, req.url === '/' ? 'index.html' : req.url.slice(1));
    if (!file.startsWith(out) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const chrome = await open();
  try {
    const p = await chrome.browser.newPage();
    const errors = [];
    p.on('pageerror', (e) => errors.push(e));
    await p.goto(`http://127.0.0.1:${server.address().port}/`);
    await p.waitForFunction(() => document.getElementById('cal')?.shadowRoot?.querySelector('[role=gridcell][data-day]:not([aria-disabled=true])'));
    await p.locator('service-calendar [role=gridcell][data-day]:not([aria-disabled=true])').first().click();
    assert.ok(await p.locator('service-calendar .slots button').count() > 0, 'free times from the bundled engine');
    assert.deepEqual(errors, []);
  } finally {
    await chrome.close();
    server.close();
  }
});
