/*
 * MONITOR (Redis' replication.c monitorCommand): switch the client to monitor
 * mode. The feeding of command lines lives in ../monitor.ts.
 */

import { ClientFlag, type ClientSession } from "../client-session.js";
import { type CommandSpec, NO_KEYS } from "../command-spec.js";
import { startMonitoring } from "../monitor.js";

/**
 * MONITOR: +OK, then a line per executed command. Refused inside MULTI/EXEC (a
 * "DENY BLOCKING" context in Redis). A client that already monitors (or is a
 * replica) gets no reply at all, exactly as Redis ignores the repeated command.
 */
function monitorCommand(c: ClientSession): void {
  if (c.server.callDepth > 1) {
    c.reply.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
    return;
  }
  if ((c.flags & (ClientFlag.Monitor | ClientFlag.Replica)) !== 0) return;
  startMonitoring(c);
  c.reply.ok();
}

export const monitorCommands: readonly CommandSpec[] = [
  {
    name: "monitor",
    arity: 1,
    flags: ["admin", "noscript", "loading", "stale"],
    keys: NO_KEYS,
    group: "server",
    summary: "Stream every command the server runs to this connection",
    since: "1.0.0",
    handler: monitorCommand,
  },
];
