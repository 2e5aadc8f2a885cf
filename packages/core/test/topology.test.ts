import { describe, expect, it } from "vitest";
import { DEFAULT_TOPOLOGY, placeNodes, splitSlots, topologyFrom, TopologyError, type Topology } from "../src/topology/topology.js";

const withDefaults = (overrides: Partial<Topology>): Topology => ({ ...DEFAULT_TOPOLOGY, availabilityZones: [...DEFAULT_TOPOLOGY.availabilityZones], ...overrides });

describe("topology", () => {
  it("places the default cluster as DESIGN.md describes: 9 nodes, 7000-7008, one primary per AZ, every shard across 3 AZs", () => {
    const nodes = placeNodes(DEFAULT_TOPOLOGY);
    expect(nodes.map((n) => n.port)).toEqual([7000, 7001, 7002, 7003, 7004, 7005, 7006, 7007, 7008]);
    expect(nodes.every((n) => n.busPort === n.port + 10000 && n.host === "127.0.0.1")).toBe(true);
    const primaries = nodes.filter((n) => n.initialRole === "primary");
    expect(primaries.map((n) => n.port)).toEqual([7000, 7001, 7002]);
    expect(new Set(primaries.map((n) => n.availabilityZone)).size).toBe(3);
    for (const shard of [1, 2, 3]) {
      const members = nodes.filter((n) => n.shard === shard);
      expect(members).toHaveLength(3);
      expect(new Set(members.map((n) => n.availabilityZone)).size).toBe(3);
    }
    expect(primaries.map((n) => n.slotRanges)).toEqual([[[0, 5460]], [[5461, 10922]], [[10923, 16383]]]);
    expect(nodes.find((n) => n.port === 7000)!.name).toBe("default-0001-001");
  });

  it("splits slots like redis-cli --cluster create", () => {
    expect(splitSlots(1)).toEqual([[0, 16383]]);
    expect(splitSlots(3)).toEqual([[0, 5460], [5461, 10922], [10923, 16383]]);
    const ranges = splitSlots(7);
    expect(ranges[0]![0]).toBe(0);
    expect(ranges.at(-1)![1]).toBe(16383);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1] + 1);
  });

  it("refuses more replicas than zones allow, naming the field and the fix", () => {
    expect(() => placeNodes(withDefaults({ replicasPerShard: 3 }))).toThrow(TopologyError);
    expect(() => placeNodes(withDefaults({ replicasPerShard: 3 }))).toThrow(/replicasPerShard: 3 replicas need 4 availability zones.*only 3 are listed/);
  });

  it("refuses port ranges that collide or overflow", () => {
    expect(() => placeNodes(withDefaults({ busPortOffset: 5 }))).toThrow(/busPortOffset: client ports 7000-7008 would collide with bus ports/);
    expect(() => placeNodes(withDefaults({ basePort: 65530 }))).toThrow(/basePort: 9 nodes from port 65530/);
    expect(() => placeNodes(withDefaults({ shards: 0 }))).toThrow(/shards: must be a whole number from 1 to 500/);
    expect(() => placeNodes(withDefaults({ replicasPerShard: 6, availabilityZones: ["a", "b", "c", "d", "e", "f", "g"] }))).toThrow(/replicasPerShard: must be a whole number from 0 to 5/);
  });

  it("reads user data with defaults and refuses unknown fields", () => {
    const t = topologyFrom({ shards: 1, replicasPerShard: 1 });
    expect(placeNodes(t)).toHaveLength(2);
    expect(() => topologyFrom({ shard: 2 })).toThrow(/shard: unknown field; allowed: name, availabilityZones/);
    expect(() => topologyFrom([1])).toThrow(TopologyError);
  });
});
