import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addLongDouble, formatLongDouble, parseLongDouble, type LongDouble } from "../src/util/long-double.js";
import { FakeList, TestNode } from "./strings-keys-harness.js";

const WRONGTYPE = { error: "WRONGTYPE Operation against a key holding the wrong kind of value" };
const SYNTAX = { error: "ERR syntax error" };
const NOT_INTEGER = { error: "ERR value is not an integer or out of range" };
const NOT_FLOAT = { error: "ERR value is not a valid float" };

function nodeWithList(key = "list"): TestNode {
  const node = new TestNode();
  node.engine.dbs[0]!.set(key, new FakeList());
  return node;
}

describe("GET and SET", () => {
  it("stores and returns binary-safe values", () => {
    const node = new TestNode();
    expect(node.raw("GET", "k")).toBe("$-1\r\n");
    expect(node.raw("SET", "k", "a\0b\r\n\xff")).toBe("+OK\r\n");
    expect(node.raw("GET", "k")).toBe("$6\r\na\0b\r\n\xff\r\n");
    expect(node.raw("SET", "k", "")).toBe("+OK\r\n");
    expect(node.raw("GET", "k")).toBe("$0\r\n\r\n");
  });

  it("answers WRONGTYPE for GET of an aggregate, while SET replaces it", () => {
    const node = nodeWithList("k");
    expect(node.call("GET", "k")).toEqual(WRONGTYPE);
    expect(node.call("SET", "k", "v")).toBe("OK");
    expect(node.call("GET", "k")).toBe("v");
  });

  it("checks arity before anything else", () => {
    const node = new TestNode();
    expect(node.call("SET", "k")).toEqual({ error: "ERR wrong number of arguments for 'set' command" });
    expect(node.call("GET")).toEqual({ error: "ERR wrong number of arguments for 'get' command" });
  });

  it("honours NX and XX, with a nil reply when nothing is set", () => {
    const node = new TestNode();
    expect(node.call("SET", "k", "1", "XX")).toBeNull();
    expect(node.call("SET", "k", "1", "nx")).toBe("OK");
    expect(node.call("SET", "k", "2", "NX")).toBeNull();
    expect(node.call("SET", "k", "3", "xx")).toBe("OK");
    expect(node.call("GET", "k")).toBe("3");
    expect(node.call("SET", "k", "4", "NX", "XX")).toEqual(SYNTAX);
    expect(node.call("SET", "k", "4", "XX", "NX")).toEqual(SYNTAX);
  });

  it("returns the old value with GET, also together with NX (Redis 7)", () => {
    const node = new TestNode();
    expect(node.call("SET", "k", "1", "GET")).toBeNull();
    expect(node.call("SET", "k", "2", "GET")).toBe("1");
    expect(node.call("SET", "k", "3", "NX", "GET")).toBe("2");
    expect(node.call("GET", "k")).toBe("2");
    expect(node.call("SET", "other", "3", "XX", "GET")).toBeNull();
    expect(node.call("EXISTS", "other")).toBe(0);
  });

  it("stops SET GET with WRONGTYPE before writing", () => {
    const node = nodeWithList("k");
    expect(node.call("SET", "k", "v", "GET")).toEqual(WRONGTYPE);
    expect(node.call("TYPE", "k")).toBe("list");
  });

  it("sets relative and absolute expiries", () => {
    const node = new TestNode();
    const now = node.nowMs;
    node.call("SET", "ex", "v", "EX", "10");
    node.call("SET", "px", "v", "PX", "1500");
    node.call("SET", "exat", "v", "EXAT", String(Math.floor(now / 1000) + 100));
    node.call("SET", "pxat", "v", "PXAT", String(now + 2500));
    expect(node.call("PTTL", "ex")).toBe(10_000);
    expect(node.call("PTTL", "px")).toBe(1500);
    expect(node.call("PEXPIRETIME", "exat")).toBe((Math.floor(now / 1000) + 100) * 1000);
    expect(node.call("PTTL", "pxat")).toBe(2500);
  });

  it("keeps the TTL only with KEEPTTL", () => {
    const node = new TestNode();
    node.call("SET", "k", "v", "EX", "100");
    node.call("SET", "k", "w", "KEEPTTL");
    expect(node.call("TTL", "k")).toBe(100);
    node.call("SET", "k", "x");
    expect(node.call("TTL", "k")).toBe(-1);
  });

  it("refuses conflicting or incomplete expiry options", () => {
    const node = new TestNode();
    for (const options of [
      ["EX", "10", "PX", "10"],
      ["PX", "10", "EXAT", "10"],
      ["EXAT", "10", "PXAT", "10"],
      ["KEEPTTL", "EX", "10"],
      ["EX", "10", "KEEPTTL"],
      ["EX"],
      ["PERSIST"],
      ["FOO"],
      ["NX", "EX"],
    ]) {
      expect(node.call("SET", "k", "v", ...options), options.join(" ")).toEqual(SYNTAX);
    }
    // Repeating a compatible option is allowed; the last value wins.
    expect(node.call("SET", "k", "v", "EX", "10", "EX", "20")).toBe("OK");
    expect(node.call("TTL", "k")).toBe(20);
    expect(node.call("SET", "k", "v", "KEEPTTL", "KEEPTTL", "NX", "NX")).toBeNull();
  });

  it("validates the expire time", () => {
    const node = new TestNode();
    const invalid = { error: "ERR invalid expire time in 'set' command" };
    expect(node.call("SET", "k", "v", "EX", "0")).toEqual(invalid);
    expect(node.call("SET", "k", "v", "PX", "-1")).toEqual(invalid);
    expect(node.call("SET", "k", "v", "EX", "9223372036854776")).toEqual(invalid);
    expect(node.call("SET", "k", "v", "PX", "9223372036854775807")).toEqual(invalid);
    expect(node.call("SET", "k", "v", "EX", "1.5")).toEqual(NOT_INTEGER);
    expect(node.call("SET", "k", "v", "EX", "99999999999999999999")).toEqual(NOT_INTEGER);
    expect(node.call("EXISTS", "k")).toBe(0);
    // An absolute time in the past stores a key that is already gone.
    expect(node.call("SET", "k", "v", "PXAT", "1")).toBe("OK");
    expect(node.call("GET", "k")).toBeNull();
  });

  it("expires lazily on access and counts the expiry", () => {
    const node = new TestNode();
    node.call("SET", "k", "v", "PX", "100");
    node.advance(100);
    // A key lives through its expiry millisecond, as in Redis.
    expect(node.call("PTTL", "k")).toBe(0);
    expect(node.call("GET", "k")).toBe("v");
    node.advance(1);
    expect(node.call("GET", "k")).toBeNull();
    expect(node.engine.stats.expiredKeys).toBe(1);
  });

  it("expires actively from the periodic tick", () => {
    const node = new TestNode();
    for (let i = 0; i < 50; i++) node.call("SET", `k${i}`, "v", "PX", String(10 + i));
    node.call("SET", "forever", "v");
    node.advance(1000);
    for (let i = 0; i < 20; i++) node.engine.tick();
    expect(node.engine.dbs[0]!.size).toBe(1);
    expect(node.engine.stats.expiredKeys).toBe(50);
    expect(node.takePropagated().filter((c) => c[0] === "DEL")).toHaveLength(50);
  });
});

