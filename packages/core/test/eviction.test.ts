import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAXMEMORY_POLICIES, Random } from "../src/index.js";
import { EVICTION_POOL_SIZE, evictionsPerCall } from "../src/engine/eviction.js";
import { LFU_COUNTER_MAX, LFU_INIT_VAL, lfuAccess, lfuDecayed, lfuElapsedMinutes, lfuIncrement, lfuMinutes } from "../src/engine/lfu.js";
import { array, err, int, ok, parseInfo, parseReply, simple, startSession, type Session } from "./support/server-session.js";

const OOM = err("OOM command not allowed when used memory > 'maxmemory'.");
const VALUE = "v".repeat(100);
/** Room for about 20 keys of VALUE (each costs a little under 300 bytes in the ledger). */
const MAXMEMORY = "6000";

function session(policy: string, extra: [string, string][] = []): Session {
  return startSession([["maxmemory", MAXMEMORY], ["maxmemory-policy", policy], ...extra]);
}

function keysOf(s: Session): string[] {
  return [...s.engine.dbs[0]!.data.keys()];
}

describe("maxmemory with noeviction", () => {
  it("refuses writes that may grow memory with OOM, and still serves reads and deletes", () => {
    const s = session("noeviction");
    const c = s.connect();
    let refused = false;
    for (let i = 0; i < 40 && !refused; i++) refused = c.send("SET", `k${i}`, VALUE) === OOM;
    expect(refused).toBe(true);
    expect(c.send("GET", "k0")).toBe(`$100\r\n${VALUE}\r\n`);
    expect(c.send("DEL", "k0")).toBe(int(1));
    expect(s.engine.stats.evictedKeys).toBe(0);
  });

  it("refuses queueing inside MULTI when out of memory, and EXEC of a queued write once memory ran out", () => {
    const s = session("noeviction");
    const c = s.connect();
    for (let i = 0; c.send("SET", `k${i}`, VALUE) === ok; i++);
    c.send("MULTI");
    expect(c.send("GET", "k0")).toBe(OOM);
    expect(c.send("EXEC")).toBe(err("EXECABORT Transaction discarded because of previous errors."));
    const admin = s.connect();
    admin.send("CONFIG", "SET", "maxmemory", "0");
    c.send("MULTI");
    c.send("SET", "x", "1");
    admin.send("CONFIG", "SET", "maxmemory", "100");
    expect(c.send("EXEC")).toBe(err("EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'."));
  });
});

