import { Constants } from "../constants.js";
import type { CommandContext } from "../engine/context.js";
import { CommandError, Errors } from "../errors.js";
import type { Database } from "../keyspace/database.js";
import { typeOf, type Value } from "../keyspace/value.js";
import { globMatch } from "../util/glob.js";
import { INT64_MAX, INT64_MIN, requireInt64 } from "../util/parse.js";
import { OBJECT_COMMAND } from "./keys-object.js";
import { commandTimeMs, errorArgument, isAlreadyExpired, lookupNoTouch, optionName } from "./keys-support.js";
import type { CommandSpec } from "./spec.js";

// ------------------------------------------------------------------ existence

/** DEL and UNLINK: both free memory at once here (there is no background thread to defer to). */
function delCommand(ctx: CommandContext): void {
  let deleted = 0;
  for (let i = 1; i < ctx.args.length; i++) {
    const key = ctx.args[i]!;
    if (ctx.db.exists(key, ctx.nowMs) && ctx.db.delete(key)) deleted++;
  }
  ctx.reply.integer(deleted);
}

/** EXISTS counts a key once per time it is named. */
function existsCommand(ctx: CommandContext): void {
  let count = 0;
  for (let i = 1; i < ctx.args.length; i++) if (lookupNoTouch(ctx, ctx.args[i]!) !== undefined) count++;
  ctx.reply.integer(count);
}

/** TOUCH records an access (for LRU/LFU) on each existing key. */
function touchCommand(ctx: CommandContext): void {
  let count = 0;
  for (let i = 1; i < ctx.args.length; i++) if (ctx.lookupRead(ctx.args[i]!) !== undefined) count++;
  ctx.reply.integer(count);
}

function typeCommand(ctx: CommandContext): void {
  const value = lookupNoTouch(ctx, ctx.args[1]!);
  ctx.reply.simple(value === undefined ? "none" : typeOf(value));
}

function randomkeyCommand(ctx: CommandContext): void {
  const key = ctx.db.randomKey(ctx.random, ctx.nowMs);
  if (key === undefined) ctx.reply.nullBulk();
  else ctx.reply.bulk(key);
}

// ------------------------------------------------------------------ renaming and copying

/**
 * RENAME and RENAMENX move the value and its TTL. Renaming a key to itself
 * changes nothing but still requires the key to exist.
 */
function renameGeneric(ctx: CommandContext, nx: boolean): void {
  const [, source, destination] = ctx.args as [string, string, string];
  const value = ctx.lookupWrite(source);
  if (value === undefined) throw new CommandError(Errors.noSuchKey);
  if (source === destination) {
    if (nx) ctx.reply.integer(0);
    else ctx.reply.ok();
    return;
  }
  if (ctx.lookupWrite(destination) !== undefined) {
    if (nx) {
      ctx.reply.integer(0);
      return;
    }
    ctx.db.delete(destination);
  }
  const expireAtMs = ctx.db.getExpire(source);
  // Delete first: deleting detaches an aggregate from the ledger and storing
  // attaches it again, so the moved value is counted exactly once.
  ctx.db.delete(source);
  ctx.db.set(destination, value);
  if (expireAtMs !== undefined) ctx.db.setExpire(destination, expireAtMs);
  if (nx) ctx.reply.integer(1);
  else ctx.reply.ok();
}

function renameCommand(ctx: CommandContext): void {
  renameGeneric(ctx, false);
}

function renamenxCommand(ctx: CommandContext): void {
  renameGeneric(ctx, true);
}

/** Redis's getIntFromObjectOrReply: a 64-bit integer that must also fit a C int. */
function requireInt32(text: string): number {
  const value = requireInt64(text);
  if (value < -2147483648n || value > 2147483647n) {
    throw new CommandError("ERR value is out of range, value must between -2147483648 and 2147483647");
  }
  return Number(value);
}

interface CopyOptions {
  destinationDb: Database;
  replace: boolean;
}

