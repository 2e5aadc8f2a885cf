import { assert } from "../../assert.js";
import { Constants } from "../../constants.js";
import { MemoryCost, type Ledger } from "../ledger.js";
import type { Aggregate } from "../value.js";

/** Which end of a list a push or pop works on (Redis's LIST_HEAD / LIST_TAIL). */
export type ListEnd = "head" | "tail";

/** The smallest ring a list keeps: small lists stay small, and shrinking stops here. */
const CAPACITY_MIN = 4;

/**
 * The most elements one list holds. The ring indexes with 32-bit masks, so
 * its capacity stops at 2^31; commands refuse a push past this with an error
 * instead of letting a list grow without bound.
 */
export const LIST_LENGTH_MAX = 2 ** 31;
assert(LIST_LENGTH_MAX <= Constants.aggregateLengthMax, "a list fits the aggregate bound");

/**
 * A Redis list: a deque of binary-safe one-byte strings held in a ring
 * buffer whose capacity is a power of two, so pushes and pops at both ends
 * are O(1) (amortised over doubling), and the element at any index is one
 * masked array read, which keeps LINDEX, LSET and LRANGE's inner loop cheap.
 *
 * The ring doubles when full and, once it is at most a quarter full, shrinks
 * to twice its length, so the memory a list holds follows its length both
 * ways and a push right after a shrink never has to grow it again. `bytes` counts the
 * object, one slot per unit of capacity and each element's string; every
 * mutation reports its delta to the ledger once (a 100-element LPUSH is one
 * record), which is also how the dispatcher learns that a command changed
 * something.
 */
export class ListValue implements Aggregate {
  readonly type = "list" as const;
  ledger: Ledger | undefined = undefined;
  bytes: number;
  private slots: (string | undefined)[];
  /** slots.length - 1: capacity is a power of two, so `& mask` wraps an index. */
  private mask: number;
  /** Slot of the element at index 0. */
  private head = 0;
  private count = 0;

  constructor(capacity = CAPACITY_MIN) {
    assert(capacity >= CAPACITY_MIN && (capacity & (capacity - 1)) === 0, "list capacity is a power of two");
    this.slots = new Array<string | undefined>(capacity);
    this.mask = capacity - 1;
    this.bytes = MemoryCost.aggregateBytes + capacity * MemoryCost.listSlotBytes;
  }

  /** A detached list holding `elements` in order (head first). */
  static from(elements: readonly string[]): ListValue {
    const list = new ListValue(capacityFor(elements.length));
    list.push(elements, "tail");
    return list;
  }

  get length(): number {
    return this.count;
  }

  /** The element at `index` (0 = head); the caller keeps 0 <= index < length. */
  at(index: number): string {
    assert(index >= 0 && index < this.count, "list index in range");
    return this.slots[(this.head + index) & this.mask]!;
  }

