import { describe, expect, it } from "vitest";
import { ReplicationBacklog } from "./backlog.js";

describe("ReplicationBacklog", () => {
  it("returns what a replica lacks from any offset it still holds", () => {
    const backlog = new ReplicationBacklog(8, 100);
    backlog.append(Buffer.from("abcde"));
    expect(backlog.offset).toBe(105);
    expect(backlog.firstByteOffset).toBe(101);
    expect(backlog.readFrom(101)?.toString()).toBe("abcde");
    expect(backlog.readFrom(104)?.toString()).toBe("de");
    expect(backlog.readFrom(106)?.length).toBe(0);
    expect(backlog.readFrom(107)).toBeNull();
    expect(backlog.readFrom(100)).toBeNull();
  });

  it("keeps only the last bytes once it wraps around", () => {
    const backlog = new ReplicationBacklog(8, 0);
    backlog.append(Buffer.from("abcdef"));
    backlog.append(Buffer.from("ghijk"));
    expect(backlog.historyLength).toBe(8);
    expect(backlog.firstByteOffset).toBe(4);
    expect(backlog.readFrom(4)?.toString()).toBe("defghijk");
    expect(backlog.readFrom(3)).toBeNull();
    backlog.append(Buffer.from("0123456789"));
    expect(backlog.readFrom(backlog.firstByteOffset)?.toString()).toBe("23456789");
  });

  it("keeps the most recent history when resized", () => {
    const backlog = new ReplicationBacklog(8, 0);
    backlog.append(Buffer.from("abcdefgh"));
    backlog.resize(4);
    expect(backlog.offset).toBe(8);
    expect(backlog.readFrom(5)?.toString()).toBe("efgh");
    backlog.resize(16);
    backlog.append(Buffer.from("ij"));
    expect(backlog.readFrom(5)?.toString()).toBe("efghij");
  });
});
