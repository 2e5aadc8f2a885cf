import { assert } from "../../assert.js";
import type { Random } from "../../random.js";
import { IndexedMap } from "../indexed-map.js";
import { MemoryCost, type Ledger } from "../ledger.js";
import type { Aggregate } from "../value.js";

/**
 * A sorted set: members (binary-safe one-byte strings) ordered by a double
 * score, ties broken by member bytes, exactly as Redis orders them.
 *
 * Two structures share the members, as Redis's `zset` pairs a dict with a
 * skiplist:
 *  - `dict`, an IndexedMap member -> score, gives O(1) ZSCORE, random members
 *    (ZRANDMEMBER) and a SCAN cursor (ZSCAN);
 *  - an ordered index of small sorted leaves (scores in packed double
 *    arrays beside their members) with a Fenwick tree of leaf sizes gives
 *    O(log n) search, rank, "entry at rank" and "first entry in range",
 *    which every range command is built on; an insert or delete shifts one
 *    leaf of at most 128 entries, and the O(n/64) rebuild of the Fenwick
 *    tree happens only when a leaf splits, merges or goes. It does what
 *    Redis's skiplist does with far fewer pointer hops, which is what costs
 *    most in V8 (a skiplist here ran about five times slower on ZADD).
 *
 * Redis keeps small sorted sets in a listpack and converts them to a skiplist
 * once they grow past `zset-max-listpack-entries` members or a member longer
 * than `zset-max-listpack-value` bytes arrives; it never converts back except
 * for the results of the *STORE commands. shardline always uses the index
 * above but tracks the encoding Redis would have, because clients can see it:
 * OBJECT ENCODING, ZSCAN (a listpack set is returned whole, in order, with
 * scores printed from their listpack text), lexicographic ranges over
 * members with mixed scores (a listpack is scanned linearly), and negative
 * zero (a listpack stores the score as text and reads -0 back as 0).
 */
export type SortedSetEncoding = "listpack" | "skiplist";

/** The configuration that decides the encoding (`zset-max-listpack-*`). */
export interface ListpackLimits {
  entriesMax: number;
  valueBytesMax: number;
}

/** ZADD's input flags (Redis's ZADD_IN_*), combinable. */
export const ZaddFlag = {
  none: 0,
  nx: 1,
  xx: 2,
  gt: 4,
  lt: 8,
  incr: 16,
} as const;

/** What one ZADD element did (Redis's ZADD_OUT_*). */
export const ZaddOutcome = {
  added: 0,
  updated: 1,
  /** The member existed and kept its score (same score, or an increment of 0). */
  unchanged: 2,
  /** Skipped by NX, XX, GT or LT. */
  skipped: 3,
  /** The (incremented) score would be NaN: nothing changed. */
  notANumber: 4,
} as const;
export type ZaddOutcome = (typeof ZaddOutcome)[keyof typeof ZaddOutcome];

/** A score interval, as ZRANGEBYSCORE parses it (`(` makes a bound exclusive). */
export interface ScoreRange {
  min: number;
  max: number;
  minExclusive: boolean;
  maxExclusive: boolean;
}

/**
 * One end of a lexicographic interval: `-` (below everything), `+` (above
 * everything), or a member with `[` (inclusive) or `(` (exclusive).
 */
export interface LexBound {
  /** -1 for `-`, 1 for `+`, 0 for a member value. */
  infinity: -1 | 0 | 1;
  value: string;
  exclusive: boolean;
}

export interface LexRange {
  min: LexBound;
  max: LexBound;
}

/**
 * Entries per leaf of the ordered index: a leaf splits in two past this,
 * and one that falls below a quarter of it merges with a neighbour that has
 * room. Leaves are small enough to shift on insert and large enough that a
 * million members make only some ten thousand leaves. (Tests pass a tiny
 * capacity to exercise splits and merges.)
 */
export const LEAF_ENTRIES_MAX = 128;

/** A run of entries in order: scores (unboxed doubles in a packed array) and members side by side. */
interface Leaf {
  scores: number[];
  members: string[];
}

function lessThan(scoreA: number, memberA: string, scoreB: number, memberB: string): boolean {
  return scoreA < scoreB || (scoreA === scoreB && memberA < memberB);
}

/**
 * Entries per leaf as a Fenwick tree, so the rank of a leaf's first entry
 * and the leaf holding a given rank are O(log leaves). Rebuilt (O(leaves))
 * only when leaves split, merge or go.
 */
