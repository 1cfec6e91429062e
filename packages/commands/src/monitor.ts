/*
 * MONITOR: streaming every executed command to the clients in monitor mode, in
 * the format of Redis' replicationFeedMonitors():
 *
 *   +<unix seconds>.<microseconds> [<db> <client addr>] "CMD" "arg" ...\r\n
 *
 * Arguments are quoted and escaped as sdscatrepr() does. The line is produced once
 * per command after it ran (so `SELECT 2` is shown in db 2, and each command of an
 * EXEC is shown before the EXEC itself, as in Redis) and appended to every monitor.
 *
 * Not shown, as in Redis: commands with the admin or skip_monitor flag (CONFIG,
 * DEBUG, MONITOR itself, EVAL whose scripting engine feeds its own line), commands
 * refused by the gate (they never ran), and commands replayed from a data file.
 * Passwords are redacted: AUTH's arguments, HELLO's AUTH pair, MIGRATE's AUTH and
 * AUTH2 arguments.
 *
 * The feed is a command observer (ServerState.commandObservers) installed while at
 * least one client monitors, so the command path pays nothing otherwise.
 */

import { argIs, parseLong } from "./args.js";
import { ClientFlag, type ClientSession } from "./client-session.js";
import { FlagBit } from "./command-table.js";

const HIDDEN_COMMAND_FLAGS = FlagBit.Admin | FlagBit.SkipMonitor;
const REDACTED = '"(redacted)"';

/** The observer installed in ServerState.commandObservers while someone monitors. */
function monitorObserver(c: ClientSession, argv: readonly Buffer[]): void {
  feedMonitors(c, argv);
}

/**
 * Put `c` in monitor mode: from now on it receives a line per executed command.
 * Also exempts it from the idle timeout (Redis treats monitors like replicas there).
 */
export function startMonitoring(c: ClientSession): void {
  const server = c.server;
  const monitors = server.pubsub.monitors;
  if (monitors.size === 0) server.commandObservers.push(monitorObserver);
  monitors.add(c);
  c.flags |= ClientFlag.Monitor;
  if (c.connection !== null) c.connection.timeoutExempt = true;
}

/**
 * Leave monitor mode (RESET, and a client going away). Harmless when `c` does not
 * monitor. Removes the observer when the last monitor leaves.
 */
export function stopMonitoring(c: ClientSession): void {
  const server = c.server;
  const monitors = server.pubsub.monitors;
  if (!monitors.delete(c)) return;
  c.flags &= ~ClientFlag.Monitor;
  const connection = c.connection;
  if (connection !== null) {
    connection.timeoutExempt =
      (c.flags & (ClientFlag.Pubsub | ClientFlag.Blocked | ClientFlag.Replica | ClientFlag.Primary)) !== 0;
  }
  if (monitors.size === 0) {
    const observers = server.commandObservers;
    const index = observers.indexOf(monitorObserver);
    if (index !== -1) observers.splice(index, 1);
  }
}

/**
 * Send the line for the command `c` just executed with `argv` to every monitor.
 * Called by the observer; scripting engines call it directly to show a script's
 * own command line before the commands the script runs.
 */
export function feedMonitors(c: ClientSession, argv: readonly Buffer[]): void {
  const registry = c.server.pubsub;
  if (registry.monitors.size === 0 || argv.length === 0) return;
  const command = c.lastCommand;
  if (command !== null) {
    // The same flags the gate applies: the command's own and its container's.
    const flags = command.flagBits | (command.parent !== null ? command.parent.flagBits : 0);
    if ((flags & HIDDEN_COMMAND_FLAGS) !== 0) return;
  }
  if ((c.flags & ClientFlag.Loading) !== 0) return;
  const line = Buffer.from(formatMonitorLine(c, argv, preciseNow()), "latin1");
  for (const monitor of registry.monitors) {
    const out = registry.outputFor(monitor);
    if (out === null) continue;
    out.raw(line);
    registry.outputWritten(monitor, out);
  }
}

/** Wall-clock time in milliseconds with sub-millisecond precision. */
function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The MONITOR line (with the leading '+' and trailing CRLF) for `argv` executed by
 * `c` at `timeMs` (milliseconds since the epoch, fractional).
 */
