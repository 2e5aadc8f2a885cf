import { Constants } from "../constants.js";
import type { CommandContext } from "../engine/context.js";
import { CommandError, Errors } from "../errors.js";
import { HashValue, type HashEncodingLimits } from "../keyspace/types/hash.js";
import { globMatch } from "../util/glob.js";
import { INT64_MAX, INT64_MIN, parseInt64, requireInt64 } from "../util/parse.js";
import { EMPTY_SCAN_REPLY, distinctIndexes, parseScanOptions, replyLimitReached, requireRoom } from "./hash-set-support.js";
import { requireScanCursor } from "./sorted-set-args.js";
import type { CommandSpec } from "./spec.js";
import { addLongDouble, formatLongDouble, parseLongDouble } from "../util/long-double.js";

/**
 * The hash commands, with Redis 7.0's replies, errors and argument order
 * (arguments are validated before the key is looked up wherever Redis does
 * so, which decides which error a client sees first).
 *
 * A hash whose last field is removed is deleted with its key. HINCRBYFLOAT is
 * propagated as HSET with the resulting text, so replicas never redo the
 * floating-point arithmetic.
 */

/** HRANDFIELD with WITHVALUES refuses counts whose doubled reply length would overflow a long. */
const WITHVALUES_COUNT_MAX = INT64_MAX / 2n;

function hashLimits(ctx: CommandContext): HashEncodingLimits {
  return {
    entriesMax: ctx.engine.config.number("hash-max-listpack-entries"),
    valueBytesMax: ctx.engine.config.number("hash-max-listpack-value"),
  };
}

function readHash(ctx: CommandContext, key: string): HashValue | undefined {
  return ctx.readAggregate<HashValue>(key, "hash");
}

function writeHash(ctx: CommandContext, key: string): HashValue | undefined {
  return ctx.writeAggregate<HashValue>(key, "hash");
}

/**
 * A new empty hash stored at `key` (Redis's hashTypeLookupWriteOrCreate for a
 * missing key). Callers validate everything first, so no command leaves an
 * empty hash behind.
 */
function createHash(ctx: CommandContext, key: string): HashValue {
  const hash = new HashValue();
  ctx.db.set(key, hash);
  return hash;
}

// ------------------------------------------------------------ writes

/** HSET and HMSET share Redis's hsetCommand; only the reply differs. */
function setFields(ctx: CommandContext): number {
  const { args } = ctx;
  if (args.length % 2 === 1) throw new CommandError(Errors.wrongArity(ctx.spec.name));
  const key = args[1]!;
  const existing = writeHash(ctx, key);
  const fields = args.filter((_, i) => i >= 2 && i % 2 === 0);
  requireRoom("hash", existing?.length ?? 0, fields, (field) => existing?.has(field) ?? false);
  const hash = existing ?? createHash(ctx, key);
  const limits = hashLimits(ctx);
  let created = 0;
  for (let i = 2; i < args.length; i += 2) {
    if (hash.set(args[i]!, args[i + 1]!, limits)) created++;
  }
  return created;
}

function hsetCommand(ctx: CommandContext): void {
  ctx.reply.integer(setFields(ctx));
}

function hmsetCommand(ctx: CommandContext): void {
  setFields(ctx);
  ctx.reply.ok();
}

function hsetnxCommand(ctx: CommandContext): void {
  const [, key, field, value] = ctx.args as [string, string, string, string];
  const existing = writeHash(ctx, key);
  if (existing?.has(field)) {
    ctx.reply.integer(0);
    return;
  }
  if (existing !== undefined) requireRoom("hash", existing.length, [field], () => false);
  (existing ?? createHash(ctx, key)).set(field, value, hashLimits(ctx));
  ctx.reply.integer(1);
}

function hdelCommand(ctx: CommandContext): void {
  const { args } = ctx;
  const key = args[1]!;
  const hash = writeHash(ctx, key);
  let deleted = 0;
  if (hash !== undefined) {
    for (let i = 2; i < args.length; i++) {
      if (!hash.delete(args[i]!)) continue;
      deleted++;
      if (hash.length === 0) {
        ctx.db.delete(key);
        break;
      }
    }
  }
  ctx.reply.integer(deleted);
}

