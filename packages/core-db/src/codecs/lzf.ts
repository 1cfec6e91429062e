/*
 * LZF, the compression Redis applies to strings longer than 20 bytes in RDB files,
 * DUMP payloads and FUNCTION DUMP payloads (rdbcompression yes): liblzf's format,
 * and its compressor as Redis builds it (HLOG 16, VERY_FAST), so compressed output
 * is byte-identical to redis-server's. A compressed stream is a sequence of
 *   - literal runs: a control byte 000LLLLL, then L+1 bytes copied as they are;
 *   - back references: a control byte LLLOOOOO (LLL != 0), an extra length byte
 *     when LLL = 7, and a byte with the low 8 bits of the offset; it copies
 *     length+2 bytes starting (offset+1) bytes back in the output.
 * Offsets reach 8 KB back, matches are 3 to 264 bytes long.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** The compressor's position table, shared by every call (see tableBase). */
const hashTable = new Int32Array(HSIZE);
/** Where this call's entries start in hashTable's value space. */
let tableBase = 0;
/**
 * Past this, the table is cleared and tableBase starts again from 0. It stays
 * within V8's small-integer range (2^30): a larger module-level number is boxed,
 * and every call would allocate a new box to store it.
 */
const TABLE_BASE_LIMIT = 0x3fff0000;

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
  const out = Buffer.allocUnsafe(outLength + 3);
  const length = lzfCompressInto(input, 0, input.length, out, outLength);
  return length === 0 ? null : out.subarray(0, length);
}

/**
 * lzfCompress() of input[start, end) into `out` (at least `outLength` + 3 bytes
 * long, reusable from call to call): returns the compressed length, or 0 when
 * the result would not fit in `outLength` bytes. Allocates nothing.
 */
export function lzfCompressInto(
  input: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outLength: number,
): number {
  return lzfCompressAt(input, start, end, out, 0, outLength);
}

/**
 * lzfCompressInto() writing at out[outStart] instead of out[0] (`out` at least
 * outStart + outLength + 3 bytes long): an encoder can compress straight into
 * its output buffer behind a header it fills in afterwards. Returns the
 * compressed length, or 0 when it would exceed `outLength`. Allocates nothing.
 */
export function lzfCompressAt(
  input: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outStart: number,
  outLength: number,
): number {
  if (end - start === 0 || outLength === 0) return 0;
  const outLimit = outStart + outLength;
  // Slots written by this call hold base + position + 1; anything at or below base is
  // from an earlier call and reads as empty, so the table is never cleared per call.
  if (tableBase > TABLE_BASE_LIMIT - end) {
    hashTable.fill(0);
    tableBase = 0;
  }
  const base = tableBase;
  tableBase += end + 1;
  const htab = hashTable;
  let ip = start;
  let op = outStart + 1; // start a literal run
  let lit = 0;
  let hval = (input[start]! << 8) | input[start + 1]!;
  while (ip < end - 2) {
    hval = ((hval << 8) | input[ip + 2]!) >>> 0;
    const h = slot(hval);
    const stored = htab[h]!;
    const ref = stored > base ? stored - base - 1 : -1;
    htab[h] = base + ip + 1;
    const off = ip - ref - 1;
    if (
      ref > start &&
      off < MAX_OFF &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      let maxlen = end - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outLimit && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLimit) return 0;
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
      if (ip >= end - 2) break;
      ip -= 2;
      hval = (input[ip]! << 8) | input[ip + 1]!;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[slot(hval)] = base + ip + 1;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[slot(hval)] = base + ip + 1;
      ip++;
    } else {
      if (op >= outLimit) return 0;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLimit) return 0;
  while (ip < end) {
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
  return op - outStart;
}

/**
 * Decompress input[start, end) (default: all of `input`) into exactly
 * `outputLength` bytes. Throws an Error naming the problem when the stream is
 * malformed (a reference before the start, a run past either end, or a result
 * of another length).
 */
export function lzfDecompress(
  input: Uint8Array,
  outputLength: number,
  start = 0,
  end = input.length,
): Buffer {
  const out = Buffer.allocUnsafe(outputLength);
  lzfDecompressInto(input, start, end, out, outputLength);
  return out;
}

/**
 * lzfDecompress() of input[start, end) into out[0, outputLength) (`out` at
 * least that long, reusable from call to call): for a decoder that turns the
 * result into something else at once, so that no Buffer is made per string.
 * Throws as lzfDecompress does; out's bytes are then unspecified.
 */
export function lzfDecompressInto(
  input: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outputLength: number,
): void {
  if (out.length < outputLength) throw new RangeError("LZF output buffer too small");
  let ip = start;
  let op = 0;
  const inputLength = end;
  while (ip < inputLength) {
    const control = input[ip++]!;
    if (control < 32) {
      const run = control + 1;
      if (op + run > outputLength) throw new Error("LZF literal run past the output length");
      if (ip + run > inputLength) throw new Error("LZF literal run past the input end");
      // Runs are at most 32 bytes: a loop beats making a view to copy from.
      for (let i = 0; i < run; i++) out[op + i] = input[ip + i]!;
      ip += run;
      op += run;
      continue;
    }
    let length = control >>> 5;
    if (length === 7) {
      if (ip >= inputLength) throw new Error("LZF reference past the input end");
      length += input[ip++]!;
    }
    if (ip >= inputLength) throw new Error("LZF reference past the input end");
    const ref = op - ((control & 0x1f) << 8) - input[ip++]! - 1;
    length += 2;
    if (ref < 0) throw new Error("LZF reference before the output start");
    if (op + length > outputLength) throw new Error("LZF reference past the output length");
    for (let i = 0; i < length; i++) out[op + i] = out[ref + i]!;
    op += length;
  }
  if (op !== outputLength) throw new Error(`LZF data decompresses to ${op} bytes, ${outputLength} announced`);
}
