/*
 * The primary side of replication: the replication ID and offset, the backlog,
 * the replicas attached to this server, full and partial resynchronisation, and
 * the figures ROLE, INFO and WAIT read.
 *
 * It follows the server's propagation stream as a consumer (selectedDb /
 * append): every propagated command is encoded once, straight into a staging
 * buffer; flushStream() (once per loop turn) appends what was staged to the
 * backlog and hands it to each replica as one write. While this server is
 * itself a replica, the stream is ignored and its primary's bytes arrive
 * through feedRaw() instead, unchanged, so that offsets stay those of the
 * whole chain.
 *
 * A primary without replicas frees its backlog after repl-backlog-ttl seconds
 * (releaseIdleBacklog), with a new replication ID, as redis-server does.
 */

import { randomBytes } from "node:crypto";
import type { Keyspace } from "@spinel/core-db";
import { CommandBuffer, MemorySink, saveRdb, startSnapshot } from "@spinel/persistence";
import { encodeCommand } from "../command-encoding.js";
import { ReplicationBacklog } from "./backlog.js";

/** Where the primary writes a replica's bytes: its connection's output. */
export interface ReplicaChannel {
  /** Queue bytes for the replica (written at the end of the loop turn). */
  write(bytes: Buffer): void;
  /**
   * Queue the RDB of a full sync: like write(), but these bytes do not count
   * against the replica's client-output-buffer-limit (only the stream does).
   */
  writeSnapshot(bytes: Buffer): void;
  /**
   * `bytes` of stream are held for the replica until its snapshot is sent. They
   * count against its client-output-buffer-limit, as they would in redis-server's
   * output buffer: over the limit, the channel closes the connection.
   */
  holdPending(bytes: number): void;
  /** Drop the connection. */
  close(): void;
}

/** Where a replica stands (Redis' slave states, as INFO names them). */
export type ReplicaState = "wait_bgsave" | "send_bulk" | "online";

/** One replica attached to this primary. */
export interface AttachedReplica {
  /** The replica's client id. */
  readonly id: number;
  readonly channel: ReplicaChannel;
  /** The address the replica connected from. */
  ip: string;
  /** REPLCONF listening-port. */
  listeningPort: number;
  /** REPLCONF capa eof: it takes a diskless transfer. */
  capaEof: boolean;
  capaPsync2: boolean;
  state: ReplicaState;
  /** The last offset the replica acknowledged (REPLCONF ACK), 0 before the first. */
  ackOffset: number;
  /** When (ms) the last ACK arrived, or when it attached. */
  ackTime: number;
  /** Stream bytes that wait until the snapshot is sent. */
  pending: Buffer[];
  /** Their total length (counted against the replica's output limit, see ReplicaChannel.holdPending). */
  pendingBytes: number;
  /** Diskless transfer sent: the replica goes online at its first ACK. */
  onlineOnAck: boolean;
}

/** Settings of the primary side (kept current by the server). */
export interface PrimarySettings {
  backlogSize: number;
  /** repl-diskless-sync and repl-diskless-sync-delay (seconds). */
  disklessSync: boolean;
  disklessSyncDelay: number;
}

/** Options of a ReplicationPrimary. */
export interface ReplicationPrimaryOptions {
  keyspace: Keyspace;
  settings: PrimarySettings;
  /** Called when a replica detaches (its connection must be closed by the caller). */
  log?: (message: string) => void;
  /**
   * The code of every function library now (FUNCTION LOAD text): a full sync's
   * RDB carries them, read when its snapshot starts. None when absent.
   */
  functionLibraries?: () => readonly Uint8Array[];
  /**
   * Called when bytes are staged while none were: the owner must make sure
   * flushStream() runs at the end of this loop turn.
   */
  streamStaged?: () => void;
}

/** A fresh 40-character hexadecimal replication ID. */
export function newReplicationId(): string {
  return randomBytes(20).toString("hex");
}

const PING_COMMAND = encodeCommand([Buffer.from("PING")]);
const GETACK_COMMAND = encodeCommand([Buffer.from("REPLCONF"), Buffer.from("GETACK"), Buffer.from("*")]);
const NULL_ID = "0000000000000000000000000000000000000000";

