/*
 * Lua engine comparison for the scripting engine choice: wasmoon (Lua 5.4
 * compiled to WebAssembly, driven through its raw C API as ScriptEngine does)
 * against fengari (Lua 5.3 written in JavaScript).
 *
 * Shapes, each run many times and reported as time per run:
 *   - call:  `return redis.call('get', KEYS[1])`: a KEYS table built from JS,
 *            one crossing to a JS function that reads its two string arguments
 *            as bytes and returns a string (the cost of one redis.call crossing
 *            plus the script set-up, without a keyspace);
 *   - loop:  a million additions and modulos;
 *   - table: 100,000 small tables built and walked;
 *   - loop with the count hook on (wasmoon only: ScriptEngine always runs with
 *     a count hook, for busy-reply-threshold).
 * Then the memory of one state with the standard libraries, and the Lua 5.1
 * features Redis scripts use, as each engine has them natively.
 *
 * Run: pnpm --filter @spinel/commands bench:lua
 *   (node --conditions=@spinel/source --import tsx bench/lua-engines.ts)
 * BENCH_QUICK=1 runs fewer iterations.
 */

import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { LUA_REGISTRYINDEX, LuaVm } from "../src/scripting/lua-vm.js";

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: fengari ships no types
const fengari: any = require("fengari");
const { lua, lauxlib, lualib, to_luastring } = fengari;

const QUICK = process.env.BENCH_QUICK !== undefined;
const CALL_RUNS = QUICK ? 20_000 : 100_000;
const HEAVY_RUNS = QUICK ? 3 : 10;

const CALL_SCRIPT = "return redis.call('get', KEYS[1])";
const LOOP_SCRIPT = "local s = 0 for i = 1, 1000000 do s = s + i % 7 end return s";
const TABLE_SCRIPT =
  "local t = {} for i = 1, 100000 do t[i] = {id = i, name = 'n' .. i} end local c = 0 for _, v in ipairs(t) do c = c + v.id end return c";

const FIDELITY: Array<[string, string]> = [
  ["unpack", "return type(unpack)"],
  ["table.getn", "return type(table.getn)"],
  ["loadstring", "return type(loadstring)"],
  ["math.pow", "return type(math.pow)"],
  ["math.mod", "return type(math.mod)"],
  ["tostring(10/2)", "return tostring(10/2)"],
  ["tostring(2^53)", "return tostring(2^53)"],
  ["3 // 2 parses", "return tostring(3 // 2)"],
  ["string.format('%d', 3.0)", "return string.format('%d', 3.0)"],
  ["1e15 .. ''", "return 1e15 .. ''"],
];

/** Mean microseconds per run of `fn`. */
function time(runs: number, fn: () => void): number {
  for (let i = 0; i < Math.min(runs, 100); i++) fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return ((performance.now() - start) * 1000) / runs;
}

// ------------------------------------------------------------------ wasmoon

function wasmoonEngine() {
  const vm = new LuaVm();
  const L = vm.L;
  const m = vm.m;
  const value = Buffer.from("value");
  m._lua_createtable(L, 0, 1);
  vm.pushNative(L, (co) => {
    const name = vm.toBuffer(co, 1);
    const key = vm.toBuffer(co, 2);
    if (name.length + key.length < 0) return 0;
    vm.pushBytes(co, value);
    return 1;
  });
  vm.setField(L, 1, "call");
  m._lua_rawseti(L, LUA_REGISTRYINDEX, 900n); // keep the table
  m._lua_rawgeti(L, LUA_REGISTRYINDEX, 900n);
  vm.pushString(L, "redis");
  m._lua_rotate(L, -2, 1);
  m._lua_settop(L, 0);
  // redis = <table> as a global
  const setGlobal = vm.load(L, Buffer.from("redis = ..."), "=set");
  if (setGlobal !== 0) throw new Error("load");
  m._lua_rawgeti(L, LUA_REGISTRYINDEX, 900n);
  m._lua_callk(L, 1, 0, 0, 0);
  const compile = (source: string): number => {
    if (vm.load(L, Buffer.from(source), "@user_script") !== 0) throw new Error(vm.toText(L, -1));
    return m._luaL_ref(L, LUA_REGISTRYINDEX);
  };
  const key = Buffer.from("key:1");
  const hook = vm.registerHook(() => {});
  const setKeys = compile("KEYS = ...");
  const run = (ref: number, withKeys: boolean, withHook = false) => {
    if (withKeys) {
      m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(setKeys));
      m._lua_createtable(L, 1, 0);
      vm.pushBytes(L, key);
      m._lua_rawseti(L, -2, 1n);
      m._lua_callk(L, 1, 0, 0, 0);
    }
    if (withHook) vm.setCountHook(L, hook, 10000);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(ref));
    if (m._lua_pcallk(L, 0, 1, 0, 0, 0) !== 0) throw new Error(vm.toText(L, -1));
    m._lua_settop(L, 0);
    if (withHook) vm.setCountHook(L, 0, 0);
  };
  return { vm, compile, run, L, m };
}

