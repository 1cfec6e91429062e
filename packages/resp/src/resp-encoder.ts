/*
 * Encoding to RESP outside the server's reply path: encodeValue() renders a
 * decoded value back to bytes (round-trip tests, proxies, tools), and
 * encodeCommand() renders a request the way client libraries send it.
 * The server itself writes replies through ReplyWriter.
 */

import { formatDouble } from "./double-format.js";
import type { RespVersion } from "./reply-writer.js";
import {
  RespAttributed,
  RespBigNumber,
  RespDouble,
  RespError,
  RespMap,
  RespPush,
  RespSet,
  type RespValue,
  RespVerbatim,
} from "./resp-value.js";

const CR = 13;
const LF = 10;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** A growable output buffer for the encoders. */
class ByteBuilder {
  private bytes: Buffer;
  private length: number;

  constructor(initial: number) {
    this.bytes = Buffer.allocUnsafe(initial > 64 ? initial : 64);
    this.length = 0;
  }

  /** Make room for `extra` more bytes. */
  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(needed > this.bytes.length * 2 ? needed : this.bytes.length * 2);
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  /** Latin1 text (one byte per char). */
  text(text: string): void {
    this.ensure(text.length);
    this.length += this.bytes.write(text, this.length, "latin1");
  }

  /** Raw bytes. */
  data(data: Uint8Array): void {
    this.ensure(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** `<prefix><text>\r\n`. */
  line(prefix: string, text: string): void {
    this.text(prefix);
    this.text(text);
    this.crlf();
  }

  crlf(): void {
    this.ensure(2);
    this.bytes[this.length++] = CR;
    this.bytes[this.length++] = LF;
  }

  /** `$<len>\r\n<bytes>\r\n` (or another blob prefix). */
  blob(prefix: string, data: Uint8Array): void {
    this.line(prefix, String(data.length));
    this.data(data);
    this.crlf();
  }

  /** Everything written, as one Buffer. */
  result(): Buffer {
    return this.bytes.subarray(0, this.length);
  }
}

/**
 * Render a decoded value as RESP bytes. With protocol 3 (the default) every value
 * keeps its type, so decoding the result gives back an equal value; null becomes
 * `_`. With protocol 2 the value is rendered as Redis renders it for a RESP2
 * client: null as `$-1`, maps as flat arrays, sets and pushes as arrays, doubles,
 * big numbers and verbatim strings as bulk strings, booleans as 1/0, attributes
 * dropped, blob errors as simple errors (CR and LF turned into spaces).
 * Throws TypeError for what RESP cannot carry: a simple string or error with CR,
 * LF or characters above U+00FF, a number that is not a safe integer (use
 * RespDouble), a bigint outside 64 bits (use RespBigNumber), a verbatim format
 * that is not three bytes.
 */
export function encodeValue(value: RespValue, protocol: RespVersion = 3): Buffer {
  const out = new ByteBuilder(256);
  writeValue(out, value, protocol);
  return out.result();
}

function writeValue(out: ByteBuilder, value: RespValue, protocol: RespVersion): void {
  if (value === null) {
    out.text(protocol === 3 ? "_\r\n" : "$-1\r\n");
    return;
  }
  switch (typeof value) {
    case "string":
      checkLine(value, "simple string");
      out.line("+", value);
      return;
    case "number":
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(`integer replies need a safe integer, got ${value}: use RespDouble`);
      }
      out.line(":", String(value));
      return;
    case "bigint":
      if (value > INT64_MAX || value < INT64_MIN) {
        throw new TypeError(`integer replies are 64-bit, got ${value}: use RespBigNumber`);
      }
      out.line(":", value.toString());
      return;
    case "boolean":
      if (protocol === 3) out.text(value ? "#t\r\n" : "#f\r\n");
      else out.text(value ? ":1\r\n" : ":0\r\n");
      return;
  }
  if (Buffer.isBuffer(value)) {
    out.blob("$", value);
  } else if (Array.isArray(value)) {
    out.line("*", String(value.length));
    for (const item of value) writeValue(out, item, protocol);
  } else if (value instanceof RespError) {
    writeError(out, value, protocol);
  } else if (value instanceof RespMap) {
    out.line(protocol === 3 ? "%" : "*", String(protocol === 3 ? value.size : value.size * 2));
    for (const [key, item] of value.entries) {
      writeValue(out, key, protocol);
      writeValue(out, item, protocol);
    }
  } else if (value instanceof RespSet || value instanceof RespPush) {
    const prefix = protocol !== 3 ? "*" : value instanceof RespSet ? "~" : ">";
    out.line(prefix, String(value.items.length));
    for (const item of value.items) writeValue(out, item, protocol);
  } else if (value instanceof RespDouble) {
    const text = formatDouble(value.value);
    if (protocol === 3) out.line(",", text);
    else out.blob("$", Buffer.from(text, "latin1"));
  } else if (value instanceof RespBigNumber) {
    const text = value.value.toString();
    if (protocol === 3) out.line("(", text);
    else out.blob("$", Buffer.from(text, "latin1"));
  } else if (value instanceof RespVerbatim) {
    writeVerbatim(out, value, protocol);
  } else if (value instanceof RespAttributed) {
    if (protocol === 3) {
      out.line("|", String(value.attributes.size));
      for (const [key, item] of value.attributes.entries) {
        writeValue(out, key, protocol);
        writeValue(out, item, protocol);
      }
    }
    writeValue(out, value.value, protocol);
  } else {
    throw new TypeError(`not a RESP value: ${Object.prototype.toString.call(value)}`);
  }
}

function writeError(out: ByteBuilder, error: RespError, protocol: RespVersion): void {
  checkLatin1(error.message, "error");
  if (error.blob && protocol === 3) {
    out.blob("!", Buffer.from(error.message, "latin1"));
    return;
  }
  if (error.blob) {
    out.line("-", error.message.replace(/[\r\n]/g, " "));
    return;
  }
  checkLine(error.message, "simple error");
  out.line("-", error.message);
}

function writeVerbatim(out: ByteBuilder, verbatim: RespVerbatim, protocol: RespVersion): void {
  if (protocol !== 3) {
    out.blob("$", verbatim.data);
    return;
  }
  const format = verbatim.format;
  checkLatin1(format, "verbatim format");
  if (format.length !== 3)
    throw new TypeError(`a verbatim format is three bytes, got ${JSON.stringify(format)}`);
  out.line("=", String(verbatim.data.length + 4));
  out.text(format);
  out.text(":");
  out.data(verbatim.data);
  out.crlf();
}

/** A simple string or error must be one latin1 line. */
function checkLine(text: string, what: string): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === CR || code === LF) throw new TypeError(`a ${what} cannot contain CR or LF`);
    if (code > 0xff) throw new TypeError(`a ${what} is latin1 text (one byte per character)`);
  }
}

