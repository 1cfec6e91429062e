/*
 * SAVE and BGSAVE (Redis' rdb.c command side). The work is done by the server's
 * PersistenceControl; without one (an embedded state with no storage) the
 * commands answer as a failed save would.
 */

import { argIs } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { Err } from "../errors.js";

/** SAVE: write the dataset synchronously. */
function saveCommand(c: ClientSession): void {
  const persistence = c.server.persistence;
  const error = persistence === null ? "ERR" : persistence.save();
  if (error === null) c.reply.ok();
  else c.reply.error(error);
}

/** BGSAVE [SCHEDULE]: start a background save. */
function bgsaveCommand(c: ClientSession): void {
  let schedule = false;
  if (c.argv.length === 2) {
    if (!argIs(c.argv[1]!, "schedule")) {
      c.reply.error(Err.syntax);
      return;
    }
    schedule = true;
  } else if (c.argv.length > 2) {
    c.reply.error(Err.syntax);
    return;
  }
  const persistence = c.server.persistence;
  if (persistence === null) {
    c.reply.error("ERR Background save failed: no storage is configured");
    return;
  }
  // Inside EXEC the server is between a transaction's commands: Redis schedules.
  const outcome = persistence.bgsave(schedule, c.server.callDepth > 1);
  if ("status" in outcome) c.reply.simple(outcome.status);
  else c.reply.error(outcome.error);
}

export const persistenceCommands: readonly CommandSpec[] = [
  {
    name: "save",
    arity: 1,
    flags: ["admin", "noscript", "no_async_loading", "no_multi"],
    group: "server",
    summary: "Write a snapshot now, blocking the server",
    since: "1.0.0",
    complexity: "O(N), N = keys in all databases.",
    handler: saveCommand,
  },
  {
    name: "bgsave",
    arity: -1,
    flags: ["admin", "noscript", "no_async_loading"],
    group: "server",
    summary: "Write a snapshot in the background",
    since: "1.0.0",
    complexity: "O(1)",
    handler: bgsaveCommand,
  },
];