describe("propagation of the SET family", () => {
  it("rewrites relative expiries as SET ... PXAT and drops GET", () => {
    const node = new TestNode();
    const now = node.nowMs;
    node.call("SET", "a", "1");
    node.call("SET", "a", "1", "EX", "100");
    node.call("SET", "a", "2", "px", "5000", "GET");
    node.call("SET", "a", "3", "GET");
    node.call("SET", "a", "4", "GeT", "xx", "get");
    node.call("SET", "a", "5", "KEEPTTL");
    node.call("SETEX", "b", "100", "x");
    node.call("PSETEX", "b", "2000", "y");
    node.call("SETNX", "c", "1");
    expect(node.takePropagated()).toEqual([
      ["SET", "a", "1"],
      ["SET", "a", "1", "PXAT", String(now + 100_000)],
      ["SET", "a", "2", "PXAT", String(now + 5000)],
      ["SET", "a", "3"],
      ["SET", "a", "4", "xx"],
      ["SET", "a", "5", "KEEPTTL"],
      ["SET", "b", "x", "PXAT", String(now + 100_000)],
      ["SET", "b", "y", "PXAT", String(now + 2000)],
      ["SETNX", "c", "1"],
    ]);
  });

  it("propagates nothing when NX, XX or SETNX write nothing", () => {
    const node = new TestNode();
    node.call("SET", "a", "1");
    node.takePropagated();
    node.call("SET", "a", "2", "NX", "EX", "10");
    node.call("SET", "b", "2", "XX", "GET");
    node.call("SETNX", "a", "3");
    node.call("MSETNX", "a", "1", "z", "2");
    expect(node.takePropagated()).toEqual([]);
  });

  it("rewrites GETSET, GETDEL, GETEX and INCRBYFLOAT", () => {
    const node = new TestNode();
    const now = node.nowMs;
    node.call("SET", "a", "1");
    node.takePropagated();
    node.call("GETSET", "a", "2");
    node.call("GETEX", "a", "EX", "100");
    node.call("GETEX", "a", "PX", "100");
    node.call("GETEX", "a", "PXAT", String(now + 777));
    node.call("GETEX", "a", "PERSIST");
    node.call("GETEX", "a", "PERSIST");
    node.call("GETEX", "a");
    node.call("GETEX", "a", "EXAT", "1");
    node.call("SET", "a", "1", "EX", "100");
    node.call("INCRBYFLOAT", "a", "0.5");
    node.call("GETDEL", "a");
    node.call("GETDEL", "a");
    expect(node.takePropagated()).toEqual([
      ["SET", "a", "2"],
      ["PEXPIREAT", "a", String(now + 100_000)],
      ["PEXPIREAT", "a", String(now + 100)],
      ["PEXPIREAT", "a", String(now + 777)],
      ["PERSIST", "a"],
      ["DEL", "a"],
      ["SET", "a", "1", "PXAT", String(now + 100_000)],
      ["SET", "a", "1.5", "KEEPTTL"],
      ["DEL", "a"],
    ]);
  });
});

