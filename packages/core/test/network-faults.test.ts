import { describe, expect, it } from "vitest";
import { deliveryTimeMs, FAULT_LIMITS, FaultRuleError, isClear, NetworkFaults, parseFaultRules, type FaultRule } from "../src/faults/network-faults.js";
import { Random } from "../src/random.js";

const rule = (overrides: Partial<FaultRule>): FaultRule => ({ id: "r", peers: "*", channels: ["bus", "replication", "client"], direction: "both", action: { kind: "partition" }, ...overrides });

describe("network fault rules", () => {
  it("match by channel, direction and peer; a peer not identified matches only rules about every peer", () => {
    const faults = new NetworkFaults();
    faults.set([rule({ id: "cut-b", peers: ["node-b"], channels: ["bus"], direction: "out" })]);
    expect(faults.shape("bus", "node-b", "out").partitioned).toBe(true);
    expect(faults.shape("bus", "node-b", "in").partitioned).toBe(false);
    expect(faults.shape("replication", "node-b", "out").partitioned).toBe(false);
    expect(faults.shape("bus", "node-c", "out").partitioned).toBe(false);
    expect(faults.shape("bus", undefined, "out").partitioned).toBe(false);
    faults.set([rule({ id: "all", action: { kind: "blackhole" } })]);
    expect(faults.shape("client", undefined, "in").held).toBe(true);
  });

  it("combine: delays add up, losses compound, a partition wins", () => {
    const faults = new NetworkFaults();
    faults.set([
      rule({ id: "a", action: { kind: "latency", delayMs: 100, jitterMs: 10 } }),
      rule({ id: "b", action: { kind: "latency", delayMs: 50, jitterMs: 0 } }),
      rule({ id: "c", action: { kind: "loss", probability: 0.5 } }),
      rule({ id: "d", action: { kind: "loss", probability: 0.5 } }),
    ]);
    const shape = faults.shape("bus", "x", "in");
    expect(shape).toMatchObject({ partitioned: false, held: false, delayMs: 150, jitterMs: 10 });
    expect(shape.lossProbability).toBeCloseTo(0.75);
    faults.clear();
    expect(isClear(faults.shape("bus", "x", "in"))).toBe(true);
    expect(faults.active).toBe(false);
  });

  it("count changes, so runtimes notice a new rule set", () => {
    const faults = new NetworkFaults();
    const before = faults.version;
    faults.set([rule({})]);
    faults.clear();
    expect(faults.version).toBe(before + 2);
  });

  it("refuse malformed rules with the field and what is allowed, changing nothing", () => {
    const faults = new NetworkFaults();
    faults.set([rule({ id: "keep" })]);
    const cases: [unknown, string][] = [
      [{}, "rules: must be a list of rules"],
      [[{ ...rule({}), id: "" }], "rules[0].id: must be a name of 1 to 64 characters"],
      [[rule({}), rule({})], "rules[1].id: 'r' is used by an earlier rule; ids must be distinct"],
      [[{ ...rule({}), peers: "everyone" }], 'rules[0].peers: must be "*" (every peer, clients included) or a list of node ids'],
      [[{ ...rule({}), channels: ["bus", "smoke"] }], "rules[0].channels: must list one or more of bus, replication, client"],
      [[{ ...rule({}), direction: "sideways" }], "rules[0].direction: must be in, out or both"],
      [[{ ...rule({}), action: { kind: "fire" } }], "rules[0].action.kind: must be partition, blackhole, latency or loss"],
      [[{ ...rule({}), action: { kind: "latency", delayMs: 600_000 } }], "rules[0].action.delayMs: must be a number from 0 to 60000, got 600000"],
      [[{ ...rule({}), action: { kind: "loss", probability: 0 } }], "rules[0].action.probability: must be above 0 (a loss rule of 0 does nothing)"],
      [Array.from({ length: FAULT_LIMITS.rulesMax + 1 }, (_, i) => rule({ id: `r${i}` })), `rules: at most ${FAULT_LIMITS.rulesMax} rules, got ${FAULT_LIMITS.rulesMax + 1}`],
    ];
    for (const [input, message] of cases) {
      expect(() => faults.set(input), message).toThrow(new FaultRuleError(message));
      expect(faults.rules.map((r) => r.id)).toEqual(["keep"]);
    }
    expect(parseFaultRules([rule({ channels: ["bus", "bus"] })])[0]!.channels).toEqual(["bus"]);
  });
});

describe("delivery times", () => {
  it("add the delay with a jitter inside its bounds, and never reorder a link", () => {
    const random = new Random(7);
    const shape = { partitioned: false, held: false, delayMs: 100, jitterMs: 40, lossProbability: 0 };
    let previous = 0;
    for (let nowMs = 0; nowMs < 1000; nowMs += 3) {
      const atMs = deliveryTimeMs(shape, nowMs, previous, random);
      expect(atMs).toBeGreaterThanOrEqual(previous);
      expect(atMs).toBeLessThanOrEqual(nowMs + 140);
      expect(atMs).toBeGreaterThanOrEqual(nowMs + 60);
      previous = atMs;
    }
  });

  it("model a lost unit as a retransmission after TCP's timeout, doubling while it keeps being lost", () => {
    const always = { partitioned: false, held: false, delayMs: 0, jitterMs: 0, lossProbability: 1 };
    const total = Array.from({ length: FAULT_LIMITS.retransmitsMax }, (_, i) => FAULT_LIMITS.retransmitTimeoutMs * 2 ** i).reduce((a, b) => a + b, 0);
    expect(deliveryTimeMs(always, 1000, 0, new Random(1))).toBe(1000 + total);
    const sometimes = { ...always, lossProbability: 0.3 };
    const random = new Random(3);
    let late = 0;
    const trials = 10_000;
    for (let i = 0; i < trials; i++) if (deliveryTimeMs(sometimes, 0, 0, random) > 0) late++;
    expect(late / trials).toBeGreaterThan(0.27);
    expect(late / trials).toBeLessThan(0.33);
  });
});
