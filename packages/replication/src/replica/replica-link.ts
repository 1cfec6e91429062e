/*
 * The replica side of replication: the link to a primary. It connects, makes
 * the handshake (PING, REPLCONF listening-port, REPLCONF capa eof capa psync2,
 * PSYNC), receives the RDB of a full resynchronisation in either form
 * (`$<len>\r\n<rdb>` or `$EOF:<mark>\r\n<rdb><mark>`), then reads the command
 * stream, counting its offset, and hands each command to the server. It
 * acknowledges its offset every second and on REPLCONF GETACK, and reconnects
 * after a dropped link with PSYNC <replid> <offset + 1>.
 *
 * A primary that hands its role over (FAILOVER) follows its chosen replica
 * with `failover` set: its PSYNC then carries FAILOVER, which asks that replica
 * to promote itself first; the handler learns whether the PSYNC was accepted.
 *
 * What to do with the data is the server's: the link calls its handler with
 * the RDB, each command and the raw bytes (for sub-replicas and the backlog).
 */

import { connect, type Socket } from "node:net";
import { encodeCommand, StreamCommandParser } from "../command-encoding.js";

/** Where the link stands (INFO master_link_status and the handshake states). */
export type LinkState = "connecting" | "handshake" | "transfer" | "connected" | "stopped";

/** What the server does with what the link receives. */
export interface ReplicaLinkHandler {
  /** The replication ID and offset this replica can continue from, or null (PSYNC ? -1). */
  resumePoint(): { replid: string; offset: number } | null;
  /** The port announced with REPLCONF listening-port. */
  listeningPort(): number;
  /** +FULLRESYNC: a new history begins at `offset` under `replid`. */
  fullSyncStarted(replid: string, offset: number): void;
  /**
   * The RDB of a full sync arrived whole: load it, possibly across several loop
   * turns, then call `done` with null, or with the reason it could not be
   * loaded (the link is then dropped and retried). Stream bytes that arrive
   * meanwhile are kept by the link and applied after `done`.
   */
  loadRdb(rdb: Buffer, done: (failure: Error | null) => void): void;
  /** The link went down or stopped while a load was running: abandon it (the dataset stays as it was). */
  abortLoad(): void;
  /** +CONTINUE [replid]: the stream goes on (a new ID when the primary was promoted). */
  continued(replid: string | null): void;
  /** One command of the stream (not PING or REPLCONF), with its encoded bytes. */
  apply(argv: Buffer[], bytes: Buffer): void;
  /** Bytes of the stream applied without a command to run (PING, REPLCONF GETACK ...). */
  passThrough(bytes: Buffer): void;
  /** The link is up (after the transfer) or went down. */
  linkChanged(up: boolean): void;
  /**
   * The primary answered a PSYNC ... FAILOVER: `accepted` for +CONTINUE or
   * +FULLRESYNC, else `reply` is its refusal (the link is dropped and retried
   * unless the handler stops it).
   */
  failoverPsyncAnswered(accepted: boolean, reply: string): void;
  log(level: "info" | "warn", message: string): void;
}

/** Options of a link. */
export interface ReplicaLinkOptions {
  host: string;
  port: number;
  handler: ReplicaLinkHandler;
  /** Drop the link when the primary is silent this long (repl-timeout), ms. */
  timeoutMs?: number;
  /** Wait between reconnection attempts, ms (default 1000). */
  retryMs?: number;
  /** Send PSYNC ... FAILOVER (see `failover`). */
  failover?: boolean;
}

const CRLF = Buffer.from("\r\n");
const NEWLINE = Buffer.from("\n");
const PING = Buffer.from("ping");
const REPLCONF = Buffer.from("replconf");
const GETACK = Buffer.from("getack");

/** True when `arg` is `lowerWord` in any letter case (ASCII letters only). */
function isWord(arg: Buffer, lowerWord: Buffer): boolean {
  if (arg.length !== lowerWord.length) return false;
  for (let i = 0; i < arg.length; i++) if ((arg[i]! | 0x20) !== lowerWord[i]) return false;
  return true;
}

/** Length of the mark that ends an EOF-marked (diskless) transfer. */
const EOF_MARK_LENGTH = 40;

