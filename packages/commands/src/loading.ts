/*
 * The loading context: how a data file (the AOF today, a primary's stream later)
 * is replayed. Replay is not a live client. A LoadingClient is a pseudo-client
 * with the Loading flag, and call() and the registries treat that flag so:
 *   - its replies are discarded after each command (nobody reads them);
 *   - it blocks nobody and is never blocked (a blocking command acts as if its
 *     timeout had passed, see BlockingRegistry);
 *   - keyspace notifications and MONITOR do not see it;
 *   - auth and the other gate checks that protect live clients do not apply;
 *   - call() does not propagate its writes: it is reading the stream, and must
 *     not write it back;
 *   - MULTI ... EXEC is queued and executed as one unit, as for a client, so a
 *     transaction is applied whole or (when the file ends inside it) not at all.
 * A file load brackets the replay with begin() / end(), which set the keyspace's
 * ExpiryMode to Never for the duration: nothing expires while a file is
 * replayed (Redis does the same), so
 * a command that wrote into a key before its deadline replays the same way
 * after it; the keys whose deadline passed expire once the load is over.
 */

import { ExpiryMode } from "@spinel/core-db";
import { ClientFlag, ClientSession } from "./client-session.js";
import type { Command } from "./command-table.js";
import { call } from "./dispatch.js";
import type { ServerState } from "./server-state.js";

/** Commands that act immediately inside MULTI instead of being queued. */
const TRANSACTION_CONTROL = new Set(["multi", "exec", "discard"]);

/** A pseudo-client that replays commands from a data file through call(). */
export class LoadingClient {
  readonly session: ClientSession;
  /** Commands executed so far. */
  executed: number;
  private savedExpiryMode: ExpiryMode;

  constructor(server: ServerState) {
    this.session = new ClientSession(server, null);
    this.session.flags |= ClientFlag.Loading;
    this.session.authenticated = true;
    this.executed = 0;
    this.savedExpiryMode = server.keyspace.expiryMode;
  }

  /**
   * Start replaying a data file: nothing expires until end() (a key whose
   * deadline passed still takes the writes the file makes to it, as it did
   * when they were first executed).
   */
  begin(): void {
    const keyspace = this.session.server.keyspace;
    this.savedExpiryMode = keyspace.expiryMode;
    keyspace.expiryMode = ExpiryMode.Never;
  }

  /** The file is over: expiry works again; keys past their deadline go lazily or actively. */
  end(): void {
    this.discardTransaction();
    this.session.server.keyspace.expiryMode = this.savedExpiryMode;
  }

  /** True while a MULTI read from the file has not met its EXEC yet. */
  get inTransaction(): boolean {
    return this.session.multiQueue !== null;
  }

  /**
   * Execute one command read from the file. Returns null when it ran (its reply,
   * even an error reply, is dropped, as redis-server does for its loading
   * client), or the reason it cannot be replayed at all (an unknown command, a
   * wrong number of arguments): the caller stops the load with that reason.
   */
  execute(argv: Buffer[]): string | null {
    const c = this.session;
    const command = resolveLoadedCommand(c.server, argv);
    if (typeof command === "string") return command;
    c.argv = argv;
    c.command = command;
    const name = command.parent?.name ?? command.name;
    if (c.multiQueue !== null && !TRANSACTION_CONTROL.has(name)) {
      c.multiQueue.push({ command, argv });
    } else {
      call(c, command);
      this.executed++;
    }
    c.reply.discard();
    c.reply.lastErrorCode = null;
    return null;
  }

  /** Forget an unfinished transaction (the file ended inside MULTI). */
  discardTransaction(): void {
    const c = this.session;
    c.multiQueue = null;
    c.flags &= ~(ClientFlag.Multi | ClientFlag.DirtyCas | ClientFlag.DirtyExec);
  }

  /** The database the replay has selected (the stream's last SELECT). */
  get dbIndex(): number {
    return this.session.db.id;
  }
}

/** The command `argv` names, or why it cannot be replayed. */
function resolveLoadedCommand(server: ServerState, argv: Buffer[]): Command | string {
  if (argv.length === 0) return "empty command";
  const command = server.table.lookup(argv[0]!);
  // (The name is only rendered for an error: this runs once per replicated command.)
  if (command === undefined) return `Unknown command '${argv[0]!.toString("latin1")}'`;
  let resolved = command;
  if (command.subcommands !== null && argv.length >= 2) {
    const sub = command.subcommands.get(argv[1]!.toString("latin1").toLowerCase());
    if (sub === undefined) {
      return `Unknown subcommand '${argv[1]!.toString("latin1")}' of '${argv[0]!.toString("latin1")}'`;
    }
    resolved = sub;
  }
  const arity = resolved.arity;
  if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
    return `Wrong number of arguments for '${resolved.fullName}'`;
  }
  return resolved;
}
