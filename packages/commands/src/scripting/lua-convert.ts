/*
 * Redis <-> Lua value conversion, with Redis 7.0's rules.
 *
 * Redis -> Lua (what redis.call returns): the reply the command wrote into the
 * script client's writer is parsed from its RESP bytes straight onto the Lua
 * stack. RESP2: integer -> number, bulk -> string, null bulk / null array ->
 * false, array -> table, status -> {ok=...}, error -> {err=...}. RESP3 (after
 * redis.setresp(3)) adds map -> {map={...}}, set -> {set={member=true}}, null ->
 * nil, boolean -> boolean, double -> {double=n}, big number -> {big_number=s},
 * verbatim -> {verbatim_string={format=f, string=s}}.
 *
 * Lua -> Redis (what a script returns): string -> bulk, number -> integer
 * (floats truncated), boolean -> :1 / null under RESP2 script replies and a
 * boolean after redis.setresp(3), tables with err / ok / double / big_number /
 * map / set / verbatim_string fields -> that reply type, other tables -> array
 * up to the first nil, anything else -> null.
 */

import type { ReplyWriter } from "@spinel/resp";
import { LUA_REGISTRYINDEX, LuaType, type LuaVm } from "./lua-vm.js";

/** Redis' limit on nested replies a script may build or receive. */
const MAX_DEPTH = 1000;

// ------------------------------------------------------------------ Redis -> Lua

/** BigInts of the first table indexes, made once (the C API takes lua_Integer as a BigInt). */
const SMALL_INDEXES: bigint[] = [];
for (let i = 0; i < 256; i++) SMALL_INDEXES.push(BigInt(i));

/** `i` as a lua_Integer argument (a table index, a registry ref), cached when small. */
export function luaIndex(i: number): bigint {
  return i < 256 ? SMALL_INDEXES[i]! : BigInt(i);
}

/**
 * The decimal number in buf[start, end) of a RESP header our ReplyWriter wrote
 * (an optional minus sign, then digits), without making a string. Callers
 * bound the length so the result stays exact.
 */
function headerNumber(buf: Buffer, start: number, end: number): number {
  let i = start;
  const negative = buf[i] === 45;
  if (negative) i++;
  let n = 0;
  for (; i < end; i++) n = n * 10 + (buf[i]! - 48);
  return negative ? -n : n;
}

/** Position of the CR ending the line that starts at `pos` (a JS scan: RESP header lines are short). */
function lineEndOf(buf: Buffer, pos: number): number {
  let i = pos + 1;
  while (buf[i] !== 13) i++;
  return i;
}

/**
 * Parse one RESP value from `buf` at `pos` and push it on L's stack; returns the
 * position after it. The bytes were written by our own ReplyWriter, so they are
 * well formed (every line ends with CRLF).
 */
