import type { Random } from "../random.js";

/**
 * A map with O(1) get, set, delete, random member and a SCAN cursor that
 * keeps Redis's guarantee. Keys and values live in dense parallel arrays;
 * a Map gives each key its index; deleting moves the last entry into the hole.
 *
 * SCAN walks indexes downward: a cursor c means "indexes below c remain"
 * (0 starts at the top). A swap-remove only ever moves the last entry, which
 * sits in the part already visited, into a lower index, so an entry present
 * for the whole scan is always returned at least once (possibly twice), and
 * new entries are appended into the visited part, which is allowed.
 */
export class IndexedMap<V> {
  private readonly index = new Map<string, number>();
  private readonly keyList: string[] = [];
  private readonly valueList: V[] = [];

  get size(): number {
    return this.keyList.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): V | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.valueList[i];
  }

  indexOf(key: string): number | undefined {
    return this.index.get(key);
  }

  keyAt(i: number): string {
    return this.keyList[i]!;
  }

  valueAt(i: number): V {
    return this.valueList[i]!;
  }

  setValueAt(i: number, value: V): void {
    this.valueList[i] = value;
  }

  /** Sets the value; returns true when the key is new. */
  set(key: string, value: V): boolean {
    const i = this.index.get(key);
    if (i !== undefined) {
      this.valueList[i] = value;
      return false;
    }
    this.index.set(key, this.keyList.length);
    this.keyList.push(key);
    this.valueList.push(value);
    return true;
  }

  delete(key: string): boolean {
    const i = this.index.get(key);
    if (i === undefined) return false;
    this.index.delete(key);
    const last = this.keyList.length - 1;
    if (i !== last) {
      const movedKey = this.keyList[last]!;
      this.keyList[i] = movedKey;
      this.valueList[i] = this.valueList[last]!;
      this.index.set(movedKey, i);
    }
    this.keyList.pop();
    this.valueList.pop();
    return true;
  }

  clear(): void {
    this.index.clear();
    this.keyList.length = 0;
    this.valueList.length = 0;
  }

  /** A uniformly chosen index, or -1 when empty. */
  randomIndex(random: Random): number {
    return this.keyList.length === 0 ? -1 : random.int(this.keyList.length);
  }

  keys(): IterableIterator<string> {
    return this.keyList.values();
  }

  *entries(): IterableIterator<[string, V]> {
    for (let i = 0; i < this.keyList.length; i++) yield [this.keyList[i]!, this.valueList[i]!];
  }

  /**
   * Visits up to `count` entries below `cursor` (0 = from the top), calling
   * `visit` for each, and returns the cursor to continue with (0 when done).
   */
  scan(cursor: number, count: number, visit: (key: string, value: V) => void): number {
    let i = cursor === 0 || cursor > this.keyList.length ? this.keyList.length : cursor;
    const stop = Math.max(0, i - Math.max(1, count));
    while (i > stop) {
      i--;
      visit(this.keyList[i]!, this.valueList[i]!);
    }
    return i;
  }
}
