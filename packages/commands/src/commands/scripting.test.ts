/*
 * Scripting commands against an in-memory server: conversion rules, error texts
 * with their script positions, the sandbox and the Lua libraries. Expected values
 * are what redis-server 7.0 answers (the differential corpus checks more against
 * a live redis-server).
 */
import { describe, expect, test } from "vitest";
import { InMemorySession, ReplyError } from "./in-memory-session.test-helper.js";

function errorText(reply: unknown): string {
  expect(reply).toBeInstanceOf(ReplyError);
  return (reply as ReplyError).message;
}

describe("EVAL", () => {
  test("Lua -> RESP2 conversion", () => {
    const s = new InMemorySession();
    expect(s.run("eval", "return {1,2.7,'a',true,false,nil,3}", "0")).toEqual([1, 2, "a", 1, null]);
    expect(s.run("eval", "return {ok='fine'}", "0")).toBe("fine");
    expect(errorText(s.run("eval", "return {err='x'}", "0"))).toBe("x");
    expect(s.run("eval", "return -3.99", "0")).toBe(-3);
    expect(s.run("eval", "return {double=1.5}", "0")).toBe("1.5");
    expect(s.run("eval", "return {map={a=1}, set={b=true}}", "0")).toEqual(["a", 1]);
  });

  test("KEYS, ARGV and redis.call", () => {
    const s = new InMemorySession();
    expect(s.run("eval", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v")).toBe("OK");
    expect(s.run("eval", "return redis.call('get', KEYS[1])", "1", "k")).toBe("v");
    expect(s.run("eval", "return redis.call('echo', 0.1+0.2)", "0")).toBe("0.30000000000000004");
    expect(s.run("eval", "return redis.call('echo', 10/2)", "0")).toBe("5");
    expect(s.run("eval", "return tostring(10/2) .. ' ' .. tostring(0.1+0.2)", "0")).toBe("5 0.3");
  });

  test("error texts carry the script position", () => {
    const s = new InMemorySession();
    s.run("set", "s", "1");
    expect(errorText(s.run("eval", "return redis.call('lpush','s','a')", "0"))).toBe(
      "WRONGTYPE Operation against a key holding the wrong kind of value script: 9a3e09c1ea8ae5a07defe6161592b5ae121a4da7, on @user_script:1.",
    );
    expect(errorText(s.run("eval", "return redis.pcall('lpush','s','a')", "0"))).toBe(
      "WRONGTYPE Operation against a key holding the wrong kind of value",
    );
    expect(errorText(s.run("eval", "error('boom')", "0"))).toBe(
      "ERR user_script:1: boom script: 82903a0434f1503e152f89c03c9acd881a0e8150, on @user_script:1.",
    );
    expect(errorText(s.run("eval", "error({err='MY boom'})", "0"))).toBe(
      "MY boom script: 4c2ee35ef37c857625d6ec6d812eab72377cfa97, on @user_script:1.",
    );
    expect(errorText(s.run("eval", "return cjson.decode('[1')", "0"))).toBe(
      "ERR user_script:1: Expected comma or array end but found T_END at character 3 script: 9520afde0d0f5886fe8706b129489231b68d88bd, on @user_script:1.",
    );
    expect(errorText(s.run("eval", "return 1", "-1"))).toBe("ERR Number of keys can't be negative");
    expect(errorText(s.run("evalsha", "abc", "0"))).toBe("NOSCRIPT No matching script. Please use EVAL.");
  });

  test("the sandbox", () => {
    const s = new InMemorySession();
    expect(errorText(s.run("eval", "x=1", "0"))).toBe(
      "ERR user_script:1: Attempt to modify a readonly table script: 7caf6056913504f0508c65faf2dc3f94ff65bcfd, on @user_script:1.",
    );
    expect(errorText(s.run("eval", "return os.time()", "0"))).toBe(
      "ERR user_script:1: Script attempted to access nonexistent global variable 'os' script: 13dea82ee9da896aebcd10f5e36f4a1eeb839b48, on @user_script:1.",
    );
    expect(errorText(s.run("eval", "rawset(_G,'x',1) return x", "0"))).toBe(
      "ERR Attempt to modify a readonly table script: eae11c0375163fe1c4ff4d972df572fe0a10d22b, on @user_script:1.",
    );
  });

  test("libraries", () => {
    const s = new InMemorySession();
    expect(s.run("eval", "return cjson.encode({1,2,3,{a=1},'x/y',1.5,1e20, cjson.null})", "0")).toBe(
      '[1,2,3,{"a":1},"x\\/y",1.5,1e+20,null]',
    );
    expect(
      s.run(
        "eval",
        "return bit.tohex(255)..' '..bit.band(-1,255)..' '..bit.bnot(0)..' '..bit.lshift(1,31)",
        "0",
      ),
    ).toBe("000000ff 255 -1 -2147483648");
    expect(s.run("eval", "return {struct.unpack('>iHb', struct.pack('>iHb', 1, 2, 3))}", "0")).toEqual([
      1, 2, 3, 8,
    ]);
    expect(
      Buffer.from(
        s.run("eval", "return cmsgpack.pack({1,2,{a='b'}}, 1.5, -1, 300, 'abc')", "0") as string,
        "latin1",
      ),
    ).toEqual(Buffer.from("9301028" + "1a161a162ca3fc00000ffcd012ca3616263", "hex"));
  });

  test("redis.call with many command names, spellings, and arguments kept by the keyspace", () => {
    const s = new InMemorySession();
    // More distinct spellings than redis.call remembers, called in turns.
    const names = [
      "set",
      "SET",
      "Set",
      "get",
      "GET",
      "append",
      "strlen",
      "exists",
      "type",
      "echo",
      "incr",
      "INCR",
    ];
    const script = `
      local names = {${names.map((n) => `'${n}'`).join(",")}}
      local out = {}
      for round = 1, 3 do
        for i, name in ipairs(names) do
          local r
          if name:lower() == 'set' then r = redis.call(name, 'k' .. i, 'v' .. i .. '-' .. round)
          elseif name:lower() == 'get' then r = redis.call(name, 'k' .. (i - 3))
          elseif name == 'append' then r = redis.call(name, 'k1', 'x')
          elseif name == 'strlen' or name == 'exists' or name == 'type' then r = redis.call(name, 'k1')
          elseif name == 'echo' then r = redis.call(name, round)
          else r = redis.call(name, 'counter') end
          if type(r) == 'table' then r = r.ok end
          out[#out + 1] = r
        end
      end
      return out`;
    const reply = s.run("eval", script, "0") as unknown[];
    expect(reply.slice(0, 12)).toEqual(["OK", "OK", "OK", "v1-1", "v2-1", 5, 5, 1, "string", "1", 1, 2]);
    expect(reply.slice(24)).toEqual(["OK", "OK", "OK", "v1-3", "v2-3", 5, 5, 1, "string", "3", 5, 6]);
    expect(errorText(s.run("eval", "return redis.call('nosuch', 'x')", "0"))).toMatch(
      /^ERR Unknown Redis command called from script script: /,
    );
    expect(errorText(s.run("eval", "return redis.call('GET')", "0"))).toMatch(
      /^ERR Wrong number of args calling Redis command from script script: /,
    );
    // Values written through redis.call outlive the script: many of them, short and long,
    // numbers as arguments included, are read back intact afterwards.
    const fill = `
      for i = 1, 3000 do redis.call('set', 'key:' .. i, string.rep(string.char(65 + i % 26), i % 50) .. i) end
      redis.call('set', 'big', string.rep('b', 100000))
      redis.call('rpush', 'list', 0, 1023, 1024, -1, 1.5, 2^53, 'x')
      return 1`;
    expect(s.run("eval", fill, "0")).toBe(1);
    for (const i of [1, 77, 1500, 2999, 3000]) {
      expect(s.run("get", `key:${i}`)).toBe(String.fromCharCode(65 + (i % 26)).repeat(i % 50) + i);
    }
    expect(s.run("strlen", "big")).toBe(100000);
    expect(s.run("lrange", "list", "0", "-1")).toEqual([
      "0",
      "1023",
      "1024",
      "-1",
      "1.5",
      "9007199254740992",
      "x",
    ]);
  });

  test("EVALSHA: any letter case of the digest, forgotten after SCRIPT FLUSH", () => {
    const s = new InMemorySession();
    const sha = s.run("script", "load", "return ARGV[1]") as string;
    const other = s.run("script", "load", "return 'other'") as string;
    expect(s.run("evalsha", sha, "0", "a")).toBe("a");
    expect(s.run("evalsha", sha, "0", "b")).toBe("b");
    expect(s.run("evalsha", sha.toUpperCase(), "0", "c")).toBe("c");
    expect(s.run("evalsha", other, "0")).toBe("other");
    expect(s.run("evalsha", sha, "0", "d")).toBe("d");
    s.run("script", "flush");
    expect(errorText(s.run("evalsha", sha, "0", "e"))).toBe("NOSCRIPT No matching script. Please use EVAL.");
    expect(s.run("script", "load", "return ARGV[1]")).toBe(sha);
    expect(s.run("evalsha", sha, "0", "f")).toBe("f");
    expect(errorText(s.run("evalsha", "x".repeat(40), "0"))).toBe(
      "NOSCRIPT No matching script. Please use EVAL.",
    );
  });

  test("EVAL_RO refuses writes", () => {
    const s = new InMemorySession();
    expect(errorText(s.run("eval_ro", "return redis.call('set','k','v')", "1", "k"))).toBe(
      "ERR Write commands are not allowed from read-only scripts. script: d223ed8c7345b684e8ed044ed472601f536fa58b, on @user_script:1.",
    );
  });
});

describe("FUNCTION", () => {
  test("load, call, list", () => {
    const s = new InMemorySession();
    const code =
      "#!lua name=lib1\nredis.register_function('f1', function(keys, args) return redis.call('set', keys[1], args[1]) end)\nredis.register_function{function_name='f2', callback=function(keys, args) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads'}";
    expect(s.run("function", "load", code)).toBe("lib1");
    expect(s.run("fcall", "f1", "1", "k", "v2")).toBe("OK");
    expect(s.run("fcall_ro", "f2", "1", "k")).toBe("v2");
    expect(errorText(s.run("fcall_ro", "f1", "1", "k", "v"))).toBe(
      "ERR Can not execute a script with write flag using *_ro command.",
    );
    expect(errorText(s.run("fcall", "f1", "1", "k"))).toBe(
      "ERR Lua redis lib command arguments must be strings or integers script: f1, on @user_function:2.",
    );
    expect(s.run("function", "list")).toEqual([
      [
        "library_name",
        "lib1",
        "engine",
        "LUA",
        "functions",
        [
          ["name", "f1", "description", null, "flags", []],
          ["name", "f2", "description", "reads", "flags", ["no-writes"]],
        ],
      ],
    ]);
    const dump = s.run("function", "dump");
    expect(s.run("function", "flush")).toBe("OK");
    expect(s.run("function", "restore", Buffer.from(dump as string, "latin1"))).toBe("OK");
    expect(s.run("fcall_ro", "f2", "1", "k")).toBe("v2");
  });
});

describe("effects replication", () => {
  test("a script's writes propagate as its effects, wrapped in MULTI/EXEC; EVAL itself never", () => {
    const s = new InMemorySession();
    s.run(
      "eval",
      "redis.call('set', KEYS[1], 'a') redis.call('incr', KEYS[2]) return redis.call('get', KEYS[1])",
      "2",
      "k",
      "n",
    );
    expect(s.propagated.map((p) => p.argv)).toEqual([["MULTI"], ["set", "k", "a"], ["incr", "n"], ["EXEC"]]);
    s.clearRecords();
    s.run("eval", "return redis.call('set', KEYS[1], 'b')", "1", "k");
    expect(s.propagated.map((p) => p.argv)).toEqual([["set", "k", "b"]]);
    s.clearRecords();
    s.run("eval", "return redis.call('get', KEYS[1])", "1", "k");
    expect(s.propagated).toEqual([]);
  });

  test("redis.set_repl(redis.REPL_NONE) keeps later writes local", () => {
    const s = new InMemorySession();
    s.run(
      "eval",
      "redis.call('set', 'a', '1') redis.set_repl(redis.REPL_NONE) redis.call('set', 'b', '2') return 1",
      "0",
    );
    expect(s.propagated.map((p) => p.argv)).toEqual([["set", "a", "1"]]);
    expect(s.run("get", "b")).toBe("2");
  });

  test("a script inside MULTI/EXEC joins the transaction's unit", () => {
    const s = new InMemorySession();
    s.run("multi");
    s.run("set", "x", "1");
    s.run("eval", "return redis.call('incr', KEYS[1])", "1", "x");
    expect(s.run("exec")).toEqual(["OK", 2]);
    expect(s.propagated.map((p) => p.argv)).toEqual([["MULTI"], ["set", "x", "1"], ["incr", "x"], ["EXEC"]]);
  });

  test("FUNCTION LOAD and DELETE propagate as themselves", () => {
    const s = new InMemorySession();
    const code = "#!lua name=l\nredis.register_function('f', function() return 1 end)";
    s.run("function", "load", code);
    s.run("function", "delete", "l");
    expect(s.propagated.map((p) => p.argv)).toEqual([
      ["function", "load", code],
      ["function", "delete", "l"],
    ]);
  });
});
