// The reference server on a real PostgreSQL (started by scripts/postgres.sh): two server
// processes on one database, 200 clients racing for 50 slots, one server killed mid-run and
// restarted; the change stream across servers; engines dropped when idle and restored; what a
// booking page may call without the console's token.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, Coordinator } from '../../pkg/index.js';
import { database, startServer, call, createTenant, raceCompany, TOKEN } from './server-harness.mjs';

await load();
const db = database('sc_test');
const unique = (what) => `${what}-${process.pid}-${Date.now().toString(36)}`;

test('200 clients race two servers for 50 slots, one server killed mid-run: no double booking, every acknowledged booking kept', { timeout: 120000 }, async () => {
  const [a, b] = await Promise.all([startServer({ db }), startServer({ db })]);
  const servers = { a, b };
  const tenant = unique('race');
  const { snapshot, slots, from, to } = await raceCompany({ providers: 1, days: 5, clients: 200 });
  assert.equal(slots.length, 50);
  await createTenant(a, tenant, snapshot);

  const acknowledged = [];
  const refusals = {};
  let answered = 0; let unreachable = 0; let killed = false;
  const client = async (i) => {
    // At most four tries each, ten seconds a try: the run is bounded in count and in time.
    for (let attempt = 0; attempt < 4; attempt++) {
      const server = (i + attempt) % 2 ? servers.b : servers.a;
      const slot = slots[Math.floor(Math.random() * slots.length)];
      let answer;
      try {
        answer = await call(server, tenant, 'book', { serviceId: 'visit', providerId: slot.providerId, clientIds: [`c-${i}`], start: slot.start }, { token: null });
      } catch {
        unreachable++; // the killed server: not acknowledged, try again elsewhere
        continue;
      }
      if (++answered === 60 && !killed) {
        killed = true;
        await a.kill();
      }
      if (answer.status === 200) {
        acknowledged.push(answer.body.ok);
        return;
      }
      refusals[answer.body.error.code] = (refusals[answer.body.error.code] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 200 }, (_, i) => client(i)));
  assert.ok(killed, 'server a was killed mid-run');
  assert.ok(acknowledged.length > 10, `some bookings got through (${acknowledged.length})`);
  assert.ok(Object.keys(refusals).every((c) => ['NO_PROVIDER_AVAILABLE', 'OVERLAP'].includes(c)), JSON.stringify(refusals));

  // Server a comes back on its port; both servers see every acknowledged booking.
  servers.a = await startServer({ db, port: a.port });
  for (const server of [servers.a, b]) {
    const listed = (await call(server, tenant, 'bookings', { from, to, status: ['confirmed'] })).body.ok;
    const byId = new Map(listed.map((x) => [x.id, x]));
    for (const ack of acknowledged) {
      assert.equal(byId.get(ack.id)?.start, ack.start, `acknowledged booking ${ack.id} is kept`);
    }
    // Never two at once: one provider, so at most one booking a slot, at most 50 in all.
    const starts = listed.map((x) => x.start);
    assert.equal(new Set(starts).size, starts.length, 'no slot is booked twice');
    assert.ok(listed.length <= 50);
  }
  // The stored state restores (restore refuses overlapping bookings) in a page's engine too.
  const res = await fetch(`${b.url}/api/${tenant}/snapshot`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const copy = Coordinator.restore(await res.text());
  assert.ok(copy.bookings({ from, to }).length >= acknowledged.length);
  console.log(`race: ${acknowledged.length} booked, refused ${JSON.stringify(refusals)}, ${unreachable} tries met the killed server`);
  await Promise.all([servers.a.stop(), b.stop()]);
});

/** Reads server-sent events from `url` until `until(events)` holds (or the timeout). */
async function events(url, until, ms = 5000) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(ms) });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const seen = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = block.match(/^id: (.*)$/m)?.[1];
        const data = block.match(/^data: (.*)$/m)?.[1];
        if (data) seen.push({ id: Number(id), change: JSON.parse(data) });
      }
      if (until(seen)) break;
    }
  } catch (e) {
    if (e.name !== 'TimeoutError') throw e;
  }
  return seen;
}

