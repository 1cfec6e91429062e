/**
 * @spinel/resp: the Redis serialization protocol, on its own.
 *
 * - RequestParser: server-side, resumable parsing of multibulk and inline requests.
 * - ReplyWriter: Redis' reply vocabulary rendered as RESP2 or RESP3 into an output slab.
 * - formatDouble: doubles as Redis 7.0 prints them.
 */
export { formatDouble, formatG } from "./double-format.js";
export { splitInlineArguments } from "./inline.js";
export { type DeferredKind, ReplyWriter, type RespVersion, SharedReplies } from "./reply-writer.js";
export {
  DEFAULT_PARSER_LIMITS,
  type ParserLimits,
  RequestParser,
  type RequestParserOptions,
  RespProtocolError,
} from "./request-parser.js";
