import type { CommandContext } from "../engine/context.js";
import { CommandError, Errors } from "../errors.js";
import { LIST_LENGTH_MAX, ListValue, type ListEnd } from "../keyspace/types/list.js";
import { INT64_MIN, parseInt64 } from "../util/parse.js";
import { parseBlockingTimeoutMs } from "../util/timeout.js";
import type { CommandSpec } from "./spec.js";

/**
 * List commands, with Redis 7.0's replies, errors and argument order
 * (several commands parse arguments before looking the key up, others
 * after: each handler keeps Redis's order, because it decides which error a
 * client sees). An emptied list is deleted at once, so a list key that
 * exists always holds at least one element.
 *
 * Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) serve at once
 * when they can, and otherwise call ctx.block(). The engine re-runs the
 * handler, with ctx.retryingBlocked, whenever one of the keys changes; like
 * Redis 7.0, a retry skips keys that now hold another type (the client stays
 * blocked) rather than failing. Served blocking commands propagate as their
 * non-blocking forms, exactly as Redis 7.0 rewrites them for replicas.
 */

// ------------------------------------------------------------------ parsing

/** The largest magnitude kept from a 64-bit argument: list indexes and counts never come near it. */
const CLAMP = Number.MAX_SAFE_INTEGER;

/**
 * A signed 64-bit argument as Redis's getLongFromObjectOrReply reads it,
 * clamped to ±2^53 so arithmetic with list lengths (below 2^31) stays exact.
 */
function requireLong(text: string): number {
  const value = parseInt64(text);
  if (value === undefined) throw new CommandError(Errors.notInteger);
  return clampLong(value);
}

function clampLong(value: bigint): number {
  return value > BigInt(CLAMP) ? CLAMP : value < -BigInt(CLAMP) ? -CLAMP : Number(value);
}

/** A count Redis reads with getRangeLongFromObjectOrReply(min..LONG_MAX, msg): `error` for both a non-integer and a value below `min`. */
function requireCount(text: string, min: number, error: string): number {
  const value = parseInt64(text);
  if (value === undefined || value < BigInt(min)) throw new CommandError(error);
  return clampLong(value);
}

/** LEFT or RIGHT in any case, else a syntax error (Redis's getListPositionFromObjectOrReply). */
function requireEnd(text: string): ListEnd {
  const lower = text.toLowerCase();
  if (lower === "left") return "head";
  if (lower === "right") return "tail";
  throw new CommandError(Errors.syntax);
}

/** Refuses a push that would take a list past LIST_LENGTH_MAX, saying what to do instead. */
function requireRoom(list: ListValue | undefined, extra: number): void {
  const length = list?.length ?? 0;
  if (length + extra > LIST_LENGTH_MAX) {
    throw new CommandError(`ERR list would exceed ${LIST_LENGTH_MAX} elements; trim it (LTRIM) or spread the elements over several keys`);
  }
}

/** Converts negative indexes as Redis does: -1 is the last element. */
function fromEnd(index: number, length: number): number {
  return index < 0 ? length + index : index;
}

// ------------------------------------------------------------------ shared mutations

/** The list at `key` for a write command; WRONGTYPE for another type. */
function writeList(ctx: CommandContext, key: string): ListValue | undefined {
  return ctx.writeAggregate<ListValue>(key, "list");
}

/**
 * Pushes onto `list`, the list at `key`, or creates the key when `list` is
 * undefined; a new list is filled before it is stored, so the ledger counts
 * its bytes once. Returns the list's new length.
 */
function pushElements(ctx: CommandContext, key: string, list: ListValue | undefined, elements: readonly string[], end: ListEnd): number {
  requireRoom(list, elements.length);
  if (list !== undefined) {
    list.push(elements, end);
    return list.length;
  }
  const created = new ListValue();
  created.push(elements, end);
  ctx.db.set(key, created);
  return created.length;
}

