import { describe, expect, it } from "vitest";
import { availability, convergence, errors } from "../src/check/index.js";
import { failed, finalState, get, incr, keyOnShard, observations, set } from "./check-fixtures.js";

const one = keyOnShard(1);
const oneCounter = keyOnShard(1, "c:");
const two = keyOnShard(2);

function shard(result: ReturnType<typeof availability>, number: number) {
  return result.shards.find((s) => s.shard === number)!;
}

describe("availability", () => {
  it("measures from the first held-up write to the next success, and counts writes per shard", () => {
    const operations = [
      set(one, "0-1", 90, 100),
      incr(oneCounter, 1, 190, 200),
      set(one, "0-2", 290, 300),
      failed(set(one, "0-3", 400, 450), "CLUSTERDOWN"),
      set(one, "0-4", 500, 1500, "unknown"),
      incr(oneCounter, 2, 2290, 2300),
      set(one, "0-5", 2390, 2400),
      set(two, "0-6", 1000, 1001),
    ];
    const result = availability(operations, observations({ workloadStartMs: 0, workloadEndMs: 3000 }));
    expect(shard(result, 1)).toEqual({ shard: 1, longest: { fromMs: 400, toMs: 2300, durationMs: 1900, resumed: true }, writesOk: 5, writesFailed: 1, writesUnknown: 1 });
    expect(result.maxUnavailableMs).toBe(1900);
  });

  it("does not call a quiet shard unavailable: its window is only as long as the write that ended the quiet", () => {
    const operations = [set(one, "0-1", 990, 1000), set(one, "0-2", 8999, 9000), set(one, "0-3", 8999.5, 9002)];
    const result = availability(operations, observations());
    // The longest is the first write's own 10 ms (from the workload's start at 0); the quiet 8 s are no window.
    expect(shard(result, 1).longest).toEqual({ fromMs: 990, toMs: 1000, durationMs: 10, resumed: true });
    expect(result.maxUnavailableMs).toBe(10);
  });

  it("counts the time writes were held up, a single write retried through an outage included", () => {
    const operations = [set(one, "0-1", 990, 1000), set(one, "0-2", 1100, 3000), set(one, "0-3", 1200, 3001)];
    expect(shard(availability(operations, observations()), 1).longest).toEqual({ fromMs: 1100, toMs: 3000, durationMs: 1900, resumed: true });
    const retried = [set(one, "0-1", 990, 1000), set(one, "0-2", 1100, 2600)];
    expect(shard(availability(retried, observations()), 1).longest).toEqual({ fromMs: 1100, toMs: 2600, durationMs: 1500, resumed: true });
  });

  it("starts a window at the last success when a write was already waiting then", () => {
    const operations = [set(one, "0-1", 500, 2000), set(one, "0-2", 990, 1000), set(one, "0-3", 1990, 2001)];
    expect(shard(availability(operations, observations()), 1).longest).toEqual({ fromMs: 1000, toMs: 2000, durationMs: 1000, resumed: true });
  });

  it("runs a window to the workload's end, not resumed, when writes never succeed again", () => {
    const operations = [set(one, "0-1", 990, 1000), failed(set(one, "0-2", 2000, 2001), "CLUSTERDOWN"), set(one, "0-3", 3000, undefined)];
    expect(shard(availability(operations, observations({ workloadEndMs: 10_000 })), 1).longest).toEqual({ fromMs: 2000, toMs: 10_000, durationMs: 8000, resumed: false });
  });

  it("runs a window from the workload's start when no write ever succeeded", () => {
    const operations = [failed(set(one, "0-1", 500, 600), "connection", "unknown")];
    const result = shard(availability(operations, observations({ workloadStartMs: 100, workloadEndMs: 5000 })), 1);
    expect(result.longest).toEqual({ fromMs: 500, toMs: 5000, durationMs: 4500, resumed: false });
    expect([result.writesOk, result.writesFailed, result.writesUnknown]).toEqual([0, 0, 1]);
  });

  it("treats a write that never completed as not succeeding", () => {
    const operations = [set(one, "0-1", 990, 1000), set(one, "0-2", 1500, undefined), set(one, "0-3", 4000, 4001)];
    expect(shard(availability(operations, observations()), 1).longest?.durationMs).toBe(2501);
  });

  it("keeps the longest of several windows, and ignores reads", () => {
    const operations = [
      set(one, "0-1", 90, 100),
      failed(set(one, "0-2", 200, 201), "TRYAGAIN"),
      set(one, "0-3", 590, 600),
      failed(get(one, null, 700, 5000), "timeout", "unknown"),
      set(one, "0-4", 5990, 6000),
      failed(set(one, "0-5", 6100, 6101), "MOVED"),
      set(one, "0-6", 6990, 7000),
    ];
    expect(shard(availability(operations, observations()), 1).longest).toEqual({ fromMs: 6100, toMs: 7000, durationMs: 900, resumed: true });
  });

  it("lists every shard, those without writes with no window, and takes the worst shard", () => {
    const operations = [set(one, "0-1", 0, 10), failed(set(one, "0-2", 20, 21), "CLUSTERDOWN"), set(one, "0-3", 500, 510), set(two, "0-4", 0, 10), failed(set(two, "0-5", 20, 21), "CLUSTERDOWN"), set(two, "0-6", 900, 910)];
    const result = availability(operations, observations());
    expect(result.shards.map((s) => s.shard)).toEqual([1, 2, 3]);
    expect(shard(result, 3)).toEqual({ shard: 3, longest: undefined, writesOk: 0, writesFailed: 0, writesUnknown: 0 });
    expect(result.maxUnavailableMs).toBe(890);
  });
});

describe("errors", () => {
  it("counts failed and unknown operations by kind, an operation without a kind as other, and passes the wire counts through", () => {
    const operations = [set(one, "0-1", 0, 1), failed(set(one, "0-2", 0, 1), "CLUSTERDOWN"), failed(set(one, "0-3", 0, 1), "CLUSTERDOWN"), failed(get(one, null, 0, 1), "timeout", "unknown"), set(one, "0-4", 0, undefined)];
    expect(errors(operations, { CLUSTERDOWN: 7 })).toEqual({ byKind: { CLUSTERDOWN: 2, timeout: 1, other: 1 }, wire: { CLUSTERDOWN: 7 }, failed: 2, unknown: 2 });
  });
});

describe("convergence", () => {
  it("measures from the final heal to convergence", () => {
    expect(convergence(finalState({}, { healedAtMs: 1000, convergedAtMs: 3500 }))).toEqual({ converged: true, withinMs: 2500, problems: [] });
  });

  it("is not converged when the cluster never agreed, or when there is no final state at all", () => {
    expect(convergence(finalState({}, { convergedAtMs: undefined, problems: ["shard 2 has two primaries"] }))).toEqual({ converged: false, withinMs: undefined, problems: ["shard 2 has two primaries"] });
    const none = convergence(undefined);
    expect(none.converged).toBe(false);
    expect(none.problems[0]).toMatch(/no final state/);
  });
});
