import type { TargetSpec } from "../model/scenario.js";
import { describeValue, FieldError, notValue } from "./errors.js";
import { closestName, type Field } from "./values.js";

/** What a target is checked against: the scenario's topology as placed. */
export interface TopologyFacts {
  shards: number;
  replicasPerShard: number;
  zones: readonly string[];
  /** Names of the placed nodes, e.g. default-0001-001. */
  nodeNames: readonly string[];
}

export type TargetKind = TargetSpec["kind"];

/** Every way to write a target, as the messages list them. */
export const TARGET_FORMS = [
  "primary-of-shard N",
  "replica-of-shard N",
  "best-replica-of-shard N",
  "worst-replica-of-shard N",
  "any-primary",
  "any-replica",
  "node NAME",
  "az ZONE",
  "same",
  "all",
] as const;

/** Targets that name replicas only, for faults that act on a replica (failover, remove-replica). */
export const REPLICA_TARGET_FORMS = ["replica-of-shard N", "best-replica-of-shard N", "worst-replica-of-shard N", "any-replica", "node NAME", "same"] as const;
const REPLICA_KINDS: readonly TargetKind[] = ["replica-of-shard", "any-replica", "node", "same"];

const HEADS = TARGET_FORMS.map((form) => form.split(" ")[0]!);

/**
 * Reads a target string (`primary-of-shard 1`, `node default-0001-002`,
 * `az az-a`...) and checks its shard, zone or node against the topology.
 * `same` is checked by the timeline, which knows what came before.
 */
export function readTarget(field: Field, facts: TopologyFacts): TargetSpec {
  const { value, path } = field;
  if (typeof value !== "string") throw new FieldError(path, `must be a target, one of ${TARGET_FORMS.join(", ")}; ${notValue(value)}`);
  const words = value.trim().split(/\s+/);
  const head = words[0]!;
  const target = targetOf(words, value, facts, field);
  const takesArgument = target.kind === "primary-of-shard" || target.kind === "replica-of-shard" || target.kind === "node" || target.kind === "az";
  if (!takesArgument && words.length > 1) throw new FieldError(path, `${describeValue(value)}: '${head}' takes nothing after it`);
  return target;
}

function targetOf(words: readonly string[], value: string, facts: TopologyFacts, field: Field): TargetSpec {
  const head = words[0]!;
  const argument = words.slice(1).join(" ");
  switch (head) {
    case "primary-of-shard":
      return { kind: "primary-of-shard", shard: shardOf(head, argument, value, facts, field) };
    case "replica-of-shard":
    case "best-replica-of-shard":
    case "worst-replica-of-shard": {
      const shard = shardOf(head, argument, value, facts, field);
      if (facts.replicasPerShard === 0) throw new FieldError(field.path, `${describeValue(value)}: the topology has no replicas (replicasPerShard: 0)`);
      const pick = head === "best-replica-of-shard" ? "best" : head === "worst-replica-of-shard" ? "worst" : "any";
      return { kind: "replica-of-shard", shard, pick };
    }
    case "any-primary":
    case "same":
    case "all":
      return { kind: head };
    case "any-replica":
      if (facts.replicasPerShard === 0) throw new FieldError(field.path, `${describeValue(value)}: the topology has no replicas (replicasPerShard: 0)`);
      return { kind: head };
    case "node":
      return { kind: "node", name: nodeOf(argument, value, facts, field) };
    case "az":
      return { kind: "az", zone: readZoneName(argument, value, facts, field) };
    default: {
      // "primary-of shard 1" is a typo of primary-of-shard: try the first two words joined too.
      const near = closestName(head, HEADS) ?? closestName(words.slice(0, 2).join("-"), HEADS);
      throw new FieldError(field.path, `${describeValue(value)}: not a target${near === undefined ? "" : ` (did you mean ${near}?)`}; targets are ${TARGET_FORMS.join(", ")}`);
    }
  }
}

function shardOf(head: string, argument: string, value: string, facts: TopologyFacts, field: Field): number {
  if (argument === "") throw new FieldError(field.path, `${describeValue(value)}: give the shard number, e.g. ${head} 1`);
  const shard = /^\d+$/.test(argument) ? Number(argument) : NaN;
  if (!Number.isInteger(shard)) throw new FieldError(field.path, `${describeValue(value)}: the shard is a number, e.g. ${head} 1`);
  if (shard < 1 || shard > facts.shards) throw new FieldError(field.path, `${describeValue(value)}: ${shardRange(facts)}`);
  return shard;
}

/** "the topology has shards 1 to 3" (or "only shard 1"). */
export function shardRange(facts: Pick<TopologyFacts, "shards">): string {
  return facts.shards === 1 ? "the topology has only shard 1" : `the topology has shards 1 to ${facts.shards}`;
}

function nodeOf(argument: string, value: string, facts: TopologyFacts, field: Field): string {
  if (argument === "") throw new FieldError(field.path, `${describeValue(value)}: give the node's name, e.g. node ${facts.nodeNames[0]}`);
  if (facts.nodeNames.includes(argument)) return argument;
  const near = closestName(argument, facts.nodeNames);
  const range = `${facts.nodeNames[0]} to ${facts.nodeNames.at(-1)}`;
  throw new FieldError(
    field.path,
    `${describeValue(value)}: no such node${near === undefined ? "" : ` (did you mean ${near}?)`}; the topology's nodes are named <name>-<shard>-<member>, from ${range}`,
  );
}

function readZoneName(argument: string, value: string, facts: TopologyFacts, field: Field): string {
  if (argument === "") throw new FieldError(field.path, `${describeValue(value)}: give the zone, e.g. az ${facts.zones[0]}`);
  if (facts.zones.includes(argument)) return argument;
  throw new FieldError(field.path, `${describeValue(value)}: ${unknownZoneDetail(argument, facts)}`);
}

/** "no such zone (did you mean az-a?); the topology's zones are az-a, az-b, az-c". */
export function unknownZoneDetail(zone: string, facts: Pick<TopologyFacts, "zones">): string {
  const near = closestName(zone, facts.zones);
  return `no such zone${near === undefined ? "" : ` (did you mean ${near}?)`}; the topology's zones are ${facts.zones.join(", ")}`;
}

/** Refuses a target that is not a replica, for faults that act on replicas only. */
export function requireReplicaTarget(target: TargetSpec, field: Field, action: string): void {
  if (REPLICA_KINDS.includes(target.kind)) return;
  throw new FieldError(field.path, `${describeValue(field.value)}: ${action} acts on a replica; use ${REPLICA_TARGET_FORMS.join(", ")}`);
}
