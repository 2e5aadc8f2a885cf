import { Constants } from "../constants.js";
import { expectAggregate, type CommandContext } from "../engine/context.js";
import { CommandError, Errors } from "../errors.js";
import { SetValue, type SetEncodingLimits } from "../keyspace/types/set.js";
import { globMatch } from "../util/glob.js";
import { INT64_MAX, INT64_MIN, parseInt64, requireInt64 } from "../util/parse.js";
import { EMPTY_SCAN_REPLY, capacityError, distinctIndexes, parseScanOptions, replyLimitReached, requireRoom } from "./hash-set-support.js";
import { requireLongInRange, requireNonNegativeLong, requireScanCursor } from "./sorted-set-args.js";
import type { CommandSpec } from "./spec.js";

/**
 * The set commands, with Redis 7.0's replies, errors and argument order.
 *
 * A set whose last member is removed is deleted with its key. What replicas
 * receive follows Redis 7: SPOP becomes one SREM per popped member, or DEL
 * when it takes the whole set; everything else is propagated as sent.
 * Multi-key results (SINTER, SUNION, SDIFF and their STORE forms) are built
 * detached and stored at once, so a destination that is also a source is safe.
 */

/** SPOP with a count keeps the survivors in a new set once they are few (Redis's SPOP_MOVE_STRATEGY_MUL). */
const SPOP_MOVE_STRATEGY_MUL = 5;

function setLimits(ctx: CommandContext): SetEncodingLimits {
  return { intsetEntriesMax: ctx.engine.config.number("set-max-intset-entries") };
}

function readSet(ctx: CommandContext, key: string): SetValue | undefined {
  return ctx.readAggregate<SetValue>(key, "set");
}

function writeSet(ctx: CommandContext, key: string): SetValue | undefined {
  return ctx.writeAggregate<SetValue>(key, "set");
}

/** Replies the members of a set reply (`~` in RESP3) in the set's order. */
function replySet(ctx: CommandContext, members: Iterable<string>, length: number): void {
  ctx.reply.setHeader(length);
  for (const member of members) ctx.reply.bulk(member);
}

/** Stores a computed result at `destination` (replacing any value and TTL), or deletes it when empty; replies the size. */
function storeResult(ctx: CommandContext, destination: string, result: SetValue): void {
  if (result.length > 0) ctx.db.set(destination, result);
  else ctx.db.delete(destination);
  ctx.reply.integer(result.length);
}

// ------------------------------------------------------------ single-key writes

function saddCommand(ctx: CommandContext): void {
  const { args } = ctx;
  const key = args[1]!;
  const existing = writeSet(ctx, key);
  requireRoom("set", existing?.length ?? 0, args.slice(2), (member) => existing?.has(member) ?? false);
  let set = existing;
  if (set === undefined) {
    set = new SetValue();
    ctx.db.set(key, set);
  }
  const limits = setLimits(ctx);
  let added = 0;
  for (let i = 2; i < args.length; i++) if (set.add(args[i]!, limits)) added++;
  ctx.reply.integer(added);
}

function sremCommand(ctx: CommandContext): void {
  const { args } = ctx;
  const key = args[1]!;
  const set = writeSet(ctx, key);
  let removed = 0;
  if (set !== undefined) {
    for (let i = 2; i < args.length; i++) {
      if (!set.delete(args[i]!)) continue;
      removed++;
      if (set.length === 0) {
        ctx.db.delete(key);
        break;
      }
    }
  }
  ctx.reply.integer(removed);
}

/**
 * SMOVE source destination member. A missing source answers 0 before any
 * type check; a wrong-typed destination fails even when the member is
 * absent; moving within one set only reports membership.
 */
