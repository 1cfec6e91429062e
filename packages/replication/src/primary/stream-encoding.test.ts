import { CommandBuffer } from "@spinel/persistence";
import { describe, expect, it } from "vitest";
import { encodeCommand } from "../command-encoding.js";

const b = (s: string) => Buffer.from(s, "latin1");

describe("the stream's staging buffer (the AOF's CommandBuffer)", () => {
  it("encodes commands exactly as encodeCommand does, across growth", () => {
    const staging = new CommandBuffer(64 * 1024);
    const commands: Buffer[][] = [];
    for (let i = 0; i < 3000; i++) {
      const big = Buffer.alloc((i * 37) % 200, 97 + (i % 26));
      commands.push([b("SET"), b(`key:${i}`), big, b(String(i * 1_000_003))]);
    }
    commands.push([b("DEL"), Buffer.alloc(100_000, 120)]);
    commands.push([]);
    for (const argv of commands) staging.append(argv);
    const expected = Buffer.concat(commands.map((argv) => encodeCommand(argv)));
    expect(staging.length).toBe(expected.length);
    expect(staging.view().equals(expected)).toBe(true);
  });

  it("take() hands out the bytes and starts empty; appendRaw() appends encoded bytes", () => {
    const staging = new CommandBuffer(64 * 1024);
    staging.append([b("PING")]);
    const first = staging.take();
    expect(first.toString("latin1")).toBe("*1\r\n$4\r\nPING\r\n");
    expect(staging.length).toBe(0);
    staging.appendRaw(b("\n"));
    staging.append([b("SELECT"), b("12")]);
    expect(staging.view().toString("latin1")).toBe("\n*2\r\n$6\r\nSELECT\r\n$2\r\n12\r\n");
    // The handed-out bytes do not change with the staging.
    expect(first.toString("latin1")).toBe("*1\r\n$4\r\nPING\r\n");
  });
});
