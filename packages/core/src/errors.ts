/**
 * A command failed in a way the client should hear about. `message` is the
 * whole error line after '-', prefix included, exactly as Redis 7 words it.
 * Handlers throw it; the dispatcher writes it as the command's reply.
 */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
  }
}

/** Redis's error texts, shared so no command spells one differently. */
export const Errors = {
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
  syntax: "ERR syntax error",
  notInteger: "ERR value is not an integer or out of range",
  notFloat: "ERR value is not a valid float",
  overflow: "ERR increment or decrement would overflow",
  incrNanOrInfinity: "ERR increment would produce NaN or Infinity",
  noSuchKey: "ERR no such key",
  indexOutOfRange: "ERR index out of range",
  notPositive: "ERR value is out of range, must be positive",
  timeoutNegative: "ERR timeout is negative",
  timeoutNotFloat: "ERR timeout is not a float or out of range",
  invalidExpire: (command: string) => `ERR invalid expire time in '${command}' command`,
  wrongArity: (command: string) => `ERR wrong number of arguments for '${command}' command`,
  stringTooLong: "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
  noAuth: "NOAUTH Authentication required.",
  wrongPass: "WRONGPASS invalid username-password pair or user is disabled.",
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
  execAbort: "EXECABORT Transaction discarded because of previous errors.",
  invalidDbIndex: "ERR DB index is out of range",
  selectInCluster: "ERR SELECT is not allowed in cluster mode",
  minMaxNotFloat: "ERR min or max is not a float",
  minMaxNotValidString: "ERR min or max not valid string range item",
} as const;
