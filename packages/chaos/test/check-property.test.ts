import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lostWrites, reads } from "../src/check/index.js";
import type { Operation, Outcome } from "../src/model/history.js";
import { finalState } from "./check-fixtures.js";

/**
 * The lost-write and read checkers against a brute-force reference that
 * states the rules as plain quantifiers over every pair of operations, on
 * small random histories of one or two register keys, with integer times so
 * that ties (where strictness matters) come up often. And a soundness
 * property: a history of a real linearizable register, with writes that fail
 * or end unknown, shows nothing lost, stale or impossible.
 */

const KEYS = ["r:1", "r:2"];

interface Drawn {
  key: number;
  f: "set" | "get";
  invokeMs: number;
  durationMs: number;
  outcome: Outcome | "never";
  /** For a GET: which value it returned (an index into the written values, or past them: null or a value nobody wrote). */
  pick: number;
}

const drawnOperation: fc.Arbitrary<Drawn> = fc.record({
  key: fc.integer({ min: 0, max: KEYS.length - 1 }),
  f: fc.constantFrom("set" as const, "get" as const),
  invokeMs: fc.integer({ min: 0, max: 40 }),
  durationMs: fc.integer({ min: 0, max: 15 }),
  outcome: fc.constantFrom<Outcome | "never">("ok", "ok", "ok", "fail", "unknown", "never"),
  pick: fc.integer({ min: 0, max: 12 }),
});

/** Builds operations from draws: SETs write `0-<i>`; a GET returns a SET's value, null, or "9-9" (never written). */
function build(draws: readonly Drawn[]): Operation[] {
  const values = draws.map((_, i) => `0-${i}`);
  return draws.map((d, i) => {
    const completeMs = d.outcome === "never" ? undefined : d.invokeMs + d.durationMs;
    const outcome: Outcome = d.outcome === "never" ? "unknown" : d.outcome;
    const base = { id: i, client: 0, key: KEYS[d.key]!, wait: false, invokeMs: d.invokeMs, completeMs, outcome };
    if (d.f === "set") return { ...base, f: "set", written: values[i] };
    const result = d.pick < draws.length ? values[d.pick]! : d.pick % 2 === 0 ? null : "9-9";
    return { ...base, f: "get", outcome: completeMs === undefined ? "unknown" : "ok", result };
  });
}

const precedes = (a: Operation, b: Operation) => a.outcome === "ok" && a.completeMs !== undefined && a.completeMs < b.invokeMs;

function referenceLost(operations: Operation[], final: Record<string, string | null>): number {
  const sets = operations.filter((o) => o.f === "set");
  return sets.filter((w) => {
    if (w.outcome !== "ok") return false;
    const value = final[w.key] ?? null;
    const writers = sets.filter((s) => s.key === w.key && s.written === value);
    return value === null || writers.length === 0 || writers.some((s) => precedes(s, w));
  }).length;
}

function referenceReads(operations: Operation[]): { stale: number; impossible: number } {
  const sets = operations.filter((o) => o.f === "set");
  let stale = 0;
  let impossible = 0;
  for (const r of operations.filter((o) => o.f === "get" && o.outcome === "ok")) {
    const writers = sets.filter((s) => s.key === r.key && s.written === r.result);
    if (r.result !== null && (writers.length === 0 || writers.every((s) => s.invokeMs > r.completeMs!))) {
      impossible += 1;
      continue;
    }
    const overwritten = sets.some((w) => w.key === r.key && precedes(w, r) && (r.result === null || writers.some((v) => precedes(v, w))));
    if (overwritten) stale += 1;
  }
  return { stale, impossible };
}

const finalValue = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: KEYS.length, maxLength: KEYS.length });

