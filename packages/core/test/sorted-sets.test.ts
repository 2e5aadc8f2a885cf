import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { Constants } from "../src/constants.js";
import { requireLexRange, requireScoreRange } from "../src/commands/sorted-set-args.js";
import { SORTED_SET_COMMANDS } from "../src/commands/sorted-sets.js";
import { keyPositions } from "../src/commands/spec.js";
import type { Client } from "../src/engine/client.js";
import { Engine } from "../src/engine/engine.js";
import { Ledger } from "../src/keyspace/ledger.js";
import { SortedSetValue, ZaddFlag, entryBytes, type ListpackLimits } from "../src/keyspace/types/zset.js";
import { Random } from "../src/random.js";

// ---------------------------------------------------------------- harness

/** A decoded reply; RESP3 doubles are tagged so a test can tell them from bulk strings. */
type Reply = string | number | null | boolean | { error: string } | { double: string } | Reply[];

function encode(args: readonly string[]): Buffer {
  let request = `*${args.length}\r\n`;
  for (const arg of args) request += `$${arg.length}\r\n${arg}\r\n`;
  return Buffer.from(request, "latin1");
}

function decode(text: string, start: number): [Reply, number] {
  const lineEnd = text.indexOf("\r\n", start);
  if (lineEnd < 0) throw new Error(`incomplete reply: ${JSON.stringify(text.slice(start))}`);
  const line = text.slice(start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (text[start]) {
    case "+":
      return [line, next];
    case "-":
      return [{ error: line }, next];
    case ":":
      return [Number(line), next];
    case "_":
      return [null, next];
    case ",":
      return [{ double: line }, next];
    case "#":
      return [line === "t", next];
    case "$": {
      const length = Number(line);
      if (length < 0) return [null, next];
      return [text.slice(next, next + length), next + length + 2];
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return [null, next];
      const items: Reply[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const [item, end] = decode(text, at);
        items.push(item);
        at = end;
      }
      return [items, at];
    }
    default:
      throw new Error(`unexpected reply type in ${JSON.stringify(text.slice(start))}`);
  }
}

/** One connection to a TestNode. */
class Connection {
  constructor(
    private readonly engine: Engine,
    readonly client: Client,
  ) {}

  /** Sends one command; returns whatever reply bytes are pending (empty while blocked). */
  raw(...args: (string | number)[]): string {
    this.engine.receive(this.client, encode(args.map(String)));
    return this.client.writer.take();
  }

  call(...args: (string | number)[]): Reply {
    return decodeOne(this.raw(...args));
  }

  /** Replies that arrived without a command of ours (a blocked command being served). */
  take(): string {
    return this.client.writer.take();
  }
}

function decodeOne(text: string): Reply {
  const [reply, end] = decode(text, 0);
  if (end !== text.length) throw new Error(`expected one reply in ${JSON.stringify(text)}`);
  return reply;
}

/** An engine with a manual clock and a seeded random source, recording what it propagates. */
class TestNode {
  readonly clock = new ManualClock(1_700_000_000_000);
  readonly engine: Engine;
  readonly propagated: string[][] = [];
  readonly main: Connection;

  constructor(config: [string, string][] = [], protocol: 2 | 3 = 2) {
    this.engine = new Engine({ clock: this.clock, random: new Random(7), config });
    this.engine.onPropagate((_db, commands) => this.propagated.push(...commands.map((command) => [...command])));
    this.main = this.connect(protocol);
  }

  connect(protocol: 2 | 3 = 2): Connection {
    const client = this.engine.connect({ address: "127.0.0.1:1", localAddress: "127.0.0.1:2" });
    client.writer.protocol = protocol;
    return new Connection(this.engine, client);
  }

  raw(...args: (string | number)[]): string {
    return this.main.raw(...args);
  }

  call(...args: (string | number)[]): Reply {
    return this.main.call(...args);
  }

  zset(key: string): SortedSetValue | undefined {
    return this.engine.dbs[0]!.peek(key) as SortedSetValue | undefined;
  }

  exists(key: string): boolean {
    return this.engine.dbs[0]!.peek(key) !== undefined;
  }

  takePropagated(): string[][] {
    return this.propagated.splice(0);
  }

  /** Moves time on and lets the engine time out blocked clients. */
  advance(ms: number): void {
    this.clock.advance(ms);
    this.engine.wake();
  }
}

const WRONGTYPE = { error: "WRONGTYPE Operation against a key holding the wrong kind of value" };
const SYNTAX = { error: "ERR syntax error" };
const NOT_FLOAT = { error: "ERR value is not a valid float" };
const NOT_INTEGER = { error: "ERR value is not an integer or out of range" };
const MIN_MAX_NOT_FLOAT = { error: "ERR min or max is not a float" };
const MIN_MAX_NOT_STRING = { error: "ERR min or max not valid string range item" };

function bulks(...values: string[]): string {
  return `*${values.length}\r\n` + values.map((value) => `$${value.length}\r\n${value}\r\n`).join("");
}

// ---------------------------------------------------------------- ZADD / ZINCRBY

describe("ZADD", () => {
  it("adds members, updates scores and counts what CH asks for", () => {
    const node = new TestNode();
    expect(node.call("ZADD", "z", 1, "a", 2, "b")).toBe(2);
    expect(node.call("ZADD", "z", 3, "a", 4, "c")).toBe(1);
    expect(node.call("ZADD", "z", "CH", 5, "a", 4, "c", 6, "d")).toBe(2);
    expect(node.call("ZRANGE", "z", 0, -1, "WITHSCORES")).toEqual(["b", "2", "c", "4", "a", "5", "d", "6"]);
  });

  it("applies NX, XX, GT and LT per member", () => {
    const node = new TestNode();
    node.call("ZADD", "z", 5, "a");
    expect(node.call("ZADD", "z", "NX", 1, "a", 1, "b")).toBe(1);
    expect(node.call("ZADD", "z", "XX", "CH", 2, "a", 2, "c")).toBe(1);
    expect(node.call("ZADD", "z", "GT", "CH", 1, "a", 9, "b", 3, "d")).toBe(2);
    expect(node.call("ZADD", "z", "LT", "CH", 5, "a", 0, "b")).toBe(1);
    expect(node.call("ZADD", "z", "XX", "GT", "CH", 7, "a", 1, "e")).toBe(1);
    expect(node.call("ZRANGE", "z", 0, -1, "WITHSCORES")).toEqual(["b", "0", "d", "3", "a", "7"]);
  });

  it("refuses the option combinations Redis refuses, in Redis's order", () => {
    const node = new TestNode();
    expect(node.call("ZADD", "z", "NX", "XX", 1, "a")).toEqual({ error: "ERR XX and NX options at the same time are not compatible" });
    const conflict = { error: "ERR GT, LT, and/or NX options at the same time are not compatible" };
    expect(node.call("ZADD", "z", "GT", "LT", 1, "a")).toEqual(conflict);
    expect(node.call("ZADD", "z", "NX", "GT", 1, "a")).toEqual(conflict);
    expect(node.call("ZADD", "z", "INCR", 1, "a", 2, "b")).toEqual({ error: "ERR INCR option supports a single increment-element pair" });
    // An odd count of score/member arguments is checked before the option conflicts.
    expect(node.call("ZADD", "z", "NX", "XX", 1)).toEqual(SYNTAX);
    expect(node.call("ZADD", "z", "nx", "ch")).toEqual(SYNTAX);
    // Every score is validated before anything is written.
    expect(node.call("ZADD", "z", 1, "a", "x", "b")).toEqual(NOT_FLOAT);
    expect(node.exists("z")).toBe(false);
  });

  it("parses scores as Redis's strtod-based getDoubleFromObject does", () => {
    const node = new TestNode();
    for (const bad of ["", " 1", "1 ", "nan", "1e400", "-1e400", "1e-400", "0x", "1e", "--1", "abc"]) {
      expect(node.call("ZADD", "z", bad, "m"), bad).toEqual(NOT_FLOAT);
    }
    expect(node.call("ZADD", "z", "0x10", "hex", "+inf", "top", "-INF", "bottom", "1e-310", "tiny", ".5", "half", "1.", "one")).toBe(6);
    expect(node.raw("ZSCORE", "z", "hex")).toBe("$2\r\n16\r\n");
    expect(node.raw("ZSCORE", "z", "top")).toBe("$3\r\ninf\r\n");
    expect(node.raw("ZSCORE", "z", "tiny")).toBe("$23\r\n9.9999999999999694e-311\r\n");
  });

  it("returns the new score with INCR, and nil when a condition skipped it", () => {
    const node = new TestNode();
    expect(node.raw("ZADD", "z", "INCR", "1.5", "a")).toBe("$3\r\n1.5\r\n");
    expect(node.raw("ZADD", "z", "INCR", "0.25", "a")).toBe("$4\r\n1.75\r\n");
    expect(node.raw("ZADD", "z", "INCR", "0.1", "a")).toBe("$18\r\n1.8500000000000001\r\n");
    expect(node.raw("ZADD", "z", "NX", "INCR", 1, "a")).toBe("$-1\r\n");
    expect(node.raw("ZADD", "z", "GT", "INCR", -1, "a")).toBe("$-1\r\n");
    expect(node.raw("ZADD", "missing", "XX", "INCR", 1, "a")).toBe("$-1\r\n");
    expect(node.exists("missing")).toBe(false);
    expect(node.raw("ZADD", "missing", "XX", 1, "a")).toBe(":0\r\n");
  });

  it("refuses an increment that makes the score NaN and changes nothing", () => {
    const node = new TestNode();
    node.call("ZADD", "z", "inf", "a");
    node.takePropagated();
    expect(node.call("ZADD", "z", "INCR", "-inf", "a")).toEqual({ error: "ERR resulting score is not a number (NaN)" });
    expect(node.call("ZINCRBY", "z", "-inf", "a")).toEqual({ error: "ERR resulting score is not a number (NaN)" });
    expect(node.raw("ZSCORE", "z", "a")).toBe("$3\r\ninf\r\n");
    expect(node.takePropagated()).toEqual([]);
  });

  it("propagates only when something changed", () => {
    const node = new TestNode();
    node.call("ZADD", "z", 1, "a");
    node.call("ZADD", "z", 1, "a");
    node.call("ZADD", "z", "NX", 2, "a");
    node.call("ZADD", "z", "INCR", 0, "a");
    node.call("ZADD", "z", "INCR", 2, "a");
    expect(node.takePropagated()).toEqual([
      ["ZADD", "z", "1", "a"],
      ["ZADD", "z", "INCR", "2", "a"],
    ]);
  });

  it("refuses to grow a set past the bound a V8 Map can hold, before changing anything", () => {
    const node = new TestNode();
    const zset = new SortedSetValue("skiplist");
    zset.add("a", 1, 0, { entriesMax: 0, valueBytesMax: 0 });
    // Pretend the set is one member short of the bound instead of building 16M members.
    Object.defineProperty(zset, "length", { get: () => Constants.indexedMapEntriesMax - 1 });
    node.engine.dbs[0]!.set("big", zset);
    expect(node.call("ZADD", "big", 2, "a", 3, "b", 4, "b")).toBe(1);
    const refused = node.call("ZADD", "big", 1, "c", 1, "d") as { error: string };
    expect(refused.error).toBe(`ERR a sorted set holds at most ${Constants.indexedMapEntriesMax} members here; spread the members over several keys`);
    expect(zset.has("c")).toBe(false);
    expect(node.call("ZADD", "big", "XX", 9, "a", 9, "c")).toBe(0);
  });

  it("answers WRONGTYPE on a string key", () => {
    const node = new TestNode();
    node.call("SET", "s", "v");
    expect(node.call("ZADD", "s", 1, "a")).toEqual(WRONGTYPE);
    expect(node.call("ZINCRBY", "s", 1, "a")).toEqual(WRONGTYPE);
  });
});

describe("ZINCRBY", () => {
  it("creates, increments and replies the score as a double", () => {
    const node = new TestNode();
    expect(node.raw("ZINCRBY", "z", 2, "a")).toBe("$1\r\n2\r\n");
    expect(node.raw("ZINCRBY", "z", "0.1", "a")).toBe("$18\r\n2.1000000000000001\r\n");
    expect(node.raw("ZINCRBY", "z", "x", "a")).toBe("-ERR value is not a valid float\r\n");
    // ZINCRBY shares ZADD's option parser, so an option word in the increment's place is a syntax error.
    expect(node.call("ZINCRBY", "z", "nx", "a")).toEqual(SYNTAX);
    const resp3 = new TestNode([], 3);
    expect(resp3.raw("ZINCRBY", "z", "2.5", "a")).toBe(",2.5\r\n");
  });
});

// ---------------------------------------------------------------- reads

describe("ZSCORE, ZMSCORE, ZCARD, ZRANK, ZREVRANK", () => {
  it("reads scores, counts and ranks, with nil for what is missing", () => {
    const node = new TestNode();
    node.call("ZADD", "z", 1, "a", 2, "b", 2, "c");
    expect(node.raw("ZSCORE", "z", "b")).toBe("$1\r\n2\r\n");
    expect(node.raw("ZSCORE", "z", "x")).toBe("$-1\r\n");
    expect(node.raw("ZSCORE", "missing", "x")).toBe("$-1\r\n");
    expect(node.raw("ZMSCORE", "z", "a", "x", "c")).toBe("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n");
    expect(node.raw("ZMSCORE", "missing", "a", "b")).toBe("*2\r\n$-1\r\n$-1\r\n");
    expect(node.call("ZCARD", "z")).toBe(3);
    expect(node.call("ZCARD", "missing")).toBe(0);
    expect(node.call("ZRANK", "z", "c")).toBe(2);
    expect(node.call("ZREVRANK", "z", "c")).toBe(0);
    expect(node.raw("ZRANK", "z", "x")).toBe("$-1\r\n");
    expect(node.raw("ZREVRANK", "missing", "x")).toBe("$-1\r\n");
  });

  it("uses RESP3 doubles and nulls", () => {
    const node = new TestNode([], 3);
    node.call("ZADD", "z", "1.5", "a");
    expect(node.raw("ZSCORE", "z", "a")).toBe(",1.5\r\n");
    expect(node.raw("ZSCORE", "z", "x")).toBe("_\r\n");
    expect(node.raw("ZMSCORE", "z", "a", "x")).toBe("*2\r\n,1.5\r\n_\r\n");
    expect(node.raw("ZRANK", "z", "x")).toBe("_\r\n");
  });

  it("answers WRONGTYPE for every read on a string key", () => {
    const node = new TestNode();
    node.call("SET", "s", "v");
    for (const command of [["ZSCORE", "s", "a"], ["ZMSCORE", "s", "a"], ["ZCARD", "s"], ["ZRANK", "s", "a"], ["ZCOUNT", "s", 0, 1], ["ZLEXCOUNT", "s", "-", "+"], ["ZRANGE", "s", 0, 1]]) {
      expect(node.call(...command), command.join(" ")).toEqual(WRONGTYPE);
    }
  });
});

describe("ZCOUNT and ZLEXCOUNT", () => {
  it("count inclusive, exclusive and infinite score bounds", () => {
    const node = new TestNode();
    node.call("ZADD", "z", "-inf", "a", 1, "b", 2, "c", 3, "d", "inf", "e");
    expect(node.call("ZCOUNT", "z", "-inf", "+inf")).toBe(5);
    expect(node.call("ZCOUNT", "z", "(-inf", "(inf")).toBe(3);
    expect(node.call("ZCOUNT", "z", 1, 3)).toBe(3);
    expect(node.call("ZCOUNT", "z", "(1", "3")).toBe(2);
    expect(node.call("ZCOUNT", "z", "(1", "(1")).toBe(0);
    expect(node.call("ZCOUNT", "z", 3, 1)).toBe(0);
    // Range bounds are a bare strtod: spaces before, an empty string and overflow are accepted.
    expect(node.call("ZCOUNT", "z", " 2", "")).toBe(0);
    expect(node.call("ZCOUNT", "z", "", "1e400")).toBe(4);
    expect(node.call("ZCOUNT", "z", "(", "2")).toBe(2);
    expect(node.call("ZCOUNT", "z", "nan", "1")).toEqual(MIN_MAX_NOT_FLOAT);
    expect(node.call("ZCOUNT", "z", "1x", "1")).toEqual(MIN_MAX_NOT_FLOAT);
    expect(node.call("ZCOUNT", "missing", 0, 1)).toBe(0);
  });

  it("count lexicographic ranges and refuse malformed bounds", () => {
    const node = new TestNode();
    node.call("ZADD", "z", 0, "a", 0, "b", 0, "c", 0, "d");
    expect(node.call("ZLEXCOUNT", "z", "-", "+")).toBe(4);
    expect(node.call("ZLEXCOUNT", "z", "[b", "[c")).toBe(2);
    expect(node.call("ZLEXCOUNT", "z", "(b", "[c")).toBe(1);
    expect(node.call("ZLEXCOUNT", "z", "(b", "(c")).toBe(0);
    expect(node.call("ZLEXCOUNT", "z", "+", "-")).toBe(0);
    for (const [min, max] of [["a", "+"], ["-", "c"], ["", "+"], ["+x", "+"], ["-", "-x"]]) {
      expect(node.call("ZLEXCOUNT", "z", min!, max!), `${min} ${max}`).toEqual(MIN_MAX_NOT_STRING);
    }
  });
});

// ---------------------------------------------------------------- ZRANGE family

describe("ZRANGE and the older range commands", () => {
  function node5(protocol: 2 | 3 = 2): TestNode {
    const node = new TestNode([], protocol);
    node.call("ZADD", "z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e");
    return node;
  }

  it("selects by rank with negative indexes and clamping", () => {
    const node = node5();
    expect(node.call("ZRANGE", "z", 0, -1)).toEqual(["a", "b", "c", "d", "e"]);
    expect(node.call("ZRANGE", "z", -2, 100)).toEqual(["d", "e"]);
    expect(node.call("ZRANGE", "z", -100, 1)).toEqual(["a", "b"]);
    expect(node.call("ZRANGE", "z", 3, 2)).toEqual([]);
    expect(node.call("ZRANGE", "z", 5, 10)).toEqual([]);
    expect(node.call("ZRANGE", "z", 0, -1, "REV")).toEqual(["e", "d", "c", "b", "a"]);
    expect(node.call("ZREVRANGE", "z", 1, 2, "WITHSCORES")).toEqual(["d", "4", "c", "3"]);
    expect(node.call("ZRANGE", "z", "9223372036854775807", "-9223372036854775808")).toEqual([]);
    expect(node.call("ZRANGE", "z", "1.5", 2)).toEqual(NOT_INTEGER);
    expect(node.call("ZRANGE", "missing", 0, -1)).toEqual([]);
  });

  it("selects by score with exclusive bounds, REV and LIMIT", () => {
    const node = node5();
    expect(node.call("ZRANGE", "z", "(1", 4, "BYSCORE")).toEqual(["b", "c", "d"]);
    expect(node.call("ZRANGE", "z", "(4", "(1", "BYSCORE", "REV")).toEqual(["c", "b"]);
    expect(node.call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", 1, 2)).toEqual(["b", "c"]);
    expect(node.call("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", 3, -1)).toEqual(["d", "e"]);
    expect(node.call("ZREVRANGEBYSCORE", "z", "+inf", 2, "WITHSCORES", "LIMIT", 0, 2)).toEqual(["e", "5", "d", "4"]);
    // Redis counts the offset down with `while (offset--)`: a negative offset skips everything.
    expect(node.call("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", -1, 2)).toEqual([]);
    expect(node.call("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", 5, 2)).toEqual([]);
    expect(node.call("ZRANGEBYSCORE", "z", 2, "x")).toEqual(MIN_MAX_NOT_FLOAT);
  });

  it("selects by lex range with REV and LIMIT", () => {
    const node = new TestNode();
    node.call("ZADD", "z", 0, "a", 0, "b", 0, "c", 0, "d");
    expect(node.call("ZRANGE", "z", "[b", "+", "BYLEX")).toEqual(["b", "c", "d"]);
    expect(node.call("ZRANGE", "z", "(d", "[b", "BYLEX", "REV")).toEqual(["c", "b"]);
    expect(node.call("ZRANGEBYLEX", "z", "-", "+", "LIMIT", 1, 2)).toEqual(["b", "c"]);
    expect(node.call("ZREVRANGEBYLEX", "z", "+", "-", "LIMIT", 0, 1)).toEqual(["d"]);
    expect(node.call("ZRANGEBYLEX", "z", "b", "+")).toEqual(MIN_MAX_NOT_STRING);
  });

  it("refuses the option combinations Redis refuses", () => {
    const node = node5();
    expect(node.call("ZRANGE", "z", 0, 1, "LIMIT", 0, 1)).toEqual({
      error: "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
    });
    expect(node.call("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES")).toEqual({
      error: "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
    });
    expect(node.call("ZRANGE", "z", 0, 1, "BYSCORE", "BYLEX")).toEqual(SYNTAX);
    expect(node.call("ZRANGEBYSCORE", "z", 0, 1, "REV")).toEqual(SYNTAX);
    expect(node.call("ZRANGE", "z", 0, 1, "LIMIT", 0)).toEqual(SYNTAX);
    expect(node.call("ZRANGESTORE", "d", "z", 0, 1, "WITHSCORES")).toEqual(SYNTAX);
    expect(node.call("ZRANGE", "z", 0, 1, "LIMIT", "x", 1, "BYSCORE")).toEqual(NOT_INTEGER);
    // LIMIT 0 -1 is the default, so Redis lets it through with a rank range.
    expect(node.call("ZRANGE", "z", 0, 1, "LIMIT", 0, -1)).toEqual(["a", "b"]);
  });

  it("replies WITHSCORES flat in RESP2 and as pairs in RESP3", () => {
    expect(node5().raw("ZRANGE", "z", 0, 1, "WITHSCORES")).toBe(bulks("a", "1", "b", "2"));
    expect(node5(3).raw("ZRANGE", "z", 0, 1, "WITHSCORES")).toBe("*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n");
    expect(node5(3).raw("ZRANGE", "z", 0, 1)).toBe(bulks("a", "b"));
  });

  it("formats scores as Redis 7.0's %.17g", () => {
    const node = new TestNode();
    node.call("ZADD", "z", "0.1", "a", "1e20", "b", "123456789012345678", "c", "-0", "d");
    expect(node.call("ZRANGE", "z", 0, -1, "WITHSCORES")).toEqual(["d", "0", "a", "0.10000000000000001", "c", "1.2345678901234568e+17", "b", "1e+20"]);
  });
});

describe("ZRANGESTORE", () => {
  it("stores the selection, replacing the destination and its TTL", () => {
    const node = new TestNode();
    node.call("ZADD", "src", 1, "a", 2, "b", 3, "c");
    node.call("SET", "dst", "old");
    node.engine.dbs[0]!.setExpire("dst", node.clock.nowMs() + 10_000);
    expect(node.call("ZRANGESTORE", "dst", "src", 1, -1)).toBe(2);
    expect(node.call("ZRANGE", "dst", 0, -1, "WITHSCORES")).toEqual(["b", "2", "c", "3"]);
    expect(node.engine.dbs[0]!.getExpire("dst")).toBeUndefined();
    expect(node.call("ZRANGESTORE", "dst", "src", "+inf", "(1", "BYSCORE", "REV", "LIMIT", 0, 1)).toBe(1);
    expect(node.call("ZRANGE", "dst", 0, -1)).toEqual(["c"]);
  });

  it("deletes the destination when the selection is empty, and propagates only a change", () => {
    const node = new TestNode();
    node.call("ZADD", "dst", 1, "x");
    node.takePropagated();
    expect(node.call("ZRANGESTORE", "dst", "missing", 0, -1)).toBe(0);
    expect(node.exists("dst")).toBe(false);
    expect(node.call("ZRANGESTORE", "dst", "missing", 0, -1)).toBe(0);
    expect(node.takePropagated()).toEqual([["ZRANGESTORE", "dst", "missing", "0", "-1"]]);
  });
});

// ---------------------------------------------------------------- removal

describe("ZREM and ZREMRANGEBY*", () => {
  it("ZREM removes members and deletes the emptied key", () => {
    const node = new TestNode();
    node.call("ZADD", "z", 1, "a", 2, "b");
    expect(node.call("ZREM", "z", "a", "x", "a")).toBe(1);
    expect(node.call("ZREM", "z", "b", "c")).toBe(1);
    expect(node.exists("z")).toBe(false);
    expect(node.call("ZREM", "z", "b")).toBe(0);
  });

  it("removes by rank, score and lex range", () => {
    const node = new TestNode();
    node.call("ZADD", "z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e");
    expect(node.call("ZREMRANGEBYRANK", "z", -2, -1)).toBe(2);
    expect(node.call("ZREMRANGEBYRANK", "z", 5, 10)).toBe(0);
    expect(node.call("ZREMRANGEBYSCORE", "z", "(1", 2)).toBe(1);
    expect(node.call("ZRANGE", "z", 0, -1)).toEqual(["a", "c"]);
    expect(node.call("ZREMRANGEBYSCORE", "z", "x", 2)).toEqual(MIN_MAX_NOT_FLOAT);
    expect(node.call("ZREMRANGEBYRANK", "z", "x", 2)).toEqual(NOT_INTEGER);
    expect(node.call("ZREMRANGEBYSCORE", "z", "-inf", "+inf")).toBe(2);
    expect(node.exists("z")).toBe(false);

    node.call("ZADD", "l", 0, "a", 0, "b", 0, "c");
    expect(node.call("ZREMRANGEBYLEX", "l", "(a", "[b")).toBe(1);
    expect(node.call("ZREMRANGEBYLEX", "l", "-", "+")).toBe(2);
    expect(node.exists("l")).toBe(false);
    expect(node.call("ZREMRANGEBYLEX", "l", "a", "+")).toEqual(MIN_MAX_NOT_STRING);
    expect(node.call("ZREMRANGEBYLEX", "missing", "-", "+")).toBe(0);
  });

  it("frees exactly the memory it took", () => {
    const node = new TestNode();
    const before = node.engine.ledger.bytes;
    node.call("ZADD", "z", 1, "a", 2, "bb", 3, "ccc");
    expect(node.engine.ledger.bytes).toBeGreaterThan(before);
    node.call("ZINCRBY", "z", 10, "a");
    node.call("ZREMRANGEBYRANK", "z", 0, 0);
    node.call("ZPOPMAX", "z", 5);
    expect(node.engine.ledger.bytes).toBe(before);
  });
});

// ---------------------------------------------------------------- pops

describe("ZPOPMIN and ZPOPMAX", () => {
  it("pop one or count members, flat in RESP2", () => {
    const node = new TestNode();
    node.call("ZADD", "z", 1, "a", 2, "b", 3, "c");
    expect(node.raw("ZPOPMIN", "z")).toBe(bulks("a", "1"));
    expect(node.raw("ZPOPMAX", "z", 5)).toBe(bulks("c", "3", "b", "2"));
    expect(node.exists("z")).toBe(false);
    expect(node.raw("ZPOPMIN", "z")).toBe("*0\r\n");
    expect(node.raw("ZPOPMIN", "z", 0)).toBe("*0\r\n");
  });

  it("nest pairs in RESP3 only when a count was given", () => {
    const node = new TestNode([], 3);
    node.call("ZADD", "z", 1, "a", 2, "b", 3, "c");
    expect(node.raw("ZPOPMIN", "z")).toBe("*2\r\n$1\r\na\r\n,1\r\n");
    expect(node.raw("ZPOPMIN", "z", 1)).toBe("*1\r\n*2\r\n$1\r\nb\r\n,2\r\n");
  });

  it("check the count and the arguments as Redis does", () => {
    const node = new TestNode();
    node.call("ZADD", "z", 1, "a");
    const mustBePositive = { error: "ERR value is out of range, must be positive" };
    expect(node.call("ZPOPMIN", "z", -1)).toEqual(mustBePositive);
    expect(node.call("ZPOPMIN", "z", "x")).toEqual(mustBePositive);
    expect(node.call("ZPOPMIN", "z", 1, 2)).toEqual(SYNTAX);
    node.call("SET", "s", "v");
    expect(node.call("ZPOPMIN", "s", 0)).toEqual(WRONGTYPE);
  });
});

describe("ZMPOP", () => {
  it("pops from the first non-empty key and propagates the plain pop with the count popped", () => {
    const node = new TestNode();
    node.call("ZADD", "b", 1, "x", 2, "y", 3, "z");
    node.takePropagated();
    expect(node.call("ZMPOP", 2, "a", "b", "MAX", "COUNT", 5)).toEqual(["b", [["z", "3"], ["y", "2"], ["x", "1"]]]);
    expect(node.takePropagated()).toEqual([["ZPOPMAX", "b", "3"]]);
    expect(node.raw("ZMPOP", 2, "a", "b", "MIN")).toBe("*-1\r\n");
    expect(node.takePropagated()).toEqual([]);
  });

  it("checks numkeys, MIN|MAX and COUNT", () => {
    const node = new TestNode();
    expect(node.call("ZMPOP", 0, "a", "MIN")).toEqual({ error: "ERR numkeys should be greater than 0" });
    expect(node.call("ZMPOP", "x", "a", "MIN")).toEqual({ error: "ERR numkeys should be greater than 0" });
    expect(node.call("ZMPOP", 2, "a", "MIN")).toEqual(SYNTAX);
    expect(node.call("ZMPOP", 1, "a", "MID")).toEqual(SYNTAX);
    expect(node.call("ZMPOP", 1, "a", "MIN", "COUNT", 0)).toEqual({ error: "ERR count should be greater than 0" });
    expect(node.call("ZMPOP", 1, "a", "MIN", "COUNT", 1, "COUNT", 1)).toEqual(SYNTAX);
  });
});

describe("BZPOPMIN, BZPOPMAX and BZMPOP", () => {
  it("pop at once when a key has members, and propagate the plain pop", () => {
    const node = new TestNode();
    node.call("ZADD", "b", 1, "x", 2, "y");
    node.takePropagated();
    expect(node.raw("BZPOPMIN", "a", "b", 0)).toBe(bulks("b", "x", "1"));
    expect(node.takePropagated()).toEqual([["ZPOPMIN", "b"]]);
    expect(node.call("BZMPOP", 0, 1, "b", "MAX", "COUNT", 3)).toEqual(["b", [["y", "2"]]]);
    expect(node.takePropagated()).toEqual([["ZPOPMAX", "b", "1"]]);
  });

  it("block until another client adds, then serve in blocking order", () => {
    const node = new TestNode();
    const first = node.connect();
    const second = node.connect(3);
    expect(first.raw("BZPOPMAX", "q", "r", 0)).toBe("");
    expect(second.raw("BZMPOP", 0, 1, "q", "MIN", "COUNT", 2)).toBe("");
    expect(node.call("ZADD", "q", 1, "a", 2, "b", 3, "c")).toBe(3);
    expect(first.take()).toBe(bulks("q", "c", "3"));
    expect(second.take()).toBe("*2\r\n$1\r\nq\r\n*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n");
    expect(node.exists("q")).toBe(false);
    expect(node.takePropagated()).toEqual([
      ["ZADD", "q", "1", "a", "2", "b", "3", "c"],
      ["ZPOPMAX", "q"],
      ["ZPOPMIN", "q", "2"],
    ]);
  });

  it("time out with a null array", () => {
    const node = new TestNode();
    const waiting = node.connect();
    expect(waiting.raw("BZPOPMIN", "q", "0.5")).toBe("");
    node.advance(400);
    expect(waiting.take()).toBe("");
    node.advance(200);
    expect(waiting.take()).toBe("*-1\r\n");
    const resp3 = node.connect(3);
    expect(resp3.raw("BZMPOP", "0.01", 1, "q", "MIN")).toBe("");
    node.advance(20);
    expect(resp3.take()).toBe("_\r\n");
  });

  it("stay blocked when the key becomes another type, as Redis 7.0 does", () => {
    const node = new TestNode();
    const waiting = node.connect();
    expect(waiting.raw("BZPOPMIN", "q", 0)).toBe("");
    node.call("SET", "q", "string");
    expect(waiting.take()).toBe("");
    node.engine.dbs[0]!.delete("q");
    node.call("ZADD", "q", 7, "m");
    expect(waiting.take()).toBe(bulks("q", "m", "7"));
  });

  it("reply nil at once inside MULTI", () => {
    const node = new TestNode();
    node.call("MULTI");
    node.call("BZPOPMIN", "q", 0);
    expect(node.raw("EXEC")).toBe("*1\r\n*-1\r\n");
  });

  it("check the timeout first, then the keys", () => {
    const node = new TestNode();
    node.call("SET", "s", "v");
    expect(node.call("BZPOPMIN", "s", "x")).toEqual({ error: "ERR timeout is not a float or out of range" });
    expect(node.call("BZPOPMIN", "s", -1)).toEqual({ error: "ERR timeout is negative" });
    expect(node.call("BZPOPMIN", "s", 1)).toEqual(WRONGTYPE);
    expect(node.call("BZMPOP", "x", 0, "s", "MIN")).toEqual({ error: "ERR numkeys should be greater than 0" });
  });
});

// ---------------------------------------------------------------- set operations

describe("ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE and the reply forms", () => {
  function node(): TestNode {
    const n = new TestNode();
    n.call("ZADD", "z1", 1, "a", 2, "b", 3, "c");
    n.call("ZADD", "z2", 10, "b", 20, "c", 30, "d");
    return n;
  }

  it("unite and intersect with WEIGHTS and AGGREGATE", () => {
    const n = node();
    expect(n.call("ZUNIONSTORE", "out", 2, "z1", "z2")).toBe(4);
    expect(n.call("ZRANGE", "out", 0, -1, "WITHSCORES")).toEqual(["a", "1", "b", "12", "c", "23", "d", "30"]);
    expect(n.call("ZINTERSTORE", "out", 2, "z1", "z2", "WEIGHTS", 2, "0.5", "AGGREGATE", "MAX")).toBe(2);
    expect(n.call("ZRANGE", "out", 0, -1, "WITHSCORES")).toEqual(["b", "5", "c", "10"]);
    expect(n.call("ZUNION", 2, "z1", "z2", "AGGREGATE", "MIN", "WITHSCORES")).toEqual(["a", "1", "b", "2", "c", "3", "d", "30"]);
    expect(n.call("ZINTER", 2, "z1", "z2")).toEqual(["b", "c"]);
    expect(n.call("ZDIFF", 2, "z1", "z2", "WITHSCORES")).toEqual(["a", "1"]);
    expect(n.call("ZDIFFSTORE", "out", 2, "z2", "z1")).toBe(1);
    expect(n.call("ZINTERCARD", 2, "z1", "z2")).toBe(2);
    expect(n.call("ZINTERCARD", 2, "z1", "z2", "LIMIT", 1)).toBe(1);
  });

  it("take plain sets as inputs scoring 1", () => {
    const n = node();
    n.call("SADD", "s", "a", "d", "q");
    expect(n.call("ZUNION", 2, "z1", "s", "WITHSCORES")).toEqual(["d", "1", "q", "1", "a", "2", "b", "2", "c", "3"]);
    expect(n.call("ZINTER", 2, "s", "z2", "WEIGHTS", 5, 1, "WITHSCORES")).toEqual(["d", "35"]);
  });

  it("turn inf - inf and inf * 0 into 0 as Redis does", () => {
    const n = new TestNode();
    n.call("ZADD", "p", "inf", "m");
    n.call("ZADD", "q", "-inf", "m");
    expect(n.call("ZUNION", 2, "p", "q", "WITHSCORES")).toEqual(["m", "0"]);
    expect(n.call("ZUNION", 1, "p", "WEIGHTS", 0, "WITHSCORES")).toEqual(["m", "0"]);
  });

  it("delete the destination when the result is empty", () => {
    const n = node();
    n.call("ZADD", "out", 1, "x");
    expect(n.call("ZINTERSTORE", "out", 2, "z1", "missing")).toBe(0);
    expect(n.exists("out")).toBe(false);
  });

  it("check numkeys, options and types in Redis's order", () => {
    const n = node();
    n.call("SET", "str", "v");
    expect(n.call("ZUNIONSTORE", "out", 0, "z1")).toEqual({ error: "ERR at least 1 input key is needed for 'zunionstore' command" });
    expect(n.call("ZINTERCARD", 0, "z1")).toEqual({ error: "ERR at least 1 input key is needed for 'zintercard' command" });
    expect(n.call("ZUNION", 3, "z1", "z2")).toEqual(SYNTAX);
    expect(n.call("ZUNION", "x", "z1")).toEqual(NOT_INTEGER);
    // Keys are looked up before options are parsed.
    expect(n.call("ZUNION", 1, "str", "BOGUS")).toEqual(WRONGTYPE);
    expect(n.call("ZUNION", 2, "z1", "z2", "WEIGHTS", 1)).toEqual(SYNTAX);
    expect(n.call("ZUNION", 1, "z1", "WEIGHTS", "x")).toEqual({ error: "ERR weight value is not a float" });
    expect(n.call("ZUNION", 1, "z1", "AGGREGATE", "AVG")).toEqual(SYNTAX);
    expect(n.call("ZDIFF", 1, "z1", "WEIGHTS", 1)).toEqual(SYNTAX);
    expect(n.call("ZUNIONSTORE", "out", 1, "z1", "WITHSCORES")).toEqual(SYNTAX);
    expect(n.call("ZINTERCARD", 1, "z1", "LIMIT", -1)).toEqual({ error: "ERR LIMIT can't be negative" });
  });

  it("report movable key positions for routing", () => {
    const spec = (name: string) => SORTED_SET_COMMANDS.find((command) => command.name === name)!;
    expect(keyPositions(spec("zunionstore"), ["ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"])).toEqual([1, 3, 4]);
    expect(keyPositions(spec("zinter"), ["ZINTER", "2", "a", "b"])).toEqual([2, 3]);
    expect(keyPositions(spec("zmpop"), ["ZMPOP", "1", "a", "MIN"])).toEqual([2]);
    expect(keyPositions(spec("bzmpop"), ["BZMPOP", "0", "2", "a", "b", "MIN"])).toEqual([3, 4]);
    expect(keyPositions(spec("bzpopmin"), ["BZPOPMIN", "a", "b", "0"])).toEqual([1, 2]);
    expect(keyPositions(spec("zunionstore"), ["ZUNIONSTORE", "d", "5", "a"])).toEqual([]);
    expect(keyPositions(spec("zdiff"), ["ZDIFF", "x", "a"])).toEqual([]);
  });
});

// ---------------------------------------------------------------- ZRANDMEMBER and ZSCAN

describe("ZRANDMEMBER", () => {
  it("returns members at random, distinct for a positive count", () => {
    const node = new TestNode();
    const members = Array.from({ length: 20 }, (_, i) => `m${i}`);
    node.call("ZADD", "z", ...members.flatMap((member, i) => [i, member]));
    expect(members).toContain(node.call("ZRANDMEMBER", "z"));
    for (const count of [2, 5, 7, 19]) {
      const picked = node.call("ZRANDMEMBER", "z", count) as string[];
      expect(picked).toHaveLength(count);
      expect(new Set(picked).size).toBe(count);
      for (const member of picked) expect(members).toContain(member);
    }
    const repeated = node.call("ZRANDMEMBER", "z", -50) as string[];
    expect(repeated).toHaveLength(50);
    expect(new Set(repeated).size).toBeLessThan(21);
  });

  it("returns the whole set, highest first, when the count covers it", () => {
    const node = new TestNode();
    node.call("ZADD", "z", 1, "a", 2, "b", 3, "c");
    expect(node.call("ZRANDMEMBER", "z", 10, "WITHSCORES")).toEqual(["c", "3", "b", "2", "a", "1"]);
    const resp3 = new TestNode([], 3);
    resp3.call("ZADD", "z", 1, "a");
    expect(resp3.raw("ZRANDMEMBER", "z", -2, "WITHSCORES")).toBe("*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\na\r\n,1\r\n");
  });

  it("handles missing keys and malformed counts", () => {
    const node = new TestNode();
    expect(node.raw("ZRANDMEMBER", "missing")).toBe("$-1\r\n");
    expect(node.raw("ZRANDMEMBER", "missing", 3)).toBe("*0\r\n");
    node.call("ZADD", "z", 1, "a");
    expect(node.raw("ZRANDMEMBER", "z", 0)).toBe("*0\r\n");
    expect(node.call("ZRANDMEMBER", "z", "x")).toEqual(NOT_INTEGER);
    expect(node.call("ZRANDMEMBER", "z", 1, "SCORES")).toEqual(SYNTAX);
    expect(node.call("ZRANDMEMBER", "z", "-9223372036854775808")).toEqual({
      error: "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
    });
    expect(node.call("ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES")).toEqual({ error: "ERR value is out of range" });
  });

  it("disconnects a client whose sampled reply would exceed the reply bound instead of building it", () => {
    const node = new TestNode();
    node.call("ZADD", "z", 1, "a".repeat(1000));
    node.main.raw("ZRANDMEMBER", "z", "-1000000");
    expect(node.main.client.closeNow).toBe(true);
  });
});

describe("ZSCAN", () => {
  it("returns a listpack-encoded set whole, scores as the listpack holds them", () => {
    const node = new TestNode();
    node.call("ZADD", "z", "-0", "a", "0.1", "b", "1e18", "c", "4611686018427387905", "d");
    expect(node.call("ZSCAN", "z", 0, "COUNT", 1)).toEqual(["0", ["a", "0", "b", "0.10000000000000001", "c", "1000000000000000000", "d", "4611686018427387904"]]);
    expect(node.call("ZSCAN", "z", 0, "MATCH", "[ab]")).toEqual(["0", ["a", "0", "b", "0.10000000000000001"]]);
  });

  it("pages through a skiplist-encoded set, visiting every member", () => {
    const node = new TestNode([["zset-max-listpack-entries", "4"]]);
    const members = Array.from({ length: 50 }, (_, i) => `m${i}`);
    node.call("ZADD", "z", ...members.flatMap((member) => ["-0", member]));
    expect(node.zset("z")!.encoding).toBe("skiplist");
    // The first four went into the listpack (as 0) before the conversion; the rest keep -0.
    const seen = new Map<string, string>();
    let cursor = "0";
    let calls = 0;
    do {
      const [next, pairs] = node.call("ZSCAN", "z", cursor, "COUNT", 7) as [string, string[]];
      for (let i = 0; i < pairs.length; i += 2) seen.set(pairs[i]!, pairs[i + 1]!);
      cursor = next;
      calls++;
    } while (cursor !== "0" && calls < 100);
    expect([...seen.keys()].sort()).toEqual([...members].sort());
    expect([...seen.values()].filter((score) => score === "0")).toHaveLength(4);
    expect([...seen.values()].filter((score) => score === "-0")).toHaveLength(46);
  });

  it("checks the cursor before the key and the options after it", () => {
    const node = new TestNode();
    expect(node.call("ZSCAN", "missing", "x")).toEqual({ error: "ERR invalid cursor" });
    expect(node.call("ZSCAN", "missing", " 1")).toEqual({ error: "ERR invalid cursor" });
    expect(node.raw("ZSCAN", "missing", 0, "BOGUS")).toBe("*2\r\n$1\r\n0\r\n*0\r\n");
    node.call("ZADD", "z", 1, "a");
    expect(node.call("ZSCAN", "z", 0, "COUNT", 0)).toEqual(SYNTAX);
    expect(node.call("ZSCAN", "z", 0, "COUNT", "x")).toEqual(NOT_INTEGER);
    expect(node.call("ZSCAN", "z", 0, "TYPE", "zset")).toEqual(SYNTAX);
    expect(node.call("ZSCAN", "z", "")).toEqual(["0", ["a", "1"]]);
  });
});

// ---------------------------------------------------------------- encodings

describe("encodings", () => {
  it("converts to a skiplist past zset-max-listpack-entries or -value, never back", () => {
    const node = new TestNode([
      ["zset-max-listpack-entries", "3"],
      ["zset-max-listpack-value", "8"],
    ]);
    node.call("ZADD", "z", 1, "a", 2, "b", 3, "c");
    expect(node.zset("z")!.encoding).toBe("listpack");
    node.call("ZADD", "z", 4, "d");
    expect(node.zset("z")!.encoding).toBe("skiplist");
    node.call("ZREM", "z", "a", "b", "c");
    expect(node.zset("z")!.encoding).toBe("skiplist");
    node.call("ZADD", "long", 1, "123456789");
    expect(node.zset("long")!.encoding).toBe("skiplist");
  });

  it("stores -0 as 0 in a listpack but keeps it in a skiplist, as Redis does", () => {
    const listpack = new TestNode();
    expect(listpack.raw("ZINCRBY", "z", "-0", "m")).toBe("$2\r\n-0\r\n");
    expect(listpack.raw("ZSCORE", "z", "m")).toBe("$1\r\n0\r\n");
    const skiplist = new TestNode([["zset-max-listpack-entries", "0"]]);
    skiplist.call("ZADD", "z", "-0", "m");
    expect(skiplist.raw("ZSCORE", "z", "m")).toBe("$2\r\n-0\r\n");
  });

  it("converts store results back to a listpack when they fit", () => {
    const node = new TestNode([["zset-max-listpack-entries", "2"]]);
    node.call("ZADD", "big", 1, "a", 2, "b", "-0", "c");
    expect(node.zset("big")!.encoding).toBe("skiplist");
    expect(node.call("ZUNIONSTORE", "small", 1, "big", "WEIGHTS", 1)).toBe(3);
    expect(node.zset("small")!.encoding).toBe("skiplist");
    expect(node.call("ZRANGESTORE", "two", "big", 0, 1)).toBe(2);
    expect(node.zset("two")!.encoding).toBe("listpack");
    expect(node.call("ZINTERSTORE", "neg", 1, "big", "WEIGHTS", -1)).toBe(3);
    expect(node.call("ZDIFFSTORE", "one", 2, "big", "two")).toBe(1);
    expect(node.zset("one")!.encoding).toBe("listpack");
  });
});

// ---------------------------------------------------------------- argument parsing

describe("range parsing", () => {
  it("reads score bounds with a bare strtod", () => {
    expect(requireScoreRange("(1.5", "+inf")).toEqual({ min: 1.5, max: Infinity, minExclusive: true, maxExclusive: false });
    expect(requireScoreRange("\t2", "0x10")).toEqual({ min: 2, max: 16, minExclusive: false, maxExclusive: false });
    expect(requireScoreRange("1\u0000junk", "(")).toEqual({ min: 1, max: 0, minExclusive: false, maxExclusive: true });
    expect(() => requireScoreRange("((1", "2")).toThrow("ERR min or max is not a float");
    expect(() => requireScoreRange(" ", "2")).toThrow("ERR min or max is not a float");
  });

  it("reads lex bounds, where '+' and '-' stand alone", () => {
    expect(requireLexRange("-", "(b")).toEqual({ min: { infinity: -1, value: "", exclusive: true }, max: { infinity: 0, value: "b", exclusive: true } });
    expect(requireLexRange("[", "+")).toEqual({ min: { infinity: 0, value: "", exclusive: false }, max: { infinity: 1, value: "", exclusive: true } });
    expect(() => requireLexRange("+a", "+")).toThrow("ERR min or max not valid string range item");
  });
});

// ---------------------------------------------------------------- the value against a model

type ModelEntry = [member: string, score: number];

function compareEntries(a: ModelEntry, b: ModelEntry): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** The obvious sorted set: an array kept sorted by (score, member). */
class Model {
  entries: ModelEntry[] = [];

  set(member: string, score: number): void {
    this.remove(member);
    this.entries.push([member, score]);
    this.entries.sort(compareEntries);
  }

  remove(member: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter(([m]) => m !== member);
    return this.entries.length !== before;
  }

  score(member: string): number | undefined {
    return this.entries.find(([m]) => m === member)?.[1];
  }
}

const LIMITS: ListpackLimits = { entriesMax: 8, valueBytesMax: 4 };

const memberArb = fc.oneof(
  fc.constantFrom("", "a", "b", "c", "ab", "abc", "b\u0000", "\u00ff", "zzzzz", "d", "e"),
  fc.integer({ min: 0, max: 40 }).map((i) => `m${i}`),
);
const scoreArb = fc.oneof(fc.constantFrom(0, -0, 1, 2, -1, 1.5, Infinity, -Infinity), fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true }));

