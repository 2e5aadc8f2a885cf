import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringEncoding } from "../src/commands/keys-object.js";
import { MemoryCost } from "../src/keyspace/ledger.js";
import { valueBytes } from "../src/keyspace/database.js";
import type { Engine } from "../src/engine/engine.js";
import { FakeList, TestNode, type Reply } from "./strings-keys-harness.js";

const SYNTAX = { error: "ERR syntax error" };
const NOT_INTEGER = { error: "ERR value is not an integer or out of range" };

/** The ledger's estimate recomputed from scratch, to check every command kept it right. */
function recomputedBytes(engine: Engine): number {
  let bytes = 0;
  for (const db of engine.dbs) {
    for (const [key, value] of db.data.entries()) bytes += MemoryCost.keyEntryBytes + MemoryCost.stringBytes(key) + valueBytes(value);
    bytes += db.expires.size * MemoryCost.expireEntryBytes;
  }
  return bytes;
}

describe("DEL, UNLINK, EXISTS, TOUCH, TYPE", () => {
  it("DEL and UNLINK count what they removed", () => {
    const node = new TestNode();
    node.call("MSET", "a", "1", "b", "2", "c", "3");
    expect(node.call("DEL", "a", "a", "missing")).toBe(1);
    expect(node.call("UNLINK", "b", "c")).toBe(2);
    expect(node.call("DEL", "b")).toBe(0);
    expect(node.engine.dbs[0]!.size).toBe(0);
  });

  it("DEL does not count a key whose time has come", () => {
    const node = new TestNode();
    node.call("SET", "a", "1", "PX", "10");
    node.advance(11);
    expect(node.call("DEL", "a")).toBe(0);
    expect(node.engine.stats.expiredKeys).toBe(1);
  });

  it("EXISTS counts a key each time it is named", () => {
    const node = new TestNode();
    node.call("SET", "a", "1");
    expect(node.call("EXISTS", "a", "a", "b", "a")).toBe(3);
    expect(node.engine.stats.keyspaceHits).toBe(3);
    expect(node.engine.stats.keyspaceMisses).toBe(1);
  });

  it("TOUCH counts existing keys", () => {
    const node = new TestNode();
    node.call("SET", "a", "1");
    expect(node.call("TOUCH", "a", "b", "a")).toBe(2);
  });

  it("TYPE names the value's type as a simple string", () => {
    const node = new TestNode();
    node.engine.dbs[0]!.set("l", new FakeList());
    node.call("SET", "s", "v");
    expect(node.raw("TYPE", "s")).toBe("+string\r\n");
    expect(node.raw("TYPE", "l")).toBe("+list\r\n");
    expect(node.raw("TYPE", "none")).toBe("+none\r\n");
  });
});

describe("RENAME and RENAMENX", () => {
  it("moves the value and its TTL", () => {
    const node = new TestNode();
    node.call("SET", "a", "1", "EX", "100");
    expect(node.call("RENAME", "a", "b")).toBe("OK");
    expect(node.call("EXISTS", "a")).toBe(0);
    expect(node.call("GET", "b")).toBe("1");
    expect(node.call("TTL", "b")).toBe(100);
  });

  it("overwrites the destination (and its TTL) unless NX", () => {
    const node = new TestNode();
    node.call("SET", "a", "1");
    node.call("SET", "b", "2", "EX", "100");
    expect(node.call("RENAMENX", "a", "b")).toBe(0);
    expect(node.call("RENAME", "a", "b")).toBe("OK");
    expect(node.call("TTL", "b")).toBe(-1);
    expect(node.call("RENAMENX", "b", "c")).toBe(1);
    expect(node.call("GET", "c")).toBe("1");
  });

  it("needs the source, even to rename a key to itself", () => {
    const node = new TestNode();
    expect(node.call("RENAME", "a", "a")).toEqual({ error: "ERR no such key" });
    expect(node.call("RENAMENX", "a", "b")).toEqual({ error: "ERR no such key" });
    node.call("SET", "a", "1");
    node.takePropagated();
    expect(node.call("RENAME", "a", "a")).toBe("OK");
    expect(node.call("RENAMENX", "a", "a")).toBe(0);
    expect(node.takePropagated()).toEqual([]);
  });

  it("moves aggregates and keeps the memory ledger right", () => {
    const node = new TestNode();
    const list = new FakeList(["x", "y"]);
    node.engine.dbs[0]!.set("l", list);
    node.engine.dbs[0]!.set("m", new FakeList(["z"]));
    node.call("RENAME", "l", "m");
    expect(node.call("TYPE", "m")).toBe("list");
    list.push("w");
    expect(node.engine.ledger.bytes).toBe(recomputedBytes(node.engine));
  });
});

