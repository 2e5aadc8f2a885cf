import { assert } from "../assert.js";
import type { Database } from "../keyspace/database.js";
import type { Engine } from "./engine.js";
import { LFU_COUNTER_MAX, LFU_INIT_VAL, lfuDecayed } from "./lfu.js";
import type { MaxmemoryPolicy } from "./parameters.js";

/** Candidates kept between eviction rounds, best last (Redis EVPOOL_SIZE). */
export const EVICTION_POOL_SIZE = 16;
/**
 * Keys one eviction call may remove at the default tenacity. Redis bounds a
 * call by time (500 us, times 1.15 per tenacity step above 10, unbounded at
 * 100) and finishes the job before later commands; shardline bounds it by
 * keys, which is deterministic, with the same scaling.
 */
const EVICTIONS_PER_CALL_AT_DEFAULT_TENACITY = 2000;
const DEFAULT_TENACITY = 10;
const UNBOUNDED_TENACITY = 100;

interface Candidate {
  db: Database;
  key: string;
  /**
   * Higher is a better candidate, as Redis's `idle`: seconds since the last
   * access (LRU), 255 minus the decayed counter (LFU), or how soon the key
   * expires (volatile-ttl, the negated expiry time).
   */
  score: number;
}

/** What an engine keeps between evictions: the candidate pool and the round-robin database for random policies. */
interface EvictionState {
  policy: MaxmemoryPolicy | undefined;
  pool: Candidate[];
  nextDb: number;
}

const states = new WeakMap<Engine, EvictionState>();

function stateOf(engine: Engine): EvictionState {
  let state = states.get(engine);
  if (state === undefined) states.set(engine, (state = { policy: undefined, pool: [], nextDb: 0 }));
  return state;
}

/**
 * Frees memory per `maxmemory-policy` until the keyspace estimate is at or
 * below `maxBytes`, as Redis's performEvictions does:
 *  1. LRU, LFU and volatile-ttl sample `maxmemory-samples` keys of every
 *     database (all keys, or only those with an expiry for volatile-*) into
 *     a pool of the EVICTION_POOL_SIZE best candidates, and evict the best
 *     one that still exists; the pool carries over to the next call.
 *  2. The random policies take a random key of the next non-empty database,
 *     round robin.
 * Returns false when nothing more can be evicted (noeviction, or no volatile
 * key left for a volatile policy): the caller answers OOM. Returns true when
 * the data fits, or when this call reached its bound with work left (the
 * next command continues, like Redis's background eviction).
 */
export function performEvictions(engine: Engine, maxBytes: number): boolean {
  const policy = engine.config.get("maxmemory-policy") as MaxmemoryPolicy;
  if (policy === "noeviction") return false;
  const state = stateOf(engine);
  if (state.policy !== policy) {
    state.policy = policy;
    state.pool = [];
  }
  const keysMax = evictionsPerCall(engine.config.number("maxmemory-eviction-tenacity"));
  for (let evicted = 0; engine.ledger.bytes > maxBytes; evicted++) {
    if (evicted >= keysMax) return true;
    const victim = policy.endsWith("-random") ? randomCandidate(engine, state, policy) : bestCandidate(engine, state, policy);
    if (victim === undefined) return false;
    victim.db.delete(victim.key);
    engine.keyEvicted(victim.db, victim.key);
  }
  return true;
}

/** The per-call bound for a `maxmemory-eviction-tenacity` (0..100). */
export function evictionsPerCall(tenacity: number): number {
  if (tenacity >= UNBOUNDED_TENACITY) return Number.MAX_SAFE_INTEGER;
  return Math.ceil(EVICTIONS_PER_CALL_AT_DEFAULT_TENACITY * Math.pow(1.15, tenacity - DEFAULT_TENACITY));
}

function candidateTable(db: Database, policy: MaxmemoryPolicy) {
  return policy.startsWith("volatile-") ? db.expires : db.data;
}

function randomCandidate(engine: Engine, state: EvictionState, policy: MaxmemoryPolicy): Candidate | undefined {
  const count = engine.dbs.length;
  for (let i = 0; i < count; i++) {
    state.nextDb = (state.nextDb + 1) % count;
    const db = engine.dbs[state.nextDb]!;
    const table = candidateTable(db, policy);
    if (table.size > 0) return { db, key: table.keyAt(table.randomIndex(engine.random)), score: 0 };
  }
  return undefined;
}

/** Refills the pool from every database and takes its best candidate that still exists. */
function bestCandidate(engine: Engine, state: EvictionState, policy: MaxmemoryPolicy): Candidate | undefined {
  for (;;) {
    let sampledAny = false;
    for (const db of engine.dbs) {
      if (candidateTable(db, policy).size === 0) continue;
      sampledAny = true;
      populatePool(engine, state.pool, db, policy);
    }
    if (!sampledAny) return undefined;
    // Best last, as in Redis's pool; stale entries (keys deleted since) are dropped.
    while (state.pool.length > 0) {
      const candidate = state.pool.pop()!;
      if (candidateTable(candidate.db, policy).has(candidate.key)) return candidate;
    }
  }
}

/** Samples `maxmemory-samples` keys of a database into the pool, keeping it sorted ascending and bounded. */
function populatePool(engine: Engine, pool: Candidate[], db: Database, policy: MaxmemoryPolicy): void {
  const table = candidateTable(db, policy);
  const samples = Math.min(engine.config.number("maxmemory-samples"), table.size);
  for (let i = 0; i < samples; i++) {
    const key = table.keyAt(table.randomIndex(engine.random));
    if (pool.some((candidate) => candidate.db === db && candidate.key === key)) continue;
    const score = candidateScore(engine, db, key, policy);
    if (pool.length === EVICTION_POOL_SIZE && score <= pool[0]!.score) continue;
    let index = 0;
    while (index < pool.length && pool[index]!.score < score) index++;
    pool.splice(index, 0, { db, key, score });
    if (pool.length > EVICTION_POOL_SIZE) pool.shift();
  }
  assert(pool.length <= EVICTION_POOL_SIZE, "the eviction pool is bounded");
}

/**
 * How good a candidate a key is. A key with no access record has not been
 * touched since the policy started tracking (tracking is kept only while a
 * policy needs it): under LRU it counts as idle since the node started,
 * under LFU as a new key.
 */
function candidateScore(engine: Engine, db: Database, key: string, policy: MaxmemoryPolicy): number {
  if (policy === "volatile-ttl") return -(db.expires.get(key) ?? Infinity);
  const record = db.access?.get(key);
  if (policy.endsWith("-lfu")) {
    const lastMinutes = db.accessMinutes?.get(key);
    const counter = record === undefined || lastMinutes === undefined ? LFU_INIT_VAL : lfuDecayed(record, lastMinutes, engine.nowMs, db.lfu.decayMinutes);
    return LFU_COUNTER_MAX - counter;
  }
  const lastAccessSeconds = record ?? Math.floor(engine.startedAtMs / 1000);
  return Math.floor(engine.nowMs / 1000) - lastAccessSeconds;
}