describe("SETNX, SETEX, PSETEX, GETSET, GETDEL", () => {
  it("SETNX replies 1 or 0", () => {
    const node = new TestNode();
    expect(node.call("SETNX", "k", "1")).toBe(1);
    expect(node.call("SETNX", "k", "2")).toBe(0);
    expect(node.call("GET", "k")).toBe("1");
  });

  it("SETEX and PSETEX validate their time", () => {
    const node = new TestNode();
    expect(node.call("SETEX", "k", "0", "v")).toEqual({ error: "ERR invalid expire time in 'setex' command" });
    expect(node.call("PSETEX", "k", "-5", "v")).toEqual({ error: "ERR invalid expire time in 'psetex' command" });
    expect(node.call("SETEX", "k", "x", "v")).toEqual(NOT_INTEGER);
    expect(node.call("SETEX", "k", "10", "v")).toBe("OK");
    expect(node.call("TTL", "k")).toBe(10);
    expect(node.call("PSETEX", "k", "1500", "w")).toBe("OK");
    expect(node.call("PTTL", "k")).toBe(1500);
    expect(node.call("GET", "k")).toBe("w");
  });

  it("GETSET returns the old value and drops the TTL", () => {
    const node = new TestNode();
    expect(node.call("GETSET", "k", "1")).toBeNull();
    node.call("EXPIRE", "k", "100");
    expect(node.call("GETSET", "k", "2")).toBe("1");
    expect(node.call("TTL", "k")).toBe(-1);
    const list = nodeWithList("k");
    expect(list.call("GETSET", "k", "2")).toEqual(WRONGTYPE);
  });

  it("GETDEL returns and deletes", () => {
    const node = new TestNode();
    node.call("SET", "k", "v");
    expect(node.call("GETDEL", "k")).toBe("v");
    expect(node.call("GETDEL", "k")).toBeNull();
    expect(nodeWithList("k").call("GETDEL", "k")).toEqual(WRONGTYPE);
  });
});

