/*
 * The RDB loader: decodes a whole file into fresh databases and swaps them into
 * the keyspace only when everything checked out (every record, then the
 * checksum). A file that fails any check changes nothing in memory.
 *
 * Loading is resumable: step() decodes a bounded number of keys, so a server
 * can keep its event loop turning (and answer -LOADING) while a big file loads.
 * loadRdb() runs it to the end in one go.
 *
 * Keys whose deadline has passed are skipped and counted (on a primary, as
 * redis-server 7.0 does); empty aggregates are skipped and counted too.
 *
 * Function libraries (FUNCTION2 records) are collected as code and handed, all
 * at once and before the keys are swapped in, to the caller's
 * `restoreFunctions`: loading a file replaces the server's libraries with the
 * file's, as redis-server does (it empties them with the data first). This
 * package knows nothing of Lua; the server plugs the function registry in.
 */

import { ExpiryMode, Keyspace } from "@spinel/core-db";
import type { ByteSource } from "../io/byte-stream.js";
import { RdbError } from "./rdb-error.js";
import { RDB_MAX_READ_VERSION, RdbOpcode, RdbType } from "./rdb-format.js";
import { RdbInput } from "./rdb-input.js";
import { readStoredValue } from "./rdb-value-decoder.js";

/** The fewest bytes a key record takes (type, key length, value length): bounds RESIZEDB's count. */
const MIN_KEY_RECORD_BYTES = 3;

/** Settings of one load. */
export interface RdbLoadOptions {
  /** Skip keys whose deadline is before `now` (a primary does; a replica does not). Default true. */
  skipExpired?: boolean;
  /** The time expiries are compared with (ms), default Date.now(). */
  now?: number;
  /** Decode and verify only; leave the keyspace untouched (check tools). */
  dryRun?: boolean;
  /**
   * Replace the server's function libraries with these codes (the file's, in
   * file order; empty when it has none). Called once, after the checksum was
   * verified and before the keys are swapped in; it must change nothing when it
   * fails, and return why (the load then fails, nothing changed), or null.
   * When absent the codes stay in the result only (check tools, tests).
   */
  restoreFunctions?: (codes: readonly Buffer[]) => string | null;
}

/** What a load found. */
export interface RdbLoadResult {
  /** The file's RDB version. */
  readonly version: number;
  /** Keys decoded (stored, expired or empty). */
  keysRead: number;
  /** Keys read with an expiry. */
  expiresRead: number;
  /** Keys read whose deadline had passed (skipped unless skipExpired is false). */
  alreadyExpired: number;
  /** Keys stored in the keyspace. */
  keysLoaded: number;
  /** Keys skipped because their deadline had passed. */
  expiredSkipped: number;
  /** Empty aggregates skipped. */
  emptySkipped: number;
  /** The aux fields, by name (latin1). */
  readonly aux: Map<string, string>;
  /** True when the file carried a checksum and it was verified. */
  checksumVerified: boolean;
  /** Bytes consumed. */
  bytes: number;
  /** The code of every function library in the file, in file order. */
  readonly functionLibraries: Buffer[];
}

/** Decodes one RDB file into fresh databases; see the file comment. */
export class RdbLoader {
  readonly result: RdbLoadResult;
  private readonly input: RdbInput;
  private readonly target: Keyspace;
  private readonly fresh: Keyspace;
  private readonly options: RdbLoadOptions;
  private readonly now: number;
  private db: number;
  private done: boolean;

  /** Check the magic and version; throws an RdbError when they are wrong. */
  constructor(source: ByteSource, target: Keyspace, options: RdbLoadOptions = {}) {
    this.input = new RdbInput(source);
    this.target = target;
    this.options = options;
    this.now = options.now ?? Date.now();
    this.fresh = new Keyspace({ databases: target.databases.length });
    this.fresh.expiryMode = ExpiryMode.Never;
    this.db = 0;
    this.done = false;
    const magic = this.input.take(9, "header").toString("latin1");
    if (!magic.startsWith("REDIS")) throw new RdbError(0, "wrong signature trying to load DB from file");
    const versionText = magic.slice(5);
    const version = /^\d{4}$/.test(versionText) ? Number(versionText) : Number.NaN;
    if (!(version >= 1 && version <= RDB_MAX_READ_VERSION)) {
      throw new RdbError(5, `can't handle RDB format version ${versionText}`);
    }
    this.result = {
      version,
      keysRead: 0,
      expiresRead: 0,
      alreadyExpired: 0,
      keysLoaded: 0,
      expiredSkipped: 0,
      emptySkipped: 0,
      aux: new Map(),
      checksumVerified: false,
      bytes: 9,
      functionLibraries: [],
    };
  }

  /** Bytes consumed so far (loading progress). */
  get position(): number {
    return this.input.offset;
  }

