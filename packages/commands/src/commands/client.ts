/*
 * CLIENT and its subcommands (Redis' networking.c): ID, SETNAME, GETNAME, LIST,
 * INFO, KILL, SETINFO, NO-EVICT, NO-TOUCH, UNBLOCK, REPLY, HELP; PAUSE and UNPAUSE
 * live in client-pause.ts.
 *
 * CLIENT LIST / CLIENT INFO print one line per client with the fields Redis 7.0
 * prints, in its order. Figures that belong to the connection (addresses, fd,
 * buffer sizes, idle time) come through the session's ConnectionHandle.
 *
 * CLIENT REPLY OFF|SKIP is implemented by pointing `c.reply` at a private sink
 * writer whose output is thrown away, so no handler needs to know about it. The
 * bookkeeping (a command observer) is installed the first time a server sees
 * CLIENT REPLY OFF or SKIP, so it costs nothing before.
 */

import { ReplyWriter } from "@spinel/resp";
import { argIs, parseInt64, parseLong } from "../args.js";
import { ClientFlag, type ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { Err } from "../errors.js";
import type { ServerState } from "../server-state.js";
import { clientPauseCommand, clientUnpauseCommand } from "./client-pause.js";

// ---------------------------------------------------------------- names

/**
 * Why `name` cannot be a client name (Redis allows '!'..'~' only), or null when
 * it can. The same rule applies to SETINFO values.
 */
export function clientNameError(name: Buffer): string | null {
  for (let i = 0; i < name.length; i++) {
    const b = name[i]!;
    if (b < 33 || b > 126) return "ERR Client names cannot contain spaces, newlines or special characters.";
  }
  return null;
}

/** True when every byte is printable ASCII without spaces. */
function isPrintableWord(value: Buffer): boolean {
  return clientNameError(value) === null;
}

// ---------------------------------------------------------------- client types

/** Redis' client classes for TYPE filters (getClientType). */
type ClientType = "normal" | "master" | "replica" | "pubsub";

function parseClientType(arg: Buffer): ClientType | null {
  if (argIs(arg, "normal")) return "normal";
  if (argIs(arg, "master")) return "master";
  if (argIs(arg, "replica") || argIs(arg, "slave")) return "replica";
  if (argIs(arg, "pubsub")) return "pubsub";
  return null;
}

function clientType(c: ClientSession): ClientType {
  if (c.hasFlag(ClientFlag.Primary)) return "master";
  if (c.hasFlag(ClientFlag.Replica) && !c.hasFlag(ClientFlag.Monitor)) return "replica";
  if (c.hasFlag(ClientFlag.Pubsub) || c.subscriptionCount > 0) return "pubsub";
  return "normal";
}

// ---------------------------------------------------------------- CLIENT LIST line

/** CLIENT LIST flags letters, in Redis' order; "N" when none. */
function flagLetters(c: ClientSession): string {
  let letters = "";
  if (c.hasFlag(ClientFlag.Replica)) letters += c.hasFlag(ClientFlag.Monitor) ? "O" : "S";
  else if (c.hasFlag(ClientFlag.Monitor)) letters += "O";
  if (c.hasFlag(ClientFlag.Primary)) letters += "M";
  if (c.hasFlag(ClientFlag.Pubsub) || c.subscriptionCount > 0) letters += "P";
  if (c.hasFlag(ClientFlag.Multi)) letters += "x";
  if (c.hasFlag(ClientFlag.Blocked) || c.blockState !== null) letters += "b";
  if (c.hasFlag(ClientFlag.DirtyCas)) letters += "d";
  if (c.hasFlag(ClientFlag.CloseAfterReply)) letters += "c";
  if (c.hasFlag(ClientFlag.Unblocked)) letters += "u";
  if (c.hasFlag(ClientFlag.ReadOnlyCluster)) letters += "r";
  if (c.hasFlag(ClientFlag.NoEvict)) letters += "e";
  if (c.hasFlag(ClientFlag.NoTouch)) letters += "T";
  return letters === "" ? "N" : letters;
}

function argvBytes(argv: readonly Buffer[]): number {
  let total = 0;
  for (const arg of argv) total += arg.length;
  return total;
}

/**
 * One CLIENT LIST / CLIENT INFO line (with its trailing newline), Redis 7.0's
 * fields in order. Every figure is measured: the buffers through the
 * connection, argv-mem from the arguments of the command running (or of a
 * blocked one, or of an incomplete request still being read), multi-mem from
 * the queued arguments, tot-mem as the sum of the buffers and arguments. A
 * session without a connection reports its buffers as empty.
 */
export function clientInfoLine(c: ClientSession, now: number): string {
  const connection = c.connection;
  const queued = c.multiQueue;
  let multiBytes = 0;
  if (queued !== null) for (const entry of queued) multiBytes += argvBytes(entry.argv);
  const running = c === c.server.executingClient || c.blockState !== null;
  const argvMem = running ? argvBytes(c.argv) : (connection?.partialArgumentBytes ?? 0);
  const qbuf = connection?.queryBufferBytes ?? 0;
  const qbufFree = connection?.queryBufferFree ?? 0;
  const rbs = connection?.replyBufferSize ?? 0;
  const obl = connection?.replyBufferBytes ?? 0;
  const omem = connection?.replyListBytes ?? 0;
  const totalMemory = qbuf + qbufFree + argvMem + multiBytes + rbs + omem;
  const createdAt = connection?.createdAt ?? now;
  const lastInteraction = connection?.lastInteraction ?? now;
  const shown = c.command ?? c.lastCommand;
  const command = shown === null ? "NULL" : shown.fullName;
  return (
    `id=${c.id} addr=${connection?.remoteAddress ?? ""} laddr=${connection?.localAddress ?? ""}` +
    ` fd=${connection?.fd ?? -1} name=${c.name} age=${Math.floor((now - createdAt) / 1000)}` +
    ` idle=${Math.floor((now - lastInteraction) / 1000)} flags=${flagLetters(c)} db=${c.db.id}` +
    ` sub=${c.channels.size} psub=${c.patterns.size} ssub=${c.shardChannels.size}` +
    ` multi=${queued === null ? -1 : queued.length} qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem}` +
    ` multi-mem=${multiBytes} rbs=${rbs} rbp=${connection?.replyBufferPeak ?? 0} obl=${obl}` +
    ` oll=${connection?.replyListLength ?? 0} omem=${omem} tot-mem=${totalMemory}` +
    ` events=${connection?.events ?? "r"} cmd=${command} user=default redir=-1 resp=${c.resp}\n`
  );
}

// ---------------------------------------------------------------- ID GETNAME SETNAME INFO

/** CLIENT ID */
function clientIdCommand(c: ClientSession): void {
  c.reply.integer(c.id);
}

/** CLIENT GETNAME */
function clientGetnameCommand(c: ClientSession): void {
  if (c.name === "") c.reply.nullBulk();
  else c.reply.bulkString(c.name);
}

/** CLIENT SETNAME name ("" clears it) */
function clientSetnameCommand(c: ClientSession): void {
  const name = c.argv[2]!;
  const error = clientNameError(name);
  if (error !== null) {
    c.reply.error(error);
    return;
  }
  c.name = name.toString("latin1");
  c.reply.ok();
}

/** CLIENT INFO */
function clientInfoCommand(c: ClientSession): void {
  c.reply.verbatim(clientInfoLine(c, Date.now()));
}

/** CLIENT SETINFO LIB-NAME name | LIB-VER version (Redis 7.2; client libraries send it). */
function clientSetinfoCommand(c: ClientSession): void {
  const attribute = c.argv[2]!;
  const value = c.argv[3]!;
  const isName = argIs(attribute, "lib-name");
  if (!isName && !argIs(attribute, "lib-ver")) {
    c.reply.error(`ERR Unrecognized option '${attribute.toString("latin1")}'`);
    return;
  }
  if (!isPrintableWord(value)) {
    c.reply.error(
      `ERR ${attribute.toString("latin1")} cannot contain spaces, newlines or special characters.`,
    );
    return;
  }
  if (isName) c.libName = value.toString("latin1");
  else c.libVersion = value.toString("latin1");
  c.reply.ok();
}

// ---------------------------------------------------------------- LIST

/** CLIENT LIST [TYPE type] [ID id [id ...]] */
function clientListCommand(c: ClientSession): void {
  const argv = c.argv;
  const now = Date.now();
  const clients = c.server.clients;
  let text = "";
  if (argv.length === 2) {
    for (const client of clients.values()) text += clientInfoLine(client, now);
  } else if (argv.length > 3 && argIs(argv[2]!, "id")) {
    const ids: number[] = [];
    for (let i = 3; i < argv.length; i++) {
      const id = parseLong(argv[i]!);
      if (id === null) {
        c.reply.error("ERR Invalid client ID");
        return;
      }
      ids.push(id);
    }
    for (const id of ids) {
      const client = clients.get(id);
      if (client !== undefined) text += clientInfoLine(client, now);
    }
  } else if (argv.length === 4 && argIs(argv[2]!, "type")) {
    const type = parseClientType(argv[3]!);
    if (type === null) {
      c.reply.error(`ERR Unknown client type '${argv[3]!.toString("latin1")}'`);
      return;
    }
    for (const client of clients.values())
      if (clientType(client) === type) text += clientInfoLine(client, now);
  } else {
    c.reply.error(Err.syntax);
    return;
  }
  c.reply.verbatim(text);
}

// ---------------------------------------------------------------- KILL

/** Filters of the new CLIENT KILL form; null fields do not filter. */
interface KillFilter {
  id: number | null;
  type: ClientType | null;
  address: string | null;
  localAddress: string | null;
  user: string | null;
  skipMe: boolean;
}

/**
 * CLIENT KILL ip:port (old form: +OK or "No such client"), or CLIENT KILL
 * <filter> <value> ... (new form: the number of clients killed). The caller
 * itself is closed after its reply, others at once.
 */
function clientKillCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length === 3) {
    const address = argv[2]!.toString("latin1");
    for (const client of c.server.clients.values()) {
      if (client.connection?.remoteAddress === address) {
        c.reply.ok();
        killClient(c, client);
        return;
      }
    }
    c.reply.error("ERR No such client");
    return;
  }
  const filter = parseKillFilterOrReply(c);
  if (filter === null) return;
  const victims: ClientSession[] = [];
  for (const client of c.server.clients.values()) {
    if (filter.id !== null && client.id !== filter.id) continue;
    if (filter.type !== null && clientType(client) !== filter.type) continue;
    if (filter.address !== null && client.connection?.remoteAddress !== filter.address) continue;
    if (filter.localAddress !== null && client.connection?.localAddress !== filter.localAddress) continue;
    if (filter.skipMe && client === c) continue;
    victims.push(client);
  }
  // The link to this server's primary is no session of its own: the control drops it.
  const primaryLinks =
    filter.type === "master" && filter.id === null && filter.address === null && filter.localAddress === null
      ? (c.server.replication?.killPrimaryLink() ?? 0)
      : 0;
  c.reply.integer(victims.length + primaryLinks);
  for (const victim of victims) killClient(c, victim);
}

