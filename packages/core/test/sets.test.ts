import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REPLY_BYTES_MAX, capacityError, distinctIndexes, replyLimitReached, requireRoom } from "../src/commands/hash-set-support.js";
import type { CommandContext } from "../src/engine/context.js";
import { MemoryCost } from "../src/keyspace/ledger.js";
import { Random } from "../src/random.js";
import { SetValue } from "../src/keyspace/types/set.js";
import { Node, sortedStrings, type Reply } from "./hash-set-harness.js";

const WRONGTYPE = { error: "WRONGTYPE Operation against a key holding the wrong kind of value" };
const NOT_INTEGER = { error: "ERR value is not an integer or out of range" };
const SYNTAX = { error: "ERR syntax error" };
const NOT_POSITIVE = { error: "ERR value is out of range, must be positive" };

function members(node: Node, key: string): string[] {
  return sortedStrings(node.call("SMEMBERS", key));
}

function encodingOf(node: Node, key: string): string {
  return (node.peek(key) as SetValue).encoding;
}

describe("SADD, SREM and the plain reads", () => {
  it("adds and removes members, counting only real changes", () => {
    const node = new Node();
    expect(node.call("SADD", "s", "a", "b", "a")).toBe(2);
    expect(node.call("SADD", "s", "b", "c")).toBe(1);
    expect(node.call("SCARD", "s")).toBe(3);
    expect(node.call("SCARD", "missing")).toBe(0);
    expect(node.call("SISMEMBER", "s", "a")).toBe(1);
    expect(node.call("SISMEMBER", "s", "z")).toBe(0);
    expect(node.call("SISMEMBER", "missing", "a")).toBe(0);
    expect(node.call("SMISMEMBER", "s", "a", "z", "c")).toEqual([1, 0, 1]);
    expect(node.call("SMISMEMBER", "missing", "a", "b")).toEqual([0, 0]);
    expect(node.call("SREM", "s", "a", "z", "a")).toBe(1);
    expect(node.call("SREM", "missing", "a")).toBe(0);
    expect(members(node, "s")).toEqual(["b", "c"]);
  });

  it("deletes the key with its last member and gives its memory back", () => {
    const node = new Node();
    const baseline = node.ledgerBytes;
    node.call("SADD", "s", "a", "b", "1", "2");
    expect(node.call("SREM", "s", "a", "b", "1", "2", "zz")).toBe(4);
    expect(node.call("EXISTS", "s")).toBe(0);
    expect(node.ledgerBytes).toBe(baseline);
  });

  it("replies SMEMBERS as a set in RESP3 and an empty one for a missing key", () => {
    const resp3 = new Node({ protocol: 3 });
    resp3.call("SADD", "s", "1", "2");
    expect(resp3.raw("SMEMBERS", "s")).toBe("~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    expect(resp3.raw("SMEMBERS", "missing")).toBe("~0\r\n");
    expect(resp3.raw("SMISMEMBER", "s", "1")).toBe("*1\r\n:1\r\n");
    const resp2 = new Node();
    expect(resp2.raw("SMEMBERS", "missing")).toBe("*0\r\n");
  });

  it("answers every set command on a string key with WRONGTYPE", () => {
    const node = new Node();
    node.call("SET", "str", "v");
    node.call("SADD", "s", "a");
    const commands: (string | number)[][] = [
      ["SADD", "str", "a"],
      ["SREM", "str", "a"],
      ["SMEMBERS", "str"],
      ["SISMEMBER", "str", "a"],
      ["SMISMEMBER", "str", "a"],
      ["SCARD", "str"],
      ["SPOP", "str"],
      ["SPOP", "str", 2],
      ["SRANDMEMBER", "str"],
      ["SRANDMEMBER", "str", 2],
      ["SMOVE", "str", "s", "a"],
      ["SMOVE", "s", "str", "a"],
      ["SINTER", "s", "str"],
      ["SINTER", "missing", "str"],
      ["SINTERCARD", 2, "s", "str"],
      ["SUNION", "s", "str"],
      ["SDIFF", "s", "str"],
      ["SDIFF", "missing", "str"],
      ["SINTERSTORE", "d", "s", "str"],
      ["SUNIONSTORE", "d", "s", "str"],
      ["SDIFFSTORE", "d", "s", "str"],
      ["SSCAN", "str", 0],
    ];
    for (const command of commands) expect(node.call(...command), command.join(" ")).toEqual(WRONGTYPE);
    expect(node.call("EXISTS", "d")).toBe(0);
    expect(members(node, "s")).toEqual(["a"]);
  });
});

describe("encodings", () => {
  it("iterates an intset in numeric order, as Redis does", () => {
    const node = new Node();
    node.call("SADD", "s", "5", "3", "-1", "10", "9223372036854775807", "-9223372036854775808");
    expect(encodingOf(node, "s")).toBe("intset");
    expect(node.call("SMEMBERS", "s")).toEqual(["-9223372036854775808", "-1", "3", "5", "10", "9223372036854775807"]);
    expect(node.call("SSCAN", "s", 0, "COUNT", 1)).toEqual(["0", ["-9223372036854775808", "-1", "3", "5", "10", "9223372036854775807"]]);
  });

  it("becomes a hashtable for a non-canonical integer, a word or too many members, and stays one", () => {
    const node = new Node({ config: [["set-max-intset-entries", "3"]] });
    for (const member of ["007", "-0", "+1", "1.0", "9223372036854775808", "abc"]) {
      node.call("SADD", member, "1", member);
      expect(encodingOf(node, member), member).toBe("hashtable");
    }
    node.call("SADD", "n", "1", "2", "3");
    expect(encodingOf(node, "n")).toBe("intset");
    node.call("SADD", "n", "4");
    expect(encodingOf(node, "n")).toBe("hashtable");
    node.call("SREM", "n", "4", "3");
    expect(encodingOf(node, "n")).toBe("hashtable");
    node.call("SADD", "w", "x");
    node.call("SREM", "w", "x");
    node.call("SADD", "w", "1");
    expect(encodingOf(node, "w")).toBe("intset");
  });

  it("builds STORE results from scratch, so integers make an intset again", () => {
    const node = new Node();
    node.call("SADD", "mixed", "3", "1", "x");
    node.call("SREM", "mixed", "x");
    expect(encodingOf(node, "mixed")).toBe("hashtable");
    expect(node.call("SINTERSTORE", "d", "mixed")).toBe(2);
    expect(encodingOf(node, "d")).toBe("intset");
    expect(node.call("SMEMBERS", "d")).toEqual(["1", "3"]);
  });

  it("keeps a difference built by removal a hashtable, as Redis's second algorithm leaves it", () => {
    const node = new Node();
    // Redis compares |first| × sets / 2 with the sum of the sizes: here 21 × 4 / 2 = 42 > 24,
    // so it copies the first set (x included, making a hashtable) and removes.
    node.call("SADD", "big", "x", ...Array.from({ length: 20 }, (_, i) => String(i)));
    node.call("SADD", "s1", "x");
    node.call("SADD", "s2", "y");
    node.call("SADD", "s3", "z");
    expect(node.call("SDIFFSTORE", "d", "big", "s1", "s2", "s3")).toBe(20);
    expect(encodingOf(node, "d")).toBe("hashtable");
    // With one small set, 21 × 2 / 2 = 21 <= 22: it walks the first set and adds only survivors.
    expect(node.call("SDIFFSTORE", "d1", "big", "s1")).toBe(20);
    expect(encodingOf(node, "d1")).toBe("intset");
    // With a large set to subtract, Redis walks the first set and adds only survivors.
    node.call("SADD", "first", "x", "1", "2");
    node.call("SADD", "other", "x", ...Array.from({ length: 20 }, (_, i) => `o${i}`));
    expect(node.call("SDIFFSTORE", "d2", "first", "other")).toBe(2);
    expect(encodingOf(node, "d2")).toBe("intset");
  });
});

describe("SPOP", () => {
  it("pops one member and propagates SREM", () => {
    const node = new Node();
    node.call("SADD", "s", "a", "b");
    node.takePropagated();
    const popped = node.call("SPOP", "s") as string;
    expect(["a", "b"]).toContain(popped);
    expect(node.takePropagated()).toEqual([["SREM", "s", popped]]);
    expect(node.call("SCARD", "s")).toBe(1);
    node.call("SPOP", "s");
    expect(node.call("EXISTS", "s")).toBe(0);
    expect(node.raw("SPOP", "s")).toBe("$-1\r\n");
    expect(node.takePropagated()).toHaveLength(1);
  });

  it("pops a count as a set reply, one SREM per member", () => {
    for (const count of [1, 2, 7, 9]) {
      const node = new Node({ protocol: 3 });
      const all = Array.from({ length: 10 }, (_, i) => `m${i}`);
      node.call("SADD", "s", ...all);
      node.takePropagated();
      const reply = node.call("SPOP", "s", count) as { set: string[] };
      expect(reply.set).toHaveLength(count);
      expect(new Set(reply.set).size).toBe(count);
      const left = members(node, "s");
      expect([...left, ...reply.set].sort()).toEqual(all.sort());
      expect(node.takePropagated()).toEqual(reply.set.map((member) => ["SREM", "s", member]));
    }
  });

  it("takes the whole set for a count at least its size and propagates DEL", () => {
    const node = new Node();
    const baseline = node.ledgerBytes;
    node.call("SADD", "s", "3", "1", "2");
    node.takePropagated();
    expect(node.call("SPOP", "s", 5)).toEqual(["1", "2", "3"]);
    expect(node.takePropagated()).toEqual([["DEL", "s"]]);
    expect(node.call("EXISTS", "s")).toBe(0);
    expect(node.ledgerBytes).toBe(baseline);
  });

  it("keeps the key's TTL when the survivors move into a new set", () => {
    const node = new Node();
    node.call("SADD", "s", ...Array.from({ length: 10 }, (_, i) => `m${i}`));
    node.call("EXPIRE", "s", 100);
    expect((node.call("SPOP", "s", 9) as string[]).length).toBe(9);
    expect(node.call("SCARD", "s")).toBe(1);
    expect(node.call("TTL", "s")).toBe(100);
  });

  it("answers a zero count or a missing key with an empty set, and checks the count first", () => {
    const node = new Node({ protocol: 3 });
    node.call("SADD", "s", "a");
    node.call("SET", "str", "v");
    expect(node.raw("SPOP", "s", 0)).toBe("~0\r\n");
    expect(node.raw("SPOP", "missing", 2)).toBe("~0\r\n");
    expect(node.raw("SPOP", "missing")).toBe("_\r\n");
    expect(node.call("SPOP", "s", -1)).toEqual(NOT_POSITIVE);
    expect(node.call("SPOP", "str", "x")).toEqual(NOT_POSITIVE);
    expect(node.call("SPOP", "s", 1, 2)).toEqual(SYNTAX);
    expect(node.takePropagated()).toEqual([["SADD", "s", "a"], ["SET", "str", "v"]]);
  });
});

describe("SRANDMEMBER", () => {
  it("returns one member, or nil for a missing key", () => {
    const node = new Node();
    node.call("SADD", "s", "a", "b");
    expect(["a", "b"]).toContain(node.call("SRANDMEMBER", "s"));
    expect(node.raw("SRANDMEMBER", "missing")).toBe("$-1\r\n");
    expect(node.raw("SRANDMEMBER", "missing", 3)).toBe("*0\r\n");
    expect(node.raw("SRANDMEMBER", "s", 0)).toBe("*0\r\n");
  });

  it("returns distinct members for a positive count and the whole set past its size", () => {
    const node = new Node({ protocol: 3 });
    const all = Array.from({ length: 30 }, (_, i) => String(i * 7));
    node.call("SADD", "s", ...all);
    for (const count of [2, 5, 11, 29]) {
      const reply = node.call("SRANDMEMBER", "s", count) as string[];
      expect(reply).toHaveLength(count);
      expect(new Set(reply).size).toBe(count);
      for (const member of reply) expect(all).toContain(member);
    }
    expect(node.call("SRANDMEMBER", "s", 30)).toEqual(all);
    expect(node.call("SRANDMEMBER", "s", 1000)).toEqual(all);
  });

  it("samples with repetition for a negative count", () => {
    const node = new Node();
    node.call("SADD", "s", "a", "b");
    const reply = node.call("SRANDMEMBER", "s", -40) as string[];
    expect(reply).toHaveLength(40);
    expect(new Set(reply)).toEqual(new Set(["a", "b"]));
  });

  it("checks the count before the key", () => {
    const node = new Node();
    node.call("SET", "str", "v");
    expect(node.call("SRANDMEMBER", "str", "x")).toEqual(NOT_INTEGER);
    expect(node.call("SRANDMEMBER", "missing", "-9223372036854775808")).toEqual({
      error: "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
    });
    expect(node.call("SRANDMEMBER", "missing", "-9223372036854775807")).toEqual([]);
    expect(node.call("SRANDMEMBER", "missing", 1, 2)).toEqual(SYNTAX);
  });
});

describe("SMOVE", () => {
  it("moves a member, creating the destination and deleting an emptied source", () => {
    const node = new Node();
    const baseline = node.ledgerBytes;
    node.call("SADD", "src", "a", "b");
    expect(node.call("SMOVE", "src", "dst", "a")).toBe(1);
    expect(node.call("SMOVE", "src", "dst", "zz")).toBe(0);
    expect(node.call("SMOVE", "src", "dst", "b")).toBe(1);
    expect(node.call("EXISTS", "src")).toBe(0);
    expect(members(node, "dst")).toEqual(["a", "b"]);
    node.call("SADD", "src", "a");
    expect(node.call("SMOVE", "src", "dst", "a")).toBe(1);
    expect(members(node, "dst")).toEqual(["a", "b"]);
    node.call("DEL", "dst");
    expect(node.ledgerBytes).toBe(baseline);
  });

  it("answers 0 for a missing source before checking types, and only reports membership within one set", () => {
    const node = new Node();
    node.call("SET", "str", "v");
    node.call("SADD", "s", "a");
    node.takePropagated();
    expect(node.call("SMOVE", "missing", "str", "a")).toBe(0);
    expect(node.call("SMOVE", "s", "str", "zz")).toEqual(WRONGTYPE);
    expect(node.call("SMOVE", "s", "s", "a")).toBe(1);
    expect(node.call("SMOVE", "s", "s", "zz")).toBe(0);
    expect(node.takePropagated()).toEqual([]);
  });
});

describe("SINTER, SUNION, SDIFF and SINTERCARD", () => {
  function prepared(): Node {
    const node = new Node();
    node.call("SADD", "a", "1", "2", "3", "4", "x");
    node.call("SADD", "b", "2", "3", "x", "y");
    node.call("SADD", "c", "3", "x", "z");
    return node;
  }

  it("computes intersections, unions and differences", () => {
    const node = prepared();
    expect(sortedStrings(node.call("SINTER", "a", "b", "c"))).toEqual(["3", "x"]);
    expect(sortedStrings(node.call("SINTER", "a", "a"))).toEqual(["1", "2", "3", "4", "x"]);
    expect(node.call("SINTER", "a", "missing")).toEqual([]);
    expect(sortedStrings(node.call("SUNION", "a", "b", "missing", "c"))).toEqual(["1", "2", "3", "4", "x", "y", "z"]);
    expect(sortedStrings(node.call("SDIFF", "a", "b", "missing"))).toEqual(["1", "4"]);
    expect(node.call("SDIFF", "a", "a")).toEqual([]);
    expect(node.call("SDIFF", "missing", "a")).toEqual([]);
    expect(node.call("SINTERCARD", 3, "a", "b", "c")).toBe(2);
    expect(node.call("SINTERCARD", 2, "a", "b", "LIMIT", 1)).toBe(1);
    expect(node.call("SINTERCARD", 2, "a", "b", "limit", 0)).toBe(3);
    expect(node.call("SINTERCARD", 2, "a", "missing")).toBe(0);
  });

  it("replies sets in RESP3, intsets in numeric order", () => {
    const node = new Node({ protocol: 3 });
    node.call("SADD", "a", "30", "10", "20");
    node.call("SADD", "b", "20", "30", "40");
    expect(node.raw("SINTER", "a", "b")).toBe("~2\r\n$2\r\n20\r\n$2\r\n30\r\n");
    expect(node.raw("SUNION", "a", "b")).toBe("~4\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n$2\r\n40\r\n");
    expect(node.raw("SDIFF", "b", "a")).toBe("~1\r\n$2\r\n40\r\n");
    expect(node.raw("SINTER", "a", "missing")).toBe("~0\r\n");
  });

  it("stores results, replacing any value and TTL, and deletes the destination for an empty one", () => {
    const node = prepared();
    node.call("SET", "d", "string");
    node.call("EXPIRE", "d", 100);
    expect(node.call("SINTERSTORE", "d", "a", "b")).toBe(3);
    expect(node.call("TTL", "d")).toBe(-1);
    expect(members(node, "d")).toEqual(["2", "3", "x"]);
    expect(node.call("SUNIONSTORE", "d", "b", "c")).toBe(5);
    expect(members(node, "d")).toEqual(["2", "3", "x", "y", "z"]);
    expect(node.call("SDIFFSTORE", "d", "d", "a")).toBe(2);
    expect(members(node, "d")).toEqual(["y", "z"]);
    node.takePropagated();
    expect(node.call("SINTERSTORE", "d", "a", "missing")).toBe(0);
    expect(node.call("EXISTS", "d")).toBe(0);
    expect(node.takePropagated()).toEqual([["SINTERSTORE", "d", "a", "missing"]]);
    expect(node.call("SDIFFSTORE", "d", "a", "a")).toBe(0);
    expect(node.takePropagated()).toEqual([]);
  });

  it("validates SINTERCARD's numkeys and LIMIT as Redis words it", () => {
    const node = prepared();
    expect(node.call("SINTERCARD", 0, "a")).toEqual({ error: "ERR numkeys should be greater than 0" });
    expect(node.call("SINTERCARD", "x", "a")).toEqual({ error: "ERR numkeys should be greater than 0" });
    expect(node.call("SINTERCARD", -1, "a")).toEqual({ error: "ERR numkeys should be greater than 0" });
    expect(node.call("SINTERCARD", 2, "a")).toEqual({ error: "ERR Number of keys can't be greater than number of args" });
    expect(node.call("SINTERCARD", 1, "a", "LIMIT", -1)).toEqual({ error: "ERR LIMIT can't be negative" });
    expect(node.call("SINTERCARD", 1, "a", "LIMIT", "x")).toEqual({ error: "ERR LIMIT can't be negative" });
    expect(node.call("SINTERCARD", 1, "a", "LIMIT")).toEqual(SYNTAX);
    expect(node.call("SINTERCARD", 1, "a", "foo", 1)).toEqual(SYNTAX);
  });

  it("reports SINTERCARD's keys to the dispatcher (COMMAND GETKEYS)", () => {
    const spec = new Node().engine.commands.get("sintercard")!;
    expect(spec.keys!(["SINTERCARD", "2", "a", "b", "LIMIT", "1"])).toEqual([2, 3]);
    expect(spec.keys!(["SINTERCARD", "5", "a"])).toEqual([]);
    expect(spec.keys!(["SINTERCARD", "x", "a"])).toEqual([]);
  });
});

describe("SSCAN", () => {
  it("pages through a hashtable and returns every member", () => {
    const node = new Node();
    const all = Array.from({ length: 200 }, (_, i) => `member:${i}`);
    node.call("SADD", "s", ...all);
    const seen = new Set<string>();
    let cursor = "0";
    let calls = 0;
    do {
      const [next, items] = node.call("SSCAN", "s", cursor, "COUNT", 9) as [string, string[]];
      expect(items.length).toBeLessThanOrEqual(9);
      for (const item of items) seen.add(item);
      cursor = next;
      calls++;
    } while (cursor !== "0" && calls < 1000);
    expect([...seen].sort()).toEqual(all.sort());
    expect(calls).toBeGreaterThan(20);
  });

  it("filters with MATCH and validates like Redis", () => {
    const node = new Node();
    node.call("SADD", "s", "apple", "banana", "avocado");
    const [cursor, items] = node.call("SSCAN", "s", 0, "MATCH", "a*", "COUNT", 100) as [string, string[]];
    expect(cursor).toBe("0");
    expect(items.sort()).toEqual(["apple", "avocado"]);
    expect(node.raw("SSCAN", "missing", "0", "COUNT", "0")).toBe("*2\r\n$1\r\n0\r\n*0\r\n");
    expect(node.call("SSCAN", "missing", "x")).toEqual({ error: "ERR invalid cursor" });
    expect(node.call("SSCAN", "s", 0, "COUNT", 0)).toEqual(SYNTAX);
    expect(node.call("SSCAN", "s", 0, "COUNT", "x")).toEqual(NOT_INTEGER);
    expect(node.call("SSCAN", "s", 0, "NOVALUES")).toEqual(SYNTAX);
  });
});

describe("memory accounting", () => {
  it("keeps each set's bytes equal to its members and the ledger in step", () => {
    const node = new Node();
    const baseline = node.ledgerBytes;
    node.call("SADD", "s", "a", "bb", "a much longer member than the others", "12");
    const set = node.peek("s") as SetValue;
    let expected = MemoryCost.aggregateBytes;
    for (const member of set.values()) expected += MemoryCost.mapEntryBytes + MemoryCost.stringBytes(member);
    expect(set.bytes).toBe(expected);
    expect(node.ledgerBytes - baseline).toBe(expected + MemoryCost.keyEntryBytes + MemoryCost.stringBytes("s"));
    node.call("SUNIONSTORE", "copy", "s");
    node.call("SPOP", "copy", 2);
    node.call("SMOVE", "s", "other", "a");
    node.call("DEL", "s", "copy", "other");
    expect(node.ledgerBytes).toBe(baseline);
  });

  it("clones into a detached copy with the same members and encoding", () => {
    const node = new Node();
    node.call("SADD", "s", "3", "1", "2");
    const original = node.peek("s") as SetValue;
    const copy = original.clone();
    expect(copy.ledger).toBeUndefined();
    expect(copy.bytes).toBe(original.bytes);
    expect(copy.encoding).toBe("intset");
    expect([...copy.values()]).toEqual(["1", "2", "3"]);
    const before = node.ledgerBytes;
    copy.add("x", { intsetEntriesMax: 512 });
    expect(node.ledgerBytes).toBe(before);
    expect(original.has("x")).toBe(false);
    expect(original.encoding).toBe("intset");
  });
});

// ------------------------------------------------------------ properties

const memberArb = fc.oneof(
  fc.constantFrom("a", "b", "c", "d", "1", "2", "-3", "10", "007", ""),
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }).map((codes) => String.fromCharCode(...codes)),
);
const keyArb = fc.constantFrom("k1", "k2", "k3");

