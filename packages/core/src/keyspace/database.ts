import { LFU_INIT_VAL, lfuAccess, lfuMinutes, type LfuSettings } from "../engine/lfu.js";
import type { Random } from "../random.js";
import { IndexedMap } from "./indexed-map.js";
import { MemoryCost, type Ledger } from "./ledger.js";
import { SlotKeys } from "./slot-keys.js";
import type { Value } from "./value.js";

/** Why the server itself removed a key; each is counted and propagated as a DEL. */
export type ServerDeletionReason = "expired" | "evicted";

/**
 * What a node does with a key whose time has come: a primary deletes it (and
 * propagates DEL); a replica hides it from its clients but keeps it until
 * its primary's DEL arrives, so its data equals the primary's at every
 * offset; and while a replica applies its primary's stream the key is live,
 * as Redis treats keys for its master client, so that DEL finds it.
 */
export type ExpiryMode = "delete" | "hide" | "ignore";

export interface DatabaseHooks {
  expiryMode(): ExpiryMode;
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
  /** LFU only: the minute (Redis's 16-bit clock) each key was last accessed, from which its counter decays. */
  accessMinutes: Map<string, number> | undefined;
  accessTracking: AccessTracking = "none";
  /** `lfu-log-factor` and `lfu-decay-time`; kept current by the engine. */
  lfu: LfuSettings = { logFactor: 10, decayMinutes: 1 };
  /** The engine's current time, for access records of keys written (set() takes no time); set by the engine. */
  clock: (() => number) | undefined;
  /** Keys by hash slot, kept only in cluster mode (see enableSlotIndex). */
  slotKeys: SlotKeys | undefined;

  constructor(
    public id: number,
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
      if (this.slotKeys !== undefined) {
        this.slotKeys.add(key);
        delta += MemoryCost.slotIndexEntryBytes;
      }
    } else {
      delta -= valueBytes(previous);
      if (typeof previous !== "string" && previous !== value) previous.ledger = undefined;
    }
    this.data.set(key, value);
    if (this.access !== undefined) this.recordWrite(key, previous === undefined);
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
    this.accessMinutes?.delete(key);
    let bytes = valueBytes(value) + MemoryCost.keyEntryBytes + MemoryCost.stringBytes(key);
    if (this.slotKeys !== undefined) {
      this.slotKeys.delete(key);
      bytes += MemoryCost.slotIndexEntryBytes;
    }
    this.ledger.record(-bytes);
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
    if (this.slotKeys !== undefined) {
      bytes += removed * MemoryCost.slotIndexEntryBytes;
      this.slotKeys.clear();
    }
    this.data.clear();
    this.expires.clear();
    this.access?.clear();
    this.accessMinutes?.clear();
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
      if (this.hooks.expiryMode() === "delete") this.expireIfDue(key, nowMs);
      else if (attempt >= 99) return key;
    }
    return undefined;
  }

  /**
   * Whether `key` has an expiry that has passed (without deleting it). As in
   * Redis's keyIsExpired, a key lives through its expiry millisecond and is
   * due once the (whole-millisecond) clock is past it.
   */
  isDue(key: string, nowMs: number): boolean {
    const at = this.expires.get(key);
    return at !== undefined && Math.floor(nowMs) > at;
  }

  /**
   * Deletes `key` if its expiry has passed. On a replica the key is only
   * reported as gone (true) and stays until the primary's DEL arrives; while
   * the primary's stream applies, it is live (false).
   */
  expireIfDue(key: string, nowMs: number): boolean {
    if (!this.isDue(key, nowMs)) return false;
    const mode = this.hooks.expiryMode();
    if (mode === "ignore") return false;
    if (mode === "hide") return true;
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
    if (this.hooks.expiryMode() !== "delete") return [0, 0];
    const sampled = Math.min(samplesMax, this.expires.size);
    let expired = 0;
    for (let i = 0; i < sampled && this.expires.size > 0; i++) {
      const key = this.expires.keyAt(this.expires.randomIndex(random));
      if (this.expireIfDue(key, nowMs)) expired++;
    }
    return [sampled, expired];
  }

  /** Records an access for LRU (seconds clock) or LFU (decayed, then incremented counter; see engine/lfu.ts). */
  private touchAccess(key: string, nowMs: number): void {
    const access = this.access!;
    if (this.accessTracking === "lru") {
      access.set(key, Math.floor(nowMs / 1000));
      return;
    }
    const counter = access.get(key) ?? LFU_INIT_VAL;
    const lastMinutes = this.accessMinutes!.get(key) ?? lfuMinutes(nowMs);
    access.set(key, this.random === undefined ? counter : lfuAccess(counter, lastMinutes, nowMs, this.lfu, this.random));
    this.accessMinutes!.set(key, lfuMinutes(nowMs));
  }

  /**
   * A key was written: as in Redis, a new value starts with a fresh LRU clock,
   * and under LFU an overwritten key keeps its counter while a new key starts
   * at LFU_INIT_VAL.
   */
  private recordWrite(key: string, created: boolean): void {
    const nowMs = this.clock?.() ?? 0;
    if (this.accessTracking === "lru") {
      this.access!.set(key, Math.floor(nowMs / 1000));
    } else if (created || !this.access!.has(key)) {
      this.access!.set(key, LFU_INIT_VAL);
      this.accessMinutes!.set(key, lfuMinutes(nowMs));
    }
  }

  /** Randomness for the LFU counter; set by the engine. */
  random: Random | undefined;

  /** Keeps keys indexed by hash slot from now on (cluster mode). */
  enableSlotIndex(): void {
    if (this.slotKeys !== undefined) return;
    this.slotKeys = new SlotKeys();
    for (const key of this.data.keys()) this.slotKeys.add(key);
    this.ledger.record(this.data.size * MemoryCost.slotIndexEntryBytes);
  }

  /** Starts or stops access tracking (on maxmemory-policy changes). */
  setAccessTracking(mode: AccessTracking): void {
    this.accessTracking = mode;
    this.access = mode === "none" ? undefined : new Map();
    this.accessMinutes = mode === "lfu" ? new Map() : undefined;
  }
}

/** Redis's LFU_INIT_VAL (the LFU math lives in engine/lfu.ts). */
export { LFU_INIT_VAL };

export function valueBytes(value: Value): number {
  return typeof value === "string" ? MemoryCost.stringBytes(value) : value.bytes;
}