function parseKillFilterOrReply(c: ClientSession): KillFilter | null {
  const argv = c.argv;
  const filter: KillFilter = {
    id: null,
    type: null,
    address: null,
    localAddress: null,
    user: null,
    skipMe: true,
  };
  for (let i = 2; i < argv.length; i += 2) {
    if (i + 1 >= argv.length) {
      c.reply.error(Err.syntax);
      return null;
    }
    const option = argv[i]!;
    const value = argv[i + 1]!;
    if (argIs(option, "id")) {
      const id = parseInt64(value);
      if (id === null || id <= 0n) {
        c.reply.error("ERR client-id should be greater than 0");
        return null;
      }
      filter.id = Number(id);
    } else if (argIs(option, "type")) {
      const type = parseClientType(value);
      if (type === null) {
        c.reply.error(`ERR Unknown client type '${value.toString("latin1")}'`);
        return null;
      }
      filter.type = type;
    } else if (argIs(option, "addr")) {
      filter.address = value.toString("latin1");
    } else if (argIs(option, "laddr")) {
      filter.localAddress = value.toString("latin1");
    } else if (argIs(option, "user")) {
      const user = value.toString("latin1");
      if (user !== "default") {
        c.reply.error(`ERR No such user '${user}'`);
        return null;
      }
      filter.user = user;
    } else if (argIs(option, "skipme")) {
      if (argIs(value, "yes")) filter.skipMe = true;
      else if (argIs(value, "no")) filter.skipMe = false;
      else {
        c.reply.error(Err.syntax);
        return null;
      }
    } else {
      c.reply.error(Err.syntax);
      return null;
    }
  }
  return filter;
}

