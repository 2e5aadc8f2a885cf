import type { SlotSet } from "../cluster/topology.js";

/**
 * A span of writes this node accepted from clients as a primary under one
 * configuration: its config epoch and the slots it served. Two nodes whose
 * terms share slots and overlap in time both took writes for the same slot
 * at once: split brain. The chaos runner reads them with SHARDLINE WRITES.
 */
export interface WriteTerm {
  configEpoch: number;
  /** The slots served during the term, as inclusive ranges. */
  slots: [number, number][];
  firstWriteMs: number;
  lastWriteMs: number;
  writes: number;
}

/** Terms kept, newest last: a node changes configuration a handful of times in a run. */
const TERMS_MAX = 64;

/**
 * The terms of one node. Recording a write costs two comparisons and two
 * assignments; a term's slot ranges are computed only when a new term
 * starts, which happens when the config epoch or the number of slots served
 * changes (a failover, a slot moved).
 */
export class WriteTerms {
  private readonly kept: WriteTerm[] = [];
  private currentEpoch = -1;
  private currentSlotCount = -1;

  get terms(): readonly WriteTerm[] {
    return this.kept;
  }

  record(nowMs: number, configEpoch: number, slots: SlotSet): void {
    let term = this.kept[this.kept.length - 1];
    if (term === undefined || configEpoch !== this.currentEpoch || slots.size !== this.currentSlotCount) {
      this.currentEpoch = configEpoch;
      this.currentSlotCount = slots.size;
      term = { configEpoch, slots: slots.ranges(), firstWriteMs: nowMs, lastWriteMs: nowMs, writes: 0 };
      this.kept.push(term);
      if (this.kept.length > TERMS_MAX) this.kept.shift();
    }
    term.lastWriteMs = nowMs;
    term.writes++;
  }
}
