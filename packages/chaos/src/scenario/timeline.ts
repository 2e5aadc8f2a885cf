import type { Channel, Direction, FaultKind, FaultSpec, NetworkScope, TargetSpec, TimelineStep } from "../model/scenario.js";
import { badValue, describeValue, FieldError, notValue, type Path } from "./errors.js";
import { SCENARIO_LIMITS } from "./limits.js";
import { readTarget, requireReplicaTarget, shardRange, unknownZoneDetail, type TopologyFacts } from "./targets.js";
import { formatDurationMs, readBoolean, readChoice, readDuration, readList, readMapping, readNumber, type Field } from "./values.js";

export const PROCESS_FAULTS = ["kill", "stop", "pause", "resume", "restart"] as const;
export const NETWORK_FAULTS = ["partition", "blackhole", "latency", "loss"] as const;
export const FAULT_KINDS: readonly FaultKind[] = [
  ...PROCESS_FAULTS,
  ...NETWORK_FAULTS,
  "heal",
  "az-power-loss",
  "az-isolation",
  "failover",
  "test-failover",
  "add-replica",
  "remove-replica",
];
export const CHANNELS: readonly Channel[] = ["bus", "replication", "client"];
export const DIRECTIONS: readonly Direction[] = ["both", "in", "out"];
export const FAILOVER_MODES = ["default", "force", "takeover"] as const;

const NETWORK_FIELDS = ["at", "do", "target", "peers", "channels", "direction"] as const;

/** The fields each kind of step takes; `at` and `do` are common to all. */
export const STEP_FIELDS: Readonly<Record<FaultKind, readonly string[]>> = {
  kill: ["at", "do", "target"],
  stop: ["at", "do", "target"],
  pause: ["at", "do", "target"],
  resume: ["at", "do", "target"],
  restart: ["at", "do", "target"],
  partition: NETWORK_FIELDS,
  blackhole: NETWORK_FIELDS,
  latency: [...NETWORK_FIELDS, "delay", "jitter"],
  loss: [...NETWORK_FIELDS, "probability"],
  heal: ["at", "do", "target"],
  "az-power-loss": ["at", "do", "zone"],
  "az-isolation": ["at", "do", "zone", "clients"],
  failover: ["at", "do", "target", "mode"],
  "test-failover": ["at", "do", "shard"],
  "add-replica": ["at", "do", "shard", "zone"],
  "remove-replica": ["at", "do", "target"],
};
const ALL_STEP_FIELDS = [...new Set(Object.values(STEP_FIELDS).flat())];

/** What each field means, for "kill needs target: ..." messages. */
const FIELD_EXAMPLES: Readonly<Record<string, string>> = {
  at: "at: 5s (from the workload's start)",
  do: `do: one of ${FAULT_KINDS.join(", ")}`,
  target: "target: primary-of-shard 1",
  delay: "delay: 200ms",
  probability: "probability: 0.2",
  zone: "zone: az-a",
  shard: "shard: 1",
};

/** A step as read, before sorting, with what the checks that span steps need. */
interface ReadStep {
  step: TimelineStep;
  atField: Field;
  /** Target fields of the step (target, peers), for the `same` check. */
  targetFields: { field: Field; target: TargetSpec }[];
}

/**
 * Reads the timeline: a list of steps in any order, returned sorted by `at`
 * (stable, so steps at the same time keep the file's order). `same` must
 * follow, in time, a step with a target; it means that step's nodes.
 * `lineOf` gives the file line of a step, which the runner puts in messages.
 */
export function readTimeline(field: Field, facts: TopologyFacts, lineOf: (path: Path) => number): { steps: TimelineStep[]; atFields: Field[] } {
  const items = readList(field, "[{at: 5s, do: kill, target: primary-of-shard 1}]", SCENARIO_LIMITS.timelineStepsMax);
  const read = items.map((item) => readStep(item, facts, lineOf(item.path)));
  const sorted = [...read].sort((a, b) => a.step.atMs - b.step.atMs);
  checkSame(sorted);
  return { steps: sorted.map((entry) => entry.step), atFields: sorted.map((entry) => entry.atField) };
}

function checkSame(sorted: readonly ReadStep[]): void {
  let earlierTarget = false;
  for (const entry of sorted) {
    for (const { field, target } of entry.targetFields) {
      if (target.kind === "same" && !earlierTarget) {
        throw new FieldError(field.path, `'same': means the nodes of the latest earlier step with a target, but no step before this one (at ${formatDurationMs(entry.step.atMs)}) has a target`);
      }
    }
    if (entry.targetFields.some(({ field }) => field.path.at(-1) === "target")) earlierTarget = true;
  }
}

function readStep(item: Field, facts: TopologyFacts, line: number): ReadStep {
  const fields = readStepFields(item);
  const kind = readChoice(fields.do!, FAULT_KINDS);
  const need = (name: string): Field => {
    const found = fields[name];
    if (found === undefined) throw new FieldError(item.path, `${kind} needs ${FIELD_EXAMPLES[name] ?? name}`);
    return found;
  };
  const atField = need("at");
  const atMs = readDuration(atField, { maxMs: SCENARIO_LIMITS.durationMsMax });
  const targetFields: ReadStep["targetFields"] = [];
  const target = (name: string, required: boolean): TargetSpec | undefined => {
    const found = required ? need(name) : fields[name];
    if (found === undefined) return undefined;
    const spec = readTarget(found, facts);
    targetFields.push({ field: found, target: spec });
    return spec;
  };
  const fault = faultOf(kind, { fields, need, target, facts });
  return { step: { atMs, fault, line }, atField, targetFields };
}

