/*
 * Pub/sub state and fan-out: who is subscribed to which channel, pattern and
 * shard channel, and how a published message reaches the subscribers' output
 * buffers. Redis' pubsub.c, server side.
 *
 * HOT PATH. publish() runs for every PUBLISH and for every keyspace notification
 * that someone listens to; it stays allocation-light: the part of a message frame
 * that every receiver shares (channel and payload bulks) is encoded once, with byte
 * loops rather than calls into Buffer's native code for the small parts, and
 * appended to each receiver's output; only the frame header differs per receiver
 * (RESP2 `*` or RESP3 `>`, and the "pmessage" + pattern prefix of pattern matches).
 *
 * Subscriptions are kept on both sides, as in Redis: each session has its sets of
 * channel names, patterns and shard channels (ClientSession.channels ...), and the
 * registry maps each name to the set of sessions subscribed to it. A name with no
 * subscribers left is removed, so INFO's counts are the sizes of the maps.
 *
 * Out-of-band output (messages, MONITOR lines) goes through outputFor() /
 * outputWritten(), which implement three rules:
 *   - it goes to the connection's own writer, so CLIENT REPLY OFF / SKIP, which
 *     silence replies, do not silence pushes (as in Redis: confirmations and
 *     messages are pushes, in RESP2 too);
 *   - a push aimed at the client whose command is executing right now is held back
 *     until the whole execution unit (a command, or an EXEC) has written its reply,
 *     so a push never lands inside a reply (a RESP3 client subscribed to its own
 *     keyspace events, a client publishing to itself inside MULTI ...);
 *   - a client over its client-output-buffer-limit is disconnected as soon as this
 *     turn's output for it is big enough to matter (LIMIT_CHECK_BYTES), not only
 *     when the loop turn ends, so one burst of messages to a subscriber that stopped
 *     reading cannot grow the server's memory unbounded.
 *
 * MONITOR clients are kept here too (`monitors`): a monitor is a subscriber to the
 * command stream, and its lines travel the same out-of-band path (see monitor.ts).
 */

import { globMatch } from "@spinel/core-db";
import { ReplyWriter } from "@spinel/resp";
import { ClientFlag, type ClientSession } from "./client-session.js";
import { stopMonitoring } from "./monitor.js";
import { KeyspaceNotifier } from "./notifications.js";
import type { ServerState } from "./server-state.js";

/** The three kinds of subscription. Each has its own reply words and counts. */
export enum SubscriptionKind {
  Channel = 0,
  Pattern = 1,
  Shard = 2,
}

/** A bulk string as RESP bytes: `$<len>\r\n<text>\r\n` (latin1). */
function encodeBulk(text: string): Buffer {
  return Buffer.from(`$${text.length}\r\n${text}\r\n`, "latin1");
}

/** Reply words of (un)subscribe confirmations, by SubscriptionKind. */
const SUBSCRIBE_WORDS = [encodeBulk("subscribe"), encodeBulk("psubscribe"), encodeBulk("ssubscribe")];
const UNSUBSCRIBE_WORDS = [encodeBulk("unsubscribe"), encodeBulk("punsubscribe"), encodeBulk("sunsubscribe")];
const MESSAGE_WORD = encodeBulk("message");
const PMESSAGE_WORD = encodeBulk("pmessage");
const SMESSAGE_WORD = encodeBulk("smessage");

/** Output written for a client within one turn beyond which its limits are checked at once. */
const LIMIT_CHECK_BYTES = 64 * 1024;

/** Below this many bytes a JS loop copies faster than a call into Buffer's native code. */
const SMALL_COPY = 64;

/** Write `$<length>\r\n` at `pos` of `target`; returns the position after it. */
function writeBulkHeader(target: Buffer, pos: number, length: number): number {
  target[pos++] = 36; // $
  if (length < 10) {
    target[pos++] = 48 + length;
  } else {
    let digits = 0;
    for (let v = length; v > 0; v = Math.floor(v / 10)) digits++;
    let end = pos + digits;
    pos = end;
    for (let v = length; v > 0; v = Math.floor(v / 10)) target[--end] = 48 + (v % 10);
  }
  target[pos++] = 13;
  target[pos++] = 10;
  return pos;
}

