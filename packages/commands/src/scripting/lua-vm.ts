/*
 * LuaVm: one Lua 5.4 state of the WebAssembly build that the `wasmoon` package
 * ships, driven through its raw C API (not wasmoon's object-mapping layer, whose
 * per-call conversions cost more than the whole redis.call they wrap).
 *
 * Strings cross as bytes: Lua strings are read from the WebAssembly heap into
 * Buffers and Buffers are copied into a scratch area and pushed with
 * lua_pushlstring, so binary keys and values survive. Native functions are
 * JavaScript closures registered in the module's function table; they raise Lua
 * errors with lua_error, which unwinds through the WebAssembly frames (it throws,
 * so it must never be called inside a try block).
 *
 * The module is compiled once per process, at import time (top-level await): a
 * command handler cannot wait for it. Its bytes get one patch first, so that
 * floats print as Lua 5.1 prints them (see withLua51FloatText).
 */

import { LuaWasm } from "wasmoon";

/** Lua type tags (lua.h). */
export enum LuaType {
  None = -1,
  Nil = 0,
  Boolean = 1,
  LightUserdata = 2,
  Number = 3,
  String = 4,
  Table = 5,
  Function = 6,
  Userdata = 7,
  Thread = 8,
}

/** Status codes of lua_resume / lua_pcall (lua.h). */
export enum LuaStatus {
  Ok = 0,
  Yield = 1,
  ErrRun = 2,
  ErrSyntax = 3,
  ErrMem = 4,
  ErrErr = 5,
}

/** LUA_REGISTRYINDEX for the default LUAI_MAXSTACK of one million slots. */
export const LUA_REGISTRYINDEX = -1001000;
const LUA_MASKCOUNT = 1 << 3;

/** The raw exports of the Emscripten module that this file calls. */
interface RawModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  addFunction(fn: (...args: number[]) => number | undefined, signature: string): number;
  removeFunction(ptr: number): void;
  _luaL_newstate(): number;
  _luaL_openlibs(L: number): void;
  _lua_close(L: number): void;
  _lua_gettop(L: number): number;
  _lua_settop(L: number, idx: number): void;
  _lua_type(L: number, idx: number): number;
  _lua_tolstring(L: number, idx: number, lenPtr: number): number;
  _lua_tonumberx(L: number, idx: number, isnum: number): number;
  _lua_tointegerx(L: number, idx: number, isnum: number): bigint;
  _lua_isinteger(L: number, idx: number): number;
  _lua_toboolean(L: number, idx: number): number;
  _lua_pushnil(L: number): void;
  _lua_pushnumber(L: number, n: number): void;
  _lua_pushinteger(L: number, n: bigint): void;
  _lua_pushlstring(L: number, ptr: number, len: number): number;
  _lua_pushboolean(L: number, b: number): void;
  _lua_pushlightuserdata(L: number, p: number): void;
  _lua_pushvalue(L: number, idx: number): void;
  _lua_pushcclosure(L: number, fn: number, n: number): void;
  _lua_createtable(L: number, narr: number, nrec: number): void;
  _lua_rawset(L: number, idx: number): void;
  _lua_rawseti(L: number, idx: number, n: bigint): void;
  _lua_rawget(L: number, idx: number): number;
  _lua_rawgeti(L: number, idx: number, n: bigint): number;
  _lua_rawlen(L: number, idx: number): number;
  _lua_next(L: number, idx: number): number;
  _lua_callk(L: number, nargs: number, nresults: number, ctx: number, k: number): void;
  _lua_pcallk(L: number, nargs: number, nresults: number, errfunc: number, ctx: number, k: number): number;
  _lua_newthread(L: number): number;
  _lua_resume(L: number, from: number, nargs: number, nresPtr: number): number;
  _lua_resetthread(L: number): number;
  _lua_xmove(from: number, to: number, n: number): void;
  _lua_error(L: number): number;
  _lua_yieldk(L: number, nresults: number, ctx: number, k: number): number;
  _lua_isyieldable(L: number): number;
  _lua_sethook(L: number, fn: number, mask: number, count: number): void;
  _lua_rotate(L: number, idx: number, n: number): void;
  _lua_checkstack(L: number, n: number): number;
  _lua_concat(L: number, n: number): void;
  _luaL_where(L: number, level: number): void;
  _lua_pushthread(L: number): number;
  _luaL_loadbufferx(L: number, buf: number, size: number, name: number, mode: number): number;
  _luaL_ref(L: number, t: number): number;
  _luaL_unref(L: number, t: number, ref: number): void;
}

