import type { Topology } from "@shardline/core";

/**
 * A scenario as the runner takes it: a scenario file (YAML) after loading,
 * validation and defaults. Durations are in ms (files say "500ms", "5s",
 * "2m"); every field is filled in, so nothing downstream guesses.
 */
export interface Scenario {
  /** From the file's `name`, else the file name without its extension. */
  name: string;
  description: string;
  /** The file it was loaded from ("" for a scenario built in code). */
  file: string;
  /**
   * Seed of every random choice of a run: workload keys and operations,
   * `any-*` targets, the chaos schedule. Undefined: the runner draws one and
   * prints it; `--seed` overrides.
   */
  seed: number | undefined;
  /** The cluster: the default topology, with the file's `topology` fields over it. */
  topology: Topology;
  workload: WorkloadSpec;
  /** Fixed faults, in time order. */
  timeline: TimelineStep[];
  /** A seeded random schedule of faults, besides (after) the timeline's. */
  chaos: ChaosSpec | undefined;
  expect: Expectations;
  /** How long the workload runs, from its start. Default: 10 s after the last fault, at least 20 s. */
  durationMs: number;
  /** Bound on the final heal: all processes up, links restored, the cluster converged. Default 60 s. */
  settleTimeoutMs: number;
}

export type WorkloadClient = "ioredis-cluster" | "node-redis-cluster";

export interface WorkloadSpec {
  /** Which cluster-aware client library drives the cluster (default ioredis-cluster). */
  client: WorkloadClient;
  /** Operations per second over all clients, at most (default 2000). */
  ratePerSecond: number;
  /** Independent client instances, as separate application processes would be (default 4). */
  clients: number;
  /** Operations one client keeps in flight at most (default 8). */
  concurrency: number;
  /** Distinct keys of each kind: `keys` registers (SET/GET) and `keys` counters (INCR); default 10000. */
  keys: number;
  /** Share of each operation; normalised to sum 1 (default set 0.5, get 0.4, incr 0.1). */
  mix: { set: number; get: number; incr: number };
  /** Every `every`-th SET is followed, in the same pipeline, by WAIT replicas timeoutMs. */
  wait: { replicas: number; timeoutMs: number; every: number } | undefined;
  /** Client-side bound on one operation: past it its outcome is unknown (default 1000). */
  commandTimeoutMs: number;
  /** Where GETs go: the primary (default), or replicas on READONLY connections. */
  reads: "primary" | "replica";
  /**
   * ioredis's `slotsRefreshInterval`: ask for the slot map this often even
   * when nothing failed. Undefined: the client's default, which in ioredis 5
   * is never; a client then keeps sending to a silent (blackholed or frozen)
   * primary until it answers again, however soon a replica took over.
   */
  slotsRefreshIntervalMs?: number;
}

/** Who a fault is aimed at, resolved against the cluster as it is when the fault starts. */
export type TargetSpec =
  | { kind: "primary-of-shard"; shard: number }
  /** pick: any (seeded), best (largest replication offset), worst (smallest). */
  | { kind: "replica-of-shard"; shard: number; pick: "any" | "best" | "worst" }
  | { kind: "any-primary" }
  | { kind: "any-replica" }
  | { kind: "node"; name: string }
  | { kind: "az"; zone: string }
  /** The nodes the previous step resolved to. */
  | { kind: "same" }
  | { kind: "all" };

/** Traffic a network fault applies to: the cluster bus, replication links, client connections. */
export type Channel = "bus" | "replication" | "client";
/** Relative to the target: out = what the target sends, in = what it receives. */
export type Direction = "in" | "out" | "both";

export interface NetworkScope {
  target: TargetSpec;
  /** The other side: these nodes (and never clients), or everything else, clients included (undefined). */
  peers: TargetSpec | undefined;
  channels: Channel[];
  direction: Direction;
}

