import { formatDouble } from "@shardline/resp";
import { Constants } from "../constants.js";
import type { CommandContext } from "../engine/context.js";
import type { Engine } from "../engine/engine.js";
import { CommandError, Errors } from "../errors.js";
import {
  SortedSetValue,
  ZaddFlag,
  ZaddOutcome,
  lexGteMin,
  lexLteMax,
  listpackScoreText,
  scoreGteMin,
  scoreLteMax,
  type LexRange,
  type ListpackLimits,
  type ScoreRange,
} from "../keyspace/types/zset.js";
import { globMatch } from "../util/glob.js";
import { parseInt64 } from "../util/parse.js";
import { parseBlockingTimeoutMs } from "../util/timeout.js";
import { replyLimitReached } from "./hash-set-support.js";
import {
  requireLexRange,
  requireLong,
  requireLongInRange,
  requireNonNegativeLong,
  requireScanCursor,
  requireScore,
  requireScoreRange,
} from "./sorted-set-args.js";
import { setOperand, type SetOperand } from "./sorted-set-operands.js";
import type { CommandSpec } from "./spec.js";

/**
 * The sorted-set commands, following Redis 7.0's t_zset.c step by step:
 * the same argument parsing order (so the same error wins when several
 * apply), the same reply shapes in RESP2 and RESP3, and the same rewrites
 * for replicas (ZMPOP and the blocking pops become ZPOPMIN/ZPOPMAX).
 */

const LONG_MAX = 9223372036854775807n;

const errorNotANumber = "ERR resulting score is not a number (NaN)";

// ------------------------------------------------------------ shared helpers

/** zset-max-listpack-entries / -value per engine, kept current by a config watch. */
const limitsByEngine = new WeakMap<Engine, ListpackLimits>();

function listpackLimits(ctx: CommandContext): ListpackLimits {
  let limits = limitsByEngine.get(ctx.engine);
  if (limits === undefined) {
    const watched: ListpackLimits = { entriesMax: 128, valueBytesMax: 64 };
    ctx.engine.config.watch("zset-max-listpack-entries", (value) => (watched.entriesMax = Number(value)));
    ctx.engine.config.watch("zset-max-listpack-value", (value) => (watched.valueBytesMax = Number(value)));
    limitsByEngine.set(ctx.engine, watched);
    limits = watched;
  }
  return limits;
}

function readZset(ctx: CommandContext, key: string): SortedSetValue | undefined {
  return ctx.readAggregate<SortedSetValue>(key, "zset");
}

function writeZset(ctx: CommandContext, key: string): SortedSetValue | undefined {
  return ctx.writeAggregate<SortedSetValue>(key, "zset");
}

/** An emptied sorted set takes its key with it. */
function deleteIfEmpty(ctx: CommandContext, key: string, zset: SortedSetValue): void {
  if (zset.length === 0) ctx.db.delete(key);
}

/** Members with their scores, gathered before replying or storing. */
class Selection {
  readonly members: string[] = [];
  readonly scores: number[] = [];

  add(member: string, score: number): void {
    this.members.push(member);
    this.scores.push(score);
  }

  get length(): number {
    return this.members.length;
  }
}

/** How many members are written between checks of the reply size bound. */
const REPLY_CHECK_INTERVAL = 1024;

/**
 * Members, optionally with scores: one flat array in RESP2, pairs in RESP3
 * (clients must keep the order, so it is not a map). A reply too large for
 * the reply buffer (a range over millions of members) stops part way and
 * the client is disconnected, as an output buffer limit would.
 */
function replySelection(ctx: CommandContext, selection: Selection, withScores: boolean): void {
  const { reply } = ctx;
  const { members, scores } = selection;
  const pairs = withScores && reply.protocol === 3;
  reply.arrayHeader(withScores && !pairs ? members.length * 2 : members.length);
  for (let i = 0; i < members.length; i++) {
    if (pairs) reply.arrayHeader(2);
    reply.bulk(members[i]!);
    if (withScores) reply.double(scores[i]!);
    if (i % REPLY_CHECK_INTERVAL === REPLY_CHECK_INTERVAL - 1 && replyLimitReached(ctx)) return;
  }
}

/**
 * Stores a result set under `key` (replacing any value and its TTL) and
 * replies its size; an empty result deletes the key instead and replies 0.
 */
function storeResult(ctx: CommandContext, key: string, result: SortedSetValue): void {
  if (result.length === 0) {
    ctx.reply.integer(0);
    ctx.db.delete(key);
    return;
  }
  ctx.db.set(key, result);
  ctx.reply.integer(result.length);
}

/**
 * One sorted set holds at most Constants.indexedMapEntriesMax members (a
 * V8 Map cannot hold more). Redis has no such bound; a write that would pass
 * it is refused with an error before it changes anything.
 */
function capacityError(): CommandError {
  const max = Constants.indexedMapEntriesMax;
  return new CommandError(`ERR a sorted set holds at most ${max} members here; spread the members over several keys`);
}

/**
 * Refuses a ZADD whose new members (every other argument from
 * `firstMemberIndex`) would not fit; they are only counted when the write
 * could come near the bound at all, which keeps ZADD's hot path free of it.
 */
function requireRoom(zset: SortedSetValue | undefined, args: readonly string[], firstMemberIndex: number): void {
  const length = zset?.length ?? 0;
  const pairs = (args.length - firstMemberIndex + 1) / 2;
  if (length + pairs <= Constants.indexedMapEntriesMax) return;
  const fresh = new Set<string>();
  for (let i = firstMemberIndex; i < args.length; i += 2) if (zset?.has(args[i]!) !== true) fresh.add(args[i]!);
  if (length + fresh.size > Constants.indexedMapEntriesMax) throw capacityError();
}

/** Option words are compared like strcasecmp; most arguments are not options, so check length first. */
function isWord(arg: string, word: string): boolean {
  return arg.length === word.length && arg.toLowerCase() === word;
}

// ------------------------------------------------------------ ZADD, ZINCRBY

/**
 * ZADD and ZINCRBY (which is ZADD INCR with its options parsed the same
 * way, so `ZINCRBY key nx member` is a syntax error as in Redis).
 */
