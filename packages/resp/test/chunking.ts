/*
 * Test support: feeding the same bytes in different chunkings and recording what
 * comes out, so that tests can assert the result never depends on the split.
 */

import {
  ReplyDecoder,
  type ReplyDecoderOptions,
  RequestParser,
  type RequestParserOptions,
  type RespValue,
} from "../src/index.js";

/** Cut `bytes` at the given offsets (any order, duplicates and out-of-range ignored). */
export function cutAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(Buffer.from(bytes.subarray(start, point)));
    start = point;
  }
  chunks.push(Buffer.from(bytes.subarray(start)));
  return chunks;
}

/** Everything a request parser produced from a stream. */
export interface ParseOutcome {
  /** Frames, each argument as a latin1 string (byte-exact). */
  frames: string[][];
  /** The protocol error's message, or null. */
  error: string | null;
  idle: boolean;
  bufferedBytes: number;
}

/** Feed `chunks` to a fresh RequestParser, taking frames after every chunk. */
export function parseRequests(chunks: readonly Buffer[], options: RequestParserOptions = {}): ParseOutcome {
  const parser = new RequestParser(options);
  const frames: string[][] = [];
  try {
    for (const chunk of chunks) {
      parser.feed(chunk);
      for (let argv = parser.next(); argv !== null; argv = parser.next()) {
        frames.push(argv.map((argument) => argument.toString("latin1")));
      }
    }
  } catch (error) {
    return { frames, error: (error as Error).message, idle: false, bufferedBytes: -1 };
  }
  return { frames, error: null, idle: parser.isIdle, bufferedBytes: parser.bufferedBytes };
}

/** Everything a reply decoder produced from a stream. */
export interface DecodeOutcome {
  values: RespValue[];
  error: string | null;
  idle: boolean;
}

/** Feed `chunks` to a fresh ReplyDecoder, taking values after every chunk. */
export function decodeReplies(chunks: readonly Buffer[], options: ReplyDecoderOptions = {}): DecodeOutcome {
  const decoder = new ReplyDecoder(options);
  const values: RespValue[] = [];
  try {
    for (const chunk of chunks) {
      decoder.feed(chunk);
      for (let value = decoder.next(); value !== undefined; value = decoder.next()) values.push(value);
    }
  } catch (error) {
    return { values, error: (error as Error).message, idle: false };
  }
  return { values, error: null, idle: decoder.isIdle };
}
