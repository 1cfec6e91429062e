/*
 * ScriptEngine: the Lua state of one server, the EVAL script cache, and the
 * execution of scripts and functions (Redis' script.c + script_lua.c).
 *
 * A script runs on a Lua coroutine so that it can be suspended: a count hook
 * checks the clock every few thousand VM instructions. Once a script has run
 * longer than busy-reply-threshold, and its caller is a real client outside
 * MULTI, the hook yields: the command handler returns without a reply, the
 * caller's connection is paused, and the script continues in slices from
 * setImmediate while the event loop answers other clients (-BUSY for most
 * commands, SCRIPT KILL, FUNCTION KILL and SHUTDOWN NOSAVE served). Each slice
 * restores what the execution unit needs (frozen clock, call depth, pending
 * propagation), so the script's effects still reach the AOF and replicas as one
 * MULTI/EXEC when it ends.
 *
 * redis.call runs commands through the normal call() with a script pseudo-client
 * whose reply writer is parsed back into Lua values.
 */

import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { formatDouble } from "@spinel/resp";
import { ClientFlag, ClientSession } from "../client-session.js";
import { type Command, FlagBit } from "../command-table.js";
import { call, flushPropagation } from "../dispatch.js";
import { Err } from "../errors.js";
import type { ServerState } from "../server-state.js";
import { luaIndex, pushRef, pushReply, writeLuaValue } from "./lua-convert.js";
import { LUA_PRELUDE } from "./lua-prelude.js";
import { LUA_REGISTRYINDEX, LuaStatus, LuaType, LuaVm, type StaticName } from "./lua-vm.js";

/** Script flags, from a shebang line or a registered function. */
export const ScriptFlag = {
  NoWrites: 1 << 0,
  AllowOom: 1 << 1,
  AllowStale: 1 << 2,
  NoCluster: 1 << 3,
  AllowCrossSlot: 1 << 4,
  /** A script without a shebang: Redis' legacy (compatibility) rules. */
  EvalCompat: 1 << 5,
} as const;

/** Flag names as shebang lines and FUNCTION LIST spell them. */
export const SCRIPT_FLAG_NAMES: ReadonlyArray<[string, number]> = [
  ["no-writes", ScriptFlag.NoWrites],
  ["allow-oom", ScriptFlag.AllowOom],
  ["allow-stale", ScriptFlag.AllowStale],
  ["no-cluster", ScriptFlag.NoCluster],
  ["allow-cross-slot-keys", ScriptFlag.AllowCrossSlot],
];

/** Instructions between two looks at the clock. */
const HOOK_INSTRUCTIONS = 10000;
/** How long one background slice of a long script runs before the event loop gets a turn (ms). */
const SLICE_MS = 20;

/** What the engine knows about the script or function being run. */
export class ScriptRun {
  readonly caller: ClientSession;
  /** sha1 of an EVAL script, or the function name. */
  readonly name: string;
  readonly isFunction: boolean;
  readonly flags: number;
  /** EVAL_RO / FCALL_RO, or a no-writes script. */
  readonly readOnly: boolean;
  readonly startedAt: number;
  /** Time of the slice being run (for SLICE_MS). */
  sliceStart: number;
  /** The protocol chosen with redis.setresp. */
  resp: 2 | 3;
  /** redis.set_repl flags (REPL_ALL = 3). */
  repl: number;
  wrote: boolean;
  killed: boolean;
  /** Running in the background (the handler already returned). */
  background: boolean;
  /** May be suspended (a real client's command outside MULTI). */
  canYield: boolean;
  /** True when the server was out of memory when the script started. */
  oomAtStart: boolean;
  /** Propagation queued by the script while it is suspended. */
  pending: Array<{ dbIndex: number; argv: readonly Buffer[] }>;

  constructor(caller: ClientSession, name: string, isFunction: boolean, flags: number, readOnly: boolean) {
    this.caller = caller;
    this.name = name;
    this.isFunction = isFunction;
    this.flags = flags;
    this.readOnly = readOnly || (flags & ScriptFlag.NoWrites) !== 0;
    this.startedAt = performance.now();
    this.sliceStart = this.startedAt;
    this.resp = 2;
    this.repl = 3;
    this.wrote = false;
    this.killed = false;
    this.background = false;
    this.canYield = false;
    this.oomAtStart = false;
    this.pending = [];
  }
}

/** A compiled EVAL script. */
interface CachedScript {
  /** Its sha1 digest, lowercase hex (its key in the cache). */
  readonly sha: string;
  readonly ref: number;
  readonly body: Buffer;
  readonly flags: number;
}

/** sha1 hex digest of bytes. */
export function sha1hex(data: Uint8Array): string {
  return createHash("sha1").update(data).digest("hex");
}

/** Argument Buffers of the small non-negative integers, made on first use and shared (arguments are never written to). */
const SMALL_INTEGER_ARGS: Array<Buffer | undefined> = new Array(1024);

