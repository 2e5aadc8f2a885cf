import type { Random } from "../../random.js";
import { parseInt64 } from "../../util/parse.js";
import { IndexedMap } from "../indexed-map.js";
import { MemoryCost, type Ledger } from "../ledger.js";
import type { Aggregate } from "../value.js";

/** When Redis keeps a set as an intset (`set-max-intset-entries`); read from the configuration at each write. */
export interface SetEncodingLimits {
  intsetEntriesMax: number;
}

export type SetEncoding = "intset" | "hashtable";

/**
 * A Redis set of binary-safe one-byte strings.
 *
 * It mirrors Redis 7.0's two encodings because clients can see them. A set
 * whose members are all 64-bit integers in canonical form (what string2ll
 * accepts: no sign but '-', no leading zeros) and that has at most
 * `set-max-intset-entries` members is an intset in Redis: members come back
 * sorted by value (SMEMBERS, SINTER, SRANDMEMBER with a large count) and
 * SSCAN returns everything at once with cursor 0. The first other member
 * makes it a hashtable for good, where order is arbitrary and SSCAN pages.
 *
 * Members live in an IndexedMap (O(1) add/remove/member test, random member,
 * SCAN cursor). Intset order is a sorted copy of the members, built when
 * first iterated after a change and bounded by the intset limit.
 */
export class SetValue implements Aggregate {
  readonly type = "set" as const;
  ledger: Ledger | undefined = undefined;
  private readonly members = new IndexedMap<true>();
  private bytesHeld = MemoryCost.aggregateBytes;
  private intset = true;
  private sortedCache: string[] | undefined;

  get length(): number {
    return this.members.size;
  }

  get bytes(): number {
    return this.bytesHeld;
  }

  /** What OBJECT ENCODING reports. */
  get encoding(): SetEncoding {
    return this.intset ? "intset" : "hashtable";
  }

  has(member: string): boolean {
    return this.members.has(member);
  }

  /** Adds `member`; returns true when it was not there. */
  add(member: string, limits: SetEncodingLimits): boolean {
    if (!this.members.set(member, true)) return false;
    if (this.intset && (this.members.size > limits.intsetEntriesMax || parseInt64(member) === undefined)) this.intset = false;
    this.sortedCache = undefined;
    this.account(memberBytes(member));
    return true;
  }

  /** Removes `member`; returns whether it was there. */
  delete(member: string): boolean {
    if (!this.members.delete(member)) return false;
    this.sortedCache = undefined;
    this.account(-memberBytes(member));
    return true;
  }

  /** A uniformly chosen member (the set must not be empty). */
  randomMember(random: Random): string {
    return this.members.keyAt(this.members.randomIndex(random));
  }

  /** The member at `index` (below length) in storage order, which is not iteration order: for sampling. */
  memberAt(index: number): string {
    return this.members.keyAt(index);
  }

  /** Members in Redis's iteration order for this encoding. */
  values(): Iterable<string> {
    return this.intset ? this.sorted() : this.members.keys();
  }

  /**
   * One SSCAN step: visits about `count` members from `cursor` and returns
   * the next cursor (0 when done). An intset is returned whole, as Redis does.
   */
  scan(cursor: number, count: number, visit: (member: string) => void): number {
    if (!this.intset) return this.members.scan(cursor, count, (member) => visit(member));
    for (const member of this.sorted()) visit(member);
    return 0;
  }

  clone(): SetValue {
    const copy = new SetValue();
    for (const member of this.members.keys()) copy.members.set(member, true);
    copy.bytesHeld = this.bytesHeld;
    copy.intset = this.intset;
    return copy;
  }

  private sorted(): string[] {
    if (this.sortedCache === undefined) {
      const numbered = [...this.members.keys()].map((member) => [parseInt64(member)!, member] as const);
      numbered.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.sortedCache = numbered.map(([, member]) => member);
    }
    return this.sortedCache;
  }

  private account(deltaBytes: number): void {
    this.bytesHeld += deltaBytes;
    this.ledger?.record(deltaBytes);
  }
}

function memberBytes(member: string): number {
  return MemoryCost.mapEntryBytes + MemoryCost.stringBytes(member);
}