export function formatMonitorLine(c: ClientSession, argv: readonly Buffer[], timeMs: number): string {
  const seconds = Math.floor(timeMs / 1000);
  const micros = Math.min(999_999, Math.floor((timeMs - seconds * 1000) * 1000));
  const origin = c.connection !== null ? monitorOrigin(c, c.connection.remoteAddress) : "lua";
  let line = `+${seconds}.${String(micros).padStart(6, "0")} [${c.db.id} ${origin}]`;
  const redacted = redactedArguments(argv);
  for (let i = 0; i < argv.length; i++) {
    line += " ";
    line += i <= 30 && (redacted & (1 << i)) !== 0 ? REDACTED : quoteArgument(argv[i]!);
  }
  return `${line}\r\n`;
}

/**
 * The client part of a MONITOR line: "ip:port" for TCP clients, and for clients
 * of the unix socket "unix:<socket path>" as Redis prints it (the connection may
 * know the path as "<path>:0", or not at all: then the configured unixsocket).
 */
function monitorOrigin(c: ClientSession, address: string): string {
  if (address.startsWith("/")) return `unix:${address.endsWith(":0") ? address.slice(0, -2) : address}`;
  if (address === "?:0") {
    const path = c.server.config?.get(["unixsocket"])[0]?.[1] ?? "";
    if (path !== "") return `unix:${path}`;
  }
  return address;
}

/**
 * Which arguments Redis replaces by "(redacted)", as a bit set of argv indexes
 * (0 = nothing). Mirrors where Redis' handlers redact: AUTH always (when it has
 * two or three arguments), HELLO's AUTH pair as its option parser reaches it, and
 * MIGRATE's AUTH password / AUTH2 user and password.
 */
function redactedArguments(argv: readonly Buffer[]): number {
  const name = argv[0]!;
  const argc = argv.length;
  if (argIs(name, "auth")) {
    if (argc > 3) return 0;
    return argc === 3 ? 0b110 : argc === 2 ? 0b10 : 0;
  }
  if (argIs(name, "hello")) {
    if (argc < 2) return 0;
    const version = parseLong(argv[1]!);
    if (version === null || version < 2 || version > 3) return 0;
    let mask = 0;
    for (let j = 2; j < argc && j < 29; j++) {
      const more = argc - 1 - j;
      if (argIs(argv[j]!, "auth") && more >= 2) {
        mask |= (1 << (j + 1)) | (1 << (j + 2));
        j += 2;
      } else if (argIs(argv[j]!, "setname") && more >= 1) {
        j++;
      } else {
        break;
      }
    }
    return mask;
  }
  if (argIs(name, "migrate")) {
    let mask = 0;
    for (let j = 6; j < argc && j < 29; j++) {
      const more = argc - 1 - j;
      if (argIs(argv[j]!, "auth")) {
        if (more < 1) break;
        mask |= 1 << (j + 1);
        j++;
      } else if (argIs(argv[j]!, "auth2")) {
        if (more < 2) break;
        mask |= (1 << (j + 1)) | (1 << (j + 2));
        j += 2;
      } else if (argIs(argv[j]!, "keys")) {
        break;
      }
    }
    return mask;
  }
  return 0;
}

/**
 * An argument as sdscatrepr() quotes it: in double quotes, with `\\`, `\"`, `\n`,
 * `\r`, `\t`, `\a`, `\b` escapes and `\xHH` for other non-printable bytes.
 */
export function quoteArgument(arg: Buffer): string {
  let plain = true;
  for (let i = 0; i < arg.length; i++) {
    const b = arg[i]!;
    if (b < 0x20 || b > 0x7e || b === 0x22 || b === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return `"${arg.toString("latin1")}"`;
  let out = '"';
  for (let i = 0; i < arg.length; i++) {
    const b = arg[i]!;
    switch (b) {
      case 0x5c:
        out += "\\\\";
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x07:
        out += "\\a";
        break;
      case 0x08:
        out += "\\b";
        break;
      default:
        out += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
    }
  }
  return `${out}"`;
}