// ------------------------------------------------------------------ fengari

function fengariEngine() {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const value = to_luastring("value");
  lua.lua_createtable(L, 0, 1);
  lua.lua_pushjsfunction(L, (co: unknown) => {
    const name = lua.lua_tolstring(co, 1);
    const key = lua.lua_tolstring(co, 2);
    if (name.length + key.length < 0) return 0;
    lua.lua_pushlstring(co, value, value.length);
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("call"));
  lua.lua_setglobal(L, to_luastring("redis"));
  const compile = (source: string): number => {
    if (lauxlib.luaL_loadstring(L, to_luastring(source)) !== 0) throw new Error(lua.lua_tojsstring(L, -1));
    return lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  };
  const key = to_luastring("key:1");
  const run = (ref: number, withKeys: boolean) => {
    if (withKeys) {
      lua.lua_createtable(L, 1, 0);
      lua.lua_pushlstring(L, key, key.length);
      lua.lua_rawseti(L, -2, 1);
      lua.lua_setglobal(L, to_luastring("KEYS"));
    }
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    if (lua.lua_pcall(L, 0, 1, 0) !== 0) throw new Error(lua.lua_tojsstring(L, -1));
    lua.lua_settop(L, 0);
  };
  const fidelity = (source: string): string => {
    if (lauxlib.luaL_loadstring(L, to_luastring(source)) !== 0) return "syntax error";
    if (lua.lua_pcall(L, 0, 1, 0) !== 0) return `error: ${lua.lua_tojsstring(L, -1)}`;
    const out = lua.lua_tojsstring(L, -1);
    lua.lua_settop(L, 0);
    return out;
  };
  return { compile, run, fidelity };
}

// ------------------------------------------------------------------ run

function heapMb(): number {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.external + usage.arrayBuffers) / 1048576;
}

const before = heapMb();
const w = wasmoonEngine();
const wasmoonState = heapMb() - before;
const f0 = heapMb();
const f = fengariEngine();
const fengariState = heapMb() - f0;

const wCall = w.compile(CALL_SCRIPT);
const wLoop = w.compile(LOOP_SCRIPT);
const wTable = w.compile(TABLE_SCRIPT);
const fCall = f.compile(CALL_SCRIPT);
const fLoop = f.compile(LOOP_SCRIPT);
const fTable = f.compile(TABLE_SCRIPT);

const rows: Array<[string, number, number | null]> = [
  [
    "call (one redis.call + KEYS set-up), us/run",
    time(CALL_RUNS, () => w.run(wCall, true)),
    time(CALL_RUNS, () => f.run(fCall, true)),
  ],
  [
    "loop (1M iterations), ms/run",
    time(HEAVY_RUNS, () => w.run(wLoop, false)) / 1000,
    time(HEAVY_RUNS, () => f.run(fLoop, false)) / 1000,
  ],
  ["loop with the count hook, ms/run", time(HEAVY_RUNS, () => w.run(wLoop, false, true)) / 1000, null],
  [
    "table (100k tables), ms/run",
    time(HEAVY_RUNS, () => w.run(wTable, false)) / 1000,
    time(HEAVY_RUNS, () => f.run(fTable, false)) / 1000,
  ],
];

console.log("| shape | wasmoon 1.16 (Lua 5.4, wasm) | fengari 0.1.5 (Lua 5.3, JS) | ratio |");
console.log("| --- | --- | --- | --- |");
for (const [name, wv, fv] of rows) {
  console.log(
    `| ${name} | ${wv.toFixed(2)} | ${fv === null ? "n/a" : fv.toFixed(2)} | ${fv === null ? "" : `${(fv / wv).toFixed(1)}x`} |`,
  );
}
console.log(
  `| memory of one state with its libraries (MB, heap + external) | ${wasmoonState.toFixed(2)} | ${fengariState.toFixed(2)} | |`,
);
console.log(
  `| WebAssembly linear memory reserved (MB) | ${(w.m.HEAPU8.length / 1048576).toFixed(1)} | - | |`,
);

console.log("\n| Lua 5.1 feature | wasmoon native | fengari native |");
console.log("| --- | --- | --- |");
for (const [name, source] of FIDELITY) {
  const L = w.L;
  const m = w.m;
  let wv: string;
  if (w.vm.load(L, Buffer.from(source), "=f") !== 0) wv = "syntax error";
  else if (m._lua_pcallk(L, 0, 1, 0, 0, 0) !== 0) wv = `error: ${w.vm.toText(L, -1)}`;
  else wv = w.vm.toText(L, -1);
  m._lua_settop(L, 0);
  console.log(`| ${name} | ${wv} | ${f.fidelity(source)} |`);
}