class LeafCounts {
  private tree = new Int32Array(1);
  private leafCount = 0;
  private topBit = 0;

  rebuild(leaves: readonly Leaf[]): void {
    this.leafCount = leaves.length;
    // Sized with room to grow, and given back when the set has shrunk to a quarter.
    const needed = leaves.length + 1;
    if (this.tree.length < needed || (this.tree.length > 64 && this.tree.length > needed * 4)) this.tree = new Int32Array(Math.max(16, needed * 2));
    const tree = this.tree;
    tree.fill(0, 0, leaves.length + 1);
    for (let i = 1; i <= leaves.length; i++) {
      tree[i]! += leaves[i - 1]!.scores.length;
      const parent = i + (i & -i);
      if (parent <= leaves.length) tree[parent]! += tree[i]!;
    }
    this.topBit = 1;
    while (this.topBit * 2 <= leaves.length) this.topBit *= 2;
  }

  add(leaf: number, delta: number): void {
    for (let i = leaf + 1; i <= this.leafCount; i += i & -i) this.tree[i]! += delta;
  }

  /** Entries in the leaves before `leaf`: the rank of its first entry. */
  before(leaf: number): number {
    let sum = 0;
    for (let i = leaf; i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }

  /** The leaf holding `rank` (which must exist) and the rank of that leaf's first entry. */
  find(rank: number): [leaf: number, first: number] {
    let position = 0;
    let remaining = rank;
    for (let bit = this.topBit; bit > 0; bit >>= 1) {
      const next = position + bit;
      if (next <= this.leafCount && this.tree[next]! <= remaining) {
        position = next;
        remaining -= this.tree[next]!;
      }
    }
    return [position, rank - remaining];
  }
}

export function scoreGteMin(score: number, range: ScoreRange): boolean {
  return range.minExclusive ? score > range.min : score >= range.min;
}

export function scoreLteMax(score: number, range: ScoreRange): boolean {
  return range.maxExclusive ? score < range.max : score <= range.max;
}

/** Whether no score can satisfy the range (Redis checks this before any search). */
export function scoreRangeEmpty(range: ScoreRange): boolean {
  return range.min > range.max || (range.min === range.max && (range.minExclusive || range.maxExclusive));
}

/** Redis's sdscmplex: a member against a bound, where `-` and `+` are below and above everything. */
function compareLex(member: string, bound: LexBound): number {
  if (bound.infinity !== 0) return -bound.infinity;
  return member < bound.value ? -1 : member > bound.value ? 1 : 0;
}

function compareBounds(a: LexBound, b: LexBound): number {
  if (a.infinity !== 0 || b.infinity !== 0) {
    if (a.infinity === b.infinity) return 0;
    return a.infinity === -1 || b.infinity === 1 ? -1 : 1;
  }
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

export function lexGteMin(member: string, range: LexRange): boolean {
  const cmp = compareLex(member, range.min);
  return range.min.exclusive ? cmp > 0 : cmp >= 0;
}

export function lexLteMax(member: string, range: LexRange): boolean {
  const cmp = compareLex(member, range.max);
  return range.max.exclusive ? cmp < 0 : cmp <= 0;
}

export function lexRangeEmpty(range: LexRange): boolean {
  const cmp = compareBounds(range.min, range.max);
  return cmp > 0 || (cmp === 0 && (range.min.exclusive || range.max.exclusive));
}

/**
 * The text a listpack stores for a score (Redis's d2string): an integer when
 * the double is one within ±2^62, otherwise `%.17g`. ZSCAN of a
 * listpack-encoded set returns this text; reading it back turns -0 into 0.
 */
export function listpackScoreText(score: number, formatDouble: (value: number) => string): string {
  if (Number.isInteger(score) && Math.abs(score) <= 4611686018427387904) {
    if (score === 0) return "0";
    // Past 2^53 JavaScript prints the shortest round-trip digits; C prints the exact integer.
    return Math.abs(score) < 2 ** 53 ? String(score) : BigInt(score).toString();
  }
  return formatDouble(score);
}

/** The score a listpack gives back after storing `score` as text. */
function listpackRoundTrip(score: number): number {
  return score === 0 ? 0 : score;
}

export class SortedSetValue implements Aggregate {
  readonly type = "zset" as const;
  ledger: Ledger | undefined = undefined;
  bytes = MemoryCost.aggregateBytes;
  encoding: SortedSetEncoding;
  /** member -> score. */
  private readonly dict = new IndexedMap<number>();
  /** The ordered index: leaves in order, none empty (no leaves when the set is empty). */
  private leaves: Leaf[] = [];
  private readonly counts = new LeafCounts();
  /** The score the last add() left the member with (Redis's `newscore`). */
  resultScore = 0;

  /** A leaf with fewer entries than this merges with a neighbour when they fit in one. */
  private readonly leafEntriesLow: number;

  constructor(
    encoding: SortedSetEncoding = "listpack",
    private readonly leafEntriesMax: number = LEAF_ENTRIES_MAX,
  ) {
    assert(leafEntriesMax >= 4 && leafEntriesMax % 4 === 0, "leaf capacity is a multiple of 4");
    this.encoding = encoding;
    this.leafEntriesLow = leafEntriesMax / 4;
  }

  /**
   * A new, empty set for a key ZADD is about to create: Redis picks the
   * listpack unless listpacks are disabled or the first member is already
   * too long for one.
   */
  static forFirstMember(firstMember: string, limits: ListpackLimits): SortedSetValue {
    const fits = limits.entriesMax > 0 && firstMember.length <= limits.valueBytesMax;
    return new SortedSetValue(fits ? "listpack" : "skiplist");
  }

  /** A new, empty set that will receive about `length` members (ZRANGESTORE's destination). */
  static forLength(length: number, limits: ListpackLimits): SortedSetValue {
    return new SortedSetValue(length > limits.entriesMax ? "skiplist" : "listpack");
  }

  get length(): number {
    return this.dict.size;
  }

  score(member: string): number | undefined {
    return this.dict.get(member);
  }

  has(member: string): boolean {
    return this.dict.has(member);
  }

  // ------------------------------------------------------------ mutations

  /**
   * ZADD for one member (Redis's zsetAdd): applies NX/XX/GT/LT/INCR and
   * reports what happened. `resultScore` holds the member's score afterwards
   * when the outcome is added, updated or unchanged.
   */
  add(member: string, score: number, flags: number, limits: ListpackLimits): ZaddOutcome {
    if (Number.isNaN(score)) return ZaddOutcome.notANumber;
    const current = this.dict.get(member);
    if (current === undefined) {
      if ((flags & ZaddFlag.xx) !== 0) return ZaddOutcome.skipped;
      this.insertNew(member, score, limits);
      this.resultScore = score;
      return ZaddOutcome.added;
    }
    if ((flags & ZaddFlag.nx) !== 0) return ZaddOutcome.skipped;
    let next = score;
    if ((flags & ZaddFlag.incr) !== 0) {
      next += current;
      if (Number.isNaN(next)) return ZaddOutcome.notANumber;
    }
    if (((flags & ZaddFlag.lt) !== 0 && next >= current) || ((flags & ZaddFlag.gt) !== 0 && next <= current)) {
      return ZaddOutcome.skipped;
    }
    this.resultScore = next;
    if (next === current) return ZaddOutcome.unchanged;
    const stored = this.encoding === "listpack" ? listpackRoundTrip(next) : next;
    this.dict.set(member, stored);
    this.removeEntry(current, member);
    this.insertEntry(stored, member);
    this.ledger?.record(0);
    return ZaddOutcome.updated;
  }

  /**
   * Adds a member known to be absent, converting to the skiplist encoding
   * first when the listpack would outgrow its limits (as Redis does).
   */
  insertNew(member: string, score: number, limits: ListpackLimits): void {
    assert(!this.dict.has(member), "insertNew: member already present");
    if (this.encoding === "listpack") {
      if (this.dict.size + 1 > limits.entriesMax || member.length > limits.valueBytesMax) this.encoding = "skiplist";
      else score = listpackRoundTrip(score);
    }
    this.dict.set(member, score);
    this.insertEntry(score, member);
    const delta = entryBytes(member);
    this.bytes += delta;
    this.ledger?.record(delta);
  }

  /** Removes a member; returns whether it was there. */
  remove(member: string): boolean {
    const score = this.dict.get(member);
    if (score === undefined) return false;
    this.dict.delete(member);
    this.removeEntry(score, member);
    this.recordRemovals(1, -entryBytes(member));
    return true;
  }

  /** Removes and returns the lowest (or highest, `fromEnd`) member; the set must not be empty. */
  pop(fromEnd: boolean): [member: string, score: number] {
    assert(this.length > 0, "pop: empty sorted set");
    const entry = this.entryAtRank(fromEnd ? this.length - 1 : 0);
    this.remove(entry[0]);
    return entry;
  }

  /** Removes members in the score range (ZREMRANGEBYSCORE); returns how many. */
  removeRangeByScore(range: ScoreRange): number {
    const first = this.firstRankInScoreRange(range);
    if (first < 0) return 0;
    return this.removeRanks(first, this.lastRankInScoreRange(range));
  }

  /**
   * Removes members in the lexicographic range (ZREMRANGEBYLEX); returns how
   * many. Like Redis, a listpack starts from its first member in range
   * (after checking the range can match at all) and a skiplist from where a
   * search for the lower bound lands; they differ only for mixed scores.
   */
  removeRangeByLex(range: LexRange): number {
    const first = this.encoding === "listpack" ? this.firstRankInLexRange(range) : this.searchRank((_, member) => lexGteMin(member, range));
    if (first < 0 || first >= this.length) return 0;
    let count = 0;
    this.walk(first, false, (member) => lexLteMax(member, range) && ++count > 0);
    return count === 0 ? 0 : this.removeRanks(first, first + count - 1);
  }

  /** Removes members with 0-based ranks start..end inclusive (both already clamped); returns how many. */
  removeRangeByRank(start: number, end: number): number {
    assert(start >= 0 && start <= end && end < this.length, "removeRangeByRank: ranks out of range");
    return this.removeRanks(start, end);
  }

  /**
   * Converts to the listpack encoding when the set fits one, as Redis does
   * for the destination of ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE. Scores
   * go through the listpack's text, so -0 becomes 0.
   */
  convertToListpackIfFits(limits: ListpackLimits): void {
    if (this.encoding === "listpack" || this.length > limits.entriesMax) return;
    for (const leaf of this.leaves) for (const member of leaf.members) if (member.length > limits.valueBytesMax) return;
    this.encoding = "listpack";
    for (const leaf of this.leaves) {
      for (let i = 0; i < leaf.scores.length; i++) {
        if (!Object.is(leaf.scores[i], -0)) continue;
        leaf.scores[i] = 0;
        this.dict.set(leaf.members[i]!, 0);
      }
    }
  }

  // ------------------------------------------------------------ queries

  /** 0-based rank of `member` counting from the lowest (or highest, `reverse`), undefined when absent. */
  rankOf(member: string, reverse: boolean): number | undefined {
    const score = this.dict.get(member);
    if (score === undefined) return undefined;
    const [leafIndex, offset] = this.position(score, member);
    assert(this.leaves[leafIndex]?.members[offset] === member, "rankOf: member in dict but not in the index");
    const rank = this.counts.before(leafIndex) + offset;
    return reverse ? this.length - 1 - rank : rank;
  }

  /** The member and score at 0-based `rank` from the lowest; the rank must exist. */
  entryAtRank(rank: number): [member: string, score: number] {
    assert(rank >= 0 && rank < this.length, "entryAtRank: rank out of range");
    const [leafIndex, first] = this.counts.find(rank);
    const leaf = this.leaves[leafIndex]!;
    return [leaf.members[rank - first]!, leaf.scores[rank - first]!];
  }

  /**
   * Visits entries from `rank` towards the end (or the start, `reverse`)
   * while `visit` returns true.
   */
  walk(rank: number, reverse: boolean, visit: (member: string, score: number) => boolean): void {
    if (rank < 0 || rank >= this.length) return;
    const [startLeaf, startLeafRank] = this.counts.find(rank);
    let leafIndex = startLeaf;
    let offset = rank - startLeafRank;
    while (leafIndex >= 0 && leafIndex < this.leaves.length) {
      const { members, scores } = this.leaves[leafIndex]!;
      if (reverse) {
        for (; offset >= 0; offset--) if (!visit(members[offset]!, scores[offset]!)) return;
        leafIndex--;
        offset = leafIndex >= 0 ? this.leaves[leafIndex]!.members.length - 1 : 0;
      } else {
        for (; offset < members.length; offset++) if (!visit(members[offset]!, scores[offset]!)) return;
        leafIndex++;
        offset = 0;
      }
    }
  }

  /** Rank of the first member whose score is in the range, -1 when none. */
  firstRankInScoreRange(range: ScoreRange): number {
    if (!this.mayHaveScoreRange(range)) return -1;
    const rank = this.searchRank((score) => scoreGteMin(score, range));
    return rank < this.length && scoreLteMax(this.entryAtRank(rank)[1], range) ? rank : -1;
  }

  /** Rank of the last member whose score is in the range, -1 when none. */
  lastRankInScoreRange(range: ScoreRange): number {
    if (!this.mayHaveScoreRange(range)) return -1;
    const rank = this.searchRank((score) => !scoreLteMax(score, range)) - 1;
    return rank >= 0 && scoreGteMin(this.entryAtRank(rank)[1], range) ? rank : -1;
  }

  /** Members whose score lies in the range (ZCOUNT). */
  countInScoreRange(range: ScoreRange): number {
    const first = this.firstRankInScoreRange(range);
    return first < 0 ? 0 : this.lastRankInScoreRange(range) - first + 1;
  }

  /**
   * The rank of the first member in a lexicographic range, -1 when none.
   * Members are only ordered by bytes among equal scores; with mixed scores
   * Redis's answer depends on the encoding (a listpack is scanned from its
   * head, a skiplist searched), and so does this one.
   */
  firstRankInLexRange(range: LexRange): number {
    if (!this.mayHaveLexRange(range)) return -1;
    let rank: number;
    if (this.encoding === "listpack") {
      rank = 0;
      this.walk(0, false, (member) => !lexGteMin(member, range) && ++rank > 0);
    } else {
      rank = this.searchRank((_, member) => lexGteMin(member, range));
    }
    return rank < this.length && lexLteMax(this.entryAtRank(rank)[0], range) ? rank : -1;
  }

  /** The rank of the last member in a lexicographic range, -1 when none. */
  lastRankInLexRange(range: LexRange): number {
    if (!this.mayHaveLexRange(range)) return -1;
    let rank: number;
    if (this.encoding === "listpack") {
      rank = this.length - 1;
      this.walk(rank, true, (member) => !lexLteMax(member, range) && --rank >= 0);
    } else {
      rank = this.searchRank((_, member) => !lexLteMax(member, range)) - 1;
    }
    return rank >= 0 && lexGteMin(this.entryAtRank(rank)[0], range) ? rank : -1;
  }

  /**
   * Members in a lexicographic range (ZLEXCOUNT): a listpack counts forward
   * from the first member in range; a skiplist subtracts ranks, counting to
   * the end when no last member is found (possible only with mixed scores).
   */
  countInLexRange(range: LexRange): number {
    const first = this.firstRankInLexRange(range);
    if (first < 0) return 0;
    if (this.encoding === "listpack") {
      let count = 0;
      this.walk(first, false, (member) => lexLteMax(member, range) && ++count > 0);
      return count;
    }
    const last = this.lastRankInLexRange(range);
    return (last < 0 ? this.length - 1 : last) - first + 1;
  }

  /** A uniformly chosen member and its score; the set must not be empty. */
  randomEntry(random: Random): [member: string, score: number] {
    const index = this.dict.randomIndex(random);
    assert(index >= 0, "randomEntry: empty sorted set");
    return [this.dict.keyAt(index), this.dict.valueAt(index)];
  }

  /** The member and score at a dictionary index in [0, length): for sampling without repetition. */
  entryAt(index: number): [member: string, score: number] {
    assert(index >= 0 && index < this.dict.size, "entryAt: index out of range");
    return [this.dict.keyAt(index), this.dict.valueAt(index)];
  }

  /** Visits up to `count` members below `cursor` in dict order (ZSCAN of a skiplist-encoded set). */
  scan(cursor: number, count: number, visit: (member: string, score: number) => void): number {
    return this.dict.scan(cursor, count, visit);
  }

  /** Members with scores in ascending order. */
  *entries(): IterableIterator<[string, number]> {
    for (const { members, scores } of this.leaves) {
      for (let i = 0; i < members.length; i++) yield [members[i]!, scores[i]!];
    }
  }

  clone(): SortedSetValue {
    const copy = new SortedSetValue(this.encoding, this.leafEntriesMax);
    for (const [member, score] of this.dict.entries()) copy.dict.set(member, score);
    copy.leaves = this.leaves.map((leaf) => ({ scores: leaf.scores.slice(), members: leaf.members.slice() }));
    copy.counts.rebuild(copy.leaves);
    copy.bytes = this.bytes;
    return copy;
  }

  /**
   * Recounts `bytes` from the members, for tests that check the running
   * figure, and checks every invariant of the index on the way: leaves in
   * order and within bounds, counts right, and the dictionary in agreement.
   */
  measureBytes(): number {
    let bytes = MemoryCost.aggregateBytes;
    let entries = 0;
    let previous: [string, number] | undefined;
    this.leaves.forEach((leaf, index) => {
      assert(leaf.scores.length === leaf.members.length && leaf.members.length > 0, "measureBytes: malformed leaf");
      assert(leaf.members.length <= this.leafEntriesMax, "measureBytes: oversized leaf");
      assert(this.counts.before(index) === entries, "measureBytes: leaf counts disagree");
      for (let i = 0; i < leaf.members.length; i++) {
        const member = leaf.members[i]!;
        const score = leaf.scores[i]!;
        assert(Object.is(this.dict.get(member), score), "measureBytes: index and dict disagree");
        assert(previous === undefined || lessThan(previous[1], previous[0], score, member), "measureBytes: entries out of order");
        previous = [member, score];
        bytes += entryBytes(member);
        entries++;
      }
    });
    assert(entries === this.dict.size, "measureBytes: member counts disagree");
    return bytes;
  }

  // ------------------------------------------------------------ the ordered index

  /** Whether the set's extremes allow any member in the range (Redis's zslIsInRange). */
  private mayHaveScoreRange(range: ScoreRange): boolean {
    const first = this.leaves[0];
    const last = this.leaves[this.leaves.length - 1];
    if (scoreRangeEmpty(range) || first === undefined || last === undefined) return false;
    return scoreGteMin(last.scores[last.scores.length - 1]!, range) && scoreLteMax(first.scores[0]!, range);
  }

  private mayHaveLexRange(range: LexRange): boolean {
    const first = this.leaves[0];
    const last = this.leaves[this.leaves.length - 1];
    if (lexRangeEmpty(range) || first === undefined || last === undefined) return false;
    return lexGteMin(last.members[last.members.length - 1]!, range) && lexLteMax(first.members[0]!, range);
  }

  /**
   * The first rank whose entry satisfies `reached` (a predicate false then
   * true along the order), or `length` when none does: a binary search over
   * the leaves' last entries, then within the leaf.
   */
  private searchRank(reached: (score: number, member: string) => boolean): number {
    const leaves = this.leaves;
    let low = 0;
    let high = leaves.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const leaf = leaves[middle]!;
      const last = leaf.members.length - 1;
      if (reached(leaf.scores[last]!, leaf.members[last]!)) high = middle;
      else low = middle + 1;
    }
    if (low === leaves.length) return this.length;
    const { scores, members } = leaves[low]!;
    let from = 0;
    let to = members.length - 1;
    while (from < to) {
      const middle = (from + to) >>> 1;
      if (reached(scores[middle]!, members[middle]!)) to = middle;
      else from = middle + 1;
    }
    return this.counts.before(low) + from;
  }

  /**
   * Where (score, member) is or would go: the leaf and the offset in it. The
   * comparisons are written out rather than passed as a predicate because
   * this is the path of every ZADD and ZREM.
   */
  private position(score: number, member: string): [leaf: number, offset: number] {
    const leaves = this.leaves;
    let low = 0;
    let high = leaves.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const leaf = leaves[middle]!;
      const last = leaf.members.length - 1;
      if (lessThan(leaf.scores[last]!, leaf.members[last]!, score, member)) low = middle + 1;
      else high = middle;
    }
    const leaf = leaves[low];
    if (leaf === undefined) return [0, 0];
    const { scores, members } = leaf;
    let from = 0;
    let to = members.length;
    while (from < to) {
      const middle = (from + to) >>> 1;
      if (lessThan(scores[middle]!, members[middle]!, score, member)) from = middle + 1;
      else to = middle;
    }
    return [low, from];
  }