/** A Lua number argument of redis.call as Redis 7.0 formats it: integers as such, floats with "%.17g". */
function formatArgNumber(vm: LuaVm, L: number, idx: number): Buffer {
  const m = vm.m;
  if (m._lua_isinteger(L, idx) !== 0) {
    // Read as a double when that is exact (no BigInt on the common path).
    const value = m._lua_tonumberx(L, idx, 0);
    if (value >= 0 && value < SMALL_INTEGER_ARGS.length) {
      let cached = SMALL_INTEGER_ARGS[value];
      if (cached === undefined) {
        cached = Buffer.from(String(value), "latin1");
        SMALL_INTEGER_ARGS[value] = cached;
      }
      return cached;
    }
    if (Number.isSafeInteger(value)) return Buffer.from(String(value), "latin1");
    return Buffer.from(m._lua_tointegerx(L, idx, 0).toString(), "latin1");
  }
  return Buffer.from(formatDouble(m._lua_tonumberx(L, idx, 0)), "latin1");
}

/** A command name redis.call was given: its bytes (argv[0], shared) and the top-level command. */
interface CommandName {
  readonly bytes: Buffer;
  readonly command: Command | undefined;
}
/** How many recent command names redis.call remembers (see commandNameAt). */
const COMMAND_NAME_CACHE = 8;
/** Longest name remembered (the command table knows no longer one). */
const COMMAND_NAME_MAX = 64;

/** Outcome of parsing a shebang. */
export interface Shebang {
  readonly flags: number;
  /** The body to compile (the shebang line turned into a comment, line numbers kept). */
  readonly body: Buffer;
  readonly error: string | null;
}

/** Parse `#!lua [flags=a,b]` at the start of an EVAL body (evalExtractShebangFlags). */
export function parseEvalShebang(body: Buffer): Shebang {
  if (body.length < 2 || body[0] !== 35 || body[1] !== 33) {
    return { flags: ScriptFlag.EvalCompat, body, error: null };
  }
  let end = body.indexOf(10);
  if (end === -1) end = body.length;
  const line = body.toString("latin1", 0, end);
  const parts = line.split(" ").filter((p) => p.length > 0);
  if (parts[0] !== "#!lua") {
    return { flags: 0, body, error: `ERR Unexpected engine in script shebang: ${parts[0] ?? line}` };
  }
  let flags = 0;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (!part.startsWith("flags="))
      return { flags: 0, body, error: `ERR Unknown lua shebang option: ${part}` };
    const list = part.slice(6);
    if (list.length === 0) continue;
    for (const flag of list.split(",")) {
      const known = SCRIPT_FLAG_NAMES.find(([name]) => name === flag);
      if (known === undefined)
        return { flags: 0, body, error: `ERR Unexpected flag in script shebang: ${flag}` };
      flags |= known[1];
    }
  }
  const compiled = Buffer.from(body);
  compiled[0] = 45; // "--": the line stays, as a comment
  compiled[1] = 45;
  return { flags, body: compiled, error: null };
}

// ------------------------------------------------------------------ the engine

/** The scripting state of one server. */
export class ScriptEngine {
  readonly server: ServerState;
  vm: LuaVm;
  /** sha1 -> compiled script. */
  readonly scripts: Map<string, CachedScript>;
  /** The script client that redis.call runs commands as. */
  readonly client: ClientSession;
  /** The script or function being run, or null. */
  run: ScriptRun | null;
  /** Registry refs of the prelude's internals. */
  private compileRef = 0;
  private errorplaceRef = 0;
  private libraryEnvRef = 0;
  private envRef = 0;
  private memoryRef = 0;
  /** The coroutine scripts run on, and its registry ref. */
  private co = 0;
  private coRef = 0;
  private hookPtr = 0;
  /** Bytes used by cached scripts' bodies (INFO used_memory_scripts_eval). */
  scriptBodyBytes: number;
  /** Called when a background script ends (FUNCTION/SCRIPT KILL waiters, tests). */
  onScriptEnd: (() => void) | null;
  /** Set by close(): the state is released, or will be when the background script stops. */
  private closed = false;
  /** Library registration hook, set by the functions module while loading a library. */
  registerFunction: ((L: number) => number) | null;
  /** Registry ref of the table behind the script globals (KEYS and ARGV are set in it). */
  private globalsRef = 0;
  /** Names of the KEYS and ARGV globals, kept in the WebAssembly heap. */
  private keysName: StaticName | null = null;
  private argvName: StaticName | null = null;
  /** The digest argument of the last EVALSHA that found its script (a copy), and that script. */
  private lastDigest: Buffer | null = null;
  private lastDigestScript: CachedScript | null = null;
  /** Command names redis.call saw recently, and the slot the next new one replaces. */
  private readonly commandNames: CommandName[] = [];
  private commandNameSlot = 0;

