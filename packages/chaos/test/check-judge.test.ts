import { describe, expect, it } from "vitest";
import { judge, runChecks } from "../src/check/index.js";
import type { CheckResults, FailoverFact } from "../src/model/report.js";
import type { Expectations } from "../src/model/scenario.js";
import { failed, finalState, keyOnShard, observations, set } from "./check-fixtures.js";

const NOTHING_SET: Expectations = {
  maxUnavailableMs: undefined,
  lostAcknowledgedWrites: undefined,
  lostAcknowledgedWaitWrites: undefined,
  promoted: undefined,
  convergedWithinMs: undefined,
  staleReads: undefined,
  impossibleReads: 0,
  splitBrain: "none",
  failovers: undefined,
};

function results(overrides: Partial<CheckResults> = {}): CheckResults {
  return {
    availability: { shards: [{ shard: 1, longest: undefined, writesOk: 10, writesFailed: 0, writesUnknown: 0 }], maxUnavailableMs: 0 },
    errors: { byKind: {}, wire: {}, failed: 0, unknown: 0 },
    lostWrites: { acknowledged: 10, acknowledgedWithWait: 2, lost: 0, lostWithWait: 0, examples: [] },
    reads: { reads: 5, stale: 0, impossible: 0, examples: [] },
    splitBrain: { windows: [] },
    failovers: [],
    convergence: { converged: true, withinMs: 800, problems: [] },
    startMs: 0,
    ...overrides,
  };
}

const failover = (overrides: Partial<FailoverFact>): FailoverFact => ({
  shard: 1,
  from: "p",
  to: "r1",
  atMs: 6200,
  causedBy: undefined,
  sinceFaultMs: undefined,
  lagRank: 0,
  offsets: {},
  manual: false,
  ...overrides,
});

const byName = (expect: Partial<Expectations>, checks: CheckResults) => {
  const judged = judge({ ...NOTHING_SET, ...expect }, checks);
  return { verdict: judged.verdict, ...Object.fromEntries(judged.expectations.map((e) => [e.name, e])) } as Record<string, { name: string; expected: string; actual: string; pass: boolean; detail: string }> & {
    verdict: string;
  };
};

