import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryCost } from "../src/keyspace/ledger.js";
import { HashValue } from "../src/keyspace/types/hash.js";
import { Node, sortedStrings, type Reply } from "./hash-set-harness.js";

const WRONGTYPE = { error: "WRONGTYPE Operation against a key holding the wrong kind of value" };
const NOT_INTEGER = { error: "ERR value is not an integer or out of range" };
const SYNTAX = { error: "ERR syntax error" };

describe("HSET, HGET and the plain reads", () => {
  it("sets several pairs, counting only new fields", () => {
    const node = new Node();
    expect(node.call("HSET", "h", "a", "1", "b", "2")).toBe(2);
    expect(node.call("HSET", "h", "a", "10", "c", "3")).toBe(1);
    expect(node.call("HGET", "h", "a")).toBe("10");
    expect(node.call("HGET", "h", "zz")).toBeNull();
    expect(node.call("HGET", "missing", "a")).toBeNull();
    expect(node.call("HMGET", "h", "a", "zz", "c")).toEqual(["10", null, "3"]);
    expect(node.call("HMGET", "missing", "a", "b")).toEqual([null, null]);
    expect(node.call("HLEN", "h")).toBe(3);
    expect(node.call("HLEN", "missing")).toBe(0);
    expect(node.call("HEXISTS", "h", "b")).toBe(1);
    expect(node.call("HEXISTS", "h", "zz")).toBe(0);
    expect(node.call("HEXISTS", "missing", "b")).toBe(0);
    expect(node.call("HSTRLEN", "h", "a")).toBe(2);
    expect(node.call("HSTRLEN", "h", "zz")).toBe(0);
    expect(node.call("HSTRLEN", "missing", "a")).toBe(0);
  });

  it("refuses an odd number of field/value arguments with the command's own name", () => {
    const node = new Node();
    expect(node.call("HSET", "h", "a", "1", "b")).toEqual({ error: "ERR wrong number of arguments for 'hset' command" });
    expect(node.call("HMSET", "h", "a", "1", "b")).toEqual({ error: "ERR wrong number of arguments for 'hmset' command" });
    expect(node.call("HSET", "h", "a")).toEqual({ error: "ERR wrong number of arguments for 'hset' command" });
    expect(node.call("EXISTS", "h")).toBe(0);
  });

  it("answers HMSET with OK", () => {
    const node = new Node();
    expect(node.raw("HMSET", "h", "a", "1", "b", "2")).toBe("+OK\r\n");
    expect(node.call("HGETALL", "h")).toEqual(["a", "1", "b", "2"]);
  });

  it("keeps binary-safe fields and values", () => {
    const node = new Node();
    const field = "f\x00\r\n\xff";
    const value = "\x00\x01\xfe";
    expect(node.call("HSET", "h", field, value)).toBe(1);
    expect(node.call("HGET", "h", field)).toBe(value);
    expect(node.call("HSTRLEN", "h", field)).toBe(3);
  });

  it("sets a field only when it is absent with HSETNX", () => {
    const node = new Node();
    expect(node.call("HSETNX", "h", "a", "1")).toBe(1);
    expect(node.call("HSETNX", "h", "a", "2")).toBe(0);
    expect(node.call("HGET", "h", "a")).toBe("1");
    expect(node.takePropagated()).toEqual([["HSETNX", "h", "a", "1"]]);
  });

  it("answers every hash command on a string key with WRONGTYPE", () => {
    const node = new Node();
    node.call("SET", "s", "v");
    const commands: (string | number)[][] = [
      ["HSET", "s", "a", "1"],
      ["HMSET", "s", "a", "1"],
      ["HSETNX", "s", "a", "1"],
      ["HGET", "s", "a"],
      ["HMGET", "s", "a"],
      ["HGETALL", "s"],
      ["HDEL", "s", "a"],
      ["HEXISTS", "s", "a"],
      ["HLEN", "s"],
      ["HKEYS", "s"],
      ["HVALS", "s"],
      ["HINCRBY", "s", "a", 1],
      ["HINCRBYFLOAT", "s", "a", 1],
      ["HSTRLEN", "s", "a"],
      ["HRANDFIELD", "s"],
      ["HRANDFIELD", "s", 2],
      ["HSCAN", "s", 0],
    ];
    for (const command of commands) expect(node.call(...command), command.join(" ")).toEqual(WRONGTYPE);
    expect(node.call("GET", "s")).toBe("v");
  });
});

