import { Random } from "@shardline/core";
import { describe, expect, it } from "vitest";
import type { CompleteEntry, InvokeEntry } from "../src/model/history.js";
import { parseFinal, touchedKeys } from "../src/workload/final-values.js";
import { OperationPlanner, type PlannedOperation } from "../src/workload/operations.js";
import { HistoryRecorder } from "../src/workload/recorder.js";
import { OpenLoopSchedule } from "../src/workload/schedule.js";

const START_MS = 1_700_000_000_000.25;

function invoke(id: number, timeMs = START_MS): InvokeEntry {
  return { type: "invoke", id, client: 0, f: "set", key: `r:${id}`, value: `0-${id}`, timeMs };
}

function complete(id: number, type: CompleteEntry["type"] = "ok", timeMs = START_MS): CompleteEntry {
  return { type, id, client: 0, f: "set", key: `r:${id}`, value: `0-${id}`, timeMs };
}

describe("OpenLoopSchedule", () => {
  it("makes `rate` slots due per simulated second, one every 1000 / rate ms", () => {
    const schedule = new OpenLoopSchedule(START_MS, 250);
    const takenAt: number[] = [];
    for (let t = 0; t <= 1000; t++) {
      const nowMs = START_MS + t;
      while (schedule.due(nowMs) > 0) {
        takenAt.push(t);
        schedule.take();
      }
    }
    // Slot 0 at t=0 through slot 250 at t=1000.
    expect(takenAt.length).toBe(251);
    expect(takenAt.slice(0, 4)).toEqual([0, 4, 8, 12]);
    expect(schedule.skipped).toBe(0);
  });

  it("catches up a lag under a second, slot by slot", () => {
    const schedule = new OpenLoopSchedule(START_MS, 100);
    expect(schedule.due(START_MS + 900)).toBe(91);
    expect(schedule.skipped).toBe(0);
  });

  it("drops the missed slots when it falls more than a second behind, keeping only the latest", () => {
    const schedule = new OpenLoopSchedule(START_MS, 100);
    schedule.take();
    expect(schedule.due(START_MS + 3000)).toBe(1);
    expect(schedule.skipped).toBe(299);
    schedule.take();
    expect(schedule.due(START_MS + 3005)).toBe(0);
    expect(schedule.nextDueMs()).toBeCloseTo(START_MS + 3010, 6);
    expect(schedule.due(START_MS + 3010)).toBe(1);
  });

  it("refuses a rate that is not positive", () => {
    expect(() => new OpenLoopSchedule(START_MS, 0)).toThrow(/rate must be positive/);
  });
});

describe("OperationPlanner", () => {
  const spec = { mix: { set: 0.5, get: 0.4, incr: 0.1 }, keys: 10, wait: { replicas: 1, timeoutMs: 100, every: 3 } };

  function draw(planner: OperationPlanner, count: number): PlannedOperation[] {
    return Array.from({ length: count }, () => planner.next());
  }

  it("draws kinds in the mix's proportions and keys uniformly, with the right key space per kind", () => {
    const operations = draw(new OperationPlanner(0, spec, new Random(7)), 100_000);
    const share = (f: string) => operations.filter((o) => o.f === f).length / operations.length;
    expect(share("set")).toBeCloseTo(0.5, 1.5);
    expect(share("get")).toBeCloseTo(0.4, 1.5);
    expect(share("incr")).toBeCloseTo(0.1, 1.5);
    expect(operations.filter((o) => !(o.f === "incr" ? /^c:\d$/ : /^r:\d$/).test(o.key))).toEqual([]);
    const perKey = new Map<string, number>();
    for (const operation of operations.filter((o) => o.f !== "incr")) perKey.set(operation.key, (perKey.get(operation.key) ?? 0) + 1);
    expect(perKey.size).toBe(10);
    for (const count of perKey.values()) expect(count / 90_000).toBeCloseTo(0.1, 1.5);
  });

  it("normalises the mix and never draws a kind whose share is zero", () => {
    const operations = draw(new OperationPlanner(0, { ...spec, mix: { set: 3, get: 1, incr: 0 } }, new Random(1)), 20_000);
    expect(operations.some((o) => o.f === "incr")).toBe(false);
    expect(operations.filter((o) => o.f === "set").length / operations.length).toBeCloseTo(0.75, 1.5);
  });

  it("sends every `every`-th SET of the client with WAIT, and no other operation", () => {
    const sets = draw(new OperationPlanner(2, spec, new Random(3)), 3000).filter((o) => o.f === "set");
    sets.forEach((operation, index) => expect(operation.wait).toBe((index + 1) % 3 === 0));
    const unwaited = draw(new OperationPlanner(2, { ...spec, wait: undefined }, new Random(3)), 300);
    expect(unwaited.some((o) => o.wait)).toBe(false);
  });

  it("writes values `<client>-<sequence>`, unique across clients", () => {
    const values = [0, 1, 2].flatMap((client) => draw(new OperationPlanner(client, spec, new Random(client)), 2000).flatMap((o) => (o.value === undefined ? [] : [o.value])));
    expect(new Set(values).size).toBe(values.length);
    expect(values[0]).toBe("0-1");
  });

  it("replays the same sequence from the same seed, and another from another", () => {
    const first = draw(new OperationPlanner(0, spec, new Random(42)), 500);
    expect(draw(new OperationPlanner(0, spec, new Random(42)), 500)).toEqual(first);
    expect(draw(new OperationPlanner(0, spec, new Random(43)), 500)).not.toEqual(first);
  });

  it("refuses a mix with nothing to draw", () => {
    expect(() => new OperationPlanner(0, { ...spec, mix: { set: 0, get: 0, incr: 0 } }, new Random(1))).toThrow(/positive sum/);
  });
});

