/*
 * Connection commands (Redis' server.c / networking.c / acl.c parts): PING, ECHO,
 * QUIT, SELECT, RESET, HELLO, AUTH, and CLIENT (whose subcommands live in
 * client.ts).
 *
 * Authentication: Spinel has Redis' "default" user only. Without requirepass the
 * default user is "nopass" (any password is accepted by AUTH default <x>); with
 * requirepass, AUTH [default] <password> must match it. A new connection starts
 * authenticated exactly when no password is required (apps/server sets that up);
 * the gate refuses everything but no_auth commands until then.
 */

import { argIs, parseInt64 } from "../args.js";
import { ClientFlag, type ClientSession } from "../client-session.js";
import { type CommandSpec, NO_KEYS } from "../command-spec.js";
import { Err } from "../errors.js";
import { clientCommand, clientNameError, leaveReplyMode } from "./client.js";
import { REDIS_VERSION } from "./info.js";
import { discardTransaction } from "./transaction.js";

const PONG = Buffer.from("+PONG\r\n");
const RESET_REPLY = Buffer.from("+RESET\r\n");

// ---------------------------------------------------------------- PING ECHO QUIT SELECT

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
  const index = parseInt64(c.argv[1]!);
  if (index === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  if (index < 0n || index >= BigInt(c.server.keyspace.databases.length)) {
    c.reply.error(Err.dbIndexOutOfRange);
    return;
  }
  c.db = c.server.keyspace.db(Number(index));
  c.reply.ok();
}

// ---------------------------------------------------------------- AUTH

const WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

/**
 * Check credentials against the default user. Returns true and authenticates
 * `c` on success; on failure writes -WRONGPASS and returns false.
 */
function authenticateOrReply(c: ClientSession, username: Buffer, password: Buffer): boolean {
  const required = c.server.settings.requirePass;
  const userOk = username.toString("latin1") === "default";
  const passwordOk = required === "" || password.toString("latin1") === required;
  if (userOk && passwordOk) {
    c.authenticated = true;
    return true;
  }
  c.reply.error(WRONGPASS);
  return false;
}

const DEFAULT_USER = Buffer.from("default");

/** AUTH [username] password */
function authCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length > 3) {
    c.reply.error(Err.syntax);
    return;
  }
  if (argv.length === 2) {
    if (c.server.settings.requirePass === "") {
      c.reply.error(
        "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
      );
      return;
    }
    if (authenticateOrReply(c, DEFAULT_USER, argv[1]!)) c.reply.ok();
    return;
  }
  if (authenticateOrReply(c, argv[1]!, argv[2]!)) c.reply.ok();
}

// ---------------------------------------------------------------- HELLO

const HELLO_NOAUTH =
  "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time";

/**
 * HELLO [protover [AUTH username password] [SETNAME clientname]]: switch
 * protocol and reply with the server's identity (a map). Like Redis 7.0, SETNAME
 * takes effect while the options are read, and authentication is checked last.
 */
function helloCommand(c: ClientSession): void {
  const argv = c.argv;
  let version = 0;
  if (argv.length >= 2) {
    const requested = parseInt64(argv[1]!);
    if (requested === null) {
      c.reply.error("ERR Protocol version is not an integer or out of range");
      return;
    }
    if (requested < 2n || requested > 3n) {
      c.reply.error("NOPROTO unsupported protocol version");
      return;
    }
    version = Number(requested);
  }
  let username: Buffer | null = null;
  let password: Buffer | null = null;
  for (let i = 2; i < argv.length; i++) {
    const remaining = argv.length - 1 - i;
    const option = argv[i]!;
    if (argIs(option, "auth") && remaining >= 2) {
      username = argv[i + 1]!;
      password = argv[i + 2]!;
      i += 2;
    } else if (argIs(option, "setname") && remaining >= 1) {
      const error = clientNameError(argv[i + 1]!);
      if (error !== null) {
        c.reply.error(error);
        return;
      }
      c.name = argv[i + 1]!.toString("latin1");
      i++;
    } else {
      c.reply.error(`ERR Syntax error in HELLO option '${option.toString("latin1")}'`);
      return;
    }
  }
  if (username !== null && password !== null && !authenticateOrReply(c, username, password)) return;
  if (version !== 0 && !c.authenticated) {
    c.reply.error(HELLO_NOAUTH);
    return;
  }
  if (version !== 0) c.resp = version as 2 | 3;
  writeHelloMap(c);
}

