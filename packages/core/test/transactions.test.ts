import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { array, bulk, err, int, NIL, NIL_ARRAY, ok, parseReply, simple, startSession } from "./support/server-session.js";

const QUEUED = simple("QUEUED");

describe("MULTI, EXEC, DISCARD", () => {
  it("queues commands and replies to each in one array", () => {
    const c = startSession().connect();
    expect(c.send("MULTI")).toBe(ok);
    expect(c.send("SET", "k", "1")).toBe(QUEUED);
    expect(c.send("INCR", "k")).toBe(QUEUED);
    expect(c.send("GET", "k")).toBe(QUEUED);
    expect(c.send("EXEC")).toBe(array(ok, int(2), bulk("2")));
    expect(c.client.multi).toBeUndefined();
  });

  it("includes runtime errors of queued commands in the array", () => {
    const c = startSession().connect();
    c.send("SET", "s", "text");
    c.send("MULTI");
    c.send("INCR", "s");
    c.send("SET", "t", "1");
    expect(c.send("EXEC")).toBe(array(err("ERR value is not an integer or out of range"), ok));
  });

  it("aborts with EXECABORT when a command was refused while queueing", () => {
    const s = startSession();
    const c = s.connect();
    c.send("MULTI");
    expect(c.send("NOSUCH")).toBe(err("ERR unknown command 'NOSUCH', with args beginning with: "));
    expect(c.send("SET", "k")).toBe(err("ERR wrong number of arguments for 'set' command"));
    expect(c.send("SET", "k", "v")).toBe(QUEUED);
    expect(c.send("EXEC")).toBe(err("EXECABORT Transaction discarded because of previous errors."));
    expect(c.send("GET", "k")).toBe(NIL);
  });

  it("discards the transaction when EXEC itself is refused", () => {
    const c = startSession().connect();
    c.send("MULTI");
    expect(c.send("EXEC", "x")).toBe(err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"));
    expect(c.client.multi).toBeUndefined();
    expect(c.send("EXEC", "x")).toBe(err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"));
  });

  it("refuses nesting, and EXEC or DISCARD without MULTI", () => {
    const c = startSession().connect();
    expect(c.send("EXEC")).toBe(err("ERR EXEC without MULTI"));
    expect(c.send("DISCARD")).toBe(err("ERR DISCARD without MULTI"));
    c.send("MULTI");
    expect(c.send("MULTI")).toBe(err("ERR MULTI calls can not be nested"));
    expect(c.send("EXEC")).toBe(array());
  });

  it("discards queued commands and watched keys", () => {
    const s = startSession();
    const c = s.connect();
    c.send("WATCH", "k");
    c.send("MULTI");
    c.send("SET", "k", "v");
    expect(c.send("DISCARD")).toBe(ok);
    expect(c.client.watched.size).toBe(0);
    expect(c.send("GET", "k")).toBe(NIL);
  });

  it("does not let blocking commands wait inside EXEC", () => {
    const c = startSession().connect();
    c.send("MULTI");
    c.send("BLPOP", "nolist", 0);
    expect(c.send("EXEC")).toBe(array(NIL_ARRAY));
    expect(c.client.blocked).toBeUndefined();
  });

  it("runs SUBSCRIBE but refuses SSUBSCRIBE inside EXEC, as Redis", () => {
    const c = startSession().connect();
    c.send("MULTI");
    c.send("SUBSCRIBE", "x");
    c.send("SSUBSCRIBE", "y");
    expect(c.send("EXEC")).toBe(
      array(array(bulk("subscribe"), bulk("x"), int(1)), err("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client")),
    );
  });

  it("sends replicas one MULTI ... EXEC for several writes, and a single write alone", () => {
    const s = startSession();
    const c = s.connect();
    c.send("MULTI");
    c.send("SET", "a", "1");
    c.send("GET", "a");
    c.send("INCR", "a");
    c.send("EXEC");
    expect(s.propagated).toEqual([
      [0, ["MULTI"]],
      [0, ["SET", "a", "1"]],
      [0, ["INCR", "a"]],
      [0, ["EXEC"]],
    ]);
    s.propagated.length = 0;
    c.send("MULTI");
    c.send("SET", "b", "1");
    c.send("GET", "b");
    c.send("EXEC");
    expect(s.propagated).toEqual([[0, ["SET", "b", "1"]]]);
  });

  it("wakes clients blocked on keys written inside the transaction", () => {
    const s = startSession();
    const waiter = s.connect();
    waiter.send("BLPOP", "q", 0);
    const c = s.connect();
    c.send("MULTI");
    c.send("RPUSH", "q", "x");
    expect(c.send("EXEC")).toBe(array(int(1)));
    expect(waiter.take()).toBe(array(bulk("q"), bulk("x")));
  });
});

describe("WATCH", () => {
  it("fails EXEC with a nil reply when a watched key changed", () => {
    const s = startSession();
    const a = s.connect();
    const b = s.connect();
    expect(a.send("WATCH", "k")).toBe(ok);
    b.send("SET", "k", "other");
    a.send("MULTI");
    a.send("SET", "k", "mine");
    expect(a.send("EXEC")).toBe(NIL_ARRAY);
    expect(a.send("GET", "k")).toBe(bulk("other"));
    a.send("HELLO", 3);
    a.send("WATCH", "k");
    b.send("SET", "k", "again");
    a.send("MULTI");
    expect(a.send("EXEC")).toBe("_\r\n");
  });

  it("is not touched by writes that change nothing, and is reset by UNWATCH and EXEC", () => {
    const s = startSession();
    const a = s.connect();
    const b = s.connect();
    a.send("WATCH", "k");
    b.send("DEL", "k");
    a.send("MULTI");
    expect(a.send("EXEC")).toBe(array());
    a.send("WATCH", "k");
    b.send("SET", "k", "1");
    expect(a.send("UNWATCH")).toBe(ok);
    a.send("MULTI");
    expect(a.send("EXEC")).toBe(array());
  });

  it("watches per database", () => {
    const s = startSession();
    const a = s.connect();
    const b = s.connect();
    a.send("WATCH", "k");
    b.send("SELECT", 1);
    b.send("SET", "k", "1");
    a.send("MULTI");
    expect(a.send("EXEC")).toBe(array());
  });

  it("fails EXEC when a watched key expired since WATCH, but not for a key already expired then", () => {
    const s = startSession();
    const a = s.connect();
    a.send("SET", "k", "v", "PX", 100);
    a.send("WATCH", "k");
    s.clock.advance(200);
    a.send("MULTI");
    expect(a.send("EXEC")).toBe(NIL_ARRAY);
    a.send("SET", "old", "v", "PX", 100);
    s.clock.advance(200);
    a.send("WATCH", "old");
    a.send("GET", "old");
    a.send("MULTI");
    expect(a.send("EXEC")).toBe(array());
  });

  it("is refused inside MULTI without dooming the transaction", () => {
    const c = startSession().connect();
    c.send("MULTI");
    expect(c.send("WATCH", "k")).toBe(err("ERR WATCH inside MULTI is not allowed"));
    c.send("SET", "k", "v");
    expect(c.send("EXEC")).toBe(array(ok));
  });

  it("agrees with a model: EXEC fails exactly when another client wrote a watched key", () => {
    type Step = { kind: "other-write"; key: string } | { kind: "own-read"; key: string };
    const keys = ["a", "b", "c"];
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant("other-write" as const), key: fc.constantFrom(...keys) }),
      fc.record({ kind: fc.constant("own-read" as const), key: fc.constantFrom(...keys) }),
    );
    fc.assert(
      fc.property(fc.subarray(keys, { minLength: 1 }), fc.array(step, { maxLength: 6 }), fc.constantFrom(...keys), (watched, steps, target) => {
        const s = startSession();
        const a = s.connect();
        const b = s.connect();
        a.send("WATCH", ...watched);
        let touched = false;
        for (const st of steps) {
          if (st.kind === "other-write") {
            b.send("SET", st.key, "x");
            if (watched.includes(st.key)) touched = true;
          } else {
            a.send("GET", st.key);
          }
        }
        a.send("MULTI");
        a.send("INCR", target);
        const reply = a.send("EXEC");
        if (touched) {
          expect(reply).toBe(NIL_ARRAY);
        } else {
          const before = steps.some((st) => st.kind === "other-write" && st.key === target);
          expect(parseReply(reply)).toEqual(before ? [{ error: "ERR value is not an integer or out of range" }] : [1]);
        }
        expect(a.client.watched.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("transactions against a model", () => {
  it("apply queued writes in order, all at once, as a sequential model does", () => {
    type Op = ["SET", string, string] | ["DEL", string] | ["APPEND", string, string] | ["GET", string];
    const key = fc.constantFrom("k1", "k2", "k3");
    const value = fc.string({ maxLength: 3, unit: fc.constantFrom("a", "b", "1") });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.tuple(fc.constant("SET" as const), key, value),
      fc.tuple(fc.constant("DEL" as const), key),
      fc.tuple(fc.constant("APPEND" as const), key, value),
      fc.tuple(fc.constant("GET" as const), key),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const s = startSession();
        const c = s.connect();
        const model = new Map<string, string>();
        const expected: unknown[] = [];
        c.send("MULTI");
        for (const o of ops) {
          expect(c.send(...o)).toBe(QUEUED);
          if (o[0] === "SET") {
            model.set(o[1], o[2]);
            expected.push("OK");
          } else if (o[0] === "DEL") {
            expected.push(model.delete(o[1]) ? 1 : 0);
          } else if (o[0] === "APPEND") {
            model.set(o[1], (model.get(o[1]) ?? "") + o[2]);
            expected.push(model.get(o[1])!.length);
          } else {
            expected.push(model.get(o[1]) ?? null);
          }
        }
        expect(parseReply(c.send("EXEC"))).toEqual(expected);
        for (const k of ["k1", "k2", "k3"]) {
          const stored = parseReply(c.send("GET", k));
          expect(stored).toBe(model.get(k) ?? null);
        }
      }),
      { numRuns: 300 },
    );
  });
});