describe("COPY", () => {
  it("copies strings with their TTL", () => {
    const node = new TestNode();
    node.call("SET", "a", "1", "EX", "100");
    expect(node.call("COPY", "a", "b")).toBe(1);
    expect(node.call("GET", "b")).toBe("1");
    expect(node.call("TTL", "b")).toBe(100);
    expect(node.call("COPY", "a", "b")).toBe(0);
    node.call("SET", "a", "2");
    expect(node.call("COPY", "a", "b", "REPLACE")).toBe(1);
    expect(node.call("GET", "b")).toBe("2");
    expect(node.call("TTL", "b")).toBe(-1);
    expect(node.call("COPY", "missing", "b")).toBe(0);
  });

  it("clones aggregates so the copy is independent and counted", () => {
    const node = new TestNode();
    const list = new FakeList(["x"]);
    node.engine.dbs[0]!.set("l", list);
    expect(node.call("COPY", "l", "m")).toBe(1);
    list.push("y");
    const copy = node.engine.dbs[0]!.peek("m") as FakeList;
    expect(copy.items).toEqual(["x"]);
    expect(copy.ledger).toBe(node.engine.ledger);
    expect(node.engine.ledger.bytes).toBe(recomputedBytes(node.engine));
  });

  it("copies into another database", () => {
    const node = new TestNode();
    node.call("SET", "a", "1");
    expect(node.call("COPY", "a", "a", "DB", "3")).toBe(1);
    expect(node.engine.dbs[3]!.peek("a")).toBe("1");
    expect(node.call("COPY", "a", "a", "DB", "3")).toBe(0);
    expect(node.call("COPY", "a", "a", "db", "3", "replace")).toBe(1);
  });

  it("refuses bad options", () => {
    const node = new TestNode();
    node.call("SET", "a", "1");
    expect(node.call("COPY", "a", "a")).toEqual({ error: "ERR source and destination objects are the same" });
    expect(node.call("COPY", "a", "b", "DB", "16")).toEqual({ error: "ERR DB index is out of range" });
    expect(node.call("COPY", "a", "b", "DB", "-1")).toEqual({ error: "ERR DB index is out of range" });
    expect(node.call("COPY", "a", "b", "DB", "x")).toEqual(NOT_INTEGER);
    expect(node.call("COPY", "a", "b", "DB", "2147483648")).toEqual({
      error: "ERR value is out of range, value must between -2147483648 and 2147483647",
    });
    expect(node.call("COPY", "a", "b", "DB")).toEqual(SYNTAX);
    expect(node.call("COPY", "a", "b", "FOO")).toEqual(SYNTAX);
  });

  it("refuses other databases in cluster mode", () => {
    const node = new TestNode([["cluster-enabled", "yes"]]);
    expect(node.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383")).toBe("OK");
    // The cluster state turns ok on the periodic tick, after the start-up
    // delay a new primary waits before taking writes.
    for (let tick = 0; tick < 100 && node.call("SET", "{t}a", "1") !== "OK"; tick++) {
      node.advance(100);
      node.engine.tick();
    }
    expect(node.call("SET", "{t}a", "1")).toBe("OK");
    expect(node.call("COPY", "{t}a", "{t}b")).toBe(1);
    expect(node.call("COPY", "{t}a", "{t}c", "DB", "1")).toEqual({ error: "ERR Copying to another database is not allowed in cluster mode" });
  });

  it("invalidates a WATCH on the destination in the other database", () => {
    const node = new TestNode();
    const watcher = node.engine.connect({ address: "127.0.0.1:3", localAddress: "127.0.0.1:2" });
    watcher.dbId = 2;
    node.engine.watch(watcher, "b");
    node.call("SET", "a", "1");
    expect(watcher.casDirty).toBe(false);
    node.call("COPY", "a", "b", "DB", "2");
    expect(watcher.casDirty).toBe(true);
  });
});

describe("KEYS, SCAN, RANDOMKEY", () => {
  it("KEYS matches globs and hides expired keys without deleting them", () => {
    const node = new TestNode();
    node.call("MSET", "user:1", "a", "user:2", "b", "item:1", "c");
    node.call("SET", "user:3", "d", "PX", "5");
    node.advance(6);
    expect((node.call("KEYS", "user:*") as string[]).sort()).toEqual(["user:1", "user:2"]);
    expect((node.call("KEYS", "*") as string[]).length).toBe(3);
    expect(node.call("KEYS", "[a-i]tem:?")).toEqual(["item:1"]);
    expect(node.engine.stats.expiredKeys).toBe(0);
  });

  it("SCAN returns the cursor as a bulk string and every key once over a full iteration", () => {
    const node = new TestNode();
    for (let i = 0; i < 25; i++) node.call("SET", `k${i}`, "v");
    const reply = node.raw("SCAN", "0", "COUNT", "10");
    expect(reply.startsWith("*2\r\n$2\r\n15\r\n*10\r\n")).toBe(true);
    const seen = scanAll(node, []);
    expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `k${i}`).sort());
  });

  it("SCAN filters by MATCH and TYPE and drops expired keys", () => {
    const node = new TestNode();
    node.call("MSET", "a1", "x", "a2", "x", "b1", "x");
    node.engine.dbs[0]!.set("a3", new FakeList());
    node.call("SET", "a4", "x", "PX", "5");
    node.advance(6);
    expect(scanAll(node, ["MATCH", "a*"]).sort()).toEqual(["a1", "a2", "a3"]);
    expect(scanAll(node, ["TYPE", "LIST"])).toEqual(["a3"]);
    expect(scanAll(node, ["TYPE", "string", "MATCH", "b*"])).toEqual(["b1"]);
    expect(scanAll(node, ["TYPE", "nosuchtype"])).toEqual([]);
    expect(node.engine.stats.expiredKeys).toBe(1);
  });

  it("SCAN parses the cursor like strtoul and refuses bad options", () => {
    const node = new TestNode();
    node.call("SET", "a", "1");
    expect(node.call("SCAN", "")).toEqual(["0", ["a"]]);
    expect(node.call("SCAN", "-1")).toEqual(["0", ["a"]]);
    expect(node.call("SCAN", "18446744073709551615")).toEqual(["0", ["a"]]);
    for (const bad of ["18446744073709551616", " 1", "1 ", "-", "+", "a", "1.5"]) {
      expect(node.call("SCAN", bad), JSON.stringify(bad)).toEqual({ error: "ERR invalid cursor" });
    }
    expect(node.call("SCAN", "0", "COUNT", "0")).toEqual(SYNTAX);
    expect(node.call("SCAN", "0", "COUNT", "x")).toEqual(NOT_INTEGER);
    expect(node.call("SCAN", "0", "MATCH")).toEqual(SYNTAX);
    expect(node.call("SCAN", "0", "FOO", "bar")).toEqual(SYNTAX);
  });

  it("SCAN keeps its guarantee while keys come and go", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 99 })), { maxLength: 80 }),
        fc.integer({ min: 1, max: 7 }),
        (initial, changes, count) => {
          const node = new TestNode();
          for (let i = 0; i < initial; i++) node.call("SET", `k${i}`, "v");
          const stable = new Set(Array.from({ length: initial }, (_, i) => `k${i}`));
          const seen = new Set<string>();
          let cursor = "0";
          let step = 0;
          do {
            const [next, keys] = node.call("SCAN", cursor, "COUNT", count) as [string, string[]];
            for (const key of keys) seen.add(key);
            cursor = next;
            const change = changes[step++];
            if (change !== undefined) {
              const key = `k${change[1]}`;
              if (change[0]) node.call("SET", key, "v");
              else node.call("DEL", key);
              stable.delete(key);
            }
          } while (cursor !== "0");
          for (const key of stable) expect(seen.has(key)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("RANDOMKEY returns nil on an empty database and a live key otherwise", () => {
    const node = new TestNode();
    expect(node.raw("RANDOMKEY")).toBe("$-1\r\n");
    node.call("SET", "dead", "1", "PX", "1");
    node.call("SET", "live", "1");
    node.advance(2);
    for (let i = 0; i < 10; i++) expect(node.call("RANDOMKEY")).toBe("live");
  });
});

