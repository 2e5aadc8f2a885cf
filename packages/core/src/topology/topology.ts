/**
 * A topology is the one description of a cluster (DESIGN.md, principle 6):
 * availability zones, shards, replicas per shard, addresses and timeouts.
 * The local launcher, docker-compose.yml, the scenario runner and the
 * simulator all derive their nodes from `placeNodes(topology)`.
 */
export interface Topology {
  /** Names the run directory and the compose project. */
  name: string;
  /** Availability zones, in order. */
  availabilityZones: string[];
  /** Number of shards (node groups), 1–500 as in ElastiCache. */
  shards: number;
  /** Replicas per shard, 0–5 as in ElastiCache. */
  replicasPerShard: number;
  /** Address clients and nodes use to reach each node. */
  host: string;
  /** Client port of the first node; nodes take consecutive ports. */
  basePort: number;
  /** Bus port = client port + this. */
  busPortOffset: number;
  /** `cluster-node-timeout`. */
  nodeTimeoutMs: number;
  /** `cluster-require-full-coverage`; ElastiCache runs with it off. */
  requireFullCoverage: boolean;
  /** `cluster-secret`: bus peers must know it. */
  secret: string;
  /** Extra `--name value` configuration for every node. */
  nodeConfig: Record<string, string>;
}

export const DEFAULT_TOPOLOGY: Readonly<Topology> = Object.freeze({
  name: "default",
  availabilityZones: ["az-a", "az-b", "az-c"],
  shards: 3,
  replicasPerShard: 2,
  host: "127.0.0.1",
  basePort: 7000,
  busPortOffset: 10000,
  nodeTimeoutMs: 1000,
  requireFullCoverage: false,
  secret: "shardline",
  nodeConfig: {},
});

/** Bounds, from ElastiCache's limits where it has them. */
export const TOPOLOGY_LIMITS = {
  shardsMax: 500,
  replicasPerShardMax: 5,
  availabilityZonesMax: 16,
  nodeTimeoutMsMin: 100,
  nodeTimeoutMsMax: 3_600_000,
} as const;

/** One node of a placed topology. */
export interface PlacedNode {
  /** ElastiCache-style node name, e.g. `default-0002-001` (shard 2, member 1). */
  name: string;
  /** 1-based shard number. */
  shard: number;
  /** 1-based member number within its shard; member 1 starts as the primary. */
  member: number;
  initialRole: "primary" | "replica";
  availabilityZone: string;
  host: string;
  port: number;
  busPort: number;
  /** Hash slots the shard serves, as inclusive ranges (primaries only). */
  slotRanges: [number, number][];
}

/** A topology that is not valid: `field` names what to fix, the message says how. */
export class TopologyError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * Checks a topology, throwing TopologyError for the first problem, with what
 * is allowed. Every shard needs its members in distinct availability zones,
 * so replicasPerShard + 1 may not exceed the number of zones.
 */
