import type { Random } from "../../random.js";
import { IndexedMap } from "../indexed-map.js";
import { MemoryCost, type Ledger } from "../ledger.js";
import type { Aggregate } from "../value.js";

/**
 * When Redis keeps a hash as a listpack (`hash-max-listpack-entries` and
 * `hash-max-listpack-value`); read from the configuration at each write.
 */
export interface HashEncodingLimits {
  entriesMax: number;
  valueBytesMax: number;
}

export type HashEncoding = "listpack" | "hashtable";

/**
 * A Redis hash: fields to values, both binary-safe one-byte strings.
 *
 * It mirrors Redis's two encodings because clients can see them. A small
 * hash is a listpack in Redis: fields come back in insertion order (HGETALL,
 * HKEYS, HRANDFIELD with a large count) and HSCAN returns everything at once
 * with cursor 0. Once it grows past `hash-max-listpack-entries` fields or
 * takes a field or value longer than `hash-max-listpack-value`, it becomes a
 * hashtable for good: order is then arbitrary and HSCAN pages with a cursor.
 *
 * Fields live in an IndexedMap (O(1) get/set/delete, random field, SCAN
 * cursor). In listpack mode a deletion keeps the order of the remaining
 * fields, which costs O(fields after it), bounded by the listpack limit as
 * in Redis.
 */
export class HashValue implements Aggregate {
  readonly type = "hash" as const;
  ledger: Ledger | undefined = undefined;
  private readonly fields = new IndexedMap<string>();
  private bytesHeld = MemoryCost.aggregateBytes;
  private compact = true;

  get length(): number {
    return this.fields.size;
  }

  get bytes(): number {
    return this.bytesHeld;
  }

  /** What OBJECT ENCODING reports. */
  get encoding(): HashEncoding {
    return this.compact ? "listpack" : "hashtable";
  }

  get(field: string): string | undefined {
    return this.fields.get(field);
  }

  has(field: string): boolean {
    return this.fields.has(field);
  }

  /** Sets `field` to `value`; returns true when the field is new. */
  set(field: string, value: string, limits: HashEncodingLimits): boolean {
    if (this.compact && (field.length > limits.valueBytesMax || value.length > limits.valueBytesMax)) this.compact = false;
    const previous = this.fields.get(field);
    this.fields.set(field, value);
    if (this.compact && this.fields.size > limits.entriesMax) this.compact = false;
    if (previous === undefined) {
      this.account(fieldBytes(field, value));
      return true;
    }
    this.account(MemoryCost.stringBytes(value) - MemoryCost.stringBytes(previous));
    return false;
  }

  /** Removes `field`; returns whether it was there. */
  delete(field: string): boolean {
    const value = this.fields.get(field);
    if (value === undefined) return false;
    if (this.compact) this.deleteKeepingOrder(field);
    else this.fields.delete(field);
    this.account(-fieldBytes(field, value));
    return true;
  }

  /** A uniformly chosen field index (the hash must not be empty). */
  randomIndex(random: Random): number {
    return this.fields.randomIndex(random);
  }

  fieldAt(index: number): string {
    return this.fields.keyAt(index);
  }

  valueAt(index: number): string {
    return this.fields.valueAt(index);
  }

  /** Fields and values in Redis's iteration order for this encoding. */
  entries(): IterableIterator<[string, string]> {
    return this.fields.entries();
  }

  /**
   * One HSCAN step: visits about `count` fields from `cursor` and returns
   * the next cursor (0 when done). A listpack is returned whole, as Redis does.
   */
  scan(cursor: number, count: number, visit: (field: string, value: string) => void): number {
    if (!this.compact) return this.fields.scan(cursor, count, visit);
    for (const [field, value] of this.fields.entries()) visit(field, value);
    return 0;
  }

  clone(): HashValue {
    const copy = new HashValue();
    for (const [field, value] of this.fields.entries()) copy.fields.set(field, value);
    copy.bytesHeld = this.bytesHeld;
    copy.compact = this.compact;
    return copy;
  }

  private account(deltaBytes: number): void {
    this.bytesHeld += deltaBytes;
    this.ledger?.record(deltaBytes);
  }

  /**
   * IndexedMap deletes by moving its last entry into the hole; a listpack
   * keeps order, so the entries after `field` are taken off the end (each a
   * plain pop) and put back in order.
   */
  private deleteKeepingOrder(field: string): void {
    const index = this.fields.indexOf(field)!;
    const tail: [string, string][] = [];
    for (let i = this.fields.size - 1; i > index; i--) {
      const key = this.fields.keyAt(i);
      tail.push([key, this.fields.valueAt(i)]);
      this.fields.delete(key);
    }
    this.fields.delete(field);
    for (let i = tail.length - 1; i >= 0; i--) this.fields.set(tail[i]![0], tail[i]![1]);
  }
}

function fieldBytes(field: string, value: string): number {
  return MemoryCost.mapEntryBytes + MemoryCost.stringBytes(field) + MemoryCost.stringBytes(value);
}