function smoveCommand(ctx: CommandContext): void {
  const [, sourceKey, destinationKey, member] = ctx.args as [string, string, string, string];
  // Both keys are looked up (and lazily expired) before anything is decided.
  const source = ctx.lookupWrite(sourceKey);
  const destinationValue = ctx.lookupWrite(destinationKey);
  if (source === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const sourceSet = expectAggregate<SetValue>(source, "set")!;
  const existing = expectAggregate<SetValue>(destinationValue, "set");
  if (sourceSet === existing) {
    ctx.reply.integer(sourceSet.has(member) ? 1 : 0);
    return;
  }
  if (!sourceSet.has(member)) {
    ctx.reply.integer(0);
    return;
  }
  requireRoom("set", existing?.length ?? 0, [member], (element) => existing?.has(element) ?? false);
  sourceSet.delete(member);
  if (sourceSet.length === 0) ctx.db.delete(sourceKey);
  let destination = existing;
  if (destination === undefined) {
    destination = new SetValue();
    ctx.db.set(destinationKey, destination);
  }
  destination.add(member, setLimits(ctx));
  ctx.reply.integer(1);
}

// ------------------------------------------------------------ SPOP

function spopCommand(ctx: CommandContext): void {
  const { args, reply } = ctx;
  if (args.length === 3) {
    popWithCount(ctx, requireNonNegativeLong(args[2]!));
    return;
  }
  if (args.length > 3) throw new CommandError(Errors.syntax);
  const key = args[1]!;
  const set = writeSet(ctx, key);
  if (set === undefined) {
    reply.nullBulk();
    return;
  }
  const member = set.randomMember(ctx.random);
  set.delete(member);
  if (set.length === 0) ctx.db.delete(key);
  ctx.propagate(["SREM", key, member]);
  reply.bulk(member);
}

/**
 * Redis's spopWithCountCommand. Taking the whole set replies it and deletes
 * the key (replicas get DEL). Otherwise, while the survivors outnumber the
 * popped fifth-fold, members are popped one at a time; beyond that the
 * survivors are chosen instead and moved into a new set (which may be an
 * intset again, as in Redis), and the rest is replied in set order. Either
 * way replicas get one SREM per popped member.
 */
function popWithCount(ctx: CommandContext, count: number): void {
  const { reply } = ctx;
  const key = ctx.args[1]!;
  const set = writeSet(ctx, key);
  if (set === undefined || count === 0) {
    reply.setHeader(0);
    return;
  }
  const size = set.length;
  if (count >= size) {
    replySet(ctx, set.values(), size);
    ctx.db.delete(key);
    ctx.propagate(["DEL", key]);
    return;
  }
  reply.setHeader(count);
  const remaining = size - count;
  let popped: string[];
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    popped = [];
    for (let i = 0; i < count; i++) {
      const member = set.randomMember(ctx.random);
      set.delete(member);
      popped.push(member);
    }
  } else {
    popped = keepRandomSurvivors(ctx, key, set, remaining);
  }
  for (const member of popped) {
    reply.bulk(member);
    ctx.propagate(["SREM", key, member]);
  }
}

/** Moves `remaining` random members of `set` into a new set stored at `key` (TTL kept); returns the others in set order. */
function keepRandomSurvivors(ctx: CommandContext, key: string, set: SetValue, remaining: number): string[] {
  const survivors = new SetValue();
  const limits = setLimits(ctx);
  for (const index of distinctIndexes(ctx.random, set.length, remaining)) survivors.add(set.memberAt(index), limits);
  const popped: string[] = [];
  for (const member of set.values()) if (!survivors.has(member)) popped.push(member);
  ctx.db.set(key, survivors, true);
  return popped;
}

// ------------------------------------------------------------ reads

function smembersCommand(ctx: CommandContext): void {
  const set = readSet(ctx, ctx.args[1]!);
  replySet(ctx, set?.values() ?? [], set?.length ?? 0);
}

function sismemberCommand(ctx: CommandContext): void {
  ctx.reply.integer(readSet(ctx, ctx.args[1]!)?.has(ctx.args[2]!) ? 1 : 0);
}

function smismemberCommand(ctx: CommandContext): void {
  const { args, reply } = ctx;
  const set = readSet(ctx, args[1]!);
  reply.arrayHeader(args.length - 2);
  for (let i = 2; i < args.length; i++) reply.integer(set?.has(args[i]!) ? 1 : 0);
}

function scardCommand(ctx: CommandContext): void {
  ctx.reply.integer(readSet(ctx, ctx.args[1]!)?.length ?? 0);
}

// ------------------------------------------------------------ SRANDMEMBER

/** SRANDMEMBER key [count]. The count is checked before the key is looked up. */
function srandmemberCommand(ctx: CommandContext): void {
  const { args, reply } = ctx;
  if (args.length === 3) {
    const count = requireInt64(args[2]!);
    if (count === INT64_MIN) throw new CommandError(`ERR value is out of range, value must between ${-INT64_MAX} and ${INT64_MAX}`);
    randomMembersWithCount(ctx, count);
    return;
  }
  if (args.length > 3) throw new CommandError(Errors.syntax);
  const set = readSet(ctx, args[1]!);
  if (set === undefined) reply.nullBulk();
  else reply.bulk(set.randomMember(ctx.random));
}

