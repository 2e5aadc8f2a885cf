import { promotions } from "../check/failovers.js";
import { memoizedShardOfKey, type ErrorKind, type FaultEntry, type Operation } from "../model/history.js";
import type { Observations } from "../model/observations.js";
import type { TimelineBucket, TimelineData } from "../model/report.js";
import { primarySegments } from "./primaries.js";

/** One bucket a second: the chart's x resolution and the unit of its rates. */
export const TIMELINE_BUCKET_MS = 1000;
/**
 * Bound on the buckets of one timeline: a day at one a second. A longer run
 * (or a clock that jumped) folds its tail into the last bucket rather than
 * growing the report without bound.
 */
export const TIMELINE_BUCKETS_MAX = 86_400;

/** Fault entries that end a fault rather than start one. */
const HEAL_ACTIONS: ReadonlySet<string> = new Set(["heal", "restart", "resume", "final-heal"]);

/** Whether a fault entry undoes an earlier fault (a heal, restart, resume or the final heal). */
export function isHealEntry(entry: { step: string; do: string }): boolean {
  return HEAL_ACTIONS.has(entry.do) || entry.step === "final-heal";
}

/**
 * The per-second figures of a run for its report's chart. Times are ms from
 * `observations.workloadStartMs`. An operation counts in the bucket of its
 * completion; one that never completed (the run ended first) counts as
 * unknown in the bucket of its invocation, where its trouble began. Latency
 * percentiles are nearest-rank over every operation completed in the bucket,
 * whatever its outcome, so timeouts show as the spike they were.
 */
export function buildTimeline(operations: readonly Operation[], faults: readonly FaultEntry[], observations: Observations): TimelineData {
  const startMs = observations.workloadStartMs;
  const shards = shardNumbers(observations);
  const shardOfKey = memoizedShardOfKey(observations.shardOfSlot);
  const bucketCount = bucketCountOf(operations, startMs, observations.workloadEndMs);
  const accumulators = Array.from({ length: bucketCount }, () => new BucketAccumulator());
  for (const operation of operations) {
    const atMs = operation.completeMs ?? operation.invokeMs;
    const index = Math.min(bucketCount - 1, Math.max(0, Math.floor((atMs - startMs) / TIMELINE_BUCKET_MS)));
    accumulators[index]!.add(operation, shardOfKey(operation.key));
  }
  return {
    bucketMs: TIMELINE_BUCKET_MS,
    buckets: accumulators.map((accumulator, index) => accumulator.bucket(index * TIMELINE_BUCKET_MS, shards)),
    primaries: primarySegments(observations, shards),
    markers: markersOf(faults, observations),
  };
}

/** Every shard the cluster has, in order (from the nodes; a sampled slot map names the same ones). */
function shardNumbers(observations: Observations): number[] {
  return [...new Set(observations.nodes.map((node) => node.shard))].sort((a, b) => a - b);
}


/** Enough buckets to cover the workload and every operation's bucket, within TIMELINE_BUCKETS_MAX. */
function bucketCountOf(operations: readonly Operation[], startMs: number, endMs: number): number {
  let count = endMs > startMs ? Math.ceil((endMs - startMs) / TIMELINE_BUCKET_MS) : 0;
  for (const operation of operations) {
    const index = Math.floor(((operation.completeMs ?? operation.invokeMs) - startMs) / TIMELINE_BUCKET_MS);
    count = Math.max(count, index + 1, 1);
  }
  return Math.min(TIMELINE_BUCKETS_MAX, count);
}

interface ShardAccumulator {
  ok: number;
  failed: number;
  unknown: number;
  latenciesMs: number[];
}

class BucketAccumulator {
  private readonly shards = new Map<number, ShardAccumulator>();
  private readonly errorsByKind: Partial<Record<ErrorKind, number>> = {};

  add(operation: Operation, shard: number): void {
    let figures = this.shards.get(shard);
    if (figures === undefined) {
      figures = { ok: 0, failed: 0, unknown: 0, latenciesMs: [] };
      this.shards.set(shard, figures);
    }
    if (operation.outcome === "ok") figures.ok += 1;
    else if (operation.outcome === "fail") figures.failed += 1;
    else figures.unknown += 1;
    if (operation.completeMs !== undefined) figures.latenciesMs.push(Math.max(0, operation.completeMs - operation.invokeMs));
    if (operation.outcome !== "ok" && operation.errorKind !== undefined) {
      this.errorsByKind[operation.errorKind] = (this.errorsByKind[operation.errorKind] ?? 0) + 1;
    }
  }

  /** The bucket, with a row for every shard of the cluster (zeros where it saw nothing) and any other shard seen. */
  bucket(tMs: number, shards: readonly number[]): TimelineBucket {
    const all = [...new Set([...shards, ...this.shards.keys()])].sort((a, b) => a - b);
    return {
      tMs,
      shards: all.map((shard) => {
        const figures = this.shards.get(shard) ?? { ok: 0, failed: 0, unknown: 0, latenciesMs: [] };
        const sorted = figures.latenciesMs.sort((a, b) => a - b);
        return {
          shard,
          ok: figures.ok,
          failed: figures.failed,
          unknown: figures.unknown,
          latencyP50Ms: percentile(sorted, 0.5),
          latencyP99Ms: percentile(sorted, 0.99),
          latencyMaxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : 0,
        };
      }),
      errorsByKind: { ...this.errorsByKind },
    };
  }
}

/** Nearest-rank percentile of ascending values; 0 for none. */
export function percentile(ascending: readonly number[], fraction: number): number {
  if (ascending.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(fraction * ascending.length));
  return ascending[Math.min(ascending.length, rank) - 1]!;
}

/** Each fault and heal as the runner carried it out, and each failover the nodes reported, in time order. */
function markersOf(faults: readonly FaultEntry[], observations: Observations): TimelineData["markers"] {
  const startMs = observations.workloadStartMs;
  const markers: TimelineData["markers"] = faults.map((fault) => ({
    tMs: fault.timeMs - startMs,
    label: fault.description,
    kind: isHealEntry(fault) ? "heal" : "fault",
  }));
  for (const promotion of promotions(observations.events)) {
    const label = promotion.from === undefined ? `failover to ${promotion.to}` : `failover ${promotion.from} → ${promotion.to}`;
    markers.push({ tMs: promotion.atMs - startMs, label, kind: "failover" });
  }
  return markers.sort((a, b) => a.tMs - b.tMs);
}
