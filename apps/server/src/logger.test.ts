import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readableLine, wantsReadable } from "./logger.js";

const directory = mkdtempSync(join(tmpdir(), "spinel-logger-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("readable log lines", () => {
  it("render a pino line in redis-server's shape, extra fields appended", () => {
    const time = new Date(2026, 11, 7, 12, 0, 0, 123).getTime();
    const line = readableLine(
      JSON.stringify({ level: 30, time, pid: 12345, msg: "Ready to accept connections", addresses: ["a:1"] }),
    );
    expect(line).toBe('12345:M 07 Dec 2026 12:00:00.123 * Ready to accept connections addresses=["a:1"]\n');
  });

  it("mark levels as Redis does and show errors by their message", () => {
    const at = (level: number, extra: object = {}) =>
      readableLine(JSON.stringify({ level, time: 0, pid: 1, msg: "m", ...extra })).split(" ")[5];
    expect([at(20), at(30), at(40), at(50), at(60)]).toEqual([".", "*", "#", "#", "#"]);
    expect(
      readableLine(JSON.stringify({ level: 50, time: 0, pid: 1, msg: "m", err: { message: "boom" } })),
    ).toMatch(/ # m err=boom\n$/);
  });
});

describe("choosing the format", () => {
  it("json and readable when asked; auto: readable for a plain file, JSON for anything else", () => {
    const file = join(directory, "plain.log");
    writeFileSync(file, "");
    expect(wantsReadable("json", file)).toBe(false);
    expect(wantsReadable("readable", "")).toBe(true);
    expect(wantsReadable("auto", file)).toBe(true);
    expect(wantsReadable("auto", join(directory, "not-yet.log"))).toBe(true);
    expect(wantsReadable("auto", "/dev/null")).toBe(false);
    expect(wantsReadable("auto", "")).toBe(Boolean(process.stdout.isTTY));
  });
});
