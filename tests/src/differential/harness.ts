/*
 * Running a differential case on two servers and comparing the replies.
 */

import type { RawClient } from "../support/raw-client.js";
import { frameEnd, showReply, splitAggregate } from "../support/resp-frames.js";
import type { CompareMode, DiffCase, Step } from "./corpus-types.js";

/** A difference found between the two servers. */
export interface Mismatch {
  step: number;
  command: string;
  redis: string;
  spinel: string;
}

/** Fields of COMMAND DOCS / INFO whose values are prose (Spinel's own words). */
const PROSE_FIELDS = new Set(["summary", "complexity", "notes"]);

/** The direct children of an aggregate frame (map keys and values in turn). */
function childFrames(frame: Buffer): Buffer[] {
  const type = frame[0]!;
  if (type !== 0x2a && type !== 0x7e && type !== 0x25) return [];
  const cr = frame.indexOf(13);
  const count = Number(frame.toString("latin1", 1, cr));
  const children: Buffer[] = [];
  let p = cr + 2;
  for (let i = 0; i < (type === 0x25 ? count * 2 : count) && count > 0; i++) {
    const end = frameEnd(frame, p);
    children.push(frame.subarray(p, end));
    p = end;
  }
  return children;
}

function isBulk(frame: Buffer, text: string): boolean {
  return frame[0] === 0x24 && frame.toString("latin1").endsWith(`\r\n${text}\r\n`);
}

/**
 * A COMMAND DOCS / INFO reply shown with its prose masked: the value after a
 * "summary", "complexity" or "notes" key becomes "<prose>", and in "history"
 * each [version, note] keeps its version only. Works on RESP2 (maps as flat
 * arrays) and RESP3 alike.
 */
function maskProse(frame: Buffer): string {
  const children = childFrames(frame);
  if (children.length === 0) return showReply(frame);
  const cr = frame.indexOf(13);
  const parts: string[] = [];
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    parts.push(maskProse(child));
    const next = children[i + 1];
    if (next === undefined) continue;
    if ([...PROSE_FIELDS].some((field) => isBulk(child, field)) && next[0] === 0x24) {
      parts.push("<prose>");
      i++;
    } else if (isBulk(child, "history")) {
      const entries = childFrames(next).map((entry) => {
        const [version] = childFrames(entry);
        return `[${version === undefined ? "?" : showReply(version)} <note>]`;
      });
      parts.push(`${showReply(next.subarray(0, next.indexOf(13) + 2))}{${entries.join(", ")}}`);
      i++;
    }
  }
  return `${showReply(frame.subarray(0, cr + 2))}{${parts.join(", ")}}`;
}

/** A HELP reply: a non-empty array of status lines, or the reply itself. */
function helpShape(frame: Buffer): string {
  const lines = childFrames(frame);
  if (frame[0] === 0x2a && lines.length > 0 && lines.every((line) => line[0] === 0x2b)) {
    return "<array of status lines>";
  }
  return showReply(frame);
}

function normalize(frame: Buffer, mode: CompareMode, mask?: readonly RegExp[]): string {
  if (mode === "ignore") return "";
  if (mode === "help") return helpShape(frame);
  if (mode === "docs") return maskProse(frame);
  if (mask !== undefined) {
    let text = showReply(frame);
    for (const pattern of mask) text = text.replace(pattern, (_match, prefix: string) => `${prefix}#`);
    return text;
  }
  if (mode === "type") return String.fromCharCode(frame[0]!);
  if (mode === "unordered") {
    const { header, children } = splitAggregate(frame);
    if (children.length === 0) return showReply(frame);
    return `${showReply(header)} {${children.map(showReply).sort().join(", ")}}`;
  }
  return showReply(frame);
}

function describeCommand(argv: readonly (string | Buffer)[]): string {
  return argv.map((arg) => (typeof arg === "string" ? arg : showReply(arg))).join(" ");
}

/** Reset a connection to the state every case starts from. */
async function resetConnection(client: RawClient): Promise<void> {
  await client.call("HELLO", "2");
  await client.call("SELECT", "0");
  await client.call("FLUSHALL");
}

/**
 * Run `testCase` on both connections, step by step, and return the mismatches
 * (empty when every compared reply is identical).
 */
export async function runCase(redis: RawClient, spinel: RawClient, testCase: DiffCase): Promise<Mismatch[]> {
  await Promise.all([resetConnection(redis), resetConnection(spinel)]);
  if (testCase.resp3) {
    await Promise.all([redis.call("HELLO", "3"), spinel.call("HELLO", "3")]);
  }
  const mismatches: Mismatch[] = [];
  for (let index = 0; index < testCase.steps.length; index++) {
    const step: Step = testCase.steps[index]!;
    if ("sleep" in step) {
      await new Promise((r) => setTimeout(r, step.sleep));
      continue;
    }
    const argv = "cmd" in step ? step.cmd : (step as readonly (string | Buffer)[]);
    const mode: CompareMode = "cmd" in step ? step.compare : "exact";
    const mask = "cmd" in step ? step.mask : undefined;
    const [fromRedis, fromSpinel] = await Promise.all([redis.call(...argv), spinel.call(...argv)]);
    const expected = normalize(fromRedis, mode, mask);
    const actual = normalize(fromSpinel, mode, mask);
    if (expected !== actual) {
      mismatches.push({ step: index, command: describeCommand(argv), redis: expected, spinel: actual });
    }
  }
  return mismatches;
}