type Operation =
  | { kind: "add"; member: string; score: number; flags: number }
  | { kind: "remove"; member: string }
  | { kind: "pop"; fromEnd: boolean }
  | { kind: "removeScores"; min: number; max: number; minExclusive: boolean; maxExclusive: boolean }
  | { kind: "removeRanks"; start: number; end: number };

const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("add" as const), member: memberArb, score: scoreArb, flags: fc.constantFrom(0, ZaddFlag.nx, ZaddFlag.xx, ZaddFlag.gt, ZaddFlag.lt, ZaddFlag.incr, ZaddFlag.incr | ZaddFlag.gt) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), member: memberArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("pop" as const), fromEnd: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeScores" as const), min: fc.integer({ min: -3, max: 3 }), max: fc.integer({ min: -3, max: 3 }), minExclusive: fc.boolean(), maxExclusive: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeRanks" as const), start: fc.nat(30), end: fc.nat(40) }) },
);

/** What ZADD's rules make of a member's score; undefined when it is left alone. */
function expectedScore(current: number | undefined, score: number, flags: number): number | undefined {
  if (current === undefined) return flags & ZaddFlag.xx ? undefined : score;
  if (flags & ZaddFlag.nx) return undefined;
  const next = flags & ZaddFlag.incr ? score + current : score;
  if (Number.isNaN(next)) return undefined;
  if ((flags & ZaddFlag.gt && next <= current) || (flags & ZaddFlag.lt && next >= current)) return undefined;
  return next === current ? undefined : next;
}

