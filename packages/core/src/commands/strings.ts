import type { CommandContext } from "../engine/context.js";
import { CommandError, Errors } from "../errors.js";
import { INT64_MAX, INT64_MIN, parseInteger, requireInt64 } from "../util/parse.js";
import { checkStringLength, commandTimeMs, isAlreadyExpired, optionName } from "./keys-support.js";
import type { CommandSpec } from "./spec.js";
import { addLongDouble, formatLongDouble, parseLongDouble, type LongDouble } from "../util/long-double.js";

// ------------------------------------------------------------------ options

/**
 * The options of SET and GETEX as bits, following Redis's
 * parseExtendedStringArgumentsOrReply: each option is accepted only when no
 * option it conflicts with was seen before it, and anything else is a
 * syntax error. Repeating a compatible option (EX 1 EX 2) is allowed; the
 * last value wins.
 */
const SET_NX = 1 << 0;
const SET_XX = 1 << 1;
const SET_GET = 1 << 2;
const KEEPTTL = 1 << 3;
const PERSIST = 1 << 4;
const EX = 1 << 5;
const PX = 1 << 6;
const EXAT = 1 << 7;
const PXAT = 1 << 8;
const ABSOLUTE = EXAT | PXAT;

interface StringOptions {
  flags: number;
  /** The argument after EX/PX/EXAT/PXAT, parsed only when it is needed. */
  expireText: string | undefined;
}

/** Parses SET's options (from args[3]) or GETEX's (from args[2]). */
function parseStringOptions(args: readonly string[], forGetex: boolean): StringOptions {
  let flags = 0;
  let expireText: string | undefined;
  for (let j = forGetex ? 2 : 3; j < args.length; j++) {
    const option = optionName(args[j]!);
    const hasNext = j + 1 < args.length;
    const bit = optionBit(option, flags, forGetex, hasNext);
    if (bit === 0) throw new CommandError(Errors.syntax);
    flags |= bit;
    if (bit & (EX | PX | EXAT | PXAT)) expireText = args[++j];
  }
  return { flags, expireText };
}

/** The bit `option` sets given the options already seen, or 0 when Redis refuses it here. */
function optionBit(option: string, flags: number, forGetex: boolean, hasNext: boolean): number {
  switch (option) {
    case "nx":
      return !forGetex && !(flags & SET_XX) ? SET_NX : 0;
    case "xx":
      return !forGetex && !(flags & SET_NX) ? SET_XX : 0;
    case "get":
      return !forGetex ? SET_GET : 0;
    case "keepttl":
      return !forGetex && !(flags & (PERSIST | EX | PX | EXAT | PXAT)) ? KEEPTTL : 0;
    case "persist":
      return forGetex && !(flags & (KEEPTTL | EX | PX | EXAT | PXAT)) ? PERSIST : 0;
    case "ex":
      return hasNext && !(flags & (KEEPTTL | PERSIST | PX | EXAT | PXAT)) ? EX : 0;
    case "px":
      return hasNext && !(flags & (KEEPTTL | PERSIST | EX | EXAT | PXAT)) ? PX : 0;
    case "exat":
      return hasNext && !(flags & (KEEPTTL | PERSIST | EX | PX | PXAT)) ? EXAT : 0;
    case "pxat":
      return hasNext && !(flags & (KEEPTTL | PERSIST | EX | PX | EXAT)) ? PXAT : 0;
    default:
      return 0;
  }
}

/**
 * The absolute expiry (ms since the epoch) an EX/PX/EXAT/PXAT argument asks
 * for, with Redis's checks: positive, no overflow when converted to
 * milliseconds or made absolute (getExpireMillisecondsOrReply).
 */
function expireAtMs(ctx: CommandContext, text: string, flags: number): number {
  const value = requireInt64(text);
  const seconds = (flags & (EX | EXAT)) !== 0;
  if (value <= 0n || (seconds && value > INT64_MAX / 1000n)) throw new CommandError(Errors.invalidExpire(ctx.spec.name));
  let whenMs = seconds ? value * 1000n : value;
  if (flags & (EX | PX)) whenMs += BigInt(commandTimeMs(ctx));
  // Redis detects the signed overflow of the addition as a non-positive result.
  if (whenMs > INT64_MAX) throw new CommandError(Errors.invalidExpire(ctx.spec.name));
  return Number(whenMs);
}

