/*
 * Differential scenarios over several connections: the same script runs against a
 * real redis-server and against Spinel, and everything each connection receives
 * (replies, messages, pushes, MONITOR lines) is compared step by step.
 *
 * How a step's output is delimited: after the step's command, every connection
 * sends `PING <token>` (allowed in every mode, subscribed RESP2 included) and
 * reads until the frame carrying the token; the frames before it are what that
 * connection received because of the step. Messages published by a command are
 * queued before its reply, so they cannot arrive after the token.
 */

import net from "node:net";
import type { Arg } from "../differential/corpus-types.js";
import { encodeCommand, frameEnd, showReply, splitAggregate } from "../support/resp-frames.js";

/** How a connection's frames of one step are compared. */
export type StreamCompare =
  /** Byte for byte, in order. */
  | "exact"
  /** The frames as a multiset (Redis walks a hash table: order is not defined). */
  | "unordered"
  /** Each aggregate's elements as a multiset (PUBSUB CHANNELS). */
  | "unordered-elements"
  /**
   * UNSUBSCRIBE-all confirmations: the names as a multiset, and the sequence of
   * (kind, remaining count) in order (the counts go down whatever the order).
   */
  | "unsubscribe-all"
  /** MONITOR lines: timestamps and client addresses masked, lines of the sync PINGs dropped. */
  | "monitor"
  /** Not compared. */
  | "ignore";

/**
 * One step: a command (or, with `cmds`, several pipelined commands: a whole
 * MULTI ... EXEC, where a sync PING would be queued) sent on one connection, or a pause.
 * `blocks` marks a command that leaves its connection blocked (BLPOP on an empty
 * list): the connection is not synced until a later step names it in `unblocks`.
 */
export type StreamStep =
  | {
      readonly on: string;
      readonly cmd: readonly Arg[];
      readonly compare?: Readonly<Record<string, StreamCompare>>;
      readonly blocks?: boolean;
      readonly unblocks?: string;
    }
  | {
      readonly on: string;
      readonly cmds: readonly (readonly Arg[])[];
      readonly compare?: Readonly<Record<string, StreamCompare>>;
    }
  | { readonly sleep: number; readonly compare?: Readonly<Record<string, StreamCompare>> };

/** A script over named connections. */
export interface StreamScenario {
  readonly name: string;
  /** Connection names; each starts as a fresh RESP2 connection. */
  readonly clients: readonly string[];
  /** Connections switched to RESP3 (HELLO 3) before the first step. */
  readonly resp3?: readonly string[];
  readonly steps: readonly StreamStep[];
}

