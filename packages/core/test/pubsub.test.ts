import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { array, bulk, bulks, err, int, parseReply, push, simple, startSession } from "./support/server-session.js";

const confirm = (word: string, name: string | null, count: number) => array(bulk(word), name === null ? "$-1\r\n" : bulk(name), int(count));
const message = (channel: string, text: string) => array(bulk("message"), bulk(channel), bulk(text));

describe("SUBSCRIBE and PUBLISH", () => {
  it("confirms each channel with the running count and delivers messages", () => {
    const s = startSession();
    const sub = s.connect();
    expect(sub.send("SUBSCRIBE", "a", "b", "a")).toBe(confirm("subscribe", "a", 1) + confirm("subscribe", "b", 2) + confirm("subscribe", "a", 2));
    const pub = s.connect();
    expect(pub.send("PUBLISH", "a", "hello")).toBe(int(1));
    expect(sub.take()).toBe(message("a", "hello"));
    expect(pub.send("PUBLISH", "nobody", "x")).toBe(int(0));
  });

  it("delivers to pattern subscribers after channel subscribers, once per matching pattern", () => {
    const s = startSession();
    const sub = s.connect();
    sub.send("SUBSCRIBE", "news.sport");
    expect(sub.send("PSUBSCRIBE", "news.*", "*sport")).toBe(confirm("psubscribe", "news.*", 2) + confirm("psubscribe", "*sport", 3));
    expect(s.connect().send("PUBLISH", "news.sport", "goal")).toBe(int(3));
    expect(sub.take()).toBe(
      message("news.sport", "goal") +
        array(bulk("pmessage"), bulk("news.*"), bulk("news.sport"), bulk("goal")) +
        array(bulk("pmessage"), bulk("*sport"), bulk("news.sport"), bulk("goal")),
    );
  });

  it("writes push frames in RESP3, and a self-delivery before PUBLISH's own reply", () => {
    const s = startSession();
    const c = s.connect();
    c.send("HELLO", 3);
    expect(c.send("SUBSCRIBE", "a")).toBe(push(bulk("subscribe"), bulk("a"), int(1)));
    expect(c.send("PUBLISH", "a", "hi")).toBe(push(bulk("message"), bulk("a"), bulk("hi")) + int(1));
    expect(c.send("GET", "k")).toBe("_\r\n");
    expect(c.send("UNSUBSCRIBE")).toBe(push(bulk("unsubscribe"), bulk("a"), int(0)));
    expect(c.send("UNSUBSCRIBE")).toBe(push(bulk("unsubscribe"), "_\r\n", int(0)));
  });

  it("restricts a subscribed RESP2 client to the subscription commands, PING and RESET", () => {
    const c = startSession().connect();
    c.send("SUBSCRIBE", "a");
    expect(c.send("GET", "k")).toBe(
      err("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"),
    );
    expect(c.send("PING")).toBe(bulks("pong", ""));
    expect(c.send("PING", "x")).toBe(bulks("pong", "x"));
    expect(c.send("UNSUBSCRIBE", "a")).toBe(confirm("unsubscribe", "a", 0));
    expect(c.send("PING")).toBe(simple("PONG"));
  });

  it("unsubscribes from everything, or confirms a nil channel when there was nothing", () => {
    const c = startSession().connect();
    expect(c.send("UNSUBSCRIBE")).toBe(confirm("unsubscribe", null, 0));
    expect(c.send("PUNSUBSCRIBE")).toBe(confirm("punsubscribe", null, 0));
    expect(c.send("SUNSUBSCRIBE")).toBe(confirm("sunsubscribe", null, 0));
    c.send("SUBSCRIBE", "a", "b");
    c.send("PSUBSCRIBE", "p*");
    expect(c.send("UNSUBSCRIBE")).toBe(confirm("unsubscribe", "a", 2) + confirm("unsubscribe", "b", 1));
    expect(c.send("PUNSUBSCRIBE", "nope")).toBe(confirm("punsubscribe", "nope", 1));
    expect(c.send("PUNSUBSCRIBE")).toBe(confirm("punsubscribe", "p*", 0));
  });

  it("keeps shard channels apart: their own counts and smessage frames", () => {
    const s = startSession();
    const c = s.connect();
    expect(c.send("SSUBSCRIBE", "s1", "s2")).toBe(confirm("ssubscribe", "s1", 1) + confirm("ssubscribe", "s2", 2));
    expect(c.send("SUBSCRIBE", "c")).toBe(confirm("subscribe", "c", 1));
    expect(s.connect().send("SPUBLISH", "s1", "m")).toBe(int(1));
    expect(c.take()).toBe(array(bulk("smessage"), bulk("s1"), bulk("m")));
    expect(s.connect().send("PUBLISH", "s1", "m")).toBe(int(0));
    expect(c.send("SUNSUBSCRIBE")).toBe(confirm("sunsubscribe", "s1", 1) + confirm("sunsubscribe", "s2", 0));
  });

  it("propagates PUBLISH to replicas on a standalone node", () => {
    const s = startSession();
    s.connect().send("PUBLISH", "a", "b");
    expect(s.propagated).toEqual([[0, ["PUBLISH", "a", "b"]]]);
  });

  it("forgets the subscriptions of a client that disconnects", () => {
    const s = startSession();
    const c = s.connect();
    c.send("SUBSCRIBE", "a");
    c.send("PSUBSCRIBE", "b*");
    c.send("SSUBSCRIBE", "s");
    s.engine.disconnect(c.client);
    expect(s.engine.pubsub.channels.size + s.engine.pubsub.patterns.size + s.engine.pubsub.shardChannels.size).toBe(0);
    expect(s.connect().send("PUBLISH", "a", "x")).toBe(int(0));
  });
});

