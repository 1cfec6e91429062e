/*
 * Names shared by a list's two forms (list.ts, quicklist.ts): its ends, and
 * what receives its elements in order.
 */

/** An end of a list: LEFT is the head, RIGHT the tail. */
export enum ListEnd {
  Head = 0,
  Tail = 1,
}

/**
 * Something that receives elements in order (a ReplyWriter fits). The list
 * calls bulkSlice(source, start, end) with a byte range of its own storage or
 * of a scratch buffer: the sink must copy those bytes before returning and keep
 * no reference to `source`.
 */
export interface ListElementSink {
  bulk(element: Buffer): void;
  bulkSlice(source: Buffer, start: number, end: number): void;
  /**
   * Optional: the chars source[start, end) of a latin1 string (one char per
   * byte), which the sink copies before returning. A small list hands its
   * elements this way when the sink has it, straight from its packed string;
   * otherwise through bulkSlice and a scratch Buffer.
   */
  bulkChars?(source: string, start: number, end: number): void;
}
