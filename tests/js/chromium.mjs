// Real headless Chromium (Debian's) against www/ served on 127.0.0.1, for the browser tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const noBrowser = !existsSync(browserPath) && `no browser at ${browserPath}`;
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Serves www/ and pkg/, starts Chromium; `close()` stops both. `env`: for www/serve.mjs
 * (SC_SERVER: pass /api/ through to a reference server). `persistent`: one browser context on a
 * profile of its own (`context`), where DevTools' storage quota override takes effect. */
export async function open({ env = {}, persistent = false } = {}) {
  const port = 8700 + Math.floor(Math.random() * 800);
  const server = spawn(process.execPath, [new URL('../../www/serve.mjs', import.meta.url).pathname, String(port)], { stdio: 'pipe', env: { ...process.env, ...env } });
  await new Promise((resolve, reject) => { server.stdout.once('data', resolve); server.once('exit', reject); });
  mkdirSync('test-artifacts', { recursive: true });
  if (persistent) {
    const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'sc-profile-')), { executablePath: browserPath, args });
    return {
      url: (path) => `http://127.0.0.1:${port}/${path}`,
      origin: `http://127.0.0.1:${port}`,
      context,
      async close() { await context.close(); server.kill(); },
    };
  }
  const browser = await chromium.launch({ executablePath: browserPath, args });
  return {
    url: (path) => `http://127.0.0.1:${port}/${path}`,
    browser,
    async close() { await browser.close(); server.kill(); },
  };
}
