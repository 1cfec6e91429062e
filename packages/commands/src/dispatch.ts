/*
 * The gate and call(): how every command runs.
 *
 * HOT PATH.
 *
 * processCommand() is the gate: it resolves the command, then checks, once and in
 * Redis' order, everything that can refuse it (unknown command, arity, auth,
 * no_multi, OOM, read-only replica, pub/sub context, loading), holds it while a
 * CLIENT PAUSE applies to it, and finally queues it (inside MULTI) or runs it
 * through call(). Handlers assume all of this passed.
 *
 * call() is the one execution wrapper, used for client commands, EXEC's queued
 * commands, AOF replay and the replication stream. It freezes `now` for the
 * execution unit, runs the handler, counts stats and errors, and propagates the
 * command (or the handler's rewrite of it) when it changed data.
 */

import { performance } from "node:perf_hooks";
import { EvictionResult } from "@spinel/core-db";
import { ClientFlag, type ClientSession } from "./client-session.js";
import { type Command, CommandTable, FlagBit } from "./command-table.js";
import { Err, unknownCommand, unknownSubcommand, wrongArity } from "./errors.js";
import type { ServerState } from "./server-state.js";

/** Commands a RESP2 client in subscribed mode may still send. */
const PUBSUB_CONTEXT_COMMANDS = new Set([
  "ping",
  "subscribe",
  "ssubscribe",
  "unsubscribe",
  "sunsubscribe",
  "psubscribe",
  "punsubscribe",
  "quit",
  "reset",
]);

/** Commands that run immediately inside MULTI instead of being queued. */
const MULTI_IMMEDIATE = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);

// ------------------------------------------------------------------ command lookup

/** Slots of a CommandNameCache (a power of two). */
const NAME_CACHE_SLOTS = 256;
/** Longer names are not cached (no command name is this long). */
const NAME_CACHE_MAX_LENGTH = 32;
const NO_NAME = new Uint8Array(0);

/**
 * The command names a server saw recently, by their exact bytes: a direct-mapped
 * cache in front of CommandTable.lookup(). A name seen before costs a hash and a
 * comparison of its few bytes instead of a latin1 string allocation and a Map
 * lookup. Each slot keeps its own copy of the name (argv are views into
 * socket chunks); a different spelling of the same name ("get", "GET") takes its
 * own slot, misses fall through to the table, which is case-insensitive.
 */
class CommandNameCache {
  readonly table: CommandTable;
  private readonly names: Uint8Array[];
  private readonly commands: Array<Command | undefined>;

  constructor(table: CommandTable) {
    this.table = table;
    this.names = new Array<Uint8Array>(NAME_CACHE_SLOTS).fill(NO_NAME);
    this.commands = new Array<Command | undefined>(NAME_CACHE_SLOTS).fill(undefined);
  }

  /** The command named by `name` (any case), or undefined. */
  lookup(name: Buffer): Command | undefined {
    const length = name.length;
    if (length === 0 || length > NAME_CACHE_MAX_LENGTH) return this.table.lookup(name);
    let hash = length;
    for (let i = 0; i < length; i++) hash = (hash * 31 + name[i]!) | 0;
    const slot = (hash ^ (hash >>> 7)) & (NAME_CACHE_SLOTS - 1);
    const cached = this.names[slot]!;
    if (cached.length === length) {
      let i = 0;
      while (i < length && cached[i] === name[i]) i++;
      if (i === length) return this.commands[slot];
    }
    const command = this.table.lookup(name);
    if (command !== undefined) {
      this.names[slot] = new Uint8Array(name);
      this.commands[slot] = command;
    }
    return command;
  }
}

/** One cache per command table (tests run several servers in one process). */
const nameCaches = new WeakMap<CommandTable, CommandNameCache>();
/** The cache used last: nearly always the only server's. */
let lastNameCache = new CommandNameCache(new CommandTable([]));

function nameCacheFor(table: CommandTable): CommandNameCache {
  let cache = nameCaches.get(table);
  if (cache === undefined) {
    cache = new CommandNameCache(table);
    nameCaches.set(table, cache);
  }
  return cache;
}

// ------------------------------------------------------------------ the gate

/**
 * Resolve `argv[0]` (and a subcommand in argv[1]) to a command, or write the
 * error Redis gives and return null.
 */
