/**
 * What the keyspace holds, counted as it changes. Every value and database
 * of one engine shares one Ledger:
 *  - `bytes` is the honest memory estimate behind `used_memory` and
 *    `maxmemory`, kept up to date by each mutation (never recomputed by a scan);
 *  - `changes` counts mutations (Redis's `server.dirty`): the dispatcher
 *    compares it before and after a write command to know whether the command
 *    changed anything, and so whether to touch WATCHed keys, wake blocked
 *    clients and propagate to replicas.
 */
export class Ledger {
  bytes = 0;
  changes = 0;

  /** Record a mutation that changed the estimate by `deltaBytes` (may be 0 or negative). */
  record(deltaBytes: number): void {
    this.bytes += deltaBytes;
    this.changes++;
  }
}

/**
 * Estimates of what V8 spends, calibrated against heap snapshots on 64-bit
 * Node 20 (no pointer compression): a one-byte string is a 16-byte header plus
 * its characters rounded up to 8; a Map entry costs about 32 bytes with its
 * share of the hash table; an array slot 8.
 */
export const MemoryCost = {
  stringBytes(text: string): number {
    return 16 + ((text.length + 7) & ~7);
  },
  /** One key of the keyspace: its map entry and the slots of the parallel arrays. */
  keyEntryBytes: 56,
  /** One entry of the expires table. */
  expireEntryBytes: 56,
  /** One field of a hash, member of a set or element of a list, besides its strings. */
  mapEntryBytes: 48,
  listSlotBytes: 8,
  /** A skiplist/sorted-array node of a sorted set, besides the member string. */
  sortedSetEntryBytes: 80,
  /** One key in the per-slot index of cluster mode (a Set entry). */
  slotIndexEntryBytes: 40,
  /** The object header of an aggregate value. */
  aggregateBytes: 64,
} as const;
