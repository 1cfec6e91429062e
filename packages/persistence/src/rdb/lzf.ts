/*
 * LZF, the compression Redis uses for long strings in RDB files and DUMP
 * payloads (liblzf's format). A compressed stream is a sequence of
 *   - literal runs: a control byte 000LLLLL, then L+1 bytes copied as they are;
 *   - back references: a control byte LLLOOOOO (LLL != 0), an extra length byte
 *     when LLL = 7, and a byte with the low 8 bits of the offset; it copies
 *     length+2 bytes starting (offset+1) bytes back in the output.
 * Offsets reach 8 KB back, matches are 3 to 264 bytes long.
 */

const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3); // 264
const HASH_LOG = 14;
const HASH_SIZE = 1 << HASH_LOG;

/** Position table of the compressor (reused; entries are input offsets + 1, 0 = empty). */
const hashTable = new Int32Array(HASH_SIZE);

/**
 * Compress `input` into at most `maxOutput` bytes. Returns the compressed bytes,
 * or null when they would not fit (the caller then stores the data as is).
 */
export function lzfCompress(input: Uint8Array, maxOutput: number): Buffer | null {
  const length = input.length;
  if (length === 0 || maxOutput <= 0) return null;
  const out = Buffer.allocUnsafe(maxOutput + MAX_LITERAL + 4);
  // A table sized to the input (small strings are the common case): only that
  // part is cleared and used.
  let hashLog = 8;
  while (hashLog < HASH_LOG && 1 << hashLog < length) hashLog++;
  const shift = 32 - hashLog;
  const mask = (1 << hashLog) - 1;
  hashTable.fill(0, 0, 1 << hashLog);
  let op = 1; // out[0] is the first literal run's control byte
  let literalStart = 0; // position of the current run's control byte in `out`
  let literals = 0;
  let ip = 0;
  while (ip < length - 2) {
    const hash =
      (Math.imul((input[ip]! << 16) | (input[ip + 1]! << 8) | input[ip + 2]!, 2654435761) >>> shift) & mask;
    const candidate = hashTable[hash]! - 1;
    hashTable[hash] = ip + 1;
    const offset = ip - candidate - 1;
    if (
      candidate >= 0 &&
      offset < MAX_OFFSET &&
      input[candidate] === input[ip] &&
      input[candidate + 1] === input[ip + 1] &&
      input[candidate + 2] === input[ip + 2]
    ) {
      let matched = 3;
      const maxMatch = Math.min(MAX_REF, length - ip);
      while (matched < maxMatch && input[candidate + matched] === input[ip + matched]) matched++;
      // Close the literal run (drop its control byte when it is empty).
      if (literals === 0) op--;
      else out[literalStart] = literals - 1;
      const encodedLength = matched - 2;
      if (op + 3 + 1 > maxOutput) return null;
      if (encodedLength < 7) {
        out[op++] = (encodedLength << 5) | (offset >>> 8);
      } else {
        out[op++] = (7 << 5) | (offset >>> 8);
        out[op++] = encodedLength - 7;
      }
      out[op++] = offset & 0xff;
      // Start a new literal run.
      literalStart = op++;
      literals = 0;
      // Index the positions inside the match (cheaply: the last two).
      const end = ip + matched;
      for (let p = Math.max(ip + 1, end - 2); p < end && p < length - 2; p++) {
        const h =
          (Math.imul((input[p]! << 16) | (input[p + 1]! << 8) | input[p + 2]!, 2654435761) >>> shift) & mask;
        hashTable[h] = p + 1;
      }
      ip = end;
      continue;
    }
    if (op >= maxOutput) return null;
    out[op++] = input[ip++]!;
    literals++;
    if (literals === MAX_LITERAL) {
      out[literalStart] = MAX_LITERAL - 1;
      literalStart = op++;
      literals = 0;
    }
  }
  while (ip < length) {
    if (op >= maxOutput) return null;
    out[op++] = input[ip++]!;
    literals++;
    if (literals === MAX_LITERAL) {
      out[literalStart] = MAX_LITERAL - 1;
      literalStart = op++;
      literals = 0;
    }
  }
  if (literals === 0) op--;
  else out[literalStart] = literals - 1;
  if (op > maxOutput) return null;
  return out.subarray(0, op);
}

/**
 * Decompress `input` into exactly `outputLength` bytes. Throws an Error naming
 * the problem when the stream is malformed (a reference before the start, a run
 * past either end, or a result of another length).
 */
export function lzfDecompress(input: Uint8Array, outputLength: number): Buffer {
  const out = Buffer.allocUnsafe(outputLength);
  let ip = 0;
  let op = 0;
  const inputLength = input.length;
  while (ip < inputLength) {
    const control = input[ip++]!;
    if (control < 32) {
      const run = control + 1;
      if (op + run > outputLength) throw new Error("LZF literal run past the output length");
      if (ip + run > inputLength) throw new Error("LZF literal run past the input end");
      out.set(input.subarray(ip, ip + run), op);
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
  return out;
}
