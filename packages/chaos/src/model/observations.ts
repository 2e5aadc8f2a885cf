/**
 * What the runner saw of the cluster besides the client's history: the
 * monitor's samples of every node, the nodes' own records of the writes they
 * accepted and of cluster events, and the final state after the heal. All
 * times are wall-clock ms since the epoch, like the history's.
 */

/** One node as one monitor poll saw it. */
export interface NodeSample {
  timeMs: number;
  node: string;
  /** Answered the poll in time. */
  reachable: boolean;
  role?: "primary" | "replica";
  /** For a replica: its primary's node name. */
  primary?: string;
  /** Slots it serves as a primary (inclusive ranges). */
  slots?: [number, number][];
  configEpoch?: number;
  clusterStateOk?: boolean;
  /** Its replication offset (a replica: what it has applied). */
  replicationOffset?: number;
  /** For a replica: the link to its primary is up. */
  linkUp?: boolean;
}

/**
 * A span of writes one node accepted as a primary under one configuration
 * (SHARDLINE WRITES): the evidence for split brain. A node records a new
 * term whenever its config epoch or its slots change.
 */
export interface WriteTerm {
  node: string;
  configEpoch: number;
  slots: [number, number][];
  firstWriteMs: number;
  lastWriteMs: number;
  writes: number;
}

/** A cluster event (SHARDLINE EVENTS of every node, merged). */
export interface ClusterEventRecord {
  atMs: number;
  type: "failure-detected" | "election-started" | "failover-completed" | "node-recovered" | string;
  /** The node it is about, by name. */
  node: string;
  detail: string;
  seenBy: string[];
}

/** The cluster after the final heal. */
export interface FinalState {
  /** When the final heal finished (every process up, every link restored). */
  healedAtMs: number;
  /** When every node first agreed on slots and roles with equal digests; undefined if never within the bound. */
  convergedAtMs: number | undefined;
  /** What still disagreed at the bound, for the report ("shard 2 has two primaries"). */
  problems: string[];
  /** Each shard's primary at the end, by shard number. */
  primaries: Record<number, string>;
  /** Final value of every key the workload touched (null: no such key), read after convergence. */
  values: Record<string, string | number | null>;
  /** Set when the final read failed (then `values` is empty): lost writes cannot be measured, and the report says why. */
  valuesUnreadable?: string;
}

/** Everything the checkers get besides the history. */
export interface Observations {
  /** Shard (1-based) of each hash slot, from the initial topology (failovers never move slots between shards). */
  shardOfSlot: (slot: number) => number;
  /** Each node's shard and zone, by name. */
  nodes: { name: string; shard: number; availabilityZone: string; initialRole: "primary" | "replica" }[];
  samples: NodeSample[];
  writeTerms: WriteTerm[];
  events: ClusterEventRecord[];
  final: FinalState | undefined;
  /** Workload start and end (wall clock). */
  workloadStartMs: number;
  workloadEndMs: number;
}
