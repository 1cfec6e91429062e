/*
 * A damaged AOF is never trusted: a cut tail loads up to the last complete
 * command (aof-load-truncated yes, the default) or stops start-up (no); garbage
 * in the middle, flipped header bytes and a wrong or missing manifest stop
 * start-up with an error naming the file, the offset and the reason, and the
 * spinel-server program exits non-zero. spinel-check-aof reports the same
 * offsets as redis-check-aof and --fix repairs a cut tail.
 */

import { execFile } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "@spinel/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { encodeCommand } from "../support/resp-frames.js";
import { haveRedisServer, spawnSpinelProcess } from "../support/servers.js";
import { makeTempDir, removeDir } from "./aof-support.js";

const here = dirname(fileURLToPath(import.meta.url));
const checkAofMain = resolve(here, "../../../packages/persistence/src/aof/check-aof-cli.ts");

const INCR = "appendonly.aof.1.incr.aof";
const MANIFEST = "appendonly.aof.manifest";

/** Commands of the incremental file, as the server propagates them. */
const COMMANDS = Array.from({ length: 12 }, (_, i) => ["SET", `key:${i}`, `value-${i}`]);

let source: string;
let incr: Buffer;
/** End offset of each command in the incremental file. */
const ends: number[] = [];

beforeAll(async () => {
  source = makeTempDir("aof-corrupt-src");
  const server = await startServer({ config: { dir: source, appendonly: "yes" } });
  const client = await RawClient.connect(server.port);
  for (const argv of COMMANDS) await client.call(...argv);
  client.close();
  await server.close();
  incr = readFileSync(join(source, "appendonlydir", INCR));
  let pos = encodeCommand(["SELECT", "0"]).length;
  for (const argv of COMMANDS) {
    pos += encodeCommand(argv).length;
    ends.push(pos);
  }
  expect(pos).toBe(incr.length);
});

afterAll(() => removeDir(source));

/** A copy of the AOF with the incremental file (or another file) replaced. */
function damagedCopy(files: Record<string, Buffer | string | null>): string {
  const dir = makeTempDir("aof-corrupt");
  cpSync(source, dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    const path = join(dir, "appendonlydir", name);
    if (bytes === null) rmSync(path);
    else writeFileSync(path, bytes);
  }
  return dir;
}

/** Start on `dir`; the keys loaded, or the start-up error's message. */
async function startOn(dir: string, config: Record<string, string> = {}): Promise<number | string> {
  try {
    const server = await startServer({ config: { dir, appendonly: "yes", ...config } });
    const client = await RawClient.connect(server.port);
    const size = Number((await client.call("DBSIZE")).toString().slice(1));
    client.close();
    await server.close();
    return size;
  } catch (error) {
    return (error as Error).message;
  } finally {
    removeDir(dir);
  }
}

