/*
 * list commands. Specs are added to the array below as they are implemented.
 */

import type { CommandSpec } from "../command-spec.js";

export const listCommands: readonly CommandSpec[] = [];
