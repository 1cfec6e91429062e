/*
 * Finding RESP value boundaries in raw reply bytes, for tests that compare replies
 * byte for byte. Deliberately independent of @spinel/resp's decoder, so a bug there
 * cannot hide a difference here.
 */

const CR = 13;

/**
 * End offset (exclusive) of the RESP2/RESP3 value starting at `pos`, or -1 when
 * the bytes are incomplete. Attributes (`|`) are skipped together with the value
 * they decorate.
 */
export function frameEnd(buf: Buffer, pos: number): number {
  if (pos >= buf.length) return -1;
  const type = buf[pos]!;
  const cr = buf.indexOf(CR, pos);
  if (cr === -1 || cr + 1 >= buf.length) return -1;
  const lineEnd = cr + 2;
  switch (type) {
    case 0x2b: // +
    case 0x2d: // -
    case 0x3a: // :
    case 0x2c: // ,
    case 0x23: // #
    case 0x5f: // _
    case 0x28: // (
      return lineEnd;
    case 0x24: // $
    case 0x3d: // =
    case 0x21: {
      // !
      const length = Number(buf.toString("latin1", pos + 1, cr));
      if (length < 0) return lineEnd;
      const end = lineEnd + length + 2;
      return end <= buf.length ? end : -1;
    }
    case 0x2a: // *
    case 0x7e: // ~
    case 0x3e: // >
    case 0x25: // %
    case 0x7c: {
      // |
      const count = Number(buf.toString("latin1", pos + 1, cr));
      if (count < 0) return lineEnd;
      const children = type === 0x25 || type === 0x7c ? count * 2 : count;
      let p = lineEnd;
      for (let i = 0; i < children; i++) {
        p = frameEnd(buf, p);
        if (p === -1) return -1;
      }
      return type === 0x7c ? frameEnd(buf, p) : p;
    }
    default:
      throw new Error(
        `not a RESP type byte: 0x${type.toString(16)} at ${pos} in ${JSON.stringify(buf.toString("latin1"))}`,
      );
  }
}

/**
 * Split an aggregate reply into [header, children...] raw frames; a non-aggregate
 * gives [frame].
 */
export function splitAggregate(frame: Buffer): { header: Buffer; children: Buffer[] } {
  const type = frame[0]!;
  const cr = frame.indexOf(CR);
  const header = frame.subarray(0, cr + 2);
  if (![0x2a, 0x7e, 0x3e, 0x25].includes(type)) return { header: frame, children: [] };
  const count = Number(frame.toString("latin1", 1, cr));
  if (count < 0) return { header, children: [] };
  const children: Buffer[] = [];
  let p = cr + 2;
  const total = type === 0x25 ? count * 2 : count;
  for (let i = 0; i < total; i++) {
    const end = frameEnd(frame, p);
    children.push(frame.subarray(p, end));
    p = end;
  }
  if (type === 0x25) {
    // Map: keep key and value together so sorting compares pairs.
    const pairs: Buffer[] = [];
    for (let i = 0; i < children.length; i += 2) pairs.push(Buffer.concat([children[i]!, children[i + 1]!]));
    return { header, children: pairs };
  }
  return { header, children };
}

/** Encode argv as a RESP multibulk request. */
export function encodeCommand(argv: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const arg of argv) {
    const bytes = typeof arg === "string" ? Buffer.from(arg, "utf8") : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/** A reply made readable: CR/LF shown, non-printable bytes escaped. */
export function showReply(frame: Buffer): string {
  let out = "";
  for (const byte of frame) {
    if (byte === 13) out += "\\r";
    else if (byte === 10) out += "\\n";
    else if (byte < 32 || byte > 126) out += `\\x${byte.toString(16).padStart(2, "0")}`;
    else out += String.fromCharCode(byte);
  }
  return out;
}
