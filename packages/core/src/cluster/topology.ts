import { assert } from "../assert.js";
import { SLOT_COUNT } from "./slots.js";

/** A set of hash slots as a 16384-bit bitmap (2 KiB), the form the cluster bus carries. */
export class SlotSet {
  readonly bits: Uint8Array;

  constructor(bits?: Uint8Array) {
    assert(bits === undefined || bits.length === SLOT_COUNT / 8, "a slot bitmap has 2048 bytes");
    this.bits = bits ?? new Uint8Array(SLOT_COUNT / 8);
  }

  has(slot: number): boolean {
    return (this.bits[slot >> 3]! & (1 << (slot & 7))) !== 0;
  }

  add(slot: number): void {
    this.bits[slot >> 3]! |= 1 << (slot & 7);
  }

  delete(slot: number): void {
    this.bits[slot >> 3]! &= ~(1 << (slot & 7));
  }

  get size(): number {
    let count = 0;
    for (const byte of this.bits) {
      let b = byte;
      while (b !== 0) {
        b &= b - 1;
        count++;
      }
    }
    return count;
  }

  /** Contiguous ranges, ascending: [[0, 5460], [5462, 5462]]. */
  ranges(): [number, number][] {
    const ranges: [number, number][] = [];
    let start = -1;
    for (let slot = 0; slot <= SLOT_COUNT; slot++) {
      const inSet = slot < SLOT_COUNT && this.has(slot);
      if (inSet && start < 0) start = slot;
      if (!inSet && start >= 0) {
        ranges.push([start, slot - 1]);
        start = -1;
      }
    }
    return ranges;
  }

  static fromRanges(ranges: readonly (readonly [number, number])[]): SlotSet {
    const set = new SlotSet();
    for (const [start, end] of ranges) for (let slot = start; slot <= end; slot++) set.add(slot);
    return set;
  }
}

/**
 * One node as this node sees it: what CLUSTER NODES prints a line for and
 * what gossip carries. Redis's words (master/slave) stay in the wire formats;
 * our own names say primary and replica.
 */
export interface ClusterNode {
  /** 40 lowercase hex characters. */
  id: string;
  /** The announced endpoint clients are redirected to. */
  ip: string;
  port: number;
  busPort: number;
  /** `cluster-announce-hostname`; empty when unset. */
  hostname: string;
  /** Shared by a primary and its replicas, kept across failovers (CLUSTER MYSHARDID, Redis 7.2). */
  shardId: string;
  /** The simulated availability zone (`availability-zone`). */
  availabilityZone: string;
  /** `unknown` while a MEET handshake has not told us yet. */
  role: "primary" | "replica" | "unknown";
  /** The primary a replica replicates. */
  primaryId: string | undefined;
  myself: boolean;
  /** Suspected failing by this node (PFAIL, shown as `fail?`). */
  suspected: boolean;
  /** Agreed failing by a majority (FAIL). */
  failed: boolean;
  handshake: boolean;
  noAddress: boolean;
  noFailover: boolean;
  /** When the last unanswered ping was sent (0: none pending), ms since the epoch. */
  pingSentMs: number;
  pongReceivedMs: number;
  configEpoch: number;
  linkConnected: boolean;
  replicationOffset: number;
  slots: SlotSet;
}

/** The CLUSTER NODES flags field: `myself,master`, `slave,fail?`, or `noflags`. */
export function nodeFlags(node: ClusterNode): string {
  const flags: string[] = [];
  if (node.myself) flags.push("myself");
  if (node.role === "primary") flags.push("master");
  else if (node.role === "replica") flags.push("slave");
  if (node.suspected) flags.push("fail?");
  if (node.failed) flags.push("fail");
  if (node.handshake) flags.push("handshake");
  if (node.noAddress) flags.push("noaddr");
  if (node.noFailover) flags.push("nofailover");
  return flags.length === 0 ? "noflags" : flags.join(",");
}