export function pushReply(vm: LuaVm, L: number, buf: Buffer, pos: number): number {
  const m = vm.m;
  const type = buf[pos]!;
  const lineEnd = type === 43 || type === 45 ? buf.indexOf(13, pos) : lineEndOf(buf, pos);
  const next = lineEnd + 2;
  switch (type) {
    case 43: // + status
      m._lua_createtable(L, 0, 1);
      vm.pushRange(L, buf, pos + 1, lineEnd);
      vm.setField(L, m._lua_gettop(L) - 1, "ok");
      return next;
    case 45: // - error
      m._lua_createtable(L, 0, 1);
      vm.pushRange(L, buf, pos + 1, lineEnd);
      vm.setField(L, m._lua_gettop(L) - 1, "err");
      return next;
    case 58: {
      // : integer
      const n = lineEnd - pos <= 16 ? headerNumber(buf, pos + 1, lineEnd) : Number.NaN;
      if (Number.isSafeInteger(n)) m._lua_pushinteger(L, n >= 0 ? luaIndex(n) : BigInt(n));
      else m._lua_pushinteger(L, BigInt(buf.toString("latin1", pos + 1, lineEnd)));
      return next;
    }
    case 36: {
      // $ bulk
      const len = headerNumber(buf, pos + 1, lineEnd);
      if (len < 0) {
        m._lua_pushboolean(L, 0);
        return next;
      }
      vm.pushRange(L, buf, next, next + len);
      return next + len + 2;
    }
    case 42: {
      // * array
      const n = headerNumber(buf, pos + 1, lineEnd);
      if (n < 0) {
        m._lua_pushboolean(L, 0);
        return next;
      }
      m._lua_checkstack(L, 4);
      m._lua_createtable(L, n, 0);
      let p = next;
      for (let i = 1; i <= n; i++) {
        p = pushReply(vm, L, buf, p);
        m._lua_rawseti(L, -2, luaIndex(i));
      }
      return p;
    }
    case 37: // % map
    case 126: {
      // ~ set
      const n = Number(buf.toString("latin1", pos + 1, lineEnd));
      m._lua_createtable(L, 0, 1);
      m._lua_createtable(L, 0, n);
      let p = next;
      for (let i = 0; i < n; i++) {
        p = pushReply(vm, L, buf, p);
        if (type === 37) p = pushReply(vm, L, buf, p);
        else m._lua_pushboolean(L, 1);
        m._lua_rawset(L, -3);
      }
      vm.setField(L, m._lua_gettop(L) - 1, type === 37 ? "map" : "set");
      return p;
    }
    case 95: // _ null
      m._lua_pushnil(L);
      return next;
    case 35: // # boolean
      m._lua_pushboolean(L, buf[pos + 1] === 116 ? 1 : 0);
      return next;
    case 44: {
      // , double
      const text = buf.toString("latin1", pos + 1, lineEnd);
      m._lua_createtable(L, 0, 1);
      m._lua_pushnumber(L, text === "inf" ? Infinity : text === "-inf" ? -Infinity : Number(text));
      vm.setField(L, m._lua_gettop(L) - 1, "double");
      return next;
    }
    case 40: // ( big number
      m._lua_createtable(L, 0, 1);
      vm.pushBytes(L, buf.subarray(pos + 1, lineEnd));
      vm.setField(L, m._lua_gettop(L) - 1, "big_number");
      return next;
    case 61: {
      // = verbatim
      const len = Number(buf.toString("latin1", pos + 1, lineEnd));
      m._lua_createtable(L, 0, 1);
      m._lua_createtable(L, 0, 2);
      const inner = m._lua_gettop(L);
      vm.pushBytes(L, buf.subarray(next, next + 3));
      vm.setField(L, inner, "format");
      vm.pushBytes(L, buf.subarray(next + 4, next + len));
      vm.setField(L, inner, "string");
      vm.setField(L, inner - 1, "verbatim_string");
      return next + len + 2;
    }
    case 124: {
      // | attribute: skipped, the value follows
      const n = Number(buf.toString("latin1", pos + 1, lineEnd));
      let p = next;
      for (let i = 0; i < n * 2; i++) {
        p = pushReply(vm, L, buf, p);
        m._lua_settop(L, -2);
      }
      return pushReply(vm, L, buf, p);
    }
    default: {
      // > push and anything unexpected: an array of its items.
      const n = Number(buf.toString("latin1", pos + 1, lineEnd));
      m._lua_createtable(L, n, 0);
      let p = next;
      for (let i = 1; i <= n; i++) {
        p = pushReply(vm, L, buf, p);
        m._lua_rawseti(L, -2, luaIndex(i));
      }
      return p;
    }
  }
}

// ------------------------------------------------------------------ Lua -> Redis

