/*
 * CLIENT PAUSE timeout [WRITE|ALL] and CLIENT UNPAUSE, over the server's
 * ClientPause (../client-pause.ts). Arguments are checked in redis-server
 * 7.0's order (mode first, then the timeout), with its error texts.
 */

import { argIs, parseInt64 } from "../args.js";
import { PauseMode } from "../client-pause.js";
import type { ClientSession } from "../client-session.js";
import { Err } from "../errors.js";

/** CLIENT PAUSE timeout [WRITE|ALL]: hold other clients' commands for `timeout` ms. */
export function clientPauseCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length > 4) {
    c.reply.error(
      `ERR unknown subcommand or wrong number of arguments for '${argv[1]!.toString("latin1")}'. Try CLIENT HELP.`,
    );
    return;
  }
  let mode = PauseMode.All;
  if (argv.length === 4) {
    if (argIs(argv[3]!, "write")) mode = PauseMode.Write;
    else if (!argIs(argv[3]!, "all")) {
      c.reply.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
      return;
    }
  }
  const timeout = parseInt64(argv[2]!);
  if (timeout === null) {
    c.reply.error("ERR timeout is not an integer or out of range");
    return;
  }
  if (timeout < 0n) {
    c.reply.error(Err.timeoutNegative);
    return;
  }
  c.server.clientPause.pause(mode, Date.now() + Number(timeout));
  c.reply.ok();
}

/** CLIENT UNPAUSE: end the pause now; held commands run in the order they came. */
export function clientUnpauseCommand(c: ClientSession): void {
  c.server.clientPause.unpause();
  c.reply.ok();
}
