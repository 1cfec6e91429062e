/*
 * Replication commands (Redis' replication.c command side): REPLCONF, PSYNC,
 * SYNC, REPLICAOF / SLAVEOF, ROLE, WAIT and FAILOVER (./failover.ts). The work is the server's
 * ReplicationControl; without one (an embedded state) they answer as a server
 * that cannot replicate.
 */

import { argIs, argString, parseLong } from "../args.js";
import { ClientFlag, type ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { Err } from "../errors.js";
import { failoverCommandSpec } from "./failover.js";

const NO_REPLICATION = "ERR replication is not available on this server";

/** REPLCONF <option> <value> ...: a replica's settings, ACK and GETACK. */
function replconfCommand(c: ClientSession): void {
  const control = c.server.replication;
  if (c.argv.length % 2 === 0) {
    c.reply.error(Err.syntax);
    return;
  }
  if (control === null) {
    c.reply.error(NO_REPLICATION);
    return;
  }
  const outcome = control.replconf(c, c.argv.slice(1));
  if (outcome === "ok") c.reply.ok();
  else if (outcome !== "none") c.reply.error(outcome);
}

/**
 * PSYNC <replid> <offset> [FAILOVER]: a replica asks for the stream from
 * `offset`; with FAILOVER, a primary handing its role over asks this replica
 * to take it (other extra arguments are ignored, as in Redis).
 */
function psyncCommand(c: ClientSession): void {
  const offset = parseLong(c.argv[2]!);
  if (offset === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  const failover = c.argv.length > 3 && argIs(c.argv[3]!, "failover");
  syncGeneric(c, argString(c.argv[1]!), offset, failover);
}

/** SYNC: the old protocol, a full resynchronisation. */
function syncCommand(c: ClientSession): void {
  syncGeneric(c, "?", -1);
}

function syncGeneric(c: ClientSession, replid: string, offset: number, failover = false): void {
  // A replica that sends PSYNC again is ignored, as in Redis.
  if (c.hasFlag(ClientFlag.Replica)) return;
  const control = c.server.replication;
  if (control === null) {
    c.reply.error(NO_REPLICATION);
    return;
  }
  const error = control.psync(c, replid, offset, failover);
  if (error !== null) c.reply.error(error);
}

/** REPLICAOF host port | NO ONE (and SLAVEOF). */
function replicaofCommand(c: ClientSession): void {
  if (c.hasFlag(ClientFlag.Replica)) {
    c.reply.error("ERR Command is not valid when client is a replica.");
    return;
  }
  const control = c.server.replication;
  if (control === null) {
    c.reply.error(NO_REPLICATION);
    return;
  }
  const host = argString(c.argv[1]!);
  const portText = argString(c.argv[2]!);
  let outcome: { status: string } | { error: string };
  if (host.toLowerCase() === "no" && portText.toLowerCase() === "one") {
    outcome = control.replicaOf(null, 0);
  } else {
    const port = parseLong(c.argv[2]!);
    if (port === null || port < 0 || port > 65535) {
      c.reply.error("ERR Invalid master port");
      return;
    }
    outcome = control.replicaOf(host, port);
  }
  if ("status" in outcome) c.reply.simple(outcome.status);
  else c.reply.error(outcome.error);
}

/** ROLE: master with its offset and replicas, or slave with its primary and state. */
function roleCommand(c: ClientSession): void {
  const reply = c.reply;
  const control = c.server.replication;
  if (control === null) {
    reply.arrayLen(3);
    reply.bulkString("master");
    reply.integer(0);
    reply.arrayLen(0);
    return;
  }
  const role = control.role();
  if (role.role === "master") {
    reply.arrayLen(3);
    reply.bulkString("master");
    reply.integer(role.offset);
    reply.arrayLen(role.replicas.length);
    for (const [ip, port, offset] of role.replicas) {
      reply.arrayLen(3);
      reply.bulkString(ip);
      reply.bulkString(String(port));
      reply.bulkString(String(offset));
    }
    return;
  }
  reply.arrayLen(5);
  reply.bulkString("slave");
  reply.bulkString(role.host);
  reply.integer(role.port);
  reply.bulkString(role.state);
  reply.integer(role.offset);
}

/** WAIT numreplicas timeout: block until that many replicas acknowledged the writes so far. */
function waitCommand(c: ClientSession): void {
  const control = c.server.replication;
  if (c.server.settings.readOnlyReplica || (control !== null && control.role().role === "slave")) {
    c.reply.error(
      "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.",
    );
    return;
  }
  const numReplicas = parseLong(c.argv[1]!);
  if (numReplicas === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  const timeout = parseLong(c.argv[2]!);
  if (timeout === null) {
    c.reply.error("ERR timeout is not an integer or out of range");
    return;
  }
  if (timeout < 0) {
    c.reply.error("ERR timeout is negative");
    return;
  }
  if (control === null) {
    c.reply.integer(0);
    return;
  }
  // Inside MULTI (or a script) WAIT cannot block: the count as it is.
  const acked = control.wait(c, numReplicas, c.hasFlag(ClientFlag.Multi) ? -1 : timeout);
  if (acked !== null) c.reply.integer(acked);
}

export const replicationCommands: readonly CommandSpec[] = [
  {
    name: "replconf",
    arity: -1,
    flags: ["admin", "noscript", "loading", "stale", "allow_busy"],
    group: "server",
    summary: "Replication settings exchanged between servers",
    since: "3.0.0",
    complexity: "O(1)",
    handler: replconfCommand,
  },
  {
    name: "psync",
    arity: -3,
    flags: ["admin", "noscript", "no_async_loading", "no_multi"],
    group: "server",
    summary: "Start or continue replication from this server",
    since: "2.8.0",
    handler: psyncCommand,
  },
  {
    name: "sync",
    arity: 1,
    flags: ["admin", "noscript", "no_async_loading", "no_multi"],
    group: "server",
    summary: "Start a full replication from this server (old protocol)",
    since: "1.0.0",
    handler: syncCommand,
  },
  {
    name: "replicaof",
    arity: 3,
    flags: ["admin", "noscript", "stale", "no_async_loading"],
    group: "server",
    summary: "Follow another server as its replica, or stop following",
    since: "5.0.0",
    complexity: "O(1)",
    handler: replicaofCommand,
  },
  {
    name: "slaveof",
    arity: 3,
    flags: ["admin", "noscript", "stale", "no_async_loading"],
    group: "server",
    summary: "Follow another server as its replica, or stop (old name of REPLICAOF)",
    since: "1.0.0",
    complexity: "O(1)",
    handler: replicaofCommand,
  },
  {
    name: "role",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast"],
    acl: ["@admin", "@dangerous"],
    group: "server",
    summary: "This server's replication role and its peers",
    since: "2.8.12",
    complexity: "O(1)",
    handler: roleCommand,
  },
  {
    name: "wait",
    arity: 3,
    flags: ["noscript"],
    acl: ["@connection"],
    group: "generic",
    summary: "Wait until replicas acknowledged this connection's writes",
    since: "3.0.0",
    complexity: "O(1)",
    handler: waitCommand,
  },
  failoverCommandSpec,
];
