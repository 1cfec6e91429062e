/*
 * Pub/sub state: channel, pattern and shard-channel subscriptions, and fan-out of
 * published messages to subscribers' output buffers. (Implementation pending.)
 */

import type { ServerState } from "./server-state.js";

/** Subscriptions of all clients. */
export class PubSubRegistry {
  readonly server: ServerState;

  constructor(server: ServerState) {
    this.server = server;
  }

  /** Channels with at least one subscriber (INFO pubsub_channels). */
  get channelCount(): number {
    return 0;
  }

  /** Patterns with at least one subscriber (INFO pubsub_patterns). */
  get patternCount(): number {
    return 0;
  }

  /** Shard channels with at least one subscriber (INFO pubsubshard_channels). */
  get shardChannelCount(): number {
    return 0;
  }
}
