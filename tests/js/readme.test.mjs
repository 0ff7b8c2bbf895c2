// The README's quick start, run as pasted (with the import pointed at pkg/): it must work and
// print what its comments say.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const PKG = (file) => new URL(`../../pkg/${file}`, import.meta.url).href;

/** The first js block after `heading`, with its package imports pointed at pkg/ (and `prelude`
 * before it), run in a fresh Node: its output lines. */
function run(heading, prelude = '') {
  const block = README.split(heading)[1].match(/```js\n([\s\S]*?)```/)[1];
  const file = join(mkdtempSync(join(tmpdir(), 'readme-')), 'example.mjs');
  writeFileSync(file, prelude + block
    .replace("from 'service-coordinator/dispatch'", `from '${PKG('dispatch.js')}'`)
    .replace("from 'service-coordinator'", `from '${PKG('index.js')}'`));
  return { block, out: execFileSync(process.execPath, [file], { encoding: 'utf8' }).trim().split('\n') };
}
const LOADED = `import { load, Coordinator } from '${PKG('index.js')}';\nawait load();\n`;

test('the README quick start runs and prints what it promises', () => {
  const { out } = run('## Quick start');
  assert.match(out[0], /^8 \{/);
  assert.ok(out.some((l) => l.startsWith('OVERLAP Ben Okafor already has booking bk-1')), out.join('\n'));
  assert.ok(out.includes('STALE_REVISION'));
  assert.ok(out.includes('changed booking bk-1 cancelled'));
  assert.equal(out.at(-1), 'true');
});

test("the README's emergencies example runs as pasted after the quick start's import", () => {
  const { out } = run("## The day's emergencies", LOADED);
  assert.equal(out[0], 'OVERLAP');
  assert.match(out[1], /^\d+ steps explained$/);
  assert.match(out[2], /^cara 2026-11-24T14:00:00Z \[ 'provider' \]$/);
  assert.equal(out[3], 'confirmed');
  assert.equal(out[4], '2026-11-24T14:00:00Z');
  assert.ok(out.some((l) => l.includes('clientsTimeChanged')), out.join('\n'));
});

test("the README's dispatch example runs as pasted and plans what its comment says", () => {
  const { out } = run('## Dispatch');
  assert.equal(out.at(-1), 'booked@09:00 furnace@10:03 ana#1.break1@12:00 boiler@14:00');
});

test("the README's day of dispatch runs as pasted and books what its comments say", () => {
  const { block, out } = run("## The day's dispatch");
  const said = block.split('\n').filter((l) => l.startsWith('// ') && /^\/\/ (TRAVEL_TIME|bk-)/.test(l)).map((l) => l.slice(3).replace(/\s+\(.*\)$/, ''));
  assert.deepEqual(out, said);
});

test("the README's records example runs as pasted and prints what its comments say", () => {
  const { out } = run('## After the visit', LOADED);
  assert.deepEqual(out, ['PROTOCOL_INCOMPLETE checklist:flue signature', '17650', 'Satisfaction call: overdue', '1 1 null']);
});

test("the README's sync example keeps a page in step with a server, as its comments say", () => {
  const { out } = run('## Keeping copies in step');
  assert.deepEqual(out, [
    '2',
    '{"version":3,"kind":"booking","id":"bk-1","before":null,',
    '{ version: 3, applied: 1, skipped: 0 }',
    '{ version: 3, applied: 0, skipped: 1 }',
    'VERSION_GAP',
    'true',
  ]);
});
