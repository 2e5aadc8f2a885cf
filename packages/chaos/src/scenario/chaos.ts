import type { ChaosSpec } from "../model/scenario.js";
import { FieldError } from "./errors.js";
import { DEFAULT_CHAOS, SCENARIO_LIMITS } from "./limits.js";
import { readTarget, type TopologyFacts } from "./targets.js";
import { readChoice, readDuration, readList, readMapping, readNumber, type Field } from "./values.js";

export const CHAOS_FAULTS: readonly ChaosSpec["faults"][number][] = ["kill", "stop", "pause", "partition", "blackhole", "latency", "loss", "az-isolation", "az-power-loss", "failover"];
const CHAOS_FIELDS = ["faults", "targets", "start", "interval", "duration", "delay", "jitter", "probability"] as const;

/**
 * A seeded random schedule. `faults` must be given; targets default to any
 * primary or any replica. `same` has no meaning here (there is no earlier
 * step of the schedule to refer to), so it is refused.
 */
export function readChaos(field: Field, facts: TopologyFacts): ChaosSpec {
  const fields = readMapping(field, CHAOS_FIELDS, "{faults: [kill, pause], interval: 8s}");
  if (fields.faults === undefined) throw new FieldError(field.path, `chaos needs faults: a list drawn from ${CHAOS_FAULTS.join(", ")}`);
  const faults = readList(fields.faults, "[kill, pause, partition]", CHAOS_FAULTS.length).map((item) => readChoice(item, CHAOS_FAULTS));
  if (faults.length === 0) throw new FieldError(fields.faults.path, `must list at least one of ${CHAOS_FAULTS.join(", ")}`);
  const targets = fields.targets === undefined ? [{ kind: "any-primary" as const }, { kind: "any-replica" as const }] : readChaosTargets(fields.targets, facts);
  const delay = { maxMs: SCENARIO_LIMITS.delayMsMax };
  const spec: ChaosSpec = {
    faults,
    targets,
    startMs: fields.start === undefined ? DEFAULT_CHAOS.startMs : readDuration(fields.start, { maxMs: SCENARIO_LIMITS.durationMsMax }),
    intervalMs: fields.interval === undefined ? DEFAULT_CHAOS.intervalMs : readDuration(fields.interval, { minMs: SCENARIO_LIMITS.chaosIntervalMsMin, maxMs: SCENARIO_LIMITS.durationMsMax }),
    durationMs: fields.duration === undefined ? DEFAULT_CHAOS.durationMs : readDuration(fields.duration, { minMs: 1, maxMs: SCENARIO_LIMITS.durationMsMax }),
    delayMs: fields.delay === undefined ? DEFAULT_CHAOS.delayMs : readDuration(fields.delay, delay),
    jitterMs: fields.jitter === undefined ? DEFAULT_CHAOS.jitterMs : readDuration(fields.jitter, delay),
    probability: fields.probability === undefined ? DEFAULT_CHAOS.probability : readNumber(fields.probability, 0, 1, true),
  };
  if (spec.durationMs < spec.intervalMs) {
    throw new FieldError((fields.duration ?? fields.interval ?? field).path, `the schedule (duration ${spec.durationMs}ms) is shorter than one interval (${spec.intervalMs}ms), so it would draw no fault`);
  }
  if (spec.durationMs / spec.intervalMs > SCENARIO_LIMITS.chaosFaultsMax) {
    throw new FieldError((fields.interval ?? field).path, `duration / interval would draw more than ${SCENARIO_LIMITS.chaosFaultsMax} faults: lengthen the interval`);
  }
  return spec;
}

function readChaosTargets(field: Field, facts: TopologyFacts): ChaosSpec["targets"] {
  const items = readList(field, "[any-primary, any-replica]", SCENARIO_LIMITS.chaosTargetsMax);
  if (items.length === 0) throw new FieldError(field.path, "must list at least one target, e.g. [any-primary, any-replica]");
  return items.map((item) => {
    const target = readTarget(item, facts);
    if (target.kind === "same") throw new FieldError(item.path, "'same' refers to an earlier timeline step, which a random schedule does not have: name the targets");
    return target;
  });
}
