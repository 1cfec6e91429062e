/*
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN ...): registration, wake-up in
 * blocking order when a key becomes ready, timeouts, CLIENT UNBLOCK.
 * (Implementation pending.)
 */

import type { ClientSession } from "./client-session.js";
import type { ServerState } from "./server-state.js";

/** Registry of blocked clients. */
export class BlockingRegistry {
  readonly server: ServerState;

  constructor(server: ServerState) {
    this.server = server;
  }

  /** Number of clients blocked on keys (INFO blocked_clients). */
  get blockedClients(): number {
    return 0;
  }

  /** Number of distinct keys clients are blocked on (INFO blocked_keys... ). */
  get blockedKeys(): number {
    return 0;
  }

  /**
   * CLIENT UNBLOCK: end a client's block as if it timed out, or with
   * `-UNBLOCKED`. Returns false when the client was not blocked.
   */
  unblock(_client: ClientSession, _withError: boolean): boolean {
    return false;
  }
}