describe("GETEX", () => {
  it("changes or removes the TTL and replies the value", () => {
    const node = new TestNode();
    node.call("SET", "k", "v");
    expect(node.call("GETEX", "k", "EX", "100")).toBe("v");
    expect(node.call("TTL", "k")).toBe(100);
    expect(node.call("GETEX", "k", "PERSIST")).toBe("v");
    expect(node.call("TTL", "k")).toBe(-1);
    expect(node.call("GETEX", "k", "PXAT", String(node.nowMs - 1))).toBe("v");
    expect(node.call("EXISTS", "k")).toBe(0);
  });

  it("refuses SET-only options and conflicting ones", () => {
    const node = new TestNode();
    node.call("SET", "k", "v");
    for (const options of [["NX"], ["XX"], ["GET"], ["KEEPTTL"], ["EX", "1", "PERSIST"], ["PERSIST", "EX", "1"], ["EX"], ["EX", "1", "PX", "1"]]) {
      expect(node.call("GETEX", "k", ...options), options.join(" ")).toEqual(SYNTAX);
    }
  });

  it("validates the time only for an existing string", () => {
    const node = new TestNode();
    expect(node.call("GETEX", "missing", "EX", "abc")).toBeNull();
    node.call("SET", "k", "v");
    expect(node.call("GETEX", "k", "EX", "abc")).toEqual(NOT_INTEGER);
    expect(node.call("GETEX", "k", "EX", "0")).toEqual({ error: "ERR invalid expire time in 'getex' command" });
    expect(nodeWithList("k").call("GETEX", "k", "EX", "abc")).toEqual(WRONGTYPE);
  });
});

describe("MGET, MSET, MSETNX", () => {
  it("MGET replies nil for missing keys and other types", () => {
    const node = nodeWithList("list");
    node.call("SET", "a", "1");
    expect(node.call("MGET", "a", "missing", "list", "a")).toEqual(["1", null, null, "1"]);
  });

  it("MSET needs pairs and drops TTLs", () => {
    const node = new TestNode();
    expect(node.call("MSET", "a", "1", "b")).toEqual({ error: "ERR wrong number of arguments for 'mset' command" });
    node.call("SET", "a", "0", "EX", "100");
    expect(node.call("MSET", "a", "1", "b", "2", "a", "3")).toBe("OK");
    expect(node.call("MGET", "a", "b")).toEqual(["3", "2"]);
    expect(node.call("TTL", "a")).toBe(-1);
  });

  it("MSETNX sets all or nothing", () => {
    const node = new TestNode();
    expect(node.call("MSETNX", "a", "1", "b")).toEqual({ error: "ERR wrong number of arguments for 'msetnx' command" });
    expect(node.call("MSETNX", "a", "1", "a", "2")).toBe(1);
    expect(node.call("GET", "a")).toBe("2");
    expect(node.call("MSETNX", "b", "1", "a", "9")).toBe(0);
    expect(node.call("EXISTS", "b")).toBe(0);
  });
});

