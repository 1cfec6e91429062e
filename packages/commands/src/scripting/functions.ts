/*
 * Function libraries (Redis 7.0's functions.c + function_lua.c): FUNCTION LOAD
 * compiles a library whose first line is `#!lua name=<lib>`, runs its body once
 * with redis.register_function available, and keeps the registered functions,
 * which FCALL / FCALL_RO then run through the script engine.
 *
 * FUNCTION DUMP / RESTORE use Redis' payload: for each library the RDB opcode
 * FUNCTION2 (245) and the library code as an RDB string, then the RDB version
 * (2 bytes, little-endian) and the CRC-64 of everything before (8 bytes,
 * little-endian). The code is LZF-compressed as Redis does it, so payloads are
 * byte-identical to redis-server's and move both ways.
 */

import { Crc64, lzfCompress, lzfDecompress } from "@spinel/core-db";
import type { ServerState } from "../server-state.js";
import { pushRef } from "./lua-convert.js";
import { LUA_REGISTRYINDEX, LuaStatus, LuaType } from "./lua-vm.js";
import {
  existingScriptEngine,
  SCRIPT_FLAG_NAMES,
  type ScriptEngine,
  scriptEngineOf,
} from "./script-engine.js";

/** RDB_OPCODE_FUNCTION2. */
export const RDB_OPCODE_FUNCTION2 = 245;
/** RDB version of Redis 7.0 payloads. */
export const RDB_VERSION = 10;

/** One registered function. */
export interface RegisteredFunction {
  readonly name: string;
  readonly ref: number;
  readonly flags: number;
  readonly description: string | null;
  readonly library: FunctionLibrary;
}

/** One loaded library. */
export class FunctionLibrary {
  readonly name: string;
  readonly code: Buffer;
  readonly functions: Map<string, RegisteredFunction>;
  /**
   * Bytes of the Lua heap the library still holds after loading (its
   * environment, compiled code and closures): the heap after a full collection
   * once loaded, less the heap after one before (INFO used_memory_vm_functions).
   */
  heapBytes: number;

  constructor(name: string, code: Buffer) {
    this.name = name;
    this.code = code;
    this.functions = new Map();
    this.heapBytes = 0;
  }

  /** Bytes of what the registry keeps besides the Lua heap: code, names, descriptions. */
  get metadataBytes(): number {
    let bytes = this.code.length + this.name.length;
    for (const fn of this.functions.values()) bytes += fn.name.length + (fn.description?.length ?? 0);
    return bytes;
  }
}

const NAME_PATTERN = /^[A-Za-z0-9_]+$/;

/** The libraries and functions of one server. */
export class FunctionRegistry {
  readonly engine: ScriptEngine;
  readonly libraries: Map<string, FunctionLibrary>;
  readonly functions: Map<string, RegisteredFunction>;

  constructor(engine: ScriptEngine) {
    this.engine = engine;
    this.libraries = new Map();
    this.functions = new Map();
  }

  /**
   * FUNCTION LOAD: compile and register the library in `code`. Returns the
   * library name, or an error reply text (nothing changes on error).
   */
  load(code: Buffer, replace: boolean): { name: string } | { error: string } {
    const compiled = this.compileLibrary(code);
    if ("error" in compiled) return compiled;
    const library = compiled.library;
    const existing = this.libraries.get(library.name);
    if (existing !== undefined && !replace) {
      this.release(library);
      return { error: `ERR Library '${library.name}' already exists` };
    }
    for (const fn of library.functions.values()) {
      const other = this.functions.get(fn.name);
      if (other !== undefined && other.library.name !== library.name) {
        this.release(library);
        return { error: `ERR Function ${fn.name} already exists` };
      }
    }
    if (existing !== undefined) this.remove(existing);
    this.add(library);
    return { name: library.name };
  }

