/*
 * The propagation stream against redis-server 7.0's AOF: the same script runs on
 * a redis-server with appendonly yes and on Spinel, and the commands Spinel's
 * stream carries must be the commands redis-server wrote into its incremental
 * AOF file (deadlines compared after rounding to the second, since the two runs
 * are milliseconds apart).
 */

import { join } from "node:path";
import { encodeCommand } from "@spinel/resp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { haveRedisServer, startSpinel } from "../support/servers.js";
import {
  type ChildServer,
  makeTempDir,
  normaliseDeadlines,
  parseCommands,
  readIncrCommands,
  removeDir,
  startRedisAof,
} from "./aof-support.js";

/** One step of the script: a command on the main connection, a pause, or a blocked client's step. */
type Step = string[] | { sleep: number } | { block: string[] } | { settle: true };

const SCRIPT: Step[] = [
  // strings and relative deadlines
  ["set", "a", "1"],
  ["expire", "a", "100"],
  ["pexpire", "a", "200000", "GT"],
  ["expire", "a", "50", "NX"],
  ["setex", "b", "100", "v"],
  ["psetex", "b2", "100000", "v"],
  ["set", "c", "v", "EX", "100"],
  ["set", "c", "w", "PX", "100000", "GET"],
  ["set", "c2", "v", "EX", "100", "GET"],
  ["set", "c3", "v", "EXAT", "99999999999"],
  ["set", "c4", "v", "NX", "GET"],
  ["set", "c4", "x", "XX", "KEEPTTL"],
  ["getex", "c", "EX", "50"],
  ["getex", "c", "PERSIST"],
  ["getex", "c", "PX", "70000"],
  ["getex", "c", "EXAT", "99999999999"],
  ["getex", "missing", "EX", "10"],
  ["expireat", "a", "99999999999"],
  ["pexpireat", "a", "99999999999000"],
  ["persist", "a"],
  ["expire", "a", "-1"],
  ["set", "k", "v"],
  ["pexpire", "k", "0"],
  ["set", "k2", "v"],
  ["expireat", "k2", "1"],
  ["getex", "c3", "PXAT", "1"],
  ["setnx", "n", "1"],
  ["setnx", "n", "2"],
  ["incr", "n"],
  ["incrby", "n", "5"],
  ["decrby", "n", "2"],
  ["append", "n", "x"],
  ["setrange", "n", "1", "yy"],
  ["getset", "n", "z"],
  ["getdel", "n"],
  ["getdel", "n"],
  ["mset", "m1", "1", "m2", "2"],
  ["msetnx", "m3", "1", "m1", "2"],
  ["set", "f", "1.5"],
  ["expire", "f", "100"],
  ["incrbyfloat", "f", "2"],
  ["incrbyfloat", "f", "1e3"],
  ["hincrbyfloat", "h", "f", "1.5"],
  ["hincrbyfloat", "h", "f", "0.25"],
  ["hset", "h", "a", "1", "b", "2"],
  ["hincrby", "h", "a", "3"],
  ["hdel", "h", "b", "zz"],
  ["hsetnx", "h", "a", "9"],
  // sets
  ["sadd", "s", "1", "2", "3", "4", "5", "6"],
  ["spop", "s"],
  ["spop", "s", "2"],
  ["srandmember", "s"],
  ["srandmember", "s", "-5"],
  ["spop", "s", "0"],
  ["spop", "s", "10"],
  ["sadd", "s", "a", "b"],
  ["smove", "s", "s2", "a"],
  ["sinterstore", "s3", "s", "s2"],
  ["sunionstore", "s3", "s", "s2"],
  ["srem", "s", "b", "nope"],
  // lists and blocking pops
  ["rpush", "l", "a", "b", "c", "d", "e"],
  ["blpop", "l", "0"],
  ["brpop", "l", "0"],
  ["lmpop", "1", "l", "LEFT"],
  ["blmpop", "0", "1", "l", "RIGHT", "COUNT", "5"],
  ["rpush", "l", "x", "y"],
  ["brpoplpush", "l", "l2", "0"],
  ["blmove", "l", "l2", "LEFT", "RIGHT", "0"],
  ["lpop", "l"],
  ["linsert", "l2", "BEFORE", "y", "w"],
  ["lset", "l2", "0", "q"],
  ["ltrim", "l2", "0", "0"],
  { block: ["blpop", "bl", "0"] },
  ["rpush", "bl", "x", "y"],
  { settle: true },
  { block: ["bzpopmin", "bz", "0"] },
  ["zadd", "bz", "1", "a", "2", "b"],
  { settle: true },
  { block: ["blmove", "bm", "bm2", "RIGHT", "LEFT", "0"] },
  ["lpush", "bm", "x"],
  { settle: true },
  // sorted sets
  ["zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d"],
  ["zincrby", "z", "1.5", "a"],
  ["zpopmin", "z"],
  ["zpopmax", "z", "2"],
  ["bzpopmax", "z", "0"],
  ["zadd", "z", "1", "a", "2", "b"],
  ["zmpop", "1", "z", "MIN", "COUNT", "1"],
  ["bzmpop", "0", "1", "z", "MAX"],
  ["zadd", "z", "1", "a", "2", "b", "3", "c"],
  ["zremrangebyrank", "z", "0", "0"],
  ["zunionstore", "zu", "1", "z"],
  ["zrangestore", "zr", "z", "0", "-1"],
  // keyspace
  ["rename", "zu", "zu2"],
  ["renamenx", "zu2", "zr"],
  ["copy", "zr", "zr2"],
  ["move", "zr2", "2"],
  ["select", "3"],
  ["set", "x", "1"],
  ["set", "y", "1", "PX", "1"],
  { sleep: 30 },
  ["get", "y"],
  ["select", "0"],
  ["del", "nothing"],
  ["unlink", "zr"],
  ["del", "zu2", "nothing"],
  ["swapdb", "0", "1"],
  ["swapdb", "0", "1"],
  // transactions
  ["multi"],
  ["set", "t1", "1"],
  ["incr", "t1"],
  ["get", "t1"],
  ["exec"],
  ["multi"],
  ["set", "t2", "1"],
  ["exec"],
  ["multi"],
  ["get", "t1"],
  ["exec"],
  ["multi"],
  ["set", "t3", "1", "EX", "100"],
  ["select", "4"],
  ["set", "t4", "1"],
  ["select", "0"],
  ["spop", "s", "1"],
  ["exec"],
  ["multi"],
  ["set", "t5", "1"],
  ["discard"],
  // sort, bitmaps
  ["rpush", "sl", "3", "1", "2"],
  ["sort", "sl", "STORE", "sl2"],
  ["setbit", "bits", "7", "1"],
  ["bitop", "NOT", "bits2", "bits"],
  ["bitfield", "bits", "SET", "u8", "0", "255", "GET", "u8", "0"],
  // more write families, and commands that change nothing
  ["rpush", "q", "a", "b", "a", "c"],
  ["lrem", "q", "1", "a"],
  ["lpushx", "q", "z"],
  ["lpushx", "nolist", "z"],
  ["rpoplpush", "q", "q2"],
  ["lpos", "q", "b"],
  ["hsetnx", "h2", "f", "1"],
  ["hsetnx", "h2", "f", "2"],
  ["zadd", "z2", "INCR", "5", "m"],
  ["zadd", "z2", "NX", "GT", "CH", "1", "n", "9", "m"],
  ["zadd", "z2", "1", "a", "2", "b", "3", "c"],
  ["zremrangebyscore", "z2", "(1", "2"],
  ["zremrangebylex", "z2", "[a", "[a"],
  ["zinterstore", "z3", "2", "z2", "z2", "WEIGHTS", "1", "2"],
  ["zdiffstore", "z4", "1", "z2"],
  ["sadd", "d1", "a", "b", "c"],
  ["sadd", "d2", "b"],
  ["sdiffstore", "d3", "d1", "d2"],
  ["sintercard", "2", "d1", "d2"],
  ["smismember", "d1", "a", "x"],
  ["touch", "d1", "nokey"],
  ["set", "cnt", "10"],
  ["incr", "cnt"],
  ["decr", "cnt"],
  ["incrbyfloat", "cnt", "-0.5"],
  ["setrange", "cnt", "10", "x"],
  ["set", "same", "1"],
  ["rename", "same", "same"],
  ["copy", "cnt", "cnt2", "DB", "6"],
  ["expire", "cnt", "100", "GT"],
  ["expire", "cnt", "100", "LT"],
  ["pexpiretime", "cnt"],
  ["hrandfield", "h2"],
  ["zrandmember", "z2"],
  ["set", "n2", "x", "NX"],
  ["set", "n2", "y", "NX"],
  ["set", "n3", "y", "XX"],
  ["getset", "n2", "z"],
  ["psetex", "p1", "5000", "v"],
  ["flushdb", "SYNC"],
  ["select", "4"],
  ["set", "w", "1"],
  ["flushall", "ASYNC"],
  ["set", "w", "2"],
  ["flushall"],
];

