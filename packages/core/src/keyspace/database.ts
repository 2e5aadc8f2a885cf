import type { Random } from "../random.js";
import { IndexedMap } from "./indexed-map.js";
import { MemoryCost, type Ledger } from "./ledger.js";
import type { Value } from "./value.js";

/** Why the server itself removed a key; each is counted and propagated as a DEL. */
export type ServerDeletionReason = "expired" | "evicted";

export interface DatabaseHooks {
  /**
   * Whether this node deletes keys whose time has come. A replica does not:
   * it hides them from reads and waits for its primary's DEL, so its data
   * equals the primary's at every offset.
   */
  deletesExpiredKeys(): boolean;
  /** The server removed a key on its own (expiry, eviction). */
  keyRemovedByServer(db: Database, key: string, reason: ServerDeletionReason): void;
}

/** How recency or frequency of access is tracked for maxmemory eviction. */
export type AccessTracking = "none" | "lru" | "lfu";

/**
 * One numbered database: keys, their values and their expiry times.
 *
 * Lookups expire lazily (a key whose time has come is deleted when touched),
 * and activeExpire samples volatile keys as Redis's active expire cycle does.
 * All memory accounting goes through the shared Ledger.
 */
export class Database {
  readonly data = new IndexedMap<Value>();
  readonly expires = new IndexedMap<number>();
  /**
   * Last-access clock (LRU, seconds) or packed counter (LFU) per key, kept
   * only while a policy needs it, so that plain keys stay small.
   */
  access: Map<string, number> | undefined;
  accessTracking: AccessTracking = "none";

  constructor(
    readonly id: number,
    readonly ledger: Ledger,
    private readonly hooks: DatabaseHooks,
  ) {}

  get size(): number {
    return this.data.size;
  }

  /** The live value of `key` (expiring it first if its time has come), touching its access record. */
  lookup(key: string, nowMs: number): Value | undefined {
    const value = this.data.get(key);
    if (value === undefined) return undefined;
    if (this.expires.size > 0 && this.expireIfDue(key, nowMs)) return undefined;
    if (this.access !== undefined) this.touchAccess(key, nowMs);
    return value;
  }

  /** Whether `key` exists and is live, without touching its access record. */
  exists(key: string, nowMs: number): boolean {
    if (!this.data.has(key)) return false;
    return !(this.expires.size > 0 && this.expireIfDue(key, nowMs));
  }

  /** The stored value with no expiry check: for the server's own bookkeeping. */
  peek(key: string): Value | undefined {
    return this.data.get(key);
  }

  /**
   * Stores `value` under `key`, replacing any previous value. The key's
   * expiry is removed unless `keepTtl`, as SET does.
   */
  set(key: string, value: Value, keepTtl = false): void {
    const previous = this.data.get(key);
    let delta = valueBytes(value);
    if (previous === undefined) {
      delta += MemoryCost.keyEntryBytes + MemoryCost.stringBytes(key);
    } else {
      delta -= valueBytes(previous);
      if (typeof previous !== "string" && previous !== value) previous.ledger = undefined;
    }
    this.data.set(key, value);
    if (typeof value !== "string") value.ledger = this.ledger;
    if (!keepTtl && previous !== undefined) this.removeExpire(key);
    this.ledger.record(delta);
  }

  /** Deletes `key`; returns whether it existed. */
  delete(key: string): boolean {
    const value = this.data.get(key);
    if (value === undefined) return false;
    this.data.delete(key);
    if (typeof value !== "string") value.ledger = undefined;
    this.removeExpire(key);
    this.access?.delete(key);
    this.ledger.record(-(valueBytes(value) + MemoryCost.keyEntryBytes + MemoryCost.stringBytes(key)));
    return true;
  }

  /** Absolute expiry in ms since the epoch, or undefined when the key is persistent. */
  getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  /** Sets an absolute expiry (ms) on an existing key. */
  setExpire(key: string, atMs: number): void {
    if (this.expires.set(key, atMs)) this.ledger.record(MemoryCost.expireEntryBytes);
    else this.ledger.record(0);
  }