describe("APPEND, STRLEN, SETRANGE, GETRANGE", () => {
  it("APPEND creates, extends and keeps the TTL", () => {
    const node = new TestNode();
    expect(node.call("APPEND", "k", "")).toBe(0);
    expect(node.call("EXISTS", "k")).toBe(1);
    expect(node.call("APPEND", "k", "abc")).toBe(3);
    node.call("EXPIRE", "k", "100");
    expect(node.call("APPEND", "k", "de")).toBe(5);
    expect(node.call("GET", "k")).toBe("abcde");
    expect(node.call("TTL", "k")).toBe(100);
    expect(nodeWithList("k").call("APPEND", "k", "x")).toEqual(WRONGTYPE);
  });

  it("APPEND and SETRANGE refuse strings past proto-max-bulk-len", () => {
    const node = new TestNode([["proto-max-bulk-len", "1mb"]]);
    const tooLong = { error: "ERR string exceeds maximum allowed size (proto-max-bulk-len)" };
    node.call("SETRANGE", "k", String(1024 * 1024 - 1), "x");
    expect(node.call("STRLEN", "k")).toBe(1024 * 1024);
    expect(node.call("APPEND", "k", "y")).toEqual(tooLong);
    expect(node.call("SETRANGE", "k", String(1024 * 1024), "x")).toEqual(tooLong);
    expect(node.call("SETRANGE", "k", "9223372036854775807", "x")).toEqual(tooLong);
  });

  it("STRLEN counts bytes", () => {
    const node = new TestNode();
    expect(node.call("STRLEN", "k")).toBe(0);
    node.call("SET", "k", "\xff\x00ab");
    expect(node.call("STRLEN", "k")).toBe(4);
    expect(nodeWithList("k").call("STRLEN", "k")).toEqual(WRONGTYPE);
  });

  it("SETRANGE pads with zero bytes and overwrites in place", () => {
    const node = new TestNode();
    expect(node.call("SETRANGE", "k", "3", "")).toBe(0);
    expect(node.call("EXISTS", "k")).toBe(0);
    expect(node.call("SETRANGE", "k", "3", "ab")).toBe(5);
    expect(node.call("GET", "k")).toBe("\0\0\0ab");
    expect(node.call("SETRANGE", "k", "1", "XYZW")).toBe(5);
    expect(node.call("GET", "k")).toBe("\0XYZW");
    expect(node.call("SETRANGE", "k", "0", "")).toBe(5);
    expect(node.call("SETRANGE", "k", "-1", "x")).toEqual({ error: "ERR offset is out of range" });
    expect(node.call("SETRANGE", "k", "x", "x")).toEqual(NOT_INTEGER);
    const list = nodeWithList("k");
    expect(list.call("SETRANGE", "k", "0", "")).toEqual(WRONGTYPE);
    expect(list.call("SETRANGE", "k", "-1", "x")).toEqual({ error: "ERR offset is out of range" });
  });

  it("GETRANGE and SUBSTR clamp indexes like Redis", () => {
    const node = new TestNode();
    node.call("SET", "k", "Hello World");
    const cases: [string, string, string][] = [
      ["0", "4", "Hello"],
      ["-5", "-1", "World"],
      ["-1", "-5", ""],
      ["5", "3", ""],
      ["0", "-100", "H"],
      ["-100", "2", "Hel"],
      ["6", "9223372036854775807", "World"],
      ["-9223372036854775808", "-9223372036854775807", "H"],
      ["-9223372036854775807", "-9223372036854775808", ""],
      ["20", "30", ""],
    ];
    for (const [start, end, expected] of cases) {
      expect(node.call("GETRANGE", "k", start, end), `${start} ${end}`).toBe(expected);
      expect(node.call("SUBSTR", "k", start, end), `${start} ${end}`).toBe(expected);
    }
    expect(node.call("GETRANGE", "missing", "0", "-1")).toBe("");
    expect(node.call("GETRANGE", "k", "a", "1")).toEqual(NOT_INTEGER);
    node.call("SET", "empty", "");
    expect(node.call("GETRANGE", "empty", "0", "-1")).toBe("");
    expect(nodeWithList("k").call("GETRANGE", "k", "0", "1")).toEqual(WRONGTYPE);
  });
});

