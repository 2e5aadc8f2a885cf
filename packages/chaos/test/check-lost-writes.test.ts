import { describe, expect, it } from "vitest";
import { LOST_EXAMPLES_MAX, lostWrites } from "../src/check/index.js";
import type { Operation } from "../src/model/history.js";
import type { FinalState } from "../src/model/observations.js";
import { failed, finalState, incr, set } from "./check-fixtures.js";

const options = { waitReplicasAsked: 1 };
const lostValues = (operations: Operation[], final: FinalState) => lostWrites(operations, final, options).examples.map((e) => e.value);

describe("lost writes: registers", () => {
  it("loses nothing when the final value is the last write's", () => {
    const operations = [set("r:1", "0-1", 0, 10), set("r:1", "0-2", 20, 30)];
    expect(lostWrites(operations, finalState({ "r:1": "0-2" }), options)).toEqual({ acknowledged: 2, acknowledgedWithWait: 0, lost: 0, lostWithWait: 0, examples: [] });
  });

  it("loses every acknowledged SET when the key is gone", () => {
    const operations = [set("r:1", "0-1", 0, 10), set("r:1", "0-2", 20, 30), failed(set("r:1", "0-3", 40, 50), "CLUSTERDOWN")];
    const result = lostWrites(operations, finalState({ "r:1": null }), options);
    expect(result.lost).toBe(2);
    expect(result.examples).toEqual([
      { key: "r:1", value: "0-1", acknowledgedAtMs: 10, wait: false, finalValue: null },
      { key: "r:1", value: "0-2", acknowledgedAtMs: 30, wait: false, finalValue: null },
    ]);
  });

  it("loses every acknowledged SET when the final value was never written", () => {
    const operations = [set("r:1", "0-1", 0, 10), set("r:1", "0-2", 20, 30)];
    expect(lostValues(operations, finalState({ "r:1": "9-9" }))).toEqual(["0-1", "0-2"]);
  });

  it("loses the SETs that the final value's SET definitely precedes, not those concurrent with it", () => {
    // 0-1 completed at 10; 0-2 began at 5 (concurrent with 0-1); 0-3 began at 20, after 0-1 completed.
    const operations = [set("r:1", "0-1", 0, 10), set("r:1", "0-2", 5, 15), set("r:1", "0-3", 20, 30)];
    expect(lostValues(operations, finalState({ "r:1": "0-1" }))).toEqual(["0-3"]);
  });

  it("loses nothing to a final value whose SET is unknown or failed: such a SET never definitely precedes", () => {
    const neverCompleted = [set("r:1", "0-1", 0, undefined), set("r:1", "0-2", 100, 110)];
    expect(lostWrites(neverCompleted, finalState({ "r:1": "0-1" }), options).lost).toBe(0);
    const timedOut = [failed(set("r:1", "0-1", 0, 10), "timeout", "unknown"), set("r:1", "0-2", 100, 110)];
    expect(lostWrites(timedOut, finalState({ "r:1": "0-1" }), options).lost).toBe(0);
    const refused = [failed(set("r:1", "0-1", 0, 10), "CLUSTERDOWN"), set("r:1", "0-2", 100, 110)];
    expect(lostWrites(refused, finalState({ "r:1": "0-1" }), options).lost).toBe(0);
  });

  it("counts SETs acknowledged with WAIT only when WAIT reached the replicas asked, and their losses apart", () => {
    const operations = [
      set("r:1", "0-1", 0, 10, "ok", { wait: true, waitReplicas: 2 }),
      set("r:1", "0-2", 20, 30, "ok", { wait: true, waitReplicas: 1 }),
      set("r:1", "0-3", 40, 50, "ok", { wait: true }),
      set("r:2", "0-4", 0, 10, "ok", { wait: true, waitReplicas: 2 }),
    ];
    const result = lostWrites(operations, finalState({ "r:1": null, "r:2": "0-4" }), { waitReplicasAsked: 2 });
    expect([result.acknowledged, result.acknowledgedWithWait, result.lost, result.lostWithWait]).toEqual([4, 2, 3, 1]);
    // WAIT-acknowledged losses come first: they break the promise.
    expect(result.examples.map((e) => [e.value, e.wait])).toEqual([
      ["0-1", true],
      ["0-2", false],
      ["0-3", false],
    ]);
  });

  it("keeps at most the first few examples but counts every loss", () => {
    const operations = Array.from({ length: 50 }, (_, i) => set(`r:${i}`, `0-${i}`, i * 10, i * 10 + 5));
    const result = lostWrites(operations, finalState(Object.fromEntries(operations.map((o) => [o.key, null]))), options);
    expect(result.lost).toBe(50);
    expect(result.examples).toHaveLength(LOST_EXAMPLES_MAX);
    expect(result.examples[0]!.value).toBe("0-0");
  });
});

describe("lost writes: counters", () => {
  it("loses nothing when the counter holds every acknowledged increment, or more (a retry applied one twice)", () => {
    const operations = [incr("c:1", 1, 0, 10), incr("c:1", 2, 20, 30), incr("c:1", 3, 40, 50)];
    expect(lostWrites(operations, finalState({ "c:1": 3 }), options).lost).toBe(0);
    expect(lostWrites(operations, finalState({ "c:1": 5 }), options).lost).toBe(0);
  });

  it("counts each missing increment as one lost write", () => {
    const operations = [incr("c:1", 1, 0, 10), incr("c:1", 2, 20, 30), incr("c:1", 3, 40, 50)];
    const result = lostWrites(operations, finalState({ "c:1": 1 }), options);
    expect(result.lost).toBe(2);
    expect(result.examples).toEqual([{ key: "c:1", value: "2 increments", acknowledgedAtMs: 50, wait: false, finalValue: 1 }]);
  });

  it("uses the largest acknowledged result as a lower bound too", () => {
    // Two acknowledged increments, but the second saw the counter at 6 (unknown INCRs applied): a final 4 lost two.
    const operations = [incr("c:1", 1, 0, 10), incr("c:1", undefined, 12, undefined), incr("c:1", 6, 20, 30)];
    expect(lostWrites(operations, finalState({ "c:1": 4 }), options).lost).toBe(2);
  });

  it("reads a missing counter as 0 and a counter sent as a string as its number", () => {
    const operations = [incr("c:1", 1, 0, 10), incr("c:2", 1, 0, 10), incr("c:2", 2, 20, 30)];
    const result = lostWrites(operations, finalState({ "c:1": null, "c:2": "2" }), options);
    expect(result.lost).toBe(1);
    expect(result.examples[0]).toMatchObject({ key: "c:1", value: "1 increment", finalValue: null });
  });
});

describe("lost writes that cannot be measured", () => {
  const operations = [set("r:1", "0-1", 0, 10), incr("c:1", 1, 0, 10)];

  it("says so when there is no final state", () => {
    const result = lostWrites(operations, undefined, options);
    expect(result.acknowledged).toBe(2);
    expect(result.unmeasurable).toMatch(/no final state/);
  });

  it("says so when the final read failed", () => {
    expect(lostWrites(operations, finalState({}, { valuesUnreadable: "CLUSTERDOWN The cluster is down" }), options).unmeasurable).toMatch(/final read of the keys failed: CLUSTERDOWN/);
  });

  it("names written keys without a final value, and still checks the others", () => {
    const result = lostWrites(operations, finalState({ "r:1": null }), options);
    expect(result.lost).toBe(1);
    expect(result.unmeasurable).toMatch(/no final value was read for 1 written key \(c:1\)/);
  });
});