/** Size of `$<length>\r\n<bytes>\r\n`. */
function bulkSize(length: number): number {
  let digits = 1;
  for (let v = length; v >= 10; v = Math.floor(v / 10)) digits++;
  return 1 + digits + 2 + length + 2;
}

/** Copy bytes (a Buffer, or a latin1 string: one char per byte) to `pos` of `target`. */
function writeBytes(target: Buffer, pos: number, source: Buffer | string): number {
  const length = source.length;
  if (typeof source === "string") {
    if (length >= SMALL_COPY) return pos + target.write(source, pos, "latin1");
    for (let i = 0; i < length; i++) target[pos++] = source.charCodeAt(i);
    return pos;
  }
  if (length >= SMALL_COPY) return pos + source.copy(target, pos);
  for (let i = 0; i < length; i++) target[pos++] = source[i]!;
  return pos;
}

/**
 * Encode what every receiver of a message shares: `word` (a pre-encoded bulk such
 * as "message"), the channel bulk and the payload bulk. The channel is bytes (the
 * PUBLISH argument) or a binary (latin1) string (keyspace channels); the payload is
 * bytes (PUBLISH) or a latin1 string (keyspace events: an event name or a key).
 */
function encodeMessageBody(word: Buffer, channel: Buffer | string, payload: Buffer | string): Buffer {
  const frame = Buffer.allocUnsafe(word.length + bulkSize(channel.length) + bulkSize(payload.length));
  let pos = writeBytes(frame, 0, word);
  pos = writeBulkHeader(frame, pos, channel.length);
  pos = writeBytes(frame, pos, channel);
  frame[pos++] = 13;
  frame[pos++] = 10;
  pos = writeBulkHeader(frame, pos, payload.length);
  pos = writeBytes(frame, pos, payload);
  frame[pos++] = 13;
  frame[pos] = 10;
  return frame;
}

/** The subscribers of one pattern, with the start of its pmessage frames ("pmessage", pattern). */
class PatternSubscribers {
  readonly pattern: string;
  readonly prefix: Buffer;
  readonly clients: Set<ClientSession>;

  constructor(pattern: string) {
    this.pattern = pattern;
    this.prefix = Buffer.concat([PMESSAGE_WORD, encodeBulk(pattern)]);
    this.clients = new Set();
  }
}

/** Subscriptions of all clients, MONITOR clients, and the delivery of out-of-band output. */
export class PubSubRegistry {
  readonly server: ServerState;
  /** Clients in MONITOR mode, in the order they started monitoring. */
  readonly monitors: Set<ClientSession>;
  private readonly channels: Map<string, Set<ClientSession>>;
  private readonly patterns: Map<string, PatternSubscribers>;
  private readonly shardChannels: Map<string, Set<ClientSession>>;
  /** Pushes held back for the executing client (see outputFor), and for whom. */
  private readonly deferred: ReplyWriter;
  private deferredTarget: ClientSession | null;

  constructor(server: ServerState) {
    this.server = server;
    this.monitors = new Set();
    this.channels = new Map();
    this.patterns = new Map();
    this.shardChannels = new Map();
    this.deferred = new ReplyWriter(2);
    this.deferredTarget = null;
    server.keyspaceListeners.push(new KeyspaceNotifier(server, this));
    server.sessionCloseHooks.push((c) => this.forgetClient(c));
    // Held-back pushes go out before any other post-unit work writes to clients
    // (serving blocked clients, say), so they keep their place in the stream.
    server.afterExecutionHooks.unshift(() => this.flushDeferred());
  }

  // ---------------------------------------------------------------- counts (INFO, PUBSUB)

  /** Channels with at least one subscriber (INFO pubsub_channels). */
  get channelCount(): number {
    return this.channels.size;
  }

  /** Patterns with at least one subscriber (INFO pubsub_patterns, PUBSUB NUMPAT). */
  get patternCount(): number {
    return this.patterns.size;
  }

  /** Shard channels with at least one subscriber (INFO pubsubshard_channels). */
  get shardChannelCount(): number {
    return this.shardChannels.size;
  }