  private insertEntry(score: number, member: string): void {
    if (this.leaves.length === 0) {
      this.leaves.push({ scores: [score], members: [member] });
      this.counts.rebuild(this.leaves);
      return;
    }
    const [leafIndex, offset] = this.position(score, member);
    const leaf = this.leaves[leafIndex]!;
    leaf.scores.splice(offset, 0, score);
    leaf.members.splice(offset, 0, member);
    if (leaf.members.length <= this.leafEntriesMax) {
      this.counts.add(leafIndex, 1);
      return;
    }
    const half = leaf.members.length >>> 1;
    this.leaves.splice(leafIndex + 1, 0, { scores: leaf.scores.splice(half), members: leaf.members.splice(half) });
    this.counts.rebuild(this.leaves);
  }

  /** Unlinks the entry holding exactly (score, member), which must exist. */
  private removeEntry(score: number, member: string): void {
    const [leafIndex, offset] = this.position(score, member);
    const leaf = this.leaves[leafIndex]!;
    assert(leaf.members[offset] === member, "removeEntry: member not in the index");
    leaf.scores.splice(offset, 1);
    leaf.members.splice(offset, 1);
    if (!this.rebalance(leafIndex)) this.counts.add(leafIndex, -1);
  }

  /**
   * After removals from a leaf: drops it when empty, or merges it with a
   * neighbour when it is small and they fit in one leaf. Returns whether the
   * leaves changed (the counts were then rebuilt).
   */
  private rebalance(leafIndex: number): boolean {
    const leaf = this.leaves[leafIndex]!;
    if (leaf.members.length === 0) this.leaves.splice(leafIndex, 1);
    else if (leaf.members.length >= this.leafEntriesLow || !this.mergeWithNeighbour(leafIndex)) return false;
    this.counts.rebuild(this.leaves);
    return true;
  }

