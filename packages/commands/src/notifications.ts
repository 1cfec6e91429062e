/*
 * Keyspace notifications (Redis' notify.c): the notify-keyspace-events flags, their
 * parsing and rendering, and the keyspace listener that turns keyspace events into
 * pub/sub messages on `__keyspace@<db>__:<key>` (payload: the event name) and
 * `__keyevent@<db>__:<event>` (payload: the key).
 *
 * Events come from core-db's one write epilogue (Database.touched / notify, lazy and
 * active expiry, keymiss on lookupRead) through ServerState.keyspaceListeners; no
 * command publishes notifications itself.
 */

import { EventClass } from "@spinel/core-db";
import { ClientFlag } from "./client-session.js";
import type { PubSubRegistry } from "./pubsub-registry.js";
import type { KeyspaceListener, ServerState } from "./server-state.js";

/** The K and E bits of notify-keyspace-events (which channels are published). */
export enum NotifyTarget {
  /** K: `__keyspace@<db>__:<key>` channels. */
  Keyspace = 1 << 0,
  /** E: `__keyevent@<db>__:<event>` channels. */
  Keyevent = 1 << 1,
}

/** The classes 'A' stands for: every class except keymiss (m) and new (n), as in Redis. */
export const NOTIFY_ALL_CLASSES =
  EventClass.Generic |
  EventClass.String |
  EventClass.List |
  EventClass.Set |
  EventClass.Hash |
  EventClass.ZSet |
  EventClass.Expired |
  EventClass.Evicted |
  EventClass.Stream |
  EventClass.Module;

/** Why a notify-keyspace-events value was refused (CONFIG SET and config file). */
export const INVALID_NOTIFY_FLAGS = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/**
 * Parse a notify-keyspace-events value ("KEA", "Elg", "") into its bit set of
 * EventClass and NotifyTarget bits, or null when a character is not a flag letter.
 * Letters are case-sensitive and may repeat, as in Redis.
 */
export function parseNotifyKeyspaceEvents(text: string): number | null {
  let flags = 0;
  for (let i = 0; i < text.length; i++) {
    switch (text[i]) {
      case "A":
        flags |= NOTIFY_ALL_CLASSES;
        break;
      case "g":
        flags |= EventClass.Generic;
        break;
      case "$":
        flags |= EventClass.String;
        break;
      case "l":
        flags |= EventClass.List;
        break;
      case "s":
        flags |= EventClass.Set;
        break;
      case "h":
        flags |= EventClass.Hash;
        break;
      case "z":
        flags |= EventClass.ZSet;
        break;
      case "x":
        flags |= EventClass.Expired;
        break;
      case "e":
        flags |= EventClass.Evicted;
        break;
      case "K":
        flags |= NotifyTarget.Keyspace;
        break;
      case "E":
        flags |= NotifyTarget.Keyevent;
        break;
      case "t":
        flags |= EventClass.Stream;
        break;
      case "m":
        flags |= EventClass.KeyMiss;
        break;
      case "d":
        flags |= EventClass.Module;
        break;
      case "n":
        flags |= EventClass.New;
        break;
      default:
        return null;
    }
  }
  return flags;
}

/**
 * Render flags the way CONFIG GET shows them: "A" when every class of 'A' is on
 * (and then, as Redis does, no other class letter, not even 'n'), otherwise the
 * class letters in Redis' order; then K, E and m. "KEA" renders as "AKE".
 */
export function formatNotifyKeyspaceEvents(flags: number): string {
  let text = "";
  if ((flags & NOTIFY_ALL_CLASSES) === NOTIFY_ALL_CLASSES) {
    text += "A";
  } else {
    if (flags & EventClass.Generic) text += "g";
    if (flags & EventClass.String) text += "$";
    if (flags & EventClass.List) text += "l";
    if (flags & EventClass.Set) text += "s";
    if (flags & EventClass.Hash) text += "h";
    if (flags & EventClass.ZSet) text += "z";
    if (flags & EventClass.Expired) text += "x";
    if (flags & EventClass.Evicted) text += "e";
    if (flags & EventClass.Stream) text += "t";
    if (flags & EventClass.Module) text += "d";
    if (flags & EventClass.New) text += "n";
  }
  if (flags & NotifyTarget.Keyspace) text += "K";
  if (flags & NotifyTarget.Keyevent) text += "E";
  if (flags & EventClass.KeyMiss) text += "m";
  return text;
}

/**
 * The keyspace listener that publishes notifications. Filters by the classes in
 * RuntimeSettings.notifyKeyspaceEvents (kept in sync with the configuration by
 * apps/server) and does no work at all when notifications are off or nobody is
 * subscribed to anything.
 */
export class KeyspaceNotifier implements KeyspaceListener {
  private readonly server: ServerState;
  private readonly registry: PubSubRegistry;

  constructor(server: ServerState, registry: PubSubRegistry) {
    this.server = server;
    this.registry = registry;
  }

  /** Publish `event` on `key` when its class is enabled (keyspace and/or keyevent channel). */
  keyspaceEvent(eventClass: EventClass, event: string, key: string, dbId: number): void {
    const flags = this.server.settings.notifyKeyspaceEvents;
    if ((flags & eventClass) === 0) return;
    const registry = this.registry;
    if (!registry.hasSubscribers) return;
    // Replaying a data file notifies nobody.
    const executing = this.server.executingClient;
    if (executing !== null && (executing.flags & ClientFlag.Loading) !== 0) return;
    if ((flags & NotifyTarget.Keyspace) !== 0) registry.publish(`__keyspace@${dbId}__:${key}`, event);
    if ((flags & NotifyTarget.Keyevent) !== 0) registry.publish(`__keyevent@${dbId}__:${event}`, key);
  }
}