function resolveCommandOrReply(c: ClientSession, argv: Buffer[]): Command | null {
  const table = c.server.table;
  let cache = lastNameCache;
  if (cache.table !== table) cache = lastNameCache = nameCacheFor(table);
  // As Redis' lookup in processCommand, the command named becomes the client's
  // current one (CLIENT LIST cmd) even when refused below; an unknown one clears it.
  const command = cache.lookup(argv[0]!);
  if (command === undefined) {
    c.command = c.lastCommand = null;
    rejectCommand(c, null, unknownCommand(argv));
    return null;
  }
  if (command.subcommands === null) {
    if ((command.arity > 0 && argv.length !== command.arity) || argv.length < -command.arity) {
      c.command = command;
      rejectCommand(c, command, wrongArity(command.fullName));
      return null;
    }
    return command;
  }
  if (argv.length < 2) {
    // A container named alone runs itself when its arity allows it (COMMAND), as in Redis.
    if (argv.length < -command.arity) {
      c.command = command;
      rejectCommand(c, command, wrongArity(command.fullName));
      return null;
    }
    return command;
  }
  const sub = command.subcommands.get(argv[1]!.toString("latin1").toLowerCase());
  if (sub === undefined) {
    c.command = c.lastCommand = null;
    rejectCommand(c, command, unknownSubcommand(command.name, argv[1]!.toString("latin1")));
    return null;
  }
  if ((sub.arity > 0 && argv.length !== sub.arity) || argv.length < -sub.arity) {
    c.command = sub;
    rejectCommand(c, sub, wrongArity(sub.fullName));
    return null;
  }
  return sub;
}

/** Refuse a command before it runs: counts it and, inside MULTI, dooms the transaction. */
function rejectCommand(c: ClientSession, command: Command | null, message: string): void {
  if (c.multiQueue !== null) c.flags |= ClientFlag.DirtyExec;
  if (command !== null) command.stats.rejectedCalls++;
  if (command !== null && command.fullName === "exec") {
    // Refusing EXEC itself ends the transaction, as Redis' execCommandAbort does.
    c.multiQueue = null;
    c.flags &= ~(ClientFlag.Multi | ClientFlag.DirtyCas | ClientFlag.DirtyExec);
    c.server.watch.unwatchAll(c);
    const reason = message.startsWith("ERR ") ? message.slice(4) : message;
    c.reply.error(`EXECABORT Transaction discarded because of: ${reason}`);
  } else {
    c.reply.error(message);
  }
  countErrorReply(c);
}

/** Move the error the writer just recorded into the server's error stats. */
function countErrorReply(c: ClientSession): boolean {
  const code = c.reply.lastErrorCode;
  if (code === null) return false;
  c.reply.lastErrorCode = null;
  c.server.stats.countError(code);
  return true;
}

/**
 * The gate. Run one request from client `c`. Writes exactly one reply (or, for
 * blocking commands, arranges for one later).
 */
