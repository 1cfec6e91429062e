/*
 * WATCH bookkeeping (Redis' multi.c watched keys): which clients watch which keys.
 *
 * A watched key that is modified by anyone (the watching client included),
 * deleted, expired, flushed away or swapped out marks its watchers dirty
 * (ClientFlag.DirtyCas), and their next EXEC replies with a null array.
 *
 * The registry is a keyspace listener: Database.touched(), delete() and expiry
 * report every changed key through `keyModified`, so no command can forget to
 * invalidate WATCH. FLUSHDB, FLUSHALL and SWAPDB tell the registry *before* they
 * change a database (touchDatabase), so that, like Redis' touchAllWatchedKeysInDb,
 * only watchers of keys that actually existed (or appear) are dirtied; any other
 * whole-database change reported afterwards (a replica's full resync) dirties
 * every watcher of that database.
 *
 * Keys that were already expired when watched: Redis 7.0 remembers them as
 * "expired" and does not fail EXEC when they are merely deleted later. Spinel
 * gets the same outcome by applying lazy expiry at WATCH time (the key is gone
 * before it is watched), so only a later write to it dirties the watcher.
 *
 * Cost: keyModified is called on every write; with no watched key at all it
 * returns after one comparison.
 */

import type { Database } from "@spinel/core-db";
import { ClientFlag, type ClientSession } from "./client-session.js";
import type { KeyspaceListener, ServerState } from "./server-state.js";

/** Watchers of the keys of one database: key -> clients watching it. */
type DatabaseWatchers = Map<string, ClientSession[]>;

/** Keys watched by clients, per database. */
export class WatchRegistry implements KeyspaceListener {
  readonly server: ServerState;
  /** Watchers per database index; a database without watched keys has no entry. */
  private readonly byDatabase: Map<number, DatabaseWatchers>;
  /** Number of (client, key) watch registrations, for the fast path. */
  private registrations: number;
  /** Databases whose coming whole-database change the registry already handled. */
  private readonly handledDatabases: Set<number>;

  constructor(server: ServerState) {
    this.server = server;
    this.byDatabase = new Map();
    this.registrations = 0;
    this.handledDatabases = new Set();
    server.keyspaceListeners.push(this);
    server.sessionCloseHooks.push((c) => this.unwatchAll(c));
  }

  /** Number of keys watched by all clients together (INFO watching_clients-like stats). */
  get watchedKeyCount(): number {
    let count = 0;
    for (const watchers of this.byDatabase.values()) count += watchers.size;
    return count;
  }

  /** Number of clients watching at least one key. */
  get watchingClientCount(): number {
    const clients = new Set<ClientSession>();
    for (const watchers of this.byDatabase.values())
      for (const list of watchers.values()) for (const c of list) clients.add(c);
    return clients.size;
  }

  // ------------------------------------------------------------------ WATCH / UNWATCH

  /**
   * Watch `key` of `db` for client `c` (no-op when it already does). Applies lazy
   * expiry first, so a key that is already expired is watched as a missing key.
   */
  watch(c: ClientSession, db: Database, key: string): void {
    const id = `${db.id}\0${key}`;
    if (c.watchedKeys.has(id)) return;
    db.peekEntry(key);
    let watchers = this.byDatabase.get(db.id);
    if (watchers === undefined) {
      watchers = new Map();
      this.byDatabase.set(db.id, watchers);
    }
    const list = watchers.get(key);
    if (list === undefined) watchers.set(key, [c]);
    else list.push(c);
    c.watchedKeys.add(id);
    this.registrations++;
  }

  /** Forget every key `c` watches (UNWATCH, EXEC, DISCARD, RESET, disconnect). */
  unwatchAll(c: ClientSession): void {
    if (c.watchedKeys.size === 0) return;
    for (const id of c.watchedKeys) {
      const separator = id.indexOf("\0");
      const dbId = Number(id.slice(0, separator));
      const key = id.slice(separator + 1);
      const watchers = this.byDatabase.get(dbId);
      const list = watchers?.get(key);
      if (watchers === undefined || list === undefined) continue;
      const index = list.indexOf(c);
      if (index !== -1) {
        list[index] = list[list.length - 1]!;
        list.pop();
        this.registrations--;
      }
      if (list.length === 0) {
        watchers.delete(key);
        if (watchers.size === 0) this.byDatabase.delete(dbId);
      }
    }
    c.watchedKeys.clear();
  }

  /**
   * At EXEC: apply lazy expiry to `c`'s watched keys, so a key that expired since
   * WATCH counts as modified (Redis' isWatchedKeyExpired), then report whether the
   * transaction must fail.
   */
  isDirty(c: ClientSession): boolean {
    if (c.hasFlag(ClientFlag.DirtyCas)) return true;
    const keyspace = this.server.keyspace;
    for (const id of c.watchedKeys) {
      const separator = id.indexOf("\0");
      const db = keyspace.databases[Number(id.slice(0, separator))];
      db?.peekEntry(id.slice(separator + 1));
      if (c.hasFlag(ClientFlag.DirtyCas)) return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ whole databases

  /**
   * Before FLUSHDB / FLUSHALL empties `db` (replacedWith null) or SWAPDB gives it
   * the contents of `replacedWith`: dirty the watchers of keys that exist in `db`
   * now, or will exist after the swap. The databaseModified notification that
   * follows for `db` is then ignored.
   */
  touchDatabase(db: Database, replacedWith: Database | null): void {
    this.handledDatabases.add(db.id);
    const watchers = this.byDatabase.get(db.id);
    if (watchers === undefined) return;
    for (const [key, list] of watchers) {
      if (db.exists(key) || replacedWith?.exists(key) === true) {
        for (const c of [...list]) this.markDirty(c);
      }
    }
  }

  /** Mark `c`'s transaction as failed and stop watching (nothing can undo it). */
  private markDirty(c: ClientSession): void {
    c.flags |= ClientFlag.DirtyCas;
    this.unwatchAll(c);
  }

  // ------------------------------------------------------------------ keyspace listener

  /** A key changed: its watchers' transactions will fail. */
  keyModified(db: Database, key: string): void {
    if (this.registrations === 0) return;
    const list = this.byDatabase.get(db.id)?.get(key);
    if (list === undefined) return;
    for (const c of [...list]) this.markDirty(c);
  }

  /** A whole database changed without notice (replica resync ...): dirty all its watchers. */
  databaseModified(db: Database): void {
    if (this.handledDatabases.delete(db.id)) return;
    const watchers = this.byDatabase.get(db.id);
    if (watchers === undefined) return;
    for (const list of [...watchers.values()]) for (const c of [...list]) this.markDirty(c);
  }
}
