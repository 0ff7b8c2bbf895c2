import type { Coordinator, CoordinatorOptions } from './index.js';

/** Changes logged before the log is folded into a new snapshot. */
export const COMPACT_AFTER: number;

export interface StoreOptions {
  /** The store's name within this origin (default `default`). */
  name?: string;
  /** For a store that is still empty: the coordinator's zone. */
  timeZone?: string;
  /** The coordinator's clock. */
  now?: CoordinatorOptions['now'];
}

/** A coordinator kept in IndexedDB and in step across this origin's tabs (README: "Keeping the data"). */
export interface Store {
  /** Read it at will; change it only through `write`. */
  readonly coordinator: Coordinator;
  /** Runs `change` as the store's one writer; once the promise resolves its changes are on disk.
   * STORAGE_FULL or STORAGE_FAILED when they could not be kept (the coordinator is put back). */
  write<T>(change: (c: Coordinator) => T): Promise<T>;
  close(): void;
}

/** Opens (or starts) a store; STORAGE_UNAVAILABLE without IndexedDB, Web Locks and
 * BroadcastChannel, STORAGE_BLOCKED when another tab holds it open at an older version. */
export function openStore(options?: StoreOptions): Promise<Store>;
