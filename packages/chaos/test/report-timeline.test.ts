import { describe, expect, it } from "vitest";
import type { FaultEntry, Operation } from "../src/model/history.js";
import type { NodeSample, Observations } from "../src/model/observations.js";
import { buildTimeline, percentile } from "../src/report/timeline.js";
import { defaultShardOfSlot, keyOfShard, NODES, SLOTS, syntheticRun } from "./report-fixtures.js";

const START_MS = 1_000_000;

function observations(overrides: Partial<Observations> = {}): Observations {
  return { shardOfSlot: defaultShardOfSlot, nodes: NODES, samples: [], writeTerms: [], events: [], final: undefined, workloadStartMs: START_MS, workloadEndMs: START_MS + 3000, ...overrides };
}

let nextId = 0;
function operation(key: string, invokeMs: number, completeMs: number | undefined, outcome: Operation["outcome"] = "ok", errorKind?: Operation["errorKind"]): Operation {
  return { id: nextId++, client: 0, f: "set", key, written: "v", wait: false, invokeMs: START_MS + invokeMs, completeMs: completeMs === undefined ? undefined : START_MS + completeMs, outcome, ...(errorKind === undefined ? {} : { errorKind, error: errorKind }) };
}

function primarySample(node: string, atMs: number, shard: number, configEpoch: number): NodeSample {
  return { timeMs: START_MS + atMs, node, reachable: true, role: "primary", slots: [SLOTS[shard]!], configEpoch };
}