export function validateTopology(topology: Topology): void {
  const t = topology;
  if (!NAME.test(t.name)) throw new TopologyError("name", `'${t.name}' must be 1-40 lowercase letters, digits or '-'`);
  if (!Array.isArray(t.availabilityZones) || t.availabilityZones.length === 0) {
    throw new TopologyError("availabilityZones", "must list at least one zone, e.g. [az-a, az-b, az-c]");
  }
  if (t.availabilityZones.length > TOPOLOGY_LIMITS.availabilityZonesMax) {
    throw new TopologyError("availabilityZones", `at most ${TOPOLOGY_LIMITS.availabilityZonesMax} zones`);
  }
  for (const zone of t.availabilityZones) {
    if (typeof zone !== "string" || !NAME.test(zone)) throw new TopologyError("availabilityZones", `'${zone}' must be 1-40 lowercase letters, digits or '-'`);
  }
  if (new Set(t.availabilityZones).size !== t.availabilityZones.length) throw new TopologyError("availabilityZones", "zones must be distinct");
  integerIn(t.shards, "shards", 1, TOPOLOGY_LIMITS.shardsMax);
  integerIn(t.replicasPerShard, "replicasPerShard", 0, TOPOLOGY_LIMITS.replicasPerShardMax);
  if (t.replicasPerShard + 1 > t.availabilityZones.length) {
    throw new TopologyError(
      "replicasPerShard",
      `${t.replicasPerShard} replicas need ${t.replicasPerShard + 1} availability zones (one per member of a shard), but only ${t.availabilityZones.length} are listed: add zones or lower replicasPerShard`,
    );
  }
  if (typeof t.host !== "string" || t.host === "") throw new TopologyError("host", "must be an address or hostname, e.g. 127.0.0.1");
  const nodes = t.shards * (t.replicasPerShard + 1);
  integerIn(t.basePort, "basePort", 1, 65535);
  integerIn(t.busPortOffset, "busPortOffset", 1, 65535);
  const lastPort = t.basePort + nodes - 1;
  if (lastPort > 65535) throw new TopologyError("basePort", `${nodes} nodes from port ${t.basePort} would need ports up to ${lastPort}; the highest is 65535`);
  if (lastPort + t.busPortOffset > 65535) {
    throw new TopologyError("busPortOffset", `bus ports would reach ${lastPort + t.busPortOffset}; the highest is 65535: lower basePort or busPortOffset`);
  }
  if (t.busPortOffset < nodes) {
    throw new TopologyError("busPortOffset", `client ports ${t.basePort}-${lastPort} would collide with bus ports ${t.basePort + t.busPortOffset}-${lastPort + t.busPortOffset}: use an offset of at least ${nodes}`);
  }
  integerIn(t.nodeTimeoutMs, "nodeTimeoutMs", TOPOLOGY_LIMITS.nodeTimeoutMsMin, TOPOLOGY_LIMITS.nodeTimeoutMsMax);
  if (typeof t.requireFullCoverage !== "boolean") throw new TopologyError("requireFullCoverage", "must be true or false");
  if (typeof t.secret !== "string") throw new TopologyError("secret", "must be a string");
  if (typeof t.nodeConfig !== "object" || t.nodeConfig === null || Array.isArray(t.nodeConfig)) {
    throw new TopologyError("nodeConfig", "must map configuration names to values, e.g. {maxmemory: 100mb}");
  }
}

function integerIn(value: unknown, field: string, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new TopologyError(field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
}

/**
 * Places every node: shard s (0-based) starts with its primary in zone
 * s mod Z and its replicas in the following zones, so each shard spans
 * distinct zones and the primaries rotate across zones. Primaries take the
 * first ports, then each shard's replicas in order. Slots are split in equal
 * contiguous ranges as redis-cli --cluster create splits them.
 */
export function placeNodes(topology: Topology): PlacedNode[] {
  validateTopology(topology);
  const zones = topology.availabilityZones;
  const ranges = splitSlots(topology.shards);
  const nodes: PlacedNode[] = [];
  for (let shard = 0; shard < topology.shards; shard++) {
    for (let member = 0; member <= topology.replicasPerShard; member++) {
      const index = member === 0 ? shard : topology.shards + shard * topology.replicasPerShard + (member - 1);
      const port = topology.basePort + index;
      nodes.push({
        name: `${topology.name}-${String(shard + 1).padStart(4, "0")}-${String(member + 1).padStart(3, "0")}`,
        shard: shard + 1,
        member: member + 1,
        initialRole: member === 0 ? "primary" : "replica",
        availabilityZone: zones[(shard + member) % zones.length]!,
        host: topology.host,
        port,
        busPort: port + topology.busPortOffset,
        slotRanges: member === 0 ? [ranges[shard]!] : [],
      });
    }
  }
  return nodes.sort((a, b) => a.port - b.port);
}

/**
 * 16384 slots in `shards` contiguous ranges, computed as redis-cli --cluster
 * create does (a fractional share per shard, each end rounded).
 */
export function splitSlots(shards: number): [number, number][] {
  const share = 16384 / shards;
  const ranges: [number, number][] = [];
  let first = 0;
  let cursor = 0;
  for (let i = 0; i < shards; i++) {
    let last = Math.round(cursor + share - 1);
    if (last > 16383 || i === shards - 1) last = 16383;
    ranges.push([first, last]);
    first = last + 1;
    cursor += share;
  }
  return ranges;
}

/**
 * Builds a topology from user data (a parsed YAML/JSON file), defaults
 * filling what it omits; unknown fields are refused so typos do not pass.
 */
export function topologyFrom(data: unknown): Topology {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new TopologyError("(file)", "a topology is a mapping of fields, e.g. {shards: 3, replicasPerShard: 2}");
  }
  const known = new Set(Object.keys(DEFAULT_TOPOLOGY));
  for (const key of Object.keys(data)) {
    if (!known.has(key)) throw new TopologyError(key, `unknown field; allowed: ${[...known].join(", ")}`);
  }
  const topology = { ...DEFAULT_TOPOLOGY, availabilityZones: [...DEFAULT_TOPOLOGY.availabilityZones], nodeConfig: {}, ...(data as Partial<Topology>) };
  validateTopology(topology);
  return topology;
}