/** Close `victim`'s connection: after the reply when it is the caller, else at once. */
function killClient(c: ClientSession, victim: ClientSession): void {
  if (victim === c) {
    c.flags |= ClientFlag.CloseAfterReply;
    c.connection?.close(true);
  } else {
    victim.connection?.close(false);
  }
}

// ---------------------------------------------------------------- NO-EVICT NO-TOUCH UNBLOCK

/** Parse ON / OFF, or reply with a syntax error. */
function onOffOrReply(c: ClientSession, arg: Buffer): boolean | null {
  if (argIs(arg, "on")) return true;
  if (argIs(arg, "off")) return false;
  c.reply.error(Err.syntax);
  return null;
}

/** CLIENT NO-EVICT ON|OFF */
function clientNoEvictCommand(c: ClientSession): void {
  const on = onOffOrReply(c, c.argv[2]!);
  if (on === null) return;
  if (on) c.flags |= ClientFlag.NoEvict;
  else c.flags &= ~ClientFlag.NoEvict;
  c.reply.ok();
}

/** CLIENT NO-TOUCH ON|OFF (Redis 7.2): the flag shows in CLIENT LIST as T. */
function clientNoTouchCommand(c: ClientSession): void {
  const on = onOffOrReply(c, c.argv[2]!);
  if (on === null) return;
  if (on) c.flags |= ClientFlag.NoTouch;
  else c.flags &= ~ClientFlag.NoTouch;
  c.reply.ok();
}

/** CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: 1 when a blocked client was released. */
function clientUnblockCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length > 4) {
    subcommandSyntaxError(c);
    return;
  }
  let withError = false;
  if (argv.length === 4) {
    if (argIs(argv[3]!, "error")) withError = true;
    else if (!argIs(argv[3]!, "timeout")) {
      c.reply.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
      return;
    }
  }
  const id = parseInt64(argv[2]!);
  if (id === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  const target = c.server.clients.get(Number(id));
  const released = target !== undefined && c.server.blocking.unblock(target, withError);
  c.reply.integer(released ? 1 : 0);
}

/** "unknown subcommand or wrong number of arguments" for a subcommand with a variable arity. */
function subcommandSyntaxError(c: ClientSession): void {
  c.reply.error(
    `ERR unknown subcommand or wrong number of arguments for '${c.argv[1]!.toString("latin1")}'. Try CLIENT HELP.`,
  );
}

// ---------------------------------------------------------------- REPLY ON|OFF|SKIP

/** Reply suppression state of one client. */
class SuppressedReplies {
  readonly real: ReplyWriter;
  readonly sink: ReplyWriter;
  /**
   * "off" until CLIENT REPLY ON; for SKIP, "skip-armed" while the SKIP command
   * itself finishes, then "skipping" until the next command has run.
   */
  mode: "off" | "skip-armed" | "skipping";

  constructor(real: ReplyWriter, mode: "off" | "skip-armed") {
    this.real = real;
    this.sink = new ReplyWriter(real.protocol);
    this.mode = mode;
  }
}

/**
 * Per-server registry of clients whose replies are suppressed. Its command
 * observer runs after every executed command: it drops what a suppressed client
 * wrote, and ends a SKIP once the skipped command (a whole EXEC included) ran.
 */
class ReplyModes {
  readonly clients = new Map<ClientSession, SuppressedReplies>();
  private readonly server: ServerState;

  constructor(server: ServerState) {
    this.server = server;
    server.commandObservers.push((c) => this.commandExecuted(c));
    server.sessionCloseHooks.push((c) => this.clients.delete(c));
  }

  /** Start suppressing `c`'s replies now. */
  suppress(c: ClientSession, mode: "off" | "skip-armed"): void {
    const state = new SuppressedReplies(c.reply, mode);
    this.clients.set(c, state);
    state.sink.protocol = c.reply.protocol;
    c.reply = state.sink;
  }