describe("INCR, DECR, INCRBY, DECRBY", () => {
  it("counts from zero and keeps the TTL", () => {
    const node = new TestNode();
    expect(node.call("INCR", "n")).toBe(1);
    expect(node.call("INCRBY", "n", "41")).toBe(42);
    expect(node.call("DECR", "n")).toBe(41);
    expect(node.call("DECRBY", "n", "-9")).toBe(50);
    node.call("EXPIRE", "n", "100");
    node.call("INCR", "n");
    expect(node.call("TTL", "n")).toBe(100);
    expect(node.call("GET", "n")).toBe("51");
  });

  it("works across the whole 64-bit range and refuses overflow", () => {
    const node = new TestNode();
    node.call("SET", "n", "9223372036854775806");
    expect(node.call("INCR", "n")).toBe(9223372036854775807n);
    expect(node.call("INCR", "n")).toEqual({ error: "ERR increment or decrement would overflow" });
    node.call("SET", "n", "-9223372036854775807");
    expect(node.call("DECR", "n")).toBe(-9223372036854775808n);
    expect(node.call("DECR", "n")).toEqual({ error: "ERR increment or decrement would overflow" });
    expect(node.call("INCRBY", "n", "9223372036854775807")).toBe(-1);
    expect(node.call("DECRBY", "n", "-9223372036854775808")).toEqual({ error: "ERR decrement would overflow" });
    node.call("SET", "m", "9007199254740991");
    expect(node.call("INCRBY", "m", "9007199254740991")).toBe(18014398509481982n);
  });

  it("refuses values and increments that are not integers", () => {
    const node = new TestNode();
    for (const bad of ["", " 1", "1 ", "01", "-0", "+1", "1.0", "9223372036854775808", "abc"]) {
      node.call("SET", "n", bad);
      expect(node.call("INCR", "n"), JSON.stringify(bad)).toEqual(NOT_INTEGER);
    }
    expect(node.call("INCRBY", "x", "1.5")).toEqual(NOT_INTEGER);
    expect(nodeWithList("n").call("INCR", "n")).toEqual(WRONGTYPE);
  });
});

describe("INCRBYFLOAT", () => {
  it("prints like Redis's %.17Lf of a long double", () => {
    const node = new TestNode();
    node.call("SET", "f", "10.5");
    expect(node.call("INCRBYFLOAT", "f", "0.1")).toBe("10.6");
    expect(node.call("INCRBYFLOAT", "f", "-5")).toBe("5.6");
    expect(node.call("INCRBYFLOAT", "g", "5.0e3")).toBe("5000");
    expect(node.call("INCRBYFLOAT", "g", "0x10")).toBe("5016");
    expect(node.call("INCRBYFLOAT", "h", "-0.000000000000000001")).toBe("0");
    expect(node.call("INCRBYFLOAT", "i", "1e20")).toBe("100000000000000000000");
    expect(node.call("INCRBYFLOAT", "j", "3.0e-4951")).toBe("0");
  });

  it("refuses what strtold would not parse whole, NaN and infinities", () => {
    const node = new TestNode();
    for (const bad of ["", " 1", "1 ", "abc", "nan", "1e", "0x", "1e-5000", "1e5000", "1\x00"]) {
      expect(node.call("INCRBYFLOAT", "f", bad), JSON.stringify(bad)).toEqual(NOT_FLOAT);
    }
    const nanOrInfinity = { error: "ERR increment would produce NaN or Infinity" };
    expect(node.call("INCRBYFLOAT", "f", "inf")).toEqual(nanOrInfinity);
    node.call("SET", "f", "1.18e4932");
    expect(node.call("INCRBYFLOAT", "f", "1.18e4932")).toEqual(nanOrInfinity);
    node.call("SET", "f", "x");
    expect(node.call("INCRBYFLOAT", "f", "1")).toEqual(NOT_FLOAT);
    expect(nodeWithList("f").call("INCRBYFLOAT", "f", "1")).toEqual(WRONGTYPE);
  });

  it("keeps the TTL", () => {
    const node = new TestNode();
    node.call("SET", "f", "1", "EX", "100");
    node.call("INCRBYFLOAT", "f", "1.25");
    expect(node.call("TTL", "f")).toBe(100);
  });
});

describe("long double emulation", () => {
  const parse = (text: string): LongDouble => parseLongDouble(text) as LongDouble;

  it("adds exactly representable numbers exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -1e9, max: 1e9 }), (a, b) => {
        expect(formatLongDouble(addLongDouble(parse(String(a)), parse(String(b)))!)).toBe(String(a + b));
      }),
    );
  });

  it("round-trips short decimals below 64 through the 64-bit mantissa", () => {
    // The representation error of x is below |x|·2^-64, under half of the
    // last of 17 decimals while |x| < 64, so %.17Lf gives back what was
    // typed. (Redis prints 256.00001 as 256.00001000000000001.)
    expect(formatLongDouble(parse("256.00001"))).toBe("256.00001000000000001");
    fc.assert(
      fc.property(fc.integer({ min: -63, max: 63 }), fc.integer({ min: 1, max: 99_999 }), (whole, fraction) => {
        const text = `${whole < 0 ? "-" : ""}${Math.abs(whole)}.${String(fraction).padStart(5, "0")}`.replace(/0+$/, "");
        expect(formatLongDouble(parse(text))).toBe(text === "-0" ? "0" : text);
      }),
    );
  });

  it("rounds ties to even when parsing", () => {
    // 2^64 + 1 lies halfway between two 64-bit mantissas; even wins.
    expect(parse("18446744073709551617")).toEqual({ negative: false, mantissa: 9223372036854775808n, exponent: 1 });
    expect(parse("18446744073709551619")).toEqual({ negative: false, mantissa: 9223372036854775810n, exponent: 1 });
  });
});