  /** Parse the shebang, compile and run the library body; nothing is registered yet. */
  compileLibrary(code: Buffer): { library: FunctionLibrary } | { error: string } {
    if (code.length < 2 || code[0] !== 35 || code[1] !== 33) return { error: "ERR Missing library metadata" };
    let end = code.indexOf(10);
    if (end === -1) end = code.length;
    const parts = code
      .toString("latin1", 2, end)
      .split(" ")
      .filter((p) => p.length > 0);
    const engineName = parts[0] ?? "";
    let name: string | null = null;
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.startsWith("name=")) name = part.slice(5);
      else return { error: `ERR Invalid metadata value given: ${part}` };
    }
    if (engineName.toLowerCase() !== "lua") return { error: `ERR Engine '${engineName}' not found` };
    if (name === null) return { error: "ERR Library name was not given" };
    if (!NAME_PATTERN.test(name)) {
      return {
        error:
          "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
      };
    }
    const library = new FunctionLibrary(name, Buffer.from(code));
    const engine = this.engine;
    const heapBefore = engine.memoryBytes(true);
    const vm = engine.vm;
    const L = vm.L;
    const m = vm.m;
    const body = Buffer.from(code);
    body[0] = 45; // the shebang line stays, as a comment, so line numbers match
    body[1] = 45;
    pushRef(vm, L, engine.libraryEnvBuilderRef);
    m._lua_callk(L, 0, 2, 0, 0);
    const finishRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    const envRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    const fnRef = engine.compile(body, "@user_function", envRef);
    m._luaL_unref(L, LUA_REGISTRYINDEX, envRef);
    if (typeof fnRef === "string") {
      m._luaL_unref(L, LUA_REGISTRYINDEX, finishRef);
      return { error: `ERR Error compiling function: ${fnRef}` };
    }
    let registrationError: string | null = null;
    engine.registerFunction = (co) => {
      const error = this.registerFromLua(co, library);
      if (error === null) return 0;
      registrationError = error;
      vm.pushString(co, error);
      return m._lua_error(co);
    };
    pushRef(vm, L, fnRef);
    const status = m._lua_pcallk(L, 0, 0, 0, 0, 0) as LuaStatus;
    engine.registerFunction = null;
    engine.unref(fnRef);
    // The library's functions run with the full script environment from now on.
    pushRef(vm, L, finishRef);
    m._lua_callk(L, 0, 0, 0, 0);
    m._luaL_unref(L, LUA_REGISTRYINDEX, finishRef);
    if (status !== LuaStatus.Ok) {
      const message = registrationError ?? `ERR ${vm.toText(L, -1)}`;
      m._lua_settop(L, 0);
      this.release(library);
      return { error: `ERR Error registering functions: ${message}` };
    }
    if (library.functions.size === 0) {
      this.release(library);
      return { error: "ERR No functions registered" };
    }
    library.heapBytes = Math.max(0, engine.memoryBytes(true) - heapBefore);
    return { library };
  }

  /** redis.register_function(name, callback) or redis.register_function{...}. */
  private registerFromLua(L: number, library: FunctionLibrary): string | null {
    const engine = this.engine;
    const vm = engine.vm;
    const m = vm.m;
    const argc = m._lua_gettop(L);
    let nameIdx: number;
    let callbackIdx: number;
    let flags = 0;
    let description: string | null = null;
    if (argc === 1) {
      if ((m._lua_type(L, 1) as LuaType) !== LuaType.Table) {
        return "ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).";
      }
      m._lua_pushnil(L);
      let name: number | null = null;
      let callback: number | null = null;
      while (m._lua_next(L, 1) !== 0) {
        if ((m._lua_type(L, -2) as LuaType) !== LuaType.String)
          return "ERR named argument key given to redis.register_function is not a string";
        const key = vm.toText(L, -2);
        const valueType = m._lua_type(L, -1) as LuaType;
        if (key === "function_name") {
          if (valueType !== LuaType.String)
            return "ERR function_name argument given to redis.register_function must be a string";
          name = m._lua_gettop(L);
          m._lua_pushvalue(L, -2); // keep the value, continue from the key
          continue;
        }
        if (key === "callback") {
          if (valueType !== LuaType.Function)
            return "ERR callback argument given to redis.register_function must be a function";
          callback = m._lua_gettop(L);
          m._lua_pushvalue(L, -2);
          continue;
        }
        if (key === "description") {
          if (valueType !== LuaType.String)
            return "ERR description argument given to redis.register_function must be a string";
          description = vm.toText(L, -1);
        } else if (key === "flags") {
          if (valueType !== LuaType.Table)
            return "ERR flags argument to redis.register_function must be a table representing function flags";
          const flagsIdx = m._lua_gettop(L);
          for (let i = 1; ; i++) {
            const t = m._lua_rawgeti(L, flagsIdx, BigInt(i)) as LuaType;
            if (t === LuaType.Nil) {
              m._lua_settop(L, -2);
              break;
            }
            if (t !== LuaType.String) return "ERR unknown flag given";
            const flagName = vm.toText(L, -1);
            m._lua_settop(L, -2);
            const known = SCRIPT_FLAG_NAMES.find(([n]) => n === flagName);
            if (known === undefined) return "ERR unknown flag given";
            flags |= known[1];
          }
        } else {
          return "ERR unknown argument given to redis.register_function";
        }
        m._lua_settop(L, -2);
      }
      if (name === null) return "ERR redis.register_function must get a function name argument";
      if (callback === null) return "ERR redis.register_function must get a callback argument";
      nameIdx = name;
      callbackIdx = callback;
    } else if (argc === 2) {
      if ((m._lua_type(L, 1) as LuaType) !== LuaType.String)
        return "ERR first argument to redis.register_function must be a string";
      if ((m._lua_type(L, 2) as LuaType) !== LuaType.Function)
        return "ERR second argument to redis.register_function must be a function";
      nameIdx = 1;
      callbackIdx = 2;
    } else {
      return "ERR wrong number of arguments to redis.register_function";
    }
    const name = vm.toText(L, nameIdx);
    if (!NAME_PATTERN.test(name)) {
      return "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
    }
    if (library.functions.has(name)) return "ERR Function already exists in the library";
    m._lua_pushvalue(L, callbackIdx);
    const ref = m._luaL_ref(L, LUA_REGISTRYINDEX);
    library.functions.set(name, { name, ref, flags, description, library });
    return null;
  }

  private add(library: FunctionLibrary): void {
    this.libraries.set(library.name, library);
    for (const fn of library.functions.values()) this.functions.set(fn.name, fn);
  }

  /** Forget a library and its functions. */
  remove(library: FunctionLibrary): void {
    this.libraries.delete(library.name);
    for (const fn of library.functions.values()) this.functions.delete(fn.name);
    this.release(library);
  }

  private release(library: FunctionLibrary): void {
    for (const fn of library.functions.values()) this.engine.unref(fn.ref);
  }

  /** FUNCTION FLUSH. */
  flush(): void {
    for (const library of [...this.libraries.values()]) this.remove(library);
  }

  /** FUNCTION DUMP: the payload of every library. */
  dump(): Buffer {
    const parts: Buffer[] = [];
    for (const library of this.libraries.values()) {
      parts.push(Buffer.from([RDB_OPCODE_FUNCTION2]));
      parts.push(encodeRdbString(library.code));
    }
    const version = Buffer.alloc(2);
    version.writeUInt16LE(RDB_VERSION);
    parts.push(version);
    const body = Buffer.concat(parts);
    const crc = new Crc64();
    crc.update(body);
    return Buffer.concat([body, crc.toBytes()]);
  }

  /**
   * FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]. Returns null or an error
   * reply text; on error nothing changes.
   */
  restore(payload: Buffer, policy: "flush" | "append" | "replace"): string | null {
    if (payload.length < 10) return "ERR DUMP payload version or checksum are wrong";
    const footer = payload.length - 10;
    const version = payload.readUInt16LE(footer);
    const crc = new Crc64();
    crc.update(payload, 0, footer + 2);
    if (version > RDB_VERSION || !crc.matches(payload, footer + 2)) {
      return "ERR DUMP payload version or checksum are wrong";
    }
    const codes: Buffer[] = [];
    let pos = 0;
    while (pos < footer) {
      if (payload[pos] !== RDB_OPCODE_FUNCTION2) return "ERR given type is not a function";
      const parsed = decodeRdbString(payload, pos + 1, footer);
      if (parsed === null) return "ERR DUMP payload version or checksum are wrong";
      codes.push(parsed.value);
      pos = parsed.end;
    }
    const compiled = this.compileAll(codes);
    if ("error" in compiled) return compiled.error;
    return this.install(compiled.libraries, policy);
  }

  /** Lua heap bytes the libraries hold, as measured when each was loaded. */
  get heapBytes(): number {
    let bytes = 0;
    for (const library of this.libraries.values()) bytes += library.heapBytes;
    return bytes;
  }

  /** Bytes of the libraries' code, names and descriptions (INFO used_memory_functions). */
  get metadataBytes(): number {
    let bytes = 0;
    for (const library of this.libraries.values()) bytes += library.metadataBytes;
    return bytes;
  }

  /** The code of every library, in load order (what RDB and AOF files carry). */
  libraryCodes(): Buffer[] {
    return [...this.libraries.values()].map((library) => library.code);
  }

  /**
   * Replace every library with the ones in `codes` (an RDB file's, a full
   * sync's). Returns null, or why not (a library that does not compile, two
   * with the same name or function); on error nothing changes.
   */
  replaceAll(codes: readonly Buffer[]): string | null {
    const compiled = this.compileAll(codes);
    if ("error" in compiled) return compiled.error;
    const names = new Set<string>();
    const functionNames = new Set<string>();
    for (const library of compiled.libraries) {
      let duplicate: string | null = names.has(library.name)
        ? `ERR Library ${library.name} already exists`
        : null;
      for (const fn of library.functions.keys()) {
        if (duplicate === null && functionNames.has(fn)) duplicate = `ERR Function ${fn} already exists`;
        functionNames.add(fn);
      }
      names.add(library.name);
      if (duplicate !== null) {
        for (const other of compiled.libraries) this.release(other);
        return duplicate;
      }
    }
    return this.install(compiled.libraries, "flush");
  }

  /** Compile every code; on the first error release what compiled and return it. */
  private compileAll(codes: readonly Buffer[]): { libraries: FunctionLibrary[] } | { error: string } {
    const libraries: FunctionLibrary[] = [];
    for (const code of codes) {
      const result = this.compileLibrary(code);
      if ("error" in result) {
        for (const library of libraries) this.release(library);
        return result;
      }
      libraries.push(result.library);
    }
    return { libraries };
  }

  /** Add compiled libraries under a restore policy, after checking collisions; null or an error. */
  private install(compiled: FunctionLibrary[], policy: "flush" | "append" | "replace"): string | null {
    // Check collisions before changing anything.
    const names = new Set<string>();
    const functionNames = new Map<string, string>();
    for (const library of compiled) {
      names.add(library.name);
      for (const fn of library.functions.keys()) functionNames.set(fn, library.name);
    }
    const failWith = (message: string): string => {
      for (const library of compiled) this.release(library);
      return message;
    };
    if (policy === "append") {
      for (const name of names) {
        if (this.libraries.has(name)) return failWith(`ERR Library ${name} already exists`);
      }
    }
    if (policy !== "flush") {
      for (const [fn, libName] of functionNames) {
        const other = this.functions.get(fn);
        if (
          other !== undefined &&
          !(policy === "replace" && names.has(other.library.name)) &&
          other.library.name !== libName
        ) {
          return failWith(`ERR Function ${fn} already exists`);
        }
      }
    }
    if (policy === "flush") this.flush();
    for (const library of compiled) {
      const existing = this.libraries.get(library.name);
      if (existing !== undefined) this.remove(existing);
      this.add(library);
    }
    return null;
  }
}