describe("PUBSUB", () => {
  it("lists active channels, counts subscribers and patterns", () => {
    const s = startSession();
    const a = s.connect();
    const b = s.connect();
    a.send("SUBSCRIBE", "news", "sport");
    b.send("SUBSCRIBE", "news");
    a.send("PSUBSCRIBE", "n*");
    b.send("PSUBSCRIBE", "n*", "x*");
    b.send("SSUBSCRIBE", "shard");
    const q = s.connect();
    expect((parseReply(q.send("PUBSUB", "CHANNELS")) as string[]).sort()).toEqual(["news", "sport"]);
    expect(q.send("PUBSUB", "CHANNELS", "s*")).toBe(bulks("sport"));
    expect(q.send("PUBSUB", "NUMSUB", "news", "sport", "none")).toBe(array(bulk("news"), int(2), bulk("sport"), int(1), bulk("none"), int(0)));
    expect(q.send("PUBSUB", "NUMSUB")).toBe(array());
    expect(q.send("PUBSUB", "NUMPAT")).toBe(int(2));
    expect(q.send("PUBSUB", "SHARDCHANNELS")).toBe(bulks("shard"));
    expect(q.send("PUBSUB", "SHARDNUMSUB", "shard", "news")).toBe(array(bulk("shard"), int(1), bulk("news"), int(0)));
    q.send("HELLO", 3);
    expect(q.send("PUBSUB", "NUMSUB", "news")).toBe(array(bulk("news"), int(2)));
  });

  it("refuses malformed PUBSUB calls with Redis's errors", () => {
    const c = startSession().connect();
    expect(c.send("PUBSUB")).toBe(err("ERR wrong number of arguments for 'pubsub' command"));
    expect(c.send("PUBSUB", "CHANNELS", "a", "b")).toBe(err("ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP."));
    expect(c.send("PUBSUB", "NUMPAT", "x")).toBe(err("ERR wrong number of arguments for 'pubsub|numpat' command"));
    expect(c.send("PUBSUB", "FOO")).toBe(err("ERR unknown subcommand 'FOO'. Try PUBSUB HELP."));
    expect((parseReply(c.send("PUBSUB", "HELP")) as string[]).length).toBe(14);
  });
});

