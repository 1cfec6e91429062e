/*
 * The one exception of this package: bytes that do not follow the protocol.
 */

/**
 * Malformed RESP input. For requests, `message` is Redis' wording without the
 * prefix (for example "invalid bulk length") and `replyText` is the full error
 * line a server sends before closing the connection. The reply decoder raises it
 * with a description of what it found. A parser or decoder that raised one is
 * finished: it raises the same error again until reset().
 */
export class RespProtocolError extends Error {
  override readonly name = "RespProtocolError";

  /** The error reply Redis sends for this problem: `ERR Protocol error: <message>`. */
  get replyText(): string {
    return `ERR Protocol error: ${this.message}`;
  }
}
