// A coordinator kept by the reference server (README: "A server of your own"): the page holds a
// copy for reads, restored from the server's snapshot and following its change stream; a write
// runs first on a scratch copy (so a refusal costs no round trip and `change` sees real answers),
// then its calls go to the server as one batch, which runs them again under its lock with the
// same rules and answers with the changes, which the copy applies. So the server always has the
// last word, and what the page shows is what the server holds.
import { Coordinator, CoordinatorError } from './index.js';

const TAP = Symbol.for('service-coordinator.tap');
const PAGE = 5000; // the server's page of changes

const fail = (code, message) => new CoordinatorError({ code, message, details: [] });

async function request(url, init) {
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw fail('SERVER_UNREACHABLE', `${url}: ${e?.message ?? e}`);
  }
  if (!res.ok) {
    let body = null;
    try { body = await res.json(); } catch { /* not the server's JSON */ }
    throw body?.error ? new CoordinatorError(body.error) : fail('SERVER_FAILED', `${url}: ${res.status} ${res.statusText}`);
  }
  return res;
}

/**
 * Connects to `tenant` on the server at `url` (default: this page's origin) with the console's
 * `token`; resolves once the page's copy is restored.
 */
export async function connect({ url = '', tenant, token, now } = {}) {
  if (typeof tenant !== 'string' || !tenant) throw fail('INVALID_INPUT', 'connect needs the tenant\'s name');
  const base = `${url.replace(/\/$/, '')}/api/${encodeURIComponent(tenant)}`;
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const res = await request(`${base}/snapshot`, { headers });
  return new Remote(base, headers, Coordinator.restore(await res.text(), { now }), now);
}

export class Remote {
  #base; #headers; #c; #now; #queue = Promise.resolve(); #stop = new AbortController();

  constructor(base, headers, c, now) {
    this.#base = base;
    this.#headers = headers;
    this.#c = c;
    this.#now = now;
    this.#follow();
  }

  /** The page's copy: read it at will; change it only through `write`. */
  get coordinator() { return this.#c; }

  /**
   * Runs `change(coordinator)` and has the server make the same calls, as one write (all or
   * nothing). Resolves once the server has kept them and the copy shows them: to the server's
   * answer of a single call, or to what `change` returned. A refusal (locally or by the server)
   * rejects with the engine's coded error.
   */
  write(change) {
    const run = this.#queue.then(() => this.#write(change));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Stops following the server. */
  close() { this.#stop.abort(); }

  async #write(change) {
    const scratch = Coordinator.restore(this.#c.snapshot(), { now: this.#now });
    const calls = [];
    scratch[TAP] = (method, input) => calls.push(`{"method":${JSON.stringify(method)},"input":${input}}`);
    const local = change(scratch);
    if (calls.length === 0) return local;
    const res = await request(this.#base, {
      method: 'POST', body: `[${calls.join(',')}]`,
      headers: { ...this.#headers, 'content-type': 'application/json' },
    });
    const reply = await res.json();
    await this.#apply(reply.changes);
    return calls.length === 1 ? reply.ok[0] : local;
  }

  /** Applies changes from the server; a gap (a change not heard of yet) is read first. */
  async #apply(changes) {
    const fresh = changes.filter((x) => x.version > this.#c.changeVersion());
    if (fresh.length === 0) return;
    if (fresh[0].version !== this.#c.changeVersion() + 1) await this.#catchUp();
    const rest = changes.filter((x) => x.version > this.#c.changeVersion());
    if (rest.length) this.#c.applyChanges(rest);
  }

  async #catchUp() {
    for (;;) {
      const res = await request(`${this.#base}/changes?since=${this.#c.changeVersion()}`, { headers: this.#headers, signal: this.#stop.signal });
      const { changes } = await res.json();
      if (changes.length) this.#c.applyChanges(changes);
      if (changes.length < PAGE) return;
    }
  }

  /** Follows the server's change stream (server-sent events, read with fetch so the token can
   * travel in a header), reconnecting after the last version applied. */
  async #follow() {
    const decoder = new TextDecoder();
    while (!this.#stop.signal.aborted) {
      try {
        const res = await request(`${this.#base}/events?since=${this.#c.changeVersion()}`, { headers: this.#headers, signal: this.#stop.signal });
        let buffer = '';
        for await (const chunk of res.body) {
          buffer += decoder.decode(chunk, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const data = buffer.slice(0, end).match(/^data: (.*)$/m)?.[1];
            buffer = buffer.slice(end + 2);
            if (data) await this.#queued(() => this.#apply([JSON.parse(data)]));
          }
        }
      } catch (e) {
        if (this.#stop.signal.aborted) return;
        if (globalThis.reportError) globalThis.reportError(e); else console.error(e);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  // Stream changes wait for a write in flight (whose answer applies them first).
  #queued(fn) {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => {});
    return run;
  }
}