  /** True when a PUBLISH on a (non-shard) channel could reach anyone. */
  get hasSubscribers(): boolean {
    return this.channels.size !== 0 || this.patterns.size !== 0;
  }

  /** Number of subscribers of `channel` (PUBSUB NUMSUB / SHARDNUMSUB), patterns excluded. */
  subscriberCount(kind: SubscriptionKind.Channel | SubscriptionKind.Shard, channel: string): number {
    const map = kind === SubscriptionKind.Shard ? this.shardChannels : this.channels;
    return map.get(channel)?.size ?? 0;
  }

  /** Active channel names matching `pattern` (all when null): PUBSUB CHANNELS / SHARDCHANNELS. */
  channelNames(kind: SubscriptionKind.Channel | SubscriptionKind.Shard, pattern: string | null): string[] {
    const map = kind === SubscriptionKind.Shard ? this.shardChannels : this.channels;
    const names: string[] = [];
    for (const name of map.keys()) {
      if (pattern === null || globMatch(pattern, name)) names.push(name);
    }
    return names;
  }

  // ---------------------------------------------------------------- subscribe / unsubscribe

  /**
   * Subscribe `c` to `name` (a channel, pattern or shard channel) and write the
   * confirmation Redis sends (`subscribe`, name, count), which is the command's
   * reply. Subscribing twice is harmless and confirms again. Returns true when the
   * subscription is new.
   */
  subscribe(c: ClientSession, kind: SubscriptionKind, name: string): boolean {
    const own = clientSet(c, kind);
    let added = false;
    if (!own.has(name)) {
      own.add(name);
      added = true;
      if (kind === SubscriptionKind.Pattern) {
        let entry = this.patterns.get(name);
        if (entry === undefined) {
          entry = new PatternSubscribers(name);
          this.patterns.set(name, entry);
        }
        entry.clients.add(c);
      } else {
        const map = kind === SubscriptionKind.Shard ? this.shardChannels : this.channels;
        let clients = map.get(name);
        if (clients === undefined) {
          clients = new Set();
          map.set(name, clients);
        }
        clients.add(c);
      }
    }
    this.writeConfirmation(c, SUBSCRIBE_WORDS[kind]!, name, kind);
    this.updateClientMode(c);
    return added;
  }

  /**
   * Unsubscribe `c` from `name`; with `notify`, write the `unsubscribe` confirmation
   * (sent even when `c` was not subscribed). Returns true when it was subscribed.
   */
  unsubscribe(c: ClientSession, kind: SubscriptionKind, name: string, notify: boolean): boolean {
    const removed = this.removeSubscription(c, kind, name);
    if (notify) this.writeConfirmation(c, UNSUBSCRIBE_WORDS[kind]!, name, kind);
    this.updateClientMode(c);
    return removed;
  }

  /**
   * Unsubscribe `c` from every subscription of one kind (UNSUBSCRIBE, PUNSUBSCRIBE,
   * SUNSUBSCRIBE without arguments). With `notify`, one confirmation per name, or a
   * single one with a null name when there was none. Returns how many were removed.
   */
  unsubscribeAllOfKind(c: ClientSession, kind: SubscriptionKind, notify: boolean): number {
    const own = clientSet(c, kind);
    let count = 0;
    if (own.size > 0) {
      for (const name of [...own]) {
        if (this.removeSubscription(c, kind, name)) count++;
        if (notify) this.writeConfirmation(c, UNSUBSCRIBE_WORDS[kind]!, name, kind);
      }
    }
    if (notify && count === 0) this.writeConfirmation(c, UNSUBSCRIBE_WORDS[kind]!, null, kind);
    this.updateClientMode(c);
    return count;
  }

  /**
   * Drop every subscription of `c` without writing anything, and leave subscribed
   * mode (RESET, and a client going away).
   */
  unsubscribeAll(c: ClientSession): void {
    this.unsubscribeAllOfKind(c, SubscriptionKind.Channel, false);
    this.unsubscribeAllOfKind(c, SubscriptionKind.Pattern, false);
    this.unsubscribeAllOfKind(c, SubscriptionKind.Shard, false);
  }