function scanAll(node: TestNode, options: string[]): string[] {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = node.call("SCAN", cursor, ...options) as [string, string[]];
    keys.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  return keys;
}

describe("EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT", () => {
  it("set relative and absolute expiries", () => {
    const node = new TestNode();
    const now = node.nowMs;
    node.call("MSET", "a", "1", "b", "1", "c", "1", "d", "1");
    expect(node.call("EXPIRE", "a", "100")).toBe(1);
    expect(node.call("PEXPIRE", "b", "1500")).toBe(1);
    expect(node.call("EXPIREAT", "c", String(Math.floor(now / 1000) + 50))).toBe(1);
    expect(node.call("PEXPIREAT", "d", String(now + 2500))).toBe(1);
    expect(node.call("TTL", "a")).toBe(100);
    expect(node.call("PTTL", "b")).toBe(1500);
    expect(node.call("EXPIRETIME", "c")).toBe(Math.floor(now / 1000) + 50);
    expect(node.call("PEXPIRETIME", "d")).toBe(now + 2500);
    expect(node.call("EXPIRE", "missing", "100")).toBe(0);
  });

  it("rounds TTL to the nearest second", () => {
    const node = new TestNode();
    node.call("SET", "a", "1", "PX", "1499");
    node.call("SET", "b", "1", "PX", "1500");
    expect(node.call("TTL", "a")).toBe(1);
    expect(node.call("TTL", "b")).toBe(2);
    expect(node.call("TTL", "missing")).toBe(-2);
    node.call("SET", "c", "1");
    expect(node.call("TTL", "c")).toBe(-1);
    expect(node.call("PEXPIRETIME", "c")).toBe(-1);
    expect(node.call("EXPIRETIME", "missing")).toBe(-2);
  });

  it("deletes the key when the time is already past, and propagates DEL", () => {
    const node = new TestNode();
    node.call("SET", "a", "1");
    node.call("SET", "b", "1");
    node.call("SET", "c", "1");
    node.takePropagated();
    expect(node.call("EXPIRE", "a", "-1")).toBe(1);
    expect(node.call("PEXPIREAT", "b", String(node.nowMs))).toBe(1);
    expect(node.call("EXPIREAT", "c", "1")).toBe(1);
    expect(node.call("EXISTS", "a", "b", "c")).toBe(0);
    expect(node.takePropagated()).toEqual([
      ["DEL", "a"],
      ["DEL", "b"],
      ["DEL", "c"],
    ]);
  });

  it("propagates PEXPIREAT with the absolute time and the conditions", () => {
    const node = new TestNode();
    const now = node.nowMs;
    node.call("SET", "a", "1");
    node.takePropagated();
    node.call("EXPIRE", "a", "100", "nx");
    node.call("PEXPIRE", "a", "200000", "GT");
    node.call("EXPIREAT", "a", String(Math.floor(now / 1000) + 300));
    node.call("PEXPIREAT", "a", String(now + 400_000), "XX");
    node.call("EXPIRE", "a", "1", "NX");
    expect(node.takePropagated()).toEqual([
      ["PEXPIREAT", "a", String(now + 100_000), "nx"],
      ["PEXPIREAT", "a", String(now + 200_000), "GT"],
      ["PEXPIREAT", "a", String((Math.floor(now / 1000) + 300) * 1000)],
      ["PEXPIREAT", "a", String(now + 400_000), "XX"],
    ]);
  });

  it("applies NX, XX, GT and LT", () => {
    const node = new TestNode();
    node.call("SET", "a", "1");
    expect(node.call("EXPIRE", "a", "100", "XX")).toBe(0);
    expect(node.call("EXPIRE", "a", "100", "GT")).toBe(0);
    expect(node.call("EXPIRE", "a", "100", "LT")).toBe(1);
    expect(node.call("EXPIRE", "a", "50", "NX")).toBe(0);
    expect(node.call("EXPIRE", "a", "200", "GT")).toBe(1);
    expect(node.call("EXPIRE", "a", "200", "GT")).toBe(0);
    expect(node.call("EXPIRE", "a", "300", "LT")).toBe(0);
    expect(node.call("EXPIRE", "a", "150", "LT", "XX")).toBe(1);
    expect(node.call("TTL", "a")).toBe(150);
  });

  it("refuses incompatible conditions, unknown options and overflow", () => {
    const node = new TestNode();
    node.call("SET", "a", "1");
    const nxError = { error: "ERR NX and XX, GT or LT options at the same time are not compatible" };
    expect(node.call("EXPIRE", "a", "1", "NX", "XX")).toEqual(nxError);
    expect(node.call("EXPIRE", "a", "1", "GT", "NX")).toEqual(nxError);
    expect(node.call("EXPIRE", "a", "1", "LT", "GT")).toEqual({ error: "ERR GT and LT options at the same time are not compatible" });
    expect(node.call("EXPIRE", "a", "1", "foo\r\nbar")).toEqual({ error: "ERR Unsupported option foo  bar" });
    expect(node.call("EXPIRE", "a", "x")).toEqual(NOT_INTEGER);
    expect(node.call("EXPIRE", "a", "9223372036854776")).toEqual({ error: "ERR invalid expire time in 'expire' command" });
    expect(node.call("EXPIRE", "a", "-9223372036854776")).toEqual({ error: "ERR invalid expire time in 'expire' command" });
    expect(node.call("PEXPIRE", "a", "9223372036854775807")).toEqual({ error: "ERR invalid expire time in 'pexpire' command" });
    expect(node.call("PEXPIREAT", "a", "9223372036854775807")).toBe(1);
    expect(node.call("TTL", "a")).toBeGreaterThan(0);
    // The conditions are checked before the time is parsed.
    expect(node.call("EXPIRE", "a", "x", "bad")).toEqual({ error: "ERR Unsupported option bad" });
  });

  it("PERSIST removes a TTL", () => {
    const node = new TestNode();
    node.call("SET", "a", "1", "EX", "10");
    expect(node.call("PERSIST", "a")).toBe(1);
    expect(node.call("PERSIST", "a")).toBe(0);
    expect(node.call("PERSIST", "missing")).toBe(0);
    expect(node.call("TTL", "a")).toBe(-1);
  });
});