async function runScript(port: number): Promise<number> {
  const main = await RawClient.connect(port);
  const blocked: Array<{ client: RawClient; reply: Promise<Buffer> }> = [];
  const started = Date.now();
  try {
    for (const step of SCRIPT) {
      if (Array.isArray(step)) await main.call(...step);
      else if ("sleep" in step) await new Promise((r) => setTimeout(r, step.sleep));
      else if ("block" in step) {
        const client = await RawClient.connect(port);
        client.write(encodeCommand(step.block));
        // Let the server block it before the next step serves it.
        await new Promise((r) => setTimeout(r, 50));
        blocked.push({ client, reply: client.read(5000) });
      } else {
        for (const { reply } of blocked.splice(0)) await reply;
      }
    }
    await main.call("PING");
  } finally {
    main.close();
    for (const { client } of blocked) client.close();
  }
  return started;
}

/**
 * One command as text for the comparison. The member an SPOP removed is chance:
 * only the shape of its SREM (uppercase: written by the server, not the script)
 * is compared.
 */
function showCommand(argv: string[]): string {
  if (argv[0] === "SREM" && argv.length === 3) return `SREM ${argv[1]} <popped>`;
  return argv.join(" ");
}

describe.skipIf(!haveRedisServer())("propagation stream vs redis-server 7.0's AOF", () => {
  let dir: string;
  let redis: ChildServer;

  beforeAll(async () => {
    dir = makeTempDir("aof-propagation");
    // No active expiry on either side: the only DELs come from the script.
    redis = await startRedisAof(dir, ["--hz", "1"]);
  });

  afterAll(async () => {
    await redis?.stop();
    removeDir(dir);
  });

  it("writes the same commands redis-server writes into its AOF", async () => {
    const redisStart = await runScript(redis.port);
    // appendfsync everysec: wait for the write to reach the file.
    await new Promise((r) => setTimeout(r, 1200));
    const expected = normaliseDeadlines(readIncrCommands(join(dir, "appendonlydir")), redisStart);

    const spinel = await startSpinel({ hz: 1 });
    const chunks: Buffer[] = [];
    spinel.server.state.stream.addConsumer({
      selectedDb: -1,
      append(argv) {
        chunks.push(encodeCommand(argv));
      },
    });
    try {
      const spinelStart = await runScript(spinel.port);
      const actual = normaliseDeadlines(parseCommands(Buffer.concat(chunks)), spinelStart);
      expect(actual.map(showCommand)).toEqual(expected.map(showCommand));
    } finally {
      await spinel.stop();
    }
  });

  it("and Spinel's own incremental AOF file holds the same commands", async () => {
    const redisStart = await runScript(redis.port);
    await new Promise((r) => setTimeout(r, 1200));
    const all = readIncrCommands(join(dir, "appendonlydir"));
    // The second run of the script on redis-server starts after the first one's commands.
    const expected = normaliseDeadlines(all.slice(all.length / 2), redisStart);
    const spinelDir = makeTempDir("aof-propagation-spinel");
    try {
      const spinel = await startSpinel({ hz: 1, dir: spinelDir, appendonly: "yes" });
      const spinelStart = await runScript(spinel.port);
      await spinel.stop();
      const actual = normaliseDeadlines(readIncrCommands(join(spinelDir, "appendonlydir")), spinelStart);
      // The script ends in database 4, so redis-server's second run starts with SELECT 0 too.
      expect(actual.map(showCommand)).toEqual(expected.map(showCommand));
    } finally {
      removeDir(spinelDir);
    }
  });
});
