import type { CompleteEntry, FaultEntry, HistoryEntry, InvokeEntry } from "../model/history.js";

/**
 * The most history entries one run keeps. An entry takes about 150 bytes of
 * heap, so the bound holds a history near 300 MB: a million operations, over
 * eight minutes at the default 2000 operations per second, longer than any
 * scenario the runner is meant for.
 */
export const HISTORY_ENTRIES_MAX = 2_000_000;

/** The window of `completedLastSecond`, kept as ten buckets of 100 ms. */
const RATE_BUCKET_MS = 100;
const RATE_BUCKETS = 10;

/** Counters for the progress line; each read is a handful of additions. */
export interface HistoryCounters {
  invoked: number;
  completed: number;
  ok: number;
  failed: number;
  unknown: number;
  /** Invoked and not completed yet. */
  open: number;
  /** Operations completed (whatever the outcome) in the second before `nowMs`. */
  completedLastSecond: number;
}

/**
 * Appends the history of a run in order, within a bound. Every invocation
 * reserves room for its completion, so the recorded history stays whole
 * when the bound is reached: from then on `invoke` refuses (the workload
 * stops issuing operations, since an unrecorded write would make later
 * reads look impossible) and `truncated` is set; the runner turns that into
 * an undecided verdict.
 */
export class HistoryRecorder {
  private readonly recorded: HistoryEntry[] = [];
  private readonly openIds = new Set<number>();
  private readonly bucketIds = new Array<number>(RATE_BUCKETS).fill(-1);
  private readonly bucketCounts = new Array<number>(RATE_BUCKETS).fill(0);
  private invokedCount = 0;
  private okCount = 0;
  private failedCount = 0;
  private unknownCount = 0;
  private truncatedFlag = false;

  constructor(readonly entriesMax: number = HISTORY_ENTRIES_MAX) {
    if (!(entriesMax >= 2)) throw new Error(`a history needs room for at least one operation (entriesMax ${entriesMax})`);
  }

  /** True once an entry was refused because the bound was reached. */
  get truncated(): boolean {
    return this.truncatedFlag;
  }

  /** Records an invocation; false (and truncated) when there is no room for it and its completion. */
  invoke(entry: InvokeEntry): boolean {
    if (this.openIds.has(entry.id)) throw new Error(`operation ${entry.id} was invoked twice`);
    if (this.recorded.length + this.openIds.size + 2 > this.entriesMax) {
      this.truncatedFlag = true;
      return false;
    }
    this.recorded.push(entry);
    this.openIds.add(entry.id);
    this.invokedCount++;
    return true;
  }

  /** Records the one completion of an open invocation; room for it was reserved by `invoke`. */
  complete(entry: CompleteEntry): void {
    if (!this.openIds.delete(entry.id)) throw new Error(`operation ${entry.id} completed without an open invocation (or twice)`);
    this.recorded.push(entry);
    if (entry.type === "ok") this.okCount++;
    else if (entry.type === "fail") this.failedCount++;
    else this.unknownCount++;
    this.countCompletion(entry.timeMs);
  }

  /** Records a fault; false (and truncated) when the bound leaves no room beside the open operations. */
  fault(entry: FaultEntry): boolean {
    if (this.recorded.length + this.openIds.size + 1 > this.entriesMax) {
      this.truncatedFlag = true;
      return false;
    }
    this.recorded.push(entry);
    return true;
  }

  entries(): readonly HistoryEntry[] {
    return this.recorded;
  }

  counters(nowMs: number): HistoryCounters {
    const completed = this.okCount + this.failedCount + this.unknownCount;
    return {
      invoked: this.invokedCount,
      completed,
      ok: this.okCount,
      failed: this.failedCount,
      unknown: this.unknownCount,
      open: this.openIds.size,
      completedLastSecond: this.completedSince(nowMs),
    };
  }

  private countCompletion(timeMs: number): void {
    const bucket = Math.floor(timeMs / RATE_BUCKET_MS);
    const slot = bucket % RATE_BUCKETS;
    if (this.bucketIds[slot] !== bucket) {
      this.bucketIds[slot] = bucket;
      this.bucketCounts[slot] = 0;
    }
    this.bucketCounts[slot]!++;
  }

  /** Completions in the last RATE_BUCKETS buckets up to and including the one of `nowMs`. */
  private completedSince(nowMs: number): number {
    const newest = Math.floor(nowMs / RATE_BUCKET_MS);
    let total = 0;
    for (let slot = 0; slot < RATE_BUCKETS; slot++) {
      const bucket = this.bucketIds[slot]!;
      if (bucket > newest - RATE_BUCKETS && bucket <= newest) total += this.bucketCounts[slot]!;
    }
    return total;
  }
}