/**
 * The character set Lua 5.4's number-to-string conversion (lobject.c,
 * tostringbuff) scans with strspn() to decide whether "%.14g" produced
 * something that reads like an integer, in which case it appends ".0" so the
 * text reads back as a float. Lua 5.1, which Redis embeds, has no integer
 * subtype and never appends it: `(6/2) .. ""` is "3" there and "3.0" in 5.4.
 */
const FLOAT_SUFFIX_CHARSET = Buffer.from("-0123456789\0", "latin1");

/**
 * Make a copy of the module's bytes in which that character set is empty (its
 * first byte a NUL), so that strspn() stops at once and no ".0" is appended:
 * every conversion of a float to text (concatenation, lua_tolstring, "%s")
 * then prints as Lua 5.1 prints it. The set is patched only when it occurs
 * exactly once in the binary (a C string literal the build does not share with
 * other code); otherwise the bytes are returned unchanged and the 5.4 suffix
 * remains (the differential corpus would show it).
 */
function withLua51FloatText(bytes: Uint8Array): Uint8Array {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = view.indexOf(FLOAT_SUFFIX_CHARSET);
  if (at === -1 || view.indexOf(FLOAT_SUFFIX_CHARSET, at + 1) !== -1) return bytes;
  const patched = Buffer.from(view);
  patched[at] = 0;
  return patched;
}

/**
 * Compile the module, keeping the WebAssembly instance's own exports: the
 * module's `_lua_*` functions wrap each export in a checking closure that
 * builds its assertion messages on every call (about 0.4 us per call), which
 * would cost more than the Lua work of a short script.
 */
async function initialize(): Promise<RawModule> {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  let exports: Record<string, unknown> | null = null;
  const instantiate = api.instantiate;
  api.instantiate = async (...args: unknown[]) => {
    const source = args[0];
    if (source instanceof Uint8Array) args[0] = withLua51FloatText(source);
    else if (source instanceof ArrayBuffer) args[0] = withLua51FloatText(new Uint8Array(source));
    const result = (await instantiate.apply(api, args)) as {
      instance?: { exports: Record<string, unknown> };
    } & {
      exports?: Record<string, unknown>;
    };
    exports = result.instance !== undefined ? result.instance.exports : (result.exports ?? null);
    return result;
  };
  let wasm: LuaWasm;
  try {
    wasm = await LuaWasm.initialize();
  } finally {
    api.instantiate = instantiate;
  }
  const module = wasm.module as unknown as Record<string, unknown>;
  const direct = exports as Record<string, unknown> | null;
  if (direct !== null) {
    for (const name of Object.keys(module)) {
      if (!name.startsWith("_lua")) continue;
      const fn = direct[name.slice(1)];
      if (typeof fn === "function") module[name] = fn;
    }
  }
  return module as unknown as RawModule;
}

/** The part of the global WebAssembly object used here (the project's lib has no DOM types). */
interface WasmApi {
  instantiate: (...args: unknown[]) => Promise<unknown>;
}

const raw = await initialize();

/** A native function: reads its arguments from L's stack, returns how many results it pushed. */
export type NativeFunction = (L: number) => number;

const textEncoder = new TextEncoder();

