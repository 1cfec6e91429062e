/*
 * The slow log (Redis' slowlog.c): client commands whose execution took longer
 * than slowlog-log-slower-than microseconds, newest first, at most
 * slowlog-max-len entries.
 *
 * Timing: call() adds each command's execution time to its CommandStats and
 * then tells the command observers; the slow log is one of them and takes the
 * growth of that total since it last looked as the duration of this call. Like
 * Redis, it sees every executed command, those of an EXEC included; commands
 * flagged skip_slowlog (EXEC itself ...) are not logged, and the arguments of
 * AUTH and of HELLO's AUTH option are redacted.
 */

import type { ClientSession } from "./client-session.js";
import { FlagBit } from "./command-table.js";
import type { ServerState } from "./server-state.js";

/** Redis keeps at most this many arguments of a logged command ... */
const MAX_ARGUMENTS = 32;
/** ... and at most this many bytes of each. */
const MAX_ARGUMENT_BYTES = 128;

const REDACTED = Buffer.from("(redacted)");

/** One slow log entry, as SLOWLOG GET shows it. */
export class SlowLogEntry {
  readonly id: number;
  /** Unix time in seconds when the command ran. */
  readonly timestamp: number;
  readonly microseconds: number;
  readonly argv: readonly Buffer[];
  readonly peer: string;
  readonly clientName: string;

  constructor(id: number, timestamp: number, microseconds: number, argv: Buffer[], c: ClientSession) {
    this.id = id;
    this.timestamp = timestamp;
    this.microseconds = microseconds;
    this.argv = argv;
    this.peer = c.connection?.remoteAddress ?? "";
    this.clientName = c.name;
  }
}

/** The slow log of one server. */
export class SlowLog {
  private readonly server: ServerState;
  /** Oldest first; SLOWLOG GET walks it backwards. */
  private entries: SlowLogEntry[];
  private nextId: number;

  constructor(server: ServerState) {
    this.server = server;
    this.entries = [];
    this.nextId = 0;
    server.commandObservers.push(this.commandExecuted);
  }

  /** Number of entries (SLOWLOG LEN). */
  get length(): number {
    return this.entries.length;
  }

  /** Up to `count` entries, newest first (SLOWLOG GET). */
  newest(count: number): SlowLogEntry[] {
    const result: SlowLogEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && result.length < count; i--) result.push(this.entries[i]!);
    return result;
  }

  /** Forget every entry (SLOWLOG RESET). */
  reset(): void {
    this.entries = [];
  }

  /** Add an entry for `c` running `argv` if it took at least the threshold. */
  record(c: ClientSession, argv: readonly Buffer[], microseconds: number): void {
    const settings = this.server.settings;
    if (settings.slowlogLogSlowerThan < 0 || microseconds < settings.slowlogLogSlowerThan) return;
    const entry = new SlowLogEntry(
      this.nextId++,
      Math.floor(Date.now() / 1000),
      Math.floor(microseconds),
      loggedArguments(argv),
      c,
    );
    this.entries.push(entry);
    const excess = this.entries.length - settings.slowlogMaxLen;
    if (excess > 0) this.entries.splice(0, excess);
  }

  private readonly commandExecuted = (c: ClientSession, argv: readonly Buffer[]): void => {
    if (this.server.settings.slowlogLogSlowerThan < 0) return;
    const command = c.lastCommand;
    if (command === null) return;
    const flags = command.flagBits | (command.parent?.flagBits ?? 0);
    if ((flags & FlagBit.SkipSlowlog) !== 0) return;
    this.record(c, argv, c.lastCallMicroseconds);
  };
}

/** The arguments as the slow log keeps them: truncated, with secrets redacted. */
function loggedArguments(argv: readonly Buffer[]): Buffer[] {
  const name = argv[0]?.toString("latin1").toLowerCase() ?? "";
  const count = Math.min(argv.length, MAX_ARGUMENTS);
  const logged: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    if (i === MAX_ARGUMENTS - 1 && argv.length > MAX_ARGUMENTS) {
      logged.push(Buffer.from(`... (${argv.length - MAX_ARGUMENTS + 1} more arguments)`));
      break;
    }
    if (isSecret(name, argv, i)) {
      logged.push(REDACTED);
      continue;
    }
    const arg = argv[i]!;
    if (arg.length > MAX_ARGUMENT_BYTES) {
      logged.push(
        Buffer.concat([
          arg.subarray(0, MAX_ARGUMENT_BYTES),
          Buffer.from(`... (${arg.length - MAX_ARGUMENT_BYTES} more bytes)`),
        ]),
      );
    } else {
      logged.push(Buffer.from(arg));
    }
  }
  return logged;
}

/** AUTH's arguments and the two values after HELLO's AUTH are never logged. */
function isSecret(name: string, argv: readonly Buffer[], index: number): boolean {
  if (name === "auth") return index > 0;
  if (name !== "hello") return false;
  for (let i = 2; i < index; i++) {
    if (argv[i]!.toString("latin1").toLowerCase() === "auth" && index - i <= 2) return true;
  }
  return false;
}
