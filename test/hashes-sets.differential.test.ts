import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeReply, type Reply } from "../packages/core/test/hash-set-harness.js";
import { Random } from "../packages/core/src/random.js";
import { RedisPair } from "./support/differential.js";
import { redisServerAvailable, skipReason } from "./support/processes.js";
import { RawConnection } from "./support/raw-client.js";

/**
 * Hashes and sets, command by command against a real redis-server. Replies
 * are compared byte for byte, except where Redis answers in the order of its
 * hash table (SMEMBERS of a set of words, HGETALL of a large hash...): those
 * are parsed and compared as sorted multisets, or field/value pairs. Small
 * hashes (listpacks) and integer sets (intsets) have a defined order in
 * Redis, and shardline keeps it, so they are compared exactly.
 */
describe.skipIf(skipReason(redisServerAvailable, "redis-server"))("hashes and sets against redis-server", () => {
  let pair: RedisPair;
  let testNumber = 0;
  /** Key names unique to the running test, so tests never see each other's keys. */
  let k: (name: string) => string;

  beforeAll(async () => {
    pair = await RedisPair.start();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  function nextTest(): void {
    const prefix = `t${++testNumber}`;
    k = (name) => `${prefix}:${name}`;
  }

  function decode(raw: string): Reply {
    const [reply, end] = decodeReply(raw, 0);
    expect(end).toBe(raw.length);
    return reply;
  }

  /** Both servers answer with the same elements, in any order. */
  async function sameMembers(...commands: string[][]): Promise<void> {
    for (const command of commands) {
      const [expected, actual] = await pair.both(command);
      expect(sortedItems(decode(actual)), JSON.stringify(command)).toEqual(sortedItems(decode(expected)));
    }
  }

  /** Both servers answer with the same field/value pairs (HGETALL, WITHVALUES), in any order. */
  async function samePairs(...commands: string[][]): Promise<void> {
    for (const command of commands) {
      const [expected, actual] = await pair.both(command);
      expect(sortedPairs(decode(actual)), JSON.stringify(command)).toEqual(sortedPairs(decode(expected)));
    }
  }

  /** The whole of a key's elements through repeated SSCAN/HSCAN calls on one server. */
  async function scanAll(connection: "redisConnection" | "shardlineConnection", command: string, key: string): Promise<string[]> {
    const items: string[] = [];
    let cursor = "0";
    for (let calls = 0; calls < 10_000; calls++) {
      const [next, found] = decode(await pair[connection].command(command, key, cursor, "COUNT", "7")) as [string, string[]];
      items.push(...found);
      cursor = next;
      if (cursor === "0") return items;
    }
    throw new Error(`${command} ${key} did not finish`);
  }

  describe("hashes", () => {
    it("answers writes, reads and errors identically", async () => {
      nextTest();
      await pair.same(
        ["HSET", k("h"), "a", "1", "b", "2"],
        ["HSET", k("h"), "a", "10", "c", "3"],
        ["HSET", k("h"), "a"],
        ["HSET", k("h"), "a", "1", "b"],
        ["HMSET", k("h"), "a"],
        ["HSET", k("h")],
        ["HMSET", k("h"), "d", "4", "e", "5"],
        ["HSETNX", k("h"), "a", "x"],
        ["HSETNX", k("h"), "z", "26"],
        ["HGET", k("h"), "a"],
        ["HGET", k("h"), "nope"],
        ["HGET", k("missing"), "a"],
        ["HMGET", k("h"), "a", "nope", "c"],
        ["HMGET", k("missing"), "a", "b"],
        ["HLEN", k("h")],
        ["HLEN", k("missing")],
        ["HEXISTS", k("h"), "a"],
        ["HEXISTS", k("h"), "nope"],
        ["HSTRLEN", k("h"), "a"],
        ["HSTRLEN", k("h"), "nope"],
        ["HDEL", k("h"), "a", "nope", "a"],
        ["HDEL", k("missing"), "a"],
        ["HGETALL", k("missing")],
        ["HKEYS", k("missing")],
        ["HVALS", k("missing")],
        ["HSET", k("bin"), "f\x00\r\n\xff", "\x00\x01\xfe"],
        ["HGET", k("bin"), "f\x00\r\n\xff"],
        ["HDEL", k("bin"), "f\x00\r\n\xff"],
        ["EXISTS", k("bin")],
        ["HGET", k("h")],
        ["HDEL", k("h")],
      );
    });

    it("keeps a listpack's insertion order through updates and deletions", async () => {
      nextTest();
      await pair.same(
        ["HSET", k("h"), "c", "1", "a", "2", "b", "3", "e", "4", "d", "5"],
        ["HDEL", k("h"), "a", "e"],
        ["HSET", k("h"), "a", "6", "c", "7"],
        ["HGETALL", k("h")],
        ["HKEYS", k("h")],
        ["HVALS", k("h")],
        ["HSCAN", k("h"), "0"],
        ["HSCAN", k("h"), "0", "COUNT", "1", "MATCH", "[a-c]"],
        ["HRANDFIELD", k("h"), "5"],
        ["HRANDFIELD", k("h"), "50", "WITHVALUES"],
        ["OBJECT", "ENCODING", k("h")],
      );
    });

    it("switches to a hashtable where Redis does and holds the same fields", async () => {
      nextTest();
      const long = "v".repeat(65);
      await pair.same(
        ["HSET", k("value"), "f", "v".repeat(64)],
        ["OBJECT", "ENCODING", k("value")],
        ["HSET", k("value"), "g", long],
        ["OBJECT", "ENCODING", k("value")],
        ["HDEL", k("value"), "g"],
        ["OBJECT", "ENCODING", k("value")],
        ["HSET", k("field"), long, "v"],
        ["OBJECT", "ENCODING", k("field")],
        ["HINCRBYFLOAT", k("incr"), "f".repeat(65), "1.5"],
        ["OBJECT", "ENCODING", k("incr")],
      );
      const fields: string[] = [];
      for (let i = 0; i < 700; i++) fields.push(`field:${i}`, String(i));
      await pair.same(["HSET", k("big"), ...fields.slice(0, 1024)], ["OBJECT", "ENCODING", k("big")], ["HSET", k("big"), ...fields.slice(1024)], ["OBJECT", "ENCODING", k("big")], ["HLEN", k("big")]);
      await samePairs(["HGETALL", k("big")], ["HRANDFIELD", k("big"), "1000", "WITHVALUES"]);
      await sameMembers(["HKEYS", k("big")], ["HVALS", k("big")]);
      const [fromRedis, fromShardline] = await Promise.all([scanAll("redisConnection", "HSCAN", k("big")), scanAll("shardlineConnection", "HSCAN", k("big"))]);
      expect(new Set(fromShardline)).toEqual(new Set(fromRedis));
    });

    it("answers HINCRBY and its errors identically", async () => {
      nextTest();
      await pair.same(
        ["HINCRBY", k("h"), "n", "5"],
        ["HINCRBY", k("h"), "n", "-7"],
        ["HINCRBY", k("h"), "n", "1.5"],
        ["HINCRBY", k("h"), "n", "x"],
        ["HINCRBY", k("h"), "n", "9223372036854775808"],
        ["HSET", k("h"), "s", "abc", "lead", "012", "max", "9223372036854775807", "space", " 1"],
        ["HINCRBY", k("h"), "s", "1"],
        ["HINCRBY", k("h"), "lead", "1"],
        ["HINCRBY", k("h"), "space", "1"],
        ["HINCRBY", k("h"), "max", "1"],
        ["HINCRBY", k("h"), "max", "-9223372036854775808"],
        ["HINCRBY", k("new"), "n", "-9223372036854775808"],
        ["HINCRBY", k("new"), "n", "-1"],
        ["SET", k("str"), "v"],
        ["HINCRBY", k("str"), "n", "x"],
        ["HINCRBY", k("str"), "n", "1"],
        ["HGETALL", k("h")],
      );
    });

    it("answers HINCRBYFLOAT with Redis's long double arithmetic and errors", async () => {
      nextTest();
      await pair.same(
        ["HINCRBYFLOAT", k("h"), "f", "10.5"],
        ["HINCRBYFLOAT", k("h"), "f", "0.1"],
        ["HINCRBYFLOAT", k("h"), "g", "0x10"],
        ["HINCRBYFLOAT", k("h"), "big", "1.5e16"],
        ["HINCRBYFLOAT", k("h"), "big", "3"],
        ["HINCRBYFLOAT", k("h"), "huge", "1e4000"],
        ["HINCRBYFLOAT", k("h"), "huge", "1e4000"],
        ["HINCRBYFLOAT", k("h"), "tiny", "1e-4940"],
        ["HINCRBYFLOAT", k("h"), "f", "1e-5000"],
        ["HINCRBYFLOAT", k("h"), "f", "inf"],
        ["HINCRBYFLOAT", k("h"), "f", "-infinity"],
        ["HINCRBYFLOAT", k("h"), "f", "nan"],
        ["HINCRBYFLOAT", k("h"), "f", " 1"],
        ["HINCRBYFLOAT", k("h"), "f", "1 "],
        ["HINCRBYFLOAT", k("h"), "f", "1.5\x00"],
        ["HINCRBYFLOAT", k("h"), "f", ""],
        ["HSET", k("h"), "s", "abc", "inf", "inf"],
        ["HINCRBYFLOAT", k("h"), "s", "1"],
        ["HINCRBYFLOAT", k("h"), "inf", "1"],
        ["HINCRBYFLOAT", k("h"), "max", "1.18e4932"],
        ["HINCRBYFLOAT", k("h"), "max", "1.18e4932"],
        ["HINCRBYFLOAT", k("missing"), "f", "inf"],
        ["EXISTS", k("missing")],
        ["OBJECT", "ENCODING", k("h")],
      );
      // Values of thousands of digits made it a hashtable: its order is Redis's hash order.
      await samePairs(["HGETALL", k("h")]);
    });

    it("agrees on HINCRBYFLOAT for a few hundred random increments", async () => {
      nextTest();
      const random = new Random(20240601);
      const digits = (n: number): string => Array.from({ length: n }, () => String(random.int(10))).join("");
      for (let i = 0; i < 300; i++) {
        const sign = random.int(3) === 0 ? "-" : "";
        const exponent = random.int(4) === 0 ? `e${random.int(41) - 20}` : "";
        const increment = `${sign}${digits(1 + random.int(6))}.${digits(random.int(12))}${exponent}`;
        await pair.same(["HINCRBYFLOAT", k("h"), `f${random.int(4)}`, increment]);
      }
    });

    it("answers HRANDFIELD's argument errors and sizes identically", async () => {
      nextTest();
      await pair.same(
        ["HSET", k("h"), "a", "1", "b", "2", "c", "3"],
        ["HRANDFIELD", k("missing")],
        ["HRANDFIELD", k("missing"), "3"],
        ["HRANDFIELD", k("missing"), "-3", "WITHVALUES"],
        ["HRANDFIELD", k("h"), "0"],
        ["HRANDFIELD", k("h"), "x"],
        ["HRANDFIELD", k("h"), "1", "foo"],
        ["HRANDFIELD", k("h"), "1", "WITHVALUES", "x"],
        ["HRANDFIELD", k("h"), "4611686018427387904", "WITHVALUES"],
        ["HRANDFIELD", k("h"), "-4611686018427387904", "WITHVALUES"],
        ["HRANDFIELD", k("h"), "3"],
        ["HRANDFIELD", k("h"), "3", "WITHVALUES"],
        ["SET", k("str"), "v"],
        ["HRANDFIELD", k("str"), "x"],
        ["HRANDFIELD", k("str"), "1"],
      );
      for (const count of ["2", "-5", "1"]) {
        for (const withValues of [[], ["WITHVALUES"]]) {
          const command = ["HRANDFIELD", k("h"), count, ...withValues];
          const [expected, actual] = await pair.both(command);
          expect((decode(actual) as Reply[]).length, JSON.stringify(command)).toBe((decode(expected) as Reply[]).length);
        }
      }
    });

    it("answers HSCAN's argument errors identically", async () => {
      nextTest();
      await pair.same(
        ["HSET", k("h"), "a", "1"],
        ["HSCAN", k("missing"), "x"],
        ["HSCAN", k("missing"), "0", "COUNT", "0"],
        ["HSCAN", k("h"), "18446744073709551616"],
        ["HSCAN", k("h"), "-1"],
        ["HSCAN", k("h"), ""],
        ["HSCAN", k("h"), "+0"],
        ["HSCAN", k("h"), " 0"],
        ["HSCAN", k("h"), "0", "COUNT", "0"],
        ["HSCAN", k("h"), "0", "COUNT", "x"],
        ["HSCAN", k("h"), "0", "MATCH"],
        ["HSCAN", k("h"), "0", "TYPE", "string"],
        ["HSCAN", k("h"), "0", "NOVALUES"],
      );
    });

    it("answers WRONGTYPE for every hash command on another type", async () => {
      nextTest();
      await pair.same(["SADD", k("s"), "a"]);
      for (const command of [
        ["HSET", k("s"), "a", "1"],
        ["HSETNX", k("s"), "a", "1"],
        ["HGET", k("s"), "a"],
        ["HMGET", k("s"), "a"],
        ["HGETALL", k("s")],
        ["HDEL", k("s"), "a"],
        ["HLEN", k("s")],
        ["HKEYS", k("s")],
        ["HVALS", k("s")],
        ["HEXISTS", k("s"), "a"],
        ["HSTRLEN", k("s"), "a"],
        ["HINCRBYFLOAT", k("s"), "a", "1"],
        ["HRANDFIELD", k("s")],
        ["HSCAN", k("s"), "0"],
      ]) {
        await pair.same(command);
      }
    });
  });

  describe("sets", () => {
    it("answers writes, reads and errors identically", async () => {
      nextTest();
      await pair.same(
        ["SADD", k("s"), "a", "b", "a"],
        ["SADD", k("s"), "b", "c"],
        ["SADD", k("s")],
        ["SCARD", k("s")],
        ["SCARD", k("missing")],
        ["SISMEMBER", k("s"), "a"],
        ["SISMEMBER", k("s"), "z"],
        ["SISMEMBER", k("missing"), "a"],
        ["SMISMEMBER", k("s"), "a", "z", "c"],
        ["SMISMEMBER", k("missing"), "a"],
        ["SMISMEMBER", k("s")],
        ["SREM", k("s"), "a", "z", "a"],
        ["SREM", k("missing"), "a"],
        ["SMEMBERS", k("missing")],
        ["SREM", k("s"), "b", "c"],
        ["EXISTS", k("s")],
      );
    });

    it("keeps an intset's numeric order everywhere Redis iterates it", async () => {
      nextTest();
      await pair.same(
        ["SADD", k("a"), "30", "10", "-5", "20", "9223372036854775807", "-9223372036854775808"],
        ["SADD", k("b"), "20", "30", "40", "-5"],
        ["OBJECT", "ENCODING", k("a")],
        ["SMEMBERS", k("a")],
        ["SINTER", k("a"), k("b")],
        ["SUNION", k("a"), k("b")],
        ["SDIFF", k("a"), k("b")],
        ["SRANDMEMBER", k("a"), "6"],
        ["SRANDMEMBER", k("a"), "100"],
        ["SSCAN", k("a"), "0"],
        ["SSCAN", k("a"), "0", "MATCH", "*0", "COUNT", "1"],
        ["SINTERSTORE", k("d"), k("a"), k("b")],
        ["SMEMBERS", k("d")],
        ["OBJECT", "ENCODING", k("d")],
        ["SPOP", k("b"), "4"],
        ["EXISTS", k("b")],
      );
    });

    it("switches encodings where Redis does", async () => {
      nextTest();
      await pair.same(
        ["SADD", k("lead"), "007"],
        ["OBJECT", "ENCODING", k("lead")],
        ["SADD", k("minus0"), "-0"],
        ["OBJECT", "ENCODING", k("minus0")],
        ["SADD", k("over"), "9223372036854775808"],
        ["OBJECT", "ENCODING", k("over")],
        ["SADD", k("mixed"), "3", "1", "x"],
        ["OBJECT", "ENCODING", k("mixed")],
        ["SREM", k("mixed"), "x"],
        ["OBJECT", "ENCODING", k("mixed")],
        ["SINTERSTORE", k("fresh"), k("mixed")],
        ["OBJECT", "ENCODING", k("fresh")],
        ["SMEMBERS", k("fresh")],
        ["SADD", k("big"), "x", ...Array.from({ length: 20 }, (_, i) => String(i))],
        ["SADD", k("s1"), "x"],
        ["SADD", k("s2"), "y"],
        ["SADD", k("s3"), "z"],
        ["SDIFFSTORE", k("walked"), k("big"), k("s1")],
        ["OBJECT", "ENCODING", k("walked")],
        ["SMEMBERS", k("walked")],
        ["SDIFFSTORE", k("removed"), k("big"), k("s1"), k("s2"), k("s3")],
        ["OBJECT", "ENCODING", k("removed")],
        ["SMOVE", k("s1"), k("moved"), "x"],
        ["OBJECT", "ENCODING", k("moved")],
      );
      const many = Array.from({ length: 513 }, (_, i) => String(i));
      await pair.same(["SADD", k("many"), ...many.slice(0, 512)], ["OBJECT", "ENCODING", k("many")], ["SMEMBERS", k("many")], ["SADD", k("many"), "512"], ["OBJECT", "ENCODING", k("many")]);
      await sameMembers(["SMEMBERS", k("many")], ["SRANDMEMBER", k("many"), "1000"]);
    });

    it("computes SINTER, SUNION, SDIFF, their STORE forms and SINTERCARD identically", async () => {
      nextTest();
      await pair.same(
        ["SADD", k("a"), "1", "2", "3", "4", "x", "w"],
        ["SADD", k("b"), "2", "3", "x", "y"],
        ["SADD", k("c"), "3", "x", "z"],
        ["SINTER", k("a"), k("missing")],
        ["SINTER", k("missing"), k("a")],
        ["SDIFF", k("missing"), k("a")],
        ["SUNION", k("missing")],
        ["SINTERSTORE", k("d"), k("a"), k("b")],
        ["SUNIONSTORE", k("d"), k("b"), k("c")],
        ["SDIFFSTORE", k("d"), k("d"), k("a")],
        ["SDIFFSTORE", k("e"), k("a"), k("a")],
        ["SINTERSTORE", k("d"), k("a"), k("missing")],
        ["EXISTS", k("d")],
        ["SET", k("string"), "v"],
        ["EXPIRE", k("string"), "100"],
        ["SUNIONSTORE", k("string"), k("a")],
        ["TTL", k("string")],
        ["TYPE", k("string")],
        ["SINTERCARD", "3", k("a"), k("b"), k("c")],
        ["SINTERCARD", "2", k("a"), k("b"), "LIMIT", "2"],
        ["SINTERCARD", "2", k("a"), k("b"), "limit", "0"],
        ["SINTERCARD", "2", k("a"), k("missing")],
        ["SINTERCARD", "0", k("a")],
        ["SINTERCARD", "x", k("a")],
        ["SINTERCARD", "-1", k("a")],
        ["SINTERCARD", "2", k("a")],
        ["SINTERCARD", "9223372036854775807", k("a")],
        ["SINTERCARD", "1", k("a"), "LIMIT", "-1"],
        ["SINTERCARD", "1", k("a"), "LIMIT", "x"],
        ["SINTERCARD", "1", k("a"), "LIMIT"],
        ["SINTERCARD", "1", k("a"), "foo", "1"],
      );
      await sameMembers(
        ["SINTER", k("a"), k("b"), k("c")],
        ["SINTER", k("a"), k("a")],
        ["SUNION", k("a"), k("b"), k("missing"), k("c")],
        ["SDIFF", k("a"), k("b"), k("missing")],
        ["SMEMBERS", k("string")],
      );
    });

    it("answers SMOVE identically", async () => {
      nextTest();
      await pair.same(
        ["SADD", k("src"), "a", "b"],
        ["SET", k("str"), "v"],
        ["SMOVE", k("src"), k("dst"), "a"],
        ["SMOVE", k("src"), k("dst"), "zz"],
        ["SMOVE", k("missing"), k("str"), "a"],
        ["SMOVE", k("src"), k("str"), "zz"],
        ["SMOVE", k("str"), k("src"), "a"],
        ["SMOVE", k("src"), k("src"), "b"],
        ["SMOVE", k("src"), k("src"), "zz"],
        ["SMOVE", k("src"), k("dst"), "b"],
        ["EXISTS", k("src")],
        ["SCARD", k("dst")],
      );
    });

    it("answers SPOP and SRANDMEMBER identically wherever the result is not random", async () => {
      nextTest();
      await pair.same(
        ["SADD", k("s"), "3", "1", "2"],
        ["SADD", k("w"), "a", "b", "c", "d"],
        ["SET", k("str"), "v"],
        ["SPOP", k("missing")],
        ["SPOP", k("missing"), "2"],
        ["SPOP", k("s"), "0"],
        ["SPOP", k("s"), "-1"],
        ["SPOP", k("s"), "x"],
        ["SPOP", k("str"), "x"],
        ["SPOP", k("s"), "1", "2"],
        ["SPOP", k("str")],
        ["SRANDMEMBER", k("missing")],
        ["SRANDMEMBER", k("missing"), "3"],
        ["SRANDMEMBER", k("s"), "0"],
        ["SRANDMEMBER", k("s"), "x"],
        ["SRANDMEMBER", k("str"), "x"],
        ["SRANDMEMBER", k("s"), "-9223372036854775808"],
        ["SRANDMEMBER", k("s"), "1", "2"],
        ["SRANDMEMBER", k("s"), "3"],
        ["SRANDMEMBER", k("s"), "10"],
        ["SPOP", k("s"), "3"],
        ["EXISTS", k("s")],
      );
      await sameMembers(["SRANDMEMBER", k("w"), "4"], ["SPOP", k("w"), "10"]);
      await pair.same(["EXISTS", k("w")], ["SADD", k("w"), ...Array.from({ length: 40 }, (_, i) => `m${i}`)]);
      for (const command of [
        ["SRANDMEMBER", k("w"), "5"],
        ["SRANDMEMBER", k("w"), "-50"],
        ["SPOP", k("w"), "3"],
        ["SPOP", k("w"), "30"],
      ]) {
        const [expected, actual] = await pair.both(command);
        expect((sortedItems(decode(actual)) as string[]).length, JSON.stringify(command)).toBe((sortedItems(decode(expected)) as string[]).length);
      }
      await pair.same(["SCARD", k("w")]);
    });

    it("answers SSCAN identically and sees the same members through a hashtable", async () => {
      nextTest();
      await pair.same(
        ["SADD", k("s"), "1", "2"],
        ["SSCAN", k("missing"), "x"],
        ["SSCAN", k("missing"), "0", "COUNT", "0"],
        ["SSCAN", k("s"), "-1"],
        ["SSCAN", k("s"), "18446744073709551616"],
        ["SSCAN", k("s"), "0", "COUNT", "0"],
        ["SSCAN", k("s"), "0", "COUNT", "x"],
        ["SSCAN", k("s"), "0", "MATCH"],
        ["SSCAN", k("s"), "0", "TYPE", "set"],
        ["SADD", k("w"), ...Array.from({ length: 300 }, (_, i) => `member:${i}`)],
      );
      const [fromRedis, fromShardline] = await Promise.all([scanAll("redisConnection", "SSCAN", k("w")), scanAll("shardlineConnection", "SSCAN", k("w"))]);
      expect(new Set(fromShardline)).toEqual(new Set(fromRedis));
      expect(new Set(fromShardline).size).toBe(300);
    });

    it("answers WRONGTYPE for every set command on another type", async () => {
      nextTest();
      await pair.same(["HSET", k("h"), "a", "1"], ["SADD", k("s"), "a"]);
      for (const command of [
        ["SADD", k("h"), "a"],
        ["SREM", k("h"), "a"],
        ["SMEMBERS", k("h")],
        ["SISMEMBER", k("h"), "a"],
        ["SMISMEMBER", k("h"), "a"],
        ["SCARD", k("h")],
        ["SPOP", k("h")],
        ["SPOP", k("h"), "1"],
        ["SRANDMEMBER", k("h")],
        ["SRANDMEMBER", k("h"), "1"],
        ["SMOVE", k("h"), k("s"), "a"],
        ["SMOVE", k("s"), k("h"), "a"],
        ["SINTER", k("missing"), k("h")],
        ["SINTERCARD", "2", k("s"), k("h")],
        ["SUNION", k("s"), k("h")],
        ["SDIFF", k("missing"), k("h")],
        ["SINTERSTORE", k("d"), k("s"), k("h")],
        ["SUNIONSTORE", k("d"), k("s"), k("h")],
        ["SDIFFSTORE", k("d"), k("s"), k("h")],
        ["SSCAN", k("h"), "0"],
        ["EXISTS", k("d")],
      ]) {
        await pair.same(command);
      }
    });
  });

  it("answers in RESP3 with the same maps, sets, nested pairs and nulls", async () => {
    nextTest();
    const [redis, shardline] = await Promise.all([RawConnection.connect(pair.redis.port), RawConnection.connect(pair.shardline.port)]);
    try {
      await Promise.all([redis.command("HELLO", "3"), shardline.command("HELLO", "3")]);
      for (const command of [
        ["HSET", k("h"), "b", "1", "a", "2", "c", "3"],
        ["SADD", k("s"), "30", "10", "20"],
        ["SADD", k("t"), "20", "40"],
        ["HGETALL", k("h")],
        ["HGETALL", k("missing")],
        ["HKEYS", k("missing")],
        ["HGET", k("missing"), "a"],
        ["HMGET", k("h"), "a", "zz"],
        ["HRANDFIELD", k("missing")],
        ["HRANDFIELD", k("missing"), "2", "WITHVALUES"],
        ["HRANDFIELD", k("h"), "3", "WITHVALUES"],
        ["HRANDFIELD", k("h"), "10"],
        ["HSCAN", k("h"), "0"],
        ["HSCAN", k("missing"), "0"],
        ["HINCRBYFLOAT", k("h"), "f", "2.5"],
        ["HEXISTS", k("h"), "a"],
        ["SMEMBERS", k("s")],
        ["SMEMBERS", k("missing")],
        ["SISMEMBER", k("s"), "10"],
        ["SMISMEMBER", k("s"), "10", "11"],
        ["SINTER", k("s"), k("t")],
        ["SINTER", k("s"), k("missing")],
        ["SUNION", k("s"), k("t")],
        ["SDIFF", k("s"), k("t")],
        ["SINTERCARD", "2", k("s"), k("t")],
        ["SRANDMEMBER", k("s"), "10"],
        ["SRANDMEMBER", k("missing")],
        ["SRANDMEMBER", k("missing"), "2"],
        ["SSCAN", k("s"), "0"],
        ["SPOP", k("missing")],
        ["SPOP", k("missing"), "2"],
        ["SPOP", k("s"), "0"],
        ["SPOP", k("s"), "10"],
      ]) {
        const [expected, actual] = await Promise.all([redis.command(...command), shardline.command(...command)]);
        expect(actual, JSON.stringify(command)).toBe(expected);
      }
    } finally {
      redis.close();
      shardline.close();
    }
  });

  it("describes every hash and set command exactly as COMMAND INFO and COMMAND DOCS do", async () => {
    const names = ["hset", "hsetnx", "hget", "hmget", "hmset", "hgetall", "hdel", "hexists", "hlen", "hkeys", "hvals", "hincrby", "hincrbyfloat", "hstrlen", "hrandfield", "hscan"];
    names.push("sadd", "srem", "smembers", "sismember", "smismember", "scard", "spop", "srandmember", "smove", "sinter", "sintercard", "sunion", "sdiff", "sinterstore", "sunionstore", "sdiffstore", "sscan");
    for (const name of names) await pair.same(["COMMAND", "INFO", name], ["COMMAND", "DOCS", name]);
    await pair.same(["COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1"], ["COMMAND", "GETKEYS", "SMOVE", "a", "b", "m"], ["COMMAND", "GETKEYS", "SINTERSTORE", "d", "a", "b"]);
  });

  it("stays in step through a random mix of hash and set writes", async () => {
    nextTest();
    const random = new Random(7);
    const pick = <T>(items: readonly T[]): T => items[random.int(items.length)]!;
    const keys = [k("a"), k("b"), k("c")];
    const words = ["1", "2", "3", "10", "-7", "007", "x", "y", "z", ""];
    for (let i = 0; i < 400; i++) {
      const command = pick([
        () => ["SADD", pick(keys), pick(words), pick(words)],
        () => ["SREM", pick(keys), pick(words), pick(words)],
        () => ["SMOVE", pick(keys), pick(keys), pick(words)],
        () => [pick(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]), pick(keys), pick(keys), pick(keys)],
        () => ["SINTERCARD", "2", pick(keys), pick(keys)],
        () => ["HSET", pick(keys), pick(words), pick(words)],
        () => ["HDEL", pick(keys), pick(words)],
        () => ["HINCRBY", pick(keys), pick(words), String(random.int(100) - 50)],
        () => ["SCARD", pick(keys)],
        () => ["HLEN", pick(keys)],
      ])();
      await pair.same(command);
    }
    for (const key of keys) {
      await pair.same(["TYPE", key]);
      await sameMembers(["SMEMBERS", key]);
      await pair.same(["HGETALL", key]);
    }
  });
});

/** The string items of an array or set reply, sorted; any other reply (an error) as it is. */
function sortedItems(reply: Reply): Reply {
  const items = reply !== null && typeof reply === "object" && "set" in reply ? reply.set : reply;
  if (!Array.isArray(items)) return reply;
  return (items as string[]).slice().sort();
}

/** The field/value pairs of a flat pair reply, sorted by field; any other reply as it is. */
function sortedPairs(reply: Reply): Reply {
  if (!Array.isArray(reply)) return reply;
  const items = reply as string[];
  const pairs: string[][] = [];
  for (let i = 0; i < items.length; i += 2) pairs.push([items[i]!, items[i + 1]!]);
  return pairs.sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
}