// ------------------------------------------------------------------ SET family

/**
 * Redis's setGenericCommand, shared by SET, SETNX, SETEX and PSETEX. With
 * GET the old value is replied first (and WRONGTYPE stops the command before
 * anything changes); NX/XX decide whether the write happens; a relative or
 * absolute expiry reaches replicas as `SET key value PXAT <ms>`. Returns
 * whether the value was written; the caller replies unless GET did.
 */
function setGeneric(ctx: CommandContext, key: string, value: string, options: StringOptions): boolean {
  const { flags, expireText } = options;
  const whenMs = expireText === undefined ? undefined : expireAtMs(ctx, expireText, flags);
  if (flags & SET_GET) {
    const old = ctx.readString(key);
    if (old === undefined) ctx.reply.nullBulk();
    else ctx.reply.bulk(old);
  }
  const found = ctx.lookupWrite(key) !== undefined;
  if ((flags & SET_NX && found) || (flags & SET_XX && !found)) return false;
  ctx.db.set(key, value, (flags & KEEPTTL) !== 0);
  if (whenMs !== undefined) {
    ctx.db.setExpire(key, whenMs);
    ctx.propagate(["SET", key, value, "PXAT", String(whenMs)]);
  } else if (flags & SET_GET) {
    ctx.propagate(ctx.args.filter((arg, i) => i < 3 || optionName(arg) !== "get"));
  }
  return true;
}

function setCommand(ctx: CommandContext): void {
  const args = ctx.args;
  // The benchmark's hot path: a plain SET skips option parsing and allocates nothing of its own.
  if (args.length === 3) {
    const key = args[1]!;
    ctx.lookupWrite(key);
    ctx.db.set(key, args[2]!);
    ctx.reply.ok();
    return;
  }
  const options = parseStringOptions(args, false);
  const written = setGeneric(ctx, args[1]!, args[2]!, options);
  if (options.flags & SET_GET) return;
  if (written) ctx.reply.ok();
  else ctx.reply.nullBulk();
}

function setnxCommand(ctx: CommandContext): void {
  const written = setGeneric(ctx, ctx.args[1]!, ctx.args[2]!, { flags: SET_NX, expireText: undefined });
  ctx.reply.integer(written ? 1 : 0);
}

function setexCommand(ctx: CommandContext): void {
  setGeneric(ctx, ctx.args[1]!, ctx.args[3]!, { flags: EX, expireText: ctx.args[2]! });
  ctx.reply.ok();
}

function psetexCommand(ctx: CommandContext): void {
  setGeneric(ctx, ctx.args[1]!, ctx.args[3]!, { flags: PX, expireText: ctx.args[2]! });
  ctx.reply.ok();
}

function getCommand(ctx: CommandContext): void {
  const value = ctx.readString(ctx.args[1]!);
  if (value === undefined) ctx.reply.nullBulk();
  else ctx.reply.bulk(value);
}

/** GETSET: the old value, then a plain SET (which drops the TTL); replicas get the SET. */
function getsetCommand(ctx: CommandContext): void {
  const key = ctx.args[1]!;
  const value = ctx.args[2]!;
  getCommand(ctx);
  ctx.lookupWrite(key);
  ctx.db.set(key, value);
  ctx.propagate(["SET", key, value]);
}

