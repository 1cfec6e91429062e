/*
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]: a primary
 * hands its role to one of its replicas (redis-server 7.0's coordinated
 * failover). The command checks the syntax in Redis' order and with its
 * errors; the state checks and the failover itself are the server's
 * ReplicationControl (apps/server).
 */

import { argIs, argString, parseLong } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { Err } from "../errors.js";
import type { FailoverRequest } from "../server-state.js";

/**
 * The options of FAILOVER after its name, or an error reply text. Each option
 * may appear once; ABORT is only valid alone (the caller checks that first),
 * so here it is a syntax error like any unknown word.
 */
export function parseFailoverOptions(args: readonly Buffer[]): FailoverRequest | string {
  let timeoutMs = 0;
  let force = false;
  let host: string | null = null;
  let port = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (argIs(arg, "timeout") && i + 1 < args.length && timeoutMs === 0) {
      const value = parseLong(args[i + 1]!);
      if (value === null) return Err.notInteger;
      if (value <= 0) return "ERR FAILOVER timeout must be greater than 0";
      timeoutMs = value;
      i++;
    } else if (argIs(arg, "to") && i + 2 < args.length && host === null) {
      const value = parseLong(args[i + 2]!);
      if (value === null) return Err.notInteger;
      host = argString(args[i + 1]!);
      port = value;
      i += 2;
    } else if (argIs(arg, "force") && !force) {
      force = true;
    } else {
      return Err.syntax;
    }
  }
  return { host, port, force, timeoutMs };
}

/** FAILOVER: start a coordinated failover, or (ABORT) roll the current one back. */
function failoverCommand(c: ClientSession): void {
  const control = c.server.replication;
  const args = c.argv.slice(1);
  if (args.length === 1 && argIs(args[0]!, "abort")) {
    if (control === null) {
      c.reply.error("ERR No failover in progress.");
      return;
    }
    const error = control.abortFailover();
    if (error === null) c.reply.ok();
    else c.reply.error(error);
    return;
  }
  const request = parseFailoverOptions(args);
  if (typeof request === "string") {
    c.reply.error(request);
    return;
  }
  if (control === null) {
    c.reply.error("ERR FAILOVER requires connected replicas.");
    return;
  }
  const error = control.failover(request);
  if (error === null) c.reply.ok();
  else c.reply.error(error);
}

/** FAILOVER's declaration (listed with the replication commands). */
export const failoverCommandSpec: CommandSpec = {
  name: "failover",
  arity: -1,
  flags: ["admin", "noscript", "stale"],
  group: "server",
  summary: "Hand the primary role to a replica in step with it",
  since: "6.2.0",
  complexity: "O(1)",
  handler: failoverCommand,
};