describe("pub/sub against a model", () => {
  type Op = ["sub" | "unsub" | "psub" | "punsub", number, string] | ["pub", string];
  const channel = fc.constantFrom("a", "b", "ab", "ba");
  const pattern = fc.constantFrom("a*", "*b", "?", "[ab]b");
  const client = fc.integer({ min: 0, max: 2 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.tuple(fc.constant("sub" as const), client, channel),
    fc.tuple(fc.constant("unsub" as const), client, channel),
    fc.tuple(fc.constant("psub" as const), client, pattern),
    fc.tuple(fc.constant("punsub" as const), client, pattern),
    fc.tuple(fc.constant("pub" as const), channel),
  );
  const matches = (p: string, text: string) => new RegExp("^" + p.replace(/\*/g, ".*").replace(/\?/g, ".") + "$").test(text);

  it("delivers each message to exactly the subscriptions a model predicts, with the counts it predicts", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const s = startSession();
        const clients = [s.connect(), s.connect(), s.connect()];
        const publisher = s.connect();
        const channels = clients.map(() => new Set<string>());
        const patterns = clients.map(() => new Set<string>());
        // Patterns in the order the server first saw them (a pattern nobody holds is forgotten), as Redis keeps them.
        const patternOrder = new Map<string, Set<number>>();
        for (const o of ops) {
          if (o[0] === "pub") {
            let expected = 0;
            const frames = clients.map((_, i) => {
              let out = "";
              if (channels[i]!.has(o[1])) {
                out += message(o[1], "m");
                expected++;
              }
              for (const [p, holders] of patternOrder) {
                if (!holders.has(i) || !matches(p, o[1])) continue;
                out += array(bulk("pmessage"), bulk(p), bulk(o[1]), bulk("m"));
                expected++;
              }
              return out;
            });
            expect(publisher.send("PUBLISH", o[1], "m")).toBe(int(expected));
            clients.forEach((c, i) => expect(c.take()).toBe(frames[i]));
            continue;
          }
          const [kind, index, name] = o;
          const own = kind === "sub" || kind === "unsub" ? channels[index]! : patterns[index]!;
          if (kind === "sub" || kind === "psub") own.add(name);
          else own.delete(name);
          if (kind === "psub") {
            if (!patternOrder.has(name)) patternOrder.set(name, new Set());
            patternOrder.get(name)!.add(index);
          } else if (kind === "punsub" && patternOrder.get(name)?.delete(index) && patternOrder.get(name)!.size === 0) {
            patternOrder.delete(name);
          }
          const count = channels[index]!.size + patterns[index]!.size;
          const word = { sub: "subscribe", unsub: "unsubscribe", psub: "psubscribe", punsub: "punsubscribe" }[kind];
          expect(clients[index]!.send(word.toUpperCase(), name)).toBe(confirm(word, name, count));
        }
        const active = new Set(channels.flatMap((set) => [...set]));
        const q = s.connect();
        expect(new Set(parseReply(q.send("PUBSUB", "CHANNELS")) as string[])).toEqual(active);
        expect(q.send("PUBSUB", "NUMPAT")).toBe(int(new Set(patterns.flatMap((set) => [...set])).size));
        for (const name of ["a", "b", "ab", "ba"]) {
          expect(q.send("PUBSUB", "NUMSUB", name)).toBe(array(bulk(name), int(channels.filter((set) => set.has(name)).length)));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("PUBLISH inside MULTI", () => {
  it("delivers when EXEC runs", () => {
    const s = startSession();
    const sub = s.connect();
    sub.send("SUBSCRIBE", "a");
    const c = s.connect();
    c.send("MULTI");
    c.send("PUBLISH", "a", "x");
    expect(sub.take()).toBe("");
    expect(c.send("EXEC")).toBe(array(int(1)));
    expect(sub.take()).toBe(message("a", "x"));
    expect(c.send("PING")).toBe(simple("PONG"));
  });
});
