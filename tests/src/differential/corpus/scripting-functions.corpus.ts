/*
 * Differential cases: Redis functions. FUNCTION LOAD [REPLACE] / DELETE / FLUSH /
 * LIST [WITHCODE] [LIBRARYNAME] / STATS / DUMP / RESTORE and FCALL / FCALL_RO:
 * library metadata errors, registration errors, name collisions, flags and
 * descriptions in FUNCTION LIST, read-only calls, error positions in
 * `@user_function`, RESTORE policies and payload checks.
 *
 * Every case starts and ends with FUNCTION FLUSH: libraries are server-wide and
 * survive the harness' FLUSHALL. DUMP payloads are compared byte for byte (one
 * library: Redis writes several in hash order); tests/src/scripting/
 * function-payloads.test.ts restores each server's payload on the other.
 */
import type { DiffCase, Step } from "../corpus-types.js";
import { helpLines, quiet } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

const LIB1 =
  "#!lua name=lib1\n" +
  "redis.register_function('f1', function(keys, args) return redis.call('set', keys[1], args[1]) end)\n" +
  "redis.register_function{function_name='f2', callback=function(keys, args) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads'}";
const LIB2 = "#!lua name=lib2\nredis.register_function('g1', function(keys, args) return #keys + #args end)";
/** One function with flags and a description: FUNCTION LIST orders a library's functions by a seeded hash, so listed libraries hold one. */
const LIB3 =
  "#!lua name=lib3\nredis.register_function{function_name='h', callback=function() return 1 end, flags={'no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'}, description='all flags'}";
const LIB1_V2 = "#!lua name=lib1\nredis.register_function('f3', function() return 'v2' end)";

/** A case whose steps run between two FUNCTION FLUSHes. */
const fnCase = (name: string, steps: Step[]): DiffCase => ({
  name,
  steps: [quiet("FUNCTION", "FLUSH"), ...steps, quiet("FUNCTION", "FLUSH")],
});

const load = (code: string) => ["FUNCTION", "LOAD", code];