/** Applies an operation to the value and to the model, checking what the value reports. */
function apply(value: SortedSetValue, model: Model, operation: Operation): void {
  switch (operation.kind) {
    case "add": {
      const next = expectedScore(model.score(operation.member), operation.score, operation.flags);
      value.add(operation.member, operation.score, operation.flags, LIMITS);
      // A listpack stores scores as text, which reads -0 back as 0.
      if (next !== undefined) model.set(operation.member, value.encoding === "listpack" && next === 0 ? 0 : next);
      return;
    }
    case "remove":
      expect(value.remove(operation.member)).toBe(model.remove(operation.member));
      return;
    case "pop": {
      if (model.entries.length === 0) return;
      const expected = operation.fromEnd ? model.entries.pop()! : model.entries.shift()!;
      expect(value.pop(operation.fromEnd)).toEqual(expected);
      return;
    }
    case "removeScores": {
      const { min, max, minExclusive, maxExclusive } = operation;
      const inRange = ([, score]: ModelEntry) => (minExclusive ? score > min : score >= min) && (maxExclusive ? score < max : score <= max);
      const expected = model.entries.filter(inRange).length;
      model.entries = model.entries.filter((entry) => !inRange(entry));
      expect(value.removeRangeByScore({ min, max, minExclusive, maxExclusive })).toBe(expected);
      return;
    }
    case "removeRanks": {
      const length = model.entries.length;
      const end = Math.min(operation.end, length - 1);
      if (operation.start > end) return;
      model.entries.splice(operation.start, end - operation.start + 1);
      expect(value.removeRangeByRank(operation.start, end)).toBe(end - operation.start + 1);
      return;
    }
  }
}