function checkLatin1(text: string, what: string): void {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) throw new TypeError(`a ${what} is latin1 text (one byte per character)`);
  }
}

// ------------------------------------------------------------------ requests

/** One argument of a command: bytes, text (sent as UTF-8, as client libraries do) or a number. */
export type CommandArgument = Uint8Array | string | number | bigint;

/**
 * Render a command as a multibulk request: `*<n>\r\n` and one `$<len>\r\n<bytes>\r\n`
 * per argument, in one Buffer. Strings are sent as UTF-8, numbers in decimal.
 * Throws TypeError for a number that is not finite.
 */
export function encodeCommand(argv: readonly CommandArgument[]): Buffer {
  const count = argv.length;
  const payloads = new Array<Uint8Array | string>(count);
  const lengths = new Array<number>(count);
  let total = 3 + String(count).length;
  for (let i = 0; i < count; i++) {
    const argument = argv[i]!;
    let payload: Uint8Array | string;
    let length: number;
    if (typeof argument === "string") {
      payload = argument;
      length = Buffer.byteLength(argument, "utf8");
    } else if (typeof argument === "number" || typeof argument === "bigint") {
      if (typeof argument === "number" && !Number.isFinite(argument)) {
        throw new TypeError(`cannot send ${argument} as a command argument`);
      }
      payload = String(argument);
      length = payload.length;
    } else {
      payload = argument;
      length = argument.length;
    }
    payloads[i] = payload;
    lengths[i] = length;
    total += 5 + String(length).length + length;
  }
  const out = Buffer.allocUnsafe(total);
  let pos = out.write(`*${count}\r\n`, 0, "latin1");
  for (let i = 0; i < count; i++) {
    const payload = payloads[i]!;
    pos += out.write(`$${lengths[i]}\r\n`, pos, "latin1");
    if (typeof payload === "string") pos += out.write(payload, pos, "utf8");
    else {
      out.set(payload, pos);
      pos += payload.length;
    }
    out[pos++] = CR;
    out[pos++] = LF;
  }
  return out;
}