describe("lost writes and reads against a brute-force reference", () => {
  it("count the same lost writes", () => {
    fc.assert(
      fc.property(fc.array(drawnOperation, { maxLength: 10 }), finalValue, (draws, picks) => {
        const operations = build(draws);
        const final = Object.fromEntries(KEYS.map((key, i) => [key, picks[i]! < draws.length ? `0-${picks[i]}` : picks[i]! % 2 === 0 ? null : "9-9"]));
        expect(lostWrites(operations, finalState(final), { waitReplicasAsked: 1 }).lost).toBe(referenceLost(operations, final));
      }),
      { numRuns: 400 },
    );
  });

  it("count the same stale and impossible reads", () => {
    fc.assert(
      fc.property(fc.array(drawnOperation, { maxLength: 12 }), (draws) => {
        const operations = build(draws);
        const result = reads(operations, 0);
        expect({ stale: result.stale, impossible: result.impossible }).toEqual(referenceReads(operations));
      }),
      { numRuns: 400 },
    );
  });
});

interface Linearized {
  f: "set" | "get";
  invokeMs: number;
  durationMs: number;
  /** Where in [invoke, complete] it takes effect, as a fraction. */
  at: number;
  outcome: "ok" | "fail" | "unknown-applied" | "unknown-not-applied" | "never-applied";
}

const linearizedOperation: fc.Arbitrary<Linearized> = fc.record({
  f: fc.constantFrom("set" as const, "get" as const),
  invokeMs: fc.integer({ min: 0, max: 60 }),
  durationMs: fc.integer({ min: 0, max: 20 }),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  outcome: fc.constantFrom<Linearized["outcome"]>("ok", "ok", "ok", "fail", "unknown-applied", "unknown-not-applied", "never-applied"),
});

/** Runs the draws against one atomic register, in the order of their points; reads return what the register held then. */
function linearizable(draws: readonly Linearized[]): { operations: Operation[]; final: string | null } {
  const order = draws.map((d, i) => ({ d, i, pointMs: d.invokeMs + d.at * d.durationMs })).sort((a, b) => a.pointMs - b.pointMs || a.i - b.i);
  const operations: Operation[] = [];
  let register: string | null = null;
  for (const { d, i } of order) {
    const completeMs = d.outcome === "never-applied" ? undefined : d.invokeMs + d.durationMs;
    const base = { id: i, client: 0, key: "r:1", wait: false, invokeMs: d.invokeMs, completeMs };
    if (d.f === "set") {
      const applied = d.outcome === "ok" || d.outcome === "unknown-applied" || d.outcome === "never-applied";
      if (applied) register = `0-${i}`;
      const outcome: Outcome = d.outcome === "ok" ? "ok" : d.outcome === "fail" ? "fail" : "unknown";
      operations.push({ ...base, f: "set", written: `0-${i}`, outcome });
    } else {
      operations.push({ ...base, f: "get", outcome: completeMs === undefined ? "unknown" : "ok", result: register });
    }
  }
  return { operations: operations.sort((a, b) => a.id - b.id), final: register };
}

describe("a linearizable register", () => {
  it("shows no lost write, no stale read and no impossible read", () => {
    fc.assert(
      fc.property(fc.array(linearizedOperation, { maxLength: 14 }), (draws) => {
        const { operations, final } = linearizable(draws);
        expect(lostWrites(operations, finalState({ "r:1": final }), { waitReplicasAsked: 1 }).lost).toBe(0);
        const result = reads(operations, 0);
        expect([result.stale, result.impossible]).toEqual([0, 0]);
      }),
      { numRuns: 400 },
    );
  });

  it("shows a lost write when the register forgets an acknowledged one at the end", () => {
    const { operations } = linearizable([
      { f: "set", invokeMs: 0, durationMs: 10, at: 0.5, outcome: "ok" },
      { f: "set", invokeMs: 20, durationMs: 10, at: 0.5, outcome: "ok" },
    ]);
    expect(lostWrites(operations, finalState({ "r:1": "0-0" }), { waitReplicasAsked: 1 }).lost).toBe(1);
  });
});