  private mergeWithNeighbour(leafIndex: number): boolean {
    for (const left of [leafIndex - 1, leafIndex]) {
      const a = this.leaves[left];
      const b = this.leaves[left + 1];
      if (a === undefined || b === undefined || a.members.length + b.members.length > this.leafEntriesMax) continue;
      a.scores.push(...b.scores);
      a.members.push(...b.members);
      this.leaves.splice(left + 1, 1);
      return true;
    }
    return false;
  }

  /**
   * Removes the entries with ranks first..last inclusive from the index and
   * the dict; returns how many. A few go one by one (keeping the counts
   * incremental); a longer run is cut out of its leaves at once, emptied
   * leaves dropped and the small leaf left at the cut merged.
   */
  private removeRanks(first: number, last: number): number {
    const removed = last - first + 1;
    let delta = 0;
    if (removed <= this.leafEntriesLow) {
      for (let i = 0; i < removed; i++) {
        const [member, score] = this.entryAtRank(first);
        this.dict.delete(member);
        this.removeEntry(score, member);
        delta -= entryBytes(member);
      }
      this.recordRemovals(removed, delta);
      return removed;
    }
    const [firstLeaf, leafFirstRank] = this.counts.find(first);
    let leafIndex = firstLeaf;
    let offset = first - leafFirstRank;
    for (let left = removed; left > 0; leafIndex++, offset = 0) {
      const leaf = this.leaves[leafIndex]!;
      const take = Math.min(left, leaf.members.length - offset);
      for (let i = offset; i < offset + take; i++) {
        this.dict.delete(leaf.members[i]!);
        delta -= entryBytes(leaf.members[i]!);
      }
      leaf.scores.splice(offset, take);
      leaf.members.splice(offset, take);
      left -= take;
    }
    this.leaves = this.leaves.filter((leaf) => leaf.members.length > 0);
    const cut = this.leaves[Math.min(firstLeaf, this.leaves.length - 1)];
    if (cut !== undefined && cut.members.length < this.leafEntriesLow) this.mergeWithNeighbour(Math.min(firstLeaf, this.leaves.length - 1));
    this.counts.rebuild(this.leaves);
    this.recordRemovals(removed, delta);
    return removed;
  }

  /** Reports removals to the ledger: one change per member, as Redis counts dirty keys per element. */
  private recordRemovals(removed: number, deltaBytes: number): void {
    this.bytes += deltaBytes;
    if (this.ledger === undefined) return;
    this.ledger.record(deltaBytes);
    for (let i = 1; i < removed; i++) this.ledger.record(0);
  }
}

/** Bytes one member costs: its index entry, its dict entry and the member string they share. */
export function entryBytes(member: string): number {
  return MemoryCost.sortedSetEntryBytes + MemoryCost.mapEntryBytes + MemoryCost.stringBytes(member);
}
