import { DEFAULT_TOPOLOGY, keyHashSlot } from "@shardline/core";
import type { FaultEntry, HistoryEntry, Operation } from "../src/model/history.js";
import type { NodeSample, Observations } from "../src/model/observations.js";
import type { Report } from "../src/model/report.js";
import { buildTimeline } from "../src/report/timeline.js";

/** The default topology's slot ranges: shard 1 0-5460, shard 2 5461-10922, shard 3 the rest. */
export function defaultShardOfSlot(slot: number): number {
  return slot <= 5460 ? 1 : slot <= 10922 ? 2 : 3;
}

export const SLOTS: Record<number, [number, number]> = { 1: [0, 5460], 2: [5461, 10922], 3: [10923, 16383] };

export const NODES: Observations["nodes"] = [1, 2, 3].flatMap((shard) =>
  [1, 2, 3].map((member) => ({
    name: `default-000${shard}-00${member}`,
    shard,
    availabilityZone: ["az-a", "az-b", "az-c"][(shard + member - 2) % 3]!,
    initialRole: member === 1 ? ("primary" as const) : ("replica" as const),
  })),
);

/** A key of the given kind ("r" or "c") whose slot is in `shard`, the n-th such. */
export function keyOfShard(shard: number, n: number, kind: "r" | "c" = "r"): string {
  let found = 0;
  for (let index = 0; ; index += 1) {
    const key = `${kind}:${index}`;
    if (defaultShardOfSlot(keyHashSlot(key)) === shard && found++ === n) return key;
  }
}

/** A small seeded generator, so that the fixture is the same every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const START_MS = 1_800_000_000_000;
export const DURATION_MS = 30_000;
export const KILL_AT_MS = 5_000;
export const FAILOVER_AT_MS = 6_500;
export const RESTART_AT_MS = 20_000;
const OPS_PER_SECOND = 300;

export interface SyntheticRun {
  operations: Operation[];
  faults: FaultEntry[];
  observations: Observations;
  history: HistoryEntry[];
  report: Report;
}

/**
 * A 30 s run of the default cluster at 300 ops/s: default-0001-001 is killed
 * at 5 s, default-0001-002 takes over at 6.5 s, the old primary restarts at
 * 20 s and rejoins as a replica. Shard 1's operations fail (CLUSTERDOWN) or
 * time out (unknown) between the kill and the failover.
 */