describe("a damaged AOF", () => {
  it("cut at many offsets: loads every complete command, or refuses with aof-load-truncated no", async () => {
    const offsets = new Set<number>();
    for (let cut = 0; cut < incr.length; cut += 7) offsets.add(cut);
    for (const end of ends) offsets.add(end - 1);
    for (const cut of [...offsets].sort((a, b) => a - b)) {
      const complete = ends.filter((end) => end <= cut).length;
      expect(await startOn(damagedCopy({ [INCR]: incr.subarray(0, cut) }))).toBe(complete);
      const onBoundary = cut === 0 || ends.includes(cut) || cut === encodeCommand(["SELECT", "0"]).length;
      const strict = await startOn(damagedCopy({ [INCR]: incr.subarray(0, cut) }), {
        "aof-load-truncated": "no",
      });
      if (onBoundary) expect(strict).toBe(complete);
      else
        expect(strict).toMatch(
          new RegExp(`^Bad AOF file ${INCR.replace(/\./g, "\\.")} at offset \\d+: Unexpected end of file`),
        );
    }
  });

  it("refuses garbage in the middle, naming the file and the offset", async () => {
    const at = ends[4]!;
    const garbage = Buffer.concat([incr.subarray(0, at), Buffer.from("garbage\r\n"), incr.subarray(at)]);
    expect(await startOn(damagedCopy({ [INCR]: garbage }))).toBe(
      `Bad AOF file ${INCR} at offset ${at}: Bad file format reading the append only file`,
    );
  });

  it("refuses flipped header bytes and never loads half the file silently", async () => {
    // Flip the '*' and each length digit of command 6; the load stops at command 6.
    const start = ends[5]!;
    const header = incr.subarray(start, ends[6]!).toString("latin1");
    const positions = [0, ...[...header.matchAll(/\$(\d)/g)].map((m) => m.index! + 1)];
    for (const position of positions) {
      const damaged = Buffer.from(incr);
      damaged[start + position] = 0x78; // 'x'
      const outcome = await startOn(damagedCopy({ [INCR]: damaged }));
      expect(outcome).toMatch(new RegExp(`^Bad AOF file ${INCR.replace(/\./g, "\\.")} at offset ${start}: `));
    }
  });

  it("refuses a wrong or missing manifest with a named error", async () => {
    expect(await startOn(damagedCopy({ [MANIFEST]: "file nothing.aof seq 1 type i\n" }))).toBe(
      `Bad AOF manifest ${MANIFEST}: The AOF file nothing.aof doesn't exist`,
    );
    expect(await startOn(damagedCopy({ [MANIFEST]: "this is not a manifest\n" }))).toBe(
      `Bad AOF manifest ${MANIFEST}: Invalid AOF manifest file format`,
    );
    expect(
      await startOn(damagedCopy({ [MANIFEST]: `file ${INCR} seq 1 type i\nfile ${INCR} seq 1 type i\n` })),
    ).toBe(`Bad AOF manifest ${MANIFEST}: Found a non-monotonic sequence number`);
    expect(await startOn(damagedCopy({ [MANIFEST]: null }))).toMatch(
      /^Bad AOF manifest appendonly\.aof\.manifest: The AOF manifest file is missing in .* but AOF files are present/,
    );
  });

  it("spinel-server exits non-zero with the error on a corrupt AOF", async () => {
    const at = ends[2]!;
    const dir = damagedCopy({
      [INCR]: Buffer.concat([incr.subarray(0, at), Buffer.from("??"), incr.subarray(at)]),
    });
    try {
      const child = spawnSpinelProcess(["--dir", dir, "--appendonly", "yes", "--port", "0"]);
      let output = "";
      child.stdout?.on("data", (d) => (output += d));
      child.stderr?.on("data", (d) => (output += d));
      const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
      expect(code).toBe(1);
      expect(output).toContain(
        `Bad AOF file ${INCR} at offset ${at}: Bad file format reading the append only file`,
      );
    } finally {
      removeDir(dir);
    }
  });
});

/** Run a checker; resolves with its exit status and output. */
function runChecker(command: string, args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolveRun) => {
    execFile(command, args, { timeout: 20_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolveRun({ status, output: stdout + stderr });
    });
  });
}

function spinelCheckAof(args: string[]): Promise<{ status: number; output: string }> {
  return runChecker(process.execPath, [
    "--conditions=@spinel/source",
    "--import",
    "tsx",
    checkAofMain,
    ...args,
  ]);
}

describe("spinel-check-aof", () => {
  it("validates a multi-part AOF through its manifest", async () => {
    const { status, output } = await spinelCheckAof([join(source, "appendonlydir", MANIFEST)]);
    expect(output).toContain("All AOF files and manifest are valid");
    expect(status).toBe(0);
  });

  it.skipIf(!haveRedisServer())(
    "reports the same ok_up_to as redis-check-aof, and --fix repairs a cut tail",
    async () => {
      const dir = makeTempDir("aof-check");
      try {
        for (const cut of [ends[3]! + 5, ends[7]! - 1, incr.length]) {
          const file = join(dir, `cut-${cut}.aof`);
          writeFileSync(file, incr.subarray(0, cut));
          const ours = await spinelCheckAof([file]);
          const theirs = await runChecker("redis-check-aof", [file]);
          const analysed = (text: string) =>
            text.split("\n").find((line) => line.startsWith("AOF analyzed:"));
          expect(analysed(ours.output)).toBe(analysed(theirs.output));
          expect(ours.status).toBe(theirs.status);
        }
        const file = join(dir, "to-fix.aof");
        writeFileSync(file, incr.subarray(0, ends[3]! + 5));
        const fixed = await spinelCheckAof(["--fix", file]);
        expect(fixed.status).toBe(0);
        expect(fixed.output).toContain(`Successfully truncated AOF ${file}`);
        expect(readFileSync(file).length).toBe(ends[3]);
        expect((await runChecker("redis-check-aof", [file])).status).toBe(0);
      } finally {
        removeDir(dir);
      }
    },
  );
});