function getdelCommand(ctx: CommandContext): void {
  const key = ctx.args[1]!;
  const value = ctx.readString(key);
  if (value === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  ctx.reply.bulk(value);
  ctx.db.delete(key);
  ctx.propagate(["DEL", key]);
}

/**
 * GETEX replies with the value, then changes only its expiry. Replicas get
 * PEXPIREAT with the absolute time, DEL when EXAT/PXAT is already past, or
 * PERSIST when a TTL was removed. The expiry argument is validated only when
 * the key exists and holds a string, as in Redis.
 */
function getexCommand(ctx: CommandContext): void {
  const key = ctx.args[1]!;
  const { flags, expireText } = parseStringOptions(ctx.args, true);
  const value = ctx.readString(key);
  if (value === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  const whenMs = expireText === undefined ? undefined : expireAtMs(ctx, expireText, flags);
  ctx.reply.bulk(value);
  if (whenMs !== undefined && flags & ABSOLUTE && isAlreadyExpired(ctx, whenMs)) {
    ctx.db.delete(key);
    ctx.propagate(["DEL", key]);
  } else if (whenMs !== undefined) {
    ctx.db.setExpire(key, whenMs);
    ctx.propagate(["PEXPIREAT", key, String(whenMs)]);
  } else if (flags & PERSIST && ctx.db.removeExpire(key)) {
    ctx.propagate(["PERSIST", key]);
  }
}

function mgetCommand(ctx: CommandContext): void {
  const args = ctx.args;
  ctx.reply.arrayHeader(args.length - 1);
  for (let i = 1; i < args.length; i++) {
    const value = ctx.lookupRead(args[i]!);
    if (typeof value === "string") ctx.reply.bulk(value);
    else ctx.reply.nullBulk();
  }
}

function requirePairs(ctx: CommandContext): void {
  if (ctx.args.length % 2 === 0) throw new CommandError(Errors.wrongArity(ctx.spec.name));
}

function msetCommand(ctx: CommandContext): void {
  requirePairs(ctx);
  const args = ctx.args;
  for (let i = 1; i < args.length; i += 2) {
    ctx.lookupWrite(args[i]!);
    ctx.db.set(args[i]!, args[i + 1]!);
  }
  ctx.reply.ok();
}

/** MSETNX sets every pair, or none when any key exists (a repeated key takes its last value). */
function msetnxCommand(ctx: CommandContext): void {
  requirePairs(ctx);
  const args = ctx.args;
  for (let i = 1; i < args.length; i += 2) {
    if (ctx.lookupWrite(args[i]!) !== undefined) {
      ctx.reply.integer(0);
      return;
    }
  }
  for (let i = 1; i < args.length; i += 2) ctx.db.set(args[i]!, args[i + 1]!);
  ctx.reply.integer(1);
}

// ------------------------------------------------------------------ editing

/** The string at `key` for a command that modifies it; WRONGTYPE for other types. */
function writableString(ctx: CommandContext, key: string): string | undefined {
  const value = ctx.lookupWrite(key);
  if (value !== undefined && typeof value !== "string") throw new CommandError(Errors.wrongType);
  return value;
}

function appendCommand(ctx: CommandContext): void {
  const key = ctx.args[1]!;
  const suffix = ctx.args[2]!;
  const current = writableString(ctx, key);
  if (current === undefined) {
    ctx.db.set(key, suffix);
    ctx.reply.integer(suffix.length);
    return;
  }
  checkStringLength(ctx, current.length, suffix.length);
  const value = current + suffix;
  ctx.db.set(key, value, true);
  ctx.reply.integer(value.length);
}

function strlenCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.readString(ctx.args[1]!)?.length ?? 0);
}

/**
 * SETRANGE: overwrites from `offset`, padding with zero bytes. Setting
 * nothing changes nothing (not even creating the key); the result may not
 * exceed proto-max-bulk-len.
 */
function setrangeCommand(ctx: CommandContext): void {
  const key = ctx.args[1]!;
  const patch = ctx.args[3]!;
  const offset = Number(requireInt64(ctx.args[2]!));
  if (offset < 0) throw new CommandError("ERR offset is out of range");
  const current = writableString(ctx, key);
  if (patch.length === 0) {
    ctx.reply.integer(current?.length ?? 0);
    return;
  }
  checkStringLength(ctx, offset, patch.length);
  const base = current ?? "";
  const padded = base.length < offset ? base + "\0".repeat(offset - base.length) : base;
  const value = padded.slice(0, offset) + patch + padded.slice(offset + patch.length);
  ctx.db.set(key, value, true);
  ctx.reply.integer(value.length);
}