  constructor(server: ServerState) {
    this.server = server;
    this.scripts = new Map();
    this.run = null;
    this.scriptBodyBytes = 0;
    this.onScriptEnd = null;
    this.registerFunction = null;
    this.client = new ClientSession(server, null);
    this.client.flags |= ClientFlag.Multi; // blocking commands do not block in scripts
    this.client.name = "";
    this.vm = this.createState();
  }

  // ---------------------------------------------------------------- state set-up

  /** Build a fresh Lua state with the prelude (also SCRIPT FLUSH). */
  private createState(): LuaVm {
    const vm = new LuaVm();
    const L = vm.L;
    const m = vm.m;
    const status = vm.load(L, Buffer.from(LUA_PRELUDE, "utf8"), "=prelude");
    if (status !== LuaStatus.Ok) throw new Error(`scripting prelude: ${vm.toText(L, -1)}`);
    m._lua_createtable(L, 0, 16);
    const natives = m._lua_gettop(L);
    const native = (name: string, fn: (L: number) => number) => {
      vm.pushNative(L, fn);
      vm.setField(L, natives, name);
    };
    native("call", (co) => this.redisCall(co, true));
    native("pcall", (co) => this.redisCall(co, false));
    native("sha1hex", (co) => this.luaSha1hex(co));
    native("log", (co) => this.luaLog(co));
    native("setresp", (co) => this.luaSetResp(co));
    native("set_repl", (co) => this.luaSetRepl(co));
    native("replicate_commands", (co) => {
      m._lua_pushboolean(co, 1);
      return 1;
    });
    native("acl_check_cmd", (co) => this.luaAclCheck(co));
    native("register_function", (co) => (this.registerFunction !== null ? this.registerFunction(co) : 0));
    const guardPtr = vm.registerNative((co) => this.guardCall(co));
    native("guard", (co) => {
      m._lua_settop(co, 1);
      m._lua_pushcclosure(co, guardPtr, 1);
      return 1;
    });
    m._lua_pushlightuserdata(L, 0);
    vm.setField(L, natives, "null");
    vm.pushString(L, "7.0.15");
    vm.setField(L, natives, "version");
    vm.pushNumber(L, 0x07000f);
    vm.setField(L, natives, "version_num");
    m._lua_callk(L, 1, 1, 0, 0);
    const internals = m._lua_gettop(L);
    const ref = (name: string) => {
      vm.getField(L, internals, name);
      return m._luaL_ref(L, LUA_REGISTRYINDEX);
    };
    this.compileRef = ref("compile");
    this.errorplaceRef = ref("errorplace");
    this.globalsRef = ref("globals");
    this.keysName = vm.staticName("KEYS");
    this.argvName = vm.staticName("ARGV");
    this.libraryEnvRef = ref("library_env");
    this.envRef = ref("env");
    this.memoryRef = ref("memory");
    m._lua_settop(L, 0);
    this.vm = vm;
    this.hookPtr = vm.registerHook((co) => this.hook(co));
    this.newCoroutine();
    return vm;
  }

  /** Replace the coroutine scripts run on (the old one is collected). */
  private newCoroutine(): void {
    const vm = this.vm;
    const L = vm.L;
    if (this.coRef !== 0) vm.m._luaL_unref(L, LUA_REGISTRYINDEX, this.coRef);
    this.co = vm.m._lua_newthread(L);
    this.coRef = vm.m._luaL_ref(L, LUA_REGISTRYINDEX);
    // The count hook stays on the coroutine: it only fires while a script runs
    // on it, and returns at once when none is (so a run sets no hook).
    if (this.hookPtr !== 0) vm.setCountHook(this.co, this.hookPtr, HOOK_INSTRUCTIONS);
  }

  /** Drop every cached script (SCRIPT FLUSH); function libraries stay. */
  flush(): void {
    for (const script of this.scripts.values()) this.unref(script.ref);
    this.scripts.clear();
    this.scriptBodyBytes = 0;
  }

  // ---------------------------------------------------------------- compiling

  /**
   * Compile `body` in environment `envRef` (0: the script globals) as chunk
   * `chunkName`. Returns a registry ref to the function, or the Lua error text.
   */
  compile(body: Uint8Array, chunkName: string, envRef = 0): number | string {
    const vm = this.vm;
    const L = vm.L;
    const m = vm.m;
    pushRef(vm, L, this.compileRef);
    vm.pushBytes(L, body);
    vm.pushString(L, chunkName);
    if (envRef !== 0) pushRef(vm, L, envRef);
    else m._lua_pushnil(L);
    m._lua_callk(L, 3, 2, 0, 0);
    if ((m._lua_type(L, -2) as LuaType) !== LuaType.Function) {
      const message = vm.toText(L, -1);
      m._lua_settop(L, -3);
      return message;
    }
    m._lua_settop(L, -2);
    return m._luaL_ref(L, LUA_REGISTRYINDEX);
  }