  private commandExecuted(c: ClientSession): void {
    if (this.clients.size === 0) return;
    const state = this.clients.get(c);
    if (state === undefined) return;
    state.sink.discard();
    // Only the outermost command of an execution unit ends a skip.
    if (this.server.callDepth !== 0) return;
    if (state.mode === "skip-armed") state.mode = "skipping";
    else if (state.mode === "skipping") this.restore(c, state);
  }

  /** Give `c` its real writer back. */
  restore(c: ClientSession, state: SuppressedReplies): void {
    if (c.reply === state.sink) {
      state.real.protocol = state.sink.protocol;
      c.reply = state.real;
    }
    this.clients.delete(c);
  }
}

const replyModesByServer = new WeakMap<ServerState, ReplyModes>();

function replyModes(server: ServerState): ReplyModes {
  let modes = replyModesByServer.get(server);
  if (modes === undefined) {
    modes = new ReplyModes(server);
    replyModesByServer.set(server, modes);
  }
  return modes;
}

/** Turn replies back on for `c` (CLIENT REPLY ON, RESET). */
export function leaveReplyMode(c: ClientSession): void {
  const modes = replyModesByServer.get(c.server);
  const state = modes?.clients.get(c);
  if (modes !== undefined && state !== undefined) modes.restore(c, state);
}

/** CLIENT REPLY ON|OFF|SKIP: OFF and SKIP send no reply themselves. */
function clientReplyCommand(c: ClientSession): void {
  const mode = c.argv[2]!;
  if (argIs(mode, "on")) {
    leaveReplyMode(c);
    c.reply.ok();
    return;
  }
  const off = argIs(mode, "off");
  if (!off && !argIs(mode, "skip")) {
    c.reply.error(Err.syntax);
    return;
  }
  const modes = replyModes(c.server);
  const current = modes.clients.get(c);
  if (current !== undefined) {
    // Already silent: OFF wins over a pending SKIP, SKIP changes nothing under OFF.
    if (off) current.mode = "off";
    return;
  }
  modes.suppress(c, off ? "off" : "skip-armed");
}

// ---------------------------------------------------------------- HELP

const CLIENT_HELP = [
  "CLIENT <subcommand> [<arg> ...], where <subcommand> is one of:",
  "GETNAME",
  "    The name set with SETNAME, or nil.",
  "ID",
  "    This connection's numeric id.",
  "INFO",
  "    One CLIENT LIST line describing this connection.",
  "KILL <ip:port>",
  "    Close the connection coming from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Close every connection matching all the filters:",
  "    * ADDR (<ip:port>|<unixsocket>:0)",
  "      the peer address",
  "    * LADDR (<ip:port>|<unixsocket>:0)",
  "      the local address it connected to",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      its kind",
  "    * USER <username>",
  "      the user it is logged in as",
  "    * SKIPME (YES|NO)",
  "      whether this connection is spared (default yes)",
  "LIST [options ...]",
  "    One line per connection. Filter:",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      only connections of that kind",
  "PAUSE <timeout> [WRITE|ALL]",
  "    Hold commands of other clients (all, or only writes) for <timeout> ms.",
  "REPLY (ON|OFF|SKIP)",
  "    Turn replies to this connection on, off, or off for the next command.",
  "SETNAME <name>",
  "    Name this connection.",
  "SETINFO <option> <value>",
  "    Record facts about the client library:",
  "    * LIB-NAME: its name.",
  "    * LIB-VER: its version.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Wake a client waiting in a blocking command, as a timeout or with an error.",
  "UNPAUSE",
  "    End a CLIENT PAUSE at once.",
  "NO-EVICT (ON|OFF)",
  "    Spare this connection from client eviction, or not.",
  "NO-TOUCH (ON|OFF)",
  "    When on, this connection's commands leave key access times alone.",
  "HELP",
  "    This list.",
];

/** Reply with help lines as Redis' addReplyHelp does: an array of simple strings. */
export function writeHelp(c: ClientSession, lines: readonly string[]): void {
  c.reply.arrayLen(lines.length);
  for (const line of lines) c.reply.simple(line);
}

