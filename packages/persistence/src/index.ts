/**
 * @spinel/persistence: RDB snapshots and the append-only file, written to and read
 * from byte sinks and sources so that storage backends can be swapped.
 *
 * Not implemented yet: the package exists so that the workspace, the build and the
 * boundary check already have its place (it may import @spinel/resp and
 * @spinel/core-db, nothing above them). Until it lands the server runs in memory
 * only, and `save` / `appendonly` are accepted in the configuration without
 * writing files.
 */
export {};