function checkAgainstModel(value: SortedSetValue, model: Model, ledger: Ledger): void {
  expect([...value.entries()]).toEqual(model.entries);
  expect(value.length).toBe(model.entries.length);
  expect(value.bytes).toBe(value.measureBytes());
  expect(ledger.bytes).toBe(value.bytes - 64);
  model.entries.forEach(([member], rank) => {
    expect(value.rankOf(member, false)).toBe(rank);
    expect(value.rankOf(member, true)).toBe(model.entries.length - 1 - rank);
    expect(value.entryAtRank(rank)[0]).toBe(member);
  });
}

describe("SortedSetValue against a sorted-array model", () => {
  it("keeps order, ranks, scores and bytes through any sequence of operations, across leaf splits and merges", () => {
    fc.assert(
      fc.property(fc.array(operationArb, { maxLength: 150 }), fc.constantFrom(4, 8, 128), (operations, leafEntriesMax) => {
        const value = new SortedSetValue("listpack", leafEntriesMax);
        const ledger = new Ledger();
        value.ledger = ledger;
        const model = new Model();
        for (const operation of operations) {
          apply(value, model, operation);
          checkAgainstModel(value, model, ledger);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("answers score ranges like a filter over the model", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(memberArb, fc.integer({ min: -4, max: 4 })), { maxLength: 60 }),
        fc.integer({ min: -5, max: 5 }),
        fc.integer({ min: -5, max: 5 }),
        fc.boolean(),
        fc.boolean(),
        (pairs, min, max, minExclusive, maxExclusive) => {
          const value = new SortedSetValue("skiplist", 4);
          const model = new Model();
          for (const [member, score] of pairs) {
            value.add(member, score, 0, LIMITS);
            model.set(member, score);
          }
          const range = { min, max, minExclusive, maxExclusive };
          const expected = model.entries.filter(([, s]) => (minExclusive ? s > min : s >= min) && (maxExclusive ? s < max : s <= max));
          expect(value.countInScoreRange(range)).toBe(expected.length);
          const first = value.firstRankInScoreRange(range);
          const last = value.lastRankInScoreRange(range);
          expect(first < 0 ? undefined : value.entryAtRank(first)[0]).toBe(expected[0]?.[0]);
          expect(last < 0 ? undefined : value.entryAtRank(last)[0]).toBe(expected.at(-1)?.[0]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("answers lex ranges over equal scores like a filter over the model, in both encodings", () => {
    const boundArb = fc.oneof(fc.constantFrom("-", "+"), fc.tuple(fc.constantFrom("[", "("), memberArb).map(([open, member]) => open + member));
    fc.assert(
      fc.property(fc.uniqueArray(memberArb), boundArb, boundArb, fc.boolean(), (members, minText, maxText, listpack) => {
        const value = new SortedSetValue(listpack ? "listpack" : "skiplist", 4);
        for (const member of members) value.add(member, 0, 0, { entriesMax: 1000, valueBytesMax: 1000 });
        const range = requireLexRange(minText, maxText);
        const sorted = [...members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const above = (m: string) => (minText === "-" ? true : minText === "+" ? false : minText[0] === "(" ? m > minText.slice(1) : m >= minText.slice(1));
        const below = (m: string) => (maxText === "+" ? true : maxText === "-" ? false : maxText[0] === "(" ? m < maxText.slice(1) : m <= maxText.slice(1));
        const expected = sorted.filter((m) => above(m) && below(m));
        expect(value.countInLexRange(range)).toBe(expected.length);
        const first = value.firstRankInLexRange(range);
        const last = value.lastRankInLexRange(range);
        expect(first < 0 ? undefined : value.entryAtRank(first)[0]).toBe(expected[0]);
        expect(last < 0 ? undefined : value.entryAtRank(last)[0]).toBe(expected.at(-1));
        expect(value.removeRangeByLex(range)).toBe(expected.length);
        expect([...value.entries()].map(([m]) => m)).toEqual(sorted.filter((m) => !expected.includes(m)));
      }),
      { numRuns: 300 },
    );
  });

  it("clones into an independent, detached copy", () => {
    const value = new SortedSetValue("skiplist", 8);
    value.ledger = new Ledger();
    for (let i = 0; i < 100; i++) value.add(`m${i}`, i % 7, 0, LIMITS);
    const copy = value.clone();
    expect(copy.ledger).toBeUndefined();
    expect([...copy.entries()]).toEqual([...value.entries()]);
    expect(copy.bytes).toBe(value.bytes);
    copy.remove("m1");
    expect(value.score("m1")).toBe(1);
    expect(copy.measureBytes()).toBe(value.bytes - entryBytes("m1"));
  });
});

// ---------------------------------------------------------------- commands against a model

describe("the commands against a model", () => {
  const commandArb = fc.oneof(
    fc.tuple(fc.constant("ZADD"), memberArb, fc.integer({ min: -3, max: 3 })),
    fc.tuple(fc.constant("ZINCRBY"), memberArb, fc.integer({ min: -3, max: 3 })),
    fc.tuple(fc.constant("ZREM"), memberArb),
    fc.tuple(fc.constant("ZPOPMIN"), fc.nat(3)),
    fc.tuple(fc.constant("ZPOPMAX"), fc.nat(3)),
  );

  it("keeps ZRANGE, ZRANK, ZCOUNT and ZRANGEBYSCORE ... LIMIT in line with the model", () => {
    fc.assert(
      fc.property(
        fc.array(commandArb, { maxLength: 40 }),
        fc.integer({ min: -4, max: 4 }),
        fc.integer({ min: -4, max: 4 }),
        fc.integer({ min: -2, max: 4 }),
        fc.integer({ min: -1, max: 4 }),
        (commands, min, max, offset, limit) => {
          const node = new TestNode([["zset-max-listpack-entries", "4"]]);
          const model = new Model();
          for (const [name, a, b] of commands) {
            if (name === "ZADD") {
              node.call("ZADD", "z", b as number, a as string);
              model.set(a as string, b as number);
            } else if (name === "ZINCRBY") {
              node.call("ZINCRBY", "z", b as number, a as string);
              model.set(a as string, (model.score(a as string) ?? 0) + (b as number));
            } else if (name === "ZREM") {
              node.call("ZREM", "z", a as string);
              model.remove(a as string);
            } else {
              node.call(name, "z", a as number);
              const taken = name === "ZPOPMIN" ? model.entries.splice(0, a as number) : model.entries.splice(Math.max(0, model.entries.length - (a as number)));
              void taken;
            }
          }
          const flat = model.entries.flatMap(([member, score]) => [member, String(score)]);
          expect(node.call("ZRANGE", "z", 0, -1, "WITHSCORES")).toEqual(flat);
          expect(node.call("ZCARD", "z")).toBe(model.entries.length);
          expect(node.exists("z")).toBe(model.entries.length > 0);
          model.entries.forEach(([member], rank) => expect(node.call("ZRANK", "z", member)).toBe(rank));
          const inRange = model.entries.filter(([, score]) => score >= min && score <= max).map(([member]) => member);
          expect(node.call("ZCOUNT", "z", min, max)).toBe(inRange.length);
          const limited = offset < 0 || (offset > 0 && offset >= model.entries.length) ? [] : inRange.slice(offset, limit < 0 ? undefined : offset + limit);
          expect(node.call("ZRANGEBYSCORE", "z", min, max, "LIMIT", offset, limit)).toEqual(limited);
          expect(node.call("ZREVRANGEBYSCORE", "z", max, min)).toEqual([...inRange].reverse());
        },
      ),
      { numRuns: 200 },
    );
  });
});