describe("HistoryRecorder", () => {
  it("keeps entries in order and counts outcomes", () => {
    const recorder = new HistoryRecorder();
    recorder.invoke(invoke(0));
    recorder.invoke(invoke(1));
    recorder.complete(complete(1, "fail"));
    recorder.fault({ type: "fault", timeMs: START_MS, step: "timeline[0]", do: "kill", targets: ["n"], description: "kill n" });
    recorder.complete(complete(0, "unknown"));
    expect(recorder.entries().map((e) => e.type)).toEqual(["invoke", "invoke", "fail", "fault", "unknown"]);
    expect(recorder.counters(START_MS)).toMatchObject({ invoked: 2, completed: 2, ok: 0, failed: 1, unknown: 1, open: 0 });
  });

  it("refuses a completion without an open invocation, or a second one", () => {
    const recorder = new HistoryRecorder();
    expect(() => recorder.complete(complete(5))).toThrow(/without an open invocation/);
    recorder.invoke(invoke(5));
    recorder.complete(complete(5));
    expect(() => recorder.complete(complete(5))).toThrow(/or twice/);
  });

  it("stops at its bound with room for every open operation's completion, and says so", () => {
    const recorder = new HistoryRecorder(10);
    const accepted = [0, 1, 2, 3, 4, 5, 6].map((id) => recorder.invoke(invoke(id)));
    expect(accepted).toEqual([true, true, true, true, true, false, false]);
    expect(recorder.truncated).toBe(true);
    for (let id = 0; id < 5; id++) recorder.complete(complete(id));
    expect(recorder.entries()).toHaveLength(10);
    expect(recorder.fault({ type: "fault", timeMs: START_MS, step: "final-heal", do: "heal", targets: [], description: "heal" })).toBe(false);
    expect(recorder.entries()).toHaveLength(10);
  });

  it("counts the completions of the last second only", () => {
    const recorder = new HistoryRecorder();
    for (let id = 0; id < 30; id++) {
      recorder.invoke(invoke(id));
      recorder.complete(complete(id, "ok", START_MS + id * 100));
    }
    // Completions at +2000 .. +2900 fall in the second up to +2950.
    expect(recorder.counters(START_MS + 2950).completedLastSecond).toBe(10);
    expect(recorder.counters(START_MS + 10_000).completedLastSecond).toBe(0);
    expect(recorder.counters(START_MS + 10_000).completed).toBe(30);
  });
});

describe("touchedKeys and parseFinal", () => {
  it("lists every key a SET or INCR was invoked on, once, whatever the outcome", () => {
    const keys = touchedKeys([
      { type: "invoke", id: 0, client: 0, f: "set", key: "r:1", value: "0-1", timeMs: 1 },
      { type: "invoke", id: 1, client: 0, f: "get", key: "r:2", timeMs: 1 },
      { type: "invoke", id: 2, client: 1, f: "incr", key: "c:2", timeMs: 1 },
      { type: "fail", id: 2, client: 1, f: "incr", key: "c:2", timeMs: 2, error: "CLUSTERDOWN", errorKind: "CLUSTERDOWN" },
      { type: "invoke", id: 3, client: 1, f: "set", key: "r:1", value: "1-1", timeMs: 3 },
    ]);
    expect(keys).toEqual(["r:1", "c:2"]);
  });

  it("reads counters as integers and registers as strings", () => {
    expect(parseFinal("c:1", "42")).toBe(42);
    expect(parseFinal("c:1", null)).toBeNull();
    expect(parseFinal("c:1", "0-3")).toBe("0-3");
    expect(parseFinal("r:1", "17")).toBe("17");
  });
});
