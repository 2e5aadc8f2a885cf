import { keyHashSlot, SLOT_COUNT } from "../cluster/slots.js";

/**
 * The keys of each hash slot, kept only in cluster mode (Redis 7 keeps the
 * same index): CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT read it, and a node
 * that loses slots deletes exactly their keys.
 */
export class SlotKeys {
  private readonly bySlot: (Set<string> | undefined)[] = new Array(SLOT_COUNT).fill(undefined);

  add(key: string): void {
    const slot = keyHashSlot(key);
    let keys = this.bySlot[slot];
    if (keys === undefined) this.bySlot[slot] = keys = new Set();
    keys.add(key);
  }

  delete(key: string): void {
    const slot = keyHashSlot(key);
    const keys = this.bySlot[slot];
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.bySlot[slot] = undefined;
  }

  count(slot: number): number {
    return this.bySlot[slot]?.size ?? 0;
  }

  /** Up to `max` keys of `slot`. */
  keys(slot: number, max: number): string[] {
    const out: string[] = [];
    for (const key of this.bySlot[slot] ?? []) {
      if (out.length >= max) break;
      out.push(key);
    }
    return out;
  }

  clear(): void {
    this.bySlot.fill(undefined);
  }
}