/**
 * Redis's srandmemberWithCountCommand: a negative count samples with
 * repetition; a count at least the size returns the whole set in its order;
 * otherwise distinct members in no particular order. Always a plain array,
 * in RESP3 too.
 */
function randomMembersWithCount(ctx: CommandContext, count: bigint): void {
  const { reply } = ctx;
  const set = readSet(ctx, ctx.args[1]!);
  if (set === undefined || count === 0n) {
    reply.arrayHeader(0);
    return;
  }
  if (count < 0n || count === 1n) {
    const draws = count < 0n ? -count : count;
    reply.raw("*" + draws + "\r\n");
    for (let i = 0n; i < draws; i++) {
      reply.bulk(set.randomMember(ctx.random));
      if (replyLimitReached(ctx)) return;
    }
    return;
  }
  const size = set.length;
  if (count >= BigInt(size)) {
    reply.arrayHeader(size);
    for (const member of set.values()) reply.bulk(member);
    return;
  }
  const indexes = distinctIndexes(ctx.random, size, Number(count));
  reply.arrayHeader(indexes.length);
  for (const index of indexes) reply.bulk(set.memberAt(index));
}

// ------------------------------------------------------------ intersection

/** The sets at `keys` in order (undefined for missing keys); WRONGTYPE at the first key of another type. */
function readSets(ctx: CommandContext, keys: readonly string[]): (SetValue | undefined)[] {
  return keys.map((key) => readSet(ctx, key));
}

/**
 * Members common to all `sets`, walking the smallest in its order (Redis
 * sorts the sets by size and iterates the first). Every set must exist.
 */
function* commonMembers(sets: SetValue[]): Generator<string> {
  const [smallest, ...others] = [...sets].sort((a, b) => a.length - b.length) as [SetValue, ...SetValue[]];
  for (const member of smallest.values()) {
    if (others.every((other) => other === smallest || other.has(member))) yield member;
  }
}

function sinterCommand(ctx: CommandContext): void {
  const sets = readSets(ctx, ctx.args.slice(1));
  const common = sets.includes(undefined) ? [] : [...commonMembers(sets as SetValue[])];
  replySet(ctx, common, common.length);
}

function sinterstoreCommand(ctx: CommandContext): void {
  const sets = readSets(ctx, ctx.args.slice(2));
  const result = new SetValue();
  if (!sets.includes(undefined)) {
    const limits = setLimits(ctx);
    for (const member of commonMembers(sets as SetValue[])) result.add(member, limits);
  }
  storeResult(ctx, ctx.args[1]!, result);
}

/**
 * SINTERCARD numkeys key [key ...] [LIMIT limit]: numkeys must be 1 or more
 * and at most the arguments left; options come after the keys.
 */
