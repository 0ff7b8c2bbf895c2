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

/** The members a declaration names (methods, getters, properties), and its static ones. */
function declared(file, head) {
  const text = readFileSync(`${root}pkg/${file}`, 'utf8');
  const at = text.indexOf(head);
  assert.ok(at >= 0, `${head} in ${file}`);
  let depth = 0; let end = text.indexOf('{', at);
  const open = end;
  for (; end < text.length; end++) {
    if (text[end] === '{') depth++;
    else if (text[end] === '}' && --depth === 0) break;
  }
  const body = text.slice(open + 1, end).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const names = new Set(); const statics = new Set();
  for (const m of body.matchAll(/^\s{2}(static\s+)?(?:readonly\s+)?(?:get\s+|set\s+)?(\w+)\s*[(<:?]/gm)) {
    if (m[2] !== 'constructor') (m[1] ? statics : names).add(m[2]);
  }
  return { names, statics };
}

const own = (o, skip = []) => new Set(Object.getOwnPropertyNames(o).filter((n) => !['constructor', 'length', 'name', 'prototype', ...skip].includes(n)));

test('the runtime has exactly the methods the declarations name (Coordinator, Store, Remote)', async () => {
  const { Coordinator } = await import(`${root}pkg/index.js`);
  const { Store } = await import(`${root}pkg/persist.js`);
  const { Remote } = await import(`${root}pkg/remote.js`);
  for (const [file, head, cls] of [['index.d.ts', 'export declare class Coordinator {', Coordinator],
    ['persist.d.ts', 'export interface Store {', Store], ['remote.d.ts', 'export interface Remote {', Remote]]) {
    const d = declared(file, head);
    const runtime = own(cls.prototype);
    assert.deepEqual([...runtime].filter((n) => !d.names.has(n)), [], `${head}: at runtime, not declared`);
    assert.deepEqual([...d.names].filter((n) => !runtime.has(n)), [], `${head}: declared, not at runtime`);
    if (file === 'index.d.ts') assert.deepEqual([...own(cls)].sort(), [...d.statics].sort(), 'static members');
  }
});

test('persist.d.ts and remote.d.ts type real use, refuse wrong use, and have no any', () => {
  for (const f of ['persist.d.ts', 'remote.d.ts']) {
    assert.doesNotMatch(readFileSync(`${root}pkg/${f}`, 'utf8').replace(/\/\/.*$/gm, ''), /\bany\b/, f);
  }
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '--strict', '--noEmit', '--target', 'es2022',
    '--module', 'es2022', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', `${root}tests/types/store-usage.ts`], { stdio: 'pipe' });
});

test('CalendarStrings declares exactly the words the element has, and each language has them all', async () => {
  const { STRINGS } = await import(`${root}js/calendar/strings.js`);
  const text = readFileSync(`${root}pkg/calendar.d.ts`, 'utf8');
  const at = text.indexOf('export interface CalendarStrings');
  const body = text.slice(text.indexOf('{', at) + 1, text.indexOf('\n}\n', at)).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
    .replace(/\{[^{}]*\}/g, '{}'); // the fields of an argument's object are not words
  const declared = new Set([...body.matchAll(/(?:^|;)\s*(\w+)\s*[(:?]/gm)].map((m) => m[1]));
  assert.deepEqual(Object.keys(STRINGS).filter((k) => !declared.has(k)), [], 'words not declared');
  assert.deepEqual([...declared].filter((k) => !(k in STRINGS)), [], 'declared, not words');
});