// ------------------------------------------------------------------ RDB strings

/**
 * An RDB string as Redis saves it with rdbcompression on: LZF-compressed when
 * longer than 20 bytes and the compressed form saves at least 4 bytes, else plain.
 */
function encodeRdbString(value: Buffer): Buffer {
  if (value.length > 20) {
    const compressed = lzfCompress(value, value.length - 4);
    if (compressed !== null) {
      return Buffer.concat([
        Buffer.from([0xc3]),
        encodeRdbLength(compressed.length),
        encodeRdbLength(value.length),
        compressed,
      ]);
    }
  }
  return Buffer.concat([encodeRdbLength(value.length), value]);
}

/** An RDB length prefix. */
function encodeRdbLength(n: number): Buffer {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const out = Buffer.alloc(5);
  out[0] = 0x80;
  out.writeUInt32BE(n, 1);
  return out;
}

/** Read an RDB length at `pos`: the value and where it ends, or the special encoding. */
function decodeRdbLength(buf: Buffer, pos: number): { value: number; end: number; special: boolean } | null {
  if (pos >= buf.length) return null;
  const first = buf[pos]!;
  const kind = first >> 6;
  if (kind === 0) return { value: first & 0x3f, end: pos + 1, special: false };
  if (kind === 1)
    return pos + 1 < buf.length
      ? { value: ((first & 0x3f) << 8) | buf[pos + 1]!, end: pos + 2, special: false }
      : null;
  if (kind === 3) return { value: first & 0x3f, end: pos + 1, special: true };
  if (first === 0x80)
    return pos + 5 <= buf.length ? { value: buf.readUInt32BE(pos + 1), end: pos + 5, special: false } : null;
  if (first === 0x81)
    return pos + 9 <= buf.length
      ? { value: Number(buf.readBigUInt64BE(pos + 1)), end: pos + 9, special: false }
      : null;
  return null;
}