const cases: DiffCase[] = [
  fnCase("metadata: missing shebang", [load("return 1")]),
  fnCase("metadata: missing name", [load("#!lua\nreturn 1")]),
  fnCase("metadata: unknown engine", [load("#!js name=x\nreturn 1")]),
  fnCase("metadata: unknown option", [load("#!lua name=x foo=bar\nreturn 1")]),
  fnCase("metadata: bad library name", [load("#!lua name=a-b\nreturn 1")]),
  fnCase("no functions registered", [load("#!lua name=x\nreturn 1")]),
  fnCase("registration: bad function name", [
    load("#!lua name=x\nredis.register_function('f-g', function() end)"),
  ]),
  fnCase("registration: duplicate function", [
    load(
      "#!lua name=x\nredis.register_function('f', function() end) redis.register_function('f', function() end)",
    ),
  ]),
  fnCase("registration: single non-table argument", [load("#!lua name=x\nredis.register_function('f')")]),
  fnCase("registration: unknown flag", [
    load(
      "#!lua name=x\nredis.register_function{function_name='f', callback=function() end, flags={'bogus'}}",
    ),
  ]),
  fnCase("loading sees only register_function, log and the version", [
    load(
      "#!lua name=x\nlocal v = redis.REDIS_VERSION redis.log(redis.LOG_NOTICE, 'loading') redis.register_function('f', function() return 1 end)",
    ),
    load("#!lua name=y\nlocal s = string.len('x') redis.register_function('g', function() return 1 end)"),
    load("#!lua name=z\nredis.call('ping') redis.register_function('h', function() return 1 end)"),
    load("#!lua name=w\nerror('boom')"),
    ["FCALL", "f", "0"],
  ]),
  fnCase("functions see the script globals at run time", [
    load(
      "#!lua name=rt\nredis.register_function('rt', function(keys, args) return {type(string), type(cjson), tostring(KEYS), redis.sha1hex('')} end)",
    ),
    ["FCALL", "rt", "0"],
  ]),
  fnCase("compile error", [load("#!lua name=x\nreturn = 1")]),
  fnCase("load, call, list", [
    load(LIB1),
    ["FCALL", "f1", "1", "@k", "v"],
    ["FCALL_RO", "f2", "1", "@k"],
    ["FCALL", "f2", "1", "@k"],
    quiet("FUNCTION", "DELETE", "lib1"),
    load(LIB2),
    load(LIB3),
    { cmd: ["FUNCTION", "LIST"], compare: "unordered" },
    { cmd: ["FUNCTION", "LIST", "WITHCODE"], compare: "unordered" },
    { cmd: ["FUNCTION", "LIST", "LIBRARYNAME", "lib*"], compare: "unordered" },
    ["FUNCTION", "LIST", "LIBRARYNAME", "nomatch"],
    ["FUNCTION", "LIST", "BOGUS"],
    ["FUNCTION", "STATS"],
  ]),
  {
    ...fnCase("RESP3 FUNCTION LIST and STATS", [load(LIB3), ["FUNCTION", "LIST"], ["FUNCTION", "STATS"]]),
    resp3: true,
  },
  fnCase("FCALL errors", [
    load(LIB1),
    ["FCALL", "nosuch", "0"],
    ["FCALL_RO", "f1", "1", "@k", "v"],
    ["FCALL", "f2", "-1"],
    ["FCALL", "f2", "5", "@k"],
    ["FCALL", "f1", "1", "@k"],
    ["FCALL", "f1", "0", "v"],
  ]),
  fnCase("keys and args reach the function", [load(LIB2), ["FCALL", "g1", "2", "@a", "@b", "x", "y", "z"]]),
  fnCase("an existing library needs REPLACE", [
    load(LIB1),
    load(LIB1_V2),
    ["FUNCTION", "LOAD", "REPLACE", LIB1_V2],
    ["FCALL", "f3", "0"],
    ["FCALL", "f1", "1", "@k", "v"],
  ]),
  fnCase("a function name used by another library", [
    load(LIB1),
    load("#!lua name=other\nredis.register_function('f1', function() end)"),
  ]),
  fnCase("DELETE", [
    load(LIB1),
    ["FUNCTION", "DELETE", "lib1"],
    ["FUNCTION", "DELETE", "lib1"],
    ["FCALL", "f2", "0"],
  ]),
  fnCase("FLUSH modes", [
    load(LIB1),
    ["FUNCTION", "FLUSH", "ASYNC"],
    ["FUNCTION", "FLUSH", "SYNC"],
    ["FUNCTION", "FLUSH", "bogus"],
    ["FUNCTION", "LIST"],
  ]),
  fnCase("DUMP and RESTORE on the same server", [
    load(LIB1),
    ["FUNCTION", "DUMP"],
    ["FUNCTION", "RESTORE", "bogus-payload"],
    ["FUNCTION", "RESTORE", "x", "BADPOLICY"],
  ]),
  fnCase("an empty DUMP", [["FUNCTION", "DUMP"]]),
  fnCase("DUMP of a short library and of a long repetitive one", [
    load("#!lua name=s\nredis.register_function('s', function() return 1 end)"),
    ["FUNCTION", "DUMP"],
    quiet("FUNCTION", "FLUSH"),
    load(
      `#!lua name=long\n${"redis.register_function('f', function() return 'abcabcabc' end)\n".repeat(1).replace("'f'", "'long'")}-- ${"xyz".repeat(200)}\n-- ${"0123456789".repeat(40)}`,
    ),
    ["FUNCTION", "DUMP"],
  ]),
  fnCase("FUNCTION HELP", [helpLines("FUNCTION", "HELP")]),
  fnCase("FUNCTION KILL with nothing running", [["FUNCTION", "KILL"]]),
];

export const corpus: readonly DiffCase[] = scopeKeys("fn", cases);
