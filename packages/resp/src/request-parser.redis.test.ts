/*
 * The request parser against a real redis-server 7: each byte sequence is sent
 * raw to Redis, and what Redis answers (replies, protocol error, whether it
 * closes the connection) must be what a server built on RequestParser answers.
 * The commands used are PING and ECHO, whose replies follow from the frames.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exchange, haveRedisServer, type RedisProcess, startRedis } from "../test/redis-server.js";
import { RequestParser, type RequestParserOptions, RespProtocolError } from "./index.js";

const b = (text: string) => Buffer.from(text, "latin1");

/** What a server built on RequestParser would answer to `request` sent in one go. */
function spinelAnswer(request: Buffer, options: RequestParserOptions = {}, unauthenticated = false) {
  const parser = new RequestParser(options);
  parser.unauthenticated = unauthenticated;
  const replies: Buffer[] = [];
  parser.feed(request);
  try {
    for (let argv = parser.next(); argv !== null; argv = parser.next()) {
      const name = argv[0]!.toString("latin1").toLowerCase();
      if (name === "ping" && argv.length === 1) replies.push(b("+PONG\r\n"));
      else if (name === "echo" && argv.length === 2) {
        replies.push(b(`$${argv[1]!.length}\r\n`), argv[1]!, b("\r\n"));
      } else throw new Error(`test case uses an unsupported command: ${argv.map(String).join(" ")}`);
    }
  } catch (error) {
    if (!(error instanceof RespProtocolError)) throw error;
    // ReplyWriter.error() turns CR and LF into spaces, as Redis' addReplyError does.
    replies.push(b(`-${error.replyText.replace(/[\r\n]/g, " ")}\r\n`));
    return { bytes: Buffer.concat(replies).toString("latin1"), closed: true };
  }
  return { bytes: Buffer.concat(replies).toString("latin1"), closed: false };
}

const ping = "*1\r\n$4\r\nPING\r\n";

/** Requests whose handling must match Redis byte for byte. */
const cases: Record<string, string> = {
  "one request": ping,
  pipelined: `${ping}*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n${ping}`,
  "binary argument": "*2\r\n$4\r\nECHO\r\n$6\r\n\0\r\n\xff$*\r\n",
  "empty argument": "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
  "negative count skipped": `*-5\r\n${ping}`,
  "zero count skipped": `*0\r\n${ping}`,
  "INT64_MIN count skipped": `*-9223372036854775808\r\n${ping}`,
  "byte after a header CR unchecked": "*1\rx$4\rxPING\r\n",
  "incomplete request": "*1\r\n$4\r\nPI",
  "two bytes after a bulk skipped unchecked": "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n",
  "bytes after a bulk become the next request": "*2\r\n$4\r\nECHO\r\n$2\r\nabcdPING\r\n",
  "count above 1024*1024 accepted": "*1048577\r\n",
  "count INT_MAX accepted": "*2147483647\r\n",
  "count above INT_MAX": "*2147483648\r\n",
  "count out of 64 bits": "*-9223372036854775809\r\n",
  "count with leading zero": `*01\r\n$4\r\nPING\r\n`,
  "count -0": "*-0\r\n",
  "count +1": "*+1\r\n",
  "count empty": "*\r\n",
  "count with a space": "*1 \r\n",
  "count not a number": `${ping}*x\r\n`,
  "bulk length -1": "*1\r\n$-1\r\n",
  "bulk length empty": "*1\r\n$\r\n",
  "bulk length with leading zero": "*1\r\n$04\r\nPING\r\n",
  "bulk length +4": "*1\r\n$+4\r\nPING\r\n",
  "bulk length above proto-max-bulk-len": "*1\r\n$536870913\r\n",
  "bulk length at proto-max-bulk-len": "*1\r\n$536870912\r\n",
  "bulk length out of 64 bits": "*2\r\n$4\r\nECHO\r\n$9223372036854775808\r\n",
  "expected $": "*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n",
  "expected $, got CR": "*1\r\n\r\n",
  "expected $, got LF": "*1\r\n\n\r\n",
  "expected $, got a high byte": "*1\r\n\xe9\r\n",
  "expected $, line incomplete": "*1\r\nx",
  "too big mbulk count string": `*${"1".repeat(70000)}`,
  "too big mbulk count string, complete line": `*${"1".repeat(100000)}\r\n`,
  "too big bulk count string": `*1\r\n$${"1".repeat(70000)}`,
  "too big bulk count string without $": `*1\r\nx${"1".repeat(70000)}`,
  "NUL in a count line": `*1\0\r\n${ping}`,
  "NUL in a count line, then the limit": `*1\0${"1".repeat(70000)}`,
  "NUL in a bulk length line": "*1\r\n$4\0\r\nPING\r\n",
  "NUL in a bulk length line, then the limit": `*1\r\n$4\0${"1".repeat(70000)}`,
  "inline PING": "PING\r\n",
  "inline with LF only": "PING\n",
  "inline blank lines": "\r\n\n   \nPING\n",
  "inline quotes": 'ECHO "a b"\r\n',
  "inline single quotes": "ECHO 'it\\'s'\n",
  "inline escapes": 'ECHO "\\x41\\x4g\\q\\n\\r\\t\\b\\a\\\\\\""\n',
  "inline quoted part inside an argument": 'ECHO a"b c"d\n',
  "inline double CR": "ECHO a\r\r\n",
  "inline vertical tab inside an argument": "ECHO a\x0bb\n",
  "inline empty quoted argument": 'ECHO ""\n',
  "inline unbalanced double quote": 'ECHO "a\n',
  "inline unbalanced single quote": "ECHO 'a\n",
  "inline closing quote followed by a letter": 'ECHO "a"b\n',
  "inline escaped closing quote": 'ECHO "\\"\n',
  "inline NUL": "PING\0\nPING\n",
  "inline NUL, then the limit": `PING\0${"a".repeat(70000)}`,
  "inline near the limit": `ECHO ${"a".repeat(65530)}\n`,
  "inline above the limit": `ECHO ${"a".repeat(100000)}\n`,
};

