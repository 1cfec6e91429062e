/**
 * @spinel/resp: the Redis serialization protocol, on its own (no runtime dependencies).
 *
 * - RequestParser: server side, resumable parsing of multibulk and inline requests,
 *   with Redis 7.0's limits and error texts.
 * - ReplyWriter: Redis' reply vocabulary rendered as RESP2 or RESP3 into an output slab.
 * - ReplyDecoder: client side, resumable decoding of every RESP2 and RESP3 type into
 *   RespValue (plain values plus small tagged classes).
 * - encodeValue / encodeCommand: a decoded value, or a request, back to bytes.
 * - formatDouble: doubles as Redis 7.0 prints them.
 */
export { formatDouble, formatG } from "./double-format.js";
export { splitInlineArguments } from "./inline.js";
export { RespProtocolError } from "./protocol-error.js";
export {
  DEFAULT_DECODER_LIMITS,
  type DecoderLimits,
  ReplyDecoder,
  type ReplyDecoderOptions,
} from "./reply-decoder.js";
export { type DeferredKind, ReplyWriter, type RespVersion, SharedReplies } from "./reply-writer.js";
export {
  DEFAULT_PARSER_LIMITS,
  type ParserLimits,
  RequestParser,
  type RequestParserOptions,
} from "./request-parser.js";
export { type CommandArgument, encodeCommand, encodeValue } from "./resp-encoder.js";
export {
  RespAttributed,
  RespBigNumber,
  RespDouble,
  RespError,
  RespMap,
  RespPush,
  RespSet,
  type RespValue,
  RespVerbatim,
} from "./resp-value.js";
