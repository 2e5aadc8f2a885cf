/**
 * Cluster bus messages. They travel as msgpack frames over ws links between
 * bus ports; this module only defines their shape (plain data, no classes),
 * so the simulator can pass them along as they are.
 *
 * Every message carries the sender's header: who it is, where it can be
 * reached, what it serves (slots, role, primary), its epochs and its
 * replication offset. That is how every node converges on one view.
 */

/** Flags a node asserts about itself or reports about others in gossip. */
export interface NodeFlagBits {
  primary: boolean;
  replica: boolean;
  suspected: boolean;
  failed: boolean;
  noFailover: boolean;
}

export interface BusHeader {
  /** Protocol version; a peer speaking another one is refused. */
  version: number;
  senderId: string;
  /** Announced endpoint; an empty ip means "use the address the link came from". */
  ip: string;
  port: number;
  busPort: number;
  hostname: string;
  availabilityZone: string;
  shardId: string;
  /** The sender's primary (when it is a replica). */
  primaryId: string | undefined;
  flags: NodeFlagBits;
  currentEpoch: number;
  /** The sender's config epoch (a replica sends its primary's, as Redis does). */
  configEpoch: number;
  replicationOffset: number;
  /** Slots the sender serves (its primary's, when it is a replica), 2048 bytes. */
  slots: Uint8Array;
  /** The sender's own view of the cluster state. */
  stateOk: boolean;
  /** The sender is a primary holding writes for a manual failover: its offset is final. */
  paused: boolean;
  /** Shared cluster secret proof: the runtime checks it on the link's first frame. */
}

/** What a ping or pong tells about another node. */
export interface GossipEntry {
  nodeId: string;
  ip: string;
  port: number;
  busPort: number;
  hostname: string;
  availabilityZone: string;
  flags: NodeFlagBits;
  pingSentMs: number;
  pongReceivedMs: number;
}

export type BusMessage =
  | { type: "ping" | "pong" | "meet"; header: BusHeader; gossip: GossipEntry[] }
  | { type: "fail"; header: BusHeader; failedId: string }
  | { type: "update"; header: BusHeader; nodeId: string; configEpoch: number; slots: Uint8Array }
  | { type: "publish"; header: BusHeader; channel: string; message: string }
  /** A replica of a failed primary asks for votes in the epoch it just started. */
  | { type: "auth-request"; header: BusHeader; force: boolean }
  /** A replica asks its primary to pause writes for a manual failover (CLUSTER FAILOVER). */
  | { type: "mfstart"; header: BusHeader }
  /** A vote for the sender of an auth-request, in `epoch`. */
  | { type: "auth-ack"; header: BusHeader; epoch: number };

export const BUS_PROTOCOL_VERSION = 1;
