export { DEFAULT_PROTOCOL_LIMITS, STRING_BYTES_MAX, type ProtocolLimits } from "./limits.js";
export { ProtocolError, QueryBufferLimitError, RequestDecoder, parseLongLong, splitInlineArguments } from "./decoder.js";
export { ReplyWriter, formatDouble, formatG, type Protocol } from "./writer.js";
