import { Random } from "@shardline/core";
import { describe, expect, it } from "vitest";
import type { BackendNode } from "../src/backends/backend.js";
import type { NodeSample } from "../src/model/observations.js";
import { primaryOf, resolveTarget, type ClusterView } from "../src/run/targets.js";

const node = (name: string, shard: number, zone: string, initialRole: "primary" | "replica"): BackendNode => ({ name, shard, availabilityZone: zone, initialRole, host: "127.0.0.1", port: 0, busPort: 0 });
const nodes = [node("p1", 1, "az-a", "primary"), node("r1a", 1, "az-b", "replica"), node("r1b", 1, "az-c", "replica"), node("p2", 2, "az-b", "primary"), node("r2a", 2, "az-c", "replica")];

function view(samples: Record<string, Partial<NodeSample>>, unreachable: string[] = []): ClusterView {
  const full = (name: string): NodeSample => ({ timeMs: 0, node: name, reachable: true, ...samples[name] });
  return {
    nodes,
    shards: 2,
    lastAnswered: (name) => (samples[name] === undefined ? undefined : full(name)),
    latest: (name) => (unreachable.includes(name) ? { timeMs: 0, node: name, reachable: false } : samples[name] === undefined ? undefined : full(name)),
  };
}

const healthy = {
  p1: { role: "primary" as const, slots: [[0, 8191]] as [number, number][], configEpoch: 1 },
  r1a: { role: "replica" as const, primary: "p1", replicationOffset: 900 },
  r1b: { role: "replica" as const, primary: "p1", replicationOffset: 1000 },
  p2: { role: "primary" as const, slots: [[8192, 16383]] as [number, number][], configEpoch: 2 },
  r2a: { role: "replica" as const, primary: "p2", replicationOffset: 5 },
};

describe("resolveTarget", () => {
  it("finds a shard's primary as it is now, preferring the newer epoch when two claim the slots", () => {
    expect(primaryOf(view(healthy), 1)).toBe("p1");
    const afterFailover = { ...healthy, r1b: { role: "primary" as const, slots: [[0, 8191]] as [number, number][], configEpoch: 3 } };
    expect(primaryOf(view(afterFailover), 1)).toBe("r1b");
    expect(() => primaryOf(view({ r1a: healthy.r1a }), 1)).toThrow(/no primary of shard 1 is known now/);
  });

  it("picks the best and worst replica by offset, and any one from the seed", () => {
    const random = new Random(1);
    expect(resolveTarget({ kind: "replica-of-shard", shard: 1, pick: "best" }, view(healthy), random, undefined)).toEqual({ names: ["r1b"], what: "least-lagged replica of shard 1" });
    expect(resolveTarget({ kind: "replica-of-shard", shard: 1, pick: "worst" }, view(healthy), random, undefined).names).toEqual(["r1a"]);
    const picks = Array.from({ length: 5 }, (_, i) => resolveTarget({ kind: "replica-of-shard", shard: 1, pick: "any" }, view(healthy), new Random(i), undefined).names[0]);
    const again = Array.from({ length: 5 }, (_, i) => resolveTarget({ kind: "replica-of-shard", shard: 1, pick: "any" }, view(healthy), new Random(i), undefined).names[0]);
    expect(picks).toEqual(again);
    expect(new Set(picks).size).toBeGreaterThan(0);
  });

  it("leaves out replicas that do not answer now", () => {
    expect(resolveTarget({ kind: "replica-of-shard", shard: 1, pick: "any" }, view(healthy, ["r1b"]), new Random(3), undefined).names).toEqual(["r1a"]);
    expect(() => resolveTarget({ kind: "replica-of-shard", shard: 2, pick: "any" }, view(healthy, ["r2a"]), new Random(3), undefined)).toThrow(/shard 2 has no replica that answers now/);
  });

  it("resolves zones, single nodes, everything, and 'same' as the step before", () => {
    const v = view(healthy);
    const random = new Random(1);
    expect(resolveTarget({ kind: "az", zone: "az-c" }, v, random, undefined)).toEqual({ names: ["r1b", "r2a"], what: "every node of az-c" });
    expect(resolveTarget({ kind: "node", name: "p2" }, v, random, undefined)).toEqual({ names: ["p2"], what: "primary of shard 2" });
    expect(resolveTarget({ kind: "all" }, v, random, undefined).names).toHaveLength(5);
    const previous = { names: ["p1"], what: "primary of shard 1" };
    expect(resolveTarget({ kind: "same" }, v, random, previous)).toBe(previous);
    expect(() => resolveTarget({ kind: "same" }, v, random, undefined)).toThrow(/'same' has no earlier target/);
    expect(() => resolveTarget({ kind: "node", name: "nope" }, v, random, undefined)).toThrow(/no node named nope/);
  });
});
