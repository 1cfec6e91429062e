import { describe, expect, it } from "vitest";
import { latin1Of, latin1String, SHORT_LATIN1_MAX } from "./latin1.js";

describe("latin1String", () => {
  it("decodes every length and offset like Buffer#toString('latin1')", () => {
    const bytes = Buffer.alloc(SHORT_LATIN1_MAX * 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 97 + 13) & 0xff;
    bytes[5] = 0;
    bytes[6] = 0xff;
    for (let start = 0; start < 8; start++) {
      for (let end = start; end <= bytes.length; end++) {
        const text = latin1String(bytes, start, end);
        expect(text).toBe(bytes.toString("latin1", start, end));
        expect(text.length).toBe(end - start);
      }
    }
  });

  it("reads a view at its own offset and keeps no link to the bytes", () => {
    const chunk = Buffer.from("*2\r\n$3\r\nGET\r\n$16\r\nkey:000000012345\r\n", "latin1");
    const view = chunk.subarray(18, 34);
    const key = latin1Of(view);
    expect(key).toBe("key:000000012345");
    chunk.fill(0);
    expect(key).toBe("key:000000012345");
  });

  it("decodes long inputs through the general path", () => {
    const bytes = Buffer.alloc(300);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i & 0xff;
    expect(latin1Of(bytes)).toBe(bytes.toString("latin1"));
    expect(latin1String(bytes, 100, 250)).toBe(bytes.toString("latin1", 100, 250));
  });
});