  /** Removes the expiry; returns whether there was one. */
  removeExpire(key: string): boolean {
    if (!this.expires.delete(key)) return false;
    this.ledger.record(-MemoryCost.expireEntryBytes);
    return true;
  }

  /** Removes every key; returns how many there were. */
  flush(): number {
    const removed = this.data.size;
    let bytes = 0;
    for (const [key, value] of this.data.entries()) {
      bytes += valueBytes(value) + MemoryCost.keyEntryBytes + MemoryCost.stringBytes(key);
      if (typeof value !== "string") value.ledger = undefined;
    }
    bytes += this.expires.size * MemoryCost.expireEntryBytes;
    this.data.clear();
    this.expires.clear();
    this.access?.clear();
    this.ledger.record(-bytes);
    return removed;
  }

  /**
   * A random live key, or undefined when there is none. Like Redis it gives up
   * after a bounded number of tries when nearly every key is expired.
   */
  randomKey(random: Random, nowMs: number): string | undefined {
    for (let attempt = 0; attempt < 100 && this.data.size > 0; attempt++) {
      const key = this.data.keyAt(this.data.randomIndex(random));
      if (!this.isDue(key, nowMs)) return key;
      if (this.hooks.deletesExpiredKeys()) this.expireIfDue(key, nowMs);
      else if (attempt >= 99) return key;
    }
    return undefined;
  }

  /** Whether `key` has an expiry that has passed (without deleting it). */
  isDue(key: string, nowMs: number): boolean {
    const at = this.expires.get(key);
    return at !== undefined && at <= nowMs;
  }

  /**
   * Deletes `key` if its expiry has passed. On a replica the key is only
   * reported as gone (true) and stays until the primary's DEL arrives.
   */
  expireIfDue(key: string, nowMs: number): boolean {
    if (!this.isDue(key, nowMs)) return false;
    if (!this.hooks.deletesExpiredKeys()) return true;
    this.delete(key);
    this.hooks.keyRemovedByServer(this, key, "expired");
    return true;
  }

  /**
   * One pass of active expiry: samples up to `samplesMax` volatile keys and
   * deletes the due ones. Returns [sampled, expired]; the caller repeats while
   * more than a quarter of a sample was due, within its time budget, as
   * Redis's activeExpireCycle does.
   */
  activeExpireSample(nowMs: number, random: Random, samplesMax: number): [number, number] {
    if (!this.hooks.deletesExpiredKeys()) return [0, 0];
    const sampled = Math.min(samplesMax, this.expires.size);
    let expired = 0;
    for (let i = 0; i < sampled && this.expires.size > 0; i++) {
      const key = this.expires.keyAt(this.expires.randomIndex(random));
      if (this.expireIfDue(key, nowMs)) expired++;
    }
    return [sampled, expired];
  }

  /** Records an access for LRU (seconds clock) or LFU (logarithmic counter). */
  private touchAccess(key: string, nowMs: number): void {
    const access = this.access!;
    if (this.accessTracking === "lru") access.set(key, Math.floor(nowMs / 1000));
    else access.set(key, lfuIncrement(access.get(key) ?? LFU_INIT_VAL, this.random));
  }

  /** Randomness for the LFU counter; set by the engine. */
  random: Random | undefined;

  /** Starts or stops access tracking (on maxmemory-policy changes). */
  setAccessTracking(mode: AccessTracking): void {
    this.accessTracking = mode;
    this.access = mode === "none" ? undefined : new Map();
  }
}

/** Redis's LFU_INIT_VAL: a new key starts at 5 so it is not evicted at once. */
export const LFU_INIT_VAL = 5;

/** Redis's logarithmic counter increment (lfu-log-factor 10). */
function lfuIncrement(counter: number, random: Random | undefined): number {
  if (counter >= 255) return 255;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1 / (base * 10 + 1);
  const r = random ? random.float() : 0;
  return r < p ? counter + 1 : counter;
}

export function valueBytes(value: Value): number {
  return typeof value === "string" ? MemoryCost.stringBytes(value) : value.bytes;
}