  private removeSubscription(c: ClientSession, kind: SubscriptionKind, name: string): boolean {
    if (!clientSet(c, kind).delete(name)) return false;
    if (kind === SubscriptionKind.Pattern) {
      const entry = this.patterns.get(name);
      if (entry !== undefined) {
        entry.clients.delete(c);
        if (entry.clients.size === 0) this.patterns.delete(name);
      }
    } else {
      const map = kind === SubscriptionKind.Shard ? this.shardChannels : this.channels;
      const clients = map.get(name);
      if (clients !== undefined) {
        clients.delete(c);
        // Forget empty channels, so creating millions of channels cannot leak.
        if (clients.size === 0) map.delete(name);
      }
    }
    return true;
  }

  /**
   * `[word, name | null, count]` as a push (RESP3) or array (RESP2). The count is
   * channels + patterns for the classic kinds and shard channels for the shard
   * kind, as Redis counts them.
   */
  private writeConfirmation(
    c: ClientSession,
    word: Buffer,
    name: string | null,
    kind: SubscriptionKind,
  ): void {
    const reply = pushWriter(c);
    reply.pushLen(3);
    reply.raw(word);
    if (name === null) reply.nullBulk();
    else reply.bulkString(name);
    reply.integer(kind === SubscriptionKind.Shard ? c.shardChannels.size : c.channels.size + c.patterns.size);
  }

  /**
   * Enter or leave subscribed mode after the subscriptions of `c` changed: the P
   * flag of CLIENT LIST, the pubsub class of client-output-buffer-limit and the
   * exemption from the idle timeout follow whether any subscription is left.
   */
  private updateClientMode(c: ClientSession): void {
    const subscribed = c.subscriptionCount > 0;
    const wasSubscribed = (c.flags & ClientFlag.Pubsub) !== 0;
    if (subscribed === wasSubscribed) return;
    const connection = c.connection;
    if (subscribed) {
      c.flags |= ClientFlag.Pubsub;
      if (connection !== null) {
        if (connection.outputLimitClass === "normal") connection.outputLimitClass = "pubsub";
        connection.timeoutExempt = true;
      }
    } else {
      c.flags &= ~ClientFlag.Pubsub;
      if (connection !== null) {
        if (connection.outputLimitClass === "pubsub") connection.outputLimitClass = "normal";
        connection.timeoutExempt =
          (c.flags & (ClientFlag.Monitor | ClientFlag.Blocked | ClientFlag.Replica | ClientFlag.Primary)) !==
          0;
      }
    }
  }

  // ---------------------------------------------------------------- publish

  /**
   * Deliver `payload` to the subscribers of `channel` and of every matching
   * pattern; returns the number of receivers (PUBLISH's reply: a client subscribed
   * to the channel and to two matching patterns counts three times, as in Redis).
   */
  publish(channel: string, payload: Buffer | string, channelBytes: Buffer | null = null): number {
    // "message" + channel + payload, encoded once; pattern receivers share its
    // channel + payload part after their own "pmessage" + pattern prefix.
    let body: Buffer | null = null;
    let receivers = 0;
    const subscribers = this.channels.get(channel);
    if (subscribers !== undefined) {
      body = encodeMessageBody(MESSAGE_WORD, channelBytes ?? channel, payload);
      for (const c of subscribers) {
        this.deliver(c, 3, null, body);
        receivers++;
      }
    }
    if (this.patterns.size !== 0) {
      let tail: Buffer | null = null;
      for (const entry of this.patterns.values()) {
        if (!globMatch(entry.pattern, channel)) continue;
        if (tail === null) {
          if (body === null) body = encodeMessageBody(MESSAGE_WORD, channelBytes ?? channel, payload);
          tail = body.subarray(MESSAGE_WORD.length);
        }
        for (const c of entry.clients) {
          this.deliver(c, 4, entry.prefix, tail);
          receivers++;
        }
      }
    }
    return receivers;
  }

  /** SPUBLISH: deliver to the subscribers of a shard channel (patterns do not apply). */
  publishShard(channel: string, payload: Buffer, channelBytes: Buffer | null = null): number {
    const subscribers = this.shardChannels.get(channel);
    if (subscribers === undefined) return 0;
    const body = encodeMessageBody(SMESSAGE_WORD, channelBytes ?? channel, payload);
    let receivers = 0;
    for (const c of subscribers) {
      this.deliver(c, 3, null, body);
      receivers++;
    }
    return receivers;
  }

