import { CommandError, Errors } from "../errors.js";
import type { SetValue } from "../keyspace/types/set.js";
import type { SortedSetValue } from "../keyspace/types/zset.js";
import type { Value } from "../keyspace/value.js";

/**
 * An input of ZUNION, ZINTER, ZDIFF, ZINTERCARD and their STORE forms.
 * Redis accepts plain sets there too, every member scoring 1, and a missing
 * key is an empty input.
 */
export interface SetOperand {
  readonly length: number;
  /** WEIGHTS; 1 unless given. */
  weight: number;
  /** Members with their scores (a sorted set in order; a set in its own order). */
  entries(): Iterable<[string, number]>;
  /** The member's score, undefined when absent. */
  score(member: string): number | undefined;
}

const EMPTY: readonly [string, number][] = [];

/** Wraps a looked-up value as an operand; WRONGTYPE for anything but a sorted set or a set. */
export function setOperand(value: Value | undefined): SetOperand {
  if (value === undefined) return { length: 0, weight: 1, entries: () => EMPTY, score: () => undefined };
  if (typeof value === "string" || (value.type !== "zset" && value.type !== "set")) throw new CommandError(Errors.wrongType);
  if (value.type === "zset") {
    const zset = value as SortedSetValue;
    return { length: zset.length, weight: 1, entries: () => zset.entries(), score: (member) => zset.score(member) };
  }
  const set = value as SetValue;
  return {
    length: set.length,
    weight: 1,
    entries: () => scoredOne(set.values()),
    score: (member) => (set.has(member) ? 1 : undefined),
  };
}

function* scoredOne(members: Iterable<string>): IterableIterator<[string, number]> {
  for (const member of members) yield [member, 1];
}