describe("buildTimeline: buckets", () => {
  const shard1 = keyOfShard(1, 0);
  const shard2 = keyOfShard(2, 0);

  it("counts each operation in the second it completed, per shard, with a row for every shard", () => {
    const timeline = buildTimeline(
      [
        operation(shard1, 100, 102),
        operation(shard1, 990, 1010),
        operation(shard2, 1500, 1501, "fail", "CLUSTERDOWN"),
        operation(shard2, 1600, 2600, "unknown", "timeout"),
        operation(shard1, 2900, undefined, "unknown"),
      ],
      [],
      observations(),
    );
    expect(timeline.bucketMs).toBe(1000);
    expect(timeline.buckets.map((bucket) => bucket.tMs)).toEqual([0, 1000, 2000]);
    const row = (second: number, shard: number) => timeline.buckets[second]!.shards.find((figures) => figures.shard === shard)!;
    expect(timeline.buckets[0]!.shards.map((figures) => figures.shard)).toEqual([1, 2, 3]);
    expect(row(0, 1)).toMatchObject({ ok: 1, failed: 0, unknown: 0 });
    expect(row(1, 1)).toMatchObject({ ok: 1, failed: 0, unknown: 0 });
    expect(row(1, 2)).toMatchObject({ ok: 0, failed: 1, unknown: 0 });
    // The timed-out one completed at 2.6 s; the one that never completed counts where it was invoked.
    expect(row(2, 2)).toMatchObject({ ok: 0, failed: 0, unknown: 1 });
    expect(row(2, 1)).toMatchObject({ ok: 0, failed: 0, unknown: 1 });
    expect(row(0, 3)).toMatchObject({ ok: 0, failed: 0, unknown: 0, latencyP50Ms: 0, latencyP99Ms: 0, latencyMaxMs: 0 });
    expect(timeline.buckets[1]!.errorsByKind).toEqual({ CLUSTERDOWN: 1 });
    expect(timeline.buckets[2]!.errorsByKind).toEqual({ timeout: 1 });
  });

  it("takes nearest-rank latency percentiles of the operations completed in the bucket", () => {
    const operations = Array.from({ length: 100 }, (_, index) => operation(shard1, 0, index + 1));
    const figures = buildTimeline(operations, [], observations()).buckets[0]!.shards[0]!;
    expect(figures).toMatchObject({ shard: 1, ok: 100, latencyP50Ms: 50, latencyP99Ms: 99, latencyMaxMs: 100 });
    expect(percentile([], 0.5)).toBe(0);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it("covers the workload's whole duration, and the completions after its end", () => {
    expect(buildTimeline([operation(shard1, 10, 12)], [], observations({ workloadEndMs: START_MS + 5500 })).buckets).toHaveLength(6);
    expect(buildTimeline([operation(shard1, 2900, 4200)], [], observations()).buckets).toHaveLength(5);
  });

  it("is empty for a run without operations, faults or samples", () => {
    const timeline = buildTimeline([], [], observations({ workloadEndMs: START_MS }));
    expect(timeline.buckets).toEqual([]);
    expect(timeline.markers).toEqual([]);
    expect(timeline.primaries.every((entry) => entry.segments.length === 0)).toBe(true);
  });

  it("adds up to the run's operations on the synthetic 30 s run", () => {
    const run = syntheticRun();
    const timeline = run.report.timeline!;
    const total = timeline.buckets.reduce((sum, bucket) => sum + bucket.shards.reduce((inner, figures) => inner + figures.ok + figures.failed + figures.unknown, 0), 0);
    expect(total).toBe(run.operations.length);
    expect(timeline.buckets).toHaveLength(30);
    // Shard 1 lost its primary at 5 s: no write of it succeeded from 5.0 to 6.0 s.
    expect(timeline.buckets[5]!.shards[0]!.ok).toBe(0);
    expect(timeline.buckets[10]!.shards[0]!.ok).toBeGreaterThan(0);
  });
});

describe("buildTimeline: primaries", () => {
  it("follows a failover, leaving a gap while no node served the shard", () => {
    const samples: NodeSample[] = [];
    for (let atMs = 0; atMs < 5000; atMs += 1000) samples.push(primarySample("default-0001-001", atMs, 1, 1));
    samples.push({ timeMs: START_MS + 5000, node: "default-0001-001", reachable: false });
    for (let atMs = 7000; atMs <= 9000; atMs += 1000) samples.push(primarySample("default-0001-002", atMs, 1, 2));
    // The old primary comes back still believing it is primary at its old epoch: the newer epoch wins.
    samples.push(primarySample("default-0001-001", 8000, 1, 1));
    samples.push({ timeMs: START_MS + 8500, node: "default-0001-001", reachable: true, role: "replica", primary: "default-0001-002", configEpoch: 2 });
    const events = [{ atMs: START_MS + 6500, type: "failover-completed", node: "default-0001-002", detail: "took over from default-0001-001 in epoch 2", seenBy: ["default-0001-002"] }];
    const timeline = buildTimeline([], [], observations({ samples, events }));
    const shard1 = timeline.primaries.find((entry) => entry.shard === 1)!;
    expect(shard1.segments).toEqual([
      { fromMs: 0, toMs: 5000, node: "default-0001-001" },
      { fromMs: 6500, toMs: 9000, node: "default-0001-002" },
    ]);
    expect(timeline.primaries.find((entry) => entry.shard === 2)!.segments).toEqual([]);
  });

  it("makes one contiguous segment of a primary sampled again and again, from the workload's start", () => {
    const samples = [-2000, -1000, 0, 1000, 2000, 3000].map((atMs) => primarySample("default-0002-001", atMs, 2, 2));
    const shard2 = buildTimeline([], [], observations({ samples })).primaries.find((entry) => entry.shard === 2)!;
    expect(shard2.segments).toEqual([{ fromMs: 0, toMs: 3000, node: "default-0002-001" }]);
  });

  it("chooses the newest config epoch where two nodes claim a shard at once", () => {
    const samples = [primarySample("default-0003-001", 0, 3, 3), primarySample("default-0003-002", 1000, 3, 7), primarySample("default-0003-001", 2000, 3, 3), primarySample("default-0003-002", 3000, 3, 7)];
    const shard3 = buildTimeline([], [], observations({ samples })).primaries.find((entry) => entry.shard === 3)!;
    expect(shard3.segments).toEqual([
      { fromMs: 0, toMs: 1000, node: "default-0003-001" },
      { fromMs: 1000, toMs: 3000, node: "default-0003-002" },
    ]);
  });

  it("reads the synthetic run's failover of shard 1", () => {
    const segments = syntheticRun().report.timeline!.primaries.find((entry) => entry.shard === 1)!.segments;
    expect(segments.map((segment) => segment.node)).toEqual(["default-0001-001", "default-0001-002"]);
    expect(segments[0]).toMatchObject({ fromMs: 0, toMs: 5000 });
    expect(segments[1]!.fromMs).toBe(6500);
  });
});

describe("buildTimeline: markers", () => {
  it("marks faults, heals and failovers, in time order, from the workload's start", () => {
    const fault = (atMs: number, step: string, action: string, description: string): FaultEntry => ({ type: "fault", timeMs: START_MS + atMs, step, do: action, targets: ["default-0001-001"], description });
    const faults = [
      fault(20_000, "timeline[1]", "restart", "restart default-0001-001"),
      fault(5000, "timeline[0]", "kill", "kill default-0001-001 (primary of shard 1)"),
      fault(31_000, "final-heal", "heal", "final heal: every process up, every link restored"),
    ];
    const events = [
      { atMs: START_MS + 6500, type: "failover-completed", node: "default-0001-002", detail: "took over from default-0001-001 in epoch 4", seenBy: ["default-0001-002"] },
      // The same failover as another node recorded it: one marker.
      { atMs: START_MS + 6510, type: "failover-completed", node: "default-0001-002", detail: "took over from default-0001-001 in epoch 4", seenBy: ["default-0002-001"] },
      { atMs: START_MS + 6000, type: "election-started", node: "default-0001-002", detail: "", seenBy: [] },
    ];
    const { markers } = buildTimeline([], faults, observations({ events }));
    expect(markers).toEqual([
      { tMs: 5000, label: "kill default-0001-001 (primary of shard 1)", kind: "fault" },
      { tMs: 6500, label: "failover default-0001-001 → default-0001-002", kind: "failover" },
      { tMs: 20_000, label: "restart default-0001-001", kind: "heal" },
      { tMs: 31_000, label: "final heal: every process up, every link restored", kind: "heal" },
    ]);
  });
});
