import { assert } from "../assert.js";

/**
 * Latencies of one command, in microseconds, kept as counts per value rounded
 * up to two significant digits, which is the precision Redis's HDR
 * histograms report with. The number of distinct buckets is bounded (90 per
 * decade), so the histogram stays small however many calls it records.
 */
export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  total = 0;

  record(usec: number): void {
    const bucket = roundUpTwoDigits(Math.max(1, usec));
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total++;
  }

  /** The smallest bucket value at or below which `percentile` percent of the calls fall. */
  valueAt(percentile: number): number {
    if (this.total === 0) return 0;
    const wanted = Math.max(1, Math.ceil((percentile / 100) * this.total));
    const buckets = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const bucket of buckets) {
      seen += this.counts.get(bucket)!;
      if (seen >= wanted) return bucket;
    }
    return buckets[buckets.length - 1]!;
  }
}

/** `value` rounded up to two significant decimal digits (123 -> 130, 7 -> 7). */
function roundUpTwoDigits(value: number): number {
  if (value < 100) return Math.ceil(value);
  const scale = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.ceil(value / scale) * scale;
}

/** Per-command counters behind INFO commandstats and latencystats. */
export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
  latency: LatencyHistogram;
}

/** Distinct error codes INFO errorstats tracks before it stops adding new ones (Redis ERROR_STATS_NUMBER). */
export const ERROR_CODES_MAX = 128;
/** Samples in the instantaneous_* moving averages, and the period between them (Redis STATS_METRIC_SAMPLES, 100 ms). */
const INSTANTANEOUS_SAMPLES = 16;
const INSTANTANEOUS_PERIOD_MS = 100;

/** A rate averaged over the last INSTANTANEOUS_SAMPLES samples, as Redis's trackInstantaneousMetric does. */
class InstantaneousMetric {
  private readonly samples: number[] = [];
  private index = 0;
  private lastValue = 0;
  private lastMs: number | undefined;

  sample(value: number, nowMs: number): void {
    if (this.lastMs !== undefined && nowMs > this.lastMs) {
      const perSecond = ((value - this.lastValue) * 1000) / (nowMs - this.lastMs);
      this.samples[this.index] = perSecond;
      this.index = (this.index + 1) % INSTANTANEOUS_SAMPLES;
    }
    this.lastValue = value;
    this.lastMs = nowMs;
  }

  average(): number {
    if (this.samples.length === 0) return 0;
    return this.samples.reduce((sum, s) => sum + s, 0) / this.samples.length;
  }

  reset(value: number): void {
    this.samples.length = 0;
    this.index = 0;
    this.lastValue = value;
  }
}

/** Counters behind INFO stats, commandstats, errorstats and latencystats. */
export class ServerStats {
  totalConnectionsReceived = 0;
  totalCommandsProcessed = 0;
  rejectedConnections = 0;
  expiredKeys = 0;
  evictedKeys = 0;
  evictedClients = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  pubsubChannelsPublished = 0;
  totalErrorReplies = 0;
  totalNetInputBytes = 0;
  totalNetOutputBytes = 0;
  /** Reads and writes the runtime performed (one per receive and one per flushed client). */
  totalReadsProcessed = 0;
  totalWritesProcessed = 0;
  /** Total time spent over maxmemory, and the start of the current stretch (Redis's eviction exceeded time). */
  totalEvictionExceededMs = 0;
  evictionExceededSinceMs: number | undefined;
  /** The largest used_memory seen, for used_memory_peak. */
  peakMemoryBytes = 0;
  /** Errors by their code (ERR, WRONGTYPE...), for INFO errorstats; at most ERROR_CODES_MAX codes. */
  readonly errors = new Map<string, number>();
  /** Commands by full name (`client|list`), in the order they were first counted. */
  readonly commands = new Map<string, CommandStats>();
  private readonly opsPerSecond = new InstantaneousMetric();
  private readonly inputBytesPerSecond = new InstantaneousMetric();
  private readonly outputBytesPerSecond = new InstantaneousMetric();
  private lastSampleMs: number | undefined;

  command(name: string): CommandStats {
    let stats = this.commands.get(name);
    if (!stats) this.commands.set(name, (stats = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0, latency: new LatencyHistogram() }));
    return stats;
  }

  /**
   * Counts an error reply by its code, the first word of the message. As in
   * Redis, once ERROR_CODES_MAX codes are known new codes are no longer
   * tracked (the total still counts them), so a client inventing codes cannot
   * grow the table.
   */
  error(message: string): void {
    this.totalErrorReplies++;
    const space = message.indexOf(" ");
    const code = space < 0 ? message : message.slice(0, space);
    const count = this.errors.get(code);
    if (count !== undefined) this.errors.set(code, count + 1);
    else if (this.errors.size < ERROR_CODES_MAX) this.errors.set(code, 1);
    assert(this.errors.size <= ERROR_CODES_MAX, "errorstats is bounded");
  }

  /** Takes the instantaneous_* samples; called from the tick, at most once per INSTANTANEOUS_PERIOD_MS. */
  sampleInstantaneous(nowMs: number): void {
    if (this.lastSampleMs !== undefined && nowMs - this.lastSampleMs < INSTANTANEOUS_PERIOD_MS) return;
    this.lastSampleMs = nowMs;
    this.opsPerSecond.sample(this.totalCommandsProcessed, nowMs);
    this.inputBytesPerSecond.sample(this.totalNetInputBytes, nowMs);
    this.outputBytesPerSecond.sample(this.totalNetOutputBytes, nowMs);
  }

  get instantaneousOpsPerSecond(): number {
    return Math.round(this.opsPerSecond.average());
  }

  get instantaneousInputKbps(): number {
    return this.inputBytesPerSecond.average() / 1024;
  }

  get instantaneousOutputKbps(): number {
    return this.outputBytesPerSecond.average() / 1024;
  }

  /** Tracks the time spent over maxmemory (INFO stats total_eviction_exceeded_time). */
  evictionExceeded(exceeded: boolean, nowMs: number): void {
    if (exceeded && this.evictionExceededSinceMs === undefined) this.evictionExceededSinceMs = nowMs;
    if (!exceeded && this.evictionExceededSinceMs !== undefined) {
      this.totalEvictionExceededMs += nowMs - this.evictionExceededSinceMs;
      this.evictionExceededSinceMs = undefined;
    }
  }

  /** CONFIG RESETSTAT: what Redis's resetServerStats, resetCommandTableStats and resetErrorTableStats clear. */
  reset(): void {
    this.commands.clear();
    this.errors.clear();
    this.totalErrorReplies = 0;
    this.expiredKeys = 0;
    this.evictedKeys = 0;
    this.evictedClients = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.totalConnectionsReceived = 0;
    this.totalCommandsProcessed = 0;
    this.rejectedConnections = 0;
    this.totalNetInputBytes = 0;
    this.totalNetOutputBytes = 0;
    this.totalReadsProcessed = 0;
    this.totalWritesProcessed = 0;
    this.totalEvictionExceededMs = 0;
    this.pubsubChannelsPublished = 0;
    this.opsPerSecond.reset(0);
    this.inputBytesPerSecond.reset(0);
    this.outputBytesPerSecond.reset(0);
  }
}
