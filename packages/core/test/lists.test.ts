import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Engine, ManualClock, MemoryCost, Random, type Client } from "../src/index.js";
import { ListValue, type ListEnd } from "../src/keyspace/types/list.js";
import { Ledger } from "../src/keyspace/ledger.js";
import { parseBlockingTimeoutMs } from "../src/util/timeout.js";

// ------------------------------------------------------------------ harness

function encode(args: readonly string[]): Buffer {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${arg.length}\r\n${arg}\r\n`;
  return Buffer.from(out, "latin1");
}

/** An engine on a manual clock, with the replication stream recorded. */
function setup() {
  const clock = new ManualClock();
  const engine = new Engine({ clock, random: new Random(1) });
  const propagated: string[][] = [];
  engine.onPropagate((_db, commands) => propagated.push(...commands.map((c) => [...c])));
  let port = 1;
  const connect = () => {
    const client = engine.connect({ address: `127.0.0.1:${port++}`, localAddress: "127.0.0.1:6379" });
    return {
      client,
      /** Sends one command and returns everything the client has been sent so far. */
      send: (...args: string[]) => {
        engine.receive(client, encode(args));
        return client.writer.take();
      },
      /** Sends raw bytes (several pipelined commands). */
      write: (raw: string) => {
        engine.receive(client, Buffer.from(raw, "latin1"));
        return client.writer.take();
      },
      take: () => client.writer.take(),
    };
  };
  return { clock, engine, propagated, connect };
}

const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const array = (...items: string[]) => `*${items.length}\r\n${items.join("")}`;
const bulks = (...items: string[]) => array(...items.map(bulk));
const int = (n: number) => `:${n}\r\n`;
const err = (message: string) => `-${message}\r\n`;
const WRONGTYPE = err("WRONGTYPE Operation against a key holding the wrong kind of value");
const NOT_INTEGER = err("ERR value is not an integer or out of range");
const SYNTAX = err("ERR syntax error");

/** Runs a command inside an EXEC as the transactions module does (blocking commands may not wait). */
function inExec(engine: Engine, client: Client, args: string[]): string {
  client.executingMulti = true;
  try {
    engine.execute(client, args);
  } finally {
    client.executingMulti = false;
  }
  return client.writer.take();
}

// ------------------------------------------------------------------ ListValue

describe("ListValue", () => {
  it("pushes and pops at both ends like a deque", () => {
    const list = new ListValue();
    list.push(["a", "b", "c"], "head");
    expect(list.toArray()).toEqual(["c", "b", "a"]);
    list.push(["d", "e"], "tail");
    expect(list.toArray()).toEqual(["c", "b", "a", "d", "e"]);
    expect(list.pop(2, "head")).toEqual(["c", "b"]);
    expect(list.pop(10, "tail")).toEqual(["e", "d", "a"]);
    expect(list.length).toBe(0);
  });

  it("keeps bytes exact and reports every change to its ledger once per operation", () => {
    const ledger = new Ledger();
    const list = ListValue.from(["x"]);
    ledger.bytes = list.bytes;
    list.ledger = ledger;
    const many = Array.from({ length: 1000 }, (_, i) => "element-" + i);
    list.push(many, "tail");
    expect(ledger.changes).toBe(1);
    expect(list.bytes).toBe(list.measureBytes());
    list.pop(990, "head");
    list.insert(3, "inserted");
    list.set(0, "a much longer replacement value");
    list.remove("element-999", 0, "tail");
    list.trim(1, 3);
    expect(ledger.changes).toBe(6);
    expect(list.bytes).toBe(list.measureBytes());
    expect(ledger.bytes).toBe(list.bytes);
  });

  it("gives its memory back when it shrinks", () => {
    const list = ListValue.from(Array.from({ length: 10_000 }, () => "v"));
    list.pop(9_999, "tail");
    expect(list.bytes).toBe(MemoryCost.aggregateBytes + 4 * MemoryCost.listSlotBytes + MemoryCost.stringBytes("v"));
  });

  it("clones into a detached copy", () => {
    const list = ListValue.from(["a", "b"]);
    list.ledger = new Ledger();
    const copy = list.clone();
    expect(copy.ledger).toBeUndefined();
    copy.push(["c"], "tail");
    expect(list.toArray()).toEqual(["a", "b"]);
    expect(copy.bytes).toBe(copy.measureBytes());
  });

  type Operation =
    | { kind: "push"; end: ListEnd; elements: string[] }
    | { kind: "pop"; end: ListEnd; count: number }
    | { kind: "set"; at: number; element: string }
    | { kind: "insert"; at: number; element: string }
    | { kind: "remove"; element: string; limit: number; end: ListEnd }
    | { kind: "trim"; start: number; stop: number };

  const element = fc.constantFrom("a", "b", "c", "", "longer element value");
  const end = fc.constantFrom<ListEnd>("head", "tail");
  const operation: fc.Arbitrary<Operation> = fc.oneof(
    fc.record({ kind: fc.constant("push" as const), end, elements: fc.array(element, { minLength: 1, maxLength: 40 }) }),
    fc.record({ kind: fc.constant("pop" as const), end, count: fc.nat(50) }),
    fc.record({ kind: fc.constant("set" as const), at: fc.nat(100), element }),
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(100), element }),
    fc.record({ kind: fc.constant("remove" as const), element, limit: fc.nat(5), end }),
    fc.record({ kind: fc.constant("trim" as const), start: fc.nat(60), stop: fc.nat(60) }),
  );

  it("behaves like an array, with exact bytes, under any sequence of operations", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 80 }), (operations) => {
        const ledger = new Ledger();
        const list = new ListValue();
        ledger.bytes = list.bytes;
        list.ledger = ledger;
        let model: string[] = [];
        for (const op of operations) {
          if (op.kind === "push") {
            for (const e of op.elements) if (op.end === "head") model.unshift(e);
            else model.push(e);
            list.push(op.elements, op.end);
          } else if (op.kind === "pop") {
            const expected = op.end === "head" ? model.splice(0, op.count) : model.splice(Math.max(0, model.length - op.count)).reverse();
            expect(list.pop(op.count, op.end)).toEqual(expected);
          } else if (op.kind === "set") {
            if (model.length === 0) continue;
            model[op.at % model.length] = op.element;
            list.set(op.at % model.length, op.element);
          } else if (op.kind === "insert") {
            const at = op.at % (model.length + 1);
            model.splice(at, 0, op.element);
            list.insert(at, op.element);
          } else if (op.kind === "remove") {
            const expectedRemoved = modelRemove(model, op.element, op.limit, op.end);
            model = expectedRemoved.kept;
            expect(list.remove(op.element, op.limit, op.end)).toBe(expectedRemoved.removed);
          } else {
            if (model.length === 0) continue;
            const start = Math.min(op.start, model.length - 1);
            const stop = Math.min(Math.max(op.stop, start), model.length - 1);
            model = model.slice(start, stop + 1);
            list.trim(start, stop);
          }
          expect(list.length).toBe(model.length);
        }
        expect(list.toArray()).toEqual(model);
        for (let i = 0; i < model.length; i++) expect(list.at(i)).toBe(model[i]);
        expect(list.bytes).toBe(list.measureBytes());
        expect(ledger.bytes).toBe(list.bytes);
      }),
      { numRuns: 300 },
    );
  });
});

function modelRemove(model: string[], element: string, limit: number, end: ListEnd): { kept: string[]; removed: number } {
  const order = end === "head" ? [...model] : [...model].reverse();
  const kept: string[] = [];
  let removed = 0;
  for (const value of order) {
    if (value === element && (limit === 0 || removed < limit)) removed++;
    else kept.push(value);
  }
  return { kept: end === "head" ? kept : kept.reverse(), removed };
}

// ------------------------------------------------------------------ timeouts

describe("blocking timeouts", () => {
  it("read seconds as Redis 7.0's long double arithmetic does", () => {
    expect(parseBlockingTimeoutMs("0")).toBe(0);
    expect(parseBlockingTimeoutMs("1")).toBe(1000);
    expect(parseBlockingTimeoutMs("0.1")).toBe(100);
    expect(parseBlockingTimeoutMs(".5")).toBe(500);
    expect(parseBlockingTimeoutMs("0x1p3")).toBe(8000);
    // ceill, as Redis 7.0: a tiny positive timeout is 1 ms; a tiny negative one rounds up to 0, forever.
    expect(parseBlockingTimeoutMs("1e-400")).toBe(1);
    expect(parseBlockingTimeoutMs("0.0001")).toBe(1);
    expect(parseBlockingTimeoutMs("-0.0001")).toBe(0);
    // In 80-bit arithmetic -0.001 * 1000 is -0.99999..., not -1.
    expect(parseBlockingTimeoutMs("-0.001")).toBe(0);
    expect(parseBlockingTimeoutMs("9.2e15")).toBe(9.2e18);
  });

  it("refuse what Redis refuses, with Redis's words", () => {
    const negative = "ERR timeout is negative";
    const notFloat = "ERR timeout is not a float or out of range";
    for (const text of ["-1", "-0.0011", "inf", "-INFINITY", "1e400", "9.3e15", "9223372036854775807"]) {
      expect(() => parseBlockingTimeoutMs(text), text).toThrow(negative);
    }
    for (const text of ["", " 1", "1 ", "abc", "nan", "1e", "0x", "1e5000", "1e-5000", "x".repeat(6000)]) {
      expect(() => parseBlockingTimeoutMs(text), text).toThrow(notFloat);
    }
  });
});

// ------------------------------------------------------------------ commands

describe("list commands", () => {
  it("push, pop, length and range", () => {
    const { connect } = setup();
    const c = connect();
    expect(c.send("LPUSH", "l", "a", "b", "c")).toBe(int(3));
    expect(c.send("RPUSH", "l", "d")).toBe(int(4));
    expect(c.send("LRANGE", "l", "0", "-1")).toBe(bulks("c", "b", "a", "d"));
    expect(c.send("LRANGE", "l", "-100", "1")).toBe(bulks("c", "b"));
    expect(c.send("LRANGE", "l", "2", "1")).toBe(array());
    expect(c.send("LRANGE", "l", "5", "10")).toBe(array());
    expect(c.send("LRANGE", "l", "-2", "9223372036854775807")).toBe(bulks("a", "d"));
    expect(c.send("LRANGE", "missing", "0", "-1")).toBe(array());
    expect(c.send("LRANGE", "l", "a", "1")).toBe(NOT_INTEGER);
    expect(c.send("LLEN", "l")).toBe(int(4));
    expect(c.send("LLEN", "missing")).toBe(int(0));
    expect(c.send("LPOP", "l")).toBe(bulk("c"));
    expect(c.send("RPOP", "l", "2")).toBe(bulks("d", "a"));
    expect(c.send("RPOP", "l", "0")).toBe(array());
    expect(c.send("LPOP", "l", "9223372036854775807")).toBe(bulks("b"));
    expect(c.send("LLEN", "l")).toBe(int(0));
    expect(c.send("LPOP", "l")).toBe("$-1\r\n");
    expect(c.send("LPOP", "l", "1")).toBe("*-1\r\n");
    expect(c.send("LPOP", "l", "0")).toBe("*-1\r\n");
    expect(c.send("LPOP", "l", "-1")).toBe(err("ERR value is out of range, must be positive"));
    expect(c.send("LPOP", "l", "x")).toBe(err("ERR value is out of range, must be positive"));
    expect(c.send("LPOP", "l", "1", "2")).toBe(err("ERR wrong number of arguments for 'lpop' command"));
  });

  it("uses RESP3 nulls where RESP3 has them", () => {
    const { connect } = setup();
    const c = connect();
    c.client.writer.protocol = 3;
    expect(c.send("LPOP", "missing")).toBe("_\r\n");
    expect(c.send("LPOP", "missing", "2")).toBe("_\r\n");
    expect(c.send("LMPOP", "1", "missing", "LEFT")).toBe("_\r\n");
    expect(c.send("LPOS", "missing", "x")).toBe("_\r\n");
    expect(c.send("LINDEX", "missing", "0")).toBe("_\r\n");
    expect(c.send("RPOPLPUSH", "missing", "d")).toBe("_\r\n");
    expect(c.send("LPOS", "missing", "x", "COUNT", "0")).toBe(array());
  });

  it("LPUSHX and RPUSHX only push onto existing lists", () => {
    const { connect, propagated } = setup();
    const c = connect();
    expect(c.send("LPUSHX", "l", "a")).toBe(int(0));
    expect(c.send("LLEN", "l")).toBe(int(0));
    expect(propagated).toEqual([]);
    c.send("RPUSH", "l", "m");
    expect(c.send("LPUSHX", "l", "a", "b")).toBe(int(3));
    expect(c.send("RPUSHX", "l", "z")).toBe(int(4));
    expect(c.send("LRANGE", "l", "0", "-1")).toBe(bulks("b", "a", "m", "z"));
  });

  it("answers WRONGTYPE for keys holding other types", () => {
    const { connect } = setup();
    const c = connect();
    c.send("SET", "s", "v");
    for (const command of [
      ["LPUSH", "s", "a"],
      ["RPUSHX", "s", "a"],
      ["LPOP", "s"],
      ["RPOP", "s", "0"],
      ["LLEN", "s"],
      ["LRANGE", "s", "0", "1"],
      ["LINDEX", "s", "x"],
      ["LSET", "s", "x", "v"],
      ["LREM", "s", "0", "v"],
      ["LTRIM", "s", "0", "1"],
      ["LINSERT", "s", "BEFORE", "a", "b"],
      ["LPOS", "s", "v", "COUNT", "0"],
      ["LMOVE", "s", "d", "LEFT", "LEFT"],
      ["LMPOP", "1", "s", "LEFT"],
      ["BLPOP", "missing", "s", "0"],
      ["BLMPOP", "0", "1", "s", "LEFT"],
      ["BLMOVE", "s", "d", "LEFT", "LEFT", "0"],
    ]) {
      expect(c.send(...command), command.join(" ")).toBe(WRONGTYPE);
    }
    c.send("RPUSH", "l", "x");
    expect(c.send("LMOVE", "l", "s", "LEFT", "LEFT")).toBe(WRONGTYPE);
    expect(c.send("LRANGE", "l", "0", "-1")).toBe(bulks("x"));
    // Errors that Redis checks before the key's type come first.
    expect(c.send("LRANGE", "s", "a", "1")).toBe(NOT_INTEGER);
    expect(c.send("LINSERT", "s", "middle", "a", "b")).toBe(SYNTAX);
    expect(c.send("BLPOP", "s", "-1")).toBe(err("ERR timeout is negative"));
  });

  it("LINDEX and LSET with negative and out-of-range indexes", () => {
    const { connect, propagated } = setup();
    const c = connect();
    c.send("RPUSH", "l", "a", "b", "c");
    expect(c.send("LINDEX", "l", "-1")).toBe(bulk("c"));
    expect(c.send("LINDEX", "l", "3")).toBe("$-1\r\n");
    expect(c.send("LINDEX", "l", "-4")).toBe("$-1\r\n");
    expect(c.send("LINDEX", "missing", "x")).toBe("$-1\r\n");
    expect(c.send("LINDEX", "l", "x")).toBe(NOT_INTEGER);
    expect(c.send("LSET", "l", "-3", "A")).toBe("+OK\r\n");
    expect(c.send("LSET", "l", "3", "A")).toBe(err("ERR index out of range"));
    expect(c.send("LSET", "missing", "0", "A")).toBe(err("ERR no such key"));
    expect(c.send("LSET", "missing", "x", "A")).toBe(err("ERR no such key"));
    expect(c.send("LSET", "l", "x", "A")).toBe(NOT_INTEGER);
    propagated.length = 0;
    // Setting the same value is still a change: Redis propagates it.
    expect(c.send("LSET", "l", "0", "A")).toBe("+OK\r\n");
    expect(propagated).toEqual([["LSET", "l", "0", "A"]]);
    expect(c.send("LRANGE", "l", "0", "-1")).toBe(bulks("A", "b", "c"));
  });

  it("LREM from the head, from the tail and everywhere; deletes an emptied key", () => {
    const { connect, propagated } = setup();
    const c = connect();
    c.send("RPUSH", "l", "x", "a", "x", "b", "x", "c", "x");
    expect(c.send("LREM", "l", "2", "x")).toBe(int(2));
    expect(c.send("LRANGE", "l", "0", "-1")).toBe(bulks("a", "b", "x", "c", "x"));
    expect(c.send("LREM", "l", "-1", "x")).toBe(int(1));
    expect(c.send("LRANGE", "l", "0", "-1")).toBe(bulks("a", "b", "x", "c"));
    expect(c.send("LREM", "l", "0", "x")).toBe(int(1));
    propagated.length = 0;
    expect(c.send("LREM", "l", "0", "nothing")).toBe(int(0));
    expect(propagated).toEqual([]);
    expect(c.send("LREM", "l", "-9223372036854775808", "a")).toBe(int(1));
    expect(c.send("LREM", "l", "0", "b")).toBe(int(1));
    expect(c.send("LREM", "l", "0", "c")).toBe(int(1));
    expect(c.send("LLEN", "l")).toBe(int(0));
    expect(c.send("LREM", "missing", "x", "a")).toBe(NOT_INTEGER);
  });

  it("LTRIM keeps a range, deletes the key for an empty one, and touches WATCH even when nothing goes", () => {
    const { connect, engine, propagated } = setup();
    const c = connect();
    c.send("RPUSH", "l", "a", "b", "c", "d", "e");
    expect(c.send("LTRIM", "l", "1", "-2")).toBe("+OK\r\n");
    expect(c.send("LRANGE", "l", "0", "-1")).toBe(bulks("b", "c", "d"));
    propagated.length = 0;
    engine.watch(c.client, "l");
    expect(c.send("LTRIM", "l", "0", "100")).toBe("+OK\r\n");
    expect(propagated).toEqual([]);
    expect(c.client.casDirty).toBe(true);
    expect(c.send("LTRIM", "l", "2", "1")).toBe("+OK\r\n");
    expect(c.send("LLEN", "l")).toBe(int(0));
    expect(c.send("LTRIM", "missing", "0", "1")).toBe("+OK\r\n");
    expect(c.send("LTRIM", "missing", "a", "1")).toBe(NOT_INTEGER);
  });

  it("LINSERT before and after the first pivot", () => {
    const { connect } = setup();
    const c = connect();
    c.send("RPUSH", "l", "a", "p", "b", "p");
    expect(c.send("LINSERT", "l", "BEFORE", "p", "x")).toBe(int(5));
    expect(c.send("LINSERT", "l", "after", "p", "y")).toBe(int(6));
    expect(c.send("LRANGE", "l", "0", "-1")).toBe(bulks("a", "x", "p", "y", "b", "p"));
    expect(c.send("LINSERT", "l", "BEFORE", "zz", "x")).toBe(int(-1));
    expect(c.send("LINSERT", "missing", "BEFORE", "p", "x")).toBe(int(0));
    expect(c.send("LINSERT", "missing", "middle", "p", "x")).toBe(SYNTAX);
  });

  it("LPOS with RANK, COUNT and MAXLEN, and their errors", () => {
    const { connect } = setup();
    const c = connect();
    c.send("RPUSH", "l", "a", "b", "a", "c", "a");
    expect(c.send("LPOS", "l", "a")).toBe(int(0));
    expect(c.send("LPOS", "l", "a", "RANK", "2")).toBe(int(2));
    expect(c.send("LPOS", "l", "a", "RANK", "-1")).toBe(int(4));
    expect(c.send("LPOS", "l", "a", "RANK", "4")).toBe("$-1\r\n");
    expect(c.send("LPOS", "l", "a", "COUNT", "0")).toBe(array(int(0), int(2), int(4)));
    expect(c.send("LPOS", "l", "a", "RANK", "-2", "COUNT", "2")).toBe(array(int(2), int(0)));
    expect(c.send("LPOS", "l", "a", "COUNT", "0", "MAXLEN", "3")).toBe(array(int(0), int(2)));
    expect(c.send("LPOS", "l", "z", "COUNT", "1")).toBe(array());
    expect(c.send("LPOS", "l", "a", "RANK", "2", "RANK", "3")).toBe(int(4));
    // INT64_MIN overflows in Redis: first match from the tail, COUNT's limit ignored.
    expect(c.send("LPOS", "l", "a", "RANK", "-9223372036854775808")).toBe(int(4));
    expect(c.send("LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "2")).toBe(array(int(4), int(2), int(0)));
    expect(c.send("LPOS", "l", "a", "RANK", "0")).toBe(
      err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"),
    );
    expect(c.send("LPOS", "l", "a", "RANK", "x")).toBe(NOT_INTEGER);
    expect(c.send("LPOS", "l", "a", "COUNT", "-1")).toBe(err("ERR COUNT can't be negative"));
    expect(c.send("LPOS", "l", "a", "MAXLEN", "x")).toBe(err("ERR MAXLEN can't be negative"));
    expect(c.send("LPOS", "l", "a", "RANK")).toBe(SYNTAX);
    expect(c.send("LPOS", "l", "a", "FOO", "1")).toBe(SYNTAX);
  });

  it("LMOVE and RPOPLPUSH between lists and within one", () => {
    const { connect } = setup();
    const c = connect();
    c.send("RPUSH", "src", "a", "b", "c");
    expect(c.send("LMOVE", "src", "dst", "LEFT", "RIGHT")).toBe(bulk("a"));
    expect(c.send("RPOPLPUSH", "src", "dst")).toBe(bulk("c"));
    expect(c.send("LRANGE", "dst", "0", "-1")).toBe(bulks("c", "a"));
    expect(c.send("LMOVE", "dst", "dst", "left", "right")).toBe(bulk("c"));
    expect(c.send("LRANGE", "dst", "0", "-1")).toBe(bulks("a", "c"));
    expect(c.send("LMOVE", "src", "src", "LEFT", "LEFT")).toBe(bulk("b"));
    expect(c.send("LMOVE", "src", "dst", "RIGHT", "LEFT")).toBe(bulk("b"));
    expect(c.send("LLEN", "src")).toBe(int(0));
    expect(c.send("LMOVE", "src", "dst", "up", "LEFT")).toBe(SYNTAX);
    expect(c.send("LMOVE", "src", "dst", "LEFT", "LEFT")).toBe("$-1\r\n");
  });

  it("LMPOP takes from the first non-empty list and checks its arguments as Redis does", () => {
    const { connect, propagated } = setup();
    const c = connect();
    c.send("RPUSH", "b", "1", "2", "3");
    propagated.length = 0;
    expect(c.send("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "2")).toBe(array(bulk("b"), bulks("3", "2")));
    expect(c.send("LMPOP", "2", "a", "b", "left", "count", "10")).toBe(array(bulk("b"), bulks("1")));
    expect(propagated).toEqual([
      ["RPOP", "b", "2"],
      ["LPOP", "b", "1"],
    ]);
    expect(c.send("LMPOP", "2", "a", "b", "LEFT")).toBe("*-1\r\n");
    expect(c.send("LMPOP", "0", "a", "LEFT")).toBe(err("ERR numkeys should be greater than 0"));
    expect(c.send("LMPOP", "x", "a", "LEFT")).toBe(err("ERR numkeys should be greater than 0"));
    expect(c.send("LMPOP", "2", "a", "LEFT")).toBe(SYNTAX);
    expect(c.send("LMPOP", "1", "a", "MIDDLE")).toBe(SYNTAX);
    expect(c.send("LMPOP", "1", "a", "LEFT", "COUNT", "0")).toBe(err("ERR count should be greater than 0"));
    expect(c.send("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1")).toBe(SYNTAX);
    expect(c.send("LMPOP", "1", "a", "LEFT", "COUNT")).toBe(SYNTAX);
    expect(c.send("LMPOP", "9223372036854775807", "a", "LEFT")).toBe(SYNTAX);
  });

  it("counts keyspace hits and misses only for read commands", () => {
    const { connect, engine } = setup();
    const c = connect();
    c.send("RPUSH", "l", "a");
    c.send("LPOP", "missing");
    c.send("LRANGE", "l", "0", "-1");
    c.send("LLEN", "missing");
    expect([engine.stats.keyspaceHits, engine.stats.keyspaceMisses]).toEqual([1, 1]);
  });

  it("returns every byte to the ledger when the lists are gone", () => {
    const { connect, engine } = setup();
    const c = connect();
    const before = engine.ledger.bytes;
    c.send("RPUSH", "l", ...Array.from({ length: 300 }, (_, i) => "value-" + i));
    c.send("LPUSH", "m", "x", "y");
    c.send("LMOVE", "l", "m", "LEFT", "RIGHT");
    c.send("LINSERT", "m", "BEFORE", "x", "inserted");
    c.send("LTRIM", "l", "10", "-10");
    expect(engine.ledger.bytes).toBeGreaterThan(before);
    c.send("LTRIM", "l", "1", "0");
    c.send("LPOP", "m", "100");
    expect(engine.ledger.bytes).toBe(before);
  });

  it("refuses a push that would make a list longer than the bound", () => {
    const { connect, engine } = setup();
    const c = connect();
    c.send("RPUSH", "l", "a");
    const list = engine.dbs[0]!.peek("l") as ListValue;
    Object.defineProperty(list, "length", { value: 2 ** 31 });
    expect(c.send("RPUSH", "l", "b")).toMatch(/^-ERR list would exceed 2147483648 elements; trim it/);
  });
});

// ------------------------------------------------------------------ property test through the engine

describe("list commands against an array model", () => {
  type Command = string[];
  const value = fc.constantFrom("a", "b", "c", "dd");
  const index = fc.integer({ min: -8, max: 8 }).map(String);
  const key = fc.constantFrom("k1", "k2");
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.tuple(fc.constantFrom("LPUSH", "RPUSH", "LPUSHX", "RPUSHX"), key, fc.array(value, { minLength: 1, maxLength: 4 })).map(([n, k, v]) => [n, k, ...v]),
    fc.tuple(fc.constantFrom("LPOP", "RPOP"), key).map(([n, k]) => [n, k]),
    fc.tuple(fc.constantFrom("LPOP", "RPOP"), key, fc.nat(4)).map(([n, k, c]) => [n, k, String(c)]),
    fc.tuple(key, index, index).map(([k, a, b]) => ["LRANGE", k, a, b]),
    fc.tuple(key, index, index).map(([k, a, b]) => ["LTRIM", k, a, b]),
    fc.tuple(key, index).map(([k, i]) => ["LINDEX", k, i]),
    fc.tuple(key, index, value).map(([k, i, v]) => ["LSET", k, i, v]),
    fc.tuple(key, fc.integer({ min: -2, max: 2 }), value).map(([k, c, v]) => ["LREM", k, String(c), v]),
    fc.tuple(key, fc.constantFrom("BEFORE", "AFTER"), value, value).map(([k, w, p, v]) => ["LINSERT", k, w, p, v]),
    fc.tuple(key, value, fc.constantFrom(-2, -1, 1, 2), fc.nat(3)).map(([k, v, r, c]) => ["LPOS", k, v, "RANK", String(r), "COUNT", String(c)]),
    fc.tuple(key, key, fc.constantFrom("LEFT", "RIGHT"), fc.constantFrom("LEFT", "RIGHT")).map(([s, d, f, t]) => ["LMOVE", s, d, f, t]),
    key.map((k) => ["LLEN", k]),
  );

  it("replies exactly as the model predicts", () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        const { connect, engine } = setup();
        const c = connect();
        const model = new Map<string, string[]>();
        for (const args of commands) expect(c.send(...args), args.join(" ")).toBe(modelReply(model, args));
        for (const [k, elements] of model) {
          expect(c.send("LRANGE", k, "0", "-1")).toBe(elements.length === 0 ? array() : bulks(...elements));
        }
        // Emptied lists are deleted, never left behind empty.
        for (const k of ["k1", "k2"]) expect(engine.dbs[0]!.peek(k) !== undefined).toBe((model.get(k)?.length ?? 0) > 0);
      }),
      { numRuns: 300 },
    );
  });
});

/** What Redis replies to one list command, computed on plain arrays. */
function modelReply(model: Map<string, string[]>, args: string[]): string {
  const [name, k] = args as [string, string];
  const list = model.get(k) ?? [];
  const store = (next: string[]) => (next.length === 0 ? model.delete(k) : model.set(k, next));
  const normalize = (i: number) => (i < 0 ? list.length + i : i);
  switch (name) {
    case "LPUSH":
    case "RPUSH":
    case "LPUSHX":
    case "RPUSHX": {
      if (name.endsWith("X") && list.length === 0) return int(0);
      const next = [...list];
      for (const v of args.slice(2)) if (name.startsWith("L")) next.unshift(v);
      else next.push(v);
      store(next);
      return int(next.length);
    }
    case "LPOP":
    case "RPOP": {
      if (args.length === 3) {
        if (list.length === 0) return "*-1\r\n";
        const count = Number(args[2]);
        const popped = name === "LPOP" ? list.slice(0, count) : list.slice(Math.max(0, list.length - count)).reverse();
        store(name === "LPOP" ? list.slice(popped.length) : list.slice(0, list.length - popped.length));
        return popped.length === 0 ? array() : bulks(...popped);
      }
      if (list.length === 0) return "$-1\r\n";
      const popped = name === "LPOP" ? list[0]! : list[list.length - 1]!;
      store(name === "LPOP" ? list.slice(1) : list.slice(0, -1));
      return bulk(popped);
    }
    case "LLEN":
      return int(list.length);
    case "LRANGE":
    case "LTRIM": {
      const start = Math.max(0, normalize(Number(args[2])));
      const stop = Math.min(normalize(Number(args[3])), list.length - 1);
      const selected = start > stop ? [] : list.slice(start, stop + 1);
      if (name === "LRANGE") return selected.length === 0 ? array() : bulks(...selected);
      if (list.length > 0) store(selected);
      return "+OK\r\n";
    }
    case "LINDEX": {
      const i = normalize(Number(args[2]));
      return i >= 0 && i < list.length ? bulk(list[i]!) : "$-1\r\n";
    }
    case "LSET": {
      if (list.length === 0) return err("ERR no such key");
      const i = normalize(Number(args[2]));
      if (i < 0 || i >= list.length) return err("ERR index out of range");
      const next = [...list];
      next[i] = args[3]!;
      store(next);
      return "+OK\r\n";
    }
    case "LREM": {
      const count = Number(args[2]);
      const { kept, removed } = modelRemove(list, args[3]!, Math.abs(count), count < 0 ? "tail" : "head");
      if (list.length > 0) store(kept);
      return int(removed);
    }
    case "LINSERT": {
      if (list.length === 0) return int(0);
      const pivot = list.indexOf(args[3]!);
      if (pivot < 0) return int(-1);
      const next = [...list];
      next.splice(args[2] === "BEFORE" ? pivot : pivot + 1, 0, args[4]!);
      store(next);
      return int(next.length);
    }
    case "LPOS": {
      const rank = Number(args[4]);
      const count = Number(args[6]);
      const order = list.map((v, i) => [v, i] as const);
      if (rank < 0) order.reverse();
      const matches = order.filter(([v]) => v === args[2]).map(([, i]) => i).slice(Math.abs(rank) - 1);
      return array(...(count === 0 ? matches : matches.slice(0, count)).map(int));
    }
    case "LMOVE": {
      if (list.length === 0) return "$-1\r\n";
      const destination = args[2]!;
      const element = args[3] === "LEFT" ? list[0]! : list[list.length - 1]!;
      store(args[3] === "LEFT" ? list.slice(1) : list.slice(0, -1));
      const target = [...(model.get(destination) ?? [])];
      if (args[4] === "LEFT") target.unshift(element);
      else target.push(element);
      model.set(destination, target);
      return bulk(element);
    }
  }
  throw new Error("model does not know " + name);
}

// ------------------------------------------------------------------ blocking

describe("blocking list commands", () => {
  it("BLPOP serves at once when it can, and propagates a plain LPOP", () => {
    const { connect, propagated } = setup();
    const c = connect();
    c.send("RPUSH", "b", "x", "y");
    propagated.length = 0;
    expect(c.send("BLPOP", "a", "b", "0")).toBe(bulks("b", "x"));
    expect(c.send("BRPOP", "a", "b", "0")).toBe(bulks("b", "y"));
    expect(propagated).toEqual([
      ["LPOP", "b"],
      ["RPOP", "b"],
    ]);
  });

  it("BLPOP blocks until a push, serving clients first come first served", () => {
    const { connect, propagated } = setup();
    const [first, second, pusher] = [connect(), connect(), connect()];
    expect(first.send("BLPOP", "q", "0")).toBe("");
    expect(second.send("BLPOP", "q", "0")).toBe("");
    propagated.length = 0;
    expect(pusher.send("LPUSH", "q", "a", "b", "c")).toBe(int(3));
    expect(first.take()).toBe(bulks("q", "c"));
    expect(second.take()).toBe(bulks("q", "b"));
    expect(pusher.send("LRANGE", "q", "0", "-1")).toBe(bulks("a"));
    expect(propagated).toEqual([["LPUSH", "q", "a", "b", "c"], ["LPOP", "q"], ["LPOP", "q"]]);
  });

  it("times out with a null array (RESP2) or null (RESP3) when the clock passes the deadline", () => {
    const { connect, clock, engine } = setup();
    const c = connect();
    const resp3 = connect();
    resp3.client.writer.protocol = 3;
    expect(c.send("BLPOP", "q", "1.5")).toBe("");
    expect(resp3.send("BLMOVE", "q", "d", "LEFT", "LEFT", "1")).toBe("");
    expect(engine.nextWakeMs()).toBe(clock.nowMs() + 1000);
    clock.advance(999);
    engine.wake();
    expect(resp3.take()).toBe("");
    clock.advance(1);
    engine.wake();
    expect(resp3.take()).toBe("_\r\n");
    expect(c.take()).toBe("");
    clock.advance(500);
    engine.wake();
    expect(c.take()).toBe("*-1\r\n");
    expect(engine.nextWakeMs()).toBeUndefined();
  });

  it("timeout 0 (and tiny negative timeouts that round up to 0 ms) wait forever; tiny positive ones take 1 ms", () => {
    const { connect, clock, engine } = setup();
    const quick = connect();
    expect(quick.send("BLPOP", "q", "0.0001")).toBe("");
    clock.advance(1);
    engine.wake();
    expect(quick.take()).toBe("*-1\r\n");
    const c = connect();
    expect(c.send("BLPOP", "q", "-0.0001")).toBe("");
    expect(engine.nextWakeMs()).toBeUndefined();
    clock.advance(10 ** 9);
    engine.wake();
    expect(c.take()).toBe("");
    connect().send("RPUSH", "q", "v");
    expect(c.take()).toBe(bulks("q", "v"));
  });

  it("holds pipelined commands until the blocking command is served", () => {
    const { connect } = setup();
    const c = connect();
    expect(c.write(encode(["BLPOP", "q", "0"]).toString("latin1") + encode(["PING"]).toString("latin1"))).toBe("");
    connect().send("RPUSH", "q", "v");
    expect(c.take()).toBe(bulks("q", "v") + "+PONG\r\n");
  });

  it("keeps a client blocked when its key is set to another type, as Redis 7.0 does", () => {
    const { connect } = setup();
    const [blocked, other] = [connect(), connect()];
    expect(blocked.send("BLPOP", "k", "0")).toBe("");
    expect(other.send("SET", "k", "string")).toBe("+OK\r\n");
    expect(blocked.take()).toBe("");
    expect(blocked.client.blocked).toBeDefined();
  });

  it("serves the first key holding a list, skipping one that turned into another type", () => {
    const { connect } = setup();
    const [blocked, other] = [connect(), connect()];
    expect(blocked.send("BLPOP", "k1", "k2", "0")).toBe("");
    other.send("SET", "k1", "string");
    other.send("RPUSH", "k2", "v");
    expect(blocked.take()).toBe(bulks("k2", "v"));
  });

  it("releases a blocked BLMOVE with WRONGTYPE when its destination holds another type, leaving the source", () => {
    const { connect } = setup();
    const [blocked, other] = [connect(), connect()];
    expect(blocked.send("BLMOVE", "src", "dst", "LEFT", "LEFT", "0")).toBe("");
    other.send("SET", "dst", "x");
    other.send("RPUSH", "src", "a");
    expect(blocked.take()).toBe(WRONGTYPE);
    expect(blocked.client.blocked).toBeUndefined();
    expect(other.send("LRANGE", "src", "0", "-1")).toBe(bulks("a"));
  });

  it("BLMOVE's push into its destination wakes clients blocked on the destination", () => {
    const { connect, propagated } = setup();
    const [mover, waiter, pusher] = [connect(), connect(), connect()];
    expect(mover.send("BLMOVE", "x1", "x2", "RIGHT", "LEFT", "0")).toBe("");
    expect(waiter.send("BLPOP", "x2", "0")).toBe("");
    propagated.length = 0;
    pusher.send("RPUSH", "x1", "v");
    expect(mover.take()).toBe(bulk("v"));
    expect(waiter.take()).toBe(bulks("x2", "v"));
    expect(pusher.send("LLEN", "x1")).toBe(int(0));
    expect(pusher.send("LLEN", "x2")).toBe(int(0));
    expect(propagated).toEqual([["RPUSH", "x1", "v"], ["LMOVE", "x1", "x2", "right", "left"], ["LPOP", "x2"]]);
  });

  it("propagates BLMOVE and BRPOPLPUSH as LMOVE and RPOPLPUSH, with the client's words when served at once", () => {
    const { connect, propagated } = setup();
    const c = connect();
    c.send("RPUSH", "k", "a", "b", "c");
    propagated.length = 0;
    expect(c.send("BLMOVE", "k", "d", "LeFt", "RIGHT", "0")).toBe(bulk("a"));
    expect(c.send("BRPOPLPUSH", "k", "d", "0")).toBe(bulk("c"));
    const waiter = connect();
    expect(waiter.send("BRPOPLPUSH", "w", "d", "0")).toBe("");
    c.send("RPUSH", "w", "1", "2");
    expect(waiter.take()).toBe(bulk("2"));
    expect(propagated).toEqual([
      ["LMOVE", "k", "d", "LeFt", "RIGHT"],
      ["RPOPLPUSH", "k", "d"],
      ["RPUSH", "w", "1", "2"],
      ["RPOPLPUSH", "w", "d"],
    ]);
  });

  it("BLMPOP pops up to COUNT from the first list and propagates LPOP/RPOP with the number taken", () => {
    const { connect, propagated } = setup();
    const [c, waiter] = [connect(), connect()];
    c.send("RPUSH", "k", "a", "b", "c", "d");
    propagated.length = 0;
    expect(c.send("BLMPOP", "0", "2", "none", "k", "LEFT", "COUNT", "5")).toBe(array(bulk("k"), bulks("a", "b", "c", "d")));
    expect(waiter.send("BLMPOP", "0", "2", "m1", "m2", "RIGHT", "COUNT", "2")).toBe("");
    c.send("RPUSH", "m2", "1", "2", "3");
    expect(waiter.take()).toBe(array(bulk("m2"), bulks("3", "2")));
    expect(propagated).toEqual([["LPOP", "k", "4"], ["RPUSH", "m2", "1", "2", "3"], ["RPOP", "m2", "2"]]);
    expect(c.send("BLMPOP", "x", "1", "k", "LEFT")).toBe(err("ERR timeout is not a float or out of range"));
    expect(c.send("BLMPOP", "x", "1", "k", "LEFT", "COUNT", "0")).toBe(err("ERR count should be greater than 0"));
    expect(c.send("BLMPOP", "0", "0", "k", "LEFT")).toBe(err("ERR numkeys should be greater than 0"));
  });

  it("inside EXEC answers at once: a null array for the pops, a null bulk for the moves", () => {
    const { connect, engine } = setup();
    const c = connect();
    expect(inExec(engine, c.client, ["BLPOP", "q", "0"])).toBe("*-1\r\n");
    expect(inExec(engine, c.client, ["BLMPOP", "0", "1", "q", "LEFT"])).toBe("*-1\r\n");
    expect(inExec(engine, c.client, ["BLMOVE", "q", "d", "LEFT", "LEFT", "0"])).toBe("$-1\r\n");
    expect(inExec(engine, c.client, ["BRPOPLPUSH", "q", "d", "0"])).toBe("$-1\r\n");
    c.client.writer.protocol = 3;
    expect(inExec(engine, c.client, ["BRPOPLPUSH", "q", "d", "0"])).toBe("_\r\n");
    c.send("RPUSH", "q", "v");
    expect(inExec(engine, c.client, ["BLPOP", "q", "0"])).toBe(bulks("q", "v"));
    expect(c.client.blocked).toBeUndefined();
  });

  it("forgets a blocked client that disconnects", () => {
    const { connect, engine } = setup();
    const [gone, waiting, pusher] = [connect(), connect(), connect()];
    gone.send("BLPOP", "q", "0");
    waiting.send("BLPOP", "q", "0");
    engine.disconnect(gone.client);
    pusher.send("RPUSH", "q", "v");
    expect(waiting.take()).toBe(bulks("q", "v"));
  });

  it("rotates a list onto itself when BLMOVE's source and destination are the same key", () => {
    const { connect } = setup();
    const [mover, pusher] = [connect(), connect()];
    expect(mover.send("BLMOVE", "r", "r", "LEFT", "RIGHT", "0")).toBe("");
    pusher.send("RPUSH", "r", "a", "b");
    expect(mover.take()).toBe(bulk("a"));
    expect(pusher.send("LRANGE", "r", "0", "-1")).toBe(bulks("b", "a"));
  });
});