describe("OBJECT", () => {
  it("reports string encodings as Redis chooses them", () => {
    expect(stringEncoding("12345")).toBe("int");
    expect(stringEncoding("-9223372036854775808")).toBe("int");
    expect(stringEncoding("9223372036854775808")).toBe("embstr");
    expect(stringEncoding("012")).toBe("embstr");
    expect(stringEncoding("x".repeat(44))).toBe("embstr");
    expect(stringEncoding("x".repeat(45))).toBe("raw");
    const node = new TestNode();
    node.call("SET", "n", "42");
    expect(node.call("OBJECT", "ENCODING", "n")).toBe("int");
    expect(node.raw("OBJECT", "ENCODING", "missing")).toBe("$-1\r\n");
  });

  it("reports aggregate encodings, preferring the value's own", () => {
    const node = new TestNode();
    node.engine.dbs[0]!.set("l", new FakeList());
    const tracked = Object.assign(new FakeList(), { encoding: "listpack" });
    node.engine.dbs[0]!.set("t", tracked);
    expect(node.call("OBJECT", "ENCODING", "l")).toBe("quicklist");
    expect(node.call("OBJECT", "ENCODING", "t")).toBe("listpack");
  });

  it("REFCOUNT reports shared small integers", () => {
    const node = new TestNode();
    node.call("MSET", "small", "100", "big", "10000", "text", "abc");
    expect(node.call("OBJECT", "REFCOUNT", "small")).toBe(2147483647);
    expect(node.call("OBJECT", "REFCOUNT", "big")).toBe(1);
    expect(node.call("OBJECT", "REFCOUNT", "text")).toBe(1);
    const lru = new TestNode([
      ["maxmemory", "100mb"],
      ["maxmemory-policy", "allkeys-lru"],
    ]);
    lru.call("SET", "small", "100");
    expect(lru.call("OBJECT", "REFCOUNT", "small")).toBe(1);
  });

  it("FREQ and IDLETIME need the matching policy", () => {
    const node = new TestNode();
    node.call("SET", "a", "1");
    expect(node.call("OBJECT", "FREQ", "a")).toEqual({
      error:
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    });
    expect((node.call("OBJECT", "IDLETIME", "a") as { error: string }).error).toMatch(/^ERR idle time is tracked only under an LRU maxmemory-policy/);
    expect(node.raw("OBJECT", "FREQ", "missing")).toBe("$-1\r\n");
    const lfu = new TestNode([["maxmemory-policy", "allkeys-lfu"]]);
    lfu.call("SET", "a", "1");
    expect(lfu.call("OBJECT", "FREQ", "a")).toBe(5);
    expect((lfu.call("OBJECT", "IDLETIME", "a") as { error: string }).error).toMatch(/^ERR An LFU maxmemory policy is selected/);
    const lru = new TestNode([["maxmemory-policy", "allkeys-lru"]]);
    lru.call("SET", "a", "1");
    lru.call("GET", "a");
    lru.advance(5000);
    expect(lru.call("OBJECT", "IDLETIME", "a")).toBe(5);
    // OBJECT itself is not an access.
    expect(lru.call("OBJECT", "IDLETIME", "a")).toBe(5);
  });

  it("HELP lists the subcommands as status lines; errors come from the dispatcher", () => {
    const node = new TestNode();
    const help = node.call("OBJECT", "HELP") as Reply[];
    expect(help[0]).toBe("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    expect(help.at(-1)).toBe("    Prints this help.");
    expect(node.raw("OBJECT", "HELP").split("\r\n")[1]).toBe("+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    expect(node.call("OBJECT", "ENCODING")).toEqual({ error: "ERR wrong number of arguments for 'object|encoding' command" });
    expect(node.call("OBJECT", "FOO")).toEqual({ error: "ERR unknown subcommand 'FOO'. Try OBJECT HELP." });
  });
});

describe("key property: keyspace and expiry agree with a Map model", () => {
  type Op =
    | { kind: "set"; key: string; ttlMs: number | undefined }
    | { kind: "del" | "exists" | "pttl" | "persist"; key: string }
    | { kind: "rename" | "renamenx" | "copy"; key: string; to: string }
    | { kind: "pexpire"; key: string; ms: number; condition: string | undefined }
    | { kind: "advance"; ms: number }
    | { kind: "tick" };

  const key = fc.constantFrom("a", "b", "c");
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("set" as const), key, ttlMs: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }) }),
    fc.record({ kind: fc.constantFrom("del" as const, "exists" as const, "pttl" as const, "persist" as const), key }),
    fc.record({ kind: fc.constantFrom("rename" as const, "renamenx" as const, "copy" as const), key, to: key }),
    fc.record({
      kind: fc.constant("pexpire" as const),
      key,
      ms: fc.integer({ min: -50, max: 300 }),
      condition: fc.constantFrom(undefined, "NX", "XX", "GT", "LT"),
    }),
    fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 200 }) }),
    fc.constant({ kind: "tick" as const }),
  );

  it("holds for random sequences, with the memory ledger exact throughout", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const node = new TestNode();
        const model = new Map<string, { value: string; expireAtMs: number | undefined }>();
        let version = 0;
        const live = (k: string) => {
          const entry = model.get(k);
          if (entry?.expireAtMs !== undefined && node.nowMs > entry.expireAtMs) model.delete(k);
          return model.get(k);
        };
        for (const o of ops) {
          if (o.kind === "advance") {
            node.advance(o.ms);
            continue;
          }
          if (o.kind === "tick") {
            node.engine.tick();
            continue;
          }
          const entry = live(o.key);
          switch (o.kind) {
            case "set": {
              const value = `v${version++}`;
              if (o.ttlMs === undefined) node.call("SET", o.key, value);
              else node.call("SET", o.key, value, "PX", o.ttlMs);
              model.set(o.key, { value, expireAtMs: o.ttlMs === undefined ? undefined : node.nowMs + o.ttlMs });
              break;
            }
            case "del":
              expect(node.call("DEL", o.key)).toBe(entry ? 1 : 0);
              model.delete(o.key);
              break;
            case "exists":
              expect(node.call("EXISTS", o.key)).toBe(entry ? 1 : 0);
              break;
            case "pttl":
              expect(node.call("PTTL", o.key)).toBe(entry === undefined ? -2 : entry.expireAtMs === undefined ? -1 : entry.expireAtMs - node.nowMs);
              break;
            case "persist":
              expect(node.call("PERSIST", o.key)).toBe(entry?.expireAtMs !== undefined ? 1 : 0);
              if (entry) entry.expireAtMs = undefined;
              break;
            case "rename":
            case "renamenx": {
              const reply = node.call(o.kind.toUpperCase(), o.key, o.to);
              if (entry === undefined) {
                expect(reply).toEqual({ error: "ERR no such key" });
                break;
              }
              const target = live(o.to);
              if (o.key === o.to) {
                expect(reply).toEqual(o.kind === "rename" ? "OK" : 0);
              } else if (o.kind === "renamenx" && target !== undefined) {
                expect(reply).toBe(0);
              } else {
                expect(reply).toEqual(o.kind === "rename" ? "OK" : 1);
                model.delete(o.key);
                model.set(o.to, entry);
              }
              break;
            }
            case "copy": {
              const reply = node.call("COPY", o.key, o.to);
              if (o.key === o.to) expect(reply).toEqual({ error: "ERR source and destination objects are the same" });
              else if (entry === undefined || live(o.to) !== undefined) expect(reply).toBe(0);
              else {
                expect(reply).toBe(1);
                model.set(o.to, { ...entry });
              }
              break;
            }
            case "pexpire": {
              const args = o.condition === undefined ? [] : [o.condition];
              const reply = node.call("PEXPIRE", o.key, o.ms, ...args);
              const when = node.nowMs + o.ms;
              const current = entry?.expireAtMs;
              const allowed =
                entry !== undefined &&
                !(o.condition === "NX" && current !== undefined) &&
                !(o.condition === "XX" && current === undefined) &&
                !(o.condition === "GT" && (current === undefined || when <= current)) &&
                !(o.condition === "LT" && current !== undefined && when >= current);
              expect(reply).toBe(allowed ? 1 : 0);
              if (allowed && when <= node.nowMs) model.delete(o.key);
              else if (allowed) entry!.expireAtMs = when;
              break;
            }
          }
          expect(node.engine.ledger.bytes).toBe(recomputedBytes(node.engine));
        }
        for (const k of ["a", "b", "c"]) expect(node.call("GET", k)).toBe(live(k)?.value ?? null);
      }),
      { numRuns: 300 },
    );
  });
});