/** Read an RDB string (plain, integer-encoded or LZF-compressed) at `pos`. */
function decodeRdbString(buf: Buffer, pos: number, limit: number): { value: Buffer; end: number } | null {
  const length = decodeRdbLength(buf, pos);
  if (length === null) return null;
  if (!length.special) {
    const end = length.end + length.value;
    if (end > limit) return null;
    return { value: Buffer.from(buf.subarray(length.end, end)), end };
  }
  switch (length.value) {
    case 0:
      return { value: Buffer.from(String(buf.readInt8(length.end))), end: length.end + 1 };
    case 1:
      return { value: Buffer.from(String(buf.readInt16LE(length.end))), end: length.end + 2 };
    case 2:
      return { value: Buffer.from(String(buf.readInt32LE(length.end))), end: length.end + 4 };
    case 3: {
      const compressed = decodeRdbLength(buf, length.end);
      if (compressed === null) return null;
      const plain = decodeRdbLength(buf, compressed.end);
      if (plain === null) return null;
      const end = plain.end + compressed.value;
      if (end > limit) return null;
      try {
        return { value: lzfDecompress(buf.subarray(plain.end, end), plain.value), end };
      } catch {
        return null; // malformed LZF data: the payload is refused
      }
    }
    default:
      return null;
  }
}