  /** Release a registry ref (a replaced function library). */
  unref(ref: number): void {
    this.vm.m._luaL_unref(this.vm.L, LUA_REGISTRYINDEX, ref);
  }

  /**
   * The cached script for `body`, compiling and caching it when new. Returns the
   * sha and the entry, or an error reply text.
   */
  scriptFor(body: Buffer): { sha: string; script: CachedScript } | string {
    const sha = sha1hex(body);
    const cached = this.scripts.get(sha);
    if (cached !== undefined) return { sha, script: cached };
    const shebang = parseEvalShebang(body);
    if (shebang.error !== null) return shebang.error;
    const ref = this.compile(shebang.body, "@user_script");
    if (typeof ref === "string") return `ERR Error compiling script (new function): ${ref}`;
    const script: CachedScript = { sha, ref, body: Buffer.from(body), flags: shebang.flags };
    this.scripts.set(sha, script);
    this.scriptBodyBytes += body.length;
    return { sha, script };
  }

  /**
   * The cached script an EVALSHA digest argument names (in any letter case),
   * or undefined. The digest sent last is remembered: a client repeating it
   * costs a byte comparison instead of a conversion to a string.
   */
  scriptByDigest(digest: Buffer): CachedScript | undefined {
    const last = this.lastDigest;
    if (last !== null && last.length === digest.length) {
      let same = true;
      for (let i = 0; i < digest.length; i++) {
        if (last[i] !== digest[i]) {
          same = false;
          break;
        }
      }
      const script = this.lastDigestScript!;
      // Still cached (SCRIPT FLUSH and a new state drop scripts)?
      if (same && this.scripts.get(script.sha) === script) return script;
    }
    const text = digest.toString("latin1");
    // Clients send the lowercase digest SCRIPT LOAD returned; other spellings match too.
    const script = this.scripts.get(text) ?? this.scripts.get(text.toLowerCase());
    if (script !== undefined) {
      this.lastDigest = Buffer.from(digest);
      this.lastDigestScript = script;
    }
    return script;
  }

  /** The registry table of the script environment (for functions). */
  get scriptEnvRef(): number {
    return this.envRef;
  }

  /** The registry ref of the prelude's library_env builder. */
  get libraryEnvBuilderRef(): number {
    return this.libraryEnvRef;
  }

  // ---------------------------------------------------------------- running

  /**
   * Check a script's flags against the server's state before running it
   * (scriptPrepareForRun). Returns an error reply text or null.
   */
  preflight(c: ClientSession, flags: number, readOnlyCommand: boolean): string | null {
    const settings = this.server.settings;
    if ((flags & ScriptFlag.EvalCompat) !== 0) return null;
    const noWrites = (flags & ScriptFlag.NoWrites) !== 0;
    if (!noWrites && readOnlyCommand) {
      return "ERR Can not run script with write flag on readonly replica";
    }
    if (!noWrites && settings.readOnlyReplica && !c.hasFlag(ClientFlag.Primary)) {
      return "READONLY Can not run script with write flag on readonly replica";
    }
    if (
      !noWrites &&
      (flags & ScriptFlag.AllowOom) === 0 &&
      settings.outOfMemory &&
      !c.hasFlag(ClientFlag.Primary)
    ) {
      return "OOM command not allowed when used memory > 'maxmemory'.";
    }
    return null;
  }

  /**
   * Run the function at registry `ref` for client `c`, with keys
   * argv[firstKey, firstKey + numkeys) and args argv[firstKey + numkeys ..]. For
   * EVAL scripts they become KEYS and ARGV; functions receive them as
   * arguments. Writes the reply into c.reply (now, or when a suspended script
   * ends).
   */
  execute(
    c: ClientSession,
    run: ScriptRun,
    ref: number,
    argv: Buffer[],
    firstKey: number,
    numkeys: number,
  ): void {
    const vm = this.vm;
    const L = vm.L;
    const m = vm.m;
    const co = this.co;
    const server = this.server;
    run.oomAtStart = server.settings.outOfMemory;
    run.canYield = c.connection !== null && server.callDepth === 1 && c.multiQueue === null;
    const client = this.client;
    client.db = c.db;
    client.resp = 2;
    client.authenticated = true;
    this.run = run;

    const firstArg = firstKey + numkeys;
    m._lua_settop(co, 0);
    pushRef(vm, co, ref);
    if (run.isFunction) {
      this.pushArgTable(co, argv, firstKey, firstArg);
      this.pushArgTable(co, argv, firstArg, argv.length);
    } else {
      // KEYS and ARGV: fresh tables in the globals each run (a script may change them).
      pushRef(vm, L, this.globalsRef);
      const globals = m._lua_gettop(L);
      vm.pushStatic(L, this.keysName!);
      this.pushArgTable(L, argv, firstKey, firstArg);
      m._lua_rawset(L, globals);
      vm.pushStatic(L, this.argvName!);
      this.pushArgTable(L, argv, firstArg, argv.length);
      m._lua_rawset(L, globals);
      m._lua_settop(L, globals - 1);
    }
    this.resumeScript(run.isFunction ? 2 : 0);
  }