/** One replica's link to its primary; see the file comment. */
export class ReplicaLink {
  readonly host: string;
  readonly port: number;
  state: LinkState;
  /** The primary's stream offset this replica processed (slave_repl_offset). */
  offset: number;
  /** Bytes read from the primary's stream, processed or not (slave_read_repl_offset). */
  readOffset: number;
  /** When (ms) the primary last sent anything. */
  lastIoTime: number;
  /** When (ms) the link went down, or 0 while up. */
  downSince: number;
  /** Bytes of the RDB received so far, and expected (-1 with an EOF mark). */
  transferRead: number;
  transferSize: number;
  timeoutMs: number;
  /** Bytes received from primaries over all links (total_net_repl_input_bytes). */
  bytesReceived: number;
  /**
   * While true, PSYNC carries FAILOVER: this server was the primary and asks
   * the one it connects to to take the role over (FAILOVER's hand-over).
   */
  failover: boolean;
  /** Wait between reconnection attempts, ms (shorter while a failover hands over). */
  retryMs: number;
  private readonly handler: ReplicaLinkHandler;
  private socket: Socket | null;
  private input: Buffer;
  private step: "pong" | "port" | "capa" | "psync" | "bulk-header" | "bulk" | "loading" | "stream";
  private eofMark: Buffer | null;
  private rdbParts: Buffer[];
  /** Stream bytes received while the RDB loads, applied once it is loaded. */
  private heldStream: Buffer[];
  private parser: StreamCommandParser;
  private ackTimer: NodeJS.Timeout | null;
  /** The offset PSYNC asked to continue after, or -1. */
  private resumeOffset: number;
  private retryTimer: NodeJS.Timeout | null;

  constructor(options: ReplicaLinkOptions) {
    this.host = options.host;
    this.port = options.port;
    this.handler = options.handler;
    this.retryMs = options.retryMs ?? 1000;
    this.failover = options.failover ?? false;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.state = "connecting";
    this.offset = 0;
    this.readOffset = 0;
    this.lastIoTime = Date.now();
    this.downSince = Date.now();
    this.transferRead = 0;
    this.transferSize = -1;
    this.bytesReceived = 0;
    this.socket = null;
    this.input = Buffer.alloc(0);
    this.step = "pong";
    this.eofMark = null;
    this.rdbParts = [];
    this.heldStream = [];
    this.parser = new StreamCommandParser();
    this.ackTimer = null;
    this.retryTimer = null;
    this.resumeOffset = -1;
  }

