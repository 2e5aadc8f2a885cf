import { spawnSync } from "node:child_process";
import Redis from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIST_COMMANDS } from "../packages/core/src/commands/lists.js";
import type { ArgumentDoc, CommandSpec, KeySpec } from "../packages/core/src/commands/spec.js";
import { RedisPair } from "./support/differential.js";
import { redisCliAvailable, redisServerAvailable, skipReason } from "./support/processes.js";
import { RawConnection } from "./support/raw-client.js";

/**
 * Lists against a real Redis 7.0: the same commands to both servers, the
 * same bytes back. Every test uses its own keys, so no test depends on
 * another's leftovers (or on FLUSHALL).
 */
describe.skipIf(skipReason(redisServerAvailable, "redis-server"))("lists, differential against redis-server", () => {
  let pair: RedisPair;
  beforeAll(async () => {
    pair = await RedisPair.start();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it("push, pop and length, with and without counts", async () => {
    await pair.same(
      ["LPUSH", "p:l", "a", "b", "c"],
      ["RPUSH", "p:l", "d", "e"],
      ["LPUSHX", "p:none", "a"],
      ["RPUSHX", "p:none", "a"],
      ["LPUSHX", "p:l", "x", "y"],
      ["RPUSHX", "p:l", "z"],
      ["LLEN", "p:l"],
      ["LLEN", "p:none"],
      ["LPOP", "p:l"],
      ["RPOP", "p:l"],
      ["LPOP", "p:l", "2"],
      ["RPOP", "p:l", "0"],
      ["LPOP", "p:none"],
      ["LPOP", "p:none", "0"],
      ["LPOP", "p:none", "3"],
      ["LPOP", "p:l", "-1"],
      ["LPOP", "p:l", "abc"],
      ["LPOP", "p:l", "9223372036854775808"],
      ["LPOP", "p:l", "1", "2"],
      ["RPOP", "p:l", "9223372036854775807"],
      ["LLEN", "p:l"],
      ["LPUSH", "p:l"],
      ["RPUSHX", "p:l"],
      ["LPOP"],
      ["LLEN", "p:l", "extra"],
    );
  });

  it("ranges, indexes, LSET, LTRIM", async () => {
    await pair.same(
      ["RPUSH", "r:l", "a", "b", "c", "d", "e", "f"],
      ["LRANGE", "r:l", "0", "-1"],
      ["LRANGE", "r:l", "-3", "-2"],
      ["LRANGE", "r:l", "-100", "100"],
      ["LRANGE", "r:l", "4", "2"],
      ["LRANGE", "r:l", "6", "10"],
      ["LRANGE", "r:l", "-9223372036854775808", "9223372036854775807"],
      ["LRANGE", "r:l", "0", "9223372036854775808"],
      ["LRANGE", "r:l", "0x", "1"],
      ["LRANGE", "r:l", " 1", "1"],
      ["LRANGE", "r:none", "0", "-1"],
      ["LRANGE", "r:none", "a", "-1"],
      ["LINDEX", "r:l", "0"],
      ["LINDEX", "r:l", "-1"],
      ["LINDEX", "r:l", "6"],
      ["LINDEX", "r:l", "-7"],
      ["LINDEX", "r:l", "x"],
      ["LINDEX", "r:none", "x"],
      ["LSET", "r:l", "1", "B"],
      ["LSET", "r:l", "-1", "F"],
      ["LSET", "r:l", "6", "X"],
      ["LSET", "r:l", "x", "X"],
      ["LSET", "r:none", "0", "X"],
      ["LSET", "r:none", "x", "X"],
      ["LRANGE", "r:l", "0", "-1"],
      ["LTRIM", "r:l", "1", "-2"],
      ["LRANGE", "r:l", "0", "-1"],
      ["LTRIM", "r:l", "0", "100"],
      ["LTRIM", "r:l", "-2", "-1"],
      ["LRANGE", "r:l", "0", "-1"],
      ["LTRIM", "r:l", "5", "1"],
      ["LLEN", "r:l"],
      ["LTRIM", "r:none", "0", "1"],
      ["LTRIM", "r:none", "x", "1"],
    );
  });

  it("LREM, LINSERT and LPOS", async () => {
    await pair.same(
      ["RPUSH", "e:l", "x", "a", "x", "b", "x", "c", "x", "a"],
      ["LREM", "e:l", "2", "x"],
      ["LREM", "e:l", "-1", "x"],
      ["LRANGE", "e:l", "0", "-1"],
      ["LREM", "e:l", "0", "nothing"],
      ["LREM", "e:l", "x", "a"],
      ["LREM", "e:none", "1", "a"],
      ["LINSERT", "e:l", "BEFORE", "a", "before"],
      ["LINSERT", "e:l", "after", "a", "after"],
      ["LINSERT", "e:l", "AFTER", "zz", "v"],
      ["LINSERT", "e:l", "middle", "a", "v"],
      ["LINSERT", "e:none", "BEFORE", "a", "v"],
      ["LINSERT", "e:none", "around", "a", "v"],
      ["LRANGE", "e:l", "0", "-1"],
      ["LPOS", "e:l", "a"],
      ["LPOS", "e:l", "a", "RANK", "2"],
      ["LPOS", "e:l", "a", "RANK", "-1"],
      ["LPOS", "e:l", "a", "RANK", "-2", "COUNT", "0"],
      ["LPOS", "e:l", "a", "COUNT", "0", "MAXLEN", "2"],
      ["LPOS", "e:l", "a", "COUNT", "1", "MAXLEN", "0"],
      ["LPOS", "e:l", "x", "rank", "1", "count", "5", "maxlen", "100"],
      ["LPOS", "e:l", "a", "RANK", "-9223372036854775808"],
      ["LPOS", "e:l", "a", "RANK", "-9223372036854775808", "COUNT", "1"],
      ["LPOS", "e:l", "a", "RANK", "9223372036854775807"],
      ["LPOS", "e:l", "a", "RANK", "9223372036854775808"],
      ["LPOS", "e:l", "a", "RANK", "0"],
      ["LPOS", "e:l", "a", "RANK", "x"],
      ["LPOS", "e:l", "a", "COUNT", "-1"],
      ["LPOS", "e:l", "a", "COUNT", "x"],
      ["LPOS", "e:l", "a", "MAXLEN", "-1"],
      ["LPOS", "e:l", "a", "MAXLEN", "x"],
      ["LPOS", "e:l", "a", "RANK"],
      ["LPOS", "e:l", "a", "FOO", "1"],
      ["LPOS", "e:none", "a"],
      ["LPOS", "e:none", "a", "COUNT", "0"],
      ["LPOS", "e:none", "a", "RANK", "0"],
      ["LPOS", "e:l", "zz", "COUNT", "2"],
    );
  });

  it("LMOVE, RPOPLPUSH and LMPOP", async () => {
    await pair.same(
      ["RPUSH", "m:src", "a", "b", "c", "d"],
      ["LMOVE", "m:src", "m:dst", "LEFT", "RIGHT"],
      ["LMOVE", "m:src", "m:dst", "right", "left"],
      ["RPOPLPUSH", "m:src", "m:dst"],
      ["LMOVE", "m:dst", "m:dst", "LEFT", "RIGHT"],
      ["LRANGE", "m:dst", "0", "-1"],
      ["LMOVE", "m:src", "m:src", "LEFT", "LEFT"],
      ["LMOVE", "m:src", "m:dst", "LEFT", "LEFT"],
      ["LLEN", "m:src"],
      ["LMOVE", "m:src", "m:dst", "LEFT", "LEFT"],
      ["LMOVE", "m:src", "m:dst", "UP", "LEFT"],
      ["LMOVE", "m:src", "m:dst", "LEFT", "DOWN"],
      ["RPOPLPUSH", "m:none", "m:dst"],
      ["RPUSH", "m:b", "1", "2", "3", "4"],
      ["LMPOP", "2", "m:a", "m:b", "LEFT"],
      ["LMPOP", "2", "m:a", "m:b", "RIGHT", "COUNT", "2"],
      ["LMPOP", "2", "m:a", "m:b", "left", "count", "10"],
      ["LMPOP", "2", "m:a", "m:b", "LEFT"],
      ["LMPOP", "0", "m:a", "LEFT"],
      ["LMPOP", "-1", "m:a", "LEFT"],
      ["LMPOP", "x", "m:a", "LEFT"],
      ["LMPOP", "2", "m:a", "LEFT"],
      ["LMPOP", "3", "m:a", "m:b"],
      ["LMPOP", "1", "m:a", "MIDDLE"],
      ["LMPOP", "1", "m:a", "LEFT", "COUNT", "0"],
      ["LMPOP", "1", "m:a", "LEFT", "COUNT", "x"],
      ["LMPOP", "1", "m:a", "LEFT", "COUNT", "1", "COUNT", "1"],
      ["LMPOP", "1", "m:a", "LEFT", "COUNT"],
      ["LMPOP", "1", "m:a", "LEFT", "FOO"],
      ["LMPOP", "1", "m:a"],
    );
  });

  it("WRONGTYPE, and the errors Redis checks before the type", async () => {
    await pair.same(
      ["SET", "w:s", "string"],
      ["RPUSH", "w:l", "x"],
      ["LPUSH", "w:s", "a"],
      ["LPUSHX", "w:s", "a"],
      ["RPOP", "w:s"],
      ["LPOP", "w:s", "0"],
      ["LPOP", "w:s", "abc"],
      ["LLEN", "w:s"],
      ["LRANGE", "w:s", "0", "1"],
      ["LRANGE", "w:s", "a", "1"],
      ["LINDEX", "w:s", "x"],
      ["LSET", "w:s", "x", "v"],
      ["LREM", "w:s", "x", "v"],
      ["LREM", "w:s", "0", "v"],
      ["LTRIM", "w:s", "x", "1"],
      ["LTRIM", "w:s", "0", "1"],
      ["LINSERT", "w:s", "middle", "a", "b"],
      ["LINSERT", "w:s", "BEFORE", "a", "b"],
      ["LPOS", "w:s", "v", "RANK", "0"],
      ["LPOS", "w:s", "v"],
      ["LMOVE", "w:s", "w:l", "LEFT", "LEFT"],
      ["LMOVE", "w:l", "w:s", "LEFT", "LEFT"],
      ["LMOVE", "w:none", "w:s", "LEFT", "LEFT"],
      ["LRANGE", "w:l", "0", "-1"],
      ["RPOPLPUSH", "w:l", "w:s"],
      ["LMPOP", "2", "w:none", "w:s", "LEFT"],
      ["LMPOP", "2", "w:l", "w:s", "LEFT"],
      ["RPUSH", "w:l", "y"],
      ["BLPOP", "w:s", "-1"],
      ["BLPOP", "w:s", "0"],
      ["BLPOP", "w:none", "w:s", "0"],
      ["BLPOP", "w:l", "w:s", "0"],
      ["BRPOPLPUSH", "w:s", "w:l", "0"],
      ["BRPOPLPUSH", "w:l", "w:s", "x"],
      ["BLMOVE", "w:l", "w:s", "LEFT", "MIDDLE", "x"],
      ["BLMOVE", "w:l", "w:s", "LEFT", "LEFT", "x"],
      ["RPUSH", "w:l", "z"],
      ["BLMOVE", "w:l", "w:s", "LEFT", "LEFT", "0"],
      ["BLMPOP", "0", "1", "w:s", "LEFT"],
      ["BLMPOP", "x", "1", "w:s", "LEFT", "COUNT", "0"],
      ["BLMPOP", "x", "1", "w:s", "LEFT"],
      ["BLMPOP", "0", "0", "w:s", "LEFT"],
    );
  });

  it("blocking commands that can serve at once, and timeouts read as Redis reads them", async () => {
    await pair.same(
      ["RPUSH", "b:l", "a", "b", "c", "d", "e", "f"],
      ["BLPOP", "b:none", "b:l", "0"],
      ["BRPOP", "b:none", "b:l", "1.5"],
      ["BLMOVE", "b:l", "b:d", "LEFT", "RIGHT", "0"],
      ["BRPOPLPUSH", "b:l", "b:d", "0"],
      ["BLMPOP", "0", "2", "b:none", "b:l", "LEFT", "COUNT", "10"],
      ["LRANGE", "b:d", "0", "-1"],
    );
    const accepted = ["0x10", "0x1p3", "0X1P3", "0x.8", "1e-400", "+5", ".5", "5.", "-0", "-0.0001", "-0.001", "-1e-3", "-0.000999999999999999999999", "-0x1p-10", "1e-4950", "0x1p-16445", "00012", "1e+2"];
    for (const timeout of accepted) await pair.same(["RPUSH", "b:t", "v"], ["BLPOP", "b:t", timeout]);
    const refused = [
      "-1", "abc", "inf", "-inf", "INFINITY", "nan", "1e400", "1e5000", "-1e400", "9223372036854775807", "9.3e15", " 1", "1 ", "",
      "1e-5000", "0x", "0x1p3x", "1e", "e1", ".", "-", "1e+", "infin", "0x1p-16446", "0x1p16383", "0x1p16384", "1e4931", "1e4933",
      "-0.0010000000000000000001", "-0.00100000000000000002", "-0.0011", "-0.0019999", "-0x1p-9", "1_0", "x".repeat(6000),
    ];
    for (const timeout of refused) await pair.same(["BLPOP", "b:none", timeout], ["BLMOVE", "b:none", "b:d", "LEFT", "LEFT", timeout]);
  });

  it("a blocked BLPOP is served by a push, first come first served, and holds its pipeline", async () => {
    await sameScenario(pair, [
      { on: "a", send: ["BLPOP", "s1:q", "0"] },
      { on: "c", send: ["BLPOP", "s1:q", "0"] },
      { on: "a", send: ["PING"] },
      { on: "b", send: ["LPUSH", "s1:q", "x", "y", "z"], replies: ["b", "a", "a", "c"] },
      { on: "b", send: ["LRANGE", "s1:q", "0", "-1"], replies: ["b"] },
    ]);
  });

  it("a blocked client ignores its key turning into a string, and is served by the list that follows", async () => {
    await sameScenario(pair, [
      { on: "a", send: ["BLPOP", "s2:k", "s2:k2", "0"] },
      { on: "b", send: ["SET", "s2:k", "string"], replies: ["b"] },
      { on: "b", send: ["RPUSH", "s2:k2", "v"], replies: ["b", "a"] },
    ]);
  });

  it("a blocked BLMOVE whose destination holds a string gets WRONGTYPE and leaves the source", async () => {
    await sameScenario(pair, [
      { on: "a", send: ["BLMOVE", "s3:src", "s3:dst", "LEFT", "LEFT", "0"] },
      { on: "b", send: ["SET", "s3:dst", "x"], replies: ["b"] },
      { on: "b", send: ["RPUSH", "s3:src", "a"], replies: ["b", "a"] },
      { on: "b", send: ["LRANGE", "s3:src", "0", "-1"], replies: ["b"] },
    ]);
  });

  it("BLMOVE's push wakes a client blocked on its destination; BLMPOP and BRPOPLPUSH are served", async () => {
    await sameScenario(pair, [
      { on: "a", send: ["BLMOVE", "s4:x1", "s4:x2", "RIGHT", "LEFT", "0"] },
      { on: "c", send: ["BLPOP", "s4:x2", "0"] },
      { on: "b", send: ["RPUSH", "s4:x1", "v"], replies: ["b", "a", "c"] },
      { on: "b", send: ["LLEN", "s4:x1"], replies: ["b"] },
      { on: "a", send: ["BLMPOP", "0", "2", "s4:m1", "s4:m2", "RIGHT", "COUNT", "2"] },
      { on: "b", send: ["RPUSH", "s4:m2", "1", "2", "3"], replies: ["b", "a"] },
      { on: "a", send: ["BRPOPLPUSH", "s4:r", "s4:r", "0"] },
      { on: "b", send: ["RPUSH", "s4:r", "v", "w"], replies: ["b", "a"] },
      { on: "b", send: ["LRANGE", "s4:r", "0", "-1"], replies: ["b"] },
    ]);
  });

  it("timeouts answer with a null array, BLMOVE's too", async () => {
    await sameScenario(pair, [
      { on: "a", send: ["BLMOVE", "s5:none", "s5:d", "LEFT", "RIGHT", "0.05"], replies: ["a"] },
      { on: "a", send: ["BRPOPLPUSH", "s5:none", "s5:d", "0.05"], replies: ["a"] },
      { on: "a", send: ["BLMPOP", "0.05", "1", "s5:none", "LEFT"], replies: ["a"] },
      { on: "a", send: ["BRPOP", "s5:none", "0.05"], replies: ["a"] },
    ]);
  });

  it("LRANGE of long lists (the benchmark's LRANGE_100 and LRANGE_600)", async () => {
    const elements = Array.from({ length: 700 }, (_, i) => "element:" + i + ":" + "x".repeat(i % 13));
    await pair.same(
      ["RPUSH", "big:l", ...elements],
      ["LRANGE", "big:l", "0", "99"],
      ["LRANGE", "big:l", "0", "599"],
      ["LRANGE", "big:l", "-650", "-1"],
      ["LINSERT", "big:l", "BEFORE", "element:350:xxxxxxxxx", "inserted"],
      ["LREM", "big:l", "-2", "inserted"],
      ["LINDEX", "big:l", "350"],
      ["LPOS", "big:l", "element:699:xxxxxx", "RANK", "-1"],
    );
  });

  it("binary-safe elements", async () => {
    const binary = "\x00\x01\xff\r\n\x80 é";
    await pair.same(["RPUSH", "bin:l", binary, "", binary], ["LRANGE", "bin:l", "0", "-1"], ["LPOS", "bin:l", binary, "COUNT", "0"], ["LREM", "bin:l", "0", binary], ["LPOP", "bin:l"]);
  });
});

/**
 * What the real clients make of the replies: the same calls through ioredis
 * and node-redis against both servers must give the same JavaScript values.
 */
describe.skipIf(skipReason(redisServerAvailable, "redis-server"))("lists through ioredis and node-redis", () => {
  let pair: RedisPair;
  beforeAll(async () => {
    pair = await RedisPair.start();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it("ioredis sees the same values, including blocking timeouts", async () => {
    const run = async (port: number) => {
      const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
      await client.connect();
      try {
        return [
          await client.rpush("io:l", "a", "b", "c", "a"),
          await client.lrange("io:l", 0, -1),
          await client.lpos("io:l", "a", "RANK", -1),
          await client.lpos("io:l", "a", "COUNT", 0),
          await client.lpop("io:l", 2),
          await client.lpop("io:none"),
          await client.lpop("io:none", 2),
          await client.blpop("io:none", 0.05),
          await client.blmove("io:none", "io:d", "LEFT", "RIGHT", 0.05),
          await client.lmove("io:l", "io:d", "LEFT", "RIGHT"),
          await client.lmpop(2, "io:none", "io:l", "RIGHT", "COUNT", 5),
          await client.brpop("io:d", 1),
          await client.lset("io:none", 0, "x").catch((error: Error) => error.message),
        ];
      } finally {
        client.disconnect();
      }
    };
    expect(await run(pair.shardline.port)).toEqual(await run(pair.redis.port));
  });

  it("node-redis sees the same values, in RESP2", async () => {
    const run = async (port: number) => {
      const client = createClient({ socket: { port, host: "127.0.0.1", reconnectStrategy: false } });
      await client.connect();
      try {
        return [
          await client.rPush("nr:l", ["a", "b", "c", "a"]),
          await client.lRange("nr:l", 0, -1),
          await client.lPos("nr:l", "a", { RANK: -1 }),
          await client.lPosCount("nr:l", "a", 0),
          await client.lPopCount("nr:l", 2),
          await client.lPop("nr:none"),
          await client.blPop("nr:none", 0.05),
          await client.blMove("nr:none", "nr:d", "LEFT", "RIGHT", 0.05),
          await client.lMove("nr:l", "nr:d", "LEFT", "RIGHT"),
          await client.lmPop(["nr:none", "nr:l"], "RIGHT", { COUNT: 5 }),
          await client.brPop("nr:d", 1),
          await client.lInsert("nr:none", "BEFORE", "a", "b"),
        ];
      } finally {
        client.destroy();
      }
    };
    expect(await run(pair.shardline.port)).toEqual(await run(pair.redis.port));
  });
});

/** One step of a multi-connection scenario: send on one connection, then read one reply from each listed connection, in order. */
interface Step {
  on: "a" | "b" | "c";
  send: string[];
  replies?: ("a" | "b" | "c")[];
}

/**
 * Runs the same steps on both servers, each with three fresh connections,
 * and expects the same transcript. A blocked command lists no replies; the
 * step that serves it reads its reply.
 */
async function sameScenario(pair: RedisPair, steps: Step[]): Promise<void> {
  const run = async (port: number) => {
    const connections = { a: await RawConnection.connect(port), b: await RawConnection.connect(port), c: await RawConnection.connect(port) };
    try {
      const transcript: string[] = [];
      for (const step of steps) {
        connections[step.on].write(encode(step.send));
        for (const name of step.replies ?? []) transcript.push(`${JSON.stringify(step.send)} -> ${name}: ${await connections[name].readReply()}`);
        // Give a command that blocks time to reach the server before the next step may serve it.
        if ((step.replies ?? []).length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return transcript;
    } finally {
      for (const connection of Object.values(connections)) connection.close();
    }
  };
  const [expected, actual] = await Promise.all([run(pair.redis.port), run(pair.shardline.port)]);
  expect(actual).toEqual(expected);
}

function encode(args: readonly string[]): string {
  return `*${args.length}\r\n` + args.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join("");
}

/**
 * COMMAND INFO and COMMAND DOCS as the real server reports them, compared
 * with the command table field by field (this holds whatever COMMAND itself
 * does with the table).
 */
describe.skipIf(skipReason(redisServerAvailable && redisCliAvailable, "redis-server and redis-cli"))("list command metadata", () => {
  let pair: RedisPair;
  beforeAll(async () => {
    pair = await RedisPair.start();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  const redisJson = (...args: string[]) => JSON.parse(spawnSync("redis-cli", ["-p", String(pair.redis.port), "--json", ...args], { encoding: "utf8" }).stdout);

  it("lists exactly Redis's list commands", () => {
    const names = (redisJson("COMMAND", "LIST", "FILTERBY", "ACLCAT", "list") as string[]).filter((name) => !name.startsWith("sort"));
    expect(LIST_COMMANDS.map((spec) => spec.name).sort()).toEqual(names.sort());
  });

  it.each(LIST_COMMANDS.map((spec) => [spec.name, spec] as const))("%s matches COMMAND INFO and COMMAND DOCS", (name, spec) => {
    const [info] = redisJson("COMMAND", "INFO", name) as unknown[][];
    expect(infoOf(spec)).toEqual(info);
    expect(docsOf(spec)).toEqual((redisJson("COMMAND", "DOCS", name) as Record<string, unknown>)[name]);
  });
});

/** The spec in COMMAND INFO's shape (as redis-cli --json prints it). */
function infoOf(spec: CommandSpec): unknown[] {
  return [
    spec.name,
    spec.arity,
    [...spec.flags],
    spec.firstKey,
    spec.lastKey,
    spec.step,
    spec.acl.map((category) => "@" + category),
    [...(spec.tips ?? [])],
    (spec.keySpecs ?? []).map(keySpecOf),
    [],
  ];
}

function keySpecOf(keySpec: KeySpec): unknown {
  const begin = keySpec.beginSearch;
  const find = keySpec.findKeys;
  return {
    ...(keySpec.notes !== undefined ? { notes: keySpec.notes } : {}),
    flags: [...keySpec.flags],
    begin_search:
      begin.type === "index"
        ? { type: "index", spec: { index: begin.index } }
        : begin.type === "keyword"
          ? { type: "keyword", spec: { keyword: begin.keyword, startfrom: begin.startFrom } }
          : { type: "unknown", spec: {} },
    find_keys:
      find.type === "range"
        ? { type: "range", spec: { lastkey: find.lastKey, keystep: find.keyStep, limit: find.limit } }
        : find.type === "keynum"
          ? { type: "keynum", spec: { keynumidx: find.keyNumIndex, firstkey: find.firstKey, keystep: find.keyStep } }
          : { type: "unknown", spec: {} },
  };
}

/** The spec in COMMAND DOCS's shape. */
function docsOf(spec: CommandSpec): unknown {
  return {
    summary: spec.summary,
    since: spec.since,
    group: spec.group,
    ...(spec.complexity !== undefined ? { complexity: spec.complexity } : {}),
    ...(spec.docFlags !== undefined ? { doc_flags: [...spec.docFlags] } : {}),
    ...(spec.deprecatedSince !== undefined ? { deprecated_since: spec.deprecatedSince } : {}),
    ...(spec.replacedBy !== undefined ? { replaced_by: spec.replacedBy } : {}),
    ...(spec.history !== undefined ? { history: spec.history.map((entry) => [...entry]) } : {}),
    ...(spec.arguments !== undefined ? { arguments: spec.arguments.map(argumentOf) } : {}),
  };
}

function argumentOf(argument: ArgumentDoc): unknown {
  return {
    name: argument.name,
    type: argument.type,
    ...(argument.displayText !== undefined ? { display_text: argument.displayText } : {}),
    ...(argument.keySpecIndex !== undefined ? { key_spec_index: argument.keySpecIndex } : {}),
    ...(argument.token !== undefined ? { token: argument.token } : {}),
    ...(argument.summary !== undefined ? { summary: argument.summary } : {}),
    ...(argument.since !== undefined ? { since: argument.since } : {}),
    ...(argument.flags !== undefined ? { flags: [...argument.flags] } : {}),
    ...(argument.deprecatedSince !== undefined ? { deprecated_since: argument.deprecatedSince } : {}),
    ...(argument.arguments !== undefined ? { arguments: argument.arguments.map(argumentOf) } : {}),
  };
}