describe("HGETALL, HKEYS and HVALS", () => {
  it("replies a flat array in RESP2 and a map in RESP3", () => {
    const resp2 = new Node();
    resp2.call("HSET", "h", "a", "1", "b", "2");
    expect(resp2.raw("HGETALL", "h")).toBe("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
    expect(resp2.raw("HGETALL", "missing")).toBe("*0\r\n");
    const resp3 = new Node({ protocol: 3 });
    resp3.call("HSET", "h", "a", "1", "b", "2");
    expect(resp3.raw("HGETALL", "h")).toBe("%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
    expect(resp3.raw("HGETALL", "missing")).toBe("%0\r\n");
    expect(resp3.raw("HKEYS", "missing")).toBe("*0\r\n");
    expect(resp3.raw("HGET", "missing", "a")).toBe("_\r\n");
  });

  it("keeps insertion order while the hash is a listpack, as Redis does", () => {
    const node = new Node();
    node.call("HSET", "h", "c", "1", "a", "2", "b", "3");
    node.call("HDEL", "h", "a");
    node.call("HSET", "h", "a", "4");
    node.call("HSET", "h", "c", "5");
    expect(node.call("HGETALL", "h")).toEqual(["c", "5", "b", "3", "a", "4"]);
    expect(node.call("HKEYS", "h")).toEqual(["c", "b", "a"]);
    expect(node.call("HVALS", "h")).toEqual(["5", "3", "4"]);
    expect(node.call("OBJECT", "ENCODING", "h")).toBe("listpack");
  });

  it("becomes a hashtable past hash-max-listpack-entries or -value, and stays one", () => {
    const node = new Node({ config: [["hash-max-listpack-entries", "3"], ["hash-max-listpack-value", "8"]] });
    node.call("HSET", "h", "a", "1", "b", "2", "c", "3");
    expect((node.peek("h") as HashValue).encoding).toBe("listpack");
    node.call("HSET", "h", "d", "4");
    expect((node.peek("h") as HashValue).encoding).toBe("hashtable");
    node.call("HDEL", "h", "a", "b");
    expect((node.peek("h") as HashValue).encoding).toBe("hashtable");
    node.call("HSET", "long", "f", "123456789");
    expect(node.call("OBJECT", "ENCODING", "long")).toBe("hashtable");
    node.call("HSET", "longfield", "123456789", "v");
    expect(node.call("OBJECT", "ENCODING", "longfield")).toBe("hashtable");
    node.call("HSET", "edge", "12345678", "12345678");
    expect(node.call("OBJECT", "ENCODING", "edge")).toBe("listpack");
    node.call("HINCRBYFLOAT", "edge", "x", "0.000001");
    expect(node.call("OBJECT", "ENCODING", "edge")).toBe("listpack");
    node.call("HINCRBYFLOAT", "edge", "x", "1000");
    expect(node.call("OBJECT", "ENCODING", "edge")).toBe("hashtable");
  });
});

describe("HDEL", () => {
  it("removes fields, counts them, and deletes the key with its last field", () => {
    const node = new Node();
    const baseline = node.ledgerBytes;
    node.call("HSET", "h", "a", "1", "b", "2", "c", "3");
    expect(node.call("HDEL", "h", "a", "zz", "a")).toBe(1);
    expect(node.call("HDEL", "missing", "a")).toBe(0);
    expect(node.call("HDEL", "h", "b", "c", "d")).toBe(2);
    expect(node.call("EXISTS", "h")).toBe(0);
    expect(node.ledgerBytes).toBe(baseline);
  });

  it("propagates only when something was removed", () => {
    const node = new Node();
    node.call("HSET", "h", "a", "1");
    node.takePropagated();
    node.call("HDEL", "h", "zz");
    node.call("HDEL", "missing", "zz");
    expect(node.takePropagated()).toEqual([]);
    node.call("HDEL", "h", "a");
    expect(node.takePropagated()).toEqual([["HDEL", "h", "a"]]);
  });
});

describe("HINCRBY", () => {
  it("creates, increments and replies the new value", () => {
    const node = new Node();
    expect(node.call("HINCRBY", "h", "n", 5)).toBe(5);
    expect(node.call("HINCRBY", "h", "n", -7)).toBe(-2);
    expect(node.call("HGET", "h", "n")).toBe("-2");
  });

  it("refuses values and increments that are not 64-bit integers, and overflow", () => {
    const node = new Node();
    node.call("HSET", "h", "s", "abc", "lead", "012", "max", "9223372036854775807", "min", "-9223372036854775808");
    expect(node.call("HINCRBY", "h", "s", 1)).toEqual({ error: "ERR hash value is not an integer" });
    expect(node.call("HINCRBY", "h", "lead", 1)).toEqual({ error: "ERR hash value is not an integer" });
    expect(node.call("HINCRBY", "h", "n", "1.5")).toEqual(NOT_INTEGER);
    expect(node.call("HINCRBY", "h", "n", "9223372036854775808")).toEqual(NOT_INTEGER);
    expect(node.call("HINCRBY", "h", "max", 1)).toEqual({ error: "ERR increment or decrement would overflow" });
    expect(node.call("HINCRBY", "h", "min", -1)).toEqual({ error: "ERR increment or decrement would overflow" });
    expect(node.call("HINCRBY", "h", "max", "-9223372036854775808")).toBe(-1);
    expect(node.call("HINCRBY", "fresh", "n", "-9223372036854775808")).toEqual(-9223372036854775808n);
  });

  it("checks the increment before the key's type", () => {
    const node = new Node();
    node.call("SET", "s", "v");
    expect(node.call("HINCRBY", "s", "n", "x")).toEqual(NOT_INTEGER);
    expect(node.call("HINCRBY", "s", "n", "1")).toEqual(WRONGTYPE);
  });

  it("leaves no key behind when it fails on a missing one", () => {
    const node = new Node();
    const baseline = node.ledgerBytes;
    node.call("HINCRBY", "h", "n", "x");
    node.call("HINCRBYFLOAT", "h", "n", "x");
    node.call("HINCRBYFLOAT", "h", "n", "inf");
    expect(node.call("EXISTS", "h")).toBe(0);
    expect(node.ledgerBytes).toBe(baseline);
  });
});

describe("HINCRBYFLOAT", () => {
  it("adds in long double and prints like Redis", () => {
    const node = new Node();
    expect(node.call("HINCRBYFLOAT", "h", "f", "10.5")).toBe("10.5");
    expect(node.call("HINCRBYFLOAT", "h", "f", "0.1")).toBe("10.6");
    expect(node.call("HINCRBYFLOAT", "h", "g", "0x10")).toBe("16");
    expect(node.call("HINCRBYFLOAT", "h", "big", "1.5e16")).toBe("15000000000000000");
    expect(node.call("HINCRBYFLOAT", "h", "big", "3")).toBe("15000000000000003");
    expect(node.call("HINCRBYFLOAT", "h", "z", "-0.0")).toBe("0");
    expect(node.call("HINCRBYFLOAT", "h", "tiny", "5e-18")).toBe("0");
    expect(node.call("HGET", "h", "f")).toBe("10.6");
  });

  it("propagates an HSET of the resulting text", () => {
    const node = new Node();
    node.call("HSET", "h", "f", "1");
    node.takePropagated();
    node.call("HINCRBYFLOAT", "h", "f", "1.10");
    expect(node.takePropagated()).toEqual([["HSET", "h", "f", "2.1"]]);
  });

  it("refuses bad increments, bad values and results that are not finite", () => {
    const node = new Node();
    node.call("HSET", "h", "s", "abc", "inf", "inf", "huge", "1.18e4932");
    expect(node.call("HINCRBYFLOAT", "h", "f", "abc")).toEqual({ error: "ERR value is not a valid float" });
    expect(node.call("HINCRBYFLOAT", "h", "f", " 1")).toEqual({ error: "ERR value is not a valid float" });
    expect(node.call("HINCRBYFLOAT", "h", "f", "1e-5000")).toEqual({ error: "ERR value is not a valid float" });
    expect(node.call("HINCRBYFLOAT", "h", "f", "inf")).toEqual({ error: "ERR value is NaN or Infinity" });
    expect(node.call("HINCRBYFLOAT", "h", "s", "1")).toEqual({ error: "ERR hash value is not a float" });
    expect(node.call("HINCRBYFLOAT", "h", "inf", "1")).toEqual({ error: "ERR increment would produce NaN or Infinity" });
    expect(node.call("HINCRBYFLOAT", "h", "huge", "1.18e4932")).toEqual({ error: "ERR increment would produce NaN or Infinity" });
    expect(node.takePropagated()).toEqual([["HSET", "h", "s", "abc", "inf", "inf", "huge", "1.18e4932"]]);
  });
});

describe("HRANDFIELD", () => {
  function filled(fields: number, options: ConstructorParameters<typeof Node>[0] = {}): Node {
    const node = new Node(options);
    const args: string[] = [];
    for (let i = 0; i < fields; i++) args.push(`f${i}`, `v${i}`);
    node.call("HSET", "h", ...args);
    return node;
  }

  it("returns one field, or nil for a missing key", () => {
    const node = filled(3);
    expect(["f0", "f1", "f2"]).toContain(node.call("HRANDFIELD", "h"));
    expect(node.raw("HRANDFIELD", "missing")).toBe("$-1\r\n");
    expect(node.raw("HRANDFIELD", "missing", 3)).toBe("*0\r\n");
    expect(node.raw("HRANDFIELD", "h", 0)).toBe("*0\r\n");
  });

  it("returns distinct fields for a positive count and the whole hash in order past its size", () => {
    const node = filled(10);
    for (const count of [2, 3, 4, 9]) {
      const reply = node.call("HRANDFIELD", "h", count) as string[];
      expect(reply).toHaveLength(count);
      expect(new Set(reply).size).toBe(count);
    }
    const all = Array.from({ length: 10 }, (_, i) => `f${i}`);
    expect(node.call("HRANDFIELD", "h", 10)).toEqual(all);
    expect(node.call("HRANDFIELD", "h", 100)).toEqual(all);
  });

  it("keeps listpack order when sampling a few fields of a listpack", () => {
    const node = filled(30);
    for (let round = 0; round < 20; round++) {
      const reply = node.call("HRANDFIELD", "h", 5) as string[];
      const positions = reply.map((field) => Number(field.slice(1)));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it("samples with repetition for a negative count", () => {
    const node = filled(2);
    const reply = node.call("HRANDFIELD", "h", -50) as string[];
    expect(reply).toHaveLength(50);
    expect(new Set(reply)).toEqual(new Set(["f0", "f1"]));
  });

  it("pairs values flat in RESP2 and nested in RESP3", () => {
    const resp2 = filled(2);
    const flat = resp2.call("HRANDFIELD", "h", -3, "WITHVALUES") as string[];
    expect(flat).toHaveLength(6);
    for (let i = 0; i < 6; i += 2) expect(flat[i + 1]).toBe("v" + flat[i]!.slice(1));
    expect(resp2.raw("HRANDFIELD", "h", 2, "withvalues")).toBe("*4\r\n$2\r\nf0\r\n$2\r\nv0\r\n$2\r\nf1\r\n$2\r\nv1\r\n");
    const resp3 = filled(2, { protocol: 3 });
    expect(resp3.raw("HRANDFIELD", "h", 2, "WITHVALUES")).toBe("*2\r\n*2\r\n$2\r\nf0\r\n$2\r\nv0\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n");
    const nested = resp3.call("HRANDFIELD", "h", -4, "WITHVALUES") as string[][];
    expect(nested).toHaveLength(4);
    for (const [field, value] of nested) expect(value).toBe("v" + field!.slice(1));
    expect(resp3.raw("HRANDFIELD", "h", 1, "WITHVALUES")).toMatch(/^\*1\r\n\*2\r\n\$2\r\nf[01]\r\n\$2\r\nv[01]\r\n$/);
  });

  it("checks the count and options before the key", () => {
    const node = new Node();
    node.call("SET", "s", "v");
    expect(node.call("HRANDFIELD", "s", "x")).toEqual(NOT_INTEGER);
    expect(node.call("HRANDFIELD", "missing", 1, "foo")).toEqual(SYNTAX);
    expect(node.call("HRANDFIELD", "missing", 1, "WITHVALUES", "x")).toEqual(SYNTAX);
    expect(node.call("HRANDFIELD", "missing", "4611686018427387904", "WITHVALUES")).toEqual({ error: "ERR value is out of range" });
    expect(node.call("HRANDFIELD", "missing", "-4611686018427387904", "WITHVALUES")).toEqual({ error: "ERR value is out of range" });
    expect(node.call("HRANDFIELD", "missing", "4611686018427387903", "WITHVALUES")).toEqual([]);
    expect(node.call("HRANDFIELD", "missing", "-9223372036854775808")).toEqual([]);
  });

  it("samples a hashtable without repeating fields", () => {
    const node = filled(50, { config: [["hash-max-listpack-entries", "8"]] });
    for (const count of [3, 20, 40, 49]) {
      const reply = node.call("HRANDFIELD", "h", count, "WITHVALUES") as string[];
      expect(reply).toHaveLength(count * 2);
      const fields = reply.filter((_, i) => i % 2 === 0);
      expect(new Set(fields).size).toBe(count);
    }
  });
});

describe("HSCAN", () => {
  it("returns a listpack whole with cursor 0, whatever COUNT says", () => {
    const node = new Node();
    node.call("HSET", "h", "a", "1", "b", "2", "c", "3");
    expect(node.raw("HSCAN", "h", 0, "COUNT", 1)).toBe("*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    expect(node.call("HSCAN", "h", 0, "MATCH", "[ab]")).toEqual(["0", ["a", "1", "b", "2"]]);
    expect(node.call("HSCAN", "h", 0, "MATCH", "*")).toEqual(["0", ["a", "1", "b", "2", "c", "3"]]);
  });

  it("pages through a hashtable and returns every field", () => {
    const node = new Node({ config: [["hash-max-listpack-entries", "16"]] });
    const fields = Array.from({ length: 100 }, (_, i) => `field:${i}`);
    node.call("HSET", "h", ...fields.flatMap((field) => [field, "x"]));
    const seen = new Set<string>();
    let cursor = "0";
    let calls = 0;
    do {
      const [next, items] = node.call("HSCAN", "h", cursor, "COUNT", 7) as [string, string[]];
      expect(items.length).toBeLessThanOrEqual(14);
      for (let i = 0; i < items.length; i += 2) seen.add(items[i]!);
      cursor = next;
      calls++;
    } while (cursor !== "0" && calls < 1000);
    expect([...seen].sort()).toEqual([...fields].sort());
    expect(calls).toBeGreaterThan(10);
  });

  it("validates the cursor first and the options only for an existing hash", () => {
    const node = new Node();
    node.call("HSET", "h", "a", "1");
    expect(node.call("HSCAN", "missing", "x")).toEqual({ error: "ERR invalid cursor" });
    expect(node.raw("HSCAN", "missing", 0, "COUNT", 0)).toBe("*2\r\n$1\r\n0\r\n*0\r\n");
    expect(node.call("HSCAN", "h", "18446744073709551616")).toEqual({ error: "ERR invalid cursor" });
    expect(node.call("HSCAN", "h", 0, "COUNT", 0)).toEqual(SYNTAX);
    expect(node.call("HSCAN", "h", 0, "COUNT", "x")).toEqual(NOT_INTEGER);
    expect(node.call("HSCAN", "h", 0, "MATCH")).toEqual(SYNTAX);
    expect(node.call("HSCAN", "h", 0, "TYPE", "string")).toEqual(SYNTAX);
    expect(node.call("HSCAN", "h", "-1")).toEqual(["0", ["a", "1"]]);
  });
});

describe("memory accounting", () => {
  it("keeps each hash's bytes equal to its contents and the ledger in step", () => {
    const node = new Node();
    const baseline = node.ledgerBytes;
    node.call("HSET", "h", "a", "1", "bb", "22");
    node.call("HSET", "h", "a", "a much longer value than before");
    node.call("HINCRBY", "h", "n", 12345);
    const hash = node.peek("h") as HashValue;
    let expected = MemoryCost.aggregateBytes;
    for (const [field, value] of hash.entries()) {
      expected += MemoryCost.mapEntryBytes + MemoryCost.stringBytes(field) + MemoryCost.stringBytes(value);
    }
    expect(hash.bytes).toBe(expected);
    expect(node.ledgerBytes - baseline).toBe(expected + MemoryCost.keyEntryBytes + MemoryCost.stringBytes("h"));
    node.call("HDEL", "h", "a", "bb", "n");
    expect(node.ledgerBytes).toBe(baseline);
  });

  it("clones into a detached copy with the same contents and encoding", () => {
    const node = new Node({ config: [["hash-max-listpack-entries", "2"]] });
    node.call("HSET", "h", "a", "1", "b", "2", "c", "3");
    const original = node.peek("h") as HashValue;
    const copy = original.clone();
    expect(copy.ledger).toBeUndefined();
    expect(copy.bytes).toBe(original.bytes);
    expect(copy.encoding).toBe("hashtable");
    expect([...copy.entries()]).toEqual([...original.entries()]);
    const before = node.ledgerBytes;
    copy.set("d", "4", { entriesMax: 2, valueBytesMax: 64 });
    expect(node.ledgerBytes).toBe(before);
    expect(original.has("d")).toBe(false);
  });
});

// ------------------------------------------------------------ properties

type HashOp =
  | { kind: "hset"; pairs: [string, string][] }
  | { kind: "hsetnx"; field: string; value: string }
  | { kind: "hdel"; fields: string[] }
  | { kind: "hincrby"; field: string; increment: number }
  | { kind: "hget"; field: string }
  | { kind: "hgetall" }
  | { kind: "hlen" }
  | { kind: "hexists"; field: string }
  | { kind: "hstrlen"; field: string };

const fieldArb = fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h", "1", "22", "");
/** Any one-byte string: keys and values are binary-safe latin1 text. */
const latin1Arb = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }).map((codes) => String.fromCharCode(...codes));
const valueArb = fc.oneof(fc.constantFrom("0", "1", "-5", "x", "", "12"), latin1Arb);
const opArb: fc.Arbitrary<HashOp> = fc.oneof(
  fc.record({ kind: fc.constant("hset" as const), pairs: fc.array(fc.tuple(fieldArb, valueArb), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant("hsetnx" as const), field: fieldArb, value: valueArb }),
  fc.record({ kind: fc.constant("hdel" as const), fields: fc.array(fieldArb, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant("hincrby" as const), field: fieldArb, increment: fc.integer({ min: -1000, max: 1000 }) }),
  fc.record({ kind: fc.constant("hget" as const), field: fieldArb }),
  fc.record({ kind: fc.constant("hgetall" as const) }),
  fc.record({ kind: fc.constant("hlen" as const) }),
  fc.record({ kind: fc.constant("hexists" as const), field: fieldArb }),
  fc.record({ kind: fc.constant("hstrlen" as const), field: fieldArb }),
);

/**
 * The model: a JavaScript Map, whose insertion order (delete then set
 * appends) is exactly a listpack's. Returns the reply Redis would give.
 */
function applyToModel(model: Map<string, string>, op: HashOp): Reply {
  switch (op.kind) {
    case "hset": {
      let created = 0;
      for (const [field, value] of op.pairs) {
        if (!model.has(field)) created++;
        model.set(field, value);
      }
      return created;
    }
    case "hsetnx":
      if (model.has(op.field)) return 0;
      model.set(op.field, op.value);
      return 1;
    case "hdel": {
      let deleted = 0;
      for (const field of op.fields) if (model.delete(field)) deleted++;
      return deleted;
    }
    case "hincrby": {
      const current = model.get(op.field) ?? "0";
      if (!/^(0|-?[1-9][0-9]*)$/.test(current)) return { error: "ERR hash value is not an integer" };
      const result = Number(current) + op.increment;
      model.set(op.field, String(result));
      return result;
    }
    case "hget":
      return model.get(op.field) ?? null;
    case "hgetall":
      return [...model].flat();
    case "hlen":
      return model.size;
    case "hexists":
      return model.has(op.field) ? 1 : 0;
    case "hstrlen":
      return model.get(op.field)?.length ?? 0;
  }
}

function commandOf(op: HashOp): string[] {
  switch (op.kind) {
    case "hset":
      return ["HSET", "h", ...op.pairs.flat()];
    case "hsetnx":
      return ["HSETNX", "h", op.field, op.value];
    case "hdel":
      return ["HDEL", "h", ...op.fields];
    case "hincrby":
      return ["HINCRBY", "h", op.field, String(op.increment)];
    case "hget":
      return ["HGET", "h", op.field];
    case "hgetall":
      return ["HGETALL", "h"];
    case "hlen":
      return ["HLEN", "h"];
    case "hexists":
      return ["HEXISTS", "h", op.field];
    case "hstrlen":
      return ["HSTRLEN", "h", op.field];
  }
}

describe("properties against a Map model", () => {
  it("matches the model reply for reply, in listpack order, and gives all memory back", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const node = new Node();
        const baseline = node.ledgerBytes;
        const model = new Map<string, string>();
        for (const op of ops) {
          const command = commandOf(op);
          expect(node.call(...command), command.join(" ")).toEqual(applyToModel(model, op));
          expect(node.call("EXISTS", "h")).toBe(model.size > 0 ? 1 : 0);
        }
        node.call("DEL", "h");
        expect(node.ledgerBytes).toBe(baseline);
      }),
      { numRuns: 200 },
    );
  });

  it("holds the same fields as the model once it is a hashtable, and HSCAN sees them all", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const node = new Node({ config: [["hash-max-listpack-entries", "3"]] });
        const baseline = node.ledgerBytes;
        const model = new Map<string, string>();
        for (const op of ops) {
          if (op.kind === "hgetall") continue;
          expect(node.call(...commandOf(op))).toEqual(applyToModel(model, op));
        }
        expect(sortedStrings(node.call("HKEYS", "h"))).toEqual([...model.keys()].sort());
        const scanned = new Map<string, string>();
        let cursor = "0";
        do {
          const [next, items] = node.call("HSCAN", "h", cursor, "COUNT", 2) as [string, string[]];
          for (let i = 0; i < items.length; i += 2) scanned.set(items[i]!, items[i + 1]!);
          cursor = next;
        } while (cursor !== "0");
        expect(new Map([...scanned].sort())).toEqual(new Map([...model].sort()));
        for (const field of [...model.keys()]) node.call("HDEL", "h", field);
        expect(node.ledgerBytes).toBe(baseline);
      }),
      { numRuns: 200 },
    );
  });
});

describe("HashValue", () => {
  it("reports each mutation to its ledger once it is stored", () => {
    const node = new Node();
    const changesBefore = node.engine.ledger.changes;
    node.call("HSET", "h", "a", "1");
    node.call("HSET", "h", "a", "1");
    expect(node.engine.ledger.changes).toBeGreaterThan(changesBefore + 1);
    expect(node.takePropagated()).toEqual([
      ["HSET", "h", "a", "1"],
      ["HSET", "h", "a", "1"],
    ]);
  });
});
