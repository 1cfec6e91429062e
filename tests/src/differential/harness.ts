/*
 * Running a differential case on two servers and comparing the replies.
 */

import type { RawClient } from "../support/raw-client.js";
import { showReply, splitAggregate } from "../support/resp-frames.js";
import type { CompareMode, DiffCase, Step } from "./corpus-types.js";

/** A difference found between the two servers. */
export interface Mismatch {
  step: number;
  command: string;
  redis: string;
  spinel: string;
}

function normalize(frame: Buffer, mode: CompareMode, mask?: readonly RegExp[]): string {
  if (mode === "ignore") return "";
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