  /** All elements, head first (snapshots, tests). */
  toArray(): string[] {
    const elements = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) elements[i] = this.slots[(this.head + i) & this.mask]!;
    return elements;
  }

  clone(): ListValue {
    return ListValue.from(this.toArray());
  }

  /**
   * Pushes `elements` one by one at `end`, as LPUSH/RPUSH do: LPUSH a b c
   * leaves c at the head.
   */
  push(elements: readonly string[], end: ListEnd): void {
    if (elements.length === 0) return;
    let delta = this.reserve(elements.length);
    for (const element of elements) {
      if (end === "head") {
        this.head = (this.head - 1) & this.mask;
        this.slots[this.head] = element;
      } else {
        this.slots[(this.head + this.count) & this.mask] = element;
      }
      this.count++;
      delta += MemoryCost.stringBytes(element);
    }
    this.changed(delta);
  }

  /** Removes and returns up to `countMax` elements from `end`, in the order popped. */
  pop(countMax: number, end: ListEnd): string[] {
    const popped = new Array<string>(Math.min(countMax, this.count));
    if (popped.length === 0) return popped;
    let delta = 0;
    for (let i = 0; i < popped.length; i++) {
      const slot = end === "head" ? this.head : (this.head + this.count - 1) & this.mask;
      const element = this.slots[slot]!;
      this.slots[slot] = undefined;
      if (end === "head") this.head = (this.head + 1) & this.mask;
      this.count--;
      popped[i] = element;
      delta -= MemoryCost.stringBytes(element);
    }
    this.changed(delta + this.shrinkIfSparse());
    return popped;
  }

  /** Replaces the element at `index` (in range). Reported even when equal: LSET always counts as a change. */
  set(index: number, element: string): void {
    assert(index >= 0 && index < this.count, "list index in range");
    const slot = (this.head + index) & this.mask;
    const previous = this.slots[slot]!;
    this.slots[slot] = element;
    this.changed(MemoryCost.stringBytes(element) - MemoryCost.stringBytes(previous));
  }

  /** Inserts `element` so that it ends up at `index` (0..length), moving the shorter side. */
  insert(index: number, element: string): void {
    assert(index >= 0 && index <= this.count, "list insert position in range");
    let delta = this.reserve(1);
    if (index < this.count - index) {
      // Move the `index` elements before the position one slot towards the head.
      this.head = (this.head - 1) & this.mask;
      for (let i = 0; i < index; i++) this.slots[(this.head + i) & this.mask] = this.slots[(this.head + i + 1) & this.mask];
    } else {
      for (let i = this.count; i > index; i--) this.slots[(this.head + i) & this.mask] = this.slots[(this.head + i - 1) & this.mask];
    }
    this.slots[(this.head + index) & this.mask] = element;
    this.count++;
    delta += MemoryCost.stringBytes(element);
    this.changed(delta);
  }

  /** Index of the first element equal to `element` at or after `from`, or -1. */
  indexOf(element: string, from = 0): number {
    for (let i = from; i < this.count; i++) if (this.slots[(this.head + i) & this.mask] === element) return i;
    return -1;
  }

  /**
   * LREM: removes elements equal to `element`, at most `limit` of them
   * (0 = all), scanning from `end`. Survivors keep their order. Returns how
   * many were removed; nothing is reported when none were.
   */
  remove(element: string, limit: number, end: ListEnd): number {
    const kept = new Array<string>();
    let removed = 0;
    for (let step = 0; step < this.count; step++) {
      const index = end === "head" ? step : this.count - 1 - step;
      const value = this.slots[(this.head + index) & this.mask]!;
      if (value === element && (limit === 0 || removed < limit)) removed++;
      else kept.push(value);
    }
    if (removed === 0) return 0;
    if (end === "tail") kept.reverse();
    this.replaceAll(kept, removed * MemoryCost.stringBytes(element));
    return removed;
  }

  /**
   * LTRIM: keeps the elements from `start` to `stop` inclusive (already
   * clamped into the list, start <= stop) and drops the rest. Returns how
   * many were dropped; nothing is reported when none were.
   */
  trim(start: number, stop: number): number {
    assert(start >= 0 && start <= stop && stop < this.count, "trim range inside the list");
    const dropped = this.count - (stop - start + 1);
    if (dropped === 0) return 0;
    let delta = 0;
    for (let i = 0; i < start; i++) delta -= this.clearSlot(i);
    for (let i = stop + 1; i < this.count; i++) delta -= this.clearSlot(i);
    this.head = (this.head + start) & this.mask;
    this.count = stop - start + 1;
    this.changed(delta + this.shrinkIfSparse());
    return dropped;
  }

  /** What `bytes` must be, recomputed from scratch: for tests of the incremental accounting. */
  measureBytes(): number {
    let bytes = MemoryCost.aggregateBytes + this.slots.length * MemoryCost.listSlotBytes;
    for (let i = 0; i < this.count; i++) bytes += MemoryCost.stringBytes(this.at(i));
    return bytes;
  }

  /** Empties slot `index` and returns the bytes its element held. */
  private clearSlot(index: number): number {
    const slot = (this.head + index) & this.mask;
    const element = this.slots[slot]!;
    this.slots[slot] = undefined;
    return MemoryCost.stringBytes(element);
  }

  /** Rebuilds the ring from `elements` after `freedBytes` of elements were removed. */
  private replaceAll(elements: string[], freedBytes: number): void {
    const capacityBefore = this.slots.length;
    const capacity = Math.max(capacityFor(elements.length), CAPACITY_MIN);
    this.slots = new Array<string | undefined>(capacity);
    for (let i = 0; i < elements.length; i++) this.slots[i] = elements[i];
    this.mask = capacity - 1;
    this.head = 0;
    this.count = elements.length;
    this.changed((capacity - capacityBefore) * MemoryCost.listSlotBytes - freedBytes);
  }

  /** Grows the ring so `extra` more elements fit; returns the bytes the growth cost. */
  private reserve(extra: number): number {
    const needed = this.count + extra;
    assert(needed <= LIST_LENGTH_MAX, "list length within LIST_LENGTH_MAX (commands check before pushing)");
    if (needed <= this.slots.length) return 0;
    return this.resize(capacityFor(needed));
  }

  /** Shrinks a ring at most a quarter full to twice its length; returns the (negative) bytes saved. */
  private shrinkIfSparse(): number {
    const capacity = this.slots.length;
    if (capacity <= CAPACITY_MIN || this.count > capacity / 4) return 0;
    return this.resize(Math.max(CAPACITY_MIN, capacityFor(this.count * 2)));
  }

  /** Copies the elements into a ring of `capacity` slots; returns the change in slot bytes. */
  private resize(capacity: number): number {
    assert(capacity >= this.count && (capacity & (capacity - 1)) === 0, "list ring capacity holds the elements");
    const slots = new Array<string | undefined>(capacity);
    for (let i = 0; i < this.count; i++) slots[i] = this.slots[(this.head + i) & this.mask];
    const delta = (capacity - this.slots.length) * MemoryCost.listSlotBytes;
    this.slots = slots;
    this.mask = capacity - 1;
    this.head = 0;
    return delta;
  }

  private changed(deltaBytes: number): void {
    this.bytes += deltaBytes;
    this.ledger?.record(deltaBytes);
  }
}

/** The smallest power-of-two capacity (at least CAPACITY_MIN) holding `length` elements. */
function capacityFor(length: number): number {
  let capacity = CAPACITY_MIN;
  while (capacity < length) capacity *= 2;
  return capacity;
}