  /** Push a new array table of argv[from, to). */
  private pushArgTable(L: number, argv: Buffer[], from: number, to: number): void {
    const vm = this.vm;
    const m = vm.m;
    m._lua_createtable(L, to - from, 0);
    for (let i = from; i < to; i++) {
      const item = argv[i]!;
      vm.pushRange(L, item, 0, item.length);
      m._lua_rawseti(L, -2, luaIndex(i - from + 1));
    }
  }

  /** Resume the coroutine; finish the script or leave it suspended. */
  private resumeScript(nargs: number): void {
    const run = this.run!;
    const vm = this.vm;
    const co = this.co;
    const status = vm.resume(co, nargs);
    if (status === LuaStatus.Yield) {
      this.suspend(run);
      return;
    }
    const c = run.caller;
    const out = c.reply;
    if (status === LuaStatus.Ok) {
      const results = vm.resumeResults;
      if (results === 0) {
        if (out.protocol === 3) out.raw(RESP3_NULL);
        else out.nullBulk();
      } else {
        writeLuaValue(vm, co, vm.m._lua_gettop(co) - results + 1, out, run.resp);
      }
      vm.m._lua_settop(co, 0);
    } else {
      out.error(this.errorText(run));
      // A fresh coroutine for the next script: an error raised from the count
      // hook leaves the old one with hooks disabled.
      vm.setCountHook(co, 0, 0);
      this.newCoroutine();
    }
    this.run = null;
    if (run.background) this.finishBackground(run);
  }

  /** The reply text of a script error (the error object is on top of the coroutine). */
  private errorText(run: ScriptRun): string {
    const vm = this.vm;
    const L = vm.L;
    const co = this.co;
    const m = vm.m;
    let message: string;
    const type = m._lua_type(co, -1) as LuaType;
    if (type === LuaType.Table) {
      vm.getField(co, m._lua_gettop(co), "err");
      message = (m._lua_type(co, -1) as LuaType) === LuaType.String ? vm.toText(co, -1) : "ERR unknown error";
      m._lua_settop(co, -2);
    } else if (type === LuaType.String || type === LuaType.Number) {
      message = `ERR ${vm.toText(co, -1)}`;
    } else {
      message = "ERR unknown error";
    }
    pushRef(vm, L, this.errorplaceRef);
    m._lua_pushthread(co);
    m._lua_xmove(co, L, 1);
    m._lua_callk(L, 1, 2, 0, 0);
    if ((m._lua_type(L, -2) as LuaType) === LuaType.String) {
      const source = vm.toText(L, -2);
      const line = m._lua_tonumberx(L, -1, 0);
      message += ` script: ${run.name}, on ${source}:${line}.`;
    }
    m._lua_settop(L, -3);
    return message;
  }

  // ---------------------------------------------------------------- long scripts

  /** The count hook: kill a script on request, or suspend it when it ran too long. */
  private hook(L: number): void {
    const run = this.run;
    if (run === null) return;
    const vm = this.vm;
    if (run.killed) {
      // Raised again at every hook while the script runs: a pcall cannot swallow it.
      this.raise(L, "ERR Script killed by user with SCRIPT KILL...");
      return;
    }
    if (!run.canYield) return;
    const now = performance.now();
    const threshold = this.server.settings.busyReplyThreshold;
    if (!run.background) {
      if (threshold <= 0 || now - run.startedAt < threshold) return;
    } else if (now - run.sliceStart < SLICE_MS) {
      return;
    }
    if (vm.m._lua_isyieldable(L) === 0) return;
    vm.m._lua_yieldk(L, 0, 0, 0);
  }

  /**
   * The script yielded from the hook. The first time, the handler is still on
   * the stack: the caller's connection is paused and the server marked busy.
   * Then the script continues from setImmediate.
   */
  private suspend(run: ScriptRun): void {
    const server = this.server;
    const pending = server.pendingPropagation;
    for (let i = 0; i < pending.length; i++) run.pending.push(pending[i]!);
    pending.length = 0;
    if (!run.background) {
      run.background = true;
      server.busyScript = run;
      run.caller.connection?.pause();
      server.logger.warn(
        { script: run.name },
        "Slow script detected: still in execution after the busy-reply-threshold; other clients get BUSY",
      );
    }
    setImmediate(() => this.continueInBackground(run));
  }

