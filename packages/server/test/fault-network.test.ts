import { FAULT_LIMITS, NetworkFaults, type FaultRule } from "@shardline/core";
import { describe, expect, it } from "vitest";
import { FaultNetwork } from "../src/fault-network.js";

const clock = () => performance.now();
const rule = (action: FaultRule["action"], overrides: Partial<FaultRule> = {}): FaultRule => ({ id: "r", peers: "*", channels: ["client"], direction: "both", action, ...overrides });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup() {
  const faults = new NetworkFaults();
  const network = new FaultNetwork(faults, clock);
  const delivered: number[] = [];
  let partitions = 0;
  const shaper = network.shaper("client", "in", () => undefined, () => partitions++);
  const push = (n: number, bytes = 1) => shaper.push(bytes, () => delivered.push(n));
  return { faults, network, shaper, delivered, push, partitions: () => partitions };
}

describe("LinkShaper", () => {
  it("delivers at once, with no rule in force", () => {
    const { shaper, delivered, push } = setup();
    expect(shaper.idle).toBe(true);
    push(1);
    expect(delivered).toEqual([1]);
  });

  it("delays by the latency, keeping order even with jitter", async () => {
    const { faults, network, delivered, push } = setup();
    faults.set([rule({ kind: "latency", delayMs: 60, jitterMs: 40 })]);
    network.rulesChanged();
    const startedMs = clock();
    for (let i = 0; i < 50; i++) push(i);
    expect(delivered).toEqual([]);
    await sleep(15);
    expect(delivered).toEqual([]);
    while (delivered.length < 50 && clock() - startedMs < 2000) await sleep(10);
    expect(delivered).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("holds a blackholed link's traffic and delivers it, in order, when the rule goes", async () => {
    const { faults, network, shaper, delivered, push, partitions } = setup();
    faults.set([rule({ kind: "blackhole" })]);
    network.rulesChanged();
    push(1, 10);
    push(2, 20);
    await sleep(50);
    expect(delivered).toEqual([]);
    expect(shaper.queuedBytes).toBe(30);
    faults.clear();
    network.rulesChanged();
    await sleep(20);
    expect(delivered).toEqual([1, 2]);
    expect(shaper.queuedBytes).toBe(0);
    expect(partitions()).toBe(0);
  });

  it("resets a partitioned link at once, dropping what it held, and then drops what arrives", async () => {
    const { faults, network, delivered, push, partitions } = setup();
    faults.set([rule({ kind: "blackhole" })]);
    network.rulesChanged();
    push(1);
    faults.set([rule({ kind: "partition" })]);
    network.rulesChanged();
    expect(partitions()).toBe(1);
    push(2);
    expect(partitions()).toBe(2);
    faults.clear();
    network.rulesChanged();
    await sleep(20);
    expect(delivered).toEqual([]);
  });

  it("resets an idle stream the moment a partition starts", () => {
    const { faults, network, partitions } = setup();
    faults.set([rule({ kind: "partition" })]);
    network.rulesChanged();
    expect(partitions()).toBe(1);
  });

  it("leaves links a rule is not about alone", () => {
    const { faults, network, delivered, push, partitions } = setup();
    faults.set([rule({ kind: "partition" }, { channels: ["bus"] }), rule({ kind: "blackhole" }, { id: "other", peers: ["some-node"] })]);
    network.rulesChanged();
    push(1);
    expect(delivered).toEqual([1]);
    expect(partitions()).toBe(0);
  });

  it("resets a link that would hold more than its bound", () => {
    const { faults, network, push, partitions, shaper } = setup();
    faults.set([rule({ kind: "blackhole" })]);
    network.rulesChanged();
    push(1, FAULT_LIMITS.heldBytesMax);
    expect(partitions()).toBe(0);
    push(2, 1);
    expect(partitions()).toBe(1);
    expect(shaper.queuedBytes).toBe(0);
  });

  it("delivers nothing after it is disposed (its link closed)", async () => {
    const { faults, network, shaper, delivered, push } = setup();
    faults.set([rule({ kind: "latency", delayMs: 20, jitterMs: 0 })]);
    network.rulesChanged();
    push(1);
    shaper.dispose();
    await sleep(50);
    expect(delivered).toEqual([]);
  });
});