/**
 * The fields of a step, checked against what its kind (`do`) takes, so a
 * typo is named with the closest field of that kind and a field of another
 * kind (a delay on a partition) is refused as such.
 */
function readStepFields(item: Field): Partial<Record<string, Field>> {
  const example = "{at: 5s, do: kill, target: primary-of-shard 1}";
  const kindValue = isMapping(item.value) ? item.value.do : undefined;
  if (kindValue === undefined) {
    readMapping(item, ALL_STEP_FIELDS, example);
    throw new FieldError(item.path, `a step needs ${FIELD_EXAMPLES.do}`);
  }
  const kind = readChoice({ value: kindValue, path: [...item.path, "do"] }, FAULT_KINDS);
  const allowed = STEP_FIELDS[kind];
  for (const key of Object.keys(item.value as object)) {
    if (ALL_STEP_FIELDS.includes(key) && !allowed.includes(key)) {
      throw new FieldError([...item.path, key], `${kind} takes no ${key}; allowed: ${allowed.join(", ")}`, "key");
    }
  }
  return readMapping(item, allowed, example);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface StepReader {
  fields: Partial<Record<string, Field>>;
  need(name: string): Field;
  target(name: string, required: boolean): TargetSpec | undefined;
  facts: TopologyFacts;
}

function faultOf(kind: FaultKind, reader: StepReader): FaultSpec {
  const { fields, need, target, facts } = reader;
  switch (kind) {
    case "kill":
    case "stop":
    case "pause":
    case "resume":
    case "restart":
      return { do: kind, target: target("target", true)! };
    case "partition":
    case "blackhole":
      return { do: kind, ...networkScope(reader) };
    case "latency": {
      const scope = networkScope(reader);
      const delayMs = readDuration(need("delay"), { maxMs: SCENARIO_LIMITS.delayMsMax });
      const jitterMs = fields.jitter === undefined ? 0 : readDuration(fields.jitter, { maxMs: SCENARIO_LIMITS.delayMsMax });
      return { do: kind, ...scope, delayMs, jitterMs };
    }
    case "loss":
      return { do: kind, ...networkScope(reader), probability: readNumber(need("probability"), 0, 1, true) };
    case "heal":
      return { do: kind, target: target("target", false) };
    case "az-power-loss":
      return { do: kind, zone: readZone(need("zone"), facts) };
    case "az-isolation":
      return { do: kind, zone: readZone(need("zone"), facts), clients: fields.clients === undefined ? true : readBoolean(fields.clients) };
    case "failover": {
      const spec = target("target", true)!;
      requireReplicaTarget(spec, need("target"), "failover");
      return { do: kind, target: spec, mode: fields.mode === undefined ? "default" : readChoice(fields.mode, FAILOVER_MODES) };
    }
    case "test-failover":
      return { do: kind, shard: readShard(need("shard"), facts) };
    case "add-replica":
      return { do: kind, shard: readShard(need("shard"), facts), zone: fields.zone === undefined ? undefined : readZone(fields.zone, facts) };
    case "remove-replica": {
      const spec = target("target", true)!;
      requireReplicaTarget(spec, need("target"), "remove-replica");
      return { do: kind, target: spec };
    }
  }
}

/**
 * The scope of a network fault. Traffic between two nodes is bus or
 * replication traffic only, so with `peers` the channels default to those
 * two, and naming `client` alongside `peers` is refused: it would select
 * nothing.
 */
function networkScope(reader: StepReader): NetworkScope {
  const { fields, target } = reader;
  const spec = target("target", true)!;
  const peers = target("peers", false);
  const channels = fields.channels === undefined ? (peers === undefined ? [...CHANNELS] : ["bus", "replication"] as Channel[]) : readChannels(fields.channels);
  if (peers !== undefined && channels.includes("client")) {
    throw new FieldError(fields.channels!.path, "client traffic never flows between two nodes: with peers, use bus and/or replication (leave peers out to cut clients off)");
  }
  const direction = fields.direction === undefined ? "both" : readChoice(fields.direction, DIRECTIONS);
  return { target: spec, peers, channels, direction };
}

function readChannels(field: Field): Channel[] {
  const items = readList(field, "[bus, replication]", CHANNELS.length);
  if (items.length === 0) throw new FieldError(field.path, `must list at least one of ${CHANNELS.join(", ")} (leave channels out for all three)`);
  const channels = items.map((item) => readChoice(item, CHANNELS));
  const repeated = channels.find((channel, index) => channels.indexOf(channel) !== index);
  if (repeated !== undefined) throw new FieldError(field.path, `'${repeated}' is listed twice`);
  return channels;
}

export function readZone(field: Field, facts: TopologyFacts): string {
  if (typeof field.value === "string" && facts.zones.includes(field.value)) return field.value;
  if (typeof field.value !== "string") throw new FieldError(field.path, `must be a zone of the topology (${facts.zones.join(", ")}), ${notValue(field.value)}`);
  throw new FieldError(field.path, `${describeValue(field.value)}: ${unknownZoneDetail(field.value, facts)}`);
}

export function readShard(field: Field, facts: TopologyFacts): number {
  const { value } = field;
  if (typeof value !== "number" || !Number.isInteger(value)) throw new FieldError(field.path, badValue(value, `must be a shard number, e.g. 1`));
  if (value < 1 || value > facts.shards) throw new FieldError(field.path, `${describeValue(value)}: ${shardRange(facts)}`);
  return value;
}

