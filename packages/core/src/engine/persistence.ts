import type { SnapshotEntry } from "../replication/frames.js";
import { deserializeValue, serializeEntry, type EncodingLimits } from "../replication/snapshot.js";
import type { ConfigStore } from "./config.js";
import type { Engine } from "./engine.js";

/**
 * A node's dataset as its snapshot file holds it: every key with its value
 * and expiry, and the dataset's replication version, taken at one instant of
 * the event loop (no write falls between the keys and the offset).
 */
export interface PersistedDataset {
  version: 1;
  replicationId: string;
  offset: number;
  savedAtMs: number;
  entries: SnapshotEntry[];
}

export function takeDataset(engine: Engine): PersistedDataset {
  const entries: SnapshotEntry[] = [];
  for (const db of engine.dbs) {
    for (const key of db.data.keys()) {
      const entry = serializeEntry(db, key);
      if (entry !== undefined) entries.push(entry);
    }
  }
  const core = engine.replication.core;
  return { version: 1, replicationId: core.replicationId, offset: core.offset, savedAtMs: engine.nowMs, entries };
}

/** Loads a snapshot into an empty engine at start-up; returns the keys loaded. */
export function loadDataset(engine: Engine, dataset: PersistedDataset): number {
  if (dataset.version !== 1) throw new Error(`snapshot version ${dataset.version} is not one this node reads (1)`);
  const limits = encodingLimits(engine.config);
  let loaded = 0;
  for (const entry of dataset.entries) {
    const db = engine.dbs[entry.db];
    if (db === undefined) continue;
    db.set(entry.key, deserializeValue(entry, limits));
    if (entry.expireAtMs >= 0) db.setExpire(entry.key, entry.expireAtMs);
    loaded++;
  }
  engine.replication.core.restoreVersion(dataset.replicationId, dataset.offset);
  return loaded;
}

/** The node's encoding thresholds, for values rebuilt from a snapshot or a full sync. */
export function encodingLimits(config: ConfigStore): EncodingLimits {
  return {
    hash: { entriesMax: config.number("hash-max-listpack-entries"), valueBytesMax: config.number("hash-max-listpack-value") },
    set: { intsetEntriesMax: config.number("set-max-intset-entries") },
    zset: { entriesMax: config.number("zset-max-listpack-entries"), valueBytesMax: config.number("zset-max-listpack-value") },
  };
}

/** Redis's save points: [seconds, changes] pairs from the `save` parameter. */
export function savePoints(config: ConfigStore): [number, number][] {
  const numbers = config.get("save").split(" ").filter((part) => part !== "").map(Number);
  const points: [number, number][] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) points.push([numbers[i]!, numbers[i + 1]!]);
  return points;
}