/** The primary side; see the file comment. */
export class ReplicationPrimary {
  /** The stream's database (the StreamConsumer contract). */
  selectedDb: number;
  replid: string;
  /** The previous replication ID after a promotion, or forty zeros. */
  replid2: string;
  /** The last offset valid under replid2 + 1, or -1. */
  secondReplOffset: number;
  /** Created with the first replica (or when this server follows a primary). */
  backlog: ReplicationBacklog | null;
  /** While false (this server is a replica), append() ignores the local stream. */
  followsLocalStream: boolean;
  readonly replicas: Map<number, AttachedReplica>;
  /** Full resynchronisations served, partial ones accepted, and refused (INFO sync_*). */
  fullSyncs: number;
  partialSyncsOk: number;
  partialSyncsErr: number;
  /** Bytes written to replicas (total_net_repl_output_bytes). */
  bytesSent: number;
  private offsetWithoutBacklog: number;
  /** This turn's stream bytes, not yet in the backlog nor sent (see flushStream). */
  private readonly staging: CommandBuffer;
  private readonly streamStaged: () => void;
  /** When (ms) the last replica went away (or the server started): repl-backlog-ttl counts from it. */
  private noReplicasSince: number;
  private readonly keyspace: Keyspace;
  readonly settings: PrimarySettings;
  private readonly log: (message: string) => void;
  private readonly functionLibraries: () => readonly Uint8Array[];
  /** Replicas waiting for the next snapshot, and its start timer. */
  private waitingForSnapshot: AttachedReplica[];
  private snapshotTimer: NodeJS.Timeout | null;
  private snapshotRunning: boolean;

  constructor(options: ReplicationPrimaryOptions) {
    this.selectedDb = -1;
    this.replid = newReplicationId();
    this.replid2 = NULL_ID;
    this.secondReplOffset = -1;
    this.backlog = null;
    this.followsLocalStream = true;
    this.replicas = new Map();
    this.offsetWithoutBacklog = 0;
    this.staging = new CommandBuffer(64 * 1024);
    this.streamStaged = options.streamStaged ?? (() => {});
    this.noReplicasSince = Date.now();
    this.fullSyncs = 0;
    this.partialSyncsOk = 0;
    this.partialSyncsErr = 0;
    this.bytesSent = 0;
    this.keyspace = options.keyspace;
    this.settings = options.settings;
    this.log = options.log ?? (() => {});
    this.functionLibraries = options.functionLibraries ?? (() => []);
    this.waitingForSnapshot = [];
    this.snapshotTimer = null;
    this.snapshotRunning = false;
  }

  /** master_repl_offset: the offset of the last byte of the stream (staged bytes included). */
  get offset(): number {
    const backlog = this.backlog;
    return backlog === null ? this.offsetWithoutBacklog : backlog.offset + this.staging.length;
  }

  // ---------------------------------------------------------------- the stream

  /** StreamConsumer: false while there is no backlog (or a replica's own primary feeds the stream), when append() keeps nothing. */
  get listening(): boolean {
    return this.followsLocalStream && this.backlog !== null;
  }

  /**
   * StreamConsumer: one propagated command, encoded into the staging buffer
   * (flushStream() sends it on). Nothing is kept when there is no backlog.
   * HOT PATH: once per write command.
   */
  append(argv: readonly Buffer[]): void {
    if (!this.listening) return;
    const staging = this.staging;
    if (staging.length === 0) this.streamStaged();
    staging.append(argv);
  }

  /**
   * Append stream bytes as they are (staged like append()'s). A replica calls
   * it with the bytes its own primary sent, so its sub-replicas and backlog see
   * the same stream.
   */
  feedRaw(bytes: Buffer): void {
    if (this.backlog === null) {
      this.offsetWithoutBacklog += bytes.length;
      return;
    }
    const staging = this.staging;
    if (staging.length === 0) this.streamStaged();
    staging.appendRaw(bytes);
  }

  /**
   * Move the staged bytes to the backlog and to every replica, as one write
   * each (those waiting for their snapshot keep them until it is sent). Called
   * at the end of each loop turn, and before anything that reads the backlog or
   * changes a replica's state, so that staged bytes go where they belonged
   * when they were staged.
   */
  flushStream(): void {
    const staging = this.staging;
    if (staging.length === 0) return;
    const backlog = this.backlog;
    if (backlog === null) {
      staging.clear();
      return;
    }
    backlog.append(staging.view());
    if (this.replicas.size === 0) {
      staging.clear();
      return;
    }
    // One copy for all replicas: the connections keep it by reference or copy it.
    const bytes = staging.take();
    for (const replica of this.replicas.values()) {
      if (replica.state === "online" && !replica.onlineOnAck) {
        this.send(replica, bytes);
      } else if (replica.state !== "wait_bgsave") {
        // (Before its snapshot starts, a replica needs nothing: the snapshot will hold it.)
        replica.pending.push(bytes);
        replica.pendingBytes += bytes.length;
        replica.channel.holdPending(replica.pendingBytes);
      }
    }
  }