/** CLIENT HELP */
function clientHelpCommand(c: ClientSession): void {
  writeHelp(c, CLIENT_HELP);
}

// ---------------------------------------------------------------- spec

const CLIENT_FLAGS = ["noscript", "loading", "stale"] as const;
const CLIENT_ADMIN_FLAGS = ["admin", "noscript", "loading", "stale"] as const;

function clientSubcommand(
  name: string,
  arity: number,
  flags: CommandSpec["flags"],
  summary: string,
  since: string,
  complexity: string,
  handler: CommandSpec["handler"],
): CommandSpec {
  return {
    name,
    arity,
    flags,
    acl: ["@connection"],
    group: "connection",
    summary,
    since,
    complexity,
    handler,
  };
}

/** CLIENT: the container and its subcommands. */
export const clientCommand: CommandSpec = {
  name: "client",
  arity: -2,
  flags: [],
  group: "connection",
  summary: "Inspect and steer client connections",
  since: "2.4.0",
  complexity: "Per subcommand.",
  handler: () => {},
  subcommands: [
    clientSubcommand("id", 2, CLIENT_FLAGS, "This connection's numeric id", "5.0.0", "O(1)", clientIdCommand),
    clientSubcommand(
      "getname",
      2,
      CLIENT_FLAGS,
      "Read this connection's name",
      "2.6.9",
      "O(1)",
      clientGetnameCommand,
    ),
    clientSubcommand(
      "setname",
      3,
      CLIENT_FLAGS,
      "Give this connection a name",
      "2.6.9",
      "O(1)",
      clientSetnameCommand,
    ),
    clientSubcommand(
      "info",
      2,
      CLIENT_FLAGS,
      "Describe this connection in CLIENT LIST's format",
      "6.2.0",
      "O(1)",
      clientInfoCommand,
    ),
    clientSubcommand(
      "list",
      -2,
      CLIENT_ADMIN_FLAGS,
      "Describe every connection, one line each",
      "2.4.0",
      "O(N), N = connections.",
      clientListCommand,
    ),
    clientSubcommand(
      "kill",
      -3,
      CLIENT_ADMIN_FLAGS,
      "Close connections chosen by address, id, type, user or age",
      "2.4.0",
      "O(N), N = connections.",
      clientKillCommand,
    ),
    clientSubcommand(
      "setinfo",
      4,
      ["noscript", "loading", "stale"],
      "Record the client library name or version for this connection",
      "7.2.0",
      "O(1)",
      clientSetinfoCommand,
    ),
    clientSubcommand(
      "no-evict",
      3,
      CLIENT_ADMIN_FLAGS,
      "Exempt this connection from client eviction, or not",
      "7.0.0",
      "O(1)",
      clientNoEvictCommand,
    ),
    clientSubcommand(
      "no-touch",
      3,
      ["noscript", "loading", "stale"],
      "Keep this connection's reads from counting as key accesses",
      "7.2.0",
      "O(1)",
      clientNoTouchCommand,
    ),
    clientSubcommand(
      "unblock",
      -3,
      CLIENT_ADMIN_FLAGS,
      "Wake a client waiting in a blocking command",
      "5.0.0",
      "O(log(N)), N = connections.",
      clientUnblockCommand,
    ),
    clientSubcommand(
      "pause",
      -3,
      CLIENT_ADMIN_FLAGS,
      "Hold client commands (all or just writes) for a while",
      "2.9.50",
      "O(1)",
      clientPauseCommand,
    ),
    clientSubcommand(
      "unpause",
      2,
      CLIENT_ADMIN_FLAGS,
      "End a CLIENT PAUSE now",
      "6.2.0",
      "O(N), N = held clients.",
      clientUnpauseCommand,
    ),
    clientSubcommand(
      "reply",
      3,
      CLIENT_FLAGS,
      "Turn this connection's replies on, off, or skip the next",
      "3.2.0",
      "O(1)",
      clientReplyCommand,
    ),
    clientSubcommand(
      "help",
      2,
      ["loading", "stale"],
      "List the subcommands with one line on each",
      "5.0.0",
      "O(1)",
      clientHelpCommand,
    ),
  ],
};
