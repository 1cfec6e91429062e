/*
 * The plain-array model of a Redis list that the list property tests compare
 * RedisList against: each function does to an array of strings what the list
 * command does to a list, and answers what the command answers.
 */

import { ListEnd } from "../src/types/list.js";

/** LPUSH / RPUSH of one element. */
export function modelPush(model: string[], text: string, end: ListEnd): void {
  if (end === ListEnd.Head) model.unshift(text);
  else model.push(text);
}

/** LPOP / RPOP: the element taken, or undefined when empty. */
export function modelPop(model: string[], end: ListEnd): string | undefined {
  return end === ListEnd.Head ? model.shift() : model.pop();
}

/** LSET at a Redis-style index (negative from the tail): true when it was in range. */
export function modelSet(model: string[], index: number, text: string): boolean {
  const position = index < 0 ? model.length + index : index;
  if (position < 0 || position >= model.length) return false;
  model[position] = text;
  return true;
}

/** LINSERT next to the first `pivot`: the new length, or -1 without the pivot. */
export function modelInsert(model: string[], pivot: string, text: string, after: boolean): number {
  const at = model.indexOf(pivot);
  if (at === -1) return -1;
  model.splice(after ? at + 1 : at, 0, text);
  return model.length;
}

/** LREM: up to |count| copies of `text` (all for 0), from the head (count >= 0) or the tail. */
export function modelRemove(model: string[], text: string, count: number): number {
  const limit = count === 0 ? Number.POSITIVE_INFINITY : Math.abs(count);
  let removed = 0;
  if (count >= 0) {
    for (let i = 0; i < model.length && removed < limit; ) {
      if (model[i] === text) {
        model.splice(i, 1);
        removed++;
      } else i++;
    }
  } else {
    for (let i = model.length - 1; i >= 0 && removed < limit; i--) {
      if (model[i] === text) {
        model.splice(i, 1);
        removed++;
      }
    }
  }
  return removed;
}

/** Drop `head` elements from the head and `tail` from the tail (RedisList.trim). */
export function modelTrim(model: string[], head: number, tail: number): void {
  model.splice(0, Math.min(head, model.length));
  const kept = Math.min(tail, model.length);
  model.splice(model.length - kept, kept);
}
