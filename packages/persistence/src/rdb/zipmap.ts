/*
 * Zipmaps: the small-hash encoding of Redis before 2.6 (RDB_TYPE_HASH_ZIPMAP),
 * still accepted in old files. Layout: a count byte (254 = unknown), then per
 * pair: key length, key, value length, a "free" byte, value, free bytes; then
 * 0xFF. A length is one byte below 254, or 254 followed by 4 bytes LE.
 */

/**
 * Decode and validate a zipmap into alternating field and value Buffers (views
 * into `blob`). Throws an Error naming the problem.
 */
export function decodeZipmap(blob: Buffer): Buffer[] {
  if (blob.length < 2) throw new Error("zipmap shorter than its header");
  const announced = blob[0]!;
  const out: Buffer[] = [];
  let p = 1;
  const readLength = (): number => {
    if (p >= blob.length) throw new Error("zipmap runs past the end of the blob");
    const b = blob[p]!;
    if (b < 254) {
      p += 1;
      return b;
    }
    if (b === 254) {
      if (p + 5 > blob.length) throw new Error("zipmap length runs past the end of the blob");
      const length = blob.readUInt32LE(p + 1);
      p += 5;
      return length;
    }
    p += 1;
    return -1;
  };
  for (;;) {
    const keyLength = readLength();
    if (keyLength === -1) break;
    if (p + keyLength > blob.length) throw new Error("zipmap key runs past the end of the blob");
    out.push(blob.subarray(p, p + keyLength));
    p += keyLength;
    const valueLength = readLength();
    if (valueLength === -1) throw new Error("zipmap key without a value");
    if (p + 1 > blob.length) throw new Error("zipmap value runs past the end of the blob");
    const free = blob[p]!;
    p += 1;
    if (p + valueLength + free > blob.length) throw new Error("zipmap value runs past the end of the blob");
    out.push(blob.subarray(p, p + valueLength));
    p += valueLength + free;
  }
  if (p !== blob.length) throw new Error("zipmap has bytes after its terminator");
  if (announced < 254 && announced !== out.length / 2)
    throw new Error("zipmap count disagrees with its pairs");
  return out;
}