/**
 * GETRANGE (and SUBSTR): inclusive byte range with negative indexes from the
 * end, clamped to the string. Indexes are 64-bit, so the first comparison is
 * made on the exact values before they are narrowed to numbers.
 */
function getrangeCommand(ctx: CommandContext): void {
  const startArg = requireInt64(ctx.args[2]!);
  const endArg = requireInt64(ctx.args[3]!);
  const value = ctx.readString(ctx.args[1]!) ?? "";
  if (startArg < 0n && endArg < 0n && startArg > endArg) {
    ctx.reply.bulk("");
    return;
  }
  const length = value.length;
  let start = Number(startArg);
  let end = Number(endArg);
  if (start < 0) start = Math.max(0, length + start);
  if (end < 0) end = Math.max(0, length + end);
  if (end >= length) end = length - 1;
  if (start > end || length === 0) ctx.reply.bulk("");
  else ctx.reply.bulk(value.slice(start, end + 1));
}

// ------------------------------------------------------------------ counters

/**
 * INCR/DECR/INCRBY/DECRBY: 64-bit signed arithmetic on a string holding an
 * integer, keeping the TTL. Safe JavaScript integers take a fast path; the
 * rest is done in BigInt with Redis's overflow error.
 */
function incrementBy(ctx: CommandContext, increment: bigint): void {
  const key = ctx.args[1]!;
  const current = writableString(ctx, key) ?? "0";
  const small = parseInteger(current);
  const smallIncrement = Number(increment);
  let result: number | bigint;
  if (small !== undefined && Number.isSafeInteger(smallIncrement) && Number.isSafeInteger(small + smallIncrement)) {
    result = small + smallIncrement;
  } else {
    const sum = requireInt64(current) + increment;
    if (sum > INT64_MAX || sum < INT64_MIN) throw new CommandError(Errors.overflow);
    result = sum;
  }
  ctx.db.set(key, String(result), true);
  ctx.reply.integer(result);
}

function incrCommand(ctx: CommandContext): void {
  incrementBy(ctx, 1n);
}

function decrCommand(ctx: CommandContext): void {
  incrementBy(ctx, -1n);
}

function incrbyCommand(ctx: CommandContext): void {
  incrementBy(ctx, requireInt64(ctx.args[2]!));
}

function decrbyCommand(ctx: CommandContext): void {
  const decrement = requireInt64(ctx.args[2]!);
  // Negating INT64_MIN does not fit in 64 bits.
  if (decrement === INT64_MIN) throw new CommandError("ERR decrement would overflow");
  incrementBy(ctx, -decrement);
}

const LONG_DOUBLE_ZERO: LongDouble = { negative: false, mantissa: 0n, exponent: 0 };

/**
 * INCRBYFLOAT in x87 long double arithmetic (see util/long-double.ts), so
 * replies match Redis digit for digit. The TTL is kept, and replicas get
 * `SET key <result> KEEPTTL` so they never redo the float arithmetic.
 */
function incrbyfloatCommand(ctx: CommandContext): void {
  const key = ctx.args[1]!;
  const current = writableString(ctx, key);
  const value = current === undefined ? LONG_DOUBLE_ZERO : parseLongDouble(current);
  if (value === undefined) throw new CommandError(Errors.notFloat);
  const increment = parseLongDouble(ctx.args[2]!);
  if (increment === undefined) throw new CommandError(Errors.notFloat);
  if ("infinite" in value || "infinite" in increment) throw new CommandError(Errors.incrNanOrInfinity);
  const sum = addLongDouble(value, increment);
  if (sum === undefined) throw new CommandError(Errors.incrNanOrInfinity);
  const text = formatLongDouble(sum);
  ctx.db.set(key, text, true);
  ctx.reply.bulk(text);
  ctx.propagate(["SET", key, text, "KEEPTTL"]);
}

// ------------------------------------------------------------------ specs

