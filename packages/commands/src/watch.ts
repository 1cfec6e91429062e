/*
 * WATCH bookkeeping: which clients watch which keys. A key modified by anyone
 * marks its watchers dirty (ClientFlag.DirtyCas), so their EXEC fails.
 * (Implementation pending.)
 */

import type { ServerState } from "./server-state.js";

/** Keys watched by clients, per database. */
export class WatchRegistry {
  readonly server: ServerState;

  constructor(server: ServerState) {
    this.server = server;
  }
}
