// Keeping the data in the page (issue 15): a coordinator kept in IndexedDB as a snapshot plus an
// append-only log of its changes (compacted into a new snapshot every COMPACT_AFTER changes), and
// in step across the tabs of one origin.
//
// One writer at a time, by a Web Lock per store: a write takes the lock, applies what other tabs
// logged since it last looked, runs on the engine, and appends its changes to the log in a
// transaction committed with `durability: 'strict'` before the lock is let go and the call
// returns. The other tabs hear of it on a BroadcastChannel and apply the logged changes (the
// sync protocol's applyChanges). So two tabs never both take one slot, and ids never collide:
// the second writer runs on the first one's state. A save that fails (a full quota) is a coded
// error, and the engine is put back to what the store holds.
import { Coordinator, CoordinatorError } from './index.js';

/** Changes logged before the log is folded into a new snapshot. */
export const COMPACT_AFTER = 500;
const RUN = 5000; // applyChanges takes at most this many a call

const fail = (code, message) => new CoordinatorError({ code, message, details: [] });
const ask = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
const committed = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onerror = tx.onabort = () => reject(tx.error ?? new DOMException('the transaction was aborted', 'AbortError'));
});

function storageError(e, what) {
  if (e instanceof CoordinatorError) return e;
  if (e?.name === 'VersionError') {
    return fail('STORAGE_FAILED', `${what}: the store was written by a newer version of service-coordinator; load the page again to get it`);
  }
  if (e?.name === 'QuotaExceededError') {
    return fail('STORAGE_FULL', `${what}: this site's storage is full; the change was not kept (free space, or export and clear old data)`);
  }
  return fail('STORAGE_FAILED', `${what}: ${e?.name ?? 'Error'}: ${e?.message ?? e}`);
}

function openDatabase(name) {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(`service-coordinator:${name}`, 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore('meta');
      r.result.createObjectStore('log', { keyPath: 'version' });
    };
    r.onblocked = () => reject(fail('STORAGE_BLOCKED', `the store "${name}" is held open at an older version by another tab; close it and try again`));
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(storageError(r.error, `opening the store "${name}"`));
  });
}

/** What the store holds: its snapshot (text and version) and the changes logged after it. */
async function read(db) {
  const tx = db.transaction(['meta', 'log'], 'readonly');
  const snapshot = await ask(tx.objectStore('meta').get('snapshot'));
  const from = snapshot?.version ?? 0;
  const entries = await ask(tx.objectStore('log').getAll(IDBKeyRange.lowerBound(from, true)));
  return { snapshot, changes: entries.map((e) => e.change) };
}

function applyAll(c, changes) {
  for (let i = 0; i < changes.length; i += RUN) c.applyChanges(changes.slice(i, i + RUN));
}

/**
 * Opens (or starts) the store `name` of this origin and the coordinator it holds.
 * `timeZone` and `now` are the Coordinator's options for a store that is still empty.
 */
export async function openStore({ name = 'default', timeZone, now } = {}) {
  if (!globalThis.indexedDB || !globalThis.navigator?.locks || !globalThis.BroadcastChannel) {
    throw fail('STORAGE_UNAVAILABLE', 'keeping data in the page needs IndexedDB, Web Locks and BroadcastChannel (a secure context: https, or http on 127.0.0.1 or localhost)');
  }
  const db = await openDatabase(name);
  let held;
  try {
    held = await read(db);
  } catch (e) {
    db.close();
    throw storageError(e, `reading the store "${name}"`);
  }
  try {
    const c = held.snapshot ? Coordinator.restore(held.snapshot.text, { now }) : new Coordinator({ timeZone, now });
    applyAll(c, held.changes);
    return new Store(name, db, c, held.changes.length);
  } catch (e) {
    db.close(); // what the store holds does not restore: the coded error says why
    throw e;
  }
}

export class Store {
  #name; #db; #c; #channel; #logged; #closed = false;

  constructor(name, db, c, logged) {
    this.#name = name;
    this.#db = db;
    this.#c = c;
    this.#logged = logged;
    this.#channel = new BroadcastChannel(`service-coordinator:${name}`);
    // A newer version of the page upgrades the database: this tab lets go of it rather than
    // block the upgrade (its writes then fail with a coded error; a reload gets the new page).
    db.onversionchange = () => {
      this.#closed = true;
      this.#channel.close();
      db.close();
    };
    // Another tab wrote: take what it logged (outside any write of ours, under no lock: a write
    // of ours catches up again inside its lock before it runs).
    this.#channel.onmessage = () => { this.#catchUp().catch((e) => reportError(e)); };
  }

  /** The coordinator: read it at will; change it only through `write`. */
  get coordinator() { return this.#c; }

  /**
   * Runs `change(coordinator)` as the one writer of this store and keeps what it changed: when
   * the returned promise settles the changes are on disk (or the call threw a coded error and
   * nothing changed: a `change` that throws part-way is undone whole). Resolves to what
   * `change` returned.
   */
  write(change) {
    if (this.#closed) return Promise.reject(fail('STORAGE_FAILED', `the store "${this.#name}" is closed (closed here, or upgraded by a newer version of the page in another tab: load the page again)`));
    return navigator.locks.request(`service-coordinator:${this.#name}`, async () => {
      await this.#catchUp();
      const made = [];
      const off = this.#c.onChange((x) => made.push(x));
      let result;
      try {
        result = change(this.#c);
      } catch (e) {
        // All or nothing: what `change` did before it threw is undone.
        if (made.length) await this.#reread();
        throw e;
      } finally {
        off();
      }
      if (made.length === 0) return result;
      try {
        await this.#append(made);
      } catch (e) {
        // The engine moved and the disk did not: put the engine back to what the disk holds.
        await this.#reread();
        throw storageError(e, 'saving the change');
      }
      this.#channel.postMessage(this.#c.changeVersion());
      return result;
    });
  }

  /** Closes the database and stops listening to other tabs. */
  close() {
    this.#closed = true;
    this.#channel.close();
    this.#db.close();
  }

  /** Puts the engine back to what the disk holds. */
  async #reread() {
    const held = await read(this.#db);
    this.#c.replaceState(held.snapshot?.text ?? null);
    applyAll(this.#c, held.changes);
    this.#logged = held.changes.length;
  }

  async #catchUp() {
    const v = this.#c.changeVersion();
    const tx = this.#db.transaction(['meta', 'log'], 'readonly');
    const snapshot = await ask(tx.objectStore('meta').get('snapshot'));
    if (snapshot && snapshot.version > v) {
      // Folded into a snapshot since we looked: start from it.
      const held = await read(this.#db);
      this.#c.replaceState(held.snapshot.text);
      applyAll(this.#c, held.changes);
      this.#logged = held.changes.length;
      return;
    }
    const entries = await ask(tx.objectStore('log').getAll(IDBKeyRange.lowerBound(v, true)));
    applyAll(this.#c, entries.map((e) => e.change));
    this.#logged += entries.length;
  }

  async #append(changes) {
    const tx = this.#db.transaction(['meta', 'log'], 'readwrite', { durability: 'strict' });
    const log = tx.objectStore('log');
    for (const change of changes) log.put({ version: change.version, change });
    this.#logged += changes.length;
    if (this.#logged >= COMPACT_AFTER) {
      const version = this.#c.changeVersion();
      tx.objectStore('meta').put({ version, text: this.#c.snapshot() }, 'snapshot');
      log.delete(IDBKeyRange.upperBound(version));
      this.#logged = 0;
    }
    await committed(tx);
  }
}