describe("judge", () => {
  it("judges only the safety checks when nothing else is set, and passes a clean run", () => {
    const judged = judge(NOTHING_SET, results());
    expect(judged.expectations.map((e) => e.name)).toEqual(["convergedWithinMs", "impossibleReads", "splitBrain"]);
    expect(judged.expectations.every((e) => e.pass)).toBe(true);
    expect(judged.verdict).toBe("pass");
  });

  it("says by how much the longest unavailable window went over, and where", () => {
    const availability = { shards: [{ shard: 2, longest: { fromMs: 5000, toMs: 7312, durationMs: 2312, resumed: true }, writesOk: 9, writesFailed: 3, writesUnknown: 0 }], maxUnavailableMs: 2312 };
    const judged = byName({ maxUnavailableMs: 2000 }, results({ availability }));
    expect(judged.maxUnavailableMs).toEqual({
      name: "maxUnavailableMs",
      expected: "≤ 2000 ms",
      actual: "2312 ms (shard 2)",
      pass: false,
      detail: "over by 312 ms: shard 2 took no write from +5.0 s to +7.3 s",
    });
    expect(judged.verdict).toBe("fail");
    expect(byName({ maxUnavailableMs: 3000 }, results({ availability })).maxUnavailableMs!.pass).toBe(true);
  });

  it("names the lost writes, and judges WAIT-acknowledged ones apart", () => {
    const lostWrites = {
      acknowledged: 10,
      acknowledgedWithWait: 2,
      lost: 2,
      lostWithWait: 1,
      examples: [
        { key: "r:17", value: "3-88", acknowledgedAtMs: 6200, wait: true, finalValue: "3-80" },
        { key: "c:4", value: "1 increment", acknowledgedAtMs: 7000, wait: false, finalValue: 2 },
      ],
    };
    const judged = byName({ lostAcknowledgedWrites: 0, lostAcknowledgedWaitWrites: 0 }, results({ lostWrites }));
    expect(judged.lostAcknowledgedWrites).toMatchObject({ expected: "≤ 0 lost", actual: "2 lost of 10 acknowledged", pass: false });
    expect(judged.lostAcknowledgedWrites!.detail).toBe("2 lost (2 over): r:17 (value 3-88, acknowledged at +6.2 s with WAIT; final 3-80); c:4 (1 increment, acknowledged at +7.0 s; final 2)");
    expect(judged.lostAcknowledgedWaitWrites).toMatchObject({ actual: "1 lost of 2 acknowledged with WAIT", pass: false });
    expect(judged.lostAcknowledgedWaitWrites!.detail).not.toMatch(/c:4/);
    expect(byName({ lostAcknowledgedWrites: 2 }, results({ lostWrites })).lostAcknowledgedWrites!.pass).toBe(true);
  });

  it("fails lost writes it could not measure, and says why", () => {
    const lostWrites = { acknowledged: 10, acknowledgedWithWait: 0, lost: 0, lostWithWait: 0, examples: [], unmeasurable: "the final read of the keys failed: CLUSTERDOWN" };
    const judged = byName({ lostAcknowledgedWrites: 0 }, results({ lostWrites }));
    expect(judged.lostAcknowledgedWrites).toMatchObject({ pass: false, detail: "could not be measured: the final read of the keys failed: CLUSTERDOWN" });
    expect(judged.verdict).toBe("fail");
  });

  it("passes least-lagged promotions, fails a promotion with a replica ahead and one it could not decide, and ignores manual ones", () => {
    const good = failover({ lagRank: 0 });
    const manualBehind = failover({ lagRank: 2, manual: true });
    expect(byName({ promoted: "least-lagged" }, results({ failovers: [good, manualBehind] })).promoted).toMatchObject({ actual: "1 of 1 automatic failover least-lagged", pass: true });
    const behind = failover({ shard: 2, to: "r2", lagRank: 1, offsets: { r2: 800, r3: 900 } });
    const undecided = failover({ shard: 3, to: "r3", lagRank: undefined, lagRankUnknownReason: "the run took no samples of the nodes" });
    const judged = byName({ promoted: "least-lagged" }, results({ failovers: [good, behind, undecided] })).promoted!;
    expect(judged.pass).toBe(false);
    expect(judged.actual).toBe("1 of 3 automatic failovers least-lagged");
    expect(judged.detail).toBe(
      "shard 2: r2 promoted at +6.2 s with 1 replica further ahead (offsets r2 800, r3 900); shard 3: r3 promoted at +6.2 s undecided, the run could not show it: the run took no samples of the nodes",
    );
    expect(byName({ promoted: "least-lagged" }, results()).promoted).toMatchObject({ actual: "no automatic failover", pass: true });
  });

  it("fails convergence over its bound, and a run that never converged even without a bound", () => {
    expect(byName({ convergedWithinMs: 500 }, results()).convergedWithinMs).toMatchObject({ expected: "≤ 500 ms", actual: "800 ms", pass: false, detail: "over by 300 ms" });
    const never = byName({}, results({ convergence: { converged: false, withinMs: undefined, problems: ["shard 2 has two primaries"] } })).convergedWithinMs!;
    expect(never).toMatchObject({ expected: "converged", actual: "not converged", pass: false });
    expect(never.detail).toMatch(/shard 2 has two primaries/);
  });

  it("judges stale and impossible reads against their own examples", () => {
    const reads = {
      reads: 5,
      stale: 1,
      impossible: 1,
      examples: [
        { key: "r:1", readAtMs: 1000, value: "9-9", why: "read 9-9, a value no SET to r:1 ever wrote", kind: "impossible" as const },
        { key: "r:2", readAtMs: 2000, value: null, why: "read null, but 0-1 was acknowledged at +1.5 s, before the read began", kind: "stale" as const },
      ],
    };
    const judged = byName({ staleReads: 0 }, results({ reads }));
    expect(judged.staleReads).toMatchObject({ actual: "1 of 5 reads", pass: false, detail: "1 stale (1 over): r:2 at +2.0 s: read null, but 0-1 was acknowledged at +1.5 s, before the read began" });
    expect(judged.impossibleReads).toMatchObject({ expected: "≤ 0", pass: false, detail: "1 impossible (1 over): r:1 at +1.0 s: read 9-9, a value no SET to r:1 ever wrote" });
  });

  it("fails split brain unless it is allowed", () => {
    const splitBrain = { windows: [{ slots: [[0, 5460]] as [number, number][], nodes: ["a", "b"] as [string, string], fromMs: 3000, toMs: 3400 }] };
    expect(byName({}, results({ splitBrain })).splitBrain).toMatchObject({ expected: "none", actual: "1 window", pass: false, detail: "a and b both took writes for slots 0-5460 from +3.0 s to +3.4 s" });
    expect(byName({ splitBrain: "allowed" }, results({ splitBrain })).splitBrain!.pass).toBe(true);
  });

  it("holds the number of failovers to its range", () => {
    const two = [failover({}), failover({ shard: 2, from: "p2", to: "r2", atMs: 9000, manual: true })];
    expect(byName({ failovers: [1, 1] }, results({ failovers: two })).failovers).toMatchObject({
      expected: "exactly 1 failover",
      actual: "2 failovers",
      pass: false,
      detail: "1 more than allowed: shard 1 p → r1 at +6.2 s; shard 2 p2 → r2 at +9.0 s (manual)",
    });
    expect(byName({ failovers: [1, 3] }, results()).failovers).toMatchObject({ expected: "1–3 failovers", actual: "0 failovers", pass: false, detail: "1 fewer than required" });
    expect(byName({ failovers: [1, 3] }, results({ failovers: two })).failovers!.pass).toBe(true);
  });
});

describe("runChecks", () => {
  it("runs every checker over one run and fills every field", () => {
    const key = keyOnShard(1);
    const operations = [set(key, "0-1", 1000, 1010), failed(set(key, "0-2", 1100, 1101), "CLUSTERDOWN"), set(key, "0-3", 3000, 3010)];
    const checks = runChecks(operations, [], observations({ workloadStartMs: 1000, final: finalState({ [key]: "0-3" }) }), { waitReplicasAsked: 1, wireErrors: { CLUSTERDOWN: 4 } });
    expect(checks.availability.maxUnavailableMs).toBe(1910);
    expect(checks.errors).toEqual({ byKind: { CLUSTERDOWN: 1 }, wire: { CLUSTERDOWN: 4 }, failed: 1, unknown: 0 });
    expect(checks.lostWrites).toMatchObject({ acknowledged: 2, lost: 0 });
    expect(checks.convergence).toEqual({ converged: true, withinMs: 1000, problems: [] });
    expect(checks.startMs).toBe(1000);
    expect(judge({ ...NOTHING_SET, maxUnavailableMs: 1500 }, checks).verdict).toBe("fail");
  });
});
