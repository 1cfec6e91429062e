/*
 * DEBUG (Redis' debug.c), the subcommands tests rely on: SLEEP, SET-ACTIVE-EXPIRE,
 * OBJECT, HELP. Like Redis, DEBUG is refused unless enable-debug-command is
 * "yes", or "local" and the client connects over loopback.
 *
 * DEBUG is one command that reads its subcommand itself (COMMAND INFO shows no
 * subcommands for it), as in Redis.
 */

import { estimateIdleTime } from "@spinel/core-db";
import { argIs, argString, parseDouble } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { Err } from "../errors.js";
import { writeHelp } from "./client.js";
import { estimateKeyUsage } from "./memory.js";

const NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

/**
 * True when the protected-command setting `option` (enable-debug-command,
 * enable-module-command) lets this client run the command: "yes", or "local"
 * and the client connects over loopback or a unix socket, as Redis decides.
 */
export function protectedCommandAllowed(c: ClientSession, option: string): boolean {
  const store = c.server.config;
  if (store === null) return true;
  const setting = store.get([option])[0]?.[1] ?? "no";
  if (setting === "yes") return true;
  if (setting !== "local") return false;
  const address = c.connection?.remoteAddress ?? "";
  return address.startsWith("127.") || address.startsWith("[::1]") || address.endsWith(":0");
}

/** Block the whole server for `seconds`, as DEBUG SLEEP does in Redis. */
function sleepSynchronously(seconds: number): void {
  const milliseconds = seconds * 1000;
  if (milliseconds <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

/** DEBUG OBJECT key: low-level facts about a key, as a status reply. */
function debugObject(c: ClientSession): void {
  const key = argString(c.argv[2]!);
  const entry = c.db.peekEntry(key);
  if (entry === undefined) {
    c.reply.error(Err.noSuchKey);
    return;
  }
  const now = c.server.keyspace.now;
  const lru = entry.lru;
  const idle = Math.floor(estimateIdleTime(lru, now) / 1000);
  const address = `0x${(entry.slot + 1).toString(16).padStart(12, "0")}`;
  c.reply.simple(
    `Value at:${address} refcount:1 encoding:${entry.value.encoding} ` +
      `serializedlength:${estimateKeyUsage(key, entry.value)} lru:${lru} lru_seconds_idle:${idle}`,
  );
}

const DEBUG_HELP = [
  "DEBUG <subcommand> [<arg> ...], where <subcommand> is one of:",
  "OBJECT <key>",
  "    Internal details of <key> and its value.",
  "SET-ACTIVE-EXPIRE <0|1>",
  "    0 stops the background expiry of keys nobody reads; 1 starts it again.",
  "RELOAD [NOSAVE]",
  "    Save the dataset to the RDB file and load it back; NOSAVE loads the file as it is.",
  "SLEEP <seconds>",
  "    Block the server for <seconds> (fractions allowed).",
  "HELP",
  "    This list.",
];

/** DEBUG subcommand [arg ...] */
function debugHandler(c: ClientSession): void {
  if (!protectedCommandAllowed(c, "enable-debug-command")) {
    c.reply.error(NOT_ALLOWED);
    return;
  }
  const argv = c.argv;
  const sub = argv[1]!;
  if (argIs(sub, "help") && argv.length === 2) {
    writeHelp(c, DEBUG_HELP);
  } else if (argIs(sub, "sleep") && argv.length === 3) {
    sleepSynchronously(parseDouble(argv[2]!) ?? 0);
    c.reply.ok();
  } else if (argIs(sub, "set-active-expire") && argv.length === 3) {
    c.server.settings.activeExpire = argString(argv[2]!) !== "0";
    c.reply.ok();
  } else if (argIs(sub, "object") && argv.length === 3) {
    debugObject(c);
  } else if (
    argIs(sub, "reload") &&
    (argv.length === 2 || (argv.length === 3 && argIs(argv[2]!, "nosave")))
  ) {
    const persistence = c.server.persistence;
    const error =
      persistence === null ? "ERR Error trying to save the DB" : persistence.reload(argv.length === 3);
    if (error === null) c.reply.ok();
    else c.reply.error(error);
  } else {
    c.reply.error(`ERR unknown subcommand '${argString(sub).slice(0, 128)}'. Try DEBUG HELP.`);
  }
}

/** DEBUG */
export const debugCommand: CommandSpec = {
  name: "debug",
  arity: -2,
  flags: ["admin", "noscript", "loading", "stale"],
  group: "server",
  summary: "Developer tools for testing the server",
  since: "1.0.0",
  complexity: "Per subcommand.",
  handler: debugHandler,
};
