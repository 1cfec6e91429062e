/*
 * Differential cases: MULTI / EXEC / DISCARD / WATCH / UNWATCH. Queue-time
 * errors abort the transaction (EXECABORT), run-time errors do not roll back, and
 * WATCH fails EXEC when a watched key is written (by the watcher too), expires,
 * is flushed or swapped away, following Redis 7.0's rules for keys that were
 * already expired when watched.
 */
import { type DiffCase, quiet } from "../corpus-types.js";

export const corpus: readonly DiffCase[] = [
  {
    name: "MULTI / EXEC runs the queued commands in order",
    steps: [["MULTI"], ["SET", "tx:a", "1"], ["GET", "tx:a"], ["RPUSH", "tx:l", "x", "y"], ["EXEC"]],
  },
  { name: "EXEC of an empty transaction", steps: [["MULTI"], ["EXEC"]] },
  {
    name: "DISCARD drops the queue",
    steps: [["MULTI"], ["SET", "tx:d", "1"], ["DISCARD"], ["GET", "tx:d"], ["EXEC"]],
  },
  { name: "EXEC without MULTI", steps: [["EXEC"]] },
  { name: "DISCARD without MULTI", steps: [["DISCARD"]] },
  {
    name: "nested MULTI is refused but does not abort",
    steps: [["MULTI"], ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "unknown command while queueing aborts EXEC",
    steps: [["MULTI"], ["SET", "tx:u", "1"], ["NOSUCHCMD", "x"], ["EXEC"], ["GET", "tx:u"]],
  },
  {
    name: "wrong arity while queueing aborts EXEC",
    steps: [["MULTI"], ["GET"], ["SET", "tx:w", "1"], ["EXEC"], ["GET", "tx:w"]],
  },
  {
    name: "wrong arity of EXEC itself dooms the transaction",
    steps: [["MULTI"], ["PING"], ["EXEC", "extra"], ["EXEC"]],
  },
  {
    name: "no_multi command inside MULTI aborts EXEC",
    steps: [["MULTI"], ["SHUTDOWN"], ["EXEC"]],
  },
  {
    name: "WATCH inside MULTI is refused, EXEC still runs",
    steps: [["MULTI"], ["WATCH", "tx:k"], ["PING"], ["EXEC"]],
  },
  {
    name: "run-time errors inside EXEC do not roll back",
    steps: [
      ["SET", "tx:s", "text"],
      ["MULTI"],
      ["LPUSH", "tx:s", "x"],
      ["SET", "tx:t", "1"],
      ["EXEC"],
      ["GET", "tx:t"],
    ],
  },
  {
    name: "DISCARD after a queue-time error leaves a clean state",
    steps: [["MULTI"], ["NOSUCH"], ["DISCARD"], ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "WATCH without changes lets EXEC run",
    steps: [["SET", "tx:wk", "1"], ["WATCH", "tx:wk"], ["MULTI"], ["GET", "tx:wk"], ["EXEC"]],
  },
  {
    name: "a write by the watching client fails EXEC",
    steps: [
      ["WATCH", "tx:wk"],
      ["SET", "tx:wk", "2"],
      ["MULTI"],
      ["GET", "tx:wk"],
      ["EXEC"],
      ["GET", "tx:wk"],
    ],
  },
  {
    name: "writing another key keeps the transaction",
    steps: [["WATCH", "tx:wk"], ["SET", "tx:other", "2"], ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "one of several watched keys written",
    steps: [
      ["WATCH", "tx:a", "tx:b", "tx:c"],
      ["DEL", "tx:b"],
      ["SET", "tx:b", "x"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ],
  },
  {
    name: "deleting a missing watched key is no change",
    steps: [["WATCH", "tx:none"], ["DEL", "tx:none"], ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "UNWATCH forgets a modification",
    steps: [["WATCH", "tx:k"], ["SET", "tx:k", "1"], ["UNWATCH"], ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "EXEC unwatches: the next transaction is free",
    steps: [["WATCH", "tx:k"], ["MULTI"], ["EXEC"], ["SET", "tx:k", "1"], ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "DISCARD unwatches",
    steps: [["WATCH", "tx:k"], ["MULTI"], ["DISCARD"], ["SET", "tx:k", "1"], ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "a failed EXEC unwatches too",
    steps: [
      ["WATCH", "tx:k"],
      ["SET", "tx:k", "1"],
      ["MULTI"],
      ["EXEC"],
      ["SET", "tx:k", "2"],
      ["MULTI"],
      ["GET", "tx:k"],
      ["EXEC"],
    ],
  },
  {
    name: "FLUSHDB fails EXEC when a watched key existed",
    steps: [["SET", "tx:f", "1"], ["WATCH", "tx:f"], ["FLUSHDB"], ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "FLUSHDB keeps EXEC when the watched key did not exist",
    steps: [["SET", "tx:g", "1"], ["WATCH", "tx:missing"], ["FLUSHDB"], ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "FLUSHALL fails EXEC of a watcher in another database",
    steps: [
      ["SELECT", "3"],
      ["SET", "tx:h", "1"],
      ["WATCH", "tx:h"],
      ["SELECT", "0"],
      ["FLUSHALL"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ],
  },
  {
    name: "SWAPDB bringing the watched key in fails EXEC",
    steps: [
      ["SELECT", "1"],
      ["SET", "tx:sw", "from-db1"],
      ["SELECT", "0"],
      ["WATCH", "tx:sw"],
      ["SWAPDB", "0", "1"],
      ["MULTI"],
      ["GET", "tx:sw"],
      ["EXEC"],
      ["FLUSHALL"],
    ],
  },
  {
    name: "SWAPDB of unrelated databases keeps EXEC",
    steps: [
      ["SELECT", "2"],
      ["SET", "tx:sw", "1"],
      ["SELECT", "0"],
      ["WATCH", "tx:sw"],
      ["SWAPDB", "3", "4"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ],
  },
  {
    name: "the same key name in another database is another key",
    steps: [
      ["WATCH", "tx:db"],
      ["SELECT", "1"],
      ["SET", "tx:db", "1"],
      ["SELECT", "0"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      ["FLUSHALL"],
    ],
  },
  {
    name: "a key already expired when watched does not fail EXEC (Redis 7.0)",
    steps: [
      ["SET", "tx:exp", "v", "PX", "1"],
      { sleep: 20 },
      ["WATCH", "tx:exp"],
      ["MULTI"],
      ["GET", "tx:exp"],
      ["EXEC"],
    ],
  },
  {
    name: "a key that expires after WATCH fails EXEC",
    steps: [
      ["SET", "tx:exp2", "v", "PX", "100"],
      ["WATCH", "tx:exp2"],
      { sleep: 200 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ],
  },
  {
    name: "SELECT inside a transaction",
    steps: [
      ["MULTI"],
      ["SELECT", "5"],
      ["SET", "tx:sel", "5"],
      ["SELECT", "0"],
      ["EXEC"],
      ["GET", "tx:sel"],
      quiet("FLUSHALL"),
    ],
  },
  {
    name: "FLUSHALL inside a transaction",
    steps: [["SET", "tx:x", "1"], ["MULTI"], ["FLUSHALL"], ["DBSIZE"], ["EXEC"]],
  },
  {
    name: "WATCH and UNWATCH arity",
    steps: [["WATCH"], ["UNWATCH", "x"], ["MULTI", "x"], ["EXEC", "x"], ["DISCARD", "x"]],
  },
  {
    name: "EXEC in RESP3",
    resp3: true,
    steps: [["MULTI"], ["SET", "tx:r3", "1"], ["GET", "tx:r3"], ["GET", "tx:nope"], ["EXEC"]],
  },
  {
    name: "failed EXEC replies null in RESP3",
    resp3: true,
    steps: [["WATCH", "tx:r3w"], ["SET", "tx:r3w", "1"], ["MULTI"], ["PING"], ["EXEC"]],
  },
  {
    name: "EXECABORT in RESP3",
    resp3: true,
    steps: [["MULTI"], ["NOPE"], ["EXEC"]],
  },
];