/** A Buffer over the WebAssembly heap, made again when the heap has grown (its memory is then new). */
let heapBytes: Uint8Array | null = null;
let heapView: Buffer = Buffer.alloc(0);
function heapBuffer(): Buffer {
  // The module replaces its HEAPU8 object when the memory grows: identity says whether ours is stale.
  const heap = raw.HEAPU8;
  if (heap !== heapBytes) {
    heapBytes = heap;
    heapView = Buffer.from(heap.buffer, heap.byteOffset, heap.byteLength);
  }
  return heapView;
}

/** Strings up to this many bytes are copied by a JS loop: cheaper than a native copy call for a few bytes. */
const SMALL_COPY = 32;
/** Size of the slabs that strings read from Lua are copied into (see copyOut). */
const OUT_SLAB_SIZE = 64 * 1024;
/** Strings longer than this get a Buffer of their own instead of a place in the slab. */
const OUT_SLAB_MAX_STRING = 4 * 1024;

/**
 * A Buffer view into a slab, constructed directly: Node's Buffer#subarray and
 * Buffer.allocUnsafe check and normalise their arguments in JavaScript first,
 * which costs more than the construction for the short strings scripts pass.
 * Its prototype chain goes through Buffer.prototype, so every Buffer method and
 * Buffer.isBuffer work on it.
 */
class SlabView extends Uint8Array {
  // The explicit three-argument constructor is the fast construction path.
  constructor(memory: ArrayBuffer, byteOffset: number, length: number) {
    super(memory, byteOffset, length);
  }
}
Object.setPrototypeOf(SlabView.prototype, Buffer.prototype);

/** A name pushed often (a table field, a global): its bytes kept once in the WebAssembly heap. */
export interface StaticName {
  readonly ptr: number;
  readonly length: number;
}
/** At most this many names are kept (they are the engine's own constants; a bound all the same). */
const MAX_STATIC_NAMES = 256;

/**
 * One Lua state. Every method works on the stack of the thread it is given
 * (the main state or a coroutine), as the C API does.
 */
export class LuaVm {
  readonly L: number;
  readonly m: RawModule;
  /** Scratch area on the WebAssembly heap for pushing strings. */
  private scratch: number;
  private scratchSize: number;
  /** A size_t out-parameter for lua_tolstring and an int for lua_resume. */
  private readonly outPtr: number;
  private readonly registered: number[];
  private closed: boolean;
  /** Append-only slab that strings read out of Lua are copied into (see copyOut), and its fill. */
  private outSlab: Buffer;
  private outPos: number;
  /** Encoded names in the WebAssembly heap (see pushName). */
  private readonly names: Map<string, StaticName>;

  constructor() {
    this.m = raw;
    this.L = raw._luaL_newstate();
    raw._luaL_openlibs(this.L);
    this.scratchSize = 4096;
    this.scratch = raw._malloc(this.scratchSize);
    this.outPtr = raw._malloc(8);
    this.registered = [];
    this.closed = false;
    this.outSlab = Buffer.allocUnsafeSlow(OUT_SLAB_SIZE);
    this.outPos = 0;
    this.names = new Map();
  }

  /** Release the state, its scratch memory and its native functions. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    raw._lua_close(this.L);
    raw._free(this.scratch);
    raw._free(this.outPtr);
    for (const ptr of this.registered) raw.removeFunction(ptr);
    this.registered.length = 0;
    for (const name of this.names.values()) raw._free(name.ptr);
    this.names.clear();
  }

  /** Copy `bytes` into the scratch area and return its address. */
  private stage(bytes: Uint8Array): number {
    if (bytes.length > this.scratchSize) {
      raw._free(this.scratch);
      this.scratchSize = Math.max(bytes.length, this.scratchSize * 2);
      this.scratch = raw._malloc(this.scratchSize);
    }
    raw.HEAPU8.set(bytes, this.scratch);
    return this.scratch;
  }

  /** Push a byte string. */
  pushBytes(L: number, bytes: Uint8Array): void {
    this.pushRange(L, bytes, 0, bytes.length);
  }