/** A connection that reads raw frames and can delimit them with a PING token. */
export class StreamConnection {
  private readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private frames: Buffer[] = [];
  private wake: (() => void) | null = null;
  private closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const end = frameEnd(this.buffer, 0);
        if (end === -1) break;
        this.frames.push(Buffer.from(this.buffer.subarray(0, end)));
        this.buffer = this.buffer.subarray(end);
      }
      this.wake?.();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on("error", () => {});
  }

  static connect(port: number): Promise<StreamConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1", noDelay: true });
      socket.once("connect", () => resolve(new StreamConnection(socket)));
      socket.once("error", reject);
    });
  }

  send(argv: readonly Arg[]): void {
    this.socket.write(encodeCommand(argv));
  }

  /** Send `PING <token>` and return the frames received before its reply. */
  async sync(token: string, timeoutMs = 5000): Promise<Buffer[]> {
    this.send(["PING", token]);
    const needle = Buffer.from(token);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex((frame) => frame.includes(needle) && !isMonitorLine(frame));
      if (index !== -1) {
        const before = this.frames.slice(0, index);
        this.frames = this.frames.slice(index + 1);
        return before;
      }
      if (this.closed) throw new Error(`connection closed while waiting for ${token}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no reply to PING ${token}; got ${this.frames.map(showReply).join(" | ")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function isMonitorLine(frame: Buffer): boolean {
  return frame[0] === 0x2b && /^\+\d+\.\d{6} \[/.test(frame.toString("latin1", 0, 40));
}

/** Normalize a step's frames of one connection for comparison. */
export function normalizeFrames(frames: readonly Buffer[], mode: StreamCompare): string {
  switch (mode) {
    case "ignore":
      return "";
    case "unordered":
      return frames.map(showReply).sort().join(" | ");
    case "unordered-elements":
      return frames
        .map((frame) => {
          const { header, children } = splitAggregate(frame);
          return `${showReply(header)}{${children.map(showReply).sort().join(", ")}}`;
        })
        .join(" | ");
    case "unsubscribe-all": {
      const names: string[] = [];
      const counts: string[] = [];
      for (const frame of frames) {
        const text = showReply(frame);
        const match = /^(\*|>)3\\r\\n(\$\d+\\r\\n\w+\\r\\n)(.*)(:\d+\\r\\n)$/.exec(text);
        if (match === null) {
          counts.push(text);
          continue;
        }
        names.push(match[3]!);
        counts.push(match[1]! + match[2]! + match[4]!);
      }
      return `${counts.join(" | ")} names {${names.sort().join(", ")}}`;
    }
    case "monitor":
      return frames
        .map((frame) => frame.toString("latin1"))
        .filter((line) => !/ "PING" "sync-/.test(line))
        .map((line) => line.replace(/^\+\d+\.\d{6} /, "+<time> ").replace(/\[(\d+) [^\]]+\]/, "[$1 <addr>]"))
        .join("");
    default:
      return frames.map(showReply).join(" | ");
  }
}

/** The output of one scenario on one server: per step, per connection, the frames. */
export type ScenarioOutput = Array<Record<string, Buffer[]>>;

/** Run `scenario` against the server on `port`. */
export async function runScenario(port: number, scenario: StreamScenario): Promise<ScenarioOutput> {
  const connections = new Map<string, StreamConnection>();
  try {
    for (const name of scenario.clients) connections.set(name, await StreamConnection.connect(port));
    let tokenCounter = 0;
    const blocked = new Set<string>();
    const syncAll = async (): Promise<Record<string, Buffer[]>> => {
      const received: Record<string, Buffer[]> = {};
      for (const [name, connection] of connections) {
        received[name] = blocked.has(name) ? [] : await connection.sync(`sync-${tokenCounter++}`);
      }
      return received;
    };
    for (const name of scenario.resp3 ?? []) connections.get(name)!.send(["HELLO", "3"]);
    await syncAll();
    const output: ScenarioOutput = [];
    for (const step of scenario.steps) {
      if ("sleep" in step) {
        await new Promise((r) => setTimeout(r, step.sleep));
      } else {
        const connection = connections.get(step.on);
        if (connection === undefined) throw new Error(`no connection named ${step.on}`);
        for (const argv of "cmds" in step ? step.cmds : [step.cmd]) connection.send(argv);
        if ("blocks" in step && step.blocks === true) blocked.add(step.on);
        if ("unblocks" in step && step.unblocks !== undefined) blocked.delete(step.unblocks);
      }
      output.push(await syncAll());
    }
    return output;
  } finally {
    for (const connection of connections.values()) connection.close();
  }
}

/** A difference between the two servers' outputs. */
export interface StreamMismatch {
  step: number;
  command: string;
  client: string;
  redis: string;
  spinel: string;
}

/** Compare the outputs of one scenario, step by step and connection by connection. */
export function compareOutputs(
  scenario: StreamScenario,
  redis: ScenarioOutput,
  spinel: ScenarioOutput,
): StreamMismatch[] {
  const mismatches: StreamMismatch[] = [];
  scenario.steps.forEach((step, index) => {
    const command =
      "sleep" in step
        ? `(sleep ${step.sleep})`
        : `${step.on}: ${("cmds" in step ? step.cmds : [step.cmd]).map(describe).join("; ")}`;
    for (const client of scenario.clients) {
      const mode = step.compare?.[client] ?? "exact";
      const expected = normalizeFrames(redis[index]![client]!, mode);
      const actual = normalizeFrames(spinel[index]![client]!, mode);
      if (expected !== actual)
        mismatches.push({ step: index, command, client, redis: expected, spinel: actual });
    }
  });
  return mismatches;
}

function describe(argv: readonly Arg[]): string {
  return argv.map((arg) => (typeof arg === "string" ? arg : showReply(arg))).join(" ");
}