  /** Make sure there is a backlog (a replica attached, or this server follows a primary). */
  ensureBacklog(): ReplicationBacklog {
    if (this.backlog === null) {
      this.backlog = new ReplicationBacklog(this.settings.backlogSize, this.offsetWithoutBacklog);
    }
    return this.backlog;
  }

  /** repl-backlog-size changed. */
  resizeBacklog(size: number): void {
    this.flushStream();
    this.settings.backlogSize = size;
    this.backlog?.resize(size);
  }

  /**
   * Start a new history at `offset` under `replid` (a replica that made a full
   * sync with its primary): the backlog restarts empty and the sub-replicas
   * must resync.
   */
  resetHistory(replid: string, offset: number): void {
    this.flushStream();
    this.replid = replid;
    this.replid2 = NULL_ID;
    this.secondReplOffset = -1;
    this.backlog = new ReplicationBacklog(this.settings.backlogSize, offset);
    this.offsetWithoutBacklog = offset;
    this.selectedDb = -1;
    this.dropAllReplicas();
  }

  /**
   * Take up the history an RDB recorded (its repl-id and repl-offset aux fields)
   * after a restart, as redis-server 7.0 does. A replica continues under that
   * ID from that offset, so its next PSYNC can be answered +CONTINUE. A primary
   * starts a new ID and keeps the recorded one as replid2, valid up to the
   * recorded offset, so that its replicas continue partially. Either way the
   * backlog restarts empty at the recorded offset.
   */
  restoreHistory(replid: string, offset: number, asReplica: boolean): void {
    this.flushStream();
    if (asReplica) {
      this.replid = replid;
      this.replid2 = NULL_ID;
      this.secondReplOffset = -1;
    } else {
      this.replid2 = replid;
      this.secondReplOffset = offset + 1;
    }
    this.backlog = new ReplicationBacklog(this.settings.backlogSize, offset);
    this.offsetWithoutBacklog = offset;
    this.selectedDb = -1;
  }

  /**
   * The primary changed its replication ID (PSYNC +CONTINUE <newid>): the old one
   * stays valid as replid2 up to the current offset.
   */
  switchId(replid: string): void {
    if (replid === this.replid) return;
    this.flushStream();
    this.replid2 = this.replid;
    this.secondReplOffset = this.offset + 1;
    this.replid = replid;
  }

  /**
   * Promotion (REPLICAOF NO ONE): a new replication ID; the old one stays valid as
   * replid2 so that the other replicas of the old primary resync partially.
   */
  promote(): void {
    this.switchId(newReplicationId());
    this.followsLocalStream = true;
    // repl-backlog-ttl counts from the promotion, as in Redis.
    this.noReplicasSince = Date.now();
    this.selectedDb = -1;
  }

  // ---------------------------------------------------------------- replicas

  /** Attach (or find) the replica behind client `id` (REPLCONF or PSYNC). */
  attach(id: number, channel: ReplicaChannel, ip: string): AttachedReplica {
    let replica = this.replicas.get(id);
    if (replica === undefined) {
      replica = {
        id,
        channel,
        ip,
        listeningPort: 0,
        capaEof: false,
        capaPsync2: false,
        state: "wait_bgsave",
        ackOffset: 0,
        ackTime: Date.now(),
        pending: [],
        pendingBytes: 0,
        onlineOnAck: false,
      };
    }
    return replica;
  }

  /** Forget a replica whose connection closed. */
  detach(id: number): void {
    const replica = this.replicas.get(id);
    if (replica === undefined) return;
    this.replicas.delete(id);
    if (this.replicas.size === 0) this.noReplicasSince = Date.now();
    this.waitingForSnapshot = this.waitingForSnapshot.filter((r) => r !== replica);
  }

  /** Close every replica's connection (a full resync of this server, a role change). */
  dropAllReplicas(): void {
    this.flushStream();
    const all = [...this.replicas.values()];
    if (all.length > 0) this.noReplicasSince = Date.now();
    this.replicas.clear();
    this.waitingForSnapshot = [];
    for (const replica of all) replica.channel.close();
  }

