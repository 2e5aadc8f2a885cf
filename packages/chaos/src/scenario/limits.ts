import type { WorkloadSpec } from "../model/scenario.js";

/**
 * Bounds of what a scenario file may ask for. A scenario runs real
 * processes on one machine, so each has a ceiling a laptop can carry; the
 * relations between them are asserted below, once.
 */
export const SCENARIO_LIMITS = {
  /** Longest workload: one hour. */
  durationMsMax: 3_600_000,
  /** Longest wait for the cluster to settle after the final heal. */
  settleTimeoutMsMax: 600_000,
  timelineStepsMax: 1000,
  /** Chaos faults a schedule may draw (duration / interval). */
  chaosFaultsMax: 1000,
  chaosIntervalMsMin: 100,
  chaosTargetsMax: 64,
  ratePerSecondMax: 100_000,
  clientsMax: 64,
  concurrencyMax: 1024,
  keysMax: 10_000_000,
  waitEveryMax: 1_000_000,
  commandTimeoutMsMax: 60_000,
  /** Latency and jitter a link may be given: a minute is already an outage. */
  delayMsMax: 60_000,
  /** Largest seed: seeds are unsigned 32-bit integers. */
  seedMax: 2 ** 32 - 1,
} as const;

/** Workload fields a file leaves out. `wait` is off unless the file asks for it. */
export const DEFAULT_WORKLOAD: Readonly<Omit<WorkloadSpec, "wait">> = Object.freeze({
  client: "ioredis-cluster",
  ratePerSecond: 2000,
  clients: 4,
  concurrency: 8,
  keys: 10_000,
  mix: Object.freeze({ set: 0.5, get: 0.4, incr: 0.1 }),
  commandTimeoutMs: 1000,
  reads: "primary",
});

/** What `wait: {}` fills in: WAIT 1 200 after every 10th SET. */
export const DEFAULT_WAIT = Object.freeze({ replicas: 1, timeoutMs: 200, every: 10 });

/** Chaos fields a file leaves out (`faults` must be given). */
export const DEFAULT_CHAOS = Object.freeze({
  startMs: 5000,
  intervalMs: 10_000,
  durationMs: 30_000,
  delayMs: 100,
  jitterMs: 0,
  probability: 0.1,
});

export const DEFAULT_SCENARIO_TIMES = Object.freeze({
  /** The workload runs this long past the last fault, so recovery is seen. */
  tailMs: 10_000,
  /** And at least this long in all. */
  durationMsMin: 20_000,
  settleTimeoutMs: 60_000,
});

function assertLimits(): void {
  const limits = SCENARIO_LIMITS;
  if (DEFAULT_SCENARIO_TIMES.durationMsMin > limits.durationMsMax) throw new Error("the default duration exceeds durationMsMax");
  if (DEFAULT_SCENARIO_TIMES.settleTimeoutMs > limits.settleTimeoutMsMax) throw new Error("the default settle timeout exceeds settleTimeoutMsMax");
  if (DEFAULT_WAIT.timeoutMs >= DEFAULT_WORKLOAD.commandTimeoutMs) throw new Error("the default WAIT timeout must end before the command timeout");
  if (DEFAULT_CHAOS.intervalMs < limits.chaosIntervalMsMin) throw new Error("the default chaos interval is below chaosIntervalMsMin");
}
assertLimits();