  /** Push bytes[start, end) as a string, without making a view of them first. */
  pushRange(L: number, bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length > SMALL_COPY) {
      raw._lua_pushlstring(L, this.stage(bytes.subarray(start, end)), length);
      return;
    }
    const heap = raw.HEAPU8;
    const to = this.scratch;
    for (let i = 0; i < length; i++) heap[to + i] = bytes[start + i]!;
    raw._lua_pushlstring(L, to, length);
  }

  /**
   * Push `name` (an engine constant: a field name, a global) from a copy kept in
   * the WebAssembly heap, so pushing it costs no encoding and no copy.
   */
  pushName(L: number, name: string): void {
    const known = this.names.get(name) ?? this.staticName(name);
    if (known === null) this.pushString(L, name);
    else raw._lua_pushlstring(L, known.ptr, known.length);
  }

  /**
   * The copy of `name` in the WebAssembly heap, made on first use and kept
   * until close(); null once MAX_STATIC_NAMES names are kept. Callers on a hot
   * path keep the result and push it with pushStatic.
   */
  staticName(name: string): StaticName | null {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    if (this.names.size >= MAX_STATIC_NAMES) return null;
    const bytes = textEncoder.encode(name);
    const ptr = raw._malloc(bytes.length + 1);
    raw.HEAPU8.set(bytes, ptr);
    const made = { ptr, length: bytes.length };
    this.names.set(name, made);
    return made;
  }

  /** Push a name staticName() returned. */
  pushStatic(L: number, name: StaticName): void {
    raw._lua_pushlstring(L, name.ptr, name.length);
  }

  /** Push a JS string as UTF-8 (for messages and names). */
  pushString(L: number, text: string): void {
    this.pushBytes(L, textEncoder.encode(text));
  }

  /** Push a JS string as latin1, one byte per char (keys, binary text). */
  pushLatin1(L: number, text: string): void {
    this.pushBytes(L, Buffer.from(text, "latin1"));
  }

  /** Push a number: an integer subtype when it is a safe integer, else a float. */
  pushNumber(L: number, n: number): void {
    if (Number.isSafeInteger(n)) raw._lua_pushinteger(L, BigInt(n));
    else raw._lua_pushnumber(L, n);
  }

  /** Push a 64-bit integer. */
  pushInteger(L: number, n: bigint): void {
    raw._lua_pushinteger(L, n);
  }

  /** A view of the bytes of the string at `idx` (valid until the string is collected). */
  viewBytes(L: number, idx: number): Uint8Array {
    const ptr = raw._lua_tolstring(L, idx, this.outPtr);
    const len = raw.HEAPU32[this.outPtr >>> 2]!;
    return raw.HEAPU8.subarray(ptr, ptr + len);
  }

  /**
   * A copy of the string at `idx` as a Buffer (redis.call arguments pass here).
   * See copyOut.
   */
  toBuffer(L: number, idx: number): Buffer {
    const ptr = raw._lua_tolstring(L, idx, this.outPtr);
    return this.copyOut(ptr, raw.HEAPU32[this.outPtr >>> 2]!);
  }

  /**
   * Address and length of the string at `idx`, the length in `stringLength`
   * (valid until the string is collected, and until the heap grows).
   */
  stringAt(L: number, idx: number): number {
    const ptr = raw._lua_tolstring(L, idx, this.outPtr);
    this.stringLength = raw.HEAPU32[this.outPtr >>> 2]!;
    return ptr;
  }

  /** Length of the string stringAt() found last. */
  stringLength = 0;

  /**
   * A copy of heap[ptr, ptr + length) as a Buffer. Short strings are appended to
   * an append-only slab and handed out as views: a slab byte is never written
   * twice, so a command may keep what it received (as it may keep a view into a
   * socket chunk); a full slab is replaced by a new one. Long strings get a
   * Buffer of their own.
   */
  copyOut(ptr: number, length: number): Buffer {
    if (length > OUT_SLAB_MAX_STRING) {
      const copy = Buffer.allocUnsafe(length);
      heapBuffer().copy(copy, 0, ptr, ptr + length);
      return copy;
    }
    let slab = this.outSlab;
    let at = this.outPos;
    if (slab.length - at < length) {
      slab = Buffer.allocUnsafeSlow(OUT_SLAB_SIZE);
      this.outSlab = slab;
      at = 0;
    }
    if (length <= SMALL_COPY) {
      const heap = raw.HEAPU8;
      for (let i = 0; i < length; i++) slab[at + i] = heap[ptr + i]!;
    } else {
      heapBuffer().copy(slab, at, ptr, ptr + length);
    }
    this.outPos = at + length;
    return new SlabView(slab.buffer as ArrayBuffer, at, length) as unknown as Buffer;
  }

  /** The module's heap bytes now (the object changes when the memory grows). */
  get heap(): Uint8Array {
    return raw.HEAPU8;
  }

  /** The module's heap as a Buffer, to copy bytes out of it without a view (replaced when the memory grows). */
  get heapBuffer(): Buffer {
    return heapBuffer();
  }

  /** The string at `idx` decoded as UTF-8 (messages). */
  toText(L: number, idx: number): string {
    return Buffer.from(this.viewBytes(L, idx)).toString("utf8");
  }

  /** t[key] = value at the top of the stack, where t is at `tableIdx` (absolute) and key a string. */
  setField(L: number, tableIdx: number, key: string): void {
    this.pushName(L, key);
    raw._lua_rotate(L, -2, 1);
    raw._lua_rawset(L, tableIdx);
  }

  /** Push t[key] (raw) for the table at `tableIdx` (absolute) and a string key; returns its type. */
  getField(L: number, tableIdx: number, key: string): LuaType {
    this.pushName(L, key);
    return raw._lua_rawget(L, tableIdx) as LuaType;
  }

  /** Push a native function. */
  pushNative(L: number, fn: NativeFunction): void {
    const ptr = raw.addFunction(fn, "ii");
    this.registered.push(ptr);
    raw._lua_pushcclosure(L, ptr, 0);
  }

  /**
   * Compile `source` as chunk `chunkName`. Pushes the function and returns
   * LuaStatus.Ok, or pushes the error message and returns the error status.
   */
  load(L: number, source: Uint8Array, chunkName: string): LuaStatus {
    const nameBytes = textEncoder.encode(`${chunkName}\0`);
    const namePtr = raw._malloc(nameBytes.length + 2);
    raw.HEAPU8.set(nameBytes, namePtr);
    const modePtr = namePtr + nameBytes.length;
    raw.HEAPU8[modePtr] = 116; // "t": text chunks only
    raw.HEAPU8[modePtr + 1] = 0;
    const status = raw._luaL_loadbufferx(L, this.stage(source), source.length, namePtr, modePtr);
    raw._free(namePtr);
    return status as LuaStatus;
  }

  /** Install a count hook on thread L (0 removes it). */
  setCountHook(L: number, hook: number, count: number): void {
    if (hook === 0) raw._lua_sethook(L, 0, 0, 0);
    else raw._lua_sethook(L, hook, LUA_MASKCOUNT, count);
  }

  /** Register a native function once and return its table index (for closures with upvalues). */
  registerNative(fn: NativeFunction): number {
    const ptr = raw.addFunction(fn, "ii");
    this.registered.push(ptr);
    return ptr;
  }

  /** Register a hook function (L, ar) and return its table index. */
  registerHook(fn: (L: number, ar: number) => void): number {
    const ptr = raw.addFunction(fn as (...args: number[]) => undefined, "vii");
    this.registered.push(ptr);
    return ptr;
  }

  /** lua_resume; returns the status and stores the number of results in `resumeResults`. */
  resume(co: number, nargs: number): LuaStatus {
    const status = raw._lua_resume(co, this.L, nargs, this.outPtr);
    this.resumeResults = raw.HEAPU32[this.outPtr >>> 2]!;
    return status as LuaStatus;
  }

  /** Results of the last resume(). */
  resumeResults = 0;
}

/** The Emscripten module shared by every LuaVm (for the engine comparison). */
export function luaModule(): RawModule {
  return raw;
}
