/*
 * LZF, the compression Redis applies to RDB strings longer than 20 bytes
 * (rdbcompression yes): liblzf's format, and its compressor as Redis builds it
 * (HLOG 16, VERY_FAST, hash slots holding offsets), so that compressed output
 * is byte-identical to redis-server's. Used for FUNCTION DUMP payloads; the RDB
 * writer can reuse it.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** liblzf's hash of the 3 bytes ending at `ip` (VERY_FAST variant). */
function slot(hval: number): number {
  return ((hval >>> (3 * 8 - HLOG)) - hval * 5) & (HSIZE - 1);
}

/**
 * Compress `input` into at most `outLength` bytes (liblzf's lzf_compress).
 * Returns the compressed bytes, or null when they would not fit (Redis then
 * stores the string plain).
 */
export function lzfCompress(input: Uint8Array, outLength: number): Buffer | null {
  const inLen = input.length;
  if (inLen === 0 || outLength === 0) return null;
  const out = Buffer.alloc(outLength + 3);
  const htab = new Int32Array(HSIZE); // offsets + 1; 0 = empty (never matches, as offset 0 cannot)
  let ip = 0;
  let op = 1; // start a literal run
  let lit = 0;
  let hval = (input[0]! << 8) | input[1]!;
  while (ip < inLen - 2) {
    hval = ((hval << 8) | input[ip + 2]!) >>> 0;
    const h = slot(hval);
    const ref = htab[h]! - 1;
    htab[h] = ip + 1;
    const off = ip - ref - 1;
    if (
      ref > 0 &&
      off < MAX_OFF &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      let maxlen = inLen - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outLength && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLength) return null;
      out[op - lit - 1] = lit - 1; // stop the literal run
      if (lit === 0) op--; // undo an empty run
      do len++;
      while (len < maxlen && input[ref + len] === input[ip + len]);
      len -= 2;
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start a new run
      ip += len + 1;
      if (ip >= inLen - 2) break;
      ip -= 2;
      hval = (input[ip]! << 8) | input[ip + 1]!;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[slot(hval)] = ip + 1;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[slot(hval)] = ip + 1;
      ip++;
    } else {
      if (op >= outLength) return null;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLength) return null;
  while (ip < inLen) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return out.subarray(0, op);
}

/** LZF decompression into exactly `outLength` bytes, or null on malformed input. */
export function lzfDecompress(input: Uint8Array, outLength: number): Buffer | null {
  const out = Buffer.alloc(outLength);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    let ctrl = input[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outLength || ip + ctrl > input.length) return null;
      for (let i = 0; i < ctrl; i++) out[op++] = input[ip++]!;
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (len === 7) {
        if (ip >= input.length) return null;
        len += input[ip++]!;
      }
      if (ip >= input.length) return null;
      ref -= input[ip++]!;
      len += 2;
      if (op + len > outLength || ref < 0) return null;
      for (let i = 0; i < len; i++) out[op++] = out[ref++]!;
    }
  }
  return op === outLength ? out : null;
}