  /** One background slice: restore the execution unit, resume, finish or suspend again. */
  private continueInBackground(run: ScriptRun): void {
    if (this.run !== run) return;
    const server = this.server;
    const keyspace = server.keyspace;
    keyspace.freezeTimeAt(run.startedAt);
    server.executingClient = run.caller;
    server.callDepth++;
    const pending = server.pendingPropagation;
    for (let i = 0; i < run.pending.length; i++) pending.push(run.pending[i]!);
    run.pending.length = 0;
    // The first slice started with the run (startedAt); each later one starts here.
    run.sliceStart = performance.now();
    try {
      this.resumeScript(0);
    } finally {
      server.callDepth--;
      if (this.run === run) {
        keyspace.unfreezeTime();
        server.executingClient = null;
      }
    }
  }

  /** A background script ended: its reply was written; propagate, unpause, run the after-unit hooks. */
  private finishBackground(run: ScriptRun): void {
    const server = this.server;
    server.busyScript = null;
    flushPropagation(server);
    server.keyspace.unfreezeTime();
    server.executingClient = null;
    const hooks = server.afterExecutionHooks;
    for (let i = 0; i < hooks.length; i++) hooks[i]!();
    const connection = run.caller.connection;
    if (connection !== null) {
      connection.requestFlush();
      connection.resume();
    }
    this.onScriptEnd?.();
    if (this.closed) this.vm.close();
  }

  /** Release the Lua state (after a background script, which is killed, has stopped). */
  close(): void {
    this.closed = true;
    const run = this.run;
    if (run?.background) run.killed = true;
    else this.vm.close();
  }

  /**
   * SCRIPT KILL / FUNCTION KILL. Returns an error reply text, or null when the
   * script will stop at its next hook.
   */
  kill(isFunctionKill: boolean): string | null {
    const run = this.run;
    if (run === null || !run.background) return "NOTBUSY No scripts in execution right now.";
    if (run.wrote) {
      return "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";
    }
    if (run.isFunction && !isFunctionKill) return Err.busyFunction;
    if (!run.isFunction && isFunctionKill) return Err.busyScript;
    run.killed = true;
    return null;
  }

  /**
   * A library function implemented in Lua, called through its native guard:
   * errors it raises get the position of the calling script line (luaL_where),
   * as errors of Redis' C libraries do.
   */
  private guardCall(L: number): number {
    const m = this.vm.m;
    const n = m._lua_gettop(L);
    m._lua_pushvalue(L, LUA_REGISTRYINDEX - 1);
    m._lua_rotate(L, 1, 1);
    if (m._lua_pcallk(L, n, -1, 0, 0, 0) === LuaStatus.Ok) return m._lua_gettop(L);
    if ((m._lua_type(L, -1) as LuaType) === LuaType.String) {
      m._luaL_where(L, 1);
      m._lua_rotate(L, -2, 1);
      m._lua_concat(L, 2);
    }
    return m._lua_error(L);
  }

  // ---------------------------------------------------------------- redis.call

  /** Raise a Lua error {err = message} from a native function (never returns normally). */
  private raise(L: number, message: string): number {
    const vm = this.vm;
    vm.m._lua_createtable(L, 0, 1);
    vm.pushString(L, message);
    vm.setField(L, vm.m._lua_gettop(L) - 1, "err");
    return vm.m._lua_error(L);
  }

  /** Push {err = message} as a redis.pcall result. */
  private pushErrorTable(L: number, message: string): number {
    const vm = this.vm;
    vm.m._lua_createtable(L, 0, 1);
    vm.pushString(L, message);
    vm.setField(L, vm.m._lua_gettop(L) - 1, "err");
    return 1;
  }

  /**
   * redis.call (raise = true) and redis.pcall: validate, run through call() as
   * the script client, convert the reply. Errors raise (call) or return an
   * error table (pcall).
   */
  private redisCall(L: number, raise: boolean): number {
    const message = this.redisCallInner(L);
    if (message === null) return 1;
    if (raise) return this.raise(L, message);
    return this.pushErrorTable(L, message);
  }

