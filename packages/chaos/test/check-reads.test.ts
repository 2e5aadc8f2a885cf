import { describe, expect, it } from "vitest";
import { reads } from "../src/check/index.js";
import type { Operation } from "../src/model/history.js";
import { failed, get, set } from "./check-fixtures.js";

const counts = (operations: Operation[]) => {
  const result = reads(operations, 0);
  return { reads: result.reads, stale: result.stale, impossible: result.impossible };
};

describe("reads", () => {
  it("accepts null before the first write, and while the first write is in flight", () => {
    expect(counts([get("r:1", null, 0, 5), set("r:1", "0-1", 10, 20), get("r:1", null, 15, 25)])).toEqual({ reads: 2, stale: 0, impossible: 0 });
  });

  it("calls null stale once an acknowledged SET completed before the read began", () => {
    const result = reads([set("r:1", "0-1", 0, 10), get("r:1", null, 11, 12)], 0);
    expect(result.stale).toBe(1);
    expect(result.examples).toEqual([{ key: "r:1", readAtMs: 11, value: null, kind: "stale", why: "read null, but 0-1 was acknowledged at +0.0 s, before the read began" }]);
  });

  it("calls a value no SET wrote impossible, never stale", () => {
    const result = reads([set("r:1", "0-1", 0, 10), set("r:1", "0-2", 20, 30), get("r:1", "7-7", 40, 50)], 0);
    expect([result.stale, result.impossible]).toEqual([0, 1]);
    expect(result.examples[0]).toMatchObject({ kind: "impossible", value: "7-7" });
    expect(result.examples[0]!.why).toMatch(/no SET to r:1 ever wrote/);
  });

  it("calls a value read before its SET began impossible", () => {
    expect(counts([get("r:1", "0-1", 0, 5), set("r:1", "0-1", 10, 20)]).impossible).toBe(1);
  });

  it("accepts the value of a SET that failed or whose outcome is unknown (it may have applied)", () => {
    const operations = [failed(set("r:1", "0-1", 0, 10), "CLUSTERDOWN"), set("r:1", "0-2", 20, undefined), get("r:1", "0-1", 30, 40), get("r:1", "0-2", 30, 40)];
    expect(counts(operations)).toEqual({ reads: 2, stale: 0, impossible: 0 });
  });

  it("calls a value stale when a later SET, begun after it completed, completed before the read began", () => {
    const result = reads([set("r:1", "0-1", 0, 10), set("r:1", "0-2", 20, 30), get("r:1", "0-1", 40, 50)], 0);
    expect(result.stale).toBe(1);
    expect(result.examples[0]!.why).toMatch(/0-2 replaced it/);
  });

  it("accepts a value whose SET was concurrent with the later one", () => {
    // 0-2 began at 5, before 0-1 completed: either order is linearizable.
    expect(counts([set("r:1", "0-1", 0, 10), set("r:1", "0-2", 5, 30), get("r:1", "0-1", 40, 50)]).stale).toBe(0);
  });

  it("accepts an older value while the newer SET is still in flight when the read begins", () => {
    expect(counts([set("r:1", "0-1", 0, 10), set("r:1", "0-2", 20, 30), get("r:1", "0-1", 25, 35)]).stale).toBe(0);
  });

  it("never calls the value of an unknown SET stale: it never definitely precedes", () => {
    expect(counts([set("r:1", "0-1", 0, undefined), set("r:1", "0-2", 20, 30), get("r:1", "0-1", 40, 50)]).stale).toBe(0);
  });

  it("counts only reads that returned, per key", () => {
    const operations = [set("r:1", "0-1", 0, 10), failed(get("r:1", null, 20, 30), "timeout", "unknown"), set("r:2", "0-2", 0, 10), get("r:2", "0-1", 20, 30)];
    expect(counts(operations)).toEqual({ reads: 1, stale: 0, impossible: 1 });
  });

  it("finds the overwriting SET among many by binary search, whatever order the history lists them in", () => {
    const sets = Array.from({ length: 200 }, (_, i) => set("r:1", `0-${i}`, i * 10, i * 10 + 5));
    const operations = [...sets].reverse();
    operations.push(get("r:1", "0-100", 1003, 1004), get("r:1", "0-100", 1020, 1030), get("r:1", "0-199", 2000, 2001));
    const result = reads(operations, 0);
    expect(result.stale).toBe(1);
    expect(result.examples[0]!.readAtMs).toBe(1020);
  });
});
