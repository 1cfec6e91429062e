/**
 * @spinel/replication: the primary and replica sides of Redis replication (the
 * PSYNC handshake, the RDB transfer and the command stream).
 *
 * Not implemented yet: the package exists so that the workspace, the build and the
 * boundary check already have its place. Until it lands Spinel neither serves
 * replicas nor follows a primary.
 */
export {};
