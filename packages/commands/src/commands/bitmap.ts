/*
 * Bitmap commands (Redis' bitops.c): SETBIT GETBIT BITCOUNT BITPOS BITOP
 * BITFIELD BITFIELD_RO.
 *
 * A bitmap is a string; bit 0 is the most significant bit of the first byte
 * and bytes past the end read as zero. Writes grow the string with zero bytes
 * and edit it in place through RedisString.writableBytes(), so SETBIT costs
 * O(1) (amortised when it grows the string). The arithmetic itself lives in
 * bitmap-ops.ts.
 *
 * Redis 7.0's order of checks is kept: SETBIT/GETBIT parse their arguments
 * before looking the key up, while BITCOUNT and BITPOS look the key up first
 * (a missing key answers 0 / -1 whatever the range arguments say). Writes
 * that change nothing raise no event and are not propagated, as in Redis:
 * SETBIT of a bit to the value it has, BITFIELD operations that store the
 * value already there. Events: "setbit" (SETBIT, BITFIELD), "set" or "del"
 * (BITOP), each after "new" when the key is created.
 *
 * Bit offsets are limited by proto-max-bulk-len (offset / 8 must stay below
 * it: with the default 512 MB, offsets below 2^32), except for the primary
 * link and data-file replay, which are obeyed as is.
 */

import { EventClass, RedisString } from "@spinel/core-db";
import { argIs, argString, parseInt64, parseLong } from "../args.js";
import { ClientFlag, type ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY } from "../command-spec.js";
import { Err } from "../errors.js";
import {
  checkSignedOverflow,
  checkSmallOverflow,
  checkUnsignedOverflow,
  countBitsInRange,
  findBitInRange,
  OverflowCheck,
  OverflowMode,
  readSignedField,
  readSmallField,
  readUnsignedField,
  SMALL_FIELD_BITS,
  writeField,
  writeSmallField,
} from "./bitmap-ops.js";

const BIT_OFFSET_ERROR = "ERR bit offset is not an integer or out of range";
const BIT_VALUE_ERROR = "ERR bit is not an integer or out of range";
const BIT_ARGUMENT_ERROR = "ERR The bit argument must be 1 or 0.";
const BITOP_NOT_ERROR = "ERR BITOP NOT must be called with a single source key.";
const BITFIELD_TYPE_ERROR =
  "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
const BITFIELD_OVERFLOW_ERROR = "ERR Invalid OVERFLOW type specified";
const BITFIELD_RO_ERROR = "ERR BITFIELD_RO only supports the GET subcommand";

const EMPTY = Buffer.alloc(0);

// ---------------------------------------------------------------- argument parsing

/**
 * Redis' getBitOffsetFromArgument: a bit offset (a signed 64-bit integer in
 * canonical form, not negative), or for BITFIELD (`fieldBits` > 0) also
 * "#N", meaning N * fieldBits, computed in 64 bits as Redis does. The byte it
 * falls in must be below proto-max-bulk-len unless the client must be obeyed.
 * Returns the offset, or -1 after replying the error.
 */
function getBitOffsetOrReply(c: ClientSession, arg: Buffer, fieldBits: number): number {
  let offset: number;
  if (fieldBits > 0 && arg.length > 0 && arg[0] === 35 /* # */) {
    const count = parseInt64(arg.subarray(1));
    if (count === null) {
      c.reply.error(BIT_OFFSET_ERROR);
      return -1;
    }
    offset = Number(BigInt.asIntN(64, count * BigInt(fieldBits)));
  } else {
    const parsed = parseLong(arg);
    if (parsed === null) {
      c.reply.error(BIT_OFFSET_ERROR);
      return -1;
    }
    offset = parsed;
  }
  if (offset < 0 || (!mustObey(c) && Math.floor(offset / 8) >= c.server.settings.protoMaxBulkLen)) {
    c.reply.error(BIT_OFFSET_ERROR);
    return -1;
  }
  return offset;
}

/** The primary link and data-file replay are obeyed without size limits (Redis' mustObeyClient). */
function mustObey(c: ClientSession): boolean {
  return c.hasFlag(ClientFlag.Primary) || c.hasFlag(ClientFlag.Loading);
}

/** BYTE or BIT unit argument of BITCOUNT / BITPOS: true for BIT, false for BYTE, null otherwise. */
function parseBitUnit(arg: Buffer): boolean | null {
  if (argIs(arg, "bit")) return true;
  if (argIs(arg, "byte")) return false;
  return null;
}

