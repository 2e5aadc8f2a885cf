import type { Random } from "@shardline/core";
import type { OperationKind } from "../model/history.js";
import type { WorkloadSpec } from "../model/scenario.js";

/** One operation a client is about to issue. */
export interface PlannedOperation {
  f: OperationKind;
  key: string;
  /** For a SET: `<client>-<sequence>`, unique in the run. */
  value?: string;
  /** A SET sent with WAIT in the same pipeline. */
  wait: boolean;
}

/** Register keys take SET and GET, counter keys INCR (model/history.ts). */
export function registerKey(index: number): string {
  return `r:${index}`;
}

export function counterKey(index: number): string {
  return `c:${index}`;
}

/**
 * Draws one client's operations from its own seeded Random: the kind by the
 * mix, the key uniformly among `spec.keys`. Two draws per operation whatever
 * it turns out to be, so a client's sequence depends on its seed alone,
 * never on timing or on which outcomes came back.
 */
export class OperationPlanner {
  private setSequence = 0;
  private readonly setWeight: number;
  private readonly setOrGetWeight: number;
  private readonly totalWeight: number;

  constructor(
    readonly client: number,
    private readonly spec: Pick<WorkloadSpec, "mix" | "keys" | "wait">,
    private readonly random: Random,
  ) {
    const { set, get, incr } = spec.mix;
    const total = set + get + incr;
    if (![set, get, incr].every((share) => share >= 0) || !(total > 0)) {
      throw new Error(`the workload mix needs non-negative shares with a positive sum (set ${set}, get ${get}, incr ${incr})`);
    }
    if (!(Number.isInteger(spec.keys) && spec.keys >= 1)) throw new Error(`the workload needs at least one key (keys ${spec.keys})`);
    if (spec.wait !== undefined && !(Number.isInteger(spec.wait.every) && spec.wait.every >= 1)) {
      throw new Error(`wait.every must be a positive integer (every ${spec.wait.every})`);
    }
    // Weights stay unnormalised so that a zero share can never be drawn through rounding.
    this.setWeight = set;
    this.setOrGetWeight = set + get;
    this.totalWeight = total;
  }

  next(): PlannedOperation {
    const draw = this.random.float() * this.totalWeight;
    const index = this.random.int(this.spec.keys);
    if (draw < this.setWeight) return this.nextSet(index);
    if (draw < this.setOrGetWeight) return { f: "get", key: registerKey(index), wait: false };
    return { f: "incr", key: counterKey(index), wait: false };
  }

  private nextSet(index: number): PlannedOperation {
    this.setSequence++;
    const wait = this.spec.wait !== undefined && this.setSequence % this.spec.wait.every === 0;
    return { f: "set", key: registerKey(index), value: `${this.client}-${this.setSequence}`, wait };
  }
}