function parseCopyOptions(ctx: CommandContext): CopyOptions {
  let destinationDb = ctx.db;
  let replace = false;
  for (let j = 3; j < ctx.args.length; j++) {
    const option = optionName(ctx.args[j]!);
    if (option === "replace") {
      replace = true;
    } else if (option === "db" && j + 1 < ctx.args.length) {
      const id = requireInt32(ctx.args[++j]!);
      const db = ctx.engine.dbs[id];
      if (id < 0 || db === undefined) throw new CommandError(Errors.invalidDbIndex);
      destinationDb = db;
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  return { destinationDb, replace };
}

/**
 * COPY duplicates the value (aggregates with clone(), so the copy is
 * independent) and its TTL, into the same or another database.
 */
function copyCommand(ctx: CommandContext): void {
  const [, source, destination] = ctx.args as [string, string, string];
  const { destinationDb, replace } = parseCopyOptions(ctx);
  if (ctx.engine.config.boolean("cluster-enabled") && (ctx.db.id !== 0 || destinationDb.id !== 0)) {
    throw new CommandError("ERR Copying to another database is not allowed in cluster mode");
  }
  if (destinationDb === ctx.db && source === destination) {
    throw new CommandError("ERR source and destination objects are the same");
  }
  const value = ctx.lookupRead(source);
  if (value === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const expireAtMs = ctx.db.getExpire(source);
  if (destinationDb.lookup(destination, ctx.nowMs) !== undefined) {
    if (!replace) {
      ctx.reply.integer(0);
      return;
    }
    destinationDb.delete(destination);
  }
  destinationDb.set(destination, duplicate(value));
  if (expireAtMs !== undefined) destinationDb.setExpire(destination, expireAtMs);
  // The dispatcher touches the command's keys in the client's database only.
  if (destinationDb !== ctx.db) ctx.engine.keyChanged(destinationDb.id, destination);
  ctx.reply.integer(1);
}

function duplicate(value: Value): Value {
  return typeof value === "string" ? value : value.clone();
}

// ------------------------------------------------------------------ listing

/** KEYS: every live key matching the glob; expired keys are hidden, not deleted. */
function keysCommand(ctx: CommandContext): void {
  const pattern = ctx.args[1]!;
  const all = pattern === "*";
  const db = ctx.db;
  const matched: string[] = [];
  for (const key of db.data.keys()) {
    if ((all || globMatch(pattern, key)) && !db.isDue(key, ctx.nowMs)) matched.push(key);
  }
  ctx.reply.bulkArray(matched);
}

/**
 * Redis parses the cursor with strtoul: an optional sign (a negative cursor
 * wraps around), digits, nothing else; the empty string is cursor 0.
 */
function parseScanCursor(text: string): number {
  const match = /^([+-]?)([0-9]*)$/.exec(text);
  if (match === null || (match[2] === "" && match[1] !== "")) throw new CommandError("ERR invalid cursor");
  const magnitude = match[2] === "" ? 0n : BigInt(match[2]!);
  if (magnitude > 0xffffffffffffffffn) throw new CommandError("ERR invalid cursor");
  const cursor = match[1] === "-" && magnitude !== 0n ? 0x10000000000000000n - magnitude : magnitude;
  // Cursors beyond the table (only forged ones) restart the scan, which SCAN's guarantee allows.
  return cursor > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cursor);
}

interface ScanOptions {
  count: number;
  pattern: string | undefined;
  type: string | undefined;
}

function parseScanOptions(args: readonly string[]): ScanOptions {
  const options: ScanOptions = { count: Constants.scanCountDefault, pattern: undefined, type: undefined };
  for (let i = 2; i < args.length; i += 2) {
    const option = optionName(args[i]!);
    if (i + 1 >= args.length) throw new CommandError(Errors.syntax);
    if (option === "count") {
      const count = requireInt64(args[i + 1]!);
      if (count < 1n) throw new CommandError(Errors.syntax);
      options.count = count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
    } else if (option === "match") {
      options.pattern = args[i + 1] === "*" ? undefined : args[i + 1];
    } else if (option === "type") {
      options.type = optionName(args[i + 1]!);
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  return options;
}

/**
 * SCAN visits COUNT slots of the key table per call (IndexedMap's cursor
 * keeps Redis's guarantee: a key present for the whole iteration is returned
 * at least once), then filters by MATCH and TYPE and drops expired keys.
 */
function scanCommand(ctx: CommandContext): void {
  const cursor = parseScanCursor(ctx.args[1]!);
  const { count, pattern, type } = parseScanOptions(ctx.args);
  const visited: string[] = [];
  const next = ctx.db.data.scan(cursor, count, (key) => visited.push(key));
  const keys: string[] = [];
  for (const key of visited) {
    if (pattern !== undefined && !globMatch(pattern, key)) continue;
    if (type !== undefined) {
      const value = lookupNoTouch(ctx, key);
      if ((value === undefined ? "none" : typeOf(value)) !== type) continue;
    }
    if (ctx.db.expireIfDue(key, ctx.nowMs)) continue;
    keys.push(key);
  }
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(String(next));
  ctx.reply.bulkArray(keys);
}

// ------------------------------------------------------------------ expiry

const EXPIRE_NX = 1 << 0;
const EXPIRE_XX = 1 << 1;
const EXPIRE_GT = 1 << 2;
const EXPIRE_LT = 1 << 3;

/** NX/XX/GT/LT after EXPIRE's time, with Redis's errors for combinations it refuses. */
function parseExpireConditions(args: readonly string[]): number {
  let flags = 0;
  for (let j = 3; j < args.length; j++) {
    const option = optionName(args[j]!);
    if (option === "nx") flags |= EXPIRE_NX;
    else if (option === "xx") flags |= EXPIRE_XX;
    else if (option === "gt") flags |= EXPIRE_GT;
    else if (option === "lt") flags |= EXPIRE_LT;
    else throw new CommandError(`ERR Unsupported option ${errorArgument(args[j]!)}`);
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) {
    throw new CommandError("ERR GT and LT options at the same time are not compatible");
  }
  return flags;
}

/** Whether NX/XX/GT/LT let a new expiry `whenMs` replace `currentMs` (undefined: no TTL, an infinite one). */
function conditionsAllow(flags: number, whenMs: bigint, currentMs: number | undefined): boolean {
  if (flags & EXPIRE_NX && currentMs !== undefined) return false;
  if (flags & EXPIRE_XX && currentMs === undefined) return false;
  if (flags & EXPIRE_GT && (currentMs === undefined || whenMs <= BigInt(currentMs))) return false;
  if (flags & EXPIRE_LT && currentMs !== undefined && whenMs >= BigInt(currentMs)) return false;
  return true;
}

/**
 * EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT (Redis's expireGenericCommand).
 * The time may be negative; it must survive the conversion to an absolute
 * millisecond time without overflow. A time already past deletes the key
 * (replicas get a DEL); otherwise replicas get PEXPIREAT with the absolute
 * time and the client's conditions.
 */
function expireGeneric(ctx: CommandContext, basetimeMs: number, unitSeconds: boolean): void {
  const [, key, timeArg] = ctx.args as [string, string, string];
  const flags = parseExpireConditions(ctx.args);
  let whenMs = requireInt64(timeArg);
  if (unitSeconds) {
    if (whenMs > INT64_MAX / 1000n || whenMs < INT64_MIN / 1000n) throw new CommandError(Errors.invalidExpire(ctx.spec.name));
    whenMs *= 1000n;
  }
  if (whenMs > INT64_MAX - BigInt(basetimeMs)) throw new CommandError(Errors.invalidExpire(ctx.spec.name));
  whenMs += BigInt(basetimeMs);
  if (ctx.lookupWrite(key) === undefined || !conditionsAllow(flags, whenMs, ctx.db.getExpire(key))) {
    ctx.reply.integer(0);
    return;
  }
  const when = Number(whenMs);
  if (isAlreadyExpired(ctx, when)) {
    ctx.db.delete(key);
    ctx.propagate(["DEL", key]);
  } else {
    ctx.db.setExpire(key, when);
    ctx.propagate(["PEXPIREAT", key, String(whenMs), ...ctx.args.slice(3)]);
  }
  ctx.reply.integer(1);
}

function expireCommand(ctx: CommandContext): void {
  expireGeneric(ctx, commandTimeMs(ctx), true);
}

function pexpireCommand(ctx: CommandContext): void {
  expireGeneric(ctx, commandTimeMs(ctx), false);
}

function expireatCommand(ctx: CommandContext): void {
  expireGeneric(ctx, 0, true);
}

function pexpireatCommand(ctx: CommandContext): void {
  expireGeneric(ctx, 0, false);
}

/**
 * TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a missing key, -1 without a
 * TTL, else the remaining (or absolute) time; seconds are rounded to nearest.
 */
function ttlGeneric(ctx: CommandContext, outputMs: boolean, outputAbsolute: boolean): void {
  const key = ctx.args[1]!;
  if (lookupNoTouch(ctx, key) === undefined) {
    ctx.reply.integer(-2);
    return;
  }
  const expireAtMs = ctx.db.getExpire(key);
  if (expireAtMs === undefined) {
    ctx.reply.integer(-1);
    return;
  }
  const ms = Math.max(0, outputAbsolute ? expireAtMs : expireAtMs - commandTimeMs(ctx));
  ctx.reply.integer(outputMs ? ms : Math.floor((ms + 500) / 1000));
}

function ttlCommand(ctx: CommandContext): void {
  ttlGeneric(ctx, false, false);
}

function pttlCommand(ctx: CommandContext): void {
  ttlGeneric(ctx, true, false);
}

function expiretimeCommand(ctx: CommandContext): void {
  ttlGeneric(ctx, false, true);
}

function pexpiretimeCommand(ctx: CommandContext): void {
  ttlGeneric(ctx, true, true);
}

function persistCommand(ctx: CommandContext): void {
  const key = ctx.args[1]!;
  const removed = ctx.lookupWrite(key) !== undefined && ctx.db.removeExpire(key);
  ctx.reply.integer(removed ? 1 : 0);
}

// ------------------------------------------------------------------ specs

/* The metadata below is what Redis 7.0.15 reports in COMMAND INFO and COMMAND DOCS. */
export const KEY_COMMANDS: CommandSpec[] = [
  {
    name: "del",
    arity: -2,
    flags: ["write"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["keyspace", "write", "slow"],
    group: "generic",
    since: "1.0.0",
    summary: "Delete a key",
    complexity: "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
    tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
    keySpecs: [
      { flags: ["RM", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
    ],
    handler: delCommand,
  },
  {
    name: "unlink",
    arity: -2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["keyspace", "write", "fast"],
    group: "generic",
    since: "4.0.0",
    summary: "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
    complexity: "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
    tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
    keySpecs: [
      { flags: ["RM", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
    ],
    handler: delCommand,
  },
  {
    name: "exists",
    arity: -2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["keyspace", "read", "fast"],
    group: "generic",
    since: "1.0.0",
    summary: "Determine if a key exists",
    complexity: "O(N) where N is the number of keys to check.",
    history: [
      ["3.0.3", "Accepts multiple `key` arguments."],
    ],
    tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
    keySpecs: [
      { flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
    ],
    handler: existsCommand,
  },
  {
    name: "type",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["keyspace", "read", "fast"],
    group: "generic",
    since: "1.0.0",
    summary: "Determine the type stored at key",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: typeCommand,
  },
  {
    name: "rename",
    arity: 3,
    flags: ["write"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    acl: ["keyspace", "write", "slow"],
    group: "generic",
    since: "1.0.0",
    summary: "Rename a key",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["OW", "update"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "newkey", type: "key", keySpecIndex: 1 },
    ],
    handler: renameCommand,
  },
  {
    name: "renamenx",
    arity: 3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    acl: ["keyspace", "write", "fast"],
    group: "generic",
    since: "1.0.0",
    summary: "Rename a key, only if the new key does not exist",
    complexity: "O(1)",
    history: [
      ["3.2.0", "The command no longer returns an error when source and destination names are the same."],
    ],
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["OW", "insert"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "newkey", type: "key", keySpecIndex: 1 },
    ],
    handler: renamenxCommand,
  },
  {
    name: "keys",
    arity: 2,
    flags: ["readonly"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["keyspace", "read", "slow", "dangerous"],
    group: "generic",
    since: "1.0.0",
    summary: "Find all keys matching the given pattern",
    complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
    tips: ["request_policy:all_shards", "nondeterministic_output_order"],
    arguments: [
      { name: "pattern", type: "pattern" },
    ],
    handler: keysCommand,
  },
  {
    name: "scan",
    arity: -2,
    flags: ["readonly"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["keyspace", "read", "slow"],
    group: "generic",
    since: "2.8.0",
    summary: "Incrementally iterate the keys space",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
    history: [
      ["6.0.0", "Added the `TYPE` subcommand."],
    ],
    tips: ["nondeterministic_output", "request_policy:special"],
    arguments: [
      { name: "cursor", type: "integer" },
      { name: "pattern", type: "pattern", token: "MATCH", flags: ["optional"] },
      { name: "count", type: "integer", token: "COUNT", flags: ["optional"] },
      { name: "type", type: "string", token: "TYPE", since: "6.0.0", flags: ["optional"] },
    ],
    handler: scanCommand,
  },
  {
    name: "randomkey",
    arity: 1,
    flags: ["readonly"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["keyspace", "read", "slow"],
    group: "generic",
    since: "1.0.0",
    summary: "Return a random key from the keyspace",
    complexity: "O(1)",
    tips: ["request_policy:all_shards", "nondeterministic_output"],
    handler: randomkeyCommand,
  },
  {
    name: "expire",
    arity: -3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["keyspace", "write", "fast"],
    group: "generic",
    since: "1.0.0",
    summary: "Set a key's time to live in seconds",
    complexity: "O(1)",
    history: [
      ["7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."],
    ],
    keySpecs: [
      { flags: ["RW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "seconds", type: "integer" },
      { name: "condition", type: "oneof", since: "7.0.0", flags: ["optional"], arguments: [
        { name: "nx", type: "pure-token", token: "NX" },
        { name: "xx", type: "pure-token", token: "XX" },
        { name: "gt", type: "pure-token", token: "GT" },
        { name: "lt", type: "pure-token", token: "LT" },
      ] },
    ],
    handler: expireCommand,
  },
  {
    name: "pexpire",
    arity: -3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["keyspace", "write", "fast"],
    group: "generic",
    since: "2.6.0",
    summary: "Set a key's time to live in milliseconds",
    complexity: "O(1)",
    history: [
      ["7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."],
    ],
    keySpecs: [
      { flags: ["RW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "milliseconds", type: "integer" },
      { name: "condition", type: "oneof", since: "7.0.0", flags: ["optional"], arguments: [
        { name: "nx", type: "pure-token", token: "NX" },
        { name: "xx", type: "pure-token", token: "XX" },
        { name: "gt", type: "pure-token", token: "GT" },
        { name: "lt", type: "pure-token", token: "LT" },
      ] },
    ],
    handler: pexpireCommand,
  },
  {
    name: "expireat",
    arity: -3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["keyspace", "write", "fast"],
    group: "generic",
    since: "1.2.0",
    summary: "Set the expiration for a key as a UNIX timestamp",
    complexity: "O(1)",
    history: [
      ["7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."],
    ],
    keySpecs: [
      { flags: ["RW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "unix-time-seconds", type: "unix-time" },
      { name: "condition", type: "oneof", since: "7.0.0", flags: ["optional"], arguments: [
        { name: "nx", type: "pure-token", token: "NX" },
        { name: "xx", type: "pure-token", token: "XX" },
        { name: "gt", type: "pure-token", token: "GT" },
        { name: "lt", type: "pure-token", token: "LT" },
      ] },
    ],
    handler: expireatCommand,
  },
  {
    name: "pexpireat",
    arity: -3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["keyspace", "write", "fast"],
    group: "generic",
    since: "2.6.0",
    summary: "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
    complexity: "O(1)",
    history: [
      ["7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."],
    ],
    keySpecs: [
      { flags: ["RW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "unix-time-milliseconds", type: "unix-time" },
      { name: "condition", type: "oneof", since: "7.0.0", flags: ["optional"], arguments: [
        { name: "nx", type: "pure-token", token: "NX" },
        { name: "xx", type: "pure-token", token: "XX" },
        { name: "gt", type: "pure-token", token: "GT" },
        { name: "lt", type: "pure-token", token: "LT" },
      ] },
    ],
    handler: pexpireatCommand,
  },
  {
    name: "ttl",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["keyspace", "read", "fast"],
    group: "generic",
    since: "1.0.0",
    summary: "Get the time to live for a key in seconds",
    complexity: "O(1)",
    history: [
      ["2.8.0", "Added the -2 reply."],
    ],
    tips: ["nondeterministic_output"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: ttlCommand,
  },
  {
    name: "pttl",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["keyspace", "read", "fast"],
    group: "generic",
    since: "2.6.0",
    summary: "Get the time to live for a key in milliseconds",
    complexity: "O(1)",
    history: [
      ["2.8.0", "Added the -2 reply."],
    ],
    tips: ["nondeterministic_output"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: pttlCommand,
  },
  {
    name: "expiretime",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["keyspace", "read", "fast"],
    group: "generic",
    since: "7.0.0",
    summary: "Get the expiration Unix timestamp for a key",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: expiretimeCommand,
  },
  {
    name: "pexpiretime",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["keyspace", "read", "fast"],
    group: "generic",
    since: "7.0.0",
    summary: "Get the expiration Unix timestamp for a key in milliseconds",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: pexpiretimeCommand,
  },
  {
    name: "persist",
    arity: 2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["keyspace", "write", "fast"],
    group: "generic",
    since: "2.2.0",
    summary: "Remove the expiration from a key",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: persistCommand,
  },
  {
    name: "copy",
    arity: -3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    acl: ["keyspace", "write", "slow"],
    group: "generic",
    since: "6.2.0",
    summary: "Copy a key",
    complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["OW", "update"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "source", type: "key", keySpecIndex: 0 },
      { name: "destination", type: "key", keySpecIndex: 1 },
      { name: "destination-db", type: "integer", token: "DB", flags: ["optional"] },
      { name: "replace", type: "pure-token", token: "REPLACE", flags: ["optional"] },
    ],
    handler: copyCommand,
  },
  {
    name: "touch",
    arity: -2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["keyspace", "read", "fast"],
    group: "generic",
    since: "3.2.1",
    summary: "Alters the last access time of a key(s). Returns the number of existing keys specified.",
    complexity: "O(N) where N is the number of keys that will be touched.",
    tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
    keySpecs: [
      { flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
    ],
    handler: touchCommand,
  },
  OBJECT_COMMAND,
];