/**
 * Clamp an inclusive [start, end] range of a sequence of `total` units to the
 * sequence, negative indexes counting from the end, as BITCOUNT and BITPOS do.
 * The result may be empty (start > end). Written to rangeStart / rangeEnd.
 */
function clampRange(start: number, end: number, total: number): void {
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  rangeStart = start;
  rangeEnd = end;
}

/** Output of clampRange (module slots: commands run one at a time). */
let rangeStart = 0;
let rangeEnd = 0;

// ---------------------------------------------------------------- SETBIT, GETBIT

/**
 * SETBIT key offset value: set or clear one bit, growing the string with zero
 * bytes when the offset lies past its end; replies the bit's previous value.
 * The string becomes "raw". Only a change (or growth) raises "setbit".
 */
function setbitCommand(c: ClientSession): void {
  const argv = c.argv;
  const offset = getBitOffsetOrReply(c, argv[2]!, 0);
  if (offset < 0) return;
  const on = parseLong(argv[3]!);
  if (on !== 0 && on !== 1) {
    c.reply.error(BIT_VALUE_ERROR);
    return;
  }
  const db = c.db;
  const key = argString(argv[1]!);
  const byteIndex = Math.floor(offset / 8);
  let value = db.lookupWrite(key);
  let grown: boolean;
  if (value === undefined) {
    value = RedisString.emptyRaw();
    db.add(key, value);
    grown = true;
  } else if (value.type !== "string") {
    c.reply.error(Err.wrongType);
    return;
  } else {
    grown = value.length <= byteIndex;
  }
  const bytes = value.writableBytes(byteIndex + 1);
  const mask = 0x80 >> (offset % 8);
  const byte = bytes[byteIndex]!;
  const previous = (byte & mask) !== 0 ? 1 : 0;
  if (grown || previous !== on) {
    bytes[byteIndex] = on === 1 ? byte | mask : byte & ~mask;
    db.touched(key, "setbit", EventClass.String);
  }
  c.reply.integer(previous);
}

/** GETBIT key offset: the bit at `offset` (0 past the end or for a missing key). */
function getbitCommand(c: ClientSession): void {
  const offset = getBitOffsetOrReply(c, c.argv[2]!, 0);
  if (offset < 0) return;
  const value = c.db.lookupRead(argString(c.argv[1]!));
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  if (value.type !== "string") {
    c.reply.error(Err.wrongType);
    return;
  }
  const byteIndex = Math.floor(offset / 8);
  if (byteIndex >= value.length) {
    c.reply.integer(0);
    return;
  }
  const byte = value.toBuffer()[byteIndex]!;
  c.reply.integer((byte & (0x80 >> (offset % 8))) !== 0 ? 1 : 0);
}

// ---------------------------------------------------------------- BITCOUNT

/**
 * BITCOUNT key [start end [BYTE | BIT]]: the number of set bits, in the whole
 * string or in an inclusive range of bytes (default) or bits. A missing key
 * counts 0 before the arguments are looked at; two negative indexes in the
 * wrong order count 0 before the unit is parsed (Redis 7.0's order).
 */
function bitcountCommand(c: ClientSession): void {
  const argv = c.argv;
  const value = c.db.lookupRead(argString(argv[1]!));
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  if (value.type !== "string") {
    c.reply.error(Err.wrongType);
    return;
  }
  const bytes = value.toBuffer();
  let firstBit: number;
  let lastBit: number;
  if (argv.length === 4 || argv.length === 5) {
    const start = parseLong(argv[2]!);
    if (start === null) {
      c.reply.error(Err.notInteger);
      return;
    }
    const end = parseLong(argv[3]!);
    if (end === null) {
      c.reply.error(Err.notInteger);
      return;
    }
    if (start < 0 && end < 0 && start > end) {
      c.reply.integer(0);
      return;
    }
    let inBits = false;
    if (argv.length === 5) {
      const unit = parseBitUnit(argv[4]!);
      if (unit === null) {
        c.reply.error(Err.syntax);
        return;
      }
      inBits = unit;
    }
    if (inBits) {
      clampRange(start, end, bytes.length * 8);
      firstBit = rangeStart;
      lastBit = rangeEnd;
    } else {
      clampRange(start, end, bytes.length);
      firstBit = rangeStart * 8;
      lastBit = rangeEnd * 8 + 7;
    }
  } else if (argv.length === 2) {
    firstBit = 0;
    lastBit = bytes.length * 8 - 1;
  } else {
    c.reply.error(Err.syntax);
    return;
  }
  c.reply.integer(firstBit > lastBit ? 0 : countBitsInRange(bytes, firstBit, lastBit));
}

