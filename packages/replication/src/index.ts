/**
 * @spinel/replication: the primary and replica sides of Redis replication (the
 * PSYNC handshake, the RDB transfer and the command stream).
 *
 * - ReplicationPrimary: replication ID and offset, the backlog, attached
 *   replicas, PSYNC (+FULLRESYNC with a point-in-time snapshot, +CONTINUE from
 *   the backlog), ACKs and the figures WAIT, ROLE and INFO read. It follows the
 *   server's propagation stream as a consumer (selectedDb / append).
 * - ReplicaLink: the link of a replica to its primary (handshake, RDB in both
 *   transfer forms, the stream with its offset, ACKs, reconnection).
 */

export { encodeCommand, type StreamCommand, StreamCommandParser } from "./command-encoding.js";
export { ReplicationBacklog } from "./primary/backlog.js";
export {
  type AttachedReplica,
  newReplicationId,
  type PrimarySettings,
  type ReplicaChannel,
  type ReplicaState,
  ReplicationPrimary,
  type ReplicationPrimaryOptions,
} from "./primary/replication-primary.js";
export {
  type LinkState,
  ReplicaLink,
  type ReplicaLinkHandler,
  type ReplicaLinkOptions,
} from "./replica/replica-link.js";