function hincrbyCommand(ctx: CommandContext): void {
  const [, key, field, incrementText] = ctx.args as [string, string, string, string];
  const increment = requireInt64(incrementText);
  const hash = writeHash(ctx, key);
  const current = hash?.get(field);
  let value = 0n;
  if (current !== undefined) {
    const parsed = parseInt64(current);
    if (parsed === undefined) throw new CommandError("ERR hash value is not an integer");
    value = parsed;
  }
  const result = value + increment;
  if (result > INT64_MAX || result < INT64_MIN) throw new CommandError(Errors.overflow);
  if (hash !== undefined && current === undefined) requireRoom("hash", hash.length, [field], () => false);
  (hash ?? createHash(ctx, key)).set(field, String(result), hashLimits(ctx));
  ctx.reply.integer(result);
}

/**
 * HINCRBYFLOAT adds in long double as Redis does (see util/long-double.ts)
 * and stores the `%.17Lf` text. Replicas get `HSET key field <text>`.
 */
function hincrbyfloatCommand(ctx: CommandContext): void {
  const [, key, field, incrementText] = ctx.args as [string, string, string, string];
  const increment = parseLongDouble(incrementText);
  if (increment === undefined) throw new CommandError(Errors.notFloat);
  if ("infinite" in increment) throw new CommandError("ERR value is NaN or Infinity");
  const hash = writeHash(ctx, key);
  const current = hash?.get(field);
  let sum = increment;
  if (current !== undefined) {
    const value = parseLongDouble(current);
    if (value === undefined) throw new CommandError("ERR hash value is not a float");
    const added = "infinite" in value ? undefined : addLongDouble(value, increment);
    if (added === undefined) throw new CommandError(Errors.incrNanOrInfinity);
    sum = added;
  }
  const text = formatLongDouble(sum);
  if (hash !== undefined && current === undefined) requireRoom("hash", hash.length, [field], () => false);
  (hash ?? createHash(ctx, key)).set(field, text, hashLimits(ctx));
  ctx.reply.bulk(text);
  ctx.propagate(["HSET", key, field, text]);
}

// ------------------------------------------------------------ reads

function hgetCommand(ctx: CommandContext): void {
  const value = readHash(ctx, ctx.args[1]!)?.get(ctx.args[2]!);
  if (value === undefined) ctx.reply.nullBulk();
  else ctx.reply.bulk(value);
}

function hmgetCommand(ctx: CommandContext): void {
  const { args, reply } = ctx;
  const hash = readHash(ctx, args[1]!);
  reply.arrayHeader(args.length - 2);
  for (let i = 2; i < args.length; i++) {
    const value = hash?.get(args[i]!);
    if (value === undefined) reply.nullBulk();
    else reply.bulk(value);
  }
}

function hexistsCommand(ctx: CommandContext): void {
  ctx.reply.integer(readHash(ctx, ctx.args[1]!)?.has(ctx.args[2]!) ? 1 : 0);
}

function hlenCommand(ctx: CommandContext): void {
  ctx.reply.integer(readHash(ctx, ctx.args[1]!)?.length ?? 0);
}

function hstrlenCommand(ctx: CommandContext): void {
  ctx.reply.integer(readHash(ctx, ctx.args[1]!)?.get(ctx.args[2]!)?.length ?? 0);
}

function hkeysCommand(ctx: CommandContext): void {
  const hash = readHash(ctx, ctx.args[1]!);
  ctx.reply.arrayHeader(hash?.length ?? 0);
  if (hash !== undefined) for (const [field] of hash.entries()) ctx.reply.bulk(field);
}

function hvalsCommand(ctx: CommandContext): void {
  const hash = readHash(ctx, ctx.args[1]!);
  ctx.reply.arrayHeader(hash?.length ?? 0);
  if (hash !== undefined) for (const [, value] of hash.entries()) ctx.reply.bulk(value);
}

/** A map in RESP3 (`%`), a flat field/value array in RESP2; an empty map for a missing key. */
function hgetallCommand(ctx: CommandContext): void {
  const hash = readHash(ctx, ctx.args[1]!);
  ctx.reply.mapHeader(hash?.length ?? 0);
  if (hash === undefined) return;
  for (const [field, value] of hash.entries()) {
    ctx.reply.bulk(field);
    ctx.reply.bulk(value);
  }
}

// ------------------------------------------------------------ HRANDFIELD

/**
 * HRANDFIELD key [count [WITHVALUES]]. The count and the option are checked
 * before the key is looked up, as Redis does.
 */