test('a booking made on one server reaches the other server\'s change stream, and a stream resumes after its last event', { timeout: 60000 }, async () => {
  const [a, b] = await Promise.all([startServer({ db }), startServer({ db })]);
  const tenant = unique('stream');
  const { snapshot, slots } = await raceCompany({ clients: 2 });
  await createTenant(a, tenant, snapshot);
  const following = events(`${b.url}/api/${tenant}/events?since=0`, (seen) => seen.length >= 2);
  await new Promise((r) => setTimeout(r, 200));
  const first = (await call(a, tenant, 'book', { serviceId: 'visit', clientIds: ['c-0'], start: slots[0].start })).body.ok;
  const second = (await call(a, tenant, 'book', { serviceId: 'visit', clientIds: ['c-1'], start: slots[1].start })).body.ok;
  const seen = await following;
  const v = JSON.parse(snapshot).changeVersion; // the catalog's own changes came before
  assert.deepEqual(seen.map((e) => [e.id, e.change.id]), [[v + 1, first.id], [v + 2, second.id]]);
  // Reconnecting after the first event (EventSource sends Last-Event-ID): only what came after.
  const resumed = await events(`${b.url}/api/${tenant}/events?since=${v + 1}`, (s) => s.length >= 1);
  assert.deepEqual(resumed.map((e) => e.id), [v + 2]);
  // The same, as pages of JSON (the sync protocol's changesSince, read from the database).
  const page = await (await fetch(`${b.url}/api/${tenant}/changes?since=${v + 1}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
  assert.equal(page.head, v + 2);
  assert.deepEqual(page.changes.map((c) => c.version), [v + 2]);
  // A page's copy follows with applyChanges and agrees with the server.
  const copy = Coordinator.restore(snapshot);
  copy.applyChanges(seen.map((e) => e.change));
  assert.equal(copy.booking(second.id).start, second.start);
  await Promise.all([a.stop(), b.stop()]);
});

test('an idle tenant\'s engine is dropped and restored from the database on first use', { timeout: 60000 }, async () => {
  const server = await startServer({ db, env: { SC_IDLE_SECONDS: '1', SC_SNAPSHOT_EVERY: '2' } });
  const tenant = unique('idle');
  const { snapshot, slots } = await raceCompany({ clients: 3 });
  await createTenant(server, tenant, snapshot);
  const health = async () => (await (await fetch(`${server.url}/health`)).json()).engines;
  const made = [];
  for (let i = 0; i < 3; i++) made.push((await call(server, tenant, 'book', { serviceId: 'visit', clientIds: [`c-${i}`], start: slots[i].start })).body.ok);
  assert.equal(await health(), 1);
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(await health(), 0, 'dropped after a second unused');
  const back = (await call(server, tenant, 'booking', made[2].id)).body.ok;
  assert.equal(back.start, made[2].start);
  assert.equal(await health(), 1);
  // And the next id does not collide with one given before the engine was dropped.
  const next = (await call(server, tenant, 'book', { serviceId: 'visit', clientIds: ['c-0'], start: slots[5].start })).body.ok;
  assert.ok(!made.some((m) => m.id === next.id));
  await server.stop();
});

test('a booking page calls its few methods without a token; the console\'s need it; the server keeps its state', { timeout: 60000 }, async () => {
  const server = await startServer({ db });
  const tenant = unique('roles');
  const { snapshot, slots } = await raceCompany({ clients: 1 });
  await createTenant(server, tenant, snapshot);
  const open = (method, args) => call(server, tenant, method, args, { token: null });

  const free = await open('availability', { serviceId: 'visit', from: slots[0].start.slice(0, 10), to: slots[10].start.slice(0, 10) });
  assert.equal(free.status, 200);
  assert.equal(free.body.ok.slots.length, 10);
  assert.equal((await open('upsertClient', { id: 'c-new', name: 'New client' })).status, 200);
  const changeOther = await open('upsertClient', { id: 'c-0', name: 'Someone else' });
  assert.equal(changeOther.status, 403);
  assert.equal(changeOther.body.error.code, 'FORBIDDEN');
  const list = await open('bookings', {});
  assert.equal(list.status, 401);
  assert.equal(list.body.error.code, 'UNAUTHORIZED');
  const wrong = await call(server, tenant, 'bookings', {}, { token: 'guess' });
  assert.equal(wrong.status, 401);
  assert.equal((await call(server, tenant, 'restore', '{}')).body.error.code, 'FORBIDDEN');
  assert.equal((await call(server, tenant, 'applyChanges', [])).body.error.code, 'FORBIDDEN');
  // Engine errors keep their codes, with a status to match.
  const bad = await open('book', { serviceId: 'nope', start: slots[0].start });
  assert.equal(bad.status, 404);
  assert.equal(bad.body.error.code, 'UNKNOWN_ID');
  const junk = await fetch(`${server.url}/api/${tenant}/book`, { method: 'POST', body: '{"serviceId":' });
  assert.equal(junk.status, 400);
  assert.equal((await junk.json()).error.code, 'INVALID_JSON');
  assert.equal((await call(server, 'no-such-tenant', 'services', null)).body.error.code, 'NOT_FOUND');
  assert.equal((await call(server, 'Bad Name', 'services', null)).status, 400);
  const again = await fetch(`${server.url}/api/${tenant}`, { method: 'PUT', body: snapshot, headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal((await again.json()).error.code, 'TENANT_EXISTS');
  await server.stop();
});

test('a page kept by the server (service-coordinator/remote): writes run on the server, the copy follows both servers', { timeout: 60000 }, async () => {
  const { connect } = await import('../../pkg/remote.js');
  const [a, b] = await Promise.all([startServer({ db }), startServer({ db })]);
  const tenant = unique('remote');
  const { snapshot, slots } = await raceCompany({ clients: 2 });
  await createTenant(a, tenant, snapshot);
  const page = await connect({ url: a.url, tenant, token: TOKEN });
  const other = await connect({ url: b.url, tenant, token: TOKEN });
  // One write of two calls: a new client and their booking, all or nothing on the server.
  const booked = await page.write((c) => {
    c.upsertClient({ id: 'c-web', name: 'Web client' });
    return c.book({ serviceId: 'visit', clientIds: ['c-web'], start: slots[0].start });
  });
  assert.equal(page.coordinator.booking(booked.id).start, slots[0].start);
  // The page on the other server hears of it through the change stream.
  const heard = () => other.coordinator.bookings({}).find((x) => x.id === booked.id);
  for (let i = 0; i < 50 && !heard(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(heard()?.clientIds[0], 'c-web');
  // A stale copy's write is refused by the server with the engine's code, and nothing changes.
  const stale = await connect({ url: b.url, tenant, token: TOKEN });
  stale.close();
  await call(a, tenant, 'book', { serviceId: 'visit', clientIds: ['c-0'], start: slots[1].start });
  const before = (await call(a, tenant, 'changeVersion', null)).body.ok;
  await assert.rejects(stale.write((c) => c.book({ serviceId: 'visit', clientIds: ['c-1'], start: slots[1].start })), { code: 'NO_PROVIDER_AVAILABLE' });
  assert.equal((await call(a, tenant, 'changeVersion', null)).body.ok, before);
  // Refused in the page already: no round trip, the same code.
  await assert.rejects(page.write((c) => c.book({ serviceId: 'visit', start: '2020-01-01T09:00:00Z' })), { name: 'CoordinatorError' });
  for (const p of [page, other]) p.close();
  await Promise.all([a.stop(), b.stop()]);
});