/* The metadata below is what Redis 7.0.15 reports in COMMAND INFO and COMMAND DOCS. */
export const STRING_COMMANDS: CommandSpec[] = [
  {
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "string", "fast"],
    group: "string",
    since: "1.0.0",
    summary: "Get the value of a key",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: getCommand,
  },
  {
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "slow"],
    group: "string",
    since: "1.0.0",
    summary: "Set the string value of a key",
    complexity: "O(1)",
    history: [
      ["2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."],
      ["6.0.0", "Added the `KEEPTTL` option."],
      ["6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."],
      ["7.0.0", "Allowed the `NX` and `GET` options to be used together."],
    ],
    keySpecs: [
      { notes: "RW and ACCESS due to the optional `GET` argument", flags: ["RW", "access", "update", "variable_flags"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "value", type: "string" },
      { name: "condition", type: "oneof", since: "2.6.12", flags: ["optional"], arguments: [
        { name: "nx", type: "pure-token", token: "NX" },
        { name: "xx", type: "pure-token", token: "XX" },
      ] },
      { name: "get", type: "pure-token", token: "GET", since: "6.2.0", flags: ["optional"] },
      { name: "expiration", type: "oneof", flags: ["optional"], arguments: [
        { name: "seconds", type: "integer", token: "EX", since: "2.6.12" },
        { name: "milliseconds", type: "integer", token: "PX", since: "2.6.12" },
        { name: "unix-time-seconds", type: "unix-time", token: "EXAT", since: "6.2.0" },
        { name: "unix-time-milliseconds", type: "unix-time", token: "PXAT", since: "6.2.0" },
        { name: "keepttl", type: "pure-token", token: "KEEPTTL", since: "6.0.0" },
      ] },
    ],
    handler: setCommand,
  },
  {
    name: "mget",
    arity: -2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["read", "string", "fast"],
    group: "string",
    since: "1.0.0",
    summary: "Get the values of all the given keys",
    complexity: "O(N) where N is the number of keys to retrieve.",
    tips: ["request_policy:multi_shard"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
    ],
    handler: mgetCommand,
  },
  {
    name: "mset",
    arity: -3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: -1,
    step: 2,
    acl: ["write", "string", "slow"],
    group: "string",
    since: "1.0.1",
    summary: "Set multiple keys to multiple values",
    complexity: "O(N) where N is the number of keys to set.",
    tips: ["request_policy:multi_shard", "response_policy:all_succeeded"],
    keySpecs: [
      { flags: ["OW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 2, limit: 0 } },
    ],
    arguments: [
      { name: "key_value", type: "block", flags: ["multiple"], arguments: [
        { name: "key", type: "key", keySpecIndex: 0 },
        { name: "value", type: "string" },
      ] },
    ],
    handler: msetCommand,
  },
  {
    name: "msetnx",
    arity: -3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: -1,
    step: 2,
    acl: ["write", "string", "slow"],
    group: "string",
    since: "1.0.1",
    summary: "Set multiple keys to multiple values, only if none of the keys exist",
    complexity: "O(N) where N is the number of keys to set.",
    tips: ["request_policy:multi_shard", "response_policy:agg_min"],
    keySpecs: [
      { flags: ["OW", "insert"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 2, limit: 0 } },
    ],
    arguments: [
      { name: "key_value", type: "block", flags: ["multiple"], arguments: [
        { name: "key", type: "key", keySpecIndex: 0 },
        { name: "value", type: "string" },
      ] },
    ],
    handler: msetnxCommand,
  },
  {
    name: "getset",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "fast"],
    group: "string",
    since: "1.0.0",
    summary: "Set the string value of a key and return its old value",
    complexity: "O(1)",
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`SET` with the `!GET` argument",
    keySpecs: [
      { flags: ["RW", "access", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "value", type: "string" },
    ],
    handler: getsetCommand,
  },
  {
    name: "getdel",
    arity: 2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "fast"],
    group: "string",
    since: "6.2.0",
    summary: "Get the value of a key and delete the key",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: getdelCommand,
  },
  {
    name: "getex",
    arity: -2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "fast"],
    group: "string",
    since: "6.2.0",
    summary: "Get the value of a key and optionally set its expiration",
    complexity: "O(1)",
    keySpecs: [
      { notes: "RW and UPDATE because it changes the TTL", flags: ["RW", "access", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "expiration", type: "oneof", flags: ["optional"], arguments: [
        { name: "seconds", type: "integer", token: "EX" },
        { name: "milliseconds", type: "integer", token: "PX" },
        { name: "unix-time-seconds", type: "unix-time", token: "EXAT" },
        { name: "unix-time-milliseconds", type: "unix-time", token: "PXAT" },
        { name: "persist", type: "pure-token", token: "PERSIST" },
      ] },
    ],
    handler: getexCommand,
  },
  {
    name: "setnx",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "fast"],
    group: "string",
    since: "1.0.0",
    summary: "Set the value of a key, only if the key does not exist",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["OW", "insert"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "value", type: "string" },
    ],
    handler: setnxCommand,
  },
  {
    name: "setex",
    arity: 4,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "slow"],
    group: "string",
    since: "2.0.0",
    summary: "Set the value and expiration of a key",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["OW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "seconds", type: "integer" },
      { name: "value", type: "string" },
    ],
    handler: setexCommand,
  },
  {
    name: "psetex",
    arity: 4,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "slow"],
    group: "string",
    since: "2.6.0",
    summary: "Set the value and expiration in milliseconds of a key",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["OW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "milliseconds", type: "integer" },
      { name: "value", type: "string" },
    ],
    handler: psetexCommand,
  },
  {
    name: "append",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "fast"],
    group: "string",
    since: "2.0.0",
    summary: "Append a value to a key",
    complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
    keySpecs: [
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "value", type: "string" },
    ],
    handler: appendCommand,
  },
  {
    name: "strlen",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "string", "fast"],
    group: "string",
    since: "2.2.0",
    summary: "Get the length of the value stored in a key",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: strlenCommand,
  },
  {
    name: "getrange",
    arity: 4,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "string", "slow"],
    group: "string",
    since: "2.4.0",
    summary: "Get a substring of the string stored at a key",
    complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "start", type: "integer" },
      { name: "end", type: "integer" },
    ],
    handler: getrangeCommand,
  },
  {
    name: "substr",
    arity: 4,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "string", "slow"],
    group: "string",
    since: "1.0.0",
    summary: "Get a substring of the string stored at a key",
    complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
    docFlags: ["deprecated"],
    deprecatedSince: "2.0.0",
    replacedBy: "`GETRANGE`",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "start", type: "integer" },
      { name: "end", type: "integer" },
    ],
    handler: getrangeCommand,
  },
  {
    name: "setrange",
    arity: 4,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "slow"],
    group: "string",
    since: "2.2.0",
    summary: "Overwrite part of a string at key starting at the specified offset",
    complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
    keySpecs: [
      { flags: ["RW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "offset", type: "integer" },
      { name: "value", type: "string" },
    ],
    handler: setrangeCommand,
  },
  {
    name: "incr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "fast"],
    group: "string",
    since: "1.0.0",
    summary: "Increment the integer value of a key by one",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: incrCommand,
  },
  {
    name: "decr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "fast"],
    group: "string",
    since: "1.0.0",
    summary: "Decrement the integer value of a key by one",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: decrCommand,
  },
  {
    name: "incrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "fast"],
    group: "string",
    since: "1.0.0",
    summary: "Increment the integer value of a key by the given amount",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "increment", type: "integer" },
    ],
    handler: incrbyCommand,
  },
  {
    name: "decrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "fast"],
    group: "string",
    since: "1.0.0",
    summary: "Decrement the integer value of a key by the given number",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "decrement", type: "integer" },
    ],
    handler: decrbyCommand,
  },
  {
    name: "incrbyfloat",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "fast"],
    group: "string",
    since: "2.6.0",
    summary: "Increment the float value of a key by the given amount",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "increment", type: "double" },
    ],
    handler: incrbyfloatCommand,
  },
];
