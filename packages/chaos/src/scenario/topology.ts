import { DEFAULT_TOPOLOGY, placeNodes, topologyFrom, TopologyError, type Topology } from "@shardline/core";
import { describeValue, FieldError } from "./errors.js";
import type { TopologyFacts } from "./targets.js";
import { readMapping, type Field } from "./values.js";

const TOPOLOGY_FIELDS = Object.keys(DEFAULT_TOPOLOGY) as (keyof Topology)[];

/** The default cluster, as a fresh object the caller may change. */
export function defaultTopology(): Topology {
  return { ...DEFAULT_TOPOLOGY, availabilityZones: [...DEFAULT_TOPOLOGY.availabilityZones], nodeConfig: {} };
}

/**
 * A topology from parsed data at `field` (a whole topology file, or a
 * scenario's `topology` mapping), the defaults filling what it omits. Core's
 * topologyFrom decides what is valid; this only moves its TopologyError onto
 * the field's path, and checks unknown fields first so a typo gets the
 * closest name.
 */
export function readTopology(field: Field): Topology {
  const example = "{shards: 3, replicasPerShard: 2}";
  if (field.path.length === 0 && !isMapping(field.value)) {
    throw new FieldError([], `a topology file is a mapping of fields, e.g. ${example}, but this one holds ${describeValue(field.value)}`);
  }
  readMapping(field, TOPOLOGY_FIELDS, example);
  try {
    return topologyFrom(field.value);
  } catch (error) {
    if (!(error instanceof TopologyError)) throw error;
    const prefix = `${error.field}: `;
    const detail = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    const path = error.field === "(file)" ? field.path : [...field.path, error.field];
    throw new FieldError(path, detail);
  }
}

/** What targets are checked against: zones, shard and replica counts, node names. */
export function topologyFacts(topology: Topology): TopologyFacts {
  return {
    shards: topology.shards,
    replicasPerShard: topology.replicasPerShard,
    zones: topology.availabilityZones,
    nodeNames: placeNodes(topology).map((node) => node.name),
  };
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