function hrandfieldCommand(ctx: CommandContext): void {
  const { args, reply } = ctx;
  if (args.length >= 3) {
    const count = requireInt64(args[2]!);
    if (args.length > 4 || (args.length === 4 && args[3]!.toLowerCase() !== "withvalues")) throw new CommandError(Errors.syntax);
    const withValues = args.length === 4;
    if (withValues && (count < -WITHVALUES_COUNT_MAX || count > WITHVALUES_COUNT_MAX)) throw new CommandError("ERR value is out of range");
    randomFieldsWithCount(ctx, count, withValues);
    return;
  }
  const hash = readHash(ctx, args[1]!);
  if (hash === undefined) reply.nullBulk();
  else reply.bulk(hash.fieldAt(hash.randomIndex(ctx.random)));
}

/**
 * Redis's hrandfieldWithCountCommand: a negative count samples with
 * repetition; a count at least the size returns the whole hash in its
 * order; otherwise distinct fields, in hash order when a listpack is
 * sampled sparsely (Redis picks listpack positions in order), in no
 * particular order otherwise. RESP3 nests each field/value pair.
 */
function randomFieldsWithCount(ctx: CommandContext, count: bigint, withValues: boolean): void {
  const { reply } = ctx;
  const hash = readHash(ctx, ctx.args[1]!);
  if (hash === undefined || count === 0n) {
    reply.arrayHeader(0);
    return;
  }
  if (count < 0n || count === 1n) {
    replyWithRepetition(ctx, hash, count < 0n ? -count : count, withValues);
    return;
  }
  const size = hash.length;
  let indexes: number[];
  if (count >= BigInt(size)) {
    indexes = Array.from({ length: size }, (_, i) => i);
  } else {
    const wanted = Number(count);
    indexes = distinctIndexes(ctx.random, size, wanted);
    if (hash.encoding === "listpack" && wanted * 3 <= size) indexes.sort((a, b) => a - b);
  }
  replyFieldHeader(ctx, BigInt(indexes.length), withValues);
  for (const index of indexes) replyField(ctx, hash, index, withValues);
}

function replyWithRepetition(ctx: CommandContext, hash: HashValue, count: bigint, withValues: boolean): void {
  replyFieldHeader(ctx, count, withValues);
  for (let i = 0n; i < count; i++) {
    replyField(ctx, hash, hash.randomIndex(ctx.random), withValues);
    if (replyLimitReached(ctx)) return;
  }
}

/** The array header for `count` fields: doubled in RESP2 with values, one nested pair each in RESP3. */
function replyFieldHeader(ctx: CommandContext, count: bigint, withValues: boolean): void {
  const flat = withValues && ctx.reply.protocol === 2;
  // Written as text so the exact header survives counts past 2^53.
  ctx.reply.raw("*" + (flat ? count * 2n : count) + "\r\n");
}

function replyField(ctx: CommandContext, hash: HashValue, index: number, withValues: boolean): void {
  const { reply } = ctx;
  if (withValues && reply.protocol === 3) reply.arrayHeader(2);
  reply.bulk(hash.fieldAt(index));
  if (withValues) reply.bulk(hash.valueAt(index));
}

// ------------------------------------------------------------ HSCAN

/**
 * HSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is checked
 * first, then the key; the options only when the key exists, as in Redis.
 */
function hscanCommand(ctx: CommandContext): void {
  const { args, reply } = ctx;
  const cursor = requireScanCursor(args[2]!);
  const hash = readHash(ctx, args[1]!);
  if (hash === undefined) {
    reply.raw(EMPTY_SCAN_REPLY);
    return;
  }
  const { count, pattern } = parseScanOptions(args, 3, Constants.scanCountDefault);
  const found: string[] = [];
  const next = hash.scan(cursor, count, (field, value) => {
    if (pattern === undefined || globMatch(pattern, field)) found.push(field, value);
  });
  reply.arrayHeader(2);
  reply.bulk(String(next));
  reply.bulkArray(found);
}

// ------------------------------------------------------------ the table

