import type { Operation } from "../model/history.js";
import type { BadRead, ReadsResult } from "../model/report.js";
import { shown, sinceStart } from "./format.js";
import { lastCompletedOkSetBefore, latestInvokedOkSetBefore, registerHistories, type RegisterHistory } from "./registers.js";

/** Bad reads the result lists by name, at most. */
export const BAD_READ_EXAMPLES_MAX = 20;

interface Verdict {
  kind: "impossible" | "stale";
  why: string;
}

/**
 * Reads: every GET that returned (outcome ok), judged against the SETs to
 * its key in real time.
 *
 * Impossible: the value was never written by any SET to that key, whatever
 * the SET's outcome (ok, fail or unknown: a write that may have applied may
 * be read), or its SET was invoked only after the read had completed (a
 * read from the future). Null is never impossible: before the first write
 * the key is absent.
 *
 * Stale: the read returned null or the value v of SET w_v, while some ok SET
 * w to the key completed before the read was invoked, and either the read
 * was null or w_v definitely precedes w (ok, completed before w was
 * invoked). Then w had replaced v before the read began, and a
 * linearizable register could not have returned v. A value whose SET is
 * unknown or failed never definitely precedes anything, so it is never
 * stale. An impossible read is not also counted stale.
 *
 * Cost: one index per key, then a binary search per read (the ok SETs by
 * completion time, with the latest invocation among each prefix), so
 * O(n log n) over the history.
 */
export function reads(operations: readonly Operation[], startMs: number | undefined): ReadsResult {
  const result: ReadsResult = { reads: 0, stale: 0, impossible: 0, examples: [] };
  const stale: BadRead[] = [];
  const impossible: BadRead[] = [];
  for (const history of registerHistories(operations).values()) {
    for (const read of history.okGets) {
      result.reads += 1;
      const verdict = judgeRead(history, read, startMs);
      if (verdict === undefined) continue;
      result[verdict.kind] += 1;
      const badRead: BadRead = { key: read.key, readAtMs: read.invokeMs, value: typeof read.result === "number" ? String(read.result) : (read.result ?? null), why: verdict.why, kind: verdict.kind };
      (verdict.kind === "impossible" ? impossible : stale).push(badRead);
    }
  }
  result.examples = examples(impossible, stale);
  return result;
}

/** The earliest of each kind, impossible ones first, each kind given at least half the room when both are there. */
function examples(impossible: BadRead[], stale: BadRead[]): BadRead[] {
  const byTime = (a: BadRead, b: BadRead) => a.readAtMs - b.readAtMs;
  impossible.sort(byTime);
  stale.sort(byTime);
  const half = BAD_READ_EXAMPLES_MAX / 2;
  const impossibleShown = Math.max(half, BAD_READ_EXAMPLES_MAX - stale.length);
  const first = impossible.slice(0, impossibleShown);
  return [...first, ...stale.slice(0, BAD_READ_EXAMPLES_MAX - first.length)];
}

/** Whether one read is impossible, stale, or fine (undefined), and why, in words. */
function judgeRead(history: RegisterHistory, read: Operation, startMs: number | undefined): Verdict | undefined {
  const at = (timeMs: number) => sinceStart(timeMs, startMs);
  const value = read.result;
  if (value === null || value === undefined) {
    const overwritten = lastCompletedOkSetBefore(history, read.invokeMs);
    if (overwritten === undefined) return undefined;
    return { kind: "stale", why: `read null, but ${overwritten.written} was acknowledged at ${at(overwritten.completeMs!)}, before the read began` };
  }
  if (typeof value !== "string") return { kind: "impossible", why: `read ${shown(value)}, but the key only ever takes SETs of strings` };
  const writer = history.setsByValue.get(value);
  if (writer === undefined) return { kind: "impossible", why: `read ${value}, a value no SET to ${history.key} ever wrote` };
  if (read.completeMs !== undefined && writer.invokeMs > read.completeMs) {
    return { kind: "impossible", why: `read ${value} before it was written: its SET began at ${at(writer.invokeMs)}, after the read had returned` };
  }
  if (writer.outcome !== "ok") return undefined;
  const overwriter = latestInvokedOkSetBefore(history, read.invokeMs);
  if (overwriter === undefined || overwriter.invokeMs <= writer.completeMs!) return undefined;
  return {
    kind: "stale",
    why: `read ${value} (acknowledged at ${at(writer.completeMs!)}), but ${overwriter.written} replaced it, acknowledged at ${at(overwriter.completeMs!)}, before the read began`,
  };
}