export function processCommand(c: ClientSession, argv: Buffer[]): void {
  const server = c.server;
  c.argv = argv;
  const command = resolveCommandOrReply(c, argv);
  if (command === null) return;
  c.command = command;
  const flags = command.flagBits | (command.parent !== null ? command.parent.flagBits : 0);
  const settings = server.settings;

  if (!c.authenticated && (flags & FlagBit.NoAuth) === 0) {
    rejectCommand(c, command, Err.noAuth);
    return;
  }
  if (c.multiQueue !== null && (flags & FlagBit.NoMulti) !== 0) {
    rejectCommand(c, command, "ERR Command not allowed inside a transaction");
    return;
  }
  // EXEC counts as a write when its queue holds one (Redis' is_write_command): a
  // transaction queued on a primary that became a replica meanwhile is refused.
  const isWrite =
    (flags & FlagBit.Write) !== 0 || (c.multiQueue !== null && command.name === "exec" && queueWrites(c));
  if (settings.maxmemory !== 0 && !c.hasFlag(ClientFlag.Primary)) {
    // Evict first (any command may free memory this way, as in Redis), then refuse
    // what would add data: denyoom commands, anything queued inside MULTI, and an
    // EXEC whose queue holds a denyoom command.
    if (server.memory.evict() === EvictionResult.Fail && rejectOnOom(c, command, flags)) {
      rejectCommand(c, command, Err.oom);
      return;
    }
  }
  // MISCONF, as Redis' writeCommandsDeniedByDiskError: a failed background save
  // (with stop-writes-on-bgsave-error) first, then an AOF that cannot be written.
  const diskError = settings.refuseWritesOnDiskError ? Err.misconf : settings.persistenceError;
  if (diskError !== null && (isWrite || command.name === "ping") && !c.hasFlag(ClientFlag.Primary)) {
    rejectCommand(c, command, diskError);
    return;
  }
  if (settings.tooFewReplicas && isWrite && !c.hasFlag(ClientFlag.Primary)) {
    rejectCommand(c, command, Err.noReplicas);
    return;
  }
  if (settings.readOnlyReplica && isWrite && !c.hasFlag(ClientFlag.Primary)) {
    rejectCommand(c, command, Err.readonlyReplica);
    return;
  }
  if (
    c.resp === 2 &&
    c.subscriptionCount > 0 &&
    !PUBSUB_CONTEXT_COMMANDS.has(command.parent?.name ?? command.name)
  ) {
    rejectCommand(
      c,
      command,
      `ERR Can't execute '${command.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
    );
    return;
  }
  if (settings.refuseStaleData && (flags & FlagBit.Stale) === 0 && !c.hasFlag(ClientFlag.Primary)) {
    rejectCommand(c, command, Err.masterDown);
    return;
  }
  if (settings.loading && (flags & FlagBit.Loading) === 0) {
    rejectCommand(c, command, Err.loading);
    return;
  }
  const busy = server.busyScript;
  if (busy !== null && busy.caller !== c && (flags & FlagBit.AllowBusy) === 0) {
    rejectCommand(c, command, busy.isFunction ? Err.busyFunction : Err.busyScript);
    return;
  }
  // CLIENT PAUSE: the command waits (it is not refused) until the pause ends.
  const pause = server.clientPause;
  if (pause.active && pause.mustHold(c, command, flags)) {
    pause.hold(c, argv);
    return;
  }

  if (c.multiQueue !== null && !MULTI_IMMEDIATE.has(command.parent?.name ?? command.name)) {
    c.multiQueue.push({ command, argv });
    c.reply.raw(QUEUED);
    return;
  }

  call(c, command);
}

const QUEUED = Buffer.from("+QUEUED\r\n");

/** True when the transaction client `c` queued holds a write command. */
function queueWrites(c: ClientSession): boolean {
  for (const queued of c.multiQueue!) {
    if (((queued.command.flagBits | (queued.command.parent?.flagBits ?? 0)) & FlagBit.Write) !== 0)
      return true;
  }
  return false;
}

/**
 * Whether `command` must be refused while out of memory (Redis' reject_cmd_on_oom):
 * a denyoom command; inside MULTI, anything but EXEC, DISCARD, QUIT and RESET
 * (queuing itself takes memory); EXEC when a queued command is denyoom.
 */
function rejectOnOom(c: ClientSession, command: Command, flags: number): boolean {
  if ((flags & FlagBit.DenyOom) !== 0) return true;
  const queue = c.multiQueue;
  if (queue === null) return false;
  const name = command.parent?.name ?? command.name;
  if (name === "exec") {
    for (let i = 0; i < queue.length; i++) {
      const queued = queue[i]!.command;
      if (((queued.flagBits | (queued.parent?.flagBits ?? 0)) & FlagBit.DenyOom) !== 0) return true;
    }
    return false;
  }
  return name !== "discard" && name !== "quit" && name !== "reset";
}

/**
 * Execute `command` with `c.argv` for client `c`: the one execution wrapper.
 *
 * Freezes the keyspace clock for the outermost unit (from the same clock reading
 * that times the command), runs the handler (an
 * exception becomes `-ERR internal error` and is logged: it is a bug, the server
 * stays up), updates command and error stats, and queues the command for
 * propagation when it changed data (`keyspace.dirty` moved). When the outermost
 * unit ends, queued writes go to the propagator (wrapped in MULTI/EXEC when the
 * unit produced several) and the after-execution hooks run.
 */
export function call(c: ClientSession, command: Command): void {
  const server = c.server;
  const keyspace = server.keyspace;
  const outermost = server.callDepth === 0;
  // One clock reading serves both the frozen keyspace time and the duration; for
  // a unit inside a request batch, the reading that ended the previous unit.
  const batchReading = server.batchClockReading;
  const started = outermost && batchReading >= 0 ? batchReading : performance.now();
  // The replication offset before the unit: when the unit moves it, it is the client's write offset (WAIT).
  const replication = server.replication;
  const offsetBefore = outermost && replication !== null ? replication.streamOffset : 0;
  if (outermost) {
    keyspace.freezeTimeAt(started);
    server.executingClient = c;
  }
  // CLIENT NO-TOUCH: the command leaves access bookkeeping alone, except TOUCH itself.
  const noTouchBefore = keyspace.noTouch;
  keyspace.noTouch = (c.flags & ClientFlag.NoTouch) !== 0 && command.name !== "touch";
  server.callDepth++;
  const dirtyBefore = keyspace.dirty;
  const executedArgv = c.argv;
  c.command = command;
  c.propagateArgv = null;
  c.alsoPropagate = null;
  try {
    command.spec.handler(c);
  } catch (error) {
    server.logger.error({ err: error, command: command.fullName }, "command handler failed");
    c.reply.error("ERR internal error");
  } finally {
    server.callDepth--;
    keyspace.noTouch = noTouchBefore;
  }
  const stats = command.stats;
  stats.calls++;
  const ended = performance.now();
  if (outermost && server.requestBatchDepth > 0) server.batchClockReading = ended;
  const microseconds = (ended - started) * 1000;
  stats.microseconds += microseconds;
  c.lastCallMicroseconds = microseconds;
  server.stats.totalCommandsProcessed++;
  if (c.reply.lastErrorCode !== null) {
    countErrorReply(c);
    stats.failedCalls++;
  }
  c.lastCommand = command;
  // A loading pseudo-client replays a stream: monitors do not see it, and it
  // must not feed the stream back.
  const propagates = (c.flags & ClientFlag.Loading) === 0;
  const observers = server.commandObservers;
  if (propagates) for (let i = 0; i < observers.length; i++) observers[i]!(c, executedArgv);

  if (keyspace.dirty !== dirtyBefore && propagates) {
    const argv = c.propagateArgv ?? c.argv;
    if (argv.length > 0) {
      const pending = server.pendingPropagation;
      if (outermost && pending.length === 0 && c.alsoPropagate === null) {
        // The common case, one write alone in its unit: straight to the propagator.
        server.propagator.feed(c.db.id, argv);
      } else {
        pending.push({ dbIndex: c.db.id, argv });
      }
    }
  }
  // The handler may have queued extra writes (TS cannot see that through the call).
  const extraWrites = c.alsoPropagate as Buffer[][] | null;
  if (extraWrites !== null) {
    if (propagates)
      for (const extra of extraWrites) server.pendingPropagation.push({ dbIndex: c.db.id, argv: extra });
    c.alsoPropagate = null;
  }

  if (outermost) {
    flushPropagation(server);
    if (replication !== null) {
      const offsetAfter = replication.streamOffset;
      if (offsetAfter !== offsetBefore) c.writeOffset = offsetAfter;
    }
    keyspace.unfreezeTime();
    server.executingClient = null;
    // While a script runs in the background its unit is not over: the hooks
    // (serving blocked clients ...) run when it ends.
    if (server.busyScript === null) {
      const hooks = server.afterExecutionHooks;
      for (let i = 0; i < hooks.length; i++) hooks[i]!();
    }
  }
}

/**
 * Open a request batch: the requests one client sent that are processed now, in
 * one go, from one socket read. Within it each call() starts from the clock
 * reading that ended the previous one (microseconds earlier: only the parsing of
 * the request lies between), so a command costs one clock reading instead of
 * two. Outside a batch (replication stream, AOF loading, timers, blocked clients
 * served later) every call() reads the clock. Close with endRequestBatch().
 */
export function beginRequestBatch(server: ServerState): void {
  server.requestBatchDepth++;
}

/** Close the batch beginRequestBatch() opened; the next call() outside it reads the clock afresh. */
export function endRequestBatch(server: ServerState): void {
  if (server.requestBatchDepth > 0) server.requestBatchDepth--;
  server.batchClockReading = -1;
}

const MULTI_ARGV = [Buffer.from("MULTI")];
const EXEC_ARGV = [Buffer.from("EXEC")];

/**
 * Hand the writes of the finished execution unit to the propagator: one command
 * as is, several wrapped in MULTI/EXEC so replicas and the AOF apply them atomically.
 */
export function flushPropagation(server: ServerState): void {
  const pending = server.pendingPropagation;
  if (pending.length === 0) return;
  const propagator = server.propagator;
  if (pending.length === 1) {
    const only = pending[0]!;
    propagator.feed(only.dbIndex, only.argv);
  } else {
    propagator.feed(pending[0]!.dbIndex, MULTI_ARGV);
    for (const op of pending) propagator.feed(op.dbIndex, op.argv);
    propagator.feed(pending[pending.length - 1]!.dbIndex, EXEC_ARGV);
  }
  pending.length = 0;
}

/**
 * A client went away: run every cleanup hook (WATCH, subscriptions, blocking,
 * MONITOR) and forget the session.
 */
export function sessionClosed(c: ClientSession): void {
  const server = c.server;
  for (const hook of server.sessionCloseHooks) {
    try {
      hook(c);
    } catch (error) {
      server.logger.error({ err: error, client: c.id }, "session cleanup failed");
    }
  }
  server.clients.delete(c.id);
}