/** The integer a Lua number becomes in a reply: C's (long long) cast of the double. */
function numberToInteger(vm: LuaVm, L: number, idx: number): number | bigint {
  const m = vm.m;
  if (m._lua_isinteger(L, idx) !== 0) {
    const v = m._lua_tointegerx(L, idx, 0);
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  const d = m._lua_tonumberx(L, idx, 0);
  if (!Number.isFinite(d) || d >= 2 ** 63 || d < -(2 ** 63)) {
    return -9223372036854775808n;
  }
  const t = Math.trunc(d);
  return Number.isSafeInteger(t) ? t : BigInt(t);
}

/** Text of a string field of the table at `tableIdx`, or null when absent / not a string. */
function stringField(vm: LuaVm, L: number, tableIdx: number, key: string): Buffer | null {
  const type = vm.getField(L, tableIdx, key);
  if (type !== LuaType.String) {
    vm.m._lua_settop(L, -2);
    return null;
  }
  const value = vm.toBuffer(L, -1);
  vm.m._lua_settop(L, -2);
  return value;
}

/**
 * Write the Lua value at `idx` of L into `out`, Redis' luaReplyToRedisReply.
 * `scriptResp` is the protocol the script chose with redis.setresp (it decides
 * how booleans are sent).
 */
export function writeLuaValue(
  vm: LuaVm,
  L: number,
  idx: number,
  out: ReplyWriter,
  scriptResp: number,
  depth = 0,
): void {
  const m = vm.m;
  const abs = idx < 0 ? m._lua_gettop(L) + idx + 1 : idx;
  const type = m._lua_type(L, abs) as LuaType;
  switch (type) {
    case LuaType.String: {
      // Copied from the WebAssembly heap straight into the reply.
      const ptr = vm.stringAt(L, abs);
      out.bulkSlice(vm.heapBuffer, ptr, ptr + vm.stringLength);
      return;
    }
    case LuaType.Boolean:
      if (scriptResp === 2) {
        if (m._lua_toboolean(L, abs) !== 0) out.integer(1);
        else if (out.protocol === 3) out.raw(RESP3_NULL);
        else out.nullBulk();
      } else {
        out.bool(m._lua_toboolean(L, abs) !== 0);
      }
      return;
    case LuaType.Number:
      out.integer(numberToInteger(vm, L, abs));
      return;
    case LuaType.Table:
      break;
    default:
      if (out.protocol === 3) out.raw(RESP3_NULL);
      else out.nullBulk();
      return;
  }
  if (depth > MAX_DEPTH) {
    out.error("ERR reached lua stack limit");
    return;
  }
  m._lua_checkstack(L, 8);
  const err = stringField(vm, L, abs, "err");
  if (err !== null) {
    out.error(err.toString("utf8"));
    return;
  }
  const ok = stringField(vm, L, abs, "ok");
  if (ok !== null) {
    out.simple(ok.toString("latin1").replace(/[\r\n]/g, " "));
    return;
  }
  if (vm.getField(L, abs, "double") === LuaType.Number) {
    out.double(m._lua_tonumberx(L, -1, 0));
    m._lua_settop(L, -2);
    return;
  }
  m._lua_settop(L, -2);
  const big = stringField(vm, L, abs, "big_number");
  if (big !== null) {
    out.bigNumber(big.toString("latin1"));
    return;
  }
  if (vm.getField(L, abs, "map") === LuaType.Table) {
    const mapIdx = m._lua_gettop(L);
    const token = out.beginDeferredLength();
    let n = 0;
    m._lua_pushnil(L);
    while (m._lua_next(L, mapIdx) !== 0) {
      writeLuaValue(vm, L, -2, out, scriptResp, depth + 1);
      writeLuaValue(vm, L, -1, out, scriptResp, depth + 1);
      m._lua_settop(L, -2);
      n++;
    }
    out.setDeferredLength(token, n, "map");
    m._lua_settop(L, -2);
    return;
  }
  m._lua_settop(L, -2);
  if (vm.getField(L, abs, "set") === LuaType.Table) {
    const setIdx = m._lua_gettop(L);
    const token = out.beginDeferredLength();
    let n = 0;
    m._lua_pushnil(L);
    while (m._lua_next(L, setIdx) !== 0) {
      writeLuaValue(vm, L, -2, out, scriptResp, depth + 1);
      m._lua_settop(L, -2);
      n++;
    }
    out.setDeferredLength(token, n, "set");
    m._lua_settop(L, -2);
    return;
  }
  m._lua_settop(L, -2);
  if (vm.getField(L, abs, "verbatim_string") === LuaType.Table) {
    const vIdx = m._lua_gettop(L);
    const format = stringField(vm, L, vIdx, "format");
    const text = stringField(vm, L, vIdx, "string");
    m._lua_settop(L, -2);
    if (format !== null && text !== null) {
      out.verbatim(text.toString("latin1"), format.toString("latin1"));
      return;
    }
  } else {
    m._lua_settop(L, -2);
  }
  // An array: elements 1, 2, ... up to the first nil.
  const token = out.beginDeferredLength();
  let n = 0;
  for (;;) {
    if ((m._lua_rawgeti(L, abs, BigInt(n + 1)) as LuaType) === LuaType.Nil) {
      m._lua_settop(L, -2);
      break;
    }
    writeLuaValue(vm, L, -1, out, scriptResp, depth + 1);
    m._lua_settop(L, -2);
    n++;
  }
  out.setDeferredLength(token, n);
}

const RESP3_NULL = Buffer.from("_\r\n");

/** Push the registry value `ref` on L. */
export function pushRef(vm: LuaVm, L: number, ref: number): void {
  vm.m._lua_rawgeti(L, LUA_REGISTRYINDEX, luaIndex(ref));
}