type SetOp =
  | { kind: "sadd"; key: string; members: string[] }
  | { kind: "srem"; key: string; members: string[] }
  | { kind: "smove"; source: string; destination: string; member: string }
  | { kind: "store"; command: "SINTERSTORE" | "SUNIONSTORE" | "SDIFFSTORE"; destination: string; keys: string[] }
  | { kind: "read"; command: "SINTER" | "SUNION" | "SDIFF"; keys: string[] }
  | { kind: "card"; key: string }
  | { kind: "intercard"; keys: string[]; limit: number }
  | { kind: "ismember"; key: string; member: string };

const setOpArb: fc.Arbitrary<SetOp> = fc.oneof(
  fc.record({ kind: fc.constant("sadd" as const), key: keyArb, members: fc.array(memberArb, { minLength: 1, maxLength: 5 }) }),
  fc.record({ kind: fc.constant("srem" as const), key: keyArb, members: fc.array(memberArb, { minLength: 1, maxLength: 5 }) }),
  fc.record({ kind: fc.constant("smove" as const), source: keyArb, destination: keyArb, member: memberArb }),
  fc.record({
    kind: fc.constant("store" as const),
    command: fc.constantFrom("SINTERSTORE" as const, "SUNIONSTORE" as const, "SDIFFSTORE" as const),
    destination: keyArb,
    keys: fc.array(keyArb, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant("read" as const), command: fc.constantFrom("SINTER" as const, "SUNION" as const, "SDIFF" as const), keys: fc.array(keyArb, { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant("card" as const), key: keyArb }),
  fc.record({ kind: fc.constant("intercard" as const), keys: fc.array(keyArb, { minLength: 1, maxLength: 3 }), limit: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("ismember" as const), key: keyArb, member: memberArb }),
);

type Model = Map<string, Set<string>>;

function combine(model: Model, command: string, keys: string[]): Set<string> {
  const sets = keys.map((key) => model.get(key) ?? new Set<string>());
  if (command.startsWith("SINTER")) return new Set([...sets[0]!].filter((member) => sets.every((set) => set.has(member))));
  if (command.startsWith("SUNION")) return new Set(sets.flatMap((set) => [...set]));
  return new Set([...sets[0]!].filter((member) => sets.slice(1).every((set) => !set.has(member))));
}

/** Applies an operation to the model and returns [command, expected reply, whether the reply's order is free]. */
function step(model: Model, op: SetOp): [string[], Reply] {
  switch (op.kind) {
    case "sadd": {
      const set = model.get(op.key) ?? new Set<string>();
      const before = set.size;
      for (const member of op.members) set.add(member);
      model.set(op.key, set);
      return [["SADD", op.key, ...op.members], set.size - before];
    }
    case "srem": {
      const set = model.get(op.key);
      let removed = 0;
      for (const member of op.members) if (set?.delete(member)) removed++;
      if (set?.size === 0) model.delete(op.key);
      return [["SREM", op.key, ...op.members], removed];
    }
    case "smove": {
      const command = ["SMOVE", op.source, op.destination, op.member];
      const source = model.get(op.source);
      if (!source?.has(op.member)) return [command, 0];
      if (op.source === op.destination) return [command, 1];
      source.delete(op.member);
      if (source.size === 0) model.delete(op.source);
      const destination = model.get(op.destination) ?? new Set<string>();
      destination.add(op.member);
      model.set(op.destination, destination);
      return [command, 1];
    }
    case "store": {
      const result = combine(model, op.command, op.keys);
      if (result.size > 0) model.set(op.destination, result);
      else model.delete(op.destination);
      return [[op.command, op.destination, ...op.keys], result.size];
    }
    case "read":
      return [[op.command, ...op.keys], [...combine(model, op.command, op.keys)].sort()];
    case "card":
      return [["SCARD", op.key], model.get(op.key)?.size ?? 0];
    case "intercard": {
      const size = combine(model, "SINTER", op.keys).size;
      return [["SINTERCARD", String(op.keys.length), ...op.keys, "LIMIT", String(op.limit)], op.limit === 0 ? size : Math.min(size, op.limit)];
    }
    case "ismember":
      return [["SISMEMBER", op.key, op.member], model.get(op.key)?.has(op.member) ? 1 : 0];
  }
}

/** Redis's intset order: numeric for sets of canonical 64-bit integers. */
function isIntsetMember(member: string): boolean {
  if (!/^(0|-?[1-9][0-9]{0,18})$/.test(member)) return false;
  const value = BigInt(member);
  return value >= -(2n ** 63n) && value < 2n ** 63n;
}

describe("properties against a Map of Sets model", () => {
  it("matches the model, iterates integer sets in numeric order, and gives all memory back", () => {
    fc.assert(
      fc.property(fc.array(setOpArb, { maxLength: 50 }), fc.integer({ min: 1, max: 1000 }), (ops, seed) => {
        const node = new Node({ seed, config: [["set-max-intset-entries", "6"]] });
        const baseline = node.ledgerBytes;
        const model: Model = new Map();
        for (const op of ops) {
          const [command, expected] = step(model, op);
          const reply = node.call(...command);
          expect(op.kind === "read" ? sortedStrings(reply) : reply, command.join(" ")).toEqual(expected);
        }
        for (const key of ["k1", "k2", "k3"]) {
          const expected = model.get(key);
          expect(node.call("EXISTS", key)).toBe(expected ? 1 : 0);
          if (expected === undefined) continue;
          const reply = node.call("SMEMBERS", key) as string[];
          expect([...reply].sort()).toEqual([...expected].sort());
          const set = node.peek(key) as SetValue;
          if (set.encoding === "intset") {
            expect([...expected].every(isIntsetMember)).toBe(true);
            expect(reply).toEqual([...reply].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
          }
        }
        node.call("DEL", "k1", "k2", "k3");
        expect(node.ledgerBytes).toBe(baseline);
      }),
      { numRuns: 300 },
    );
  });

  it("pops every member exactly once whatever the counts", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(memberArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 1000 }),
        (all, counts, seed) => {
          const node = new Node({ seed });
          const baseline = node.ledgerBytes;
          node.call("SADD", "s", ...all);
          node.takePropagated();
          const popped: string[] = [];
          for (const count of counts) {
            const reply = node.call("SPOP", "s", count) as string[];
            popped.push(...reply);
            const propagated = node.takePropagated();
            if (reply.length > 0 && node.call("EXISTS", "s") === 0 && propagated[0]?.[0] === "DEL") continue;
            expect(propagated).toEqual(reply.map((member) => ["SREM", "s", member]));
          }
          const left = node.call("EXISTS", "s") === 1 ? (node.call("SMEMBERS", "s") as string[]) : [];
          expect([...popped, ...left].sort()).toEqual([...all].sort());
          node.call("DEL", "s");
          expect(node.ledgerBytes).toBe(baseline);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("bounds shared by hashes and sets", () => {
  it("refuses growth past a set's or hash's capacity before anything changes, counting only new elements", () => {
    const present = new Set(["a", "b"]);
    const has = (element: string): boolean => present.has(element);
    expect(() => requireRoom("set", 2, ["a", "b", "c"], has, 3)).not.toThrow();
    expect(() => requireRoom("set", 2, ["c", "c", "a"], has, 3)).not.toThrow();
    expect(() => requireRoom("set", 2, ["c", "d"], has, 3)).toThrow(capacityError("set", 3));
    expect(() => requireRoom("hash", 3, ["z"], () => false, 3)).toThrow("ERR a hash holds at most 3 fields here; spread the fields over several keys");
  });

  it("stops a reply that outgrows REPLY_BYTES_MAX and closes the client", () => {
    const logged: string[] = [];
    const fake = (pendingBytes: number) =>
      ({
        reply: { pendingBytes },
        client: { id: 7, closeNow: false },
        engine: { log: (_level: string, message: string) => logged.push(message) },
        spec: { name: "srandmember" },
      }) as unknown as CommandContext;
    const within = fake(REPLY_BYTES_MAX);
    expect(replyLimitReached(within)).toBe(false);
    expect(within.client.closeNow).toBe(false);
    const beyond = fake(REPLY_BYTES_MAX + 1);
    expect(replyLimitReached(beyond)).toBe(true);
    expect(beyond.client.closeNow).toBe(true);
    expect(logged).toEqual(["closing client whose reply exceeded the reply size limit"]);
  });

  it("draws distinct indexes uniformly enough", () => {
    const random = new Random(3);
    const hits = new Array<number>(10).fill(0);
    for (let round = 0; round < 2000; round++) {
      const indexes = distinctIndexes(random, 10, 3);
      expect(new Set(indexes).size).toBe(3);
      for (const index of indexes) {
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(10);
        hits[index]!++;
      }
    }
    // Each index is expected 600 times; a biased draw would leave some far off.
    for (const count of hits) expect(Math.abs(count - 600)).toBeLessThan(120);
  });
});