export function syntheticRun(): SyntheticRun {
  const next = random(7);
  const operations: Operation[] = [];
  const keys = [1, 2, 3].map((shard) => Array.from({ length: 20 }, (_, n) => keyOfShard(shard, n)));
  const count = (DURATION_MS / 1000) * OPS_PER_SECOND;
  for (let id = 0; id < count; id += 1) {
    const invokeMs = START_MS + (id * 1000) / OPS_PER_SECOND;
    // Keys spread unevenly over the shards, as a real key set does, so the three lines are apart.
    const draw = next();
    const shard = draw < 0.4 ? 1 : draw < 0.73 ? 2 : 3;
    const key = keys[shard - 1]![Math.floor(next() * 20)]!;
    const relativeMs = invokeMs - START_MS;
    const inOutage = shard === 1 && relativeMs >= KILL_AT_MS && relativeMs < FAILOVER_AT_MS;
    const base: Operation = { id, client: id % 4, f: "set", key, written: `${id % 4}-${id}`, wait: false, invokeMs, completeMs: invokeMs + 0.4 + next() * 2, outcome: "ok" };
    if (inOutage && next() < 0.5) operations.push({ ...base, completeMs: invokeMs + 1000, outcome: "unknown", error: "Command timed out", errorKind: "timeout" });
    else if (inOutage) operations.push({ ...base, completeMs: invokeMs + 3, outcome: "fail", error: "CLUSTERDOWN The cluster is down", errorKind: "CLUSTERDOWN" });
    else operations.push(base);
  }
  const faults: FaultEntry[] = [
    { type: "fault", timeMs: START_MS + KILL_AT_MS, step: "timeline[0]", do: "kill", targets: ["default-0001-001"], description: "kill default-0001-001 (primary of shard 1)" },
    { type: "fault", timeMs: START_MS + RESTART_AT_MS, step: "timeline[1]", do: "restart", targets: ["default-0001-001"], description: "restart default-0001-001" },
  ];
  const observations: Observations = {
    shardOfSlot: defaultShardOfSlot,
    nodes: NODES,
    samples: samples(),
    writeTerms: [],
    events: [{ atMs: START_MS + FAILOVER_AT_MS, type: "failover-completed", node: "default-0001-002", detail: "took over from default-0001-001 in epoch 4", seenBy: ["default-0001-002"] }],
    final: undefined,
    workloadStartMs: START_MS,
    workloadEndMs: START_MS + DURATION_MS,
  };
  const history: HistoryEntry[] = operations.flatMap((operation): HistoryEntry[] => [
    { type: "invoke", id: operation.id, client: operation.client, f: operation.f, key: operation.key, value: operation.written, timeMs: operation.invokeMs },
    { type: operation.outcome, id: operation.id, client: operation.client, f: operation.f, key: operation.key, value: operation.written, timeMs: operation.completeMs!, ...(operation.errorKind === undefined ? {} : { error: operation.error, errorKind: operation.errorKind }) },
  ]);
  return { operations, faults, observations, history, report: reportOf(operations, faults, observations) };
}

/** The monitor's polls every 500 ms: the killed primary is unreachable from 5 s until its restart, then a replica. */
function samples(): NodeSample[] {
  const found: NodeSample[] = [];
  for (let tMs = -1000; tMs <= DURATION_MS + 1000; tMs += 500) {
    for (const node of NODES) {
      const timeMs = START_MS + tMs;
      const name = node.name;
      if (name === "default-0001-001" && tMs >= KILL_AT_MS && tMs < RESTART_AT_MS) {
        found.push({ timeMs, node: name, reachable: false });
        continue;
      }
      const promoted = name === "default-0001-002" && tMs >= FAILOVER_AT_MS;
      const demoted = name === "default-0001-001" && tMs >= RESTART_AT_MS;
      const primary = (node.initialRole === "primary" && !demoted) || promoted;
      // The new primary is not sampled as one before the failover; the replica left behind follows it.
      if (name === "default-0001-002" && tMs >= KILL_AT_MS && tMs < FAILOVER_AT_MS) {
        found.push({ timeMs, node: name, reachable: true, role: "replica", primary: "default-0001-001", configEpoch: 1, linkUp: false, replicationOffset: 5000 });
        continue;
      }
      found.push(
        primary
          ? { timeMs, node: name, reachable: true, role: "primary", slots: [SLOTS[node.shard]!], configEpoch: promoted ? 4 : node.shard, clusterStateOk: true }
          : { timeMs, node: name, reachable: true, role: "replica", primary: `default-000${node.shard}-00${node.shard === 1 && tMs >= FAILOVER_AT_MS ? 2 : 1}`, configEpoch: node.shard, linkUp: true, replicationOffset: 1000 + tMs },
      );
    }
  }
  return found;
}

