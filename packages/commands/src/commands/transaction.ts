/*
 * Transaction commands (Redis' multi.c): MULTI, EXEC, DISCARD, WATCH, UNWATCH.
 *
 * MULTI gives the client a queue; the gate then queues every further command
 * (replying +QUEUED) except EXEC, DISCARD, MULTI, WATCH, QUIT and RESET, and flags
 * the transaction (ClientFlag.DirtyExec) when a command is refused at queue time
 * (unknown, wrong arity, no_multi ...). EXEC then either refuses the whole
 * transaction (-EXECABORT), fails it because a watched key changed (null array),
 * or runs every queued command through call() inside the one execution unit EXEC
 * itself is: writes reach the AOF and replicas wrapped in MULTI/EXEC, and clients
 * blocked on keys are served after the whole transaction. Errors of single
 * commands at run time are replied in place; nothing is rolled back.
 */

import { argString } from "../args.js";
import { ClientFlag, type ClientSession } from "../client-session.js";
import { type CommandSpec, NO_KEYS } from "../command-spec.js";
import { call } from "../dispatch.js";
import { Err } from "../errors.js";

const NO_PROPAGATION: Buffer[] = [];

/**
 * Leave transaction state: drop the queue, clear the MULTI and dirty flags and
 * unwatch every key (Redis' discardTransaction). Also used by RESET.
 */
export function discardTransaction(c: ClientSession): void {
  c.multiQueue = null;
  c.flags &= ~(ClientFlag.Multi | ClientFlag.DirtyCas | ClientFlag.DirtyExec);
  c.server.watch.unwatchAll(c);
}

/** MULTI */
function multiCommand(c: ClientSession): void {
  if (c.multiQueue !== null) {
    c.reply.error(Err.multiNested);
    return;
  }
  c.multiQueue = [];
  c.flags |= ClientFlag.Multi;
  c.reply.ok();
}

/** DISCARD */
function discardCommand(c: ClientSession): void {
  if (c.multiQueue === null) {
    c.reply.error(Err.discardWithoutMulti);
    return;
  }
  discardTransaction(c);
  c.reply.ok();
}

/**
 * EXEC. The queued commands run with the MULTI flag still set (blocking commands
 * see it and do not block, as in Redis) and the queue detached; EXEC itself is
 * not propagated, only the writes of the commands it ran.
 */
function execCommand(c: ClientSession): void {
  const queue = c.multiQueue;
  if (queue === null) {
    c.reply.error(Err.execWithoutMulti);
    return;
  }
  if (c.hasFlag(ClientFlag.DirtyExec)) {
    discardTransaction(c);
    c.reply.error(Err.execAbort);
    return;
  }
  if (c.server.watch.isDirty(c)) {
    discardTransaction(c);
    c.reply.nullArray();
    return;
  }
  c.server.watch.unwatchAll(c);
  c.multiQueue = null;
  const execArgv = c.argv;
  const execCommandEntry = c.command;
  c.reply.arrayLen(queue.length);
  for (let i = 0; i < queue.length; i++) {
    const queued = queue[i]!;
    c.argv = queued.argv;
    call(c, queued.command);
  }
  c.argv = execArgv;
  c.command = execCommandEntry;
  c.flags &= ~(ClientFlag.Multi | ClientFlag.DirtyCas | ClientFlag.DirtyExec);
  // The queued commands propagated themselves; EXEC adds nothing.
  c.rewritePropagation(NO_PROPAGATION);
  c.alsoPropagate = null;
}

/** WATCH key [key ...] */
function watchCommand(c: ClientSession): void {
  if (c.multiQueue !== null) {
    c.reply.error(Err.watchInMulti);
    return;
  }
  // A client whose transaction already failed need not watch more (Redis 7.0 does the same).
  if (!c.hasFlag(ClientFlag.DirtyCas)) {
    const argv = c.argv;
    for (let i = 1; i < argv.length; i++) c.server.watch.watch(c, c.db, argString(argv[i]!));
  }
  c.reply.ok();
}

/** UNWATCH */
function unwatchCommand(c: ClientSession): void {
  c.server.watch.unwatchAll(c);
  c.flags &= ~ClientFlag.DirtyCas;
  c.reply.ok();
}

export const transactionCommands: readonly CommandSpec[] = [
  {
    name: "multi",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: NO_KEYS,
    acl: ["@transaction"],
    group: "transactions",
    summary: "Start queueing a transaction",
    since: "1.2.0",
    complexity: "O(1)",
    handler: multiCommand,
  },
  {
    name: "exec",
    arity: 1,
    flags: ["noscript", "loading", "stale", "skip_slowlog"],
    keys: NO_KEYS,
    acl: ["@transaction"],
    group: "transactions",
    summary: "Run the queued transaction",
    since: "1.2.0",
    complexity: "The sum of the queued commands.",
    handler: execCommand,
  },
  {
    name: "discard",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: NO_KEYS,
    acl: ["@transaction"],
    group: "transactions",
    summary: "Drop the queued transaction",
    since: "2.0.0",
    complexity: "O(N), N = queued commands.",
    handler: discardCommand,
  },
  {
    name: "watch",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: { first: 1, last: -1, step: 1 },
    acl: ["@transaction"],
    group: "transactions",
    summary: "Abort the next transaction if these keys change",
    since: "2.2.0",
    complexity: "O(1) per key.",
    handler: watchCommand,
  },
  {
    name: "unwatch",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: NO_KEYS,
    acl: ["@transaction"],
    group: "transactions",
    summary: "Stop watching every key",
    since: "2.2.0",
    complexity: "O(1)",
    handler: unwatchCommand,
  },
];
