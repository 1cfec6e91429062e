/*
 * Key scoping for corpora: every case gets its own key names, so cases cannot
 * see each other's keys even on a server that is not flushed between cases.
 *
 * In a scoped case, a text argument starting with "@" names a key (or a key
 * pattern): "@a" becomes "<scope>:a", "@*" becomes "<scope>:*". Scopes are the
 * case's position in its corpus ("str12"), so they are unique across corpora
 * as long as each corpus uses its own prefix.
 */

import type { Arg, DiffCase, Step } from "../corpus-types.js";

function scopeArg(arg: Arg, scope: string): Arg {
  return typeof arg === "string" && arg.startsWith("@") ? `${scope}:${arg.slice(1)}` : arg;
}

function scopeStep(step: Step, scope: string): Step {
  if ("sleep" in step) return step;
  if ("cmd" in step) return { cmd: step.cmd.map((arg) => scopeArg(arg, scope)), compare: step.compare };
  return (step as readonly Arg[]).map((arg) => scopeArg(arg, scope));
}

/** Give every case of `cases` its own key scope, `<prefix><index>`. */
export function scopeKeys(prefix: string, cases: readonly DiffCase[]): DiffCase[] {
  return cases.map((testCase, index) => {
    const scope = `${prefix}${index}`;
    return { ...testCase, steps: testCase.steps.map((step) => scopeStep(step, scope)) };
  });
}
