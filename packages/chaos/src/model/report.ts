import type { Topology } from "@shardline/core";
import type { ErrorKind } from "./history.js";

/** What the checkers found. Every figure is measured whether or not an expectation asks for it. */
export interface CheckResults {
  availability: AvailabilityResult;
  errors: ErrorCounts;
  lostWrites: LostWritesResult;
  reads: ReadsResult;
  splitBrain: SplitBrainResult;
  failovers: FailoverFact[];
  convergence: ConvergenceResult;
  /** The workload's start (wall clock): the origin of the "+6.2 s" times the expectations' details give. */
  startMs?: number;
}

export interface UnavailableWindow {
  /** Last successful write before the window (or the workload's start). */
  fromMs: number;
  /** First successful write after it (or the workload's end, when writes never resumed). */
  toMs: number;
  durationMs: number;
  /** False when the run ended with the shard still unavailable. */
  resumed: boolean;
}

export interface AvailabilityResult {
  /** Per shard: the longest window between successful writes, and its place in time. */
  shards: { shard: number; longest: UnavailableWindow | undefined; writesOk: number; writesFailed: number; writesUnknown: number }[];
  /** The worst shard's longest window. */
  maxUnavailableMs: number;
}

export interface ErrorCounts {
  /** Errors the workload's operations ended with, by kind (after the client's own retries). */
  byKind: Partial<Record<ErrorKind, number>>;
  /** Error replies the nodes sent during the run (INFO errorstats deltas of the nodes that lived through it). */
  wire: Record<string, number>;
  failed: number;
  unknown: number;
}

export interface LostWrite {
  key: string;
  /** The acknowledged value (SET) or the acknowledged increments missing (INCR). */
  value: string;
  acknowledgedAtMs: number;
  wait: boolean;
  /** What the key held at the end. */
  finalValue: string | number | null;
}

export interface LostWritesResult {
  acknowledged: number;
  acknowledgedWithWait: number;
  lost: number;
  lostWithWait: number;
  /** The first few, for the report. */
  examples: LostWrite[];
  /**
   * Set when lost writes could not be measured, or only for some keys: why
   * ("the final read failed: ..."). The counts then cover only the keys
   * that were read, so they are a lower bound, never a clean 0.
   */
  unmeasurable?: string;
}

export interface BadRead {
  key: string;
  readAtMs: number;
  value: string | null;
  /** Why it is stale or impossible, in words. */
  why: string;
  /** Which of the two it is (the checkers always set it). */
  kind?: "stale" | "impossible";
}

export interface ReadsResult {
  reads: number;
  stale: number;
  impossible: number;
  examples: BadRead[];
}

export interface SplitBrainWindow {
  /** The slots both nodes took writes for (inclusive ranges). */
  slots: [number, number][];
  nodes: [string, string];
  fromMs: number;
  toMs: number;
}

export interface SplitBrainResult {
  windows: SplitBrainWindow[];
}

/** One promotion, automatic or manual, and what the run knew of it. */
export interface FailoverFact {
  shard: number;
  from: string;
  to: string;
  /** When the new primary took over (its failover-completed event). */
  atMs: number;
  /** The fault that caused it, when one did, and the time from it. */
  causedBy: string | undefined;
  sinceFaultMs: number | undefined;
  /** Siblings of `to` that were further ahead by replication offset when the primary was lost (0 = least-lagged). */
  lagRank: number | undefined;
  /** When lagRank is undefined: why the run could not tell ("no replication offset of default-0001-002 was sampled"). */
  lagRankUnknownReason?: string;
  /** Each candidate replica's offset at that moment, by name. */
  offsets: Record<string, number>;
  manual: boolean;
}

export interface ConvergenceResult {
  converged: boolean;
  /** From the final heal to convergence. */
  withinMs: number | undefined;
  problems: string[];
}

export interface ExpectationResult {
  /** The expectation's name as the scenario file spells it ("maxUnavailableMs"). */
  name: string;
  expected: string;
  actual: string;
  pass: boolean;
  /** For a failure: by how much, in words ("by 1312 ms"). */
  detail: string;
}

/** Per-second figures for the timeline chart. */
export interface TimelineBucket {
  /** Start of the bucket, ms from the workload's start. */
  tMs: number;
  shards: { shard: number; ok: number; failed: number; unknown: number; latencyP50Ms: number; latencyP99Ms: number; latencyMaxMs: number }[];
  errorsByKind: Partial<Record<ErrorKind, number>>;
}

export interface TimelineData {
  bucketMs: number;
  buckets: TimelineBucket[];
  /** Who was primary of each shard when (ms from the workload's start). */
  primaries: { shard: number; segments: { fromMs: number; toMs: number; node: string }[] }[];
  /** Faults and their ends, ms from the workload's start. */
  markers: { tMs: number; label: string; kind: "fault" | "heal" | "failover" }[];
}

export type Verdict = "pass" | "fail" | "undecided";

export interface Report {
  scenario: { name: string; description: string; file: string };
  seed: number;
  backend: "local" | "attach";
  startedAt: string;
  finishedAt: string;
  topology: Topology;
  nodes: { name: string; shard: number; availabilityZone: string; initialRole: "primary" | "replica"; address: string }[];
  workload: { client: string; ratePerSecond: number; clients: number; durationMs: number; operations: number; ok: number; failed: number; unknown: number; opsPerSecond: number };
  faults: { tMs: number; step: string; do: string; targets: string[]; description: string; unsupported?: string; error?: string }[];
  checks: CheckResults | undefined;
  expectations: ExpectationResult[];
  verdict: Verdict;
  /** Why the run could not decide (exit 2): the cluster never started, the workload never ran... */
  undecidedReason?: string;
  timeline: TimelineData | undefined;
  /** Where the run wrote its files. */
  files: { json: string; html: string; history: string };
}