  /**
   * PSYNC <replid> <offset>: continue from the backlog when it holds `offset`
   * under this ID (or under replid2 up to where it was valid), else a full
   * resynchronisation. Writes the reply and what follows to the replica.
   * Returns "continue" or "full".
   */
  psync(replica: AttachedReplica, replid: string, offset: number): "continue" | "full" {
    this.flushStream();
    this.replicas.set(replica.id, replica);
    replica.ackTime = Date.now();
    const backlog = this.backlog;
    const sameHistory =
      replid === this.replid || (replid === this.replid2 && offset <= this.secondReplOffset);
    const missing = sameHistory && backlog !== null ? backlog.readFrom(offset) : null;
    if (missing !== null) {
      replica.state = "online";
      replica.ackOffset = offset - 1;
      const reply = replica.capaPsync2 ? `+CONTINUE ${this.replid}\r\n` : "+CONTINUE\r\n";
      this.send(replica, Buffer.from(reply, "latin1"));
      if (missing.length > 0) this.send(replica, missing);
      this.partialSyncsOk++;
      this.log(`Partial resynchronization request from replica ${replica.ip} accepted`);
      return "continue";
    }
    if (replid !== "?") this.partialSyncsErr++;
    this.fullSyncs++;
    this.ensureBacklog();
    replica.state = "wait_bgsave";
    replica.pending = [];
    replica.pendingBytes = 0;
    this.waitingForSnapshot.push(replica);
    this.scheduleSnapshot(replica.capaEof && this.settings.disklessSync);
    return "full";
  }

