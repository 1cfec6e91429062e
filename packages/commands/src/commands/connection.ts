/*
 * Connection commands (Redis' networking.c / server.c parts): PING, ECHO, QUIT,
 * SELECT. HELLO, RESET and CLIENT live here too as they grow.
 */

import { getLongOrReply } from "../args.js";
import { ClientFlag, type ClientSession } from "../client-session.js";
import { type CommandSpec, NO_KEYS } from "../command-spec.js";
import { Err } from "../errors.js";

const PONG = Buffer.from("+PONG\r\n");

/** PING [message]: PONG, or the message as a bulk; `pong` multibulk in RESP2 subscribed mode. */
function pingCommand(c: ClientSession): void {
  if (c.argv.length > 2) {
    c.reply.error("ERR wrong number of arguments for 'ping' command");
    return;
  }
  if (c.resp === 2 && c.subscriptionCount > 0) {
    c.reply.arrayLen(2);
    c.reply.bulkString("pong");
    if (c.argv.length === 1) c.reply.bulkString("");
    else c.reply.bulk(c.argv[1]!);
    return;
  }
  if (c.argv.length === 1) c.reply.raw(PONG);
  else c.reply.bulk(c.argv[1]!);
}

/** ECHO message */
function echoCommand(c: ClientSession): void {
  c.reply.bulk(c.argv[1]!);
}

/** QUIT: +OK, then the connection closes once the reply is written. */
function quitCommand(c: ClientSession): void {
  c.reply.ok();
  c.flags |= ClientFlag.CloseAfterReply;
  c.connection?.close(true);
}

/** SELECT index */
function selectCommand(c: ClientSession): void {
  const index = getLongOrReply(c, c.argv[1]!, Err.invalidDbIndex);
  if (index === null) return;
  if (index < 0 || index >= c.server.keyspace.databases.length) {
    c.reply.error(Err.dbIndexOutOfRange);
    return;
  }
  c.db = c.server.keyspace.db(index);
  c.reply.ok();
}

export const connectionCommands: readonly CommandSpec[] = [
  {
    name: "ping",
    arity: -1,
    flags: ["fast", "sentinel"],
    keys: NO_KEYS,
    acl: ["@connection"],
    group: "connection",
    summary: "Ping the server",
    since: "1.0.0",
    complexity: "O(1)",
    handler: pingCommand,
  },
  {
    name: "echo",
    arity: 2,
    flags: ["fast"],
    acl: ["@connection"],
    group: "connection",
    summary: "Echo the given string",
    since: "1.0.0",
    complexity: "O(1)",
    handler: echoCommand,
  },
  {
    name: "quit",
    arity: -1,
    flags: ["allow_busy", "noscript", "loading", "stale", "fast", "no_auth"],
    acl: ["@connection"],
    group: "connection",
    summary: "Close the connection",
    since: "1.0.0",
    complexity: "O(1)",
    handler: quitCommand,
  },
  {
    name: "select",
    arity: 2,
    flags: ["loading", "stale", "fast"],
    acl: ["@connection"],
    group: "connection",
    summary: "Change the selected database for the current connection",
    since: "1.0.0",
    complexity: "O(1)",
    handler: selectCommand,
  },
];