  /** Run the command; push the reply and return null, or return an error text. */
  private redisCallInner(L: number): string | null {
    const vm = this.vm;
    const m = vm.m;
    const run = this.run;
    const argc = m._lua_gettop(L);
    if (argc === 0) return "ERR Please specify at least one argument for this redis lib call";
    const argv = new Array<Buffer>(argc);
    let name: CommandName | null = null;
    for (let i = 1; i <= argc; i++) {
      const type = m._lua_type(L, i) as LuaType;
      if (type === LuaType.String) {
        if (i === 1) {
          name = this.commandNameAt(L);
          argv[0] = name.bytes;
        } else {
          argv[i - 1] = vm.toBuffer(L, i);
        }
      } else if (type === LuaType.Number) {
        argv[i - 1] = formatArgNumber(vm, L, i);
      } else {
        return "ERR Lua redis lib command arguments must be strings or integers";
      }
    }
    if (run === null) return "ERR redis.call is not allowed here";
    const server = this.server;
    const command = resolveCommand(name !== null ? name.command : server.table.lookup(argv[0]!), argv);
    if (command === null) return "ERR Unknown Redis command called from script";
    if (command === undefined) return "ERR Wrong number of args calling Redis command from script";
    const flags = command.flagBits | (command.parent !== null ? command.parent.flagBits : 0);
    if ((flags & FlagBit.Noscript) !== 0) return "ERR This Redis command is not allowed from script";
    const isWrite = (flags & FlagBit.Write) !== 0;
    if (isWrite) {
      if (run.readOnly) return "ERR Write commands are not allowed from read-only scripts.";
      if (server.settings.readOnlyReplica && !run.caller.hasFlag(ClientFlag.Primary)) {
        return Err.readonlyReplica;
      }
    }
    if (
      (flags & FlagBit.DenyOom) !== 0 &&
      (run.flags & ScriptFlag.EvalCompat) !== 0 &&
      !run.wrote &&
      run.oomAtStart &&
      !run.caller.hasFlag(ClientFlag.Primary)
    ) {
      return Err.oom;
    }
    const client = this.client;
    client.argv = argv;
    const before = server.keyspace.dirty;
    const pendingBefore = server.pendingPropagation.length;
    call(client, command);
    if (server.keyspace.dirty !== before) run.wrote = true;
    if (run.repl === 0) server.pendingPropagation.length = pendingBefore;
    // The reply is read where the writer put it, then its space is reused.
    const out = client.reply;
    out.lastErrorCode = null;
    let bytes = out.pendingSlab;
    let start = out.pendingStart;
    if (bytes === null) {
      const chunks = out.drain();
      bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      start = 0;
    }
    if (bytes[start] === 45) {
      const message = bytes.toString("utf8", start + 1, bytes.indexOf(13, start));
      out.rewind();
      return message;
    }
    m._lua_checkstack(L, 8);
    pushReply(vm, L, bytes, start);
    out.rewind();
    return null;
  }

  /**
   * The command name at stack index 1 of L (a string): its bytes and its
   * top-level command, from the few names seen last when it is one of them
   * (compared byte by byte in the WebAssembly heap, nothing copied), else
   * looked up and remembered. A script calls few distinct commands, many times.
   */
  private commandNameAt(L: number): CommandName {
    const vm = this.vm;
    const ptr = vm.stringAt(L, 1);
    const length = vm.stringLength;
    const heap = vm.heap;
    const names = this.commandNames;
    search: for (let n = 0; n < names.length; n++) {
      const known = names[n]!;
      const bytes = known.bytes;
      if (bytes.length !== length) continue;
      for (let i = 0; i < length; i++) if (bytes[i] !== heap[ptr + i]) continue search;
      return known;
    }
    const bytes = Buffer.from(heap.subarray(ptr, ptr + length));
    const found: CommandName = { bytes, command: this.server.table.lookup(bytes) };
    if (length <= COMMAND_NAME_MAX) {
      if (names.length < COMMAND_NAME_CACHE) {
        names.push(found);
      } else {
        names[this.commandNameSlot] = found;
        this.commandNameSlot = (this.commandNameSlot + 1) % COMMAND_NAME_CACHE;
      }
    }
    return found;
  }

  // ---------------------------------------------------------------- redis.* helpers

  private luaSha1hex(L: number): number {
    const vm = this.vm;
    if (vm.m._lua_gettop(L) !== 1) {
      vm.pushString(L, "wrong number of arguments");
      return vm.m._lua_error(L);
    }
    const type = vm.m._lua_type(L, 1) as LuaType;
    const bytes =
      type === LuaType.String
        ? vm.toBuffer(L, 1)
        : type === LuaType.Number
          ? formatArgNumber(vm, L, 1)
          : Buffer.alloc(0);
    vm.pushString(L, sha1hex(bytes));
    return 1;
  }

  private luaLog(L: number): number {
    const vm = this.vm;
    const m = vm.m;
    const argc = m._lua_gettop(L);
    if (argc < 2) {
      vm.pushString(L, "redis.log() requires two arguments or more.");
      return m._lua_error(L);
    }
    if ((m._lua_type(L, 1) as LuaType) !== LuaType.Number) {
      vm.pushString(L, "First argument must be a number (log level).");
      return m._lua_error(L);
    }
    const level = m._lua_tonumberx(L, 1, 0);
    if (level < 0 || level > 3) {
      vm.pushString(L, "Invalid debug level.");
      return m._lua_error(L);
    }
    const parts: string[] = [];
    for (let i = 2; i <= argc; i++) {
      const type = m._lua_type(L, i) as LuaType;
      if (type === LuaType.String || type === LuaType.Number) parts.push(vm.toText(L, i));
    }
    const text = parts.join(" ");
    const logger = this.server.logger;
    if (level === 3) logger.warn({ script: true }, text);
    else if (level === 2) logger.info({ script: true }, text);
    else logger.debug({ script: true }, text);
    return 0;
  }