  /**
   * Start the full-sync snapshot now, or after repl-diskless-sync-delay seconds
   * for a diskless transfer (more replicas may join the same one).
   */
  private scheduleSnapshot(diskless: boolean): void {
    if (this.snapshotRunning || this.snapshotTimer !== null) return;
    const delayMs = diskless ? this.settings.disklessSyncDelay * 1000 : 0;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      this.runSnapshot();
    }, delayMs);
  }

  /**
   * The snapshot for every waiting replica: +FULLRESYNC with the offset at its
   * start, then the RDB once complete, then the stream that accumulated
   * meanwhile. The snapshot is taken in slices across loop turns (point in time
   * at its start); when another snapshot already runs (a BGSAVE), at once.
   */
  private runSnapshot(): void {
    const replicas = this.waitingForSnapshot;
    this.waitingForSnapshot = [];
    if (replicas.length === 0) return;
    // What was staged is in the dataset the snapshot sees: it must not reach these replicas again.
    this.flushStream();
    const header = Buffer.from(`+FULLRESYNC ${this.replid} ${this.offset}\r\n`, "latin1");
    // The next command must carry a SELECT: the replica starts from database 0 ... or any.
    this.selectedDb = -1;
    for (const replica of replicas) {
      replica.state = "send_bulk";
      replica.pending = [];
      replica.pendingBytes = 0;
      this.send(replica, header);
    }
    const sink = new MemorySink(1 << 16);
    const functionLibraries = this.functionLibraries();
    let job: ReturnType<typeof startSnapshot>;
    try {
      job = startSnapshot(this.keyspace, sink, { functionLibraries });
    } catch {
      saveRdb(this.keyspace, sink, { functionLibraries });
      this.finishTransfer(replicas, sink.contents());
      return;
    }
    this.snapshotRunning = true;
    const step = () => {
      if (replicas.every((r) => !this.replicas.has(r.id))) {
        job.abort();
        this.snapshotRunning = false;
        return;
      }
      if (!job.step()) {
        setImmediate(step);
        return;
      }
      this.snapshotRunning = false;
      this.finishTransfer(replicas, sink.contents());
      if (this.waitingForSnapshot.length > 0) this.scheduleSnapshot(false);
    };
    step();
  }

  /** Send the RDB in the form each replica takes, then its pending stream. */
  private finishTransfer(replicas: AttachedReplica[], rdb: Buffer): void {
    const now = Date.now();
    for (const replica of replicas) {
      if (!this.replicas.has(replica.id)) continue;
      // repl-timeout counts from here, as in redis-server: the replica has the RDB to load
      // first (it sends newlines meanwhile, see heardFrom), however long the snapshot took.
      replica.ackTime = now;
      if (replica.capaEof && this.settings.disklessSync) {
        const mark = randomBytes(20).toString("hex");
        this.sendSnapshot(replica, Buffer.from(`$EOF:${mark}\r\n`, "latin1"));
        this.sendSnapshot(replica, rdb);
        this.sendSnapshot(replica, Buffer.from(mark, "latin1"));
        // The replica reads past the mark: nothing more until it says it loaded.
        replica.onlineOnAck = true;
        replica.state = "online";
      } else {
        this.sendSnapshot(replica, Buffer.from(`$${rdb.length}\r\n`, "latin1"));
        this.sendSnapshot(replica, rdb);
        replica.state = "online";
        this.flushPending(replica);
      }
      this.log(`Synchronization with replica ${replica.ip}:${replica.listeningPort} succeeded`);
    }
  }

  private flushPending(replica: AttachedReplica): void {
    const pending = replica.pending;
    replica.pending = [];
    replica.pendingBytes = 0;
    replica.channel.holdPending(0);
    for (const bytes of pending) this.send(replica, bytes);
  }

  private sendSnapshot(replica: AttachedReplica, bytes: Buffer): void {
    this.bytesSent += bytes.length;
    replica.channel.writeSnapshot(bytes);
  }

  private send(replica: AttachedReplica, bytes: Buffer): void {
    this.bytesSent += bytes.length;
    replica.channel.write(bytes);
  }

  /** REPLCONF ACK <offset>: the replica processed the stream up to `offset`. */
  acknowledge(replica: AttachedReplica, offset: number): void {
    if (offset > replica.ackOffset) replica.ackOffset = offset;
    replica.ackTime = Date.now();
    if (replica.onlineOnAck) {
      this.flushStream();
      replica.onlineOnAck = false;
      this.flushPending(replica);
    }
  }

  // ---------------------------------------------------------------- periodic work

  /** PING into the stream (repl-ping-replica-period), when replicas are attached. */
  pingReplicas(): void {
    if (this.replicas.size > 0 && this.followsLocalStream) this.feedRaw(PING_COMMAND);
  }

  /** Ask every replica for an ACK (WAIT). */
  requestAcks(): void {
    if (this.replicas.size > 0 && this.followsLocalStream) this.feedRaw(GETACK_COMMAND);
  }

  /**
   * The replica sent something that is not an ACK (a newline while it loads
   * the RDB): it is alive, which resets its repl-timeout as an ACK would.
   */
  heardFrom(replica: AttachedReplica, now: number): void {
    replica.ackTime = now;
  }

  /**
   * repl-backlog-ttl: a primary that has had no replica for `ttlSeconds` frees
   * its backlog (INFO repl_backlog_active:0) and takes a new replication ID
   * (with no backlog, no history could be continued), as redis-server does. A
   * replica keeps its backlog (its own replicas, or a promotion, may need it);
   * 0 keeps it forever. Returns true when the backlog was freed.
   */
  releaseIdleBacklog(now: number, ttlSeconds: number): boolean {
    if (this.backlog === null || this.replicas.size > 0 || !this.followsLocalStream || ttlSeconds <= 0) {
      return false;
    }
    if (now - this.noReplicasSince <= ttlSeconds * 1000) return false;
    this.flushStream();
    this.offsetWithoutBacklog = this.backlog.offset;
    this.backlog = null;
    this.replid = newReplicationId();
    this.replid2 = NULL_ID;
    this.secondReplOffset = -1;
    this.log(`Replication backlog freed after ${ttlSeconds} seconds without connected replicas.`);
    return true;
  }

  /** Drop replicas whose last ACK is older than `timeoutMs` (repl-timeout). */
  dropTimedOut(now: number, timeoutMs: number): void {
    for (const replica of [...this.replicas.values()]) {
      if (replica.state === "online" && now - replica.ackTime > timeoutMs) {
        this.log(`Disconnecting timedout replica ${replica.ip}:${replica.listeningPort}`);
        this.detach(replica.id);
        replica.channel.close();
      }
    }
  }

  /** Online replicas whose acknowledged offset is at least `offset` (WAIT). */
  countAcked(offset: number): number {
    let count = 0;
    for (const replica of this.replicas.values()) {
      if (replica.state === "online" && replica.ackOffset >= offset) count++;
    }
    return count;
  }

  /** Online replicas whose last ACK is at most `maxLagSeconds` old (min-replicas-*). */
  countGood(now: number, maxLagSeconds: number): number {
    let count = 0;
    for (const replica of this.replicas.values()) {
      if (replica.state === "online" && (now - replica.ackTime) / 1000 <= maxLagSeconds) count++;
    }
    return count;
  }
}