// ------------------------------------------------------------------ per-engine registry

const registries = new WeakMap<ScriptEngine, FunctionRegistry>();

/** The function registry that lives with `engine`. */
export function functionRegistryOf(engine: ScriptEngine): FunctionRegistry {
  let registry = registries.get(engine);
  if (registry === undefined) {
    registry = new FunctionRegistry(engine);
    registries.set(engine, registry);
  }
  return registry;
}

/**
 * The code of every function library of `server`, in load order: what an RDB
 * file, an AOF base or a full sync carries. Empty, without starting a Lua
 * state, when the server never ran a script.
 */
export function functionLibraryCodes(server: ServerState): Buffer[] {
  const engine = existingScriptEngine(server);
  return engine === undefined ? [] : functionRegistryOf(engine).libraryCodes();
}

/**
 * Replace the function libraries of `server` with `codes` (loading an RDB file
 * or a full sync: the file's libraries, none when it has none). Returns null,
 * or an error text and nothing changed. Starts the Lua state only when there
 * is code to load.
 */
export function restoreFunctionLibraries(server: ServerState, codes: readonly Buffer[]): string | null {
  const engine = codes.length > 0 ? scriptEngineOf(server) : existingScriptEngine(server);
  if (engine === undefined) return null;
  return functionRegistryOf(engine).replaceAll(codes);
}