describe.runIf(haveRedisServer())("RequestParser against redis-server 7", () => {
  let redis: RedisProcess;
  let locked: RedisProcess;
  let small: RedisProcess;

  beforeAll(async () => {
    [redis, locked, small] = await Promise.all([
      startRedis(),
      startRedis(["--requirepass", "secret"]),
      startRedis(["--proto-max-bulk-len", "1048576"]),
    ]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([redis?.stop(), locked?.stop(), small?.stop()]);
  });

  it("answers every request as redis-server does", async () => {
    const names = Object.keys(cases);
    // Wait for at least as many bytes as the parser predicts, then for silence.
    const expected = names.map((name) => spinelAnswer(b(cases[name]!)));
    const answers = await Promise.all(
      names.map((name, i) => exchange(redis.port, b(cases[name]!), 300, expected[i]!.bytes.length)),
    );
    names.forEach((name, i) => {
      const redisAnswer = { bytes: answers[i]!.bytes.toString("latin1"), closed: answers[i]!.closed };
      expect(expected[i], name).toEqual(redisAnswer);
    });
  });

  it("applies the unauthenticated limits as redis-server with requirepass does", async () => {
    const lockedCases = ["*10\r\n", "*11\r\n", "*1\r\n$16384\r\n", "*1\r\n$16385\r\n", "*2147483648\r\n"];
    const answers = await Promise.all(
      lockedCases.map((text) =>
        exchange(locked.port, b(text), 300, spinelAnswer(b(text), {}, true).bytes.length),
      ),
    );
    lockedCases.forEach((text, i) => {
      const redisAnswer = { bytes: answers[i]!.bytes.toString("latin1"), closed: answers[i]!.closed };
      expect(spinelAnswer(b(text), {}, true), text).toEqual(redisAnswer);
    });
  });

  it("applies a configured proto-max-bulk-len as redis-server does", async () => {
    const limitCases = ["*1\r\n$1048576\r\n", "*1\r\n$1048577\r\n"];
    const limits = { maxBulkLength: 1048576 };
    const answers = await Promise.all(
      limitCases.map((text) =>
        exchange(small.port, b(text), 300, spinelAnswer(b(text), { limits }).bytes.length),
      ),
    );
    limitCases.forEach((text, i) => {
      const redisAnswer = { bytes: answers[i]!.bytes.toString("latin1"), closed: answers[i]!.closed };
      expect(spinelAnswer(b(text), { limits }), text).toEqual(redisAnswer);
    });
  });
});
