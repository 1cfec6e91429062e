import { Keyspace } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { encodeCommand } from "../command-encoding.js";
import { type AttachedReplica, ReplicationPrimary } from "./replication-primary.js";

/** A replica whose output is collected, split into stream and snapshot bytes. */
function collectingReplica(primary: ReplicationPrimary, id: number) {
  const stream: Buffer[] = [];
  const snapshot: Buffer[] = [];
  const replica: AttachedReplica = primary.attach(
    id,
    {
      write: (b) => stream.push(b),
      writeSnapshot: (b) => snapshot.push(b),
      holdPending: () => {},
      close: () => {},
    },
    "127.0.0.1",
  );
  replica.capaPsync2 = true;
  return { replica, stream, snapshot };
}

function newPrimary(): ReplicationPrimary {
  return new ReplicationPrimary({
    keyspace: new Keyspace(),
    settings: { backlogSize: 1024, disklessSync: false, disklessSyncDelay: 0 },
  });
}

describe("ReplicationPrimary.restoreHistory", () => {
  const recorded = "a".repeat(40);

  it("as a replica: continues under the recorded ID from the recorded offset", () => {
    const primary = newPrimary();
    primary.restoreHistory(recorded, 5000, true);
    expect(primary.replid).toBe(recorded);
    expect(primary.offset).toBe(5000);
    expect(primary.backlog?.firstByteOffset).toBe(5001);
    // A sub-replica that stopped at the same point continues with nothing to resend.
    const { replica, stream } = collectingReplica(primary, 1);
    expect(primary.psync(replica, recorded, 5001)).toBe("continue");
    expect(Buffer.concat(stream).toString()).toBe(`+CONTINUE ${recorded}\r\n`);
  });

  it("as a primary: a new ID, the recorded one valid as replid2 up to the recorded offset", () => {
    const primary = newPrimary();
    primary.restoreHistory(recorded, 700, false);
    expect(primary.replid).not.toBe(recorded);
    expect(primary.replid2).toBe(recorded);
    expect(primary.secondReplOffset).toBe(701);
    expect(primary.offset).toBe(700);
    primary.feedRaw(Buffer.from("*1\r\n$4\r\nPING\r\n"));
    const { replica, stream } = collectingReplica(primary, 1);
    expect(primary.psync(replica, recorded, 701)).toBe("continue");
    expect(Buffer.concat(stream).toString()).toBe(`+CONTINUE ${primary.replid}\r\n*1\r\n$4\r\nPING\r\n`);
    expect(primary.partialSyncsOk).toBe(1);
    // Past the recorded offset the old ID means another history: a full sync.
    const late = collectingReplica(primary, 2);
    expect(primary.psync(late.replica, recorded, 702)).toBe("full");
    expect(primary.partialSyncsErr).toBe(1);
    primary.detach(2); // no snapshot for it after the test
  });
});

describe("ReplicationPrimary's stream", () => {
  const set = (i: number) => [Buffer.from("SET"), Buffer.from(`k${i}`), Buffer.from(`v${i}`)];

  it("stages a turn's commands and sends them to an online replica as one write", () => {
    let staged = 0;
    const primary = new ReplicationPrimary({
      keyspace: new Keyspace(),
      settings: { backlogSize: 1 << 16, disklessSync: false, disklessSyncDelay: 0 },
      streamStaged: () => staged++,
    });
    primary.ensureBacklog();
    const { replica, stream } = collectingReplica(primary, 1);
    expect(primary.psync(replica, primary.replid, 1)).toBe("continue");
    stream.length = 0;
    for (let i = 0; i < 100; i++) primary.append(set(i));
    expect(staged).toBe(1);
    expect(stream).toHaveLength(0);
    const bytes = Buffer.concat(Array.from({ length: 100 }, (_, i) => encodeCommand(set(i))));
    // The offset counts staged bytes at once (WAIT reads it right after a write).
    expect(primary.offset).toBe(bytes.length);
    primary.flushStream();
    expect(stream).toHaveLength(1);
    expect(stream[0]!.equals(bytes)).toBe(true);
    expect(primary.backlog!.readFrom(1)!.equals(bytes)).toBe(true);
    primary.append(set(100));
    expect(staged).toBe(2);
  });

  it("frees the backlog after repl-backlog-ttl without replicas, with a new ID; never with replicas", () => {
    const primary = newPrimary();
    primary.ensureBacklog();
    primary.append(set(1));
    const offset = primary.offset;
    const replid = primary.replid;
    const { replica } = collectingReplica(primary, 1);
    primary.psync(replica, replid, offset + 1);
    const later = Date.now() + 10_000;
    expect(primary.releaseIdleBacklog(later, 5)).toBe(false);
    primary.detach(1);
    expect(primary.releaseIdleBacklog(Date.now(), 5)).toBe(false);
    expect(primary.releaseIdleBacklog(later, 0)).toBe(false);
    expect(primary.releaseIdleBacklog(later, 5)).toBe(true);
    expect(primary.backlog).toBeNull();
    expect(primary.replid).not.toBe(replid);
    expect(primary.offset).toBe(offset);
  });
});