// ---------------------------------------------------------------- BITPOS

/**
 * BITPOS key bit [start [end [BYTE | BIT]]]: the position of the first bit set
 * to `bit` in the string or in an inclusive range. A missing key is an
 * endless run of zeros (0 for a clear bit, -1 for a set one). An empty range
 * answers -1. When no clear bit is found and no end was given, the answer is
 * the first bit past the string (the string is seen as zero-padded); with an
 * explicit end it is -1.
 */
function bitposCommand(c: ClientSession): void {
  const argv = c.argv;
  const bit = parseLong(argv[2]!);
  if (bit === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  if (bit !== 0 && bit !== 1) {
    c.reply.error(BIT_ARGUMENT_ERROR);
    return;
  }
  const value = c.db.lookupRead(argString(argv[1]!));
  if (value === undefined) {
    c.reply.integer(bit === 1 ? -1 : 0);
    return;
  }
  if (value.type !== "string") {
    c.reply.error(Err.wrongType);
    return;
  }
  const bytes = value.toBuffer();
  const length = bytes.length;
  let endGiven = false;
  let firstBit: number;
  let lastBit: number;
  if (argv.length >= 4 && argv.length <= 6) {
    const start = parseLong(argv[3]!);
    if (start === null) {
      c.reply.error(Err.notInteger);
      return;
    }
    let inBits = false;
    if (argv.length === 6) {
      const unit = parseBitUnit(argv[5]!);
      if (unit === null) {
        c.reply.error(Err.syntax);
        return;
      }
      inBits = unit;
    }
    let end: number;
    if (argv.length >= 5) {
      const parsed = parseLong(argv[4]!);
      if (parsed === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      end = parsed;
      endGiven = true;
    } else {
      end = inBits ? length * 8 + 7 : length - 1;
    }
    if (inBits) {
      clampRange(start, end, length * 8);
      firstBit = rangeStart;
      lastBit = rangeEnd;
    } else {
      clampRange(start, end, length);
      firstBit = rangeStart * 8;
      lastBit = rangeEnd * 8 + 7;
    }
  } else if (argv.length === 3) {
    firstBit = 0;
    lastBit = length * 8 - 1;
  } else {
    c.reply.error(Err.syntax);
    return;
  }
  if (firstBit > lastBit) {
    c.reply.integer(-1);
    return;
  }
  const found = findBitInRange(bytes, firstBit, lastBit, bit);
  if (found !== -1 || bit === 1 || endGiven) {
    c.reply.integer(found);
    return;
  }
  // No clear bit up to the end of the string: the padding after it is clear.
  c.reply.integer((Math.floor(lastBit / 8) + 1) * 8);
}

// ---------------------------------------------------------------- BITOP

enum BitOperation {
  And = 0,
  Or = 1,
  Xor = 2,
  Not = 3,
}

/** The BITOP operation an argument names, or -1. */
function parseBitOperation(arg: Buffer): number {
  if (argIs(arg, "and")) return BitOperation.And;
  if (argIs(arg, "or")) return BitOperation.Or;
  if (argIs(arg, "xor")) return BitOperation.Xor;
  if (argIs(arg, "not")) return BitOperation.Not;
  return -1;
}

/**
 * BITOP AND | OR | XOR | NOT destkey key [key ...]: combine strings byte by
 * byte into destkey (missing keys and the part past a shorter string count as
 * zero bytes); the result is as long as the longest input. An empty result
 * deletes destkey. Replies the result's length.
 */
function bitopCommand(c: ClientSession): void {
  const argv = c.argv;
  const operation = parseBitOperation(argv[1]!);
  if (operation === -1) {
    c.reply.error(Err.syntax);
    return;
  }
  if (operation === BitOperation.Not && argv.length !== 4) {
    c.reply.error(BITOP_NOT_ERROR);
    return;
  }
  const db = c.db;
  const sourceCount = argv.length - 3;
  const sources = new Array<Buffer>(sourceCount);
  let longest = 0;
  for (let i = 0; i < sourceCount; i++) {
    const value = db.lookupRead(argString(argv[i + 3]!));
    if (value === undefined) {
      sources[i] = EMPTY;
      continue;
    }
    if (value.type !== "string") {
      c.reply.error(Err.wrongType);
      return;
    }
    const bytes = value.toBuffer();
    sources[i] = bytes;
    if (bytes.length > longest) longest = bytes.length;
  }
  const destinationKey = argString(argv[2]!);
  if (longest === 0) {
    if (db.delete(destinationKey)) db.touched(destinationKey, "del", EventClass.Generic);
    c.reply.integer(0);
    return;
  }
  const result = Buffer.alloc(longest);
  combineInto(result, sources, operation);
  db.set(destinationKey, RedisString.fromOwnedBytes(result, true));
  db.touched(destinationKey, "set", EventClass.String);
  c.reply.integer(longest);
}

/** Fill `result` with the byte-wise combination of `sources` (shorter ones zero-padded). */
function combineInto(result: Buffer, sources: Buffer[], operation: number): void {
  const first = sources[0]!;
  if (operation === BitOperation.Not) {
    for (let i = 0; i < result.length; i++) result[i] = ~first[i]! & 0xff;
    return;
  }
  first.copy(result, 0);
  for (let s = 1; s < sources.length; s++) {
    const source = sources[s]!;
    const shared = source.length;
    if (operation === BitOperation.And) {
      for (let i = 0; i < shared; i++) result[i]! &= source[i]!;
      result.fill(0, shared);
    } else if (operation === BitOperation.Or) {
      for (let i = 0; i < shared; i++) result[i]! |= source[i]!;
    } else {
      for (let i = 0; i < shared; i++) result[i]! ^= source[i]!;
    }
  }
}

// ---------------------------------------------------------------- BITFIELD

enum FieldOpcode {
  Get = 0,
  Set = 1,
  IncrBy = 2,
}

/** One parsed BITFIELD operation. */
class FieldOperation {
  readonly opcode: FieldOpcode;
  readonly signed: boolean;
  readonly bits: number;
  readonly offset: number;
  /** SET value or INCRBY increment, when it has at most 15 digits (exact as a number)... */
  readonly smallArgument: number;
  /** ...or else as a BigInt (signed 64-bit), with smallArgument NaN. */
  readonly bigArgument: bigint;
  readonly overflow: OverflowMode;

  constructor(
    opcode: FieldOpcode,
    signed: boolean,
    bits: number,
    offset: number,
    smallArgument: number,
    bigArgument: bigint,
    overflow: OverflowMode,
  ) {
    this.opcode = opcode;
    this.signed = signed;
    this.bits = bits;
    this.offset = offset;
    this.smallArgument = smallArgument;
    this.bigArgument = bigArgument;
    this.overflow = overflow;
  }

  /** True when the plain-number path applies (a narrow field and a small argument). */
  get small(): boolean {
    return this.bits <= SMALL_FIELD_BITS && !Number.isNaN(this.smallArgument);
  }

  /** The argument as a BigInt, whichever way it was kept. */
  get argument(): bigint {
    return Number.isNaN(this.smallArgument) ? this.bigArgument : BigInt(this.smallArgument);
  }
}

/**
 * Redis' getBitfieldTypeFromArgument: "i1".."i64" or "u1".."u63" (lowercase
 * letter; the width is read as a C string, so it stops at a zero byte).
 * Returns the width, negative for signed types, or 0 after replying the error.
 */
function getFieldTypeOrReply(c: ClientSession, arg: Buffer): number {
  const letter = arg.length > 0 ? arg[0] : 0;
  if (letter === 105 /* i */ || letter === 117 /* u */) {
    const zero = arg.indexOf(0, 1);
    const width = parseLong(arg.subarray(1, zero === -1 ? arg.length : zero));
    const maxWidth = letter === 105 ? 64 : 63;
    if (width !== null && width >= 1 && width <= maxWidth) return letter === 105 ? -width : width;
  }
  c.reply.error(BITFIELD_TYPE_ERROR);
  return 0;
}

/** Reused by BITFIELD for its overflow checks. */
const overflowCheck = new OverflowCheck();

/**
 * BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset
 * increment] [OVERFLOW WRAP | SAT | FAIL] ..., and BITFIELD_RO (GET only):
 * Redis' bitfieldGeneric. Every operation is parsed before any runs. A write
 * grows the string to its furthest field first (even when an operation then
 * fails under OVERFLOW FAIL). Replies one entry per GET / SET / INCRBY: the
 * value read, the previous value (SET), the new value (INCRBY), or a null
 * when OVERFLOW FAIL refused the write.
 */
function bitfieldGeneric(c: ClientSession, readOnlyCommand: boolean): void {
  const argv = c.argv;
  const operations: FieldOperation[] = [];
  let overflow = OverflowMode.Wrap;
  let writes = false;
  let highestWriteBit = 0;
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const name = argv[j]!;
    let opcode: FieldOpcode;
    if (argIs(name, "get") && remaining >= 2) opcode = FieldOpcode.Get;
    else if (argIs(name, "set") && remaining >= 3) opcode = FieldOpcode.Set;
    else if (argIs(name, "incrby") && remaining >= 3) opcode = FieldOpcode.IncrBy;
    else if (argIs(name, "overflow") && remaining >= 1) {
      const mode = argv[++j]!;
      if (argIs(mode, "wrap")) overflow = OverflowMode.Wrap;
      else if (argIs(mode, "sat")) overflow = OverflowMode.Sat;
      else if (argIs(mode, "fail")) overflow = OverflowMode.Fail;
      else {
        c.reply.error(BITFIELD_OVERFLOW_ERROR);
        return;
      }
      continue;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
    const type = getFieldTypeOrReply(c, argv[j + 1]!);
    if (type === 0) return;
    const bits = type < 0 ? -type : type;
    const offset = getBitOffsetOrReply(c, argv[j + 2]!, bits);
    if (offset < 0) return;
    let smallArgument = 0;
    let bigArgument = 0n;
    if (opcode !== FieldOpcode.Get) {
      writes = true;
      if (offset + bits - 1 > highestWriteBit) highestWriteBit = offset + bits - 1;
      const arg = argv[j + 3]!;
      const parsed = arg.length < 16 ? parseLong(arg) : parseInt64(arg);
      if (parsed === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      if (typeof parsed === "number") smallArgument = parsed;
      else {
        smallArgument = Number.NaN;
        bigArgument = parsed;
      }
    }
    operations.push(new FieldOperation(opcode, type < 0, bits, offset, smallArgument, bigArgument, overflow));
    j += opcode === FieldOpcode.Get ? 2 : 3;
  }

  const db = c.db;
  const key = argString(argv[1]!);
  let bytes: Buffer;
  let created = false;
  if (!writes) {
    const value = db.lookupRead(key);
    if (value !== undefined && value.type !== "string") {
      c.reply.error(Err.wrongType);
      return;
    }
    bytes = value === undefined ? EMPTY : value.toBuffer();
  } else {
    if (readOnlyCommand) {
      c.reply.error(BITFIELD_RO_ERROR);
      return;
    }
    let value = db.lookupWrite(key);
    const neededBytes = Math.floor(highestWriteBit / 8) + 1;
    if (value === undefined) {
      value = RedisString.emptyRaw();
      db.add(key, value);
      created = true;
    } else if (value.type !== "string") {
      c.reply.error(Err.wrongType);
      return;
    } else {
      created = value.length < neededBytes;
    }
    bytes = value.writableBytes(neededBytes);
  }

  c.reply.arrayLen(operations.length);
  let changes = 0;
  for (const operation of operations) {
    if (operation.opcode === FieldOpcode.Get) {
      const { offset, bits, signed } = operation;
      if (bits <= SMALL_FIELD_BITS) c.reply.integer(readSmallField(bytes, offset, bits, signed));
      else
        c.reply.integer(
          signed ? readSignedField(bytes, offset, bits) : readUnsignedField(bytes, offset, bits),
        );
      continue;
    }
    const changed = operation.small
      ? applySmallFieldWrite(c, bytes, operation, created)
      : applyFieldWrite(c, bytes, operation, created);
    if (changed) changes++;
  }
  if (changes > 0) db.touched(key, "setbit", EventClass.String, changes);
}

/**
 * applyFieldWrite() for a field of at most SMALL_FIELD_BITS bits and an
 * argument of at most 15 digits, in plain numbers: the common case, without
 * BigInt allocations. Same replies and writes as the general path.
 */
function applySmallFieldWrite(
  c: ClientSession,
  bytes: Buffer,
  operation: FieldOperation,
  grown: boolean,
): boolean {
  const { bits, offset, signed, smallArgument } = operation;
  const check = overflowCheck;
  const previous = readSmallField(bytes, offset, bits, signed);
  const increment = operation.opcode === FieldOpcode.IncrBy;
  checkSmallOverflow(
    increment ? previous : smallArgument,
    increment ? smallArgument : 0,
    bits,
    signed,
    operation.overflow,
    check,
  );
  if (check.direction !== 0 && operation.overflow === OverflowMode.Fail) {
    c.reply.nullBulk();
    return false;
  }
  const stored =
    check.direction !== 0 ? check.smallLimit : increment ? previous + smallArgument : smallArgument;
  c.reply.integer(increment ? stored : previous);
  writeSmallField(bytes, offset, bits, stored);
  return grown || previous !== stored;
}

/**
 * Run one SET or INCRBY of BITFIELD on `bytes` (already long enough) and write
 * its reply. Returns true when it counts as a change: it stored a different
 * value, or the key was created or grown by this command.
 */
function applyFieldWrite(
  c: ClientSession,
  bytes: Buffer,
  operation: FieldOperation,
  grown: boolean,
): boolean {
  const { bits, offset } = operation;
  const argument = operation.argument;
  const check = overflowCheck;
  let previous: bigint;
  let stored: bigint;
  let replied: bigint;
  if (operation.signed) {
    previous = readSignedField(bytes, offset, bits);
    if (operation.opcode === FieldOpcode.IncrBy) {
      checkSignedOverflow(previous, argument, bits, operation.overflow, check);
      stored = check.direction !== 0 ? check.limit : previous + argument;
      replied = stored;
    } else {
      checkSignedOverflow(argument, 0n, bits, operation.overflow, check);
      stored = check.direction !== 0 ? check.limit : argument;
      replied = previous;
    }
  } else {
    previous = readUnsignedField(bytes, offset, bits);
    if (operation.opcode === FieldOpcode.IncrBy) {
      checkUnsignedOverflow(previous, argument, bits, operation.overflow, check);
      stored = check.direction !== 0 ? check.limit : previous + argument;
      replied = stored;
    } else {
      // A negative SET value is the uint64 of its two's complement, as in C.
      const value = BigInt.asUintN(64, argument);
      checkUnsignedOverflow(value, 0n, bits, operation.overflow, check);
      stored = check.direction !== 0 ? check.limit : value;
      replied = previous;
    }
  }
  if (check.direction !== 0 && operation.overflow === OverflowMode.Fail) {
    c.reply.nullBulk();
    return false;
  }
  c.reply.integer(replied);
  writeField(bytes, offset, bits, stored);
  return grown || previous !== stored;
}

/** BITFIELD key [GET | SET | INCRBY | OVERFLOW ...] */
function bitfieldCommand(c: ClientSession): void {
  bitfieldGeneric(c, false);
}

/** BITFIELD_RO key [GET type offset ...] */
function bitfieldRoCommand(c: ClientSession): void {
  bitfieldGeneric(c, true);
}

// ---------------------------------------------------------------- specs

/** A bitmap command on one key. */
function bitmapSpec(
  name: string,
  arity: number,
  flags: CommandSpec["flags"],
  summary: string,
  since: string,
  complexity: string,
  handler: (c: ClientSession) => void,
): CommandSpec {
  return {
    name,
    arity,
    flags,
    keys: FIRST_KEY,
    acl: ["@bitmap"],
    group: "bitmap",
    summary,
    since,
    complexity,
    handler,
  };
}

/** The bitmap commands of Redis 7.0. */
export const bitmapCommands: readonly CommandSpec[] = [
  bitmapSpec("setbit", 4, ["write", "denyoom"], "Write one bit of a string", "2.2.0", "O(1)", setbitCommand),
  bitmapSpec("getbit", 3, ["readonly", "fast"], "Read one bit of a string", "2.2.0", "O(1)", getbitCommand),
  bitmapSpec(
    "bitcount",
    -2,
    ["readonly"],
    "Count the bits set to 1",
    "2.6.0",
    "O(N) in the bytes scanned.",
    bitcountCommand,
  ),
  bitmapSpec(
    "bitpos",
    -3,
    ["readonly"],
    "Find the first bit of a given value",
    "2.8.7",
    "O(N) in the bytes scanned.",
    bitposCommand,
  ),
  {
    name: "bitop",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: { first: 2, last: -1, step: 1 },
    acl: ["@bitmap"],
    group: "bitmap",
    summary: "Combine strings bit by bit into a new key",
    since: "2.6.0",
    complexity: "O(N) in the longest string.",
    handler: bitopCommand,
  },
  bitmapSpec(
    "bitfield",
    -2,
    ["write", "denyoom"],
    "Read and change integers of any width inside a string",
    "3.2.0",
    "O(1) per operation.",
    bitfieldCommand,
  ),
  bitmapSpec(
    "bitfield_ro",
    -2,
    ["readonly", "fast"],
    "Read integers of any width inside a string",
    "6.0.0",
    "O(1) per operation.",
    bitfieldRoCommand,
  ),
];
