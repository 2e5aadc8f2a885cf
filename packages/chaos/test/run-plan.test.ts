import { DEFAULT_TOPOLOGY, Random } from "@shardline/core";
import { describe, expect, it } from "vitest";
import type { Scenario } from "../src/model/scenario.js";
import { chaosSteps, planSteps } from "../src/run/plan.js";

function scenario(overrides: Partial<Scenario>): Scenario {
  return {
    name: "t",
    description: "",
    file: "",
    seed: 1,
    topology: { ...DEFAULT_TOPOLOGY, availabilityZones: [...DEFAULT_TOPOLOGY.availabilityZones], nodeConfig: {} },
    workload: { client: "ioredis-cluster", ratePerSecond: 100, clients: 1, concurrency: 1, keys: 10, mix: { set: 1, get: 0, incr: 0 }, wait: undefined, commandTimeoutMs: 1000, reads: "primary" },
    timeline: [],
    chaos: undefined,
    expect: { maxUnavailableMs: undefined, lostAcknowledgedWrites: undefined, lostAcknowledgedWaitWrites: undefined, promoted: undefined, convergedWithinMs: undefined, staleReads: undefined, impossibleReads: 0, splitBrain: "none", failovers: undefined },
    durationMs: 30_000,
    settleTimeoutMs: 60_000,
    ...overrides,
  };
}

const chaos = { faults: ["kill", "pause", "partition", "az-isolation"] as const, targets: [{ kind: "any-primary" as const }, { kind: "any-replica" as const }], startMs: 2000, intervalMs: 3000, durationMs: 20_000, delayMs: 100, jitterMs: 10, probability: 0.1 };

describe("planSteps", () => {
  it("labels timeline steps and binds 'same' to the previous step with a target", () => {
    const steps = planSteps(
      scenario({
        timeline: [
          { atMs: 5000, fault: { do: "kill", target: { kind: "primary-of-shard", shard: 1 } }, line: 1 },
          { atMs: 9000, fault: { do: "heal", target: undefined }, line: 2 },
          { atMs: 12_000, fault: { do: "restart", target: { kind: "same" } }, line: 3 },
        ],
      }),
      new Random(1),
    );
    expect(steps.map((s) => [s.label, s.atMs, s.sameAs])).toEqual([
      ["timeline[0]", 5000, undefined],
      ["timeline[1]", 9000, "timeline[0]"],
      ["timeline[2]", 12_000, "timeline[0]"],
    ]);
  });

  it("tells a pause when its resume comes, or the end of the run when none does", () => {
    const steps = planSteps(
      scenario({
        timeline: [
          { atMs: 5000, fault: { do: "pause", target: { kind: "primary-of-shard", shard: 1 } }, line: 1 },
          { atMs: 10_000, fault: { do: "resume", target: { kind: "same" } }, line: 2 },
          { atMs: 20_000, fault: { do: "pause", target: { kind: "node", name: "default-0002-002" } }, line: 3 },
        ],
      }),
      new Random(1),
    );
    expect(steps.filter((s) => s.fault.do === "pause").map((s) => s.resumeAfterMs)).toEqual([5000, 10_000]);
  });

  it("draws the same chaos schedule from the same seed, and another from another seed", () => {
    const zones = ["az-a", "az-b", "az-c"];
    const a = chaosSteps({ ...chaos, faults: [...chaos.faults] }, zones, 3, new Random(42));
    const b = chaosSteps({ ...chaos, faults: [...chaos.faults] }, zones, 3, new Random(42));
    expect(a).toEqual(b);
    const others = [1, 2, 3, 4, 5].map((seed) => JSON.stringify(chaosSteps({ ...chaos, faults: [...chaos.faults] }, zones, 3, new Random(seed))));
    expect(others.some((other) => other !== JSON.stringify(a))).toBe(true);
  });

  it("alternates a fault and its undoing, one interval apart, within the chaos window", () => {
    const steps = chaosSteps({ ...chaos, faults: [...chaos.faults] }, ["az-a", "az-b", "az-c"], 3, new Random(7));
    // Faults at 2, 8 and 14 s; one at 20 s would be undone at 23 s, after the window (2 s + 20 s).
    expect(steps.length).toBe(6);
    for (let i = 0; i < steps.length; i += 2) {
      const [fault, undo] = [steps[i]!, steps[i + 1]!];
      expect(fault.atMs).toBe(2000 + (i / 2) * 6000);
      expect(undo.atMs).toBe(fault.atMs + 3000);
      expect(undo.sameAs).toBe(fault.label);
      const expected = { kill: "restart", pause: "resume", partition: "heal", "az-isolation": "heal" }[fault.fault.do as "kill"];
      expect(undo.fault.do).toBe(expected);
      expect(steps[steps.length - 1]!.atMs).toBeLessThanOrEqual(22_000);
    }
  });
});
