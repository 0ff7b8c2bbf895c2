// The hand-written .d.ts: real usage compiles under --strict, wrong usage does not, no `any`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url).pathname;

test('pkg/index.d.ts, calendar.d.ts and dispatch.d.ts type real use, refuse wrong use, and have no any', () => {
  for (const f of ['index.d.ts', 'calendar.d.ts', 'dispatch.d.ts']) {
    const dts = readFileSync(`${root}pkg/${f}`, 'utf8');
    assert.doesNotMatch(dts.replace(/\/\/.*$/gm, ''), /\bany\b/, f);
  }
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '--strict', '--noEmit', '--target', 'es2022',
    '--module', 'es2022', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', `${root}tests/types/usage.ts`, `${root}tests/types/calendar-usage.ts`, `${root}tests/types/dispatch-usage.ts`], { stdio: 'pipe' });
});
