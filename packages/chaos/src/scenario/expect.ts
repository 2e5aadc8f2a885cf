import type { Expectations, WorkloadSpec } from "../model/scenario.js";
import { badValue, FieldError } from "./errors.js";
import { SCENARIO_LIMITS } from "./limits.js";
import { readChoice, readDuration, readInteger, readList, readMapping, type Field } from "./values.js";

export const EXPECT_FIELDS = [
  "maxUnavailableMs",
  "lostAcknowledgedWrites",
  "lostAcknowledgedWaitWrites",
  "promoted",
  "convergedWithinMs",
  "staleReads",
  "impossibleReads",
  "splitBrain",
  "failovers",
] as const;

/** Counts a run may expect: a whole number of operations, bounded so a typo of extra digits is seen. */
const COUNT_MAX = 1_000_000_000;

/** What must hold; fields left out are measured but not checked, except the safety ones (impossibleReads 0, splitBrain none). */
export function readExpectations(field: Field | undefined, workload: WorkloadSpec): Expectations {
  const fields = field === undefined ? {} : readMapping(field, EXPECT_FIELDS, "{maxUnavailableMs: 2000, lostAcknowledgedWaitWrites: 0}");
  const count = (name: (typeof EXPECT_FIELDS)[number]): number | undefined => (fields[name] === undefined ? undefined : readInteger(fields[name], 0, COUNT_MAX));
  const ms = (name: (typeof EXPECT_FIELDS)[number]): number | undefined =>
    fields[name] === undefined ? undefined : readDuration(fields[name], { maxMs: SCENARIO_LIMITS.durationMsMax });
  if (fields.lostAcknowledgedWaitWrites !== undefined && workload.wait === undefined) {
    throw new FieldError(
      fields.lostAcknowledgedWaitWrites.path,
      "no write is acknowledged by WAIT unless the workload sends one: add workload.wait, e.g. {replicas: 1, timeout: 200ms, every: 10}, or check lostAcknowledgedWrites",
      "key",
    );
  }
  return {
    maxUnavailableMs: ms("maxUnavailableMs"),
    lostAcknowledgedWrites: count("lostAcknowledgedWrites"),
    lostAcknowledgedWaitWrites: count("lostAcknowledgedWaitWrites"),
    promoted: fields.promoted === undefined ? undefined : readChoice(fields.promoted, ["least-lagged"] as const),
    convergedWithinMs: ms("convergedWithinMs"),
    staleReads: count("staleReads"),
    impossibleReads: count("impossibleReads") ?? 0,
    splitBrain: fields.splitBrain === undefined ? "none" : readChoice(fields.splitBrain, ["none", "allowed"] as const),
    failovers: fields.failovers === undefined ? undefined : readFailovers(fields.failovers),
  };
}

/** An exact number (1) or a range ([1, 2]), as [min, max]. */
function readFailovers(field: Field): [number, number] {
  if (typeof field.value === "number") {
    const exact = readInteger(field, 0, SCENARIO_LIMITS.timelineStepsMax + SCENARIO_LIMITS.chaosFaultsMax);
    return [exact, exact];
  }
  if (!Array.isArray(field.value) || field.value.length !== 2) {
    throw new FieldError(field.path, badValue(field.value, `give an exact number (failovers: 1) or a range [min, max] (failovers: [1, 2])`));
  }
  const [low, high] = readList(field, "[1, 2]", 2).map((item) => readInteger(item, 0, SCENARIO_LIMITS.timelineStepsMax + SCENARIO_LIMITS.chaosFaultsMax)) as [number, number];
  if (low > high) throw new FieldError(field.path, `[${low}, ${high}]: the range is [min, max], with min at most max`);
  return [low, high];
}