/** Pops up to `count` elements from `end` and deletes the key when that empties it. */
function popElements(ctx: CommandContext, key: string, list: ListValue, count: number, end: ListEnd): string[] {
  const popped = list.pop(count, end);
  if (list.length === 0) ctx.db.delete(key);
  return popped;
}

/**
 * LMOVE's core, shared by RPOPLPUSH, BLMOVE and BRPOPLPUSH. The source is a
 * non-empty list. Checks the destination's type before taking anything, so
 * a WRONGTYPE destination leaves the source intact (as Redis does), then
 * pops, pushes and deletes an emptied source; source and destination may be
 * the same key (a rotation).
 */
function moveElement(ctx: CommandContext, source: string, sourceList: ListValue, destination: string, from: ListEnd, to: ListEnd): string {
  const destinationList = writeList(ctx, destination);
  if (destinationList !== sourceList) requireRoom(destinationList, 1);
  const [element] = sourceList.pop(1, from);
  pushElements(ctx, destination, destinationList, [element!], to);
  if (sourceList.length === 0) ctx.db.delete(source);
  return element!;
}

// ------------------------------------------------------------------ push, pop, length

function pushCommand(ctx: CommandContext, end: ListEnd, onlyIfExists: boolean): void {
  const key = ctx.args[1]!;
  const list = writeList(ctx, key);
  if (list === undefined && onlyIfExists) {
    ctx.reply.integer(0);
    return;
  }
  ctx.reply.integer(pushElements(ctx, key, list, ctx.args.slice(2), end));
}

const lpushCommand = (ctx: CommandContext) => pushCommand(ctx, "head", false);
const rpushCommand = (ctx: CommandContext) => pushCommand(ctx, "tail", false);
const lpushxCommand = (ctx: CommandContext) => pushCommand(ctx, "head", true);
const rpushxCommand = (ctx: CommandContext) => pushCommand(ctx, "tail", true);

/**
 * LPOP/RPOP key [count]. Without a count: one bulk, or a null bulk for a
 * missing key. With one: an array, a null array for a missing key, and an
 * empty array for count 0 on an existing list (which must still be a list).
 */
function popCommand(ctx: CommandContext, end: ListEnd): void {
  const { args, reply } = ctx;
  if (args.length > 3) throw new CommandError(Errors.wrongArity(ctx.spec.name));
  const hasCount = args.length === 3;
  const count = hasCount ? requireCount(args[2]!, 0, Errors.notPositive) : 1;
  const list = writeList(ctx, args[1]!);
  if (list === undefined) {
    if (hasCount) reply.nullArray();
    else reply.nullBulk();
    return;
  }
  if (count === 0) {
    reply.arrayHeader(0);
    return;
  }
  const popped = popElements(ctx, args[1]!, list, count, end);
  if (hasCount) reply.bulkArray(popped);
  else reply.bulk(popped[0]!);
}

const lpopCommand = (ctx: CommandContext) => popCommand(ctx, "head");
const rpopCommand = (ctx: CommandContext) => popCommand(ctx, "tail");

function llenCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.readAggregate<ListValue>(ctx.args[1]!, "list")?.length ?? 0);
}

// ------------------------------------------------------------------ indexes and ranges

