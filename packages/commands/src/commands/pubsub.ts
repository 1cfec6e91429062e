/*
 * pubsub commands. Specs are added to the array below as they are implemented.
 */

import type { CommandSpec } from "../command-spec.js";

export const pubsubCommands: readonly CommandSpec[] = [];
