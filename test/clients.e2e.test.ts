import { Redis, ReplyError, type RedisOptions } from "ioredis";
import { createClient, WatchError } from "redis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Spawned } from "./support/processes.js";
import { clientTargets } from "./support/targets.js";

/**
 * Real clients against a running node: ioredis 5 and node-redis 5 connect,
 * run every data type's basic commands, pipelines, MULTI/EXEC, pub/sub,
 * blocking pops across connections, AUTH, SELECT and RESP3 (node-redis only:
 * ioredis 5 speaks RESP2 alone).
 * Every body also runs against a real redis-server when one is installed,
 * which keeps the expectations honest. Needs `npx tsc -b` first.
 */

const PASSWORD = "s3cret pass";

type NodeRedisClient = ReturnType<typeof createClient>;

function ioredis(port: number, options: RedisOptions = {}): Redis {
  return new Redis({
    port,
    host: "127.0.0.1",
    lazyConnect: true,
    // Fail fast instead of retrying against a broken server.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    commandTimeout: 5000,
    ...options,
  });
}

async function nodeRedis(port: number, options: Parameters<typeof createClient>[0] = {}): Promise<NodeRedisClient> {
  const client = createClient({ socket: { port, host: "127.0.0.1", reconnectStrategy: false }, ...options });
  client.on("error", () => {});
  await client.connect();
  return client as NodeRedisClient;
}

