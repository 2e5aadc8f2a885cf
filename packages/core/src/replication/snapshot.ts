import type { Database } from "../keyspace/database.js";
import { HashValue } from "../keyspace/types/hash.js";
import { ListValue } from "../keyspace/types/list.js";
import { SetValue } from "../keyspace/types/set.js";
import { SortedSetValue } from "../keyspace/types/zset.js";
import type { Value } from "../keyspace/value.js";
import type { SnapshotEntry } from "./frames.js";

/**
 * The snapshot form of a key (full sync). Scores travel as JavaScript's
 * shortest round-trip text, so a replica's doubles are bit-for-bit its
 * primary's.
 */
export function serializeEntry(db: Database, key: string): SnapshotEntry | undefined {
  const value = db.peek(key);
  if (value === undefined) return undefined;
  return { db: db.id, key, ...serializeValue(value), expireAtMs: db.getExpire(key) ?? -1 };
}

function serializeValue(value: Value): Pick<SnapshotEntry, "type" | "value"> {
  if (typeof value === "string") return { type: "string", value };
  switch (value.type) {
    case "hash": {
      const flat: string[] = [];
      for (const [field, fieldValue] of (value as HashValue).entries()) flat.push(field, fieldValue);
      return { type: "hash", value: flat };
    }
    case "list":
      return { type: "list", value: (value as ListValue).toArray() };
    case "set":
      return { type: "set", value: [...(value as SetValue).values()] };
    case "zset": {
      const flat: string[] = [];
      (value as SortedSetValue).walk(0, false, (member, score) => {
        flat.push(member, String(score));
        return true;
      });
      return { type: "zset", value: flat };
    }
  }
}

/** The encoding thresholds a node applies to the values it builds (its *-max-listpack-* and set-max-intset-entries). */
export interface EncodingLimits {
  hash: { entriesMax: number; valueBytesMax: number };
  set: { intsetEntriesMax: number };
  zset: { entriesMax: number; valueBytesMax: number };
}

/** Rebuilds a snapshot entry's value with the node's encoding limits. */
export function deserializeValue(entry: SnapshotEntry, limits: EncodingLimits): Value {
  if (entry.type === "string") return entry.value as string;
  const items = entry.value as string[];
  switch (entry.type) {
    case "hash": {
      const hash = new HashValue();
      for (let i = 0; i < items.length; i += 2) hash.set(items[i]!, items[i + 1]!, limits.hash);
      return hash;
    }
    case "list":
      return ListValue.from(items);
    case "set": {
      const set = new SetValue();
      for (const member of items) set.add(member, limits.set);
      return set;
    }
    case "zset": {
      const zset = SortedSetValue.forLength(items.length / 2, limits.zset);
      for (let i = 0; i < items.length; i += 2) zset.insertNew(items[i]!, Number(items[i + 1]!), limits.zset);
      return zset;
    }
  }
}
