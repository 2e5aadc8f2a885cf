import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, ConfigStore, PARAMETERS } from "../src/index.js";
import { ConfigSetError, parseMemoryBig } from "../src/engine/config.js";
import { outputBufferLimits } from "../src/engine/parameters.js";
import { bulk, err, ok, parseReply, startSession, type Reply } from "./support/server-session.js";

const setFailed = (name: string, reason: string) => err(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`);

function pairs(reply: string): [string, string][] {
  const parsed = parseReply(reply);
  if (Array.isArray(parsed)) {
    const out: [string, string][] = [];
    for (let i = 0; i < parsed.length; i += 2) out.push([parsed[i] as string, parsed[i + 1] as string]);
    return out;
  }
  return (parsed as { map: [Reply, Reply][] }).map as [string, string][];
}

describe("the parameter table", () => {
  it("writes every default in the canonical form CONFIG GET shows", () => {
    for (const parameter of PARAMETERS) {
      const store = new ConfigStore(PARAMETERS);
      store.set(parameter.name, parameter.default, true);
      expect(store.get(parameter.name), parameter.name).toBe(parameter.default);
    }
  });

  it("names each parameter and alias once", () => {
    const names = PARAMETERS.flatMap((p) => [p.name, ...(p.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ["save", "appendonly", "maxmemory", "maxmemory-policy", "port", "databases", "cluster-enabled", "slave-priority", "repl-backlog-size"]) {
      expect(names).toContain(name);
    }
  });
});

describe("CONFIG GET", () => {
  it("matches glob patterns case-insensitively, aliases included, and several patterns at once", () => {
    const c = startSession().connect();
    expect(pairs(c.send("CONFIG", "GET", "maxmemory")).sort()).toEqual([["maxmemory", "0"]]);
    expect(pairs(c.send("CONFIG", "GET", "MAXMEM*")).map(([n]) => n).sort()).toEqual([
      "maxmemory", "maxmemory-clients", "maxmemory-eviction-tenacity", "maxmemory-policy", "maxmemory-samples",
    ]);
    expect(pairs(c.send("CONFIG", "GET", "*priority")).sort()).toEqual([["replica-priority", "100"], ["slave-priority", "100"]]);
    expect(pairs(c.send("CONFIG", "GET", "save", "appendonly")).sort()).toEqual([["appendonly", "no"], ["save", ""]]);
    expect(pairs(c.send("CONFIG", "GET", "maxmem*", "maxmemory"))).toHaveLength(5);
    expect(c.send("CONFIG", "GET", "nosuch")).toBe("*0\r\n");
    expect(c.send("CONFIG", "GET")).toBe(err("ERR wrong number of arguments for 'config|get' command"));
  });

  it("reports an exact name as it was typed, once", () => {
    const c = startSession().connect();
    expect(c.send("CONFIG", "GET", "PORT", "port")).toBe("*2\r\n" + bulk("PORT") + bulk("6379"));
  });

  it("answers a map in RESP3", () => {
    const c = startSession().connect();
    c.send("HELLO", 3);
    expect(c.send("CONFIG", "GET", "hz")).toBe("%1\r\n" + bulk("hz") + bulk("10"));
  });
});

describe("CONFIG SET", () => {
  it("converts memory units, clamps hz and lowercases enums", () => {
    const c = startSession().connect();
    expect(c.send("CONFIG", "SET", "maxmemory", "10mb", "maxmemory-policy", "ALLKEYS-LRU", "hz", "1000")).toBe(ok);
    expect(pairs(c.send("CONFIG", "GET", "maxmemory", "maxmemory-policy", "hz"))).toEqual([
      ["maxmemory", "10485760"],
      ["maxmemory-policy", "allkeys-lru"],
      ["hz", "500"],
    ]);
    expect(c.send("CONFIG", "SET", "hz", "0")).toBe(ok);
    expect(pairs(c.send("CONFIG", "GET", "hz"))).toEqual([["hz", "1"]]);
    expect(c.send("CONFIG", "SET", "maxmemory", "1GB")).toBe(ok);
    expect(c.send("CONFIG", "SET", "maxmemory-clients", "10%")).toBe(ok);
    expect(pairs(c.send("CONFIG", "GET", "maxmemory-clients"))).toEqual([["maxmemory-clients", "10%"]]);
  });

  it("refuses values with Redis's reasons", () => {
    const c = startSession().connect();
    expect(c.send("CONFIG", "SET", "maxmemory", "1.5gb")).toBe(setFailed("maxmemory", "argument must be a memory value"));
    expect(c.send("CONFIG", "SET", "timeout", "01")).toBe(setFailed("timeout", "argument couldn't be parsed into an integer"));
    expect(c.send("CONFIG", "SET", "timeout", "-1")).toBe(setFailed("timeout", "argument must be between 0 and 2147483647 inclusive"));
    expect(c.send("CONFIG", "SET", "slowlog-log-slower-than", "-2")).toBe(
      setFailed("slowlog-log-slower-than", "argument must be between -1 and 9223372036854775807 inclusive"),
    );
    expect(c.send("CONFIG", "SET", "appendonly", "maybe")).toBe(setFailed("appendonly", "argument must be 'yes' or 'no'"));
    expect(c.send("CONFIG", "SET", "maxmemory-policy", "lru")).toBe(
      setFailed(
        "maxmemory-policy",
        "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction",
      ),
    );
    expect(c.send("CONFIG", "SET", "maxmemory-clients", "101%")).toBe(setFailed("maxmemory-clients", "percentage argument must be less or equal to 100"));
    expect(c.send("CONFIG", "SET", "slave-priority", "x")).toBe(setFailed("slave-priority", "argument couldn't be parsed into an integer"));
    expect(c.send("CONFIG", "SET", "MAXMEMORY", "x")).toBe(setFailed("maxmemory", "argument must be a memory value"));
  });

  it("refuses unknown, immutable, protected and duplicate parameters, the first problem winning", () => {
    const c = startSession().connect();
    expect(c.send("CONFIG", "SET", "nosuch", "1")).toBe(err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"));
    expect(c.send("CONFIG", "SET", "maxmemory", "0", "nosuch", "1", "databases", "1")).toBe(
      err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"),
    );
    expect(c.send("CONFIG", "SET", "DATABASES", "1", "nosuch", "1")).toBe(setFailed("DATABASES", "can't set immutable config"));
    expect(c.send("CONFIG", "SET", "dir", "/tmp")).toBe(setFailed("dir", "can't set protected config"));
    expect(c.send("CONFIG", "SET", "maxmemory", "1", "maxmemory", "2")).toBe(setFailed("maxmemory", "duplicate parameter"));
    expect(c.send("CONFIG", "SET", "maxmemory", "1", "hz")).toBe(err("ERR syntax error"));
  });

  it("applies all pairs or none", () => {
    const s = startSession();
    const c = s.connect();
    expect(c.send("CONFIG", "SET", "maxmemory", "1mb", "maxmemory-policy", "nope")).toMatch(/^-ERR CONFIG SET failed/);
    expect(s.engine.config.get("maxmemory")).toBe("0");
  });

  it("takes save points (snapshots) but says why an append-only file cannot be turned on", () => {
    const s = startSession();
    const c = s.connect();
    expect(c.send("CONFIG", "SET", "appendonly", "yes")).toBe(setFailed("appendonly", "shardline keeps no data on disk; appendonly must be 'no'"));
    expect(c.send("CONFIG", "SET", "save", "900 1 300 10")).toBe(ok);
    expect(s.engine.config.get("save")).toBe("900 1 300 10");
    expect(c.send("CONFIG", "SET", "save", "900")).toBe(setFailed("save", "Invalid save parameters"));
    expect(c.send("CONFIG", "SET", "save", "")).toBe(ok);
  });

  it("updates the classes of client-output-buffer-limit it is given and keeps the others", () => {
    const s = startSession();
    const c = s.connect();
    expect(c.send("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 10")).toBe(ok);
    expect(pairs(c.send("CONFIG", "GET", "client-output-buffer-limit"))).toEqual([
      ["client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 10"],
    ]);
    expect(c.send("CONFIG", "SET", "client-output-buffer-limit", "master 0 0 0")).toBe(
      setFailed("client-output-buffer-limit", "Invalid client class specified in buffer limit configuration."),
    );
    expect(c.send("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0")).toBe(
      setFailed("client-output-buffer-limit", "Wrong number of arguments in buffer limit configuration."),
    );
    expect(outputBufferLimits(s.engine.config.get("client-output-buffer-limit")).pubsub).toEqual({ hardBytes: 1048576, softBytes: 524288, softSeconds: 10 });
  });

  it("disconnects a subscriber past its configured hard limit (beyond the 16 KiB reply buffer)", () => {
    const s = startSession([["client-output-buffer-limit", "pubsub 64kb 0 0"]]);
    const subscriber = s.connect();
    subscriber.send("SUBSCRIBE", "ch");
    const publisher = s.connect();
    publisher.send("PUBLISH", "ch", "x".repeat(40 * 1024));
    expect(subscriber.client.closeNow).toBe(false);
    publisher.send("PUBLISH", "ch", "x".repeat(60 * 1024));
    expect(subscriber.client.closeNow).toBe(true);
  });

  it("canonicalizes notify-keyspace-events and latency percentiles as Redis does", () => {
    const c = startSession().connect();
    c.send("CONFIG", "SET", "notify-keyspace-events", "KEA");
    expect(pairs(c.send("CONFIG", "GET", "notify-keyspace-events"))).toEqual([["notify-keyspace-events", "AKE"]]);
    c.send("CONFIG", "SET", "notify-keyspace-events", "nKxg");
    expect(pairs(c.send("CONFIG", "GET", "notify-keyspace-events"))).toEqual([["notify-keyspace-events", "gxnK"]]);
    expect(c.send("CONFIG", "SET", "notify-keyspace-events", "?")).toBe(
      setFailed("notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."),
    );
    c.send("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.50 0.0000001");
    expect(pairs(c.send("CONFIG", "GET", "latency-tracking-info-percentiles"))).toEqual([["latency-tracking-info-percentiles", "50 99.5 0"]]);
    expect(c.send("CONFIG", "SET", "latency-tracking-info-percentiles", "101")).toBe(
      setFailed("latency-tracking-info-percentiles", "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"),
    );
  });

  it("checks start-up settings with the same rules", () => {
    expect(() => startSession([["maxmemory", "lots"]])).toThrow(ConfigError);
    const store = new ConfigStore(PARAMETERS);
    store.set("databases", "4", true);
    expect(() => store.set("databases", "8")).toThrow(ConfigError);
    expect(() => store.setMany([["databases", "8"]], false)).toThrow(ConfigSetError);
  });
});

describe("memory values", () => {
  const units: [string, bigint][] = [["", 1n], ["b", 1n], ["k", 1000n], ["kb", 1024n], ["m", 1000000n], ["mb", 1048576n], ["g", 1000000000n], ["gb", 1073741824n]];

  it("parse as Redis's memtoull: digits and a unit in any case, saturating at 2**64-1", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 70n }), fc.constantFrom(...units), fc.boolean(), (digits, [unit, multiplier], upper) => {
        const text = String(digits) + (upper ? unit.toUpperCase() : unit);
        const saturated = digits > 2n ** 64n - 1n ? 2n ** 64n - 1n : digits;
        const expected = saturated > (2n ** 64n - 1n) / multiplier ? undefined : saturated * multiplier;
        expect(parseMemoryBig(text)).toBe(expected);
      }),
    );
    expect(parseMemoryBig("-1")).toBeUndefined();
    expect(parseMemoryBig("1.5mb")).toBeUndefined();
    expect(parseMemoryBig("10tb")).toBeUndefined();
  });

  it("round-trip through CONFIG SET and GET within maxmemory's range", () => {
    const c = startSession().connect();
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 40n }), fc.constantFrom(...units), (digits, [unit, multiplier]) => {
        const reply = c.send("CONFIG", "SET", "maxmemory", `${digits}${unit}`);
        if (digits * multiplier > 2n ** 64n - 1n) {
          expect(reply).toBe(setFailed("maxmemory", "argument must be a memory value"));
          return;
        }
        expect(reply).toBe(ok);
        expect(pairs(c.send("CONFIG", "GET", "maxmemory"))).toEqual([["maxmemory", String(digits * multiplier)]]);
      }),
      { numRuns: 200 },
    );
  });

  it("bound integer parameters exactly, beyond 2**53 too", () => {
    const c = startSession().connect();
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        const reply = c.send("CONFIG", "SET", "cluster-node-timeout", String(value));
        if (value >= 0n) {
          expect(reply).toBe(ok);
          expect(pairs(c.send("CONFIG", "GET", "cluster-node-timeout"))).toEqual([["cluster-node-timeout", String(value)]]);
        } else {
          expect(reply).toBe(setFailed("cluster-node-timeout", "argument must be between 0 and 9223372036854775807 inclusive"));
        }
      }),
      { numRuns: 200 },
    );
  });
});
