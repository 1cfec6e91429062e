/*
 * The reply decoder on real replies: a redis-server 7 answers a pipeline of
 * commands covering every reply type (DEBUG PROTOCOL produces the RESP3 ones),
 * over RESP2 and over RESP3. Decoding the raw bytes at any chunking gives one
 * value per command (plus the push message DEBUG PROTOCOL push sends before its
 * reply on RESP3), of the expected type, and re-encoding the values for the same
 * protocol gives back Redis' bytes exactly.
 */

import net from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cutAt, decodeReplies } from "../test/chunking.js";
import { haveRedisServer, type RedisProcess, startRedis } from "../test/redis-server.js";
import {
  encodeCommand,
  encodeValue,
  ReplyDecoder,
  RespAttributed,
  RespBigNumber,
  RespDouble,
  RespError,
  RespMap,
  RespPush,
  RespSet,
  type RespValue,
  RespVerbatim,
} from "./index.js";

const commands: string[][] = [
  ["FLUSHALL"],
  ["PING"],
  ["SET", "k", "v\r\n\0\xff"],
  ["GET", "k"],
  ["GET", "missing"],
  ["INCRBY", "n", "-9223372036854775807"],
  ["MGET", "k", "missing", "n"],
  ["HSET", "h", "f1", "a", "f2", "b"],
  ["HGETALL", "h"],
  ["SADD", "s", "m1"],
  ["SMEMBERS", "s"],
  ["ZADD", "z", "1.1", "one", "inf", "big"],
  ["ZSCORE", "z", "one"],
  ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
  ["LRANGE", "nolist", "0", "-1"],
  ["NOSUCHCOMMAND"],
  ["GET", "h"],
  ...[
    "string",
    "integer",
    "double",
    "bignum",
    "null",
    "array",
    "set",
    "map",
    "attrib",
    "push",
    "verbatim",
    "true",
    "false",
  ].map((type) => ["DEBUG", "PROTOCOL", type]),
];

/** The bulk reply DEBUG PROTOCOL push sends after its push message on RESP3. */
const pushFollower = "Some real reply following the push reply";

/** Replies to `commands`: on RESP3, DEBUG PROTOCOL push sends two. */
function replyCount(protocol: 2 | 3): number {
  return commands.length + (protocol === 3 ? 1 : 0);
}

/** Send `request` and collect the raw reply bytes until `count` replies arrived. */
function collect(port: number, request: Buffer, count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    const decoder = new ReplyDecoder();
    const chunks: Buffer[] = [];
    let seen = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`only ${seen} of ${count} replies arrived`));
    }, 10_000);
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      decoder.feed(chunk);
      while (decoder.next() !== undefined) seen++;
      if (seen >= count) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Buffer.concat(chunks));
      }
    });
    socket.on("error", reject);
  });
}

describe.runIf(haveRedisServer())("ReplyDecoder on redis-server 7 replies", () => {
  let redis: RedisProcess;
  let resp2: Buffer;
  let resp3: Buffer;

  beforeAll(async () => {
    redis = await startRedis(["--enable-debug-command", "yes"]);
    const pipeline = Buffer.concat(
      commands.map((argv) => encodeCommand(argv.map((a) => Buffer.from(a, "latin1")))),
    );
    resp2 = await collect(redis.port, pipeline, replyCount(2));
    // HELLO 3's own reply is a map; drop it by decoding it first.
    const hello = encodeCommand(["HELLO", "3"]);
    const withHello = await collect(redis.port, Buffer.concat([hello, pipeline]), replyCount(3) + 1);
    const decoder = new ReplyDecoder();
    decoder.feed(withHello);
    const helloReply = decoder.next();
    expect(helloReply).toBeInstanceOf(RespMap);
    resp3 = withHello.subarray(encodeValue(helloReply!).length);
  }, 30_000);

  afterAll(async () => {
    await redis?.stop();
  });

  for (const protocol of [2, 3] as const) {
    it(`RESP${protocol}: one value per command, re-encoding to Redis' exact bytes, at any chunking`, () => {
      const raw = protocol === 2 ? resp2 : resp3;
      const whole = decodeReplies([raw]);
      expect(whole.error).toBeNull();
      expect(whole.values).toHaveLength(replyCount(protocol));
      expect(Buffer.concat(whole.values.map((value) => encodeValue(value, protocol))).equals(raw)).toBe(true);
      fc.assert(
        fc.property(fc.array(fc.nat({ max: raw.length }), { maxLength: 20 }), (cuts) => {
          const split = decodeReplies(cutAt(raw, cuts));
          expect(split).toEqual(whole);
        }),
        { numRuns: 300 },
      );
    });
  }

  it("RESP3 replies decode to the RESP3 types", () => {
    const values = decodeReplies([resp3]).values;
    const byCommand = new Map<string, RespValue>();
    let next = 0;
    for (const argv of commands) {
      byCommand.set(argv.join(" "), values[next++]!);
      if (argv.join(" ") === "DEBUG PROTOCOL push") expect(values[next++]).toEqual(Buffer.from(pushFollower));
    }
    expect(byCommand.get("GET k")).toEqual(Buffer.from("v\r\n\0\xff", "latin1"));
    expect(byCommand.get("GET missing")).toBeNull();
    expect(byCommand.get("INCRBY n -9223372036854775807")).toBe(-9223372036854775807n);
    expect(byCommand.get("HGETALL h")).toBeInstanceOf(RespMap);
    expect(byCommand.get("SMEMBERS s")).toBeInstanceOf(RespSet);
    expect(byCommand.get("ZSCORE z one")).toEqual(new RespDouble(1.1));
    expect(byCommand.get("NOSUCHCOMMAND")).toBeInstanceOf(RespError);
    expect((byCommand.get("GET h") as RespError).code).toBe("WRONGTYPE");
    expect(byCommand.get("DEBUG PROTOCOL bignum")).toBeInstanceOf(RespBigNumber);
    expect(byCommand.get("DEBUG PROTOCOL attrib")).toBeInstanceOf(RespAttributed);
    expect(byCommand.get("DEBUG PROTOCOL push")).toBeInstanceOf(RespPush);
    expect(byCommand.get("DEBUG PROTOCOL verbatim")).toBeInstanceOf(RespVerbatim);
    expect(byCommand.get("DEBUG PROTOCOL true")).toBe(true);
    expect(byCommand.get("DEBUG PROTOCOL null")).toBeNull();
  });
});