export type FaultSpec =
  /** kill: SIGKILL; stop: SIGTERM (graceful); pause: SIGSTOP; resume: SIGCONT; restart: start a stopped or killed node again. */
  | { do: "kill" | "stop" | "pause" | "resume" | "restart"; target: TargetSpec }
  /** partition: traffic dropped (streams reset); blackhole: traffic held, no reset, delivered at heal. */
  | ({ do: "partition" | "blackhole" } & NetworkScope)
  | ({ do: "latency"; delayMs: number; jitterMs: number } & NetworkScope)
  /** Each frame or chunk is lost with this probability and retransmitted after TCP's timeout. */
  | ({ do: "loss"; probability: number } & NetworkScope)
  /** Removes network faults: those of the given target, or every one. */
  | { do: "heal"; target: TargetSpec | undefined }
  /** Every node of the zone killed at once (AWS FIS: AZ power interruption). */
  | { do: "az-power-loss"; zone: string }
  /** The zone's nodes cut from the other zones' (bus and replication); with clients, from clients too. */
  | { do: "az-isolation"; zone: string; clients: boolean }
  /** CLUSTER FAILOVER [FORCE|TAKEOVER] on a replica. */
  | { do: "failover"; target: TargetSpec; mode: "default" | "force" | "takeover" }
  /** ElastiCache TestFailover of a shard. */
  | { do: "test-failover"; shard: number }
  /** A new node joins the shard as a replica, in the given zone (default: the zone with fewest members of the shard). */
  | { do: "add-replica"; shard: number; zone: string | undefined }
  /** The replica leaves the cluster (CLUSTER FORGET everywhere) and its process stops. */
  | { do: "remove-replica"; target: TargetSpec };

export type FaultKind = FaultSpec["do"];

export interface TimelineStep {
  /** When, from the workload's start. */
  atMs: number;
  fault: FaultSpec;
  /** Line of the step in the scenario file (0 when not from a file), for messages. */
  line: number;
}

/**
 * A seeded random schedule: from `startMs` until `startMs + durationMs`,
 * every `intervalMs` a fault drawn from `faults` hits a target drawn from
 * `targets`; it is undone (restart, resume or heal) `intervalMs` later,
 * before the next one. The same seed draws the same schedule.
 */
export interface ChaosSpec {
  faults: ("kill" | "stop" | "pause" | "partition" | "blackhole" | "latency" | "loss" | "az-isolation" | "az-power-loss" | "failover")[];
  targets: TargetSpec[];
  startMs: number;
  intervalMs: number;
  durationMs: number;
  /** For latency faults. */
  delayMs: number;
  jitterMs: number;
  /** For loss faults. */
  probability: number;
}

/**
 * What must hold. Undefined: not checked (it is still measured and
 * reported). The safety checks (no impossible read, no split brain, the
 * cluster converges after the final heal) hold unless a scenario relaxes them.
 */
export interface Expectations {
  /** The longest window in which one shard's writes did not succeed. */
  maxUnavailableMs: number | undefined;
  /** Acknowledged writes (SET and INCR) whose effect is gone at the end. */
  lostAcknowledgedWrites: number | undefined;
  /** Writes acknowledged by WAIT with at least the asked replicas whose effect is gone. */
  lostAcknowledgedWaitWrites: number | undefined;
  /** Every automatic failover promoted a replica with no sibling further ahead. */
  promoted: "least-lagged" | undefined;
  /** From the final heal to every node agreeing on slots and roles with equal digests. */
  convergedWithinMs: number | undefined;
  /** Reads of a value older than one acknowledged before the read began. */
  staleReads: number | undefined;
  /** Reads of a value never written (always 0 unless relaxed). */
  impossibleReads: number;
  /** Two nodes accepting writes for one slot in overlapping time: "none" (default) or "allowed". */
  splitBrain: "none" | "allowed";
  /** How many failovers (automatic or manual) the run must see, as [min, max]. */
  failovers: [number, number] | undefined;
}