function sintercardCommand(ctx: CommandContext): void {
  const { args } = ctx;
  const numkeys = requireLongInRange(args[1]!, 1, Number.POSITIVE_INFINITY, "ERR numkeys should be greater than 0");
  if (numkeys > args.length - 2) throw new CommandError("ERR Number of keys can't be greater than number of args");
  let limit = 0;
  for (let i = 2 + numkeys; i < args.length; i++) {
    if (args[i]!.toLowerCase() === "limit" && i + 1 < args.length) {
      limit = requireNonNegativeLong(args[++i]!, "ERR LIMIT can't be negative");
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  const sets = readSets(ctx, args.slice(2, 2 + numkeys));
  let cardinality = 0;
  if (!sets.includes(undefined)) {
    for (const _member of commonMembers(sets as SetValue[])) {
      cardinality++;
      if (cardinality === limit) break;
    }
  }
  ctx.reply.integer(cardinality);
}

/** SINTERCARD's keys: `numkeys` at index 1, the keys after it; malformed input has none (the command reports it). */
function sintercardKeys(args: readonly string[]): number[] {
  const numkeys = parseInt64(args[1] ?? "");
  if (numkeys === undefined || numkeys < 1n || numkeys > BigInt(args.length - 2)) return [];
  return Array.from({ length: Number(numkeys) }, (_, i) => 2 + i);
}

// ------------------------------------------------------------ union and difference

/**
 * A new detached set of every member of `sets` (missing keys are empty).
 * It is the one result that can outgrow its sources, so it is the one
 * checked against the capacity of a set.
 */
function union(ctx: CommandContext, sets: (SetValue | undefined)[]): SetValue {
  const result = new SetValue();
  const limits = setLimits(ctx);
  for (const set of sets) {
    if (set === undefined) continue;
    for (const member of set.values()) {
      if (result.length >= Constants.indexedMapEntriesMax && !result.has(member)) throw new CommandError(capacityError("set"));
      result.add(member, limits);
    }
  }
  return result;
}

/**
 * A new detached set of the members of the first set found in none of the
 * others, built with the algorithm Redis would choose, since that decides
 * the result's encoding: walking the first set and testing the others
 * (cheaper when the first set is small), or copying the first set and
 * removing every member of the others (which can leave a hashtable behind).
 */
function difference(ctx: CommandContext, sets: (SetValue | undefined)[]): SetValue {
  const result = new SetValue();
  const first = sets[0];
  if (first === undefined) return result;
  const limits = setLimits(ctx);
  let walkWork = 0;
  let removeWork = 0;
  for (const set of sets) {
    if (set === undefined) continue;
    walkWork += first.length;
    removeWork += set.length;
  }
  const others = sets.slice(1).filter((set): set is SetValue => set !== undefined);
  if (Math.floor(walkWork / 2) <= removeWork) {
    others.sort((a, b) => b.length - a.length);
    for (const member of first.values()) {
      if (!others.some((other) => other === first || other.has(member))) result.add(member, limits);
    }
    return result;
  }
  for (const member of first.values()) result.add(member, limits);
  for (const other of others) {
    for (const member of other.values()) result.delete(member);
    if (result.length === 0) break;
  }
  return result;
}

function sunionCommand(ctx: CommandContext): void {
  const result = union(ctx, readSets(ctx, ctx.args.slice(1)));
  replySet(ctx, result.values(), result.length);
}

function sunionstoreCommand(ctx: CommandContext): void {
  storeResult(ctx, ctx.args[1]!, union(ctx, readSets(ctx, ctx.args.slice(2))));
}

function sdiffCommand(ctx: CommandContext): void {
  const result = difference(ctx, readSets(ctx, ctx.args.slice(1)));
  replySet(ctx, result.values(), result.length);
}

function sdiffstoreCommand(ctx: CommandContext): void {
  storeResult(ctx, ctx.args[1]!, difference(ctx, readSets(ctx, ctx.args.slice(2))));
}

// ------------------------------------------------------------ SSCAN

/**
 * SSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is checked
 * first, then the key; the options only when the key exists, as in Redis.
 */
function sscanCommand(ctx: CommandContext): void {
  const { args, reply } = ctx;
  const cursor = requireScanCursor(args[2]!);
  const set = readSet(ctx, args[1]!);
  if (set === undefined) {
    reply.raw(EMPTY_SCAN_REPLY);
    return;
  }
  const { count, pattern } = parseScanOptions(args, 3, Constants.scanCountDefault);
  const found: string[] = [];
  const next = set.scan(cursor, count, (member) => {
    if (pattern === undefined || globMatch(pattern, member)) found.push(member);
  });
  reply.arrayHeader(2);
  reply.bulk(String(next));
  reply.bulkArray(found);
}

// ------------------------------------------------------------ the table

export const SET_COMMANDS: CommandSpec[] = [
  {
    name: "sadd",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "set", "fast"],
    group: "set",
    since: "1.0.0",
    summary: "Add one or more members to a set",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    history: [["2.4.0", "Accepts multiple `member` arguments."]],
    keySpecs: [
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", flags: ["multiple"] },
    ],
    handler: saddCommand,
  },
  {
    name: "srem",
    arity: -3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "set", "fast"],
    group: "set",
    since: "1.0.0",
    summary: "Remove one or more members from a set",
    complexity: "O(N) where N is the number of members to be removed.",
    history: [["2.4.0", "Accepts multiple `member` arguments."]],
    keySpecs: [
      { flags: ["RW", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", flags: ["multiple"] },
    ],
    handler: sremCommand,
  },
  {
    name: "smembers",
    arity: 2,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "set", "slow"],
    group: "set",
    since: "1.0.0",
    summary: "Get all the members in a set",
    complexity: "O(N) where N is the set cardinality.",
    tips: ["nondeterministic_output_order"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: smembersCommand,
  },
  {
    name: "sismember",
    arity: 3,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "set", "fast"],
    group: "set",
    since: "1.0.0",
    summary: "Determine if a given value is a member of a set",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string" },
    ],
    handler: sismemberCommand,
  },
  {
    name: "smismember",
    arity: -3,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "set", "fast"],
    group: "set",
    since: "6.2.0",
    summary: "Returns the membership associated with the given elements for a set",
    complexity: "O(N) where N is the number of elements being checked for membership",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", flags: ["multiple"] },
    ],
    handler: smismemberCommand,
  },
  {
    name: "scard",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "set", "fast"],
    group: "set",
    since: "1.0.0",
    summary: "Get the number of members in a set",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: scardCommand,
  },
  {
    name: "spop",
    arity: -2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "set", "fast"],
    group: "set",
    since: "1.0.0",
    summary: "Remove and return one or multiple random members from a set",
    complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
    history: [["3.2.0", "Added the `count` argument."]],
    tips: ["nondeterministic_output"],
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer", since: "3.2.0", flags: ["optional"] },
    ],
    handler: spopCommand,
  },
  {
    name: "srandmember",
    arity: -2,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "set", "slow"],
    group: "set",
    since: "1.0.0",
    summary: "Get one or multiple random members from a set",
    complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
    history: [["2.6.0", "Added the optional `count` argument."]],
    tips: ["nondeterministic_output"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer", since: "2.6.0", flags: ["optional"] },
    ],
    handler: srandmemberCommand,
  },
  {
    name: "smove",
    arity: 4,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    acl: ["write", "set", "fast"],
    group: "set",
    since: "1.0.0",
    summary: "Move a member from one set to another",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "source", type: "key", keySpecIndex: 0 },
      { name: "destination", type: "key", keySpecIndex: 1 },
      { name: "member", type: "string" },
    ],
    handler: smoveCommand,
  },
  {
    name: "sinter",
    arity: -2,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["read", "set", "slow"],
    group: "set",
    since: "1.0.0",
    summary: "Intersect multiple sets",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
    tips: ["nondeterministic_output_order"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
    ],
    handler: sinterCommand,
  },
  {
    name: "sintercard",
    arity: -3,
    flags: ["readonly", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    keys: sintercardKeys,
    acl: ["read", "set", "slow"],
    group: "set",
    since: "7.0.0",
    summary: "Intersect multiple sets and return the cardinality of the result",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "limit", type: "integer", token: "LIMIT", flags: ["optional"] },
    ],
    handler: sintercardCommand,
  },
  {
    name: "sunion",
    arity: -2,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["read", "set", "slow"],
    group: "set",
    since: "1.0.0",
    summary: "Add multiple sets",
    complexity: "O(N) where N is the total number of elements in all given sets.",
    tips: ["nondeterministic_output_order"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
    ],
    handler: sunionCommand,
  },
  {
    name: "sdiff",
    arity: -2,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["read", "set", "slow"],
    group: "set",
    since: "1.0.0",
    summary: "Subtract multiple sets",
    complexity: "O(N) where N is the total number of elements in all given sets.",
    tips: ["nondeterministic_output_order"],
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
    ],
    handler: sdiffCommand,
  },
  {
    name: "sinterstore",
    arity: -3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["write", "set", "slow"],
    group: "set",
    since: "1.0.0",
    summary: "Intersect multiple sets and store the resulting set in a key",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
    keySpecs: [
      { flags: ["RW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "key", type: "key", keySpecIndex: 1, flags: ["multiple"] },
    ],
    handler: sinterstoreCommand,
  },
  {
    name: "sunionstore",
    arity: -3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["write", "set", "slow"],
    group: "set",
    since: "1.0.0",
    summary: "Add multiple sets and store the resulting set in a key",
    complexity: "O(N) where N is the total number of elements in all given sets.",
    keySpecs: [
      { flags: ["OW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "key", type: "key", keySpecIndex: 1, flags: ["multiple"] },
    ],
    handler: sunionstoreCommand,
  },
  {
    name: "sdiffstore",
    arity: -3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["write", "set", "slow"],
    group: "set",
    since: "1.0.0",
    summary: "Subtract multiple sets and store the resulting set in a key",
    complexity: "O(N) where N is the total number of elements in all given sets.",
    keySpecs: [
      { flags: ["OW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "key", type: "key", keySpecIndex: 1, flags: ["multiple"] },
    ],
    handler: sdiffstoreCommand,
  },
  {
    name: "sscan",
    arity: -3,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "set", "slow"],
    group: "set",
    since: "2.8.0",
    summary: "Incrementally iterate Set elements",
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
    handler: sscanCommand,
  },
];