  /**
   * Decode up to `maxKeys` keys. Returns true when the file is complete (then the
   * keyspace holds its contents, unless dryRun). Throws an RdbError at the
   * first problem; the keyspace is then unchanged.
   */
  step(maxKeys: number): boolean {
    if (this.done) return true;
    const input = this.input;
    const limits = this.target.limits;
    let keys = 0;
    let expireAt = -1;
    // One clock reading per step: the keys added in it start with the same access time.
    this.fresh.freezeTime();
    while (keys < maxKeys) {
      const opcodeOffset = input.offset;
      const type = input.byte("record type");
      switch (type) {
        case RdbOpcode.ExpireTimeMs:
          expireAt = input.int64LE("expire time");
          continue;
        case RdbOpcode.ExpireTime:
          expireAt = input.int32LE("expire time") * 1000;
          continue;
        case RdbOpcode.Idle:
          input.length("LRU idle time");
          continue;
        case RdbOpcode.Freq:
          input.byte("LFU frequency");
          continue;
        case RdbOpcode.SelectDb: {
          const id = input.length("database number");
          if (id >= this.fresh.databases.length) {
            throw input.error(
              `the file holds database ${id} but the server is configured with ${this.fresh.databases.length} databases`,
              opcodeOffset,
            );
          }
          this.db = id;
          continue;
        }
        case RdbOpcode.ResizeDb: {
          const keys = input.length("database size");
          input.length("expires size");
          // The count sizes the table at once; a damaged or hostile count is
          // bounded by the keys the rest of the file can hold (3 bytes each at least).
          const reserved = Math.min(keys, Math.floor(input.remaining / MIN_KEY_RECORD_BYTES));
          this.fresh.databases[this.db]!.reserve(reserved);
          continue;
        }
        case RdbOpcode.Aux: {
          const name = input.latin1("aux field name");
          const value = input.latin1("aux field value");
          this.result.aux.set(name, value);
          continue;
        }
        case RdbOpcode.ModuleAux:
          throw input.error("module auxiliary data (modules are not supported)", opcodeOffset);
        case RdbOpcode.Function2:
          this.result.functionLibraries.push(input.string("function library code", true));
          continue;
        case RdbOpcode.FunctionPreGa:
          throw input.error("function library in the pre-7.0 format (not supported)", opcodeOffset);
        case RdbOpcode.Eof:
          this.finish(opcodeOffset);
          return true;
        default:
          break;
      }
      if (type > RdbType.StreamListpacks3) throw input.error(`unknown record type ${type}`, opcodeOffset);
      const key = input.latin1("key");
      const value = readStoredValue(input, type, key, limits, opcodeOffset);
      this.result.keysRead++;
      if (expireAt !== -1) this.result.expiresRead++;
      const pastDeadline = expireAt !== -1 && expireAt < this.now;
      if (pastDeadline) this.result.alreadyExpired++;
      const expired = pastDeadline && (this.options.skipExpired ?? true);
      if (value === null) {
        this.result.emptySkipped++;
      } else if (expired) {
        this.result.expiredSkipped++;
      } else {
        // Indexed (and checked for names seen twice) once the file is read: see finish().
        this.fresh.databases[this.db]!.appendLoaded(
          key,
          value,
          expireAt === -1 ? 0 : expireAt > 0 ? expireAt : 1,
        );
        this.result.keysLoaded++;
      }
      expireAt = -1;
      keys++;
    }
    return false;
  }

  /**
   * After EOF (at `eofOffset`): index the keys read, refusing a file that
   * holds a name twice in a database; verify the checksum (version 5 and
   * later); then swap the databases in.
   */
  private finish(eofOffset: number): void {
    const input = this.input;
    const databases = this.fresh.databases;
    for (let i = 0; i < databases.length; i++) {
      const duplicate = databases[i]!.indexLoaded();
      if (duplicate !== null) throw input.error(`duplicated key '${duplicate}' in database ${i}`, eofOffset);
    }
    if (this.result.version >= 5) {
      const expected = input.checksum().toBytes();
      const at = input.offset;
      const stored = input.take(8, "checksum");
      if (!stored.equals(Buffer.alloc(8))) {
        if (!stored.equals(expected)) throw input.error("wrong RDB checksum", at);
        this.result.checksumVerified = true;
      }
    }
    this.result.bytes = input.offset;
    if (this.options.dryRun) {
      this.done = true;
      return;
    }
    const restoreFunctions = this.options.restoreFunctions;
    if (restoreFunctions !== undefined) {
      const refusal = restoreFunctions(this.result.functionLibraries);
      if (refusal !== null) throw new RdbError(this.result.bytes, `function libraries: ${refusal}`);
    }
    this.done = true;
    const target = this.target;
    // A snapshot running on the target keeps what it holds; the loaded keys
    // arrived after its start, so they are marked as not part of it.
    const snapshot = target.snapshot;
    for (let i = 0; i < target.databases.length; i++) {
      const db = target.databases[i]!;
      const fresh = this.fresh.databases[i]!;
      if (snapshot !== null) fresh.markSnapshotVisited(snapshot.epoch);
      db.swapContents(fresh);
      target.hooks.databaseModified(db);
    }
  }
}

/**
 * Load a whole RDB file from `source` into `keyspace` (replacing its contents)
 * in one call. Throws an RdbError, leaving the keyspace unchanged, when the
 * file is damaged or holds something Spinel cannot represent.
 */
export function loadRdb(source: ByteSource, keyspace: Keyspace, options: RdbLoadOptions = {}): RdbLoadResult {
  const loader = new RdbLoader(source, keyspace, options);
  while (!loader.step(1 << 30)) {
    // one step decodes the whole file
  }
  return loader.result;
}
