import type { Coordinator, CoordinatorOptions } from './index.js';

export interface ConnectOptions {
  /** The server's origin (default: this page's). */
  url?: string;
  /** The tenant's name on the server. */
  tenant: string;
  /** The console's token (the copy reads the snapshot and the change stream, which need it). */
  token?: string;
  /** The copy's clock (the server's own clock decides every write). */
  now?: CoordinatorOptions['now'];
}

/** A coordinator kept by the reference server, with a copy in the page (README: "A server of your own"). */
export interface Remote {
  /** The page's copy, following the server: read it at will; change it only through `write`. */
  readonly coordinator: Coordinator;
  /** Runs `change` on a scratch copy, then has the server make the same calls as one write.
   * Resolves (to the server's answer of a single call, else to what `change` returned) once the
   * server has kept them and the copy shows them; rejects with the engine's or the server's coded
   * error (SERVER_UNREACHABLE, UNAUTHORIZED, ...), nothing changed. */
  write<T>(change: (c: Coordinator) => T): Promise<T>;
  /** Stops following the server. */
  close(): void;
}

/** Connects to a tenant on the reference server; resolves once the page's copy is restored. */
export function connect(options: ConnectOptions): Promise<Remote>;
