/*
 * The scripting figures of INFO memory (Redis 7.0's used_memory_vm_*,
 * used_memory_scripts*, number_of_*), measured on the running Lua state.
 *
 * Redis keeps one Lua state for EVAL and one for functions; Spinel has one for
 * both. Its heap (what Lua's collector counts) is the VM total; the functions'
 * share is what each library still held after a full collection when it was
 * loaded; EVAL's share is the rest. A server that never ran a script has no
 * Lua state and every figure is 0.
 */

import type { ServerState } from "../server-state.js";
import { functionRegistryOf } from "./functions.js";
import { existingScriptEngine } from "./script-engine.js";

/** Scripting memory and counts, as INFO memory prints them. */
export interface ScriptingFigures {
  /** Lua heap bytes of EVAL scripts and the shared environment (used_memory_vm_eval). */
  readonly vmEvalBytes: number;
  /** Lua heap bytes the function libraries hold (used_memory_vm_functions). */
  readonly vmFunctionsBytes: number;
  /** The whole Lua heap (used_memory_vm_total). */
  readonly vmTotalBytes: number;
  /** Bytes of cached script bodies and their keys (used_memory_scripts_eval). */
  readonly scriptsEvalBytes: number;
  /** Bytes of library code, names and descriptions (used_memory_functions). */
  readonly functionsBytes: number;
  readonly cachedScripts: number;
  readonly functions: number;
  readonly libraries: number;
}

const NO_LUA: ScriptingFigures = {
  vmEvalBytes: 0,
  vmFunctionsBytes: 0,
  vmTotalBytes: 0,
  scriptsEvalBytes: 0,
  functionsBytes: 0,
  cachedScripts: 0,
  functions: 0,
  libraries: 0,
};

/**
 * The scripting figures of `server`, measured now. Reads the Lua collector's
 * count (no collection runs); starts no Lua state.
 */
export function scriptingFigures(server: ServerState): ScriptingFigures {
  const engine = existingScriptEngine(server);
  if (engine === undefined) return NO_LUA;
  const registry = functionRegistryOf(engine);
  const total = engine.memoryBytes();
  const functionsHeap = Math.min(total, registry.heapBytes);
  return {
    vmEvalBytes: total - functionsHeap,
    vmFunctionsBytes: functionsHeap,
    vmTotalBytes: total,
    scriptsEvalBytes: engine.cachedScriptBytes,
    functionsBytes: registry.metadataBytes,
    cachedScripts: engine.scripts.size,
    functions: registry.functions.size,
    libraries: registry.libraries.size,
  };
}