function zaddGeneric(ctx: CommandContext, initialFlags: number): void {
  const { args } = ctx;
  let flags = initialFlags;
  let changed = false;
  let scoreIndex = 2;
  for (; scoreIndex < args.length; scoreIndex++) {
    const option = args[scoreIndex]!;
    if (option.length > 4) break;
    const flag = ZADD_OPTIONS.get(option.toLowerCase());
    if (flag === undefined) break;
    if (flag === -1) changed = true;
    else flags |= flag;
  }
  const pairArgs = args.length - scoreIndex;
  if (pairArgs % 2 !== 0 || pairArgs === 0) throw new CommandError(Errors.syntax);
  const incr = (flags & ZaddFlag.incr) !== 0;
  const nx = (flags & ZaddFlag.nx) !== 0;
  const xx = (flags & ZaddFlag.xx) !== 0;
  const gt = (flags & ZaddFlag.gt) !== 0;
  const lt = (flags & ZaddFlag.lt) !== 0;
  if (nx && xx) throw new CommandError("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  const pairs = pairArgs / 2;
  if (incr && pairs > 1) throw new CommandError("ERR INCR option supports a single increment-element pair");
  // Every score is checked before anything changes: the command applies fully or not at all.
  const scores = new Array<number>(pairs);
  for (let j = 0; j < pairs; j++) scores[j] = requireScore(args[scoreIndex + j * 2]!);

  const key = args[1]!;
  const limits = listpackLimits(ctx);
  let zset = writeZset(ctx, key);
  if (!xx) requireRoom(zset, args, scoreIndex + 1);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (zset === undefined && !xx) {
    zset = SortedSetValue.forFirstMember(args[scoreIndex + 1]!, limits);
    ctx.db.set(key, zset);
  }
  for (let j = 0; zset !== undefined && j < pairs; j++) {
    const outcome = zset.add(args[scoreIndex + 1 + j * 2]!, scores[j]!, flags, limits);
    if (outcome === ZaddOutcome.notANumber) throw new CommandError(errorNotANumber);
    if (outcome === ZaddOutcome.added) added++;
    else if (outcome === ZaddOutcome.updated) updated++;
    if (outcome !== ZaddOutcome.skipped) {
      processed++;
      score = zset.resultScore;
    }
  }
  if (!incr) ctx.reply.integer(changed ? added + updated : added);
  else if (processed > 0) ctx.reply.double(score);
  else ctx.reply.nullBulk();
}

/** ZADD's option words; -1 stands for CH, which is not a zsetAdd flag. */
const ZADD_OPTIONS = new Map<string, number>([
  ["nx", ZaddFlag.nx],
  ["xx", ZaddFlag.xx],
  ["gt", ZaddFlag.gt],
  ["lt", ZaddFlag.lt],
  ["incr", ZaddFlag.incr],
  ["ch", -1],
]);

function zaddCommand(ctx: CommandContext): void {
  zaddGeneric(ctx, ZaddFlag.none);
}

function zincrbyCommand(ctx: CommandContext): void {
  zaddGeneric(ctx, ZaddFlag.incr);
}

// ------------------------------------------------------------ single-member reads and ZREM

function zremCommand(ctx: CommandContext): void {
  const key = ctx.args[1]!;
  const zset = writeZset(ctx, key);
  if (zset === undefined) {
    ctx.reply.integer(0);
    return;
  }
  let deleted = 0;
  for (let j = 2; j < ctx.args.length; j++) {
    if (zset.remove(ctx.args[j]!)) deleted++;
    if (zset.length === 0) {
      ctx.db.delete(key);
      break;
    }
  }
  ctx.reply.integer(deleted);
}

function zcardCommand(ctx: CommandContext): void {
  ctx.reply.integer(readZset(ctx, ctx.args[1]!)?.length ?? 0);
}

function zscoreCommand(ctx: CommandContext): void {
  const score = readZset(ctx, ctx.args[1]!)?.score(ctx.args[2]!);
  if (score === undefined) ctx.reply.nullBulk();
  else ctx.reply.double(score);
}

function zmscoreCommand(ctx: CommandContext): void {
  const zset = readZset(ctx, ctx.args[1]!);
  ctx.reply.arrayHeader(ctx.args.length - 2);
  for (let j = 2; j < ctx.args.length; j++) {
    const score = zset?.score(ctx.args[j]!);
    if (score === undefined) ctx.reply.nullBulk();
    else ctx.reply.double(score);
  }
}

function zrankGeneric(ctx: CommandContext, reverse: boolean): void {
  const rank = readZset(ctx, ctx.args[1]!)?.rankOf(ctx.args[2]!, reverse);
  if (rank === undefined) ctx.reply.nullBulk();
  else ctx.reply.integer(rank);
}

function zrankCommand(ctx: CommandContext): void {
  zrankGeneric(ctx, false);
}

function zrevrankCommand(ctx: CommandContext): void {
  zrankGeneric(ctx, true);
}

function zcountCommand(ctx: CommandContext): void {
  const range = requireScoreRange(ctx.args[2]!, ctx.args[3]!);
  ctx.reply.integer(readZset(ctx, ctx.args[1]!)?.countInScoreRange(range) ?? 0);
}

function zlexcountCommand(ctx: CommandContext): void {
  const range = requireLexRange(ctx.args[2]!, ctx.args[3]!);
  ctx.reply.integer(readZset(ctx, ctx.args[1]!)?.countInLexRange(range) ?? 0);
}

// ------------------------------------------------------------ ZRANGE and friends

type RangeType = "auto" | "rank" | "score" | "lex";
type Direction = "auto" | "forward" | "reverse";

/**
 * Ranks as Z*RANGE* clamp them: negative counts from the end, and the range
 * is empty when start passes end or the length. Returns [start, end] or
 * undefined when empty.
 */
function clampRanks(start: number, end: number, length: number): [number, number] | undefined {
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (start > end || start >= length) return undefined;
  return [start, Math.min(end, length - 1)];
}

function selectByRank(zset: SortedSetValue, start: number, end: number, reverse: boolean): Selection {
  const selection = new Selection();
  const ranks = clampRanks(start, end, zset.length);
  if (ranks === undefined) return selection;
  const [from, to] = ranks;
  let left = to - from + 1;
  zset.walk(reverse ? zset.length - 1 - from : from, reverse, (member, score) => {
    selection.add(member, score);
    return --left > 0;
  });
  return selection;
}

/**
 * Walks from rank `first` (the first entry in range in the walking
 * direction, -1 for none), skipping `offset` entries and taking up to
 * `limit`, while `inRange` holds. Redis counts both down with C's
 * `while (n--)`, so a negative offset skips everything and a negative
 * limit takes everything.
 */
function selectWalk(
  zset: SortedSetValue,
  first: number,
  reverse: boolean,
  offset: number,
  limit: number,
  inRange: (member: string, score: number) => boolean,
): Selection {
  const selection = new Selection();
  if (first < 0 || offset < 0) return selection;
  let left = limit;
  zset.walk(reverse ? first - offset : first + offset, reverse, (member, score) => {
    if (left === 0 || !inRange(member, score)) return false;
    selection.add(member, score);
    left--;
    return true;
  });
  return selection;
}

function selectByScore(zset: SortedSetValue, range: ScoreRange, offset: number, limit: number, reverse: boolean): Selection {
  const first = reverse ? zset.lastRankInScoreRange(range) : zset.firstRankInScoreRange(range);
  const inRange = reverse ? (_: string, score: number) => scoreGteMin(score, range) : (_: string, score: number) => scoreLteMax(score, range);
  return selectWalk(zset, first, reverse, offset, limit, inRange);
}

function selectByLex(zset: SortedSetValue, range: LexRange, offset: number, limit: number, reverse: boolean): Selection {
  const first = reverse ? zset.lastRankInLexRange(range) : zset.firstRankInLexRange(range);
  const inRange = reverse ? (member: string) => lexGteMin(member, range) : (member: string) => lexLteMax(member, range);
  return selectWalk(zset, first, reverse, offset, limit, inRange);
}

interface RangeRequest {
  /** Index of the source key; the two bounds follow it. */
  keyIndex: number;
  /** ZRANGESTORE's destination, when storing. */
  destination?: string;
  type: RangeType;
  direction: Direction;
}

/**
 * ZRANGE, ZRANGESTORE and the older Z[REV]RANGE[BYSCORE|BYLEX] forms
 * (Redis's zrangeGenericCommand): options first, then conflicts, then the
 * bounds, then the key.
 */
function zrangeGeneric(ctx: CommandContext, request: RangeRequest): void {
  const { args } = ctx;
  const store = request.destination !== undefined;
  let { type, direction } = request;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = request.keyIndex + 3; j < args.length; j++) {
    const option = args[j]!.toLowerCase();
    const left = args.length - j - 1;
    if (!store && option === "withscores") {
      withScores = true;
    } else if (option === "limit" && left >= 2) {
      offset = requireLong(args[j + 1]!);
      limit = requireLong(args[j + 2]!);
      j += 2;
    } else if (direction === "auto" && option === "rev") {
      direction = "reverse";
    } else if (type === "auto" && option === "bylex") {
      type = "lex";
    } else if (type === "auto" && option === "byscore") {
      type = "score";
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  const reverse = direction === "reverse";
  if (type === "auto") type = "rank";
  if (limit !== -1 && type === "rank") {
    throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  }
  if (withScores && type === "lex") {
    throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  }
  // Reversed score and lex ranges are written max first.
  const [minText, maxText] = reverse && type !== "rank" ? [args[request.keyIndex + 2]!, args[request.keyIndex + 1]!] : [args[request.keyIndex + 1]!, args[request.keyIndex + 2]!];
  let select: (zset: SortedSetValue) => Selection;
  if (type === "rank") {
    const start = requireLong(minText);
    const end = requireLong(maxText);
    select = (zset) => selectByRank(zset, start, end, reverse);
  } else if (type === "score") {
    const range = requireScoreRange(minText, maxText);
    select = (zset) => selectByScore(zset, range, offset, limit, reverse);
  } else {
    const range = requireLexRange(minText, maxText);
    select = (zset) => selectByLex(zset, range, offset, limit, reverse);
  }
  const zset = readZset(ctx, args[request.keyIndex]!);
  const selection = zset === undefined ? new Selection() : select(zset);
  if (request.destination === undefined) {
    replySelection(ctx, selection, withScores);
    return;
  }
  // Redis sizes the destination by the rank range's length (score and lex ranges are unknown: -1).
  const lengthHint = type === "rank" ? selection.length : -1;
  const limits = listpackLimits(ctx);
  const result = SortedSetValue.forLength(lengthHint, limits);
  for (let i = 0; i < selection.length; i++) result.insertNew(selection.members[i]!, selection.scores[i]!, limits);
  storeResult(ctx, request.destination, result);
}

function zrangeCommand(ctx: CommandContext): void {
  zrangeGeneric(ctx, { keyIndex: 1, type: "auto", direction: "auto" });
}

function zrangestoreCommand(ctx: CommandContext): void {
  zrangeGeneric(ctx, { keyIndex: 2, destination: ctx.args[1]!, type: "auto", direction: "auto" });
}

function zrevrangeCommand(ctx: CommandContext): void {
  zrangeGeneric(ctx, { keyIndex: 1, type: "rank", direction: "reverse" });
}

function zrangebyscoreCommand(ctx: CommandContext): void {
  zrangeGeneric(ctx, { keyIndex: 1, type: "score", direction: "forward" });
}

function zrevrangebyscoreCommand(ctx: CommandContext): void {
  zrangeGeneric(ctx, { keyIndex: 1, type: "score", direction: "reverse" });
}

function zrangebylexCommand(ctx: CommandContext): void {
  zrangeGeneric(ctx, { keyIndex: 1, type: "lex", direction: "forward" });
}

function zrevrangebylexCommand(ctx: CommandContext): void {
  zrangeGeneric(ctx, { keyIndex: 1, type: "lex", direction: "reverse" });
}

// ------------------------------------------------------------ ZREMRANGEBY*

function zremrangeGeneric(ctx: CommandContext, remove: (zset: SortedSetValue) => number): void {
  const key = ctx.args[1]!;
  const zset = writeZset(ctx, key);
  if (zset === undefined) {
    ctx.reply.integer(0);
    return;
  }
  const removed = remove(zset);
  deleteIfEmpty(ctx, key, zset);
  ctx.reply.integer(removed);
}

function zremrangebyrankCommand(ctx: CommandContext): void {
  const start = requireLong(ctx.args[2]!);
  const end = requireLong(ctx.args[3]!);
  zremrangeGeneric(ctx, (zset) => {
    const ranks = clampRanks(start, end, zset.length);
    return ranks === undefined ? 0 : zset.removeRangeByRank(ranks[0], ranks[1]);
  });
}

function zremrangebyscoreCommand(ctx: CommandContext): void {
  const range = requireScoreRange(ctx.args[2]!, ctx.args[3]!);
  zremrangeGeneric(ctx, (zset) => zset.removeRangeByScore(range));
}

function zremrangebylexCommand(ctx: CommandContext): void {
  const range = requireLexRange(ctx.args[2]!, ctx.args[3]!);
  zremrangeGeneric(ctx, (zset) => zset.removeRangeByLex(range));
}

// ------------------------------------------------------------ pops

/** How a pop replies (Redis's genericZpopCommand arguments). */
interface PopShape {
  /** BZPOP*, ZMPOP, BZMPOP name the key they popped from. */
  emitKey: boolean;
  /** Pairs as nested arrays: ZMPOP/BZMPOP always, ZPOP* with a count in RESP3. */
  nested: boolean;
  /** ZMPOP/BZMPOP answer nil, not an empty array, when nothing was found. */
  nilWhenEmpty: boolean;
}

/** Where a pop took members from, and how many. */
interface Popped {
  key: string;
  count: number;
}

/**
 * Pops from the first of `keys` that exists (WRONGTYPE stops the search),
 * `count` members (-1: one, the form without COUNT). Returns what was
 * popped, or undefined when nothing was.
 */
function popGeneric(ctx: CommandContext, keys: readonly string[], fromEnd: boolean, count: number, shape: PopShape): Popped | undefined {
  let key: string | undefined;
  let zset: SortedSetValue | undefined;
  for (const candidate of keys) {
    zset = writeZset(ctx, candidate);
    if (zset !== undefined) {
      key = candidate;
      break;
    }
  }
  const { reply } = ctx;
  if (zset === undefined || key === undefined) {
    if (shape.nilWhenEmpty) reply.nullArray();
    else reply.arrayHeader(0);
    return undefined;
  }
  if (count === 0) {
    reply.arrayHeader(0);
    return undefined;
  }
  const popped = Math.min(count === -1 ? 1 : count, zset.length);
  if (!shape.emitKey) {
    reply.arrayHeader(shape.nested ? popped : popped * 2);
  } else if (!shape.nested) {
    reply.arrayHeader(popped * 2 + 1);
    reply.bulk(key);
  } else {
    reply.arrayHeader(2);
    reply.bulk(key);
    reply.arrayHeader(popped);
  }
  for (let i = 0; i < popped; i++) {
    const [member, score] = zset.pop(fromEnd);
    if (shape.nested) reply.arrayHeader(2);
    reply.bulk(member);
    reply.double(score);
  }
  deleteIfEmpty(ctx, key, zset);
  return { key, count: popped };
}

/**
 * What replicas apply for a pop served by ZMPOP or a blocking pop: the
 * plain pop, with the number of members actually popped when the command
 * had a count (Redis 7.0 writes `ZPOPMIN key 3` for a COUNT 5 that found 3).
 */
function propagatePop(ctx: CommandContext, popped: Popped, fromEnd: boolean, counted: boolean): void {
  const name = fromEnd ? "ZPOPMAX" : "ZPOPMIN";
  ctx.propagate(counted ? [name, popped.key, String(popped.count)] : [name, popped.key]);
}

function zpopGeneric(ctx: CommandContext, fromEnd: boolean): void {
  if (ctx.args.length > 3) throw new CommandError(Errors.syntax);
  const count = ctx.args.length === 3 ? requireNonNegativeLong(ctx.args[2]!) : -1;
  const nested = ctx.reply.protocol === 3 && count !== -1;
  popGeneric(ctx, [ctx.args[1]!], fromEnd, count, { emitKey: false, nested, nilWhenEmpty: false });
}

function zpopminCommand(ctx: CommandContext): void {
  zpopGeneric(ctx, false);
}

function zpopmaxCommand(ctx: CommandContext): void {
  zpopGeneric(ctx, true);
}

/**
 * BZPOPMIN/BZPOPMAX/BZMPOP (Redis's blockingGenericZpopCommand): the
 * timeout is checked first; the first existing key is popped from, like
 * the plain pop, and replicas get the plain pop; with nothing to pop the
 * client blocks on every key. When the engine retries a blocked client
 * because a key changed, keys of another type are passed over (Redis 7.0
 * serves a blocked client only from a sorted set and leaves it waiting).
 */
function blockingPop(ctx: CommandContext, keys: string[], timeoutText: string, fromEnd: boolean, count: number, shape: PopShape): void {
  const timeoutMs = parseBlockingTimeoutMs(timeoutText);
  for (const key of keys) {
    if (ctx.retryingBlocked) {
      const value = ctx.lookupWrite(key);
      if (value === undefined || typeof value === "string" || value.type !== "zset") continue;
    } else if (writeZset(ctx, key) === undefined) {
      continue;
    }
    const popped = popGeneric(ctx, [key], fromEnd, count, shape);
    if (popped !== undefined) propagatePop(ctx, popped, fromEnd, count !== -1);
    return;
  }
  ctx.block(keys, timeoutMs);
}

function bzpopGeneric(ctx: CommandContext, fromEnd: boolean): void {
  const keys = ctx.args.slice(1, -1);
  blockingPop(ctx, keys, ctx.args[ctx.args.length - 1]!, fromEnd, -1, { emitKey: true, nested: false, nilWhenEmpty: false });
}

function bzpopminCommand(ctx: CommandContext): void {
  bzpopGeneric(ctx, false);
}

function bzpopmaxCommand(ctx: CommandContext): void {
  bzpopGeneric(ctx, true);
}

/** ZMPOP / BZMPOP arguments: numkeys at `numkeysIndex`, the keys, MIN|MAX, optional COUNT. */
function parseMultiPop(args: readonly string[], numkeysIndex: number): { keys: string[]; fromEnd: boolean; count: number } {
  const numkeys = requireLongInRange(args[numkeysIndex]!, 1, Number.MAX_SAFE_INTEGER, "ERR numkeys should be greater than 0");
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= args.length) throw new CommandError(Errors.syntax);
  const where = args[whereIndex]!.toLowerCase();
  if (where !== "min" && where !== "max") throw new CommandError(Errors.syntax);
  let count = -1;
  for (let j = whereIndex + 1; j < args.length; j++) {
    const more = args.length - 1 - j;
    if (count === -1 && isWord(args[j]!, "count") && more > 0) {
      j++;
      count = requireLongInRange(args[j]!, 1, Number.MAX_SAFE_INTEGER, "ERR count should be greater than 0");
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  return { keys: args.slice(numkeysIndex + 1, whereIndex), fromEnd: where === "max", count: count === -1 ? 1 : count };
}

const MULTI_POP_SHAPE: PopShape = { emitKey: true, nested: true, nilWhenEmpty: true };

function zmpopCommand(ctx: CommandContext): void {
  const { keys, fromEnd, count } = parseMultiPop(ctx.args, 1);
  const popped = popGeneric(ctx, keys, fromEnd, count, MULTI_POP_SHAPE);
  if (popped !== undefined) propagatePop(ctx, popped, fromEnd, true);
}

function bzmpopCommand(ctx: CommandContext): void {
  const { keys, fromEnd, count } = parseMultiPop(ctx.args, 2);
  blockingPop(ctx, keys, ctx.args[1]!, fromEnd, count, MULTI_POP_SHAPE);
}

// ------------------------------------------------------------ ZUNION, ZINTER, ZDIFF and their STOREs

type SetOperation = "union" | "inter" | "diff";
type Aggregation = "sum" | "min" | "max";

/**
 * Combines `score` into `target` (Redis's zunionInterAggregate). A SUM of
 * +inf and -inf is NaN, which Redis turns into 0.
 */
function aggregate(target: number, value: number, how: Aggregation): number {
  if (how === "sum") {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === "min") return value < target ? value : target;
  return value > target ? value : target;
}

/** A weighted score; 0 × inf is NaN, which Redis also turns into 0. */
function weighted(score: number, weight: number): number {
  const product = score * weight;
  return Number.isNaN(product) ? 0 : product;
}

interface SetOperationRequest {
  destination: string | undefined;
  numkeysIndex: number;
  operation: SetOperation;
  /** ZINTERCARD: count only, with LIMIT. */
  cardinalityOnly: boolean;
}

/**
 * ZUNION[STORE], ZINTER[STORE], ZDIFF[STORE] and ZINTERCARD (Redis's
 * zunionInterDiffGenericCommand). Inputs may be sets (every member scores
 * 1). Keys are looked up before the options are parsed, so WRONGTYPE wins
 * over a syntax error, as in Redis.
 */
function setOperationGeneric(ctx: CommandContext, request: SetOperationRequest): void {
  const { args } = ctx;
  const { operation, cardinalityOnly, destination } = request;
  const setCount = requireLong(args[request.numkeysIndex]!);
  if (setCount < 1) throw new CommandError(`ERR at least 1 input key is needed for '${ctx.spec.name}' command`);
  if (setCount > args.length - (request.numkeysIndex + 1)) throw new CommandError(Errors.syntax);

  const operands: SetOperand[] = [];
  let j = request.numkeysIndex + 1;
  for (let i = 0; i < setCount; i++, j++) {
    const value = destination !== undefined ? ctx.lookupWrite(args[j]!) : ctx.lookupRead(args[j]!);
    operands.push(setOperand(value));
  }
  let how: Aggregation = "sum";
  let withScores = false;
  let limit = 0;
  while (j < args.length) {
    const remaining = args.length - j;
    const option = args[j]!.toLowerCase();
    if (operation !== "diff" && !cardinalityOnly && remaining >= setCount + 1 && option === "weights") {
      j++;
      for (let i = 0; i < setCount; i++, j++) operands[i]!.weight = requireScore(args[j]!, "ERR weight value is not a float");
    } else if (operation !== "diff" && !cardinalityOnly && remaining >= 2 && option === "aggregate") {
      const word = args[j + 1]!.toLowerCase();
      if (word !== "sum" && word !== "min" && word !== "max") throw new CommandError(Errors.syntax);
      how = word;
      j += 2;
    } else if (destination === undefined && !cardinalityOnly && option === "withscores") {
      withScores = true;
      j++;
    } else if (cardinalityOnly && remaining >= 2 && option === "limit") {
      limit = requireNonNegativeLong(args[j + 1]!, "ERR LIMIT can't be negative");
      j += 2;
    } else {
      throw new CommandError(Errors.syntax);
    }
  }

  if (cardinalityOnly) {
    ctx.reply.integer(intersectionCardinality(operands, limit));
    return;
  }
  const limits = listpackLimits(ctx);
  const result = new SortedSetValue("skiplist");
  if (operation === "inter") intersect(operands, how, result, limits);
  else if (operation === "union") unite(operands, how, result, limits);
  else difference(operands, result, limits);

  if (destination !== undefined) {
    result.convertToListpackIfFits(limits);
    storeResult(ctx, destination, result);
    return;
  }
  const selection = new Selection();
  for (const [member, score] of result.entries()) selection.add(member, score);
  replySelection(ctx, selection, withScores);
}

/** Smallest first (a stable sort, like glibc's merge-sort qsort), so intersections probe the fewest. */
function bySize(operands: readonly SetOperand[]): SetOperand[] {
  return [...operands].sort((a, b) => a.length - b.length);
}

function intersect(operands: readonly SetOperand[], how: Aggregation, result: SortedSetValue, limits: ListpackLimits): void {
  const sorted = bySize(operands);
  const [smallest, ...others] = sorted;
  if (smallest === undefined || smallest.length === 0) return;
  for (const [member, memberScore] of smallest.entries()) {
    let score = weighted(memberScore, smallest.weight);
    let everywhere = true;
    for (const other of others) {
      const found = other.score(member);
      if (found === undefined) {
        everywhere = false;
        break;
      }
      score = aggregate(score, found * other.weight, how);
    }
    if (everywhere) result.insertNew(member, score, limits);
  }
}

function intersectionCardinality(operands: readonly SetOperand[], limit: number): number {
  const [smallest, ...others] = bySize(operands);
  if (smallest === undefined || smallest.length === 0) return 0;
  let cardinality = 0;
  for (const [member] of smallest.entries()) {
    if (!others.every((other) => other.score(member) !== undefined)) continue;
    cardinality++;
    if (limit !== 0 && cardinality >= limit) break;
  }
  return cardinality;
}

function unite(operands: readonly SetOperand[], how: Aggregation, result: SortedSetValue, limits: ListpackLimits): void {
  const accumulator = new Map<string, number>();
  for (const operand of bySize(operands)) {
    for (const [member, memberScore] of operand.entries()) {
      const score = weighted(memberScore, operand.weight);
      const existing = accumulator.get(member);
      if (existing === undefined && accumulator.size >= Constants.indexedMapEntriesMax) throw capacityError();
      accumulator.set(member, existing === undefined ? score : aggregate(existing, score, how));
    }
  }
  for (const [member, score] of accumulator) result.insertNew(member, score, limits);
}

/** Members of the first input found in none of the others, with their first-input scores (no weights). */
function difference(operands: readonly SetOperand[], result: SortedSetValue, limits: ListpackLimits): void {
  const [first, ...others] = operands;
  if (first === undefined || first.length === 0) return;
  for (const [member, score] of first.entries()) {
    if (others.some((other) => other.score(member) !== undefined)) continue;
    result.insertNew(member, score, limits);
  }
}

function zunionstoreCommand(ctx: CommandContext): void {
  setOperationGeneric(ctx, { destination: ctx.args[1]!, numkeysIndex: 2, operation: "union", cardinalityOnly: false });
}

function zinterstoreCommand(ctx: CommandContext): void {
  setOperationGeneric(ctx, { destination: ctx.args[1]!, numkeysIndex: 2, operation: "inter", cardinalityOnly: false });
}

function zdiffstoreCommand(ctx: CommandContext): void {
  setOperationGeneric(ctx, { destination: ctx.args[1]!, numkeysIndex: 2, operation: "diff", cardinalityOnly: false });
}

function zunionCommand(ctx: CommandContext): void {
  setOperationGeneric(ctx, { destination: undefined, numkeysIndex: 1, operation: "union", cardinalityOnly: false });
}

function zinterCommand(ctx: CommandContext): void {
  setOperationGeneric(ctx, { destination: undefined, numkeysIndex: 1, operation: "inter", cardinalityOnly: false });
}

function zdiffCommand(ctx: CommandContext): void {
  setOperationGeneric(ctx, { destination: undefined, numkeysIndex: 1, operation: "diff", cardinalityOnly: false });
}

function zintercardCommand(ctx: CommandContext): void {
  setOperationGeneric(ctx, { destination: undefined, numkeysIndex: 1, operation: "inter", cardinalityOnly: true });
}

// ------------------------------------------------------------ ZRANDMEMBER

function zrandmemberCommand(ctx: CommandContext): void {
  const { args, reply } = ctx;
  if (args.length >= 3) {
    const count = parseInt64(args[2]!);
    if (count === undefined) throw new CommandError(Errors.notInteger);
    if (count < -LONG_MAX) throw new CommandError(`ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`);
    if (args.length > 4 || (args.length === 4 && !isWord(args[3]!, "withscores"))) throw new CommandError(Errors.syntax);
    const withScores = args.length === 4;
    if (withScores && (count < -LONG_MAX / 2n || count > LONG_MAX / 2n)) throw new CommandError("ERR value is out of range");
    randomMembersWithCount(ctx, count, withScores);
    return;
  }
  const zset = readZset(ctx, args[1]!);
  if (zset === undefined) reply.nullBulk();
  else reply.bulk(zset.randomEntry(ctx.random)[0]);
}

/**
 * ZRANDMEMBER with a count (Redis's zrandmemberWithCountCommand): a
 * negative count (or 1) samples with repetition, in random order; a count
 * at least the size returns the whole set, highest first (as Redis 7.0
 * does); otherwise distinct members, in set order when a listpack-encoded
 * set is sampled sparsely (Redis picks listpack positions) and in random
 * order otherwise.
 */
function randomMembersWithCount(ctx: CommandContext, count: bigint, withScores: boolean): void {
  const { reply } = ctx;
  const zset = readZset(ctx, ctx.args[1]!);
  if (zset === undefined || count === 0n) {
    reply.arrayHeader(0);
    return;
  }
  const size = zset.length;
  if (count < 0n || count === 1n) {
    replyWithRepetition(ctx, zset, count < 0n ? -count : count, withScores);
    return;
  }
  const selection = new Selection();
  if (count >= BigInt(size)) {
    zset.walk(size - 1, true, (member, score) => {
      selection.add(member, score);
      return true;
    });
  } else {
    for (const [member, score] of distinctSample(ctx, zset, Number(count))) selection.add(member, score);
  }
  replySelection(ctx, selection, withScores);
}

/** `count` members drawn independently; stops (and drops the client) past the reply size bound. */
function replyWithRepetition(ctx: CommandContext, zset: SortedSetValue, count: bigint, withScores: boolean): void {
  const { reply } = ctx;
  const pairs = reply.protocol === 3 && withScores;
  // The exact header Redis writes, even for counts past 2^53.
  reply.raw("*" + (withScores && !pairs ? count * 2n : count) + "\r\n");
  for (let i = 0n; i < count; i++) {
    const [member, score] = zset.randomEntry(ctx.random);
    if (pairs) reply.arrayHeader(2);
    reply.bulk(member);
    if (withScores) reply.double(score);
    if (replyLimitReached(ctx)) return;
  }
}

/** `count` distinct members (count < size), by Floyd's sampling over the member dictionary. */
function distinctSample(ctx: CommandContext, zset: SortedSetValue, count: number): [string, number][] {
  const size = zset.length;
  const chosen = new Set<number>();
  for (let top = size - count; top < size; top++) {
    const pick = ctx.random.int(top + 1);
    chosen.add(chosen.has(pick) ? top : pick);
  }
  const sample = [...chosen].map((index) => zset.entryAt(index));
  if (zset.encoding === "listpack" && count * 3 <= size) {
    sample.sort(([memberA, scoreA], [memberB, scoreB]) => (scoreA !== scoreB ? scoreA - scoreB : memberA < memberB ? -1 : memberA > memberB ? 1 : 0));
  }
  return sample;
}

// ------------------------------------------------------------ ZSCAN

/** Redis's shared.emptyscan, sent as is in both protocols. */
const EMPTY_SCAN = "*2\r\n$1\r\n0\r\n*0\r\n";

function zscanCommand(ctx: CommandContext): void {
  const { args, reply } = ctx;
  const cursor = requireScanCursor(args[2]!);
  const zset = readZset(ctx, args[1]!);
  if (zset === undefined) {
    reply.raw(EMPTY_SCAN);
    return;
  }
  let count = 10;
  let pattern: string | undefined;
  for (let i = 3; i < args.length; i += 2) {
    const option = args[i]!.toLowerCase();
    if (option === "count" && i + 1 < args.length) {
      count = requireLong(args[i + 1]!);
      if (count < 1) throw new CommandError(Errors.syntax);
    } else if (option === "match" && i + 1 < args.length) {
      pattern = args[i + 1] === "*" ? undefined : args[i + 1]!;
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  const found: string[] = [];
  let next = 0;
  const visit = (member: string, text: string): void => {
    if (pattern === undefined || globMatch(pattern, member)) found.push(member, text);
  };
  if (zset.encoding === "listpack") {
    // A listpack is returned whole in one call, scores as the listpack holds them.
    for (const [member, score] of zset.entries()) visit(member, listpackScoreText(score, formatDouble));
  } else {
    next = zset.scan(cursor, count, (member, score) => visit(member, formatDouble(score)));
  }
  reply.arrayHeader(2);
  reply.bulk(String(next));
  reply.bulkArray(found);
}

// ------------------------------------------------------------ key positions

/**
 * Keys of ZUNION/ZINTER/ZDIFF/ZINTERCARD/ZMPOP: `numkeys` at `index`, the
 * keys after it. Malformed input yields no keys: the command then runs and
 * reports its own error, as Redis does when routing.
 */
function keysAfterNumkeys(args: readonly string[], index: number): number[] {
  const numkeys = parseInt64(args[index] ?? "");
  if (numkeys === undefined || numkeys < 1n || numkeys > BigInt(args.length - index - 1)) return [];
  const keys: number[] = [];
  for (let i = 1; i <= Number(numkeys); i++) keys.push(index + i);
  return keys;
}

function numkeysKeys(args: readonly string[]): number[] {
  return keysAfterNumkeys(args, 1);
}

function blockingNumkeysKeys(args: readonly string[]): number[] {
  return keysAfterNumkeys(args, 2);
}

/** Z*STORE: the destination, then the sources. */
function storeNumkeysKeys(args: readonly string[]): number[] {
  const sources = keysAfterNumkeys(args, 2);
  return sources.length === 0 ? [] : [1, ...sources];
}

// ------------------------------------------------------------ the table

/** Metadata exactly as Redis 7.0.15 reports it in COMMAND INFO and COMMAND DOCS. */
export const SORTED_SET_COMMANDS: CommandSpec[] = [
  {
    name: "bzmpop",
    arity: -5,
    flags: ["write", "blocking", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    keys: blockingNumkeysKeys,
    acl: ["write", "sortedset", "slow", "blocking"],
    group: "sorted-set",
    since: "7.0.0",
    summary: "Remove and return members with scores in a sorted set or block until one is available",
    complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    keySpecs: [{ flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } }],
    arguments: [
      { name: "timeout", type: "double" },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "where", type: "oneof", arguments: [
        { name: "min", type: "pure-token", token: "MIN" },
        { name: "max", type: "pure-token", token: "MAX" },
      ] },
      { name: "count", type: "integer", token: "COUNT", flags: ["optional"] },
    ],
    handler: bzmpopCommand,
  },
  {
    name: "bzpopmax",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    firstKey: 1,
    lastKey: -2,
    step: 1,
    acl: ["write", "sortedset", "fast", "blocking"],
    group: "sorted-set",
    since: "5.0.0",
    summary: "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    history: [["6.0.0", "`timeout` is interpreted as a double instead of an integer."]],
    keySpecs: [{ flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -2, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "timeout", type: "double" },
    ],
    handler: bzpopmaxCommand,
  },
  {
    name: "bzpopmin",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    firstKey: 1,
    lastKey: -2,
    step: 1,
    acl: ["write", "sortedset", "fast", "blocking"],
    group: "sorted-set",
    since: "5.0.0",
    summary: "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    history: [["6.0.0", "`timeout` is interpreted as a double instead of an integer."]],
    keySpecs: [{ flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -2, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "timeout", type: "double" },
    ],
    handler: bzpopminCommand,
  },
  {
    name: "zadd",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "sortedset", "fast"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Add one or more members to a sorted set, or update its score if it already exists",
    complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
    history: [["2.4.0", "Accepts multiple elements."], ["3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."], ["6.2.0", "Added the `GT` and `LT` options."]],
    keySpecs: [{ flags: ["RW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "condition", type: "oneof", since: "3.0.2", flags: ["optional"], arguments: [
        { name: "nx", type: "pure-token", token: "NX" },
        { name: "xx", type: "pure-token", token: "XX" },
      ] },
      { name: "comparison", type: "oneof", since: "6.2.0", flags: ["optional"], arguments: [
        { name: "gt", type: "pure-token", token: "GT" },
        { name: "lt", type: "pure-token", token: "LT" },
      ] },
      { name: "change", type: "pure-token", token: "CH", since: "3.0.2", flags: ["optional"] },
      { name: "increment", type: "pure-token", token: "INCR", since: "3.0.2", flags: ["optional"] },
      { name: "score_member", type: "block", flags: ["multiple"], arguments: [
        { name: "score", type: "double" },
        { name: "member", type: "string" },
      ] },
    ],
    handler: zaddCommand,
  },
  {
    name: "zcard",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "fast"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Get the number of members in a sorted set",
    complexity: "O(1)",
    keySpecs: [{ flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    handler: zcardCommand,
  },
  {
    name: "zcount",
    arity: 4,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "fast"],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Count the members in a sorted set with scores within the given values",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "double" },
      { name: "max", type: "double" },
    ],
    handler: zcountCommand,
  },
  {
    name: "zdiff",
    arity: -3,
    flags: ["readonly", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    keys: numkeysKeys,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Subtract multiple sorted sets",
    complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } }],
    arguments: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", flags: ["optional"] },
    ],
    handler: zdiffCommand,
  },
  {
    name: "zdiffstore",
    arity: -4,
    flags: ["write", "denyoom", "movablekeys"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    keys: storeNumkeysKeys,
    acl: ["write", "sortedset", "slow"],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Subtract multiple sorted sets and store the resulting sorted set in a new key",
    complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
    keySpecs: [{ flags: ["OW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }, { flags: ["RO", "access"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } }],
    arguments: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 1, flags: ["multiple"] },
    ],
    handler: zdiffstoreCommand,
  },
  {
    name: "zincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "sortedset", "fast"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Increment the score of a member in a sorted set",
    complexity: "O(log(N)) where N is the number of elements in the sorted set.",
    keySpecs: [{ flags: ["RW", "access", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "increment", type: "integer" },
      { name: "member", type: "string" },
    ],
    handler: zincrbyCommand,
  },
  {
    name: "zinter",
    arity: -3,
    flags: ["readonly", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    keys: numkeysKeys,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Intersect multiple sorted sets",
    complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } }],
    arguments: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "weight", type: "integer", token: "WEIGHTS", flags: ["optional", "multiple"] },
      { name: "aggregate", type: "oneof", token: "AGGREGATE", flags: ["optional"], arguments: [
        { name: "sum", type: "pure-token", token: "SUM" },
        { name: "min", type: "pure-token", token: "MIN" },
        { name: "max", type: "pure-token", token: "MAX" },
      ] },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", flags: ["optional"] },
    ],
    handler: zinterCommand,
  },
  {
    name: "zintercard",
    arity: -3,
    flags: ["readonly", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    keys: numkeysKeys,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "7.0.0",
    summary: "Intersect multiple sorted sets and return the cardinality of the result",
    complexity: "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } }],
    arguments: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "limit", type: "integer", token: "LIMIT", flags: ["optional"] },
    ],
    handler: zintercardCommand,
  },
  {
    name: "zinterstore",
    arity: -4,
    flags: ["write", "denyoom", "movablekeys"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    keys: storeNumkeysKeys,
    acl: ["write", "sortedset", "slow"],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Intersect multiple sorted sets and store the resulting sorted set in a new key",
    complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
    keySpecs: [{ flags: ["OW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }, { flags: ["RO", "access"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } }],
    arguments: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 1, flags: ["multiple"] },
      { name: "weight", type: "integer", token: "WEIGHTS", flags: ["optional", "multiple"] },
      { name: "aggregate", type: "oneof", token: "AGGREGATE", flags: ["optional"], arguments: [
        { name: "sum", type: "pure-token", token: "SUM" },
        { name: "min", type: "pure-token", token: "MIN" },
        { name: "max", type: "pure-token", token: "MAX" },
      ] },
    ],
    handler: zinterstoreCommand,
  },
  {
    name: "zlexcount",
    arity: 4,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "fast"],
    group: "sorted-set",
    since: "2.8.9",
    summary: "Count the number of members in a sorted set between a given lexicographical range",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "string" },
      { name: "max", type: "string" },
    ],
    handler: zlexcountCommand,
  },
  {
    name: "zmpop",
    arity: -4,
    flags: ["write", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    keys: numkeysKeys,
    acl: ["write", "sortedset", "slow"],
    group: "sorted-set",
    since: "7.0.0",
    summary: "Remove and return members with scores in a sorted set",
    complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    keySpecs: [{ flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } }],
    arguments: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "where", type: "oneof", arguments: [
        { name: "min", type: "pure-token", token: "MIN" },
        { name: "max", type: "pure-token", token: "MAX" },
      ] },
      { name: "count", type: "integer", token: "COUNT", flags: ["optional"] },
    ],
    handler: zmpopCommand,
  },
  {
    name: "zmscore",
    arity: -3,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "fast"],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Get the score associated with the given members in a sorted set",
    complexity: "O(N) where N is the number of members being requested.",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", flags: ["multiple"] },
    ],
    handler: zmscoreCommand,
  },
  {
    name: "zpopmax",
    arity: -2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "sortedset", "fast"],
    group: "sorted-set",
    since: "5.0.0",
    summary: "Remove and return members with the highest scores in a sorted set",
    complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    keySpecs: [{ flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer", flags: ["optional"] },
    ],
    handler: zpopmaxCommand,
  },
  {
    name: "zpopmin",
    arity: -2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "sortedset", "fast"],
    group: "sorted-set",
    since: "5.0.0",
    summary: "Remove and return members with the lowest scores in a sorted set",
    complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    keySpecs: [{ flags: ["RW", "access", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer", flags: ["optional"] },
    ],
    handler: zpopminCommand,
  },
  {
    name: "zrandmember",
    arity: -2,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Get one or multiple random elements from a sorted set",
    complexity: "O(N) where N is the number of elements returned",
    tips: ["nondeterministic_output"],
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "options", type: "block", flags: ["optional"], arguments: [
        { name: "count", type: "integer" },
        { name: "withscores", type: "pure-token", token: "WITHSCORES", flags: ["optional"] },
      ] },
    ],
    handler: zrandmemberCommand,
  },
  {
    name: "zrange",
    arity: -4,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Return a range of members in a sorted set",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
    history: [["6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options."]],
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "start", type: "string" },
      { name: "stop", type: "string" },
      { name: "sortby", type: "oneof", since: "6.2.0", flags: ["optional"], arguments: [
        { name: "byscore", type: "pure-token", token: "BYSCORE" },
        { name: "bylex", type: "pure-token", token: "BYLEX" },
      ] },
      { name: "rev", type: "pure-token", token: "REV", since: "6.2.0", flags: ["optional"] },
      { name: "offset_count", type: "block", token: "LIMIT", since: "6.2.0", flags: ["optional"], arguments: [
        { name: "offset", type: "integer" },
        { name: "count", type: "integer" },
      ] },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", flags: ["optional"] },
    ],
    handler: zrangeCommand,
  },
  {
    name: "zrangebylex",
    arity: -4,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "2.8.9",
    summary: "Return a range of members in a sorted set, by lexicographical range",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`ZRANGE` with the `BYLEX` argument",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "string" },
      { name: "max", type: "string" },
      { name: "offset_count", type: "block", token: "LIMIT", flags: ["optional"], arguments: [
        { name: "offset", type: "integer" },
        { name: "count", type: "integer" },
      ] },
    ],
    handler: zrangebylexCommand,
  },
  {
    name: "zrangebyscore",
    arity: -4,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "1.0.5",
    summary: "Return a range of members in a sorted set, by score",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    history: [["2.0.0", "Added the `WITHSCORES` modifier."]],
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`ZRANGE` with the `BYSCORE` argument",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "double" },
      { name: "max", type: "double" },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", since: "2.0.0", flags: ["optional"] },
      { name: "offset_count", type: "block", token: "LIMIT", flags: ["optional"], arguments: [
        { name: "offset", type: "integer" },
        { name: "count", type: "integer" },
      ] },
    ],
    handler: zrangebyscoreCommand,
  },
  {
    name: "zrangestore",
    arity: -5,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    acl: ["write", "sortedset", "slow"],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Store a range of members from sorted set into another key",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
    keySpecs: [{ flags: ["OW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }, { flags: ["RO", "access"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "dst", type: "key", keySpecIndex: 0 },
      { name: "src", type: "key", keySpecIndex: 1 },
      { name: "min", type: "string" },
      { name: "max", type: "string" },
      { name: "sortby", type: "oneof", flags: ["optional"], arguments: [
        { name: "byscore", type: "pure-token", token: "BYSCORE" },
        { name: "bylex", type: "pure-token", token: "BYLEX" },
      ] },
      { name: "rev", type: "pure-token", token: "REV", flags: ["optional"] },
      { name: "offset_count", type: "block", token: "LIMIT", flags: ["optional"], arguments: [
        { name: "offset", type: "integer" },
        { name: "count", type: "integer" },
      ] },
    ],
    handler: zrangestoreCommand,
  },
  {
    name: "zrank",
    arity: 3,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "fast"],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Determine the index of a member in a sorted set",
    complexity: "O(log(N))",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string" },
    ],
    handler: zrankCommand,
  },
  {
    name: "zrem",
    arity: -3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "sortedset", "fast"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Remove one or more members from a sorted set",
    complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
    history: [["2.4.0", "Accepts multiple elements."]],
    keySpecs: [{ flags: ["RW", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", flags: ["multiple"] },
    ],
    handler: zremCommand,
  },
  {
    name: "zremrangebylex",
    arity: 4,
    flags: ["write"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "sortedset", "slow"],
    group: "sorted-set",
    since: "2.8.9",
    summary: "Remove all members in a sorted set between the given lexicographical range",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    keySpecs: [{ flags: ["RW", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "string" },
      { name: "max", type: "string" },
    ],
    handler: zremrangebylexCommand,
  },
  {
    name: "zremrangebyrank",
    arity: 4,
    flags: ["write"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "sortedset", "slow"],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Remove all members in a sorted set within the given indexes",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    keySpecs: [{ flags: ["RW", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
    ],
    handler: zremrangebyrankCommand,
  },
  {
    name: "zremrangebyscore",
    arity: 4,
    flags: ["write"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "sortedset", "slow"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Remove all members in a sorted set within the given scores",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    keySpecs: [{ flags: ["RW", "delete"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "double" },
      { name: "max", type: "double" },
    ],
    handler: zremrangebyscoreCommand,
  },
  {
    name: "zrevrange",
    arity: -4,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Return a range of members in a sorted set, by index, with scores ordered from high to low",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`ZRANGE` with the `REV` argument",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", flags: ["optional"] },
    ],
    handler: zrevrangeCommand,
  },
  {
    name: "zrevrangebylex",
    arity: -4,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "2.8.9",
    summary: "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`ZRANGE` with the `REV` and `BYLEX` arguments",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "max", type: "string" },
      { name: "min", type: "string" },
      { name: "offset_count", type: "block", token: "LIMIT", flags: ["optional"], arguments: [
        { name: "offset", type: "integer" },
        { name: "count", type: "integer" },
      ] },
    ],
    handler: zrevrangebylexCommand,
  },
  {
    name: "zrevrangebyscore",
    arity: -4,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "2.2.0",
    summary: "Return a range of members in a sorted set, by score, with scores ordered from high to low",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    history: [["2.1.6", "`min` and `max` can be exclusive."]],
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`ZRANGE` with the `REV` and `BYSCORE` arguments",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "max", type: "double" },
      { name: "min", type: "double" },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", flags: ["optional"] },
      { name: "offset_count", type: "block", token: "LIMIT", flags: ["optional"], arguments: [
        { name: "offset", type: "integer" },
        { name: "count", type: "integer" },
      ] },
    ],
    handler: zrevrangebyscoreCommand,
  },
  {
    name: "zrevrank",
    arity: 3,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "fast"],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Determine the index of a member in a sorted set, with scores ordered from high to low",
    complexity: "O(log(N))",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string" },
    ],
    handler: zrevrankCommand,
  },
  {
    name: "zscan",
    arity: -3,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "2.8.0",
    summary: "Incrementally iterate sorted sets elements and associated scores",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    tips: ["nondeterministic_output"],
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "cursor", type: "integer" },
      { name: "pattern", type: "pattern", token: "MATCH", flags: ["optional"] },
      { name: "count", type: "integer", token: "COUNT", flags: ["optional"] },
    ],
    handler: zscanCommand,
  },
  {
    name: "zscore",
    arity: 3,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "sortedset", "fast"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Get the score associated with the given member in a sorted set",
    complexity: "O(1)",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string" },
    ],
    handler: zscoreCommand,
  },
  {
    name: "zunion",
    arity: -3,
    flags: ["readonly", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    keys: numkeysKeys,
    acl: ["read", "sortedset", "slow"],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Add multiple sorted sets",
    complexity: "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
    keySpecs: [{ flags: ["RO", "access"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } }],
    arguments: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
      { name: "weight", type: "integer", token: "WEIGHTS", flags: ["optional", "multiple"] },
      { name: "aggregate", type: "oneof", token: "AGGREGATE", flags: ["optional"], arguments: [
        { name: "sum", type: "pure-token", token: "SUM" },
        { name: "min", type: "pure-token", token: "MIN" },
        { name: "max", type: "pure-token", token: "MAX" },
      ] },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", flags: ["optional"] },
    ],
    handler: zunionCommand,
  },
  {
    name: "zunionstore",
    arity: -4,
    flags: ["write", "denyoom", "movablekeys"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    keys: storeNumkeysKeys,
    acl: ["write", "sortedset", "slow"],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Add multiple sorted sets and store the resulting sorted set in a new key",
    complexity: "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
    keySpecs: [{ flags: ["OW", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }, { flags: ["RO", "access"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "keynum", keyNumIndex: 0, firstKey: 1, keyStep: 1 } }],
    arguments: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 1, flags: ["multiple"] },
      { name: "weight", type: "integer", token: "WEIGHTS", flags: ["optional", "multiple"] },
      { name: "aggregate", type: "oneof", token: "AGGREGATE", flags: ["optional"], arguments: [
        { name: "sum", type: "pure-token", token: "SUM" },
        { name: "min", type: "pure-token", token: "MIN" },
        { name: "max", type: "pure-token", token: "MAX" },
      ] },
    ],
    handler: zunionstoreCommand,
  },
];