describe("string property: commands agree with a Map model", () => {
  type Op =
    | { kind: "set"; key: string; value: string; ttlMs?: number }
    | { kind: "get" | "del" | "incr" | "getdel" | "strlen"; key: string }
    | { kind: "append"; key: string; value: string }
    | { kind: "setrange"; key: string; offset: number; value: string }
    | { kind: "advance"; ms: number };

  const key = fc.constantFrom("a", "b", "c");
  const value = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -50, max: 50 }).map(String));
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("set" as const), key, value, ttlMs: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }) }),
    fc.record({ kind: fc.constantFrom("get" as const, "del" as const, "incr" as const, "getdel" as const, "strlen" as const), key }),
    fc.record({ kind: fc.constant("append" as const), key, value }),
    fc.record({ kind: fc.constant("setrange" as const), key, offset: fc.integer({ min: 0, max: 6 }), value }),
    fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 200 }) }),
  );

  it("holds for random sequences with expiry", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const node = new TestNode();
        const model = new Map<string, { value: string; expireAtMs?: number }>();
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
          const entry = live(o.key);
          switch (o.kind) {
            case "set":
              if (o.ttlMs === undefined) node.call("SET", o.key, o.value);
              else node.call("SET", o.key, o.value, "PX", o.ttlMs);
              model.set(o.key, { value: o.value, expireAtMs: o.ttlMs === undefined ? undefined : node.nowMs + o.ttlMs });
              break;
            case "get":
              expect(node.call("GET", o.key)).toBe(entry?.value ?? null);
              break;
            case "strlen":
              expect(node.call("STRLEN", o.key)).toBe(entry?.value.length ?? 0);
              break;
            case "del":
              expect(node.call("DEL", o.key)).toBe(entry ? 1 : 0);
              model.delete(o.key);
              break;
            case "getdel":
              expect(node.call("GETDEL", o.key)).toBe(entry?.value ?? null);
              model.delete(o.key);
              break;
            case "incr": {
              const current = entry?.value ?? "0";
              const ok = /^(0|-?[1-9][0-9]*)$/.test(current);
              const reply = node.call("INCR", o.key);
              if (!ok) {
                expect(reply).toEqual(NOT_INTEGER);
              } else {
                expect(reply).toBe(Number(current) + 1);
                model.set(o.key, { value: String(Number(current) + 1), expireAtMs: entry?.expireAtMs });
              }
              break;
            }
            case "append": {
              const next = (entry?.value ?? "") + o.value;
              expect(node.call("APPEND", o.key, o.value)).toBe(next.length);
              model.set(o.key, { value: next, expireAtMs: entry?.expireAtMs });
              break;
            }
            case "setrange": {
              const reply = node.call("SETRANGE", o.key, o.offset, o.value);
              if (o.value === "") {
                expect(reply).toBe(entry?.value.length ?? 0);
                break;
              }
              const base = (entry?.value ?? "").padEnd(o.offset, "\0");
              const next = base.slice(0, o.offset) + o.value + base.slice(o.offset + o.value.length);
              expect(reply).toBe(next.length);
              model.set(o.key, { value: next, expireAtMs: entry?.expireAtMs });
              break;
            }
          }
        }
        for (const k of ["a", "b", "c"]) expect(node.call("GET", k)).toBe(live(k)?.value ?? null);
      }),
      { numRuns: 300 },
    );
  });
});