describe("eviction policies", () => {
  const evicting = MAXMEMORY_POLICIES.filter((policy) => policy !== "noeviction");

  for (const policy of evicting) {
    it(`${policy}: keeps the dataset within maxmemory while writes continue`, () => {
      const s = session(policy);
      const c = s.connect();
      for (let i = 0; i < 200; i++) {
        const reply = policy.startsWith("volatile-") ? c.send("SET", `k${i}`, VALUE, "EX", 1000 + i) : c.send("SET", `k${i}`, VALUE);
        expect(reply, `SET k${i}`).toBe(ok);
        expect(s.engine.ledger.bytes).toBeLessThanOrEqual(Number(MAXMEMORY));
      }
      expect(s.engine.stats.evictedKeys).toBe(200 - s.engine.dbs[0]!.size);
      expect(s.engine.dbs[0]!.size).toBeGreaterThan(10);
      const stats = parseInfo(parseReply(c.send("INFO", "stats")) as string).get("Stats")!;
      expect(Number(stats.get("evicted_keys"))).toBe(s.engine.stats.evictedKeys);
    });
  }

  for (const policy of ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"]) {
    it(`${policy}: evicts only keys with an expiry, then refuses with OOM`, () => {
      const s = session(policy);
      const c = s.connect();
      for (let i = 0; i < 10; i++) c.send("SET", `keep${i}`, VALUE);
      for (let i = 0; i < 30; i++) c.send("SET", `tmp${i}`, VALUE, "EX", 100);
      expect(keysOf(s).filter((k) => k.startsWith("keep"))).toHaveLength(10);
      let refused = false;
      for (let i = 0; i < 40 && !refused; i++) refused = c.send("SET", `more${i}`, VALUE) === OOM;
      expect(refused).toBe(true);
      expect(keysOf(s).filter((k) => k.startsWith("keep"))).toHaveLength(10);
      expect(s.engine.dbs[0]!.expires.size).toBe(0);
    });
  }

  /** Twenty keys that exactly fill maxmemory, so each new key evicts one. */
  function full(policy: string, extra: [string, string][] = [], ttl = false): Session {
    const s = startSession([["maxmemory-policy", policy], ["maxmemory-samples", "64"], ...extra]);
    const c = s.connect();
    for (let i = 0; i < 20; i++) c.send("SET", `k${i}`, VALUE, ...(ttl ? ["EX", 1000 + i] : []));
    c.send("CONFIG", "SET", "maxmemory", String(s.engine.ledger.bytes));
    return s;
  }

  it("allkeys-lru evicts the least recently used keys", () => {
    const s = full("allkeys-lru");
    const c = s.connect();
    s.clock.advance(60_000);
    for (let i = 10; i < 20; i++) c.send("GET", `k${i}`);
    s.clock.advance(1000);
    for (let i = 0; i < 5; i++) c.send("SET", `new${i}`, VALUE);
    const evicted = Array.from({ length: 20 }, (_, i) => `k${i}`).filter((k) => !s.engine.dbs[0]!.data.has(k));
    expect(evicted.length).toBeGreaterThan(0);
    for (const key of evicted) expect(Number(key.slice(1))).toBeLessThan(10);
  });

  it("allkeys-lfu evicts the least frequently used keys", () => {
    const s = full("allkeys-lfu", [["lfu-log-factor", "0"]]);
    const c = s.connect();
    for (let round = 0; round < 5; round++) for (let i = 10; i < 20; i++) c.send("GET", `k${i}`);
    expect(c.send("OBJECT", "FREQ", "k15")).toBe(int(LFU_INIT_VAL + 5));
    for (let i = 0; i < 5; i++) c.send("SET", `new${i}`, VALUE);
    const evicted = Array.from({ length: 20 }, (_, i) => `k${i}`).filter((k) => !s.engine.dbs[0]!.data.has(k));
    expect(evicted.length).toBeGreaterThan(0);
    for (const key of evicted) expect(Number(key.slice(1))).toBeLessThan(10);
  });

  it("volatile-ttl evicts the keys that expire soonest", () => {
    const s = full("volatile-ttl", [], true);
    const c = s.connect();
    for (let i = 0; i < 5; i++) c.send("SET", `new${i}`, VALUE, "EX", 100_000);
    const evicted = Array.from({ length: 20 }, (_, i) => `k${i}`).filter((k) => !s.engine.dbs[0]!.data.has(k));
    expect(evicted.length).toBeGreaterThanOrEqual(5);
    // Sampling is approximate, as in Redis: the evicted keys come from the soonest-expiring half.
    for (const key of evicted) expect(Number(key.slice(1))).toBeLessThan(10);
  });

  it("propagates each eviction as a DEL after the write, and fails EXEC of a client watching an evicted key", () => {
    const s = session("allkeys-random");
    const c = s.connect();
    const watcher = s.connect();
    c.send("SET", "watched", VALUE);
    watcher.send("WATCH", "watched");
    s.propagated.length = 0;
    for (let i = 0; s.engine.dbs[0]!.data.has("watched"); i++) c.send("SET", `k${i}`, VALUE);
    const dels = s.propagated.filter(([, command]) => command[0] === "DEL");
    expect(dels.length).toBe(s.engine.stats.evictedKeys);
    expect(dels).toContainEqual([0, ["DEL", "watched"]]);
    watcher.send("MULTI");
    expect(watcher.send("EXEC")).toBe("*-1\r\n");
  });

  it("evicts at once when maxmemory is lowered", () => {
    const s = startSession([["maxmemory-policy", "allkeys-lru"]]);
    const c = s.connect();
    for (let i = 0; i < 50; i++) c.send("SET", `k${i}`, VALUE);
    expect(c.send("CONFIG", "SET", "maxmemory", "3000")).toBe(ok);
    expect(s.engine.ledger.bytes).toBeLessThanOrEqual(3000);
    expect(c.send("PING")).toBe(simple("PONG"));
  });

  it("evicts from every database", () => {
    const s = session("allkeys-random");
    const c = s.connect();
    for (let db = 0; db < 3; db++) {
      c.send("SELECT", db);
      for (let i = 0; i < 30; i++) c.send("SET", `k${i}`, VALUE);
    }
    expect(s.engine.ledger.bytes).toBeLessThanOrEqual(Number(MAXMEMORY));
    expect(s.engine.dbs[0]!.size + s.engine.dbs[1]!.size + s.engine.dbs[2]!.size).toBe(90 - s.engine.stats.evictedKeys);
  });

  it("keeps the dataset within maxmemory for any mix of writes (property)", () => {
    const policies = MAXMEMORY_POLICIES.filter((p) => p.startsWith("allkeys-"));
    const write = fc.record({ key: fc.integer({ min: 0, max: 60 }), size: fc.integer({ min: 1, max: 400 }), list: fc.boolean() });
    fc.assert(
      fc.property(fc.constantFrom(...policies), fc.array(write, { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 10 }), (policy, writes, seed) => {
        const s = startSession([["maxmemory", MAXMEMORY], ["maxmemory-policy", policy]], seed);
        const c = s.connect();
        for (const w of writes) {
          const reply = w.list ? c.send("RPUSH", `l${w.key}`, "x".repeat(w.size)) : c.send("SET", `s${w.key}`, "x".repeat(w.size));
          expect(reply).not.toBe(OOM);
          expect(s.engine.ledger.bytes).toBeLessThanOrEqual(Number(MAXMEMORY));
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("the eviction bounds", () => {
  it("scale the keys one call may evict with maxmemory-eviction-tenacity", () => {
    expect(evictionsPerCall(10)).toBe(2000);
    expect(evictionsPerCall(0)).toBeLessThan(evictionsPerCall(10));
    expect(evictionsPerCall(99)).toBeGreaterThan(evictionsPerCall(50));
    expect(evictionsPerCall(100)).toBe(Number.MAX_SAFE_INTEGER);
    expect(EVICTION_POOL_SIZE).toBe(16);
  });

  it("continue on the next command when one call reached its bound", () => {
    const s = startSession([["maxmemory-policy", "allkeys-random"], ["maxmemory-eviction-tenacity", "0"]]);
    const c = s.connect();
    for (let i = 0; i < 1000; i++) c.send("SET", `k${i}`, "x");
    c.send("CONFIG", "SET", "maxmemory", "1000");
    // The change itself evicts one bounded batch and the command's own check another.
    expect(s.engine.stats.evictedKeys).toBe(2 * evictionsPerCall(0));
    for (let i = 0; i < 20 && s.engine.ledger.bytes > 1000; i++) expect(c.send("PING")).toBe(simple("PONG"));
    expect(s.engine.ledger.bytes).toBeLessThanOrEqual(1000);
  });
});

describe("LFU counters (Redis's evict.c)", () => {
  it("increment always at factor 0, never past 255", () => {
    const random = new Random(7);
    expect(lfuIncrement(LFU_INIT_VAL, 0, random)).toBe(LFU_INIT_VAL + 1);
    expect(lfuIncrement(100, 0, random)).toBe(101);
    expect(lfuIncrement(LFU_COUNTER_MAX, 0, random)).toBe(LFU_COUNTER_MAX);
  });

  it("increment with probability 1 / ((counter - 5) * factor + 1)", () => {
    const random = new Random(3);
    let increments = 0;
    const trials = 20_000;
    for (let i = 0; i < trials; i++) if (lfuIncrement(15, 10, random) === 16) increments++;
    expect(increments / trials).toBeGreaterThan(1 / 101 - 0.004);
    expect(increments / trials).toBeLessThan(1 / 101 + 0.004);
  });

  it("decay by one per lfu-decay-time minutes since the last access, across the 16-bit minute clock", () => {
    const base = 1_700_000_000_000;
    const last = lfuMinutes(base);
    expect(lfuDecayed(20, last, base + 5 * 60_000, 1)).toBe(15);
    expect(lfuDecayed(20, last, base + 5 * 60_000, 2)).toBe(18);
    expect(lfuDecayed(20, last, base + 500 * 60_000, 1)).toBe(0);
    expect(lfuDecayed(20, last, base + 500 * 60_000, 0)).toBe(20);
    expect(lfuElapsedMinutes(65530, 0)).toBe(6);
  });

  it("decay then increment on access, and report the counter through OBJECT FREQ", () => {
    const s = startSession([["maxmemory-policy", "allkeys-lfu"], ["lfu-log-factor", "0"]]);
    const c = s.connect();
    c.send("SET", "k", "v");
    for (let i = 0; i < 10; i++) c.send("GET", "k");
    expect(c.send("OBJECT", "FREQ", "k")).toBe(int(LFU_INIT_VAL + 10));
    s.clock.advance(4 * 60_000);
    c.send("GET", "k");
    expect(c.send("OBJECT", "FREQ", "k")).toBe(int(LFU_INIT_VAL + 10 - 4 + 1));
    expect(lfuAccess(10, lfuMinutes(0), 0, { logFactor: 0, decayMinutes: 1 }, new Random(1))).toBe(11);
  });

  it("keep an overwritten key's counter and start a new key at LFU_INIT_VAL", () => {
    const s = startSession([["maxmemory-policy", "allkeys-lfu"], ["lfu-log-factor", "0"]]);
    const c = s.connect();
    c.send("SET", "k", "v");
    for (let i = 0; i < 3; i++) c.send("GET", "k");
    // SET looks the key up for writing, which counts as an access (Redis's lookupKeyWrite), then keeps the counter.
    c.send("SET", "k", "w");
    expect(c.send("OBJECT", "FREQ", "k")).toBe(int(LFU_INIT_VAL + 4));
    c.send("SET", "fresh", "v");
    expect(c.send("OBJECT", "FREQ", "fresh")).toBe(int(LFU_INIT_VAL));
    expect(parseReply(c.send("EXISTS", "k", "fresh"))).toBe(2);
    expect(c.send("MGET", "nothing")).toBe(array("$-1\r\n"));
  });
});
