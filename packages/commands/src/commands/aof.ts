/*
 * The append-only file's commands: BGREWRITEAOF. The AOF itself lives in
 * @spinel/persistence and is run by apps/server, which implements AofControl
 * (server-state.ts) and plugs it into ServerState.aofControl.
 */

import type { ClientSession } from "../client-session.js";
import { type CommandSpec, NO_KEYS } from "../command-spec.js";

/**
 * BGREWRITEAOF: ask for a rewrite of the append-only file. The reply is the
 * server's: "Background append only file rewriting started" (or "scheduled"),
 * or an error when one is already running or the rewrite cannot start.
 */
function bgrewriteaofCommand(c: ClientSession): void {
  const control = c.server.aofControl;
  if (control === null) {
    c.reply.error(
      "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
    );
    return;
  }
  const outcome = control.rewriteInBackground();
  if (outcome.startsWith("ERR ")) c.reply.error(outcome);
  else c.reply.simple(outcome);
}

export const aofCommands: readonly CommandSpec[] = [
  {
    name: "bgrewriteaof",
    arity: 1,
    flags: ["admin", "noscript", "no_async_loading"],
    keys: NO_KEYS,
    acl: ["@admin", "@slow", "@dangerous"],
    group: "server",
    summary: "Compact the append-only file in the background",
    since: "1.0.0",
    complexity: "O(1)",
    handler: bgrewriteaofCommand,
  },
];
