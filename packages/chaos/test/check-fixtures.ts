import { keyHashSlot } from "@shardline/core";
import type { Operation, Outcome } from "../src/model/history.js";
import type { FinalState, Observations } from "../src/model/observations.js";

/** Hand-built histories for the checkers' tests: every time is ms from an arbitrary origin. */

let nextId = 1;

export function set(key: string, value: string, invokeMs: number, completeMs: number | undefined, outcome: Outcome = "ok", extra: Partial<Operation> = {}): Operation {
  return { id: nextId++, client: 0, f: "set", key, written: value, wait: false, invokeMs, completeMs, outcome: completeMs === undefined ? "unknown" : outcome, ...extra };
}

export function get(key: string, result: string | null, invokeMs: number, completeMs: number, outcome: Outcome = "ok"): Operation {
  return { id: nextId++, client: 0, f: "get", key, wait: false, invokeMs, completeMs, outcome, ...(outcome === "ok" ? { result } : {}) };
}

export function incr(key: string, result: number | undefined, invokeMs: number, completeMs: number | undefined, outcome: Outcome = "ok"): Operation {
  return { id: nextId++, client: 0, f: "incr", key, wait: false, invokeMs, completeMs, outcome: completeMs === undefined ? "unknown" : outcome, ...(result === undefined ? {} : { result }) };
}

export function failed(operation: Operation, errorKind: Operation["errorKind"], outcome: Outcome = "fail"): Operation {
  return { ...operation, outcome, ...(errorKind === undefined ? {} : { errorKind, error: `${errorKind} something` }) };
}

/** The default cluster's slot split: three shards. */
export function shardOfSlot(slot: number): number {
  return slot <= 5460 ? 1 : slot <= 10922 ? 2 : 3;
}

/** The first key `<prefix><n>` whose slot is on the shard. */
export function keyOnShard(shard: number, prefix = "r:", skip = 0): string {
  let found = 0;
  for (let n = 0; n < 100_000; n += 1) {
    const key = `${prefix}${n}`;
    if (shardOfSlot(keyHashSlot(key)) === shard && found++ === skip) return key;
  }
  throw new Error(`no key on shard ${shard}`);
}

export const NODES: Observations["nodes"] = [1, 2, 3].flatMap((shard) =>
  [1, 2, 3].map((member) => ({
    name: `default-000${shard}-00${member}`,
    shard,
    availabilityZone: `az-${"abc"[(shard + member) % 3]}`,
    initialRole: member === 1 ? ("primary" as const) : ("replica" as const),
  })),
);

export function finalState(values: FinalState["values"], overrides: Partial<FinalState> = {}): FinalState {
  return { healedAtMs: 50_000, convergedAtMs: 51_000, problems: [], primaries: {}, values, ...overrides };
}

export function observations(overrides: Partial<Observations> = {}): Observations {
  return { shardOfSlot, nodes: NODES, samples: [], writeTerms: [], events: [], final: finalState({}), workloadStartMs: 0, workloadEndMs: 60_000, ...overrides };
}