function lindexCommand(ctx: CommandContext): void {
  const list = ctx.readAggregate<ListValue>(ctx.args[1]!, "list");
  if (list === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  const index = fromEnd(requireLong(ctx.args[2]!), list.length);
  if (index < 0 || index >= list.length) ctx.reply.nullBulk();
  else ctx.reply.bulk(list.at(index));
}

function lsetCommand(ctx: CommandContext): void {
  const list = writeList(ctx, ctx.args[1]!);
  if (list === undefined) throw new CommandError(Errors.noSuchKey);
  const index = fromEnd(requireLong(ctx.args[2]!), list.length);
  if (index < 0 || index >= list.length) throw new CommandError(Errors.indexOutOfRange);
  list.set(index, ctx.args[3]!);
  ctx.reply.ok();
}

/** The inclusive index range [start, stop] LRANGE and LTRIM select, or undefined when it is empty. */
function selectRange(startArg: number, stopArg: number, length: number): [number, number] | undefined {
  const start = Math.max(0, fromEnd(startArg, length));
  const stop = fromEnd(stopArg, length);
  if (start > stop || start >= length) return undefined;
  return [start, Math.min(stop, length - 1)];
}

/**
 * LRANGE is on the benchmark path (LRANGE_100, LRANGE_600): the reply is
 * built in one local string with one concatenation per element and handed
 * to the writer once.
 */
function lrangeCommand(ctx: CommandContext): void {
  const startArg = requireLong(ctx.args[2]!);
  const stopArg = requireLong(ctx.args[3]!);
  const list = ctx.readAggregate<ListValue>(ctx.args[1]!, "list");
  const range = list === undefined ? undefined : selectRange(startArg, stopArg, list.length);
  if (range === undefined) {
    ctx.reply.arrayHeader(0);
    return;
  }
  const [start, stop] = range;
  let out = "*" + (stop - start + 1) + "\r\n";
  for (let i = start; i <= stop; i++) {
    const element = list!.at(i);
    out += "$" + element.length + "\r\n" + element + "\r\n";
  }
  ctx.reply.raw(out);
}

/**
 * LTRIM. Like Redis, trimming nothing changes nothing (no propagation), yet
 * the key still counts as modified for WATCH: Redis signals it regardless.
 */
function ltrimCommand(ctx: CommandContext): void {
  const key = ctx.args[1]!;
  const startArg = requireLong(ctx.args[2]!);
  const stopArg = requireLong(ctx.args[3]!);
  const list = writeList(ctx, key);
  if (list !== undefined) {
    const range = selectRange(startArg, stopArg, list.length);
    if (range === undefined) ctx.db.delete(key);
    else if (list.trim(range[0], range[1]) === 0) ctx.engine.keyChanged(ctx.client.dbId, key);
  }
  ctx.reply.ok();
}

/** LREM key count element: count > 0 removes from the head, < 0 from the tail, 0 all. */
function lremCommand(ctx: CommandContext): void {
  const key = ctx.args[1]!;
  const count = requireLong(ctx.args[2]!);
  const list = writeList(ctx, key);
  if (list === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const removed = list.remove(ctx.args[3]!, Math.abs(count), count < 0 ? "tail" : "head");
  if (list.length === 0) ctx.db.delete(key);
  ctx.reply.integer(removed);
}

/** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
function linsertCommand(ctx: CommandContext): void {
  const where = ctx.args[2]!.toLowerCase();
  if (where !== "before" && where !== "after") throw new CommandError(Errors.syntax);
  const list = writeList(ctx, ctx.args[1]!);
  if (list === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const pivot = list.indexOf(ctx.args[3]!);
  if (pivot < 0) {
    ctx.reply.integer(-1);
    return;
  }
  requireRoom(list, 1);
  list.insert(where === "before" ? pivot : pivot + 1, ctx.args[4]!);
  ctx.reply.integer(list.length);
}

// ------------------------------------------------------------------ LPOS

const RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";

interface LposOptions {
  /** Which match to start from, counted from the scan's start (1 = first). */
  rank: number;
  fromTail: boolean;
  /** Undefined without COUNT; 0 means every match. */
  count: number | undefined;
  /** Elements compared at most; 0 means the whole list. */
  maxlen: number;
}

/**
 * LPOS options, in Redis's order and words. A rank of INT64_MIN is a quirk
 * kept on purpose: Redis negates it (overflowing back to itself), so it
 * scans from the tail, takes the first match and ignores COUNT's limit.
 */
function parseLposOptions(args: readonly string[]): LposOptions {
  const options: LposOptions = { rank: 1, fromTail: false, count: undefined, maxlen: 0 };
  let rankIsMin = false;
  for (let i = 3; i < args.length; i++) {
    const option = args[i]!.toLowerCase();
    const hasValue = i + 1 < args.length;
    if (option === "rank" && hasValue) {
      const rank = parseInt64(args[++i]!);
      if (rank === undefined) throw new CommandError(Errors.notInteger);
      if (rank === 0n) throw new CommandError(RANK_ZERO);
      rankIsMin = rank === INT64_MIN;
      options.fromTail = rank < 0n;
      options.rank = Math.abs(clampLong(rank));
    } else if (option === "count" && hasValue) {
      options.count = requireCount(args[++i]!, 0, "ERR COUNT can't be negative");
    } else if (option === "maxlen" && hasValue) {
      options.maxlen = requireCount(args[++i]!, 0, "ERR MAXLEN can't be negative");
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  if (rankIsMin) {
    options.rank = 1;
    if (options.count !== undefined) options.count = 0;
  }
  return options;
}

/** The indexes of the matches LPOS reports, scanning from the chosen end within MAXLEN. */
function lposMatches(list: ListValue, element: string, options: LposOptions): number[] {
  const length = list.length;
  const scanned = options.maxlen === 0 ? length : Math.min(options.maxlen, length);
  const wanted = options.count === undefined ? 1 : options.count;
  const matches: number[] = [];
  let seen = 0;
  for (let step = 0; step < scanned; step++) {
    const index = options.fromTail ? length - 1 - step : step;
    if (list.at(index) !== element) continue;
    seen++;
    if (seen < options.rank) continue;
    matches.push(index);
    if (wanted !== 0 && matches.length >= wanted) break;
  }
  return matches;
}

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
function lposCommand(ctx: CommandContext): void {
  const { args, reply } = ctx;
  const options = parseLposOptions(args);
  const list = ctx.readAggregate<ListValue>(args[1]!, "list");
  const matches = list === undefined ? [] : lposMatches(list, args[2]!, options);
  if (options.count !== undefined) {
    let out = "*" + matches.length + "\r\n";
    for (const index of matches) out += ":" + index + "\r\n";
    reply.raw(out);
  } else if (matches.length === 0) {
    reply.nullBulk();
  } else {
    reply.integer(matches[0]!);
  }
}

// ------------------------------------------------------------------ moves

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT, also RPOPLPUSH (RIGHT, LEFT). */
function moveCommand(ctx: CommandContext, from: ListEnd, to: ListEnd): void {
  const source = ctx.args[1]!;
  const sourceList = writeList(ctx, source);
  if (sourceList === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  ctx.reply.bulk(moveElement(ctx, source, sourceList, ctx.args[2]!, from, to));
}

function lmoveCommand(ctx: CommandContext): void {
  moveCommand(ctx, requireEnd(ctx.args[3]!), requireEnd(ctx.args[4]!));
}

function rpoplpushCommand(ctx: CommandContext): void {
  moveCommand(ctx, "tail", "head");
}

/**
 * BLMOVE and BRPOPLPUSH; `propagated` is what replicas apply when the move
 * happens. A blocked client whose destination turned out to hold another
 * type gets WRONGTYPE and is released, as in Redis 7.0.
 */
function blockingMove(ctx: CommandContext, from: ListEnd, to: ListEnd, timeoutArg: string, propagated: string[]): void {
  const timeoutMs = parseBlockingTimeoutMs(timeoutArg);
  const source = ctx.args[1]!;
  const sourceList = listToServe(ctx, source);
  if (sourceList !== undefined) {
    ctx.reply.bulk(moveElement(ctx, source, sourceList, ctx.args[2]!, from, to));
    ctx.propagate(propagated);
  } else if (ctx.client.executingMulti) {
    // Redis answers a blocking move that cannot wait with a null bulk, unlike the pops' null array.
    ctx.reply.nullBulk();
  } else {
    ctx.block([source], timeoutMs);
  }
}

/**
 * The list a blocking command may take from: undefined when the key is
 * missing. Another type is WRONGTYPE on the first run; when retrying after
 * the key changed, Redis 7.0 only serves keys that hold lists, so the
 * client keeps waiting instead.
 */
function listToServe(ctx: CommandContext, key: string): ListValue | undefined {
  if (!ctx.retryingBlocked) return writeList(ctx, key);
  const value = ctx.lookupWrite(key);
  return value !== undefined && typeof value !== "string" && value.type === "list" ? (value as ListValue) : undefined;
}

/**
 * BLMOVE propagates as LMOVE: with the client's own LEFT/RIGHT words when
 * it moves at once, with Redis's lowercase "left"/"right" when it moves
 * after blocking, exactly what a Redis 7.0 primary sends its replicas.
 */
function blmoveCommand(ctx: CommandContext): void {
  const [, source, destination, fromWord, toWord, timeout] = ctx.args as [string, string, string, string, string, string];
  const from = requireEnd(fromWord);
  const to = requireEnd(toWord);
  const words = ctx.retryingBlocked ? [endWord(from), endWord(to)] : [fromWord, toWord];
  blockingMove(ctx, from, to, timeout, ["LMOVE", source, destination, ...words]);
}

function endWord(end: ListEnd): string {
  return end === "head" ? "left" : "right";
}

/** BRPOPLPUSH propagates as RPOPLPUSH, whether it moves at once or after blocking. */
function brpoplpushCommand(ctx: CommandContext): void {
  const [, source, destination, timeout] = ctx.args as [string, string, string, string];
  blockingMove(ctx, "tail", "head", timeout, ["RPOPLPUSH", source, destination]);
}

// ------------------------------------------------------------------ blocking pops and LMPOP

/**
 * The keys of one LMPOP/BLMPOP (numkeys at `numkeysIndex`), for the command
 * table. Malformed arguments give no keys: the handler reports the error.
 */
function multiPopKeys(args: readonly string[], numkeysIndex: number): number[] {
  const numkeys = parseInt64(args[numkeysIndex] ?? "");
  if (numkeys === undefined || numkeys < 1n || numkeys > BigInt(args.length - numkeysIndex - 1)) return [];
  const positions: number[] = [];
  for (let i = 0; i < Number(numkeys); i++) positions.push(numkeysIndex + 1 + i);
  return positions;
}

interface MultiPopRequest {
  keys: string[];
  end: ListEnd;
  count: number;
}

/** LMPOP/BLMPOP's numkeys key... LEFT|RIGHT [COUNT count], with Redis's words for each mistake. */
function parseMultiPop(args: readonly string[], numkeysIndex: number): MultiPopRequest {
  const numkeys = requireCount(args[numkeysIndex]!, 1, "ERR numkeys should be greater than 0");
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= args.length) throw new CommandError(Errors.syntax);
  const end = requireEnd(args[whereIndex]!);
  let count: number | undefined;
  for (let i = whereIndex + 1; i < args.length; i++) {
    if (count === undefined && args[i]!.toLowerCase() === "count" && i + 1 < args.length) {
      count = requireCount(args[++i]!, 1, "ERR count should be greater than 0");
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  return { keys: args.slice(numkeysIndex + 1, whereIndex), end, count: count ?? 1 };
}

/**
 * Pops from the first key holding a list: up to `count` elements for the
 * LMPOP forms (reply [key, [elements]], propagated as LPOP/RPOP key n), one
 * for BLPOP/BRPOP (reply [key, element], propagated as LPOP/RPOP key).
 * Returns false when every key is missing (or, on a blocked retry, not a list).
 */
function popFromFirstList(ctx: CommandContext, keys: readonly string[], end: ListEnd, count: number | undefined): boolean {
  for (const key of keys) {
    const list = listToServe(ctx, key);
    if (list === undefined) continue;
    const popped = popElements(ctx, key, list, count ?? 1, end);
    const popName = end === "head" ? "LPOP" : "RPOP";
    let out = "*2\r\n$" + key.length + "\r\n" + key + "\r\n";
    if (count === undefined) {
      out += "$" + popped[0]!.length + "\r\n" + popped[0]! + "\r\n";
      ctx.propagate([popName, key]);
    } else {
      out += "*" + popped.length + "\r\n";
      for (const element of popped) out += "$" + element.length + "\r\n" + element + "\r\n";
      ctx.propagate([popName, key, String(popped.length)]);
    }
    ctx.reply.raw(out);
    return true;
  }
  return false;
}

/** BLPOP/BRPOP key... timeout: the timeout is checked before any key, as in Redis. */
function blockingPopCommand(ctx: CommandContext, end: ListEnd): void {
  const timeoutMs = parseBlockingTimeoutMs(ctx.args[ctx.args.length - 1]!);
  const keys = ctx.args.slice(1, -1);
  if (!popFromFirstList(ctx, keys, end, undefined)) ctx.block(keys, timeoutMs);
}

const blpopCommand = (ctx: CommandContext) => blockingPopCommand(ctx, "head");
const brpopCommand = (ctx: CommandContext) => blockingPopCommand(ctx, "tail");

function lmpopCommand(ctx: CommandContext): void {
  const request = parseMultiPop(ctx.args, 1);
  if (!popFromFirstList(ctx, request.keys, request.end, request.count)) ctx.reply.nullArray();
}

function blmpopCommand(ctx: CommandContext): void {
  const request = parseMultiPop(ctx.args, 2);
  const timeoutMs = parseBlockingTimeoutMs(ctx.args[1]!);
  if (!popFromFirstList(ctx, request.keys, request.end, request.count)) ctx.block(request.keys, timeoutMs);
}

// ------------------------------------------------------------------ the table

/** Metadata below is what Redis 7.0.15 reports in COMMAND INFO and COMMAND DOCS. */
export const LIST_COMMANDS: CommandSpec[] = [
  {
    name: "lpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "list", "fast"],
    group: "list",
    since: "1.0.0",
    summary: "Prepend one or multiple elements to a list",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    history: [["2.4.0", "Accepts multiple `element` arguments."]],
    keySpecs: [
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "element", type: "string", flags: ["multiple"] },
    ],
    handler: lpushCommand,
  },
  {
    name: "rpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "list", "fast"],
    group: "list",
    since: "1.0.0",
    summary: "Append one or multiple elements to a list",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    history: [["2.4.0", "Accepts multiple `element` arguments."]],
    keySpecs: [
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "element", type: "string", flags: ["multiple"] },
    ],
    handler: rpushCommand,
  },
  {
    name: "lpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "list", "fast"],
    group: "list",
    since: "2.2.0",
    summary: "Prepend an element to a list, only if the list exists",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    history: [["4.0.0", "Accepts multiple `element` arguments."]],
    keySpecs: [
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "element", type: "string", flags: ["multiple"] },
    ],
    handler: lpushxCommand,
  },
  {
    name: "rpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "list", "fast"],
    group: "list",
    since: "2.2.0",
    summary: "Append an element to a list, only if the list exists",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    history: [["4.0.0", "Accepts multiple `element` arguments."]],
    keySpecs: [
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "element", type: "string", flags: ["multiple"] },
    ],
    handler: rpushxCommand,
  },
  {
    name: "lpop",
    arity: -2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "list", "fast"],
    group: "list",
    since: "1.0.0",
    summary: "Remove and get the first elements in a list",
    complexity: "O(N) where N is the number of elements returned",
    history: [["6.2.0", "Added the `count` argument."]],
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer", since: "6.2.0", flags: ["optional"] },
    ],
    handler: lpopCommand,
  },
  {
    name: "rpop",
    arity: -2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "list", "fast"],
    group: "list",
    since: "1.0.0",
    summary: "Remove and get the last elements in a list",
    complexity: "O(N) where N is the number of elements returned",
    history: [["6.2.0", "Added the `count` argument."]],
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer", since: "6.2.0", flags: ["optional"] },
    ],
    handler: rpopCommand,
  },
  {
    name: "llen",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "list", "fast"],
    group: "list",
    since: "1.0.0",
    summary: "Get the length of a list",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: llenCommand,
  },
  {
    name: "lrange",
    arity: 4,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "list", "slow"],
    group: "list",
    since: "1.0.0",
    summary: "Get a range of elements from a list",
    complexity: "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
    ],
    handler: lrangeCommand,
  },
  {
    name: "lindex",
    arity: 3,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "list", "slow"],
    group: "list",
    since: "1.0.0",
    summary: "Get an element from a list by its index",
    complexity: "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "index", type: "integer" },
    ],
    handler: lindexCommand,
  },
  {
    name: "lset",
    arity: 4,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "list", "slow"],
    group: "list",
    since: "1.0.0",
    summary: "Set the value of an element in a list by its index",
    complexity: "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
    keySpecs: [
      { flags: ["RW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "index", type: "integer" },
      { name: "element", type: "string" },
    ],
    handler: lsetCommand,
  },
  {
    name: "lrem",
    arity: 4,
    flags: ["write"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "list", "slow"],
    group: "list",
    since: "1.0.0",
    summary: "Remove elements from a list",
    complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
    keySpecs: [
      { flags: ["RW", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer" },
      { name: "element", type: "string" },
    ],
    handler: lremCommand,
  },
  {
    name: "ltrim",
    arity: 4,
    flags: ["write"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "list", "slow"],
    group: "list",
    since: "1.0.0",
    summary: "Trim a list to the specified range",
    complexity: "O(N) where N is the number of elements to be removed by the operation.",
    keySpecs: [
      { flags: ["RW", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
    ],
    handler: ltrimCommand,
  },
  {
    name: "linsert",
    arity: 5,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "list", "slow"],
    group: "list",
    since: "2.2.0",
    summary: "Insert an element before or after another element in a list",
    complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
    keySpecs: [
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "where", type: "oneof", arguments: [{ name: "before", type: "pure-token", token: "BEFORE" }, { name: "after", type: "pure-token", token: "AFTER" }] },
      { name: "pivot", type: "string" },
      { name: "element", type: "string" },
    ],
    handler: linsertCommand,
  },
  {
    name: "lpos",
    arity: -3,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "list", "slow"],
    group: "list",
    since: "6.0.6",
    summary: "Return the index of matching elements on a list",
    complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
    keySpecs: [
      { flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "element", type: "string" },
      { name: "rank", type: "integer", token: "RANK", flags: ["optional"] },
      { name: "num-matches", type: "integer", token: "COUNT", flags: ["optional"] },
      { name: "len", type: "integer", token: "MAXLEN", flags: ["optional"] },
    ],
    handler: lposCommand,
  },
  {
    name: "lmove",
    arity: 5,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    acl: ["write", "list", "slow"],
    group: "list",
    since: "6.2.0",
    summary: "Pop an element from a list, push it to another list and return it",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "source", type: "key", keySpecIndex: 0 },
      { name: "destination", type: "key", keySpecIndex: 1 },
      { name: "wherefrom", type: "oneof", arguments: [{ name: "left", type: "pure-token", token: "LEFT" }, { name: "right", type: "pure-token", token: "RIGHT" }] },
      { name: "whereto", type: "oneof", arguments: [{ name: "left", type: "pure-token", token: "LEFT" }, { name: "right", type: "pure-token", token: "RIGHT" }] },
    ],
    handler: lmoveCommand,
  },
  {
    name: "rpoplpush",
    arity: 3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    acl: ["write", "list", "slow"],
    group: "list",
    since: "1.2.0",
    summary: "Remove the last element in a list, prepend it to another list and return it",
    complexity: "O(1)",
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`LMOVE` with the `RIGHT` and `LEFT` arguments",
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "source", type: "key", keySpecIndex: 0 },
      { name: "destination", type: "key", keySpecIndex: 1 },
    ],
    handler: rpoplpushCommand,
  },
  {
    name: "lmpop",
    arity: -4,
    flags: ["write", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["write", "list", "slow"],
    group: "list",
    since: "7.0.0",
    summary: "Pop elements from a list",
    complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "where", type: "oneof", arguments: [{ name: "left", type: "pure-token", token: "LEFT" }, { name: "right", type: "pure-token", token: "RIGHT" }] },
      { name: "count", type: "integer", token: "COUNT", flags: ["optional"] },
    ],
    keys: (args) => multiPopKeys(args, 1),
    handler: lmpopCommand,
  },
  {
    name: "blpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    firstKey: 1,
    lastKey: -2,
    step: 1,
    acl: ["write", "list", "slow", "blocking"],
    group: "list",
    since: "2.0.0",
    summary: "Remove and get the first element in a list, or block until one is available",
    complexity: "O(N) where N is the number of provided keys.",
    history: [["6.0.0", "`timeout` is interpreted as a double instead of an integer."]],
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -2, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "timeout", type: "double" },
    ],
    handler: blpopCommand,
  },
  {
    name: "brpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    firstKey: 1,
    lastKey: -2,
    step: 1,
    acl: ["write", "list", "slow", "blocking"],
    group: "list",
    since: "2.0.0",
    summary: "Remove and get the last element in a list, or block until one is available",
    complexity: "O(N) where N is the number of provided keys.",
    history: [["6.0.0", "`timeout` is interpreted as a double instead of an integer."]],
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -2, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "timeout", type: "double" },
    ],
    handler: brpopCommand,
  },
  {
    name: "blmove",
    arity: 6,
    flags: ["write", "denyoom", "noscript", "blocking"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    acl: ["write", "list", "slow", "blocking"],
    group: "list",
    since: "6.2.0",
    summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
    complexity: "O(1)",
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "source", type: "key", keySpecIndex: 0 },
      { name: "destination", type: "key", keySpecIndex: 1 },
      { name: "wherefrom", type: "oneof", arguments: [{ name: "left", type: "pure-token", token: "LEFT" }, { name: "right", type: "pure-token", token: "RIGHT" }] },
      { name: "whereto", type: "oneof", arguments: [{ name: "left", type: "pure-token", token: "LEFT" }, { name: "right", type: "pure-token", token: "RIGHT" }] },
      { name: "timeout", type: "double" },
    ],
    handler: blmoveCommand,
  },
  {
    name: "brpoplpush",
    arity: 4,
    flags: ["write", "denyoom", "noscript", "blocking"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    acl: ["write", "list", "slow", "blocking"],
    group: "list",
    since: "2.2.0",
    summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
    complexity: "O(1)",
    history: [["6.0.0", "`timeout` is interpreted as a double instead of an integer."]],
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`BLMOVE` with the `RIGHT` and `LEFT` arguments",
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["RW", "insert"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "source", type: "key", keySpecIndex: 0 },
      { name: "destination", type: "key", keySpecIndex: 1 },
      { name: "timeout", type: "double" },
    ],
    handler: brpoplpushCommand,
  },
  {
    name: "blmpop",
    arity: -5,
    flags: ["write", "blocking", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["write", "list", "slow", "blocking"],
    group: "list",
    since: "7.0.0",
    summary: "Pop elements from a list, or block until one is available",
    complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
    keySpecs: [
      { flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: "timeout", type: "double" },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "where", type: "oneof", arguments: [{ name: "left", type: "pure-token", token: "LEFT" }, { name: "right", type: "pure-token", token: "RIGHT" }] },
      { name: "count", type: "integer", token: "COUNT", flags: ["optional"] },
    ],
    keys: (args) => multiPopKeys(args, 2),
    handler: blmpopCommand,
  },
];
