/**
 * Protocol limits, with Redis's configuration names and defaults. The decoder
 * takes them as inputs so that CONFIG SET can change them at run time.
 */
export interface ProtocolLimits {
  /** `proto-max-bulk-len`: the longest bulk string a client may send. Redis default 512mb. */
  bulkBytesMax: number;
  /** `client-query-buffer-limit`: unparsed input held for one client. Redis default 1gb. */
  queryBufferBytesMax: number;
  /** Multibulk element count accepted from an authenticated client (Redis: INT_MAX). */
  multibulkLengthMax: number;
  /** Longest inline command line (Redis PROTO_INLINE_MAX_SIZE, 64 KiB). */
  inlineBytesMax: number;
  /** Multibulk count accepted before authentication (Redis: 10). */
  unauthenticatedMultibulkLengthMax: number;
  /** Bulk length accepted before authentication (Redis: 16384). */
  unauthenticatedBulkBytesMax: number;
}

/**
 * V8 cannot hold a string longer than this (2**29 - 24 characters), and the
 * keyspace stores values as one-byte strings, so no bulk may exceed it
 * whatever `proto-max-bulk-len` says.
 */
export const STRING_BYTES_MAX = 0x1fffffe8;

export const DEFAULT_PROTOCOL_LIMITS: Readonly<ProtocolLimits> = Object.freeze({
  bulkBytesMax: 512 * 1024 * 1024,
  queryBufferBytesMax: 1024 * 1024 * 1024,
  multibulkLengthMax: 2147483647,
  inlineBytesMax: 64 * 1024,
  unauthenticatedMultibulkLengthMax: 10,
  unauthenticatedBulkBytesMax: 16384,
});
