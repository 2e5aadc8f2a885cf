import { memoizedShardOfKey, type Operation } from "../model/history.js";
import type { Observations } from "../model/observations.js";
import type { AvailabilityResult, UnavailableWindow } from "../model/report.js";
import { countAtOrBelow, countBelow } from "./search.js";

export type AvailabilityInputs = Pick<Observations, "shardOfSlot" | "nodes" | "workloadStartMs" | "workloadEndMs">;

type ShardAvailability = AvailabilityResult["shards"][number];

/**
 * Availability, per shard (the shard of the key's slot): only writes count,
 * SET and INCR. Between two consecutive successful write completions to the
 * shard (the first interval from the workload's start, the last to its
 * end), the shard was unavailable from the moment a write was waiting in it:
 * from the interval's start when a write that went on to succeed was
 * already in flight then, otherwise from the first write invoked inside it.
 * So a write held up or failing makes a window that lasts until a write
 * succeeds again (not longer, however long it still hangs); a quiet
 * shard, whose next write came late but went through at once, has a window
 * only as long as that write took; and a single write the client retried
 * through the whole outage makes the outage's window by itself.
 *
 * Each shard reports its longest window (from, to, duration, and whether
 * writes resumed: a shard whose writes never succeeded again has a window to
 * the workload's end with resumed false) and its counts of ok, failed and
 * unknown writes. `maxUnavailableMs` is the worst shard's longest window, 0
 * when no shard had one.
 */
export function availability(operations: readonly Operation[], observations: AvailabilityInputs): AvailabilityResult {
  const writesByShard = new Map<number, Operation[]>();
  for (const node of observations.nodes) writesByShard.set(node.shard, []);
  const shardOfKey = memoizedShardOfKey(observations.shardOfSlot);
  for (const operation of operations) {
    if (operation.f === "get") continue;
    const shard = shardOfKey(operation.key);
    const writes = writesByShard.get(shard) ?? [];
    writes.push(operation);
    writesByShard.set(shard, writes);
  }
  const shards = [...writesByShard.entries()]
    .sort(([a], [b]) => a - b)
    .map(([shard, writes]) => shardAvailability(shard, writes, observations.workloadStartMs, observations.workloadEndMs));
  const maxUnavailableMs = Math.max(0, ...shards.map((s) => s.longest?.durationMs ?? 0));
  return { shards, maxUnavailableMs };
}


/** One shard's counts and longest unavailable window (see `availability`). O(n log n). */
export function shardAvailability(shard: number, writes: readonly Operation[], startMs: number, endMs: number): ShardAvailability {
  const ok = writes.filter((write) => write.outcome === "ok" && write.completeMs !== undefined);
  const writesFailed = writes.filter((write) => write.outcome === "fail").length;
  const writesUnknown = writes.filter((write) => write.outcome === "unknown").length;
  // Interval i runs from boundary i to boundary i + 1; the last one, after the last success, to the end.
  const boundariesMs = [startMs, ...ok.map((write) => write.completeMs!).filter((timeMs) => timeMs >= startMs).sort((a, b) => a - b)];
  const intervals = boundariesMs.length;
  const intervalEndMs = (interval: number) => boundariesMs[interval + 1] ?? Math.max(endMs, boundariesMs[interval]!);
  // Writes in flight at an interval's start, counted with a difference array over the intervals they span.
  const inFlightAtStart = new Array<number>(intervals + 1).fill(0);
  const firstInvokeMs = new Array<number>(intervals).fill(Infinity);
  for (const write of writes) {
    const invokedIn = countAtOrBelow(boundariesMs, write.invokeMs) - 1;
    if (invokedIn >= 0 && write.invokeMs < intervalEndMs(invokedIn)) firstInvokeMs[invokedIn] = Math.min(firstInvokeMs[invokedIn]!, write.invokeMs);
    // A write that did not succeed makes its interval's window; once another write succeeds the shard is
    // available again, however long this one still hangs. A successful one waited until it completed:
    // it was waiting at the start of every interval that began in [invokeMs, completeMs).
    if (write.outcome !== "ok" || write.completeMs === undefined) continue;
    const first = countBelow(boundariesMs, write.invokeMs);
    const last = countBelow(boundariesMs, write.completeMs) - 1;
    if (first <= last) {
      inFlightAtStart[first]!++;
      inFlightAtStart[last + 1]!--;
    }
  }
  let longest: UnavailableWindow | undefined;
  let waiting = 0;
  for (let interval = 0; interval < intervals; interval++) {
    waiting += inFlightAtStart[interval]!;
    const fromMs = waiting > 0 ? boundariesMs[interval]! : firstInvokeMs[interval]!;
    if (fromMs === Infinity) continue;
    const toMs = intervalEndMs(interval);
    const window = { fromMs, toMs, durationMs: toMs - fromMs, resumed: interval + 1 < intervals };
    if (longest === undefined || window.durationMs > longest.durationMs) longest = window;
  }
  return { shard, longest, writesOk: ok.length, writesFailed, writesUnknown };
}