export const HASH_COMMANDS: CommandSpec[] = [
  {
    name: "hset",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "hash", "fast"],
    group: "hash",
    since: "2.0.0",
    summary: "Set the string value of a hash field",
    complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
    history: [["4.0.0", "Accepts multiple `field` and `value` arguments."]],
    keySpecs: [
      { flags: ["RW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field_value", type: "block", flags: ["multiple"], arguments: [
        { name: "field", type: "string" },
        { name: "value", type: "string" },
      ] },
    ],
    handler: hsetCommand,
  },
  {
    name: "hsetnx",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "hash", "fast"],
    group: "hash",
    since: "2.0.0",
    summary: "Set the value of a hash field, only if the field does not exist",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string" },
      { name: "value", type: "string" },
    ],
    handler: hsetnxCommand,
  },
  {
    name: "hget",
    arity: 3,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "hash", "fast"],
    group: "hash",
    since: "2.0.0",
    summary: "Get the value of a hash field",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string" },
    ],
    handler: hgetCommand,
  },
  {
    name: "hmget",
    arity: -3,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "hash", "fast"],
    group: "hash",
    since: "2.0.0",
    summary: "Get the values of all the given hash fields",
    complexity: "O(N) where N is the number of fields being requested.",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string", flags: ["multiple"] },
    ],
    handler: hmgetCommand,
  },
  {
    name: "hmset",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "hash", "fast"],
    group: "hash",
    since: "2.0.0",
    summary: "Set multiple hash fields to multiple values",
    complexity: "O(N) where N is the number of fields being set.",
    docFlags: ["deprecated"],
    deprecatedSince: "4.0.0",
    replacedBy: "`HSET` with multiple field-value pairs",
    keySpecs: [
      { flags: ["RW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field_value", type: "block", flags: ["multiple"], arguments: [
        { name: "field", type: "string" },
        { name: "value", type: "string" },
      ] },
    ],
    handler: hmsetCommand,
  },
  {
    name: "hgetall",
    arity: 2,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "hash", "slow"],
    group: "hash",
    since: "2.0.0",
    summary: "Get all the fields and values in a hash",
    complexity: "O(N) where N is the size of the hash.",
    tips: ["nondeterministic_output_order"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: hgetallCommand,
  },
  {
    name: "hdel",
    arity: -3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "hash", "fast"],
    group: "hash",
    since: "2.0.0",
    summary: "Delete one or more hash fields",
    complexity: "O(N) where N is the number of fields to be removed.",
    history: [["2.4.0", "Accepts multiple `field` arguments."]],
    keySpecs: [
      { flags: ["RW", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string", flags: ["multiple"] },
    ],
    handler: hdelCommand,
  },
  {
    name: "hexists",
    arity: 3,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "hash", "fast"],
    group: "hash",
    since: "2.0.0",
    summary: "Determine if a hash field exists",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string" },
    ],
    handler: hexistsCommand,
  },
  {
    name: "hlen",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "hash", "fast"],
    group: "hash",
    since: "2.0.0",
    summary: "Get the number of fields in a hash",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: hlenCommand,
  },
  {
    name: "hkeys",
    arity: 2,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "hash", "slow"],
    group: "hash",
    since: "2.0.0",
    summary: "Get all the fields in a hash",
    complexity: "O(N) where N is the size of the hash.",
    tips: ["nondeterministic_output_order"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: hkeysCommand,
  },
  {
    name: "hvals",
    arity: 2,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "hash", "slow"],
    group: "hash",
    since: "2.0.0",
    summary: "Get all the values in a hash",
    complexity: "O(N) where N is the size of the hash.",
    tips: ["nondeterministic_output_order"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: hvalsCommand,
  },
  {
    name: "hincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "hash", "fast"],
    group: "hash",
    since: "2.0.0",
    summary: "Increment the integer value of a hash field by the given number",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string" },
      { name: "increment", type: "integer" },
    ],
    handler: hincrbyCommand,
  },
  {
    name: "hincrbyfloat",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "hash", "fast"],
    group: "hash",
    since: "2.6.0",
    summary: "Increment the float value of a hash field by the given amount",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string" },
      { name: "increment", type: "double" },
    ],
    handler: hincrbyfloatCommand,
  },
  {
    name: "hstrlen",
    arity: 3,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "hash", "fast"],
    group: "hash",
    since: "3.2.0",
    summary: "Get the length of the value of a hash field",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string" },
    ],
    handler: hstrlenCommand,
  },
  {
    name: "hrandfield",
    arity: -2,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "hash", "slow"],
    group: "hash",
    since: "6.2.0",
    summary: "Get one or multiple random fields from a hash",
    complexity: "O(N) where N is the number of fields returned",
    tips: ["nondeterministic_output"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "options", type: "block", flags: ["optional"], arguments: [
        { name: "count", type: "integer" },
        { name: "withvalues", type: "pure-token", token: "WITHVALUES", flags: ["optional"] },
      ] },
    ],
    handler: hrandfieldCommand,
  },
  {
    name: "hscan",
    arity: -3,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "hash", "slow"],
    group: "hash",
    since: "2.8.0",
    summary: "Incrementally iterate hash fields and associated values",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    tips: ["nondeterministic_output"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "cursor", type: "integer" },
      { name: "pattern", type: "pattern", token: "MATCH", flags: ["optional"] },
      { name: "count", type: "integer", token: "COUNT", flags: ["optional"] },
    ],
    handler: hscanCommand,
  },
];