  /** Append one message frame (`length` elements, encoded as [prefix] + rest) to `c`'s output. */
  private deliver(c: ClientSession, length: number, prefix: Buffer | null, rest: Buffer): void {
    const out = this.outputFor(c, true);
    if (out === null) return;
    out.pushLen(length);
    if (prefix !== null) out.raw(prefix);
    out.raw(rest);
    this.outputWritten(c, out);
  }

  // ---------------------------------------------------------------- out-of-band output

  /**
   * Where out-of-band output for `c` (a message, a MONITOR line) is to be written,
   * or null when it must be dropped (the connection is closing; or, for output
   * that is not a push (`push` false: MONITOR lines), the client silenced its
   * replies with CLIENT REPLY OFF / SKIP, as Redis drops them then). Output for
   * the client whose execution unit is running is held back and appended once the
   * unit has written its whole reply. Call outputWritten() after writing.
   */
  outputFor(c: ClientSession, push = false): ReplyWriter | null {
    const connection = c.connection;
    if (connection !== null) {
      if (connection.isClosing) return null;
      if (!push && c.reply !== connection.writer) return null;
    }
    if (c === this.server.executingClient) {
      const deferred = this.deferred;
      if (this.deferredTarget !== c) {
        if (this.deferredTarget !== null) this.flushDeferred();
        this.deferredTarget = c;
      }
      deferred.protocol = c.resp;
      return deferred;
    }
    return pushWriter(c);
  }

  /**
   * After out-of-band output was written into outputFor(c): schedule the flush and,
   * once this turn's output for `c` is big enough to matter, enforce its
   * output-buffer limit at once (a client over its hard limit is closed and gets
   * nothing more). Below that size the flush at the end of the turn checks anyway,
   * so a burst can overshoot a limit by less than LIMIT_CHECK_BYTES plus a message.
   */
  outputWritten(c: ClientSession, out: ReplyWriter): void {
    if (out === this.deferred) return;
    const connection = c.connection;
    if (connection === null) return;
    connection.requestFlush();
    if (out.pendingBytes >= LIMIT_CHECK_BYTES) connection.checkOutputLimits();
  }

  /** Append the held-back pushes to their client's output (end of an execution unit). */
  private flushDeferred(): void {
    const target = this.deferredTarget;
    if (target === null) return;
    this.deferredTarget = null;
    const chunks = this.deferred.drain();
    const connection = target.connection;
    if (connection?.isClosing) return;
    const reply = pushWriter(target);
    for (const chunk of chunks) reply.raw(chunk);
    if (connection !== null) {
      connection.requestFlush();
      connection.checkOutputLimits();
    }
  }

  // ---------------------------------------------------------------- client lifecycle

  /** A client went away: drop its subscriptions, its MONITOR mode and any held-back output. */
  private forgetClient(c: ClientSession): void {
    this.unsubscribeAll(c);
    stopMonitoring(c);
    if (this.deferredTarget === c) {
      this.deferredTarget = null;
      this.deferred.discard();
    }
  }
}

/**
 * Where pushes for `c` go: its connection's own writer, even while CLIENT REPLY
 * OFF or SKIP points `c.reply` at a sink. Redis delivers subscribe and unsubscribe
 * confirmations and messages as pushes, which silenced replies do not silence,
 * in RESP2 as in RESP3. The writer speaks the protocol the session speaks now
 * (HELLO under REPLY OFF switched only the sink's).
 */
function pushWriter(c: ClientSession): ReplyWriter {
  const reply = c.reply;
  const own = c.connection?.writer;
  if (own === undefined || own === reply) return reply;
  own.protocol = reply.protocol;
  return own;
}

/** The session's own set of names for one kind of subscription. */
function clientSet(c: ClientSession, kind: SubscriptionKind): Set<string> {
  if (kind === SubscriptionKind.Channel) return c.channels;
  if (kind === SubscriptionKind.Pattern) return c.patterns;
  return c.shardChannels;
}