  private luaSetResp(L: number): number {
    const vm = this.vm;
    const m = vm.m;
    if (m._lua_gettop(L) !== 1) return this.raise(L, "ERR redis.setresp() requires one argument.");
    const v = m._lua_tonumberx(L, 1, 0);
    if (v !== 2 && v !== 3) return this.raise(L, "ERR RESP version must be 2 or 3.");
    if (this.run !== null) this.run.resp = v;
    this.client.resp = v;
    return 0;
  }

  private luaSetRepl(L: number): number {
    const vm = this.vm;
    const m = vm.m;
    if (m._lua_gettop(L) !== 1) return this.raise(L, "ERR redis.set_repl() requires one argument.");
    const v = m._lua_tonumberx(L, 1, 0);
    if (!Number.isInteger(v) || v < 0 || v > 3) {
      return this.raise(
        L,
        "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
      );
    }
    if (this.run !== null) this.run.repl = v;
    return 0;
  }

  private luaAclCheck(L: number): number {
    const vm = this.vm;
    const m = vm.m;
    const argc = m._lua_gettop(L);
    if (argc === 0) return this.raise(L, "ERR Please specify at least one argument for this redis lib call");
    const argv: Buffer[] = [];
    for (let i = 1; i <= argc; i++) {
      const type = m._lua_type(L, i) as LuaType;
      if (type === LuaType.String) argv.push(vm.toBuffer(L, i));
      else if (type === LuaType.Number) argv.push(formatArgNumber(vm, L, i));
      else return this.raise(L, "ERR Lua redis lib command arguments must be strings or integers");
    }
    const command = lookupCommand(this.server, argv);
    if (command === null) return this.raise(L, "ERR Invalid command passed to redis.acl_check_cmd()");
    // Every command is permitted: Spinel has the default user only.
    m._lua_pushboolean(L, 1);
    return 1;
  }

  /**
   * Bytes the Lua heap holds, as its collector counts them (INFO's
   * used_memory_vm_*). With `collect`, a full collection runs first, so the
   * figure is what is still reachable (function libraries measure their share
   * this way, before and after loading).
   */
  memoryBytes(collect = false): number {
    const vm = this.vm;
    const m = vm.m;
    const L = vm.L;
    pushRef(vm, L, this.memoryRef);
    m._lua_pushboolean(L, collect ? 1 : 0);
    m._lua_callk(L, 1, 1, 0, 0);
    const bytes = m._lua_tonumberx(L, -1, 0);
    m._lua_settop(L, -2);
    return Math.round(bytes);
  }

  /** Bytes the script cache holds: each cached body and its 40-character SHA1 key. */
  get cachedScriptBytes(): number {
    return this.scriptBodyBytes + this.scripts.size * 40;
  }
}

const RESP3_NULL = Buffer.from("_\r\n");

/**
 * The command named by argv (subcommand included), null when unknown, or
 * undefined when the arity is wrong.
 */
function lookupCommand(server: ServerState, argv: Buffer[]): Command | null | undefined {
  return resolveCommand(server.table.lookup(argv[0]!), argv);
}

/**
 * The command argv calls, given `command`, what argv[0] names (subcommand
 * resolved): null when unknown, undefined when the arity is wrong.
 */
function resolveCommand(command: Command | undefined, argv: Buffer[]): Command | null | undefined {
  if (command === undefined) return null;
  if (command.subcommands !== null && argv.length >= 2) {
    const sub = command.subcommands.get(argv[1]!.toString("latin1").toLowerCase());
    if (sub === undefined) return null;
    if ((sub.arity > 0 && argv.length !== sub.arity) || argv.length < -sub.arity) return undefined;
    return sub;
  }
  if ((command.arity > 0 && argv.length !== command.arity) || argv.length < -command.arity) return undefined;
  return command;
}

// ------------------------------------------------------------------ per-server registry

const engines = new WeakMap<ServerState, ScriptEngine>();

/**
 * The server is going away (SHUTDOWN, close): a script running in the background
 * stops at its next hook, written or not, so nothing keeps running after the
 * server, and the Lua state is released (at once, or when that script has
 * stopped). No-op when the server never ran a script.
 */
export function closeScriptEngine(server: ServerState): void {
  const engine = engines.get(server);
  if (engine === undefined) return;
  engines.delete(server);
  engine.close();
}

/** The script engine of `server` if one was created, without creating it (INFO, saves). */
export function existingScriptEngine(server: ServerState): ScriptEngine | undefined {
  return engines.get(server);
}

/** The script engine of `server`, created on first use. */
export function scriptEngineOf(server: ServerState): ScriptEngine {
  let engine = engines.get(server);
  if (engine === undefined) {
    engine = new ScriptEngine(server);
    engines.set(server, engine);
  }
  return engine;
}