/** The map HELLO replies with (also what a client library reads to learn the protocol). */
function writeHelloMap(c: ClientSession): void {
  const reply = c.reply;
  reply.mapLen(7);
  reply.bulkString("server");
  reply.bulkString("redis");
  reply.bulkString("version");
  reply.bulkString(REDIS_VERSION);
  reply.bulkString("proto");
  reply.integer(c.resp);
  reply.bulkString("id");
  reply.integer(c.id);
  reply.bulkString("mode");
  reply.bulkString("standalone");
  reply.bulkString("role");
  reply.bulkString(c.server.settings.readOnlyReplica ? "replica" : "master");
  reply.bulkString("modules");
  reply.arrayLen(0);
}

// ---------------------------------------------------------------- RESET

/**
 * RESET: back to a fresh connection's state without reconnecting: leaves MULTI,
 * unwatches, leaves pub/sub and MONITOR (the session cleanup hooks run, as on
 * disconnect, but the connection stays), RESP2, database 0, no name, replies ON,
 * no NO-EVICT / NO-TOUCH, and authenticated only when no password is required.
 */
function resetCommand(c: ClientSession): void {
  if (c.hasFlag(ClientFlag.Primary) || c.hasFlag(ClientFlag.Replica)) {
    c.reply.error("ERR can only reset normal client connections");
    return;
  }
  leaveReplyMode(c);
  discardTransaction(c);
  for (const hook of c.server.sessionCloseHooks) hook(c);
  c.db = c.server.keyspace.db(0);
  c.resp = 2;
  c.name = "";
  c.flags &= ~(
    ClientFlag.Pubsub |
    ClientFlag.Monitor |
    ClientFlag.ReadOnlyCluster |
    ClientFlag.NoEvict |
    ClientFlag.NoTouch
  );
  c.authenticated = c.server.settings.requirePass === "";
  c.reply.raw(RESET_REPLY);
}

// ---------------------------------------------------------------- specs

export const connectionCommands: readonly CommandSpec[] = [
  {
    name: "ping",
    arity: -1,
    flags: ["fast", "sentinel"],
    keys: NO_KEYS,
    acl: ["@connection"],
    group: "connection",
    summary: "Check that the server answers",
    since: "1.0.0",
    complexity: "O(1)",
    handler: pingCommand,
  },
  {
    name: "echo",
    arity: 2,
    flags: ["loading", "stale", "fast"],
    acl: ["@connection"],
    group: "connection",
    summary: "Send the argument back",
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
    summary: "Close this connection",
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
    summary: "Switch this connection to another database",
    since: "1.0.0",
    complexity: "O(1)",
    handler: selectCommand,
  },
  {
    name: "auth",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "sentinel", "allow_busy"],
    acl: ["@connection"],
    group: "connection",
    summary: "Log this connection in",
    since: "1.0.0",
    complexity: "O(N), N = passwords of the user.",
    handler: authCommand,
  },
  {
    name: "hello",
    arity: -1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "sentinel", "allow_busy"],
    acl: ["@connection"],
    group: "connection",
    summary: "Pick the protocol version, optionally log in, and describe the server",
    since: "6.0.0",
    complexity: "O(1)",
    handler: helloCommand,
  },
  {
    name: "reset",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    acl: ["@connection"],
    group: "connection",
    summary: "Put this connection back in its initial state",
    since: "6.2.0",
    complexity: "O(1)",
    handler: resetCommand,
  },
  clientCommand,
];