/** Resolves with the next `event` the emitter fires, as an argument list. */
function nextEvent(emitter: Redis, event: string): Promise<unknown[]> {
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(clientTargets())("$name", (target) => {
  let server: Spawned;
  let secured: Spawned;
  beforeAll(async () => {
    [server, secured] = await Promise.all([target.start(), target.start(["--requirepass", PASSWORD])]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), secured?.stop()]);
  });

  describe("ioredis", () => {
    let redis: Redis;
    const extra: Redis[] = [];
    /** Another connection, closed after the test group. */
    const another = async (options: RedisOptions = {}) => {
      const connection = ioredis(server.port, options);
      extra.push(connection);
      await connection.connect();
      return connection;
    };
    beforeAll(async () => {
      redis = ioredis(server.port);
      await redis.connect();
    });
    beforeEach(async () => {
      await redis.flushall();
    });
    afterAll(() => {
      for (const connection of [redis, ...extra]) connection?.disconnect();
    });

    it("connects (INFO ready check) and answers PING and ECHO", async () => {
      expect(redis.status).toBe("ready");
      expect(await redis.ping()).toBe("PONG");
      expect(await redis.ping("hello")).toBe("hello");
      expect(await redis.echo("binary \x00 safe")).toBe("binary \x00 safe");
    });

    it("strings: SET options, GET, counters, ranges, multi-key", async () => {
      expect(await redis.set("s", "hello")).toBe("OK");
      expect(await redis.get("s")).toBe("hello");
      expect(await redis.set("s", "other", "NX")).toBeNull();
      expect(await redis.set("s", "world", "XX", "GET")).toBe("hello");
      expect(await redis.set("missing", "v", "XX")).toBeNull();
      expect(await redis.append("s", "!")).toBe(6);
      expect(await redis.strlen("s")).toBe(6);
      expect(await redis.getrange("s", 1, -2)).toBe("orld");
      expect(await redis.setrange("s", 6, "??")).toBe(8);
      expect(await redis.get("s")).toBe("world!??");
      expect(await redis.incr("n")).toBe(1);
      expect(await redis.incrby("n", 41)).toBe(42);
      expect(await redis.decrby("n", 2)).toBe(40);
      expect(await redis.decr("n")).toBe(39);
      expect(await redis.incrbyfloat("f", "1.5")).toBe("1.5");
      expect(await redis.incrbyfloat("f", "0.1")).toBe("1.6");
      expect(await redis.mset("a", "1", "b", "2")).toBe("OK");
      expect(await redis.mget("a", "b", "nope")).toEqual(["1", "2", null]);
      expect(await redis.msetnx("a", "x", "c", "3")).toBe(0);
      expect(await redis.setnx("c", "3")).toBe(1);
      expect(await redis.getdel("c")).toBe("3");
      expect(await redis.exists("c")).toBe(0);
      expect(await redis.getset("a", "new")).toBe("1");
      await expect(redis.incr("s")).rejects.toThrow("ERR value is not an integer or out of range");
    });

    it("strings: expiry options and binary values as Buffers", async () => {
      expect(await redis.set("t", "v", "EX", 100)).toBe("OK");
      expect(await redis.ttl("t")).toBe(100);
      expect(await redis.set("t", "w", "KEEPTTL")).toBe("OK");
      expect(await redis.ttl("t")).toBeGreaterThan(98);
      expect(await redis.set("t", "x")).toBe("OK");
      expect(await redis.ttl("t")).toBe(-1);
      expect(await redis.setex("t", 50, "y")).toBe("OK");
      expect(await redis.pttl("t")).toBeGreaterThan(49_000);
      expect(await redis.getex("t", "PERSIST")).toBe("y");
      expect(await redis.ttl("t")).toBe(-1);
      const bytes = Buffer.from([0, 1, 2, 13, 10, 255, 254, 128]);
      expect(await redis.set(Buffer.from([0xff, 0x00]), bytes)).toBe("OK");
      expect(await redis.getBuffer(Buffer.from([0xff, 0x00]))).toEqual(bytes);
      const large = Buffer.alloc(8 * 1024 * 1024, 7);
      expect(await redis.set("large", large)).toBe("OK");
      expect((await redis.getBuffer("large"))!.equals(large)).toBe(true);
    });

    it("keys: EXISTS, DEL, TYPE, RENAME, EXPIRE family, KEYS, SCAN, DBSIZE", async () => {
      await redis.mset("k1", "a", "k2", "b", "other", "c");
      await redis.rpush("list", "x");
      expect(await redis.exists("k1", "k2", "nope", "k1")).toBe(3);
      expect(await redis.type("k1")).toBe("string");
      expect(await redis.type("list")).toBe("list");
      expect(await redis.type("nope")).toBe("none");
      expect(await redis.dbsize()).toBe(4);
      expect((await redis.keys("k*")).sort()).toEqual(["k1", "k2"]);
      expect(await redis.expire("k1", 100)).toBe(1);
      expect(await redis.ttl("k1")).toBe(100);
      expect(await redis.persist("k1")).toBe(1);
      expect(await redis.ttl("k1")).toBe(-1);
      expect(await redis.ttl("nope")).toBe(-2);
      expect(await redis.pexpire("k2", 50)).toBe(1);
      await sleep(120);
      expect(await redis.get("k2")).toBeNull();
      expect(await redis.rename("k1", "renamed")).toBe("OK");
      expect(await redis.renamenx("renamed", "other")).toBe(0);
      await expect(redis.rename("nope", "x")).rejects.toThrow("ERR no such key");
      expect(await redis.del("renamed", "other", "nope")).toBe(2);
      expect(await redis.unlink("list")).toBe(1);
      expect(await redis.dbsize()).toBe(0);
    });

    it("keys: scanStream sees every key exactly once", async () => {
      const pipeline = redis.pipeline();
      for (let i = 0; i < 500; i++) pipeline.set(`scan:${i}`, String(i));
      await pipeline.exec();
      const seen = new Set<string>();
      await new Promise<void>((resolve, reject) => {
        const stream = redis.scanStream({ match: "scan:*", count: 37 });
        stream.on("data", (keys: string[]) => keys.forEach((key) => seen.add(key)));
        stream.on("end", () => resolve());
        stream.on("error", reject);
      });
      expect(seen.size).toBe(500);
      expect(await redis.randomkey()).toMatch(/^scan:\d+$/);
    });

    it("hashes: HSET, HGETALL as an object, counters, HSCAN", async () => {
      expect(await redis.hset("h", { name: "ada", born: "1815" })).toBe(2);
      expect(await redis.hset("h", "name", "Ada")).toBe(0);
      expect(await redis.hget("h", "name")).toBe("Ada");
      expect(await redis.hmget("h", "name", "nope")).toEqual(["Ada", null]);
      expect(await redis.hgetall("h")).toEqual({ name: "Ada", born: "1815" });
      expect(await redis.hexists("h", "born")).toBe(1);
      expect(await redis.hlen("h")).toBe(2);
      expect(await redis.hstrlen("h", "name")).toBe(3);
      expect(await redis.hincrby("h", "born", 1)).toBe(1816);
      expect(await redis.hincrbyfloat("h", "score", "2.5")).toBe("2.5");
      expect(await redis.hsetnx("h", "name", "x")).toBe(0);
      expect((await redis.hkeys("h")).sort()).toEqual(["born", "name", "score"]);
      expect((await redis.hvals("h")).sort()).toEqual(["1816", "2.5", "Ada"]);
      expect(await redis.hdel("h", "score", "nope")).toBe(1);
      const [cursor, flat] = await redis.hscan("h", 0);
      expect(cursor).toBe("0");
      expect(flat.length).toBe(4);
      expect(await redis.hgetall("nope")).toEqual({});
      await expect(redis.hget("s-missing-type", "f")).resolves.toBeNull();
      await redis.set("str", "v");
      await expect(redis.hget("str", "f")).rejects.toThrow("WRONGTYPE Operation against a key holding the wrong kind of value");
    });

    it("lists: pushes, pops, ranges, LINSERT, LREM, LPOS, LMOVE", async () => {
      expect(await redis.rpush("l", "a", "b", "c")).toBe(3);
      expect(await redis.lpush("l", "z")).toBe(4);
      expect(await redis.lrange("l", 0, -1)).toEqual(["z", "a", "b", "c"]);
      expect(await redis.llen("l")).toBe(4);
      expect(await redis.lindex("l", -1)).toBe("c");
      expect(await redis.lset("l", 0, "y")).toBe("OK");
      expect(await redis.linsert("l", "BEFORE", "b", "a")).toBe(5);
      expect(await redis.lrem("l", 0, "a")).toBe(2);
      expect(await redis.lrange("l", 0, -1)).toEqual(["y", "b", "c"]);
      expect(await redis.lpos("l", "c")).toBe(2);
      expect(await redis.lmove("l", "other", "LEFT", "RIGHT")).toBe("y");
      expect(await redis.rpoplpush("l", "other")).toBe("c");
      // RPOPLPUSH pushes onto the head of the destination.
      expect(await redis.lrange("other", 0, -1)).toEqual(["c", "y"]);
      expect(await redis.ltrim("other", 1, -1)).toBe("OK");
      expect(await redis.rpop("other")).toBe("y");
      expect(await redis.exists("other")).toBe(0);
      expect(await redis.lpop("l", 5)).toEqual(["b"]);
      expect(await redis.lpop("l")).toBeNull();
      await expect(redis.lset("nope", 0, "x")).rejects.toThrow("ERR no such key");
    });

    it("sets: membership, algebra, random members", async () => {
      expect(await redis.sadd("s1", "a", "b", "c", "a")).toBe(3);
      await redis.sadd("s2", "b", "c", "d");
      expect(await redis.scard("s1")).toBe(3);
      expect(await redis.sismember("s1", "a")).toBe(1);
      expect(await redis.smismember("s1", "a", "z")).toEqual([1, 0]);
      expect((await redis.smembers("s1")).sort()).toEqual(["a", "b", "c"]);
      expect((await redis.sinter("s1", "s2")).sort()).toEqual(["b", "c"]);
      expect((await redis.sunion("s1", "s2")).sort()).toEqual(["a", "b", "c", "d"]);
      expect(await redis.sdiff("s1", "s2")).toEqual(["a"]);
      expect(await redis.sinterstore("both", "s1", "s2")).toBe(2);
      expect(await redis.sunionstore("all", "s1", "s2")).toBe(4);
      expect(await redis.sdiffstore("only", "s2", "s1")).toBe(1);
      expect(await redis.smove("s1", "s2", "a")).toBe(1);
      expect(await redis.srem("s2", "a", "zz")).toBe(1);
      expect(await redis.srandmember("all", 10)).toHaveLength(4);
      expect(await redis.srandmember("all", -10)).toHaveLength(10);
      const popped = await redis.spop("all");
      expect(["a", "b", "c", "d"]).toContain(popped);
      expect(await redis.scard("all")).toBe(3);
      const [cursor, members] = await redis.sscan("s2", 0, "COUNT", 100);
      expect(cursor).toBe("0");
      expect(members.sort()).toEqual(["b", "c", "d"]);
      expect(await redis.call("SINTERCARD", "2", "s1", "s2")).toBe(2);
    });

    it("sorted sets: ZADD flags, ranges by rank, score and lex, pops, stores", async () => {
      expect(await redis.zadd("z", 1, "a", 2, "b", 3, "c")).toBe(3);
      expect(await redis.zadd("z", "CH", 5, "a", 4, "d")).toBe(2);
      expect(await redis.zadd("z", "NX", 100, "a")).toBe(0);
      expect(await redis.zadd("z", "GT", "CH", 1, "a")).toBe(0);
      expect(await redis.zadd("z", "INCR", 10, "b")).toBe("12");
      expect(await redis.zscore("z", "a")).toBe("5");
      expect(await redis.zincrby("z", "0.5", "c")).toBe("3.5");
      expect(await redis.zcard("z")).toBe(4);
      expect(await redis.zrange("z", 0, -1)).toEqual(["c", "d", "a", "b"]);
      expect(await redis.zrange("z", 0, 1, "WITHSCORES")).toEqual(["c", "3.5", "d", "4"]);
      expect(await redis.zrange("z", "(4", "+inf", "BYSCORE", "LIMIT", 0, 1)).toEqual(["a"]);
      expect(await redis.zrevrange("z", 0, 0)).toEqual(["b"]);
      expect(await redis.zrangebyscore("z", 4, 5)).toEqual(["d", "a"]);
      expect(await redis.zcount("z", "-inf", "(5")).toBe(2);
      expect(await redis.zrank("z", "a")).toBe(2);
      expect(await redis.zrevrank("z", "a")).toBe(1);
      expect(await redis.zmscore("z", "a", "nope")).toEqual(["5", null]);
      expect(await redis.zrem("z", "d", "nope")).toBe(1);
      expect(await redis.zpopmin("z")).toEqual(["c", "3.5"]);
      expect(await redis.zpopmax("z", 5)).toEqual(["b", "12", "a", "5"]);
      expect(await redis.exists("z")).toBe(0);
      await redis.zadd("lex", 0, "apple", 0, "banana", 0, "cherry");
      expect(await redis.zrangebylex("lex", "[b", "+")).toEqual(["banana", "cherry"]);
      expect(await redis.zlexcount("lex", "-", "(c")).toBe(2);
      await redis.zadd("z1", 1, "x", 2, "y");
      await redis.zadd("z2", 10, "y", 20, "w");
      expect(await redis.zunionstore("u", 2, "z1", "z2", "WEIGHTS", 1, 2)).toBe(3);
      expect(await redis.zrange("u", 0, -1, "WITHSCORES")).toEqual(["x", "1", "y", "22", "w", "40"]);
      expect(await redis.zinterstore("i", 2, "z1", "z2", "AGGREGATE", "MAX")).toBe(1);
      expect(await redis.zscore("i", "y")).toBe("10");
      await expect(redis.zadd("z", "NX", "XX", 1, "a")).rejects.toThrow("ERR XX and NX options at the same time are not compatible");
      await expect(redis.zadd("z", "nan", "a")).rejects.toThrow("ERR value is not a valid float");
    });

    it("pipelines: a thousand commands in order, errors per command", async () => {
      const pipeline = redis.pipeline();
      for (let i = 0; i < 1000; i++) pipeline.incr("counter");
      pipeline.set("str", "v").incr("str").get("counter");
      const results = (await pipeline.exec())!;
      expect(results).toHaveLength(1003);
      expect(results[999]).toEqual([null, 1000]);
      expect(results[1000]).toEqual([null, "OK"]);
      expect(results[1001]![0]).toBeInstanceOf(ReplyError);
      expect((results[1001]![0] as Error).message).toBe("ERR value is not an integer or out of range");
      expect(results[1002]).toEqual([null, "1000"]);
    });

    it("pipelines: large replies cost time in proportion to their size", async () => {
      // A server of its own: a slow one must not hold up the other tests.
      const own = await target.start();
      const connection = ioredis(own.port);
      try {
        await connection.connect();
        const value = Buffer.alloc(512 * 1024, "v");
        await connection.set("big", value);
        const pipeline = connection.pipeline();
        for (let i = 0; i < 200; i++) pipeline.getBuffer("big");
        const startedMs = Date.now();
        const results = (await pipeline.exec())!;
        // 100 MiB of replies: real Redis needs well under a second here.
        expect(Date.now() - startedMs).toBeLessThan(4000);
        expect(results.every(([error, reply]) => error === null && (reply as Buffer).equals(value))).toBe(true);
      } finally {
        connection.disconnect();
        await own.stop();
      }
    });

    it("MULTI/EXEC: queued results, EXECABORT, WATCH conflicts, DISCARD", async () => {
      expect(await redis.multi().set("m", "1").incr("m").get("m").exec()).toEqual([
        [null, "OK"],
        [null, 2],
        [null, "2"],
      ]);
      // A runtime error fails one command, not the transaction.
      const mixed = (await redis.multi().set("m", "x").incr("m").get("m").exec())!;
      expect((mixed[1]![0] as Error).message).toBe("ERR value is not an integer or out of range");
      expect(mixed[2]).toEqual([null, "x"]);
      // A command refused while queueing aborts the whole transaction.
      await expect(redis.multi().set("m", "y").call("NOSUCHCMD").exec()).rejects.toThrow(
        "EXECABORT Transaction discarded because of previous errors.",
      );
      expect(await redis.get("m")).toBe("x");
      const watcher = await another();
      await watcher.watch("w");
      await redis.set("w", "changed");
      expect(await watcher.multi().set("w", "mine").exec()).toBeNull();
      expect(await redis.get("w")).toBe("changed");
      await watcher.watch("w");
      expect(await watcher.multi().set("w", "mine").exec()).toEqual([[null, "OK"]]);
      await redis.call("MULTI");
      expect(await redis.call("DISCARD")).toBe("OK");
      await expect(redis.call("EXEC")).rejects.toThrow("ERR EXEC without MULTI");
    });

    it("pub/sub: SUBSCRIBE, PSUBSCRIBE, PUBLISH counts, UNSUBSCRIBE", async () => {
      const subscriber = await another();
      expect(await subscriber.subscribe("news", "weather")).toBe(2);
      expect(await subscriber.psubscribe("sport.*")).toBe(3);
      const message = nextEvent(subscriber, "message");
      expect(await redis.publish("news", "hello")).toBe(1);
      expect(await message).toEqual(["news", "hello"]);
      const pmessage = nextEvent(subscriber, "pmessage");
      expect(await redis.publish("sport.tennis", "ace")).toBe(1);
      expect(await pmessage).toEqual(["sport.*", "sport.tennis", "ace"]);
      expect(await redis.call("PUBSUB", "NUMSUB", "news", "nobody")).toEqual(["news", 1, "nobody", 0]);
      expect(await redis.call("PUBSUB", "NUMPAT")).toBe(1);
      await subscriber.unsubscribe("news");
      expect(await redis.publish("news", "again")).toBe(0);
      await expect(subscriber.get("k")).rejects.toThrow(/Connection in subscriber mode/);
    });

    it("blocking: BLPOP waits for a push from another connection, and times out with nil", async () => {
      const blocked = await another();
      const waiting = blocked.blpop("queue", 0);
      await sleep(50);
      expect(await redis.rpush("queue", "job-1", "job-2")).toBe(2);
      expect(await waiting).toEqual(["queue", "job-1"]);
      expect(await redis.lrange("queue", 0, -1)).toEqual(["job-2"]);
      expect(await blocked.blpop("empty", 0.1)).toBeNull();
      const moved = blocked.blmove("src", "dst", "LEFT", "RIGHT", 0);
      await sleep(50);
      await redis.lpush("src", "m");
      expect(await moved).toBe("m");
      expect(await redis.lrange("dst", 0, -1)).toEqual(["m"]);
      const zpop = blocked.bzpopmin("zq", 0);
      await sleep(50);
      await redis.zadd("zq", 7, "seven");
      expect(await zpop).toEqual(["zq", "seven", "7"]);
    });

    it("SELECT: the db option selects on connect and keeps databases apart", async () => {
      const db3 = await another({ db: 3 });
      await db3.set("where", "db3");
      await redis.set("where", "db0");
      expect(await db3.get("where")).toBe("db3");
      expect(await redis.get("where")).toBe("db0");
      expect(await db3.dbsize()).toBe(1);
      await expect(redis.select(16)).rejects.toThrow("ERR DB index is out of range");
      expect(await redis.move("where", 3)).toBe(0);
      expect(await redis.swapdb(0, 3)).toBe("OK");
      expect(await redis.get("where")).toBe("db3");
    });

    it("CLIENT: the connectionName option sets the name; CLIENT ID and LIST", async () => {
      const named = await another({ connectionName: "worker-1" });
      expect(await named.client("GETNAME")).toBe("worker-1");
      const id = (await named.client("ID")) as number;
      expect(id).toBeGreaterThan(0);
      const list = (await redis.client("LIST")) as string;
      expect(list).toMatch(new RegExp(`^id=${id} addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:${server.port} .*name=worker-1 `, "m"));
    });

    it("AUTH: the password option authenticates; without it NOAUTH, with a wrong one WRONGPASS", async () => {
      const authed = ioredis(secured.port, { password: PASSWORD });
      extra.push(authed);
      await authed.connect();
      expect(await authed.set("k", "v")).toBe("OK");
      const anonymous = ioredis(secured.port, { enableReadyCheck: false });
      extra.push(anonymous);
      await anonymous.connect();
      await expect(anonymous.get("k")).rejects.toThrow("NOAUTH Authentication required.");
      await expect(anonymous.auth("wrong")).rejects.toThrow("WRONGPASS invalid username-password pair or user is disabled.");
      expect(await anonymous.auth(PASSWORD)).toBe("OK");
      expect(await anonymous.get("k")).toBe("v");
    });
  });

  describe("node-redis", () => {
    let client: NodeRedisClient;
    const extra: NodeRedisClient[] = [];
    const another = async (options: Parameters<typeof createClient>[0] = {}) => {
      const connection = await nodeRedis(server.port, options);
      extra.push(connection);
      return connection;
    };
    beforeAll(async () => {
      client = await nodeRedis(server.port);
    });
    beforeEach(async () => {
      await client.flushAll();
    });
    afterAll(() => {
      for (const connection of [client, ...extra]) if (connection?.isOpen) connection.destroy();
    });

    it("connects (with CLIENT SETINFO) and runs every data type's basics", async () => {
      expect(await client.ping()).toBe("PONG");
      expect(await client.set("s", "v", { EX: 100 })).toBe("OK");
      expect(await client.get("s")).toBe("v");
      expect(await client.ttl("s")).toBe(100);
      expect(await client.incrBy("n", 5)).toBe(5);
      expect(await client.hSet("h", { a: "1", b: "2" })).toBe(2);
      expect(await client.hGetAll("h")).toEqual({ a: "1", b: "2" });
      expect(await client.rPush("l", ["x", "y", "z"])).toBe(3);
      expect(await client.lRange("l", 0, -1)).toEqual(["x", "y", "z"]);
      expect(await client.sAdd("set", ["p", "q"])).toBe(2);
      expect((await client.sMembers("set")).sort()).toEqual(["p", "q"]);
      expect(await client.zAdd("z", [{ score: 2, value: "two" }, { score: 1, value: "one" }])).toBe(2);
      expect(await client.zRangeWithScores("z", 0, -1)).toEqual([
        { value: "one", score: 1 },
        { value: "two", score: 2 },
      ]);
      expect(await client.type("z")).toBe("zset");
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: "*", COUNT: 2 })) keys.push(...batch);
      expect(keys.sort()).toEqual(["h", "l", "n", "s", "set", "z"]);
      await expect(client.lPush("s", "x")).rejects.toThrow("WRONGTYPE Operation against a key holding the wrong kind of value");
    });

    it("pipelines: automatic pipelining and execAsPipeline", async () => {
      const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => client.set(`p:${i}`, String(i))));
      expect(replies.every((reply) => reply === "OK")).toBe(true);
      expect(await client.dbSize()).toBe(500);
      const results = await client.multi().incr("c").incr("c").get("c").execAsPipeline();
      expect(results).toEqual([1, 2, "2"]);
    });

    it("MULTI/EXEC and WATCH: a touched key aborts with WatchError", async () => {
      expect(await client.multi().set("m", "1").incr("m").get("m").exec()).toEqual(["OK", 2, "2"]);
      const watcher = await another();
      await watcher.watch("w");
      await client.set("w", "changed");
      await expect(watcher.multi().set("w", "mine").exec()).rejects.toBeInstanceOf(WatchError);
      expect(await client.get("w")).toBe("changed");
    });

    it("pub/sub: a duplicate subscribes; PUBLISH reaches channel and pattern listeners", async () => {
      const subscriber = await another();
      const received: string[] = [];
      await subscriber.subscribe("news", (message, channel) => received.push(`${channel}:${message}`));
      await subscriber.pSubscribe("sport.*", (message, channel) => received.push(`p ${channel}:${message}`));
      expect(await client.publish("news", "hello")).toBe(1);
      expect(await client.publish("sport.golf", "birdie")).toBe(1);
      const deadline = Date.now() + 2000;
      while (received.length < 2 && Date.now() < deadline) await sleep(10);
      expect(received).toEqual(["news:hello", "p sport.golf:birdie"]);
      await subscriber.unsubscribe("news");
      expect(await client.publish("news", "again")).toBe(0);
    });

    it("blocking: blPop on one connection is served by a push on another", async () => {
      const blocked = await another();
      const waiting = blocked.blPop("queue", 0);
      await sleep(50);
      await client.lPush("queue", "job");
      expect(await waiting).toEqual({ key: "queue", element: "job" });
      expect(await blocked.blPop("empty", 0.1)).toBeNull();
    });

    it("SELECT: the database option", async () => {
      const db2 = await another({ database: 2 });
      await db2.set("k", "in db2");
      expect(await client.get("k")).toBeNull();
      expect(await db2.get("k")).toBe("in db2");
    });

    it("AUTH: the password option, and WRONGPASS for a wrong one", async () => {
      const authed = await nodeRedis(secured.port, { password: PASSWORD });
      extra.push(authed);
      expect(await authed.ping()).toBe("PONG");
      const wrong = createClient({ socket: { port: secured.port, host: "127.0.0.1", reconnectStrategy: false }, password: "wrong" });
      wrong.on("error", () => {});
      await expect(wrong.connect()).rejects.toThrow("WRONGPASS invalid username-password pair or user is disabled.");
      if (wrong.isOpen) wrong.destroy();
    });

    it("RESP3: HELLO 3 on connect, maps, sets, doubles, nulls and push messages", async () => {
      const resp3 = await another({ RESP: 3 });
      expect(await resp3.ping()).toBe("PONG");
      await resp3.hSet("h", { a: "1" });
      expect(await resp3.hGetAll("h")).toEqual({ a: "1" });
      await resp3.zAdd("z", { score: 1.5, value: "m" });
      expect(await resp3.zScore("z", "m")).toBe(1.5);
      expect(await resp3.get("missing")).toBeNull();
      await resp3.sAdd("s", "only");
      expect(await resp3.sMembers("s")).toEqual(["only"]);
      const hello = (await resp3.sendCommand(["HELLO"])) as Record<string, unknown> | Map<string, unknown>;
      const proto = hello instanceof Map ? hello.get("proto") : hello.proto;
      expect(proto).toBe(3);
      // RESP3 delivers pub/sub as push messages, so one connection both subscribes and runs commands.
      const received: string[] = [];
      await resp3.subscribe("push", (message) => received.push(message));
      expect(await resp3.get("missing")).toBeNull();
      await client.publish("push", "via RESP3");
      const deadline = Date.now() + 2000;
      while (received.length === 0 && Date.now() < deadline) await sleep(10);
      expect(received).toEqual(["via RESP3"]);
    });
  });
});
