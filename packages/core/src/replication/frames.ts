/**
 * Frames of a replication link (ws + msgpack, like the cluster bus). The
 * replica opens the link and asks to continue from its dataset version
 * (PSYNC); the primary either continues from its backlog or sends a
 * snapshot first, then streams its writes, each frame carrying the stream
 * offset of its first byte so a gap or overlap is caught at once.
 */

/** One key of a full-sync snapshot. */
export interface SnapshotEntry {
  db: number;
  key: string;
  type: "string" | "hash" | "list" | "set" | "zset";
  /** string: the value; hash: [field, value, ...]; list/set: members; zset: [member, score-text, ...]. */
  value: string | string[];
  /** Absolute expiry in ms, or -1. */
  expireAtMs: number;
}

export type ReplicaFrame =
  /** Replica -> primary, first frame: continue my dataset (replicationId "?" asks for a full sync). */
  | { type: "psync"; nodeId: string; replicationId: string; offset: number; ip: string; port: number }
  /** Replica -> primary: everything up to `offset` is applied (REPLCONF ACK). */
  | { type: "ack"; offset: number };

export type PrimaryFrame =
  /** Partial resync accepted: the stream continues from `offset`. */
  | { type: "continue"; replicationId: string; offset: number }
  /** Full sync: a snapshot at `offset` follows, then the stream from there. */
  | { type: "fullresync"; replicationId: string; offset: number }
  | { type: "snapshot"; entries: SnapshotEntry[] }
  | { type: "snapshot-end" }
  /** Stream bytes (RESP commands) starting at stream offset `offset`. */
  | { type: "stream"; offset: number; data: string }
  /** Ask for an ACK now (WAIT). */
  | { type: "getack" };
