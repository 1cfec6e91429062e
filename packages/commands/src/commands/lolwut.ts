/*
 * LOLWUT [VERSION version] [size]: a piece of computer art and the server's
 * version line, as Redis' LOLWUT. Spinel's art (its version 1, and what LOLWUT
 * without VERSION shows) is a spinel crystal: an octahedron seen edge-on, its
 * faces drawn as a lattice of facets, `size` rows from tip to girdle (default 6,
 * 1 to 32). Any other version shows the version line alone, as redis-server does
 * for versions that have no art. The reply is a verbatim text in RESP3 and a
 * bulk string in RESP2.
 */

import { argIs, getLongOrReply } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";

/** The one art version Spinel has. */
const CRYSTAL_VERSION = 1;
const DEFAULT_SIZE = 6;
const MAX_SIZE = 32;

/**
 * The crystal, `size` rows per half: the upper faces rise to a tip as `/\`
 * facets, the lower faces fall to a point as `\/` facets.
 */
export function drawCrystal(size: number): string {
  let art = "";
  for (let row = 0; row < size; row++) art += `${" ".repeat(size - 1 - row)}${"/\\".repeat(row + 1)}\n`;
  for (let row = 0; row < size; row++) art += `${" ".repeat(row)}${"\\/".repeat(size - row)}\n`;
  return art;
}

/** "Spinel ver. x.y.z" of the running server. */
function versionLine(c: ClientSession): string {
  return `Spinel ver. ${c.server.control?.processInfo().spinelVersion ?? "unknown"}\n`;
}

/** LOLWUT [VERSION version] [size] */
function lolwutCommand(c: ClientSession): void {
  const argv = c.argv;
  let version = CRYSTAL_VERSION;
  let size = DEFAULT_SIZE;
  if (argv.length >= 3 && argIs(argv[1]!, "version")) {
    const asked = getLongOrReply(c, argv[2]!);
    if (asked === null) return;
    version = asked;
    if (version === CRYSTAL_VERSION && argv.length >= 4) {
      const rows = getLongOrReply(c, argv[3]!);
      if (rows === null) return;
      size = Math.min(MAX_SIZE, Math.max(1, rows));
    }
  }
  const art = version === CRYSTAL_VERSION ? `${drawCrystal(size)}\n` : "";
  c.reply.verbatim(art + versionLine(c));
}

export const lolwutCommands: readonly CommandSpec[] = [
  {
    name: "lolwut",
    arity: -1,
    flags: ["readonly", "fast"],
    group: "server",
    summary: "A piece of text art and the server version",
    since: "5.0.0",
    handler: lolwutCommand,
  },
];