  /** Connect (again). */
  start(): void {
    if (this.state === "stopped") return;
    this.state = "connecting";
    this.input = Buffer.alloc(0);
    this.step = "pong";
    const socket = connect({ host: this.host, port: this.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      this.state = "handshake";
      this.lastIoTime = Date.now();
      this.send(["PING"]);
    });
    socket.on("data", (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.lastIoTime = Date.now();
      this.bytesReceived += chunk.length;
      try {
        this.onData(chunk);
      } catch (error) {
        this.handler.log("warn", `Replication link error: ${(error as Error).message}`);
        this.drop();
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      if (this.socket === socket) this.drop();
    });
  }

  /** Stop for good (REPLICAOF NO ONE / another primary). */
  stop(): void {
    this.state = "stopped";
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.closeSocket();
  }

  /** Close the connection and try again later (CLIENT KILL TYPE master, an error, a timeout). */
  drop(): void {
    const wasUp = this.state === "connected";
    this.closeSocket();
    if (this.state === "stopped") return;
    this.state = "connecting";
    this.downSince = Date.now();
    if (wasUp) this.handler.linkChanged(false);
    if (this.retryTimer === null) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.start();
      }, this.retryMs);
    }
  }

  /** True while the stream flows (master_link_status:up). */
  get up(): boolean {
    return this.state === "connected";
  }

  /** Send REPLCONF ACK <offset>, and drop the link when the primary has been silent too long. */
  tick(now: number): void {
    if (this.step === "loading") {
      // A newline tells the primary this replica is alive while it loads (the
      // primary counts it as an ACK for its repl-timeout, as redis-server does).
      this.socket?.write(NEWLINE);
      return;
    }
    if (this.state === "connected") {
      if (now - this.lastIoTime > this.timeoutMs) {
        this.handler.log("warn", "MASTER timeout: no data nor PING received...");
        this.drop();
        return;
      }
      this.sendAck();
    } else if (
      this.state !== "stopped" &&
      this.state !== "connecting" &&
      now - this.lastIoTime > this.timeoutMs
    ) {
      this.handler.log("warn", "Timeout connecting to the MASTER...");
      this.drop();
    }
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (this.step === "loading") {
      this.step = "pong";
      this.heldStream = [];
      this.handler.abortLoad();
    }
    if (this.ackTimer !== null) clearInterval(this.ackTimer);
    this.ackTimer = null;
    socket?.destroy();
  }

  private send(argv: readonly string[]): void {
    this.socket?.write(encodeCommand(argv.map((a) => Buffer.from(a, "latin1"))));
  }

  private sendAck(): void {
    this.send(["REPLCONF", "ACK", String(this.offset)]);
  }

  // ---------------------------------------------------------------- input

  private onData(chunk: Buffer): void {
    if (this.step === "loading") {
      this.readOffset += chunk.length;
      this.heldStream.push(chunk);
      return;
    }
    if (this.step === "stream") {
      this.readOffset += chunk.length;
      this.parser.push(chunk);
      this.processStream();
      return;
    }
    this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
    this.advanceHandshake();
  }

  /** One reply line, without keep-alive newlines before it, or null. */
  private takeLine(): string | null {
    while (this.input.length > 0 && this.input[0] === 10) this.input = this.input.subarray(1);
    const at = this.input.indexOf(CRLF);
    if (at < 0) return null;
    const line = this.input.subarray(0, at).toString("latin1");
    this.input = this.input.subarray(at + 2);
    return line;
  }

  private advanceHandshake(): void {
    for (;;) {
      if (this.step === "bulk") {
        if (!this.takeBulk()) return;
        continue;
      }
      if (this.step === "loading") {
        const rest = this.input;
        this.input = Buffer.alloc(0);
        if (rest.length > 0) this.onData(rest);
        return;
      }
      if (this.step === "stream") {
        const rest = this.input;
        this.input = Buffer.alloc(0);
        if (rest.length > 0) this.onData(rest);
        return;
      }
      const line = this.takeLine();
      if (line === null) return;
      this.onLine(line);
      if (this.socket === null) return;
    }
  }

  private onLine(line: string): void {
    switch (this.step) {
      case "pong":
        // -NOAUTH and friends still mean the primary is there (masterauth is not supported).
        if (line.startsWith("-") && !/^-(NOAUTH|NOPERM|ERR operation not permitted)/.test(line)) {
          throw new Error(`Error reply to PING from primary: '${line}'`);
        }
        this.send(["REPLCONF", "listening-port", String(this.handler.listeningPort())]);
        this.step = "port";
        return;
      case "port":
        this.send(["REPLCONF", "capa", "eof", "capa", "psync2"]);
        this.step = "capa";
        return;
      case "capa": {
        const resume = this.handler.resumePoint();
        const psync =
          resume === null ? ["PSYNC", "?", "-1"] : ["PSYNC", resume.replid, String(resume.offset + 1)];
        if (this.failover) psync.push("FAILOVER");
        this.send(psync);
        this.resumeOffset = resume === null ? -1 : resume.offset;
        this.step = "psync";
        return;
      }
      case "psync":
        this.onPsyncReply(line);
        return;
      case "bulk-header":
        this.onBulkHeader(line);
        return;
      default:
        return;
    }
  }

  private onPsyncReply(line: string): void {
    const words = line.split(" ");
    if (this.failover) {
      const accepted = words[0] === "+FULLRESYNC" || words[0] === "+CONTINUE";
      this.handler.failoverPsyncAnswered(accepted, line);
      // A refusal the handler answered by stopping the link (a rolled-back failover) ends here.
      if (this.state === "stopped") return;
    }
    if (words[0] === "+FULLRESYNC" && words.length >= 3) {
      const offset = Number(words[2]);
      this.handler.log("info", `Full resync from master: ${words[1]}:${offset}`);
      this.offset = offset;
      this.readOffset = offset;
      this.handler.fullSyncStarted(words[1]!, offset);
      this.state = "transfer";
      this.step = "bulk-header";
      return;
    }
    if (words[0] === "+CONTINUE") {
      if (this.resumeOffset < 0) throw new Error("+CONTINUE to PSYNC ? -1");
      this.offset = this.resumeOffset;
      this.readOffset = this.resumeOffset;
      this.handler.log("info", "Successful partial resynchronization with master.");
      this.handler.continued(words[1] ?? null);
      this.startStream();
      return;
    }
    throw new Error(`Unexpected reply to PSYNC from master: ${line}`);
  }

  private onBulkHeader(line: string): void {
    if (!line.startsWith("$")) throw new Error(`Bad protocol from MASTER: ${line}`);
    if (line.startsWith("$EOF:")) {
      this.eofMark = Buffer.from(line.slice(5), "latin1");
      if (this.eofMark.length !== EOF_MARK_LENGTH) throw new Error("bad EOF mark from the primary");
      this.transferSize = -1;
    } else {
      this.eofMark = null;
      this.transferSize = Number(line.slice(1));
      if (!Number.isInteger(this.transferSize) || this.transferSize < 0) throw new Error("bad RDB length");
    }
    this.transferRead = 0;
    this.rdbParts = [];
    this.step = "bulk";
  }

  /** Consume RDB bytes; true once the whole RDB was received (its load then starts). */
  private takeBulk(): boolean {
    const input = this.input;
    const mark = this.eofMark;
    if (mark === null) {
      const need = this.transferSize - this.transferRead;
      const part = input.subarray(0, need);
      this.rdbParts.push(part);
      this.transferRead += part.length;
      this.input = input.subarray(part.length);
      if (this.transferRead < this.transferSize) return false;
      this.finishTransfer(Buffer.concat(this.rdbParts));
      return true;
    }
    // An EOF-marked transfer: everything up to the mark (the primary sends nothing after it until our ACK).
    if (input.length > 0) this.rdbParts.push(input);
    this.transferRead += input.length;
    this.input = Buffer.alloc(0);
    if (this.transferRead < EOF_MARK_LENGTH || !this.endsWithMark(mark)) return false;
    const all = Buffer.concat(this.rdbParts, this.transferRead);
    this.finishTransfer(all.subarray(0, all.length - EOF_MARK_LENGTH));
    return true;
  }

  /** True when the bytes received so far end with `mark` (compared across part boundaries). */
  private endsWithMark(mark: Buffer): boolean {
    let markIndex = mark.length;
    for (let p = this.rdbParts.length - 1; p >= 0 && markIndex > 0; p--) {
      const part = this.rdbParts[p]!;
      for (let i = part.length - 1; i >= 0 && markIndex > 0; i--) {
        if (part[i] !== mark[--markIndex]) return false;
      }
    }
    return markIndex === 0;
  }

  /** The RDB is here: the handler loads it (over several turns), then the stream starts. */
  private finishTransfer(rdb: Buffer): void {
    this.rdbParts = [];
    this.step = "loading";
    this.heldStream = [];
    const socket = this.socket;
    this.handler.log("info", `MASTER <-> REPLICA sync: Loading DB in memory (${rdb.length} bytes)`);
    this.handler.loadRdb(rdb, (failure) => {
      // A link that went down meanwhile abandoned this load (closeSocket).
      if (this.socket !== socket || this.step !== "loading") return;
      if (failure !== null) {
        this.step = "pong";
        this.heldStream = [];
        this.handler.log("warn", `Failed trying to load the MASTER synchronization DB: ${failure.message}`);
        this.drop();
        return;
      }
      this.handler.log("info", "MASTER <-> REPLICA sync: Finished with success");
      this.lastIoTime = Date.now();
      const held = this.heldStream;
      this.heldStream = [];
      this.startStream();
      this.sendAck();
      if (held.length > 0) {
        this.parser.push(held.length === 1 ? held[0]! : Buffer.concat(held));
        try {
          this.processStream();
        } catch (error) {
          this.handler.log("warn", `Replication link error: ${(error as Error).message}`);
          this.drop();
        }
      }
    });
  }

  private startStream(): void {
    this.step = "stream";
    this.state = "connected";
    this.downSince = 0;
    this.parser = new StreamCommandParser();
    this.handler.linkChanged(true);
  }

  private processStream(): void {
    for (;;) {
      const command = this.parser.next();
      if (command === null) return;
      const argv = command.argv;
      if (argv.length === 0 || isWord(argv[0]!, PING)) {
        this.handler.passThrough(command.bytes);
      } else if (isWord(argv[0]!, REPLCONF)) {
        this.handler.passThrough(command.bytes);
        if (argv.length >= 2 && isWord(argv[1]!, GETACK)) this.sendAck();
      } else {
        this.handler.apply(argv, command.bytes);
      }
      this.offset += command.bytes.length;
    }
  }
}