function reportOf(operations: Operation[], faults: FaultEntry[], observations: Observations): Report {
  const ok = operations.filter((operation) => operation.outcome === "ok").length;
  const failed = operations.filter((operation) => operation.outcome === "fail").length;
  const unknown = operations.length - ok - failed;
  return {
    scenario: { name: "kill-primary", description: "Kill the primary of shard 1 and check that clients recover within 5 s.", file: "scenarios/kill-primary.yaml" },
    seed: 42,
    backend: "local",
    startedAt: new Date(START_MS - 3000).toISOString(),
    finishedAt: new Date(START_MS + DURATION_MS + 4000).toISOString(),
    topology: { ...DEFAULT_TOPOLOGY, availabilityZones: [...DEFAULT_TOPOLOGY.availabilityZones], nodeConfig: { requirepass: "hunter2" }, secret: "bus-secret-value" },
    nodes: NODES.map((node, index) => ({ ...node, address: `127.0.0.1:${7000 + index}` })),
    workload: { client: "ioredis-cluster", ratePerSecond: OPS_PER_SECOND, clients: 4, durationMs: DURATION_MS, operations: operations.length, ok, failed, unknown, opsPerSecond: operations.length / (DURATION_MS / 1000) },
    faults: faults.map((fault) => ({ tMs: fault.timeMs - START_MS, step: fault.step, do: fault.do, targets: fault.targets, description: fault.description })),
    checks: {
      availability: {
        shards: [1, 2, 3].map((shard) => ({
          shard,
          longest: shard === 1 ? { fromMs: START_MS + 4990, toMs: START_MS + 6510, durationMs: 1520, resumed: true } : { fromMs: START_MS + 100, toMs: START_MS + 115, durationMs: 15, resumed: true },
          writesOk: operations.filter((operation) => operation.outcome === "ok" && defaultShardOfSlot(keyHashSlot(operation.key)) === shard).length,
          writesFailed: shard === 1 ? failed : 0,
          writesUnknown: shard === 1 ? unknown : 0,
        })),
        maxUnavailableMs: 1520,
      },
      errors: { byKind: { CLUSTERDOWN: failed, timeout: unknown }, wire: { CLUSTERDOWN: failed, MOVED: 12 }, failed, unknown },
      lostWrites: { acknowledged: ok, acknowledgedWithWait: 0, lost: 1, lostWithWait: 0, examples: [{ key: keyOfShard(1, 3), value: "2-1490", acknowledgedAtMs: START_MS + 4970, wait: false, finalValue: "1-1487" }] },
      reads: { reads: 0, stale: 0, impossible: 0, examples: [] },
      splitBrain: { windows: [] },
      failovers: [{ shard: 1, from: "default-0001-001", to: "default-0001-002", atMs: START_MS + FAILOVER_AT_MS, causedBy: "kill default-0001-001 (primary of shard 1)", sinceFaultMs: FAILOVER_AT_MS - KILL_AT_MS, lagRank: 0, offsets: { "default-0001-002": 5000, "default-0001-003": 4990 }, manual: false }],
      convergence: { converged: true, withinMs: 2300, problems: [] },
      startMs: START_MS,
    },
    expectations: [
      { name: "maxUnavailableMs", expected: "≤ 5000 ms", actual: "1520 ms", pass: true, detail: "" },
      { name: "lostAcknowledgedWrites", expected: "0", actual: "1", pass: false, detail: "by 1: r:… acknowledged at +4.97 s is gone" },
      { name: "impossibleReads", expected: "0", actual: "0", pass: true, detail: "" },
      { name: "splitBrain", expected: "none", actual: "none", pass: true, detail: "" },
      { name: "promoted", expected: "least-lagged", actual: "least-lagged", pass: true, detail: "" },
    ],
    verdict: "fail",
    timeline: buildTimeline(operations, faults, observations),
    files: { json: "/tmp/run/report.json", html: "/tmp/run/report.html", history: "/tmp/run/history.jsonl" },
  };
}

/** A run that never got going: no checks, no timeline, no operations. */
export function undecidedReport(): Report {
  const report = syntheticRun().report;
  return {
    ...report,
    workload: { ...report.workload, operations: 0, ok: 0, failed: 0, unknown: 0, opsPerSecond: 0 },
    faults: [],
    checks: undefined,
    expectations: [],
    verdict: "undecided",
    undecidedReason: "the cluster never reached cluster_state:ok within 60000 ms",
    timeline: undefined,
  };
}
