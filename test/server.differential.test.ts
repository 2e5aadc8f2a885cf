import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseInfo, parseReplies, parseReply, type Reply } from "../packages/core/test/support/server-session.js";
import { RedisPair } from "./support/differential.js";
import { redisServerAvailable, skipReason } from "./support/processes.js";
import { RawConnection } from "./support/raw-client.js";

/**
 * Connection, server, transaction and pub/sub commands against a real
 * redis-server 7.0: replies and errors byte for byte. Where Redis answers in
 * the order of its hash tables (CONFIG GET with patterns, the subcommands of
 * a container in COMMAND INFO/DOCS, COMMAND LIST) both replies are parsed
 * and compared in a canonical order; INFO, whose numbers differ by nature,
 * is compared by its sections and field names.
 */

/** Sorts arrays of arrays by their first element and maps by key, recursively: a canonical form for hash-ordered replies. */
function canonical(reply: Reply): Reply {
  if (Array.isArray(reply)) {
    const items = reply.map(canonical);
    if (items.every((item) => Array.isArray(item) && typeof item[0] === "string")) {
      return [...items].sort((a, b) => ((a as string[])[0]! < (b as string[])[0]! ? -1 : 1));
    }
    return items;
  }
  if (reply !== null && typeof reply === "object" && !Array.isArray(reply) && "map" in reply) {
    const pairs = reply.map.map(([k, v]) => [canonical(k), canonical(v)] as [Reply, Reply]);
    return { map: pairs.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)) };
  }
  return reply;
}

/** A flat [name, value, name, value...] reply (RESP2 maps) as sorted pairs. */
function sortedPairs(reply: Reply): [Reply, Reply][] {
  if (reply !== null && typeof reply === "object" && !Array.isArray(reply) && "map" in reply) return [...reply.map].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  const items = reply as Reply[];
  const pairs: [Reply, Reply][] = [];
  for (let i = 0; i < items.length; i += 2) pairs.push([items[i]!, items[i + 1]!]);
  return pairs.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
}

describe.skipIf(skipReason(redisServerAvailable, "redis-server"))("server commands against redis-server", () => {
  let pair: RedisPair;
  /** Extra connections of a test, closed after it. */
  const extra: RawConnection[] = [];

  beforeAll(async () => {
    pair = await RedisPair.start();
  });
  afterAll(async () => {
    for (const connection of extra) connection.close();
    await pair?.stop();
  });
  beforeEach(async () => {
    for (const connection of extra.splice(0)) connection.close();
    await pair.both(["RESET"]);
    await pair.reset();
  });

  /** A new connection to each server. */
  async function connections(): Promise<[RawConnection, RawConnection]> {
    const both = await Promise.all([RawConnection.connect(pair.redis.port), RawConnection.connect(pair.shardline.port)]);
    extra.push(...both);
    return both;
  }

  /** Same command on each connection of a pair of connections; the raw replies must match. */
  async function sameOn([redis, shardline]: [RawConnection, RawConnection], ...commands: string[][]): Promise<void> {
    for (const command of commands) {
      const [expected, actual] = await Promise.all([redis.command(...command), shardline.command(...command)]);
      expect(actual, JSON.stringify(command)).toBe(expected);
    }
  }

  /** A command answered with several frames (SUBSCRIBE a b...): all of them must match. */
  async function sameFrames(frames: number, ...commands: string[][]): Promise<void> {
    for (const command of commands) {
      const read = async (connection: RawConnection) => {
        let out = await connection.command(...command);
        for (let i = 1; i < frames; i++) out += await connection.readReply();
        return out;
      };
      const [expected, actual] = await Promise.all([read(pair.redisConnection), read(pair.shardlineConnection)]);
      expect(actual, JSON.stringify(command)).toBe(expected);
    }
  }

  /** Both answer the same once hash-table order is taken out. */
  async function sameCanonical(...commands: string[][]): Promise<void> {
    for (const command of commands) {
      const [expected, actual] = await pair.both(command);
      expect(canonical(parseReply(actual)), JSON.stringify(command)).toEqual(canonical(parseReply(expected)));
    }
  }

  describe("connection", () => {
    it("answers PING, ECHO, SELECT, AUTH and HELLO errors identically", async () => {
      await pair.same(
        ["PING"],
        ["PING", "hello"],
        ["PING", "a", "b"],
        ["ECHO"],
        ["ECHO", "x\r\ny"],
        ["SELECT", "16"],
        ["SELECT", "-1"],
        ["SELECT", "x"],
        ["SELECT", "99999999999"],
        ["SELECT", "15"],
        ["SELECT", "0"],
        ["AUTH", "x"],
        ["AUTH", "a", "b"],
        ["AUTH", "a", "b", "c"],
        ["AUTH", "default", "x"],
        ["HELLO", "4"],
        ["HELLO", "1"],
        ["HELLO", "x"],
        ["HELLO", "2", "SETNAME", "a b"],
        ["HELLO", "2", "SETNAME"],
        ["HELLO", "2", "AUTH", "default"],
        ["HELLO", "2", "FOO"],
        ["RESET", "x"],
        ["RESET"],
      );
    });

    it("answers HELLO with the same map in both protocols, but for the connection id", async () => {
      for (const version of ["3", "2"]) {
        const [redis, shardline] = await pair.both(["HELLO", version]);
        const [redisId, shardlineId] = await pair.both(["CLIENT", "ID"]);
        const withoutId = (reply: string, id: string) => reply.replace(`$2\r\nid\r\n:${parseReply(id)}\r\n`, "$2\r\nid\r\n:ID\r\n");
        expect(withoutId(shardline, shardlineId)).toBe(withoutId(redis, redisId));
      }
    });

    it("authenticates against requirepass identically", async () => {
      await pair.same(["CONFIG", "SET", "requirepass", "pw"]);
      try {
        const fresh = await connections();
        await sameOn(
          fresh,
          ["GET", "k"],
          ["HELLO", "3"],
          ["AUTH", "nope"],
          ["AUTH", "default", "nope"],
          ["PING"],
          ["AUTH", "pw"],
          ["PING"],
          ["RESET"],
          ["PING"],
          ["HELLO", "2", "AUTH", "default", "nope"],
          ["PING"],
        );
      } finally {
        await pair.same(["CONFIG", "SET", "requirepass", ""]);
      }
    });

    it("answers CLIENT subcommands and their errors identically", async () => {
      await pair.same(
        ["CLIENT"],
        ["CLIENT", "NOSUCH"],
        ["CLIENT", "GETNAME"],
        ["CLIENT", "SETNAME", "worker"],
        ["CLIENT", "GETNAME"],
        ["CLIENT", "SETNAME"],
        ["CLIENT", "SETNAME", "a b"],
        ["CLIENT", "SETNAME", ""],
        ["CLIENT", "GETNAME"],
        ["CLIENT", "ID", "x"],
        ["CLIENT", "LIST", "TYPE", "foo"],
        ["CLIENT", "LIST", "ID", "1", "x"],
        ["CLIENT", "LIST", "ID"],
        ["CLIENT", "LIST", "foo"],
        ["CLIENT", "LIST", "TYPE", "master"],
        ["CLIENT", "GETREDIR"],
        ["CLIENT", "TRACKINGINFO"],
        ["CLIENT", "NO-EVICT", "on"],
        ["CLIENT", "NO-EVICT", "off"],
        ["CLIENT", "NO-EVICT", "x"],
        ["CLIENT", "REPLY", "x"],
        ["CLIENT", "UNBLOCK", "999999"],
        ["CLIENT", "UNBLOCK", "x"],
        ["CLIENT", "UNBLOCK", "1", "foo"],
        ["CLIENT", "UNBLOCK", "1", "2", "3"],
        ["CLIENT", "KILL", "1.2.3.4:5"],
        ["CLIENT", "KILL", "ID", "999999"],
        ["CLIENT", "KILL", "foo", "bar"],
        ["CLIENT", "KILL", "TYPE", "foo"],
        ["CLIENT", "KILL", "TYPE", "master"],
        ["CLIENT", "KILL", "ID", "x"],
        ["CLIENT", "KILL", "SKIPME", "maybe"],
        ["CLIENT", "KILL", "USER", "nobody"],
        ["CLIENT", "KILL", "ADDR", "1.2.3.4:5", "ID"],
        ["CLIENT", "KILL", "a", "b", "c"],
        ["CLIENT", "PAUSE", "x"],
        ["CLIENT", "PAUSE", "-1"],
        ["CLIENT", "PAUSE", "10", "foo"],
        ["CLIENT", "PAUSE", "10", "write", "x"],
        ["CLIENT", "UNPAUSE"],
      );
    });

    it("prints CLIENT LIST and CLIENT INFO with Redis's fields in Redis's order", async () => {
      const [redis, shardline] = (await pair.both(["CLIENT", "INFO"])).map((raw) => parseReply(raw) as string);
      const names = (line: string) => line.trimEnd().split(" ").map((field) => field.slice(0, field.indexOf("=")));
      expect(names(shardline!)).toEqual(names(redis!));
      const [redisList, shardlineList] = (await pair.both(["CLIENT", "LIST"])).map((raw) => parseReply(raw) as string);
      expect(shardlineList!.endsWith("\n")).toBe(true);
      expect(names(shardlineList!.split("\n")[0]!)).toEqual(names(redisList!.split("\n")[0]!));
      for (const field of ["flags=N", "db=0", "sub=0", "psub=0", "ssub=0", "multi=-1", "cmd=client|list", "user=default", "redir=-1", "resp=2"]) {
        expect(shardlineList).toContain(` ${field} `.trimEnd());
      }
    });

    it("turns replies off, skips one and back on identically", async () => {
      const [redis, shardline] = await connections();
      for (const connection of [redis, shardline]) {
        connection.write("*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*1\r\n$6\r\nNOSUCH\r\n");
        connection.write("*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n");
      }
      await sameOn([redis, shardline], ["CLIENT", "REPLY", "ON"], ["GET", "k"]);
    });

    it("unblocks a blocked client identically", async () => {
      const blocked = await connections();
      const ids = await Promise.all(blocked.map(async (connection) => parseReply(await connection.command("CLIENT", "ID")) as number));
      blocked[0].write("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
      blocked[1].write("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [redisReply, shardlineReply] = await Promise.all([
        pair.redisConnection.command("CLIENT", "UNBLOCK", String(ids[0]), "ERROR"),
        pair.shardlineConnection.command("CLIENT", "UNBLOCK", String(ids[1]), "ERROR"),
      ]);
      expect(shardlineReply).toBe(redisReply);
      const [redisBlocked, shardlineBlocked] = await Promise.all(blocked.map((connection) => connection.readReply()));
      expect(shardlineBlocked).toBe(redisBlocked);
    });
  });

  describe("server", () => {
    it("answers DBSIZE, FLUSHDB, FLUSHALL and TIME shapes identically", async () => {
      await pair.same(
        ["SET", "a", "1"],
        ["SET", "b", "2"],
        ["DBSIZE"],
        ["DBSIZE", "x"],
        ["FLUSHDB", "x"],
        ["FLUSHDB", "sync", "x"],
        ["FLUSHDB", "ASYNC"],
        ["DBSIZE"],
        ["FLUSHALL", "x"],
        ["FLUSHALL", "SYNC"],
        ["FLUSHALL"],
        ["TIME", "x"],
      );
      const [redis, shardline] = (await pair.both(["TIME"])).map((raw) => parseReply(raw) as string[]);
      expect(shardline!.map((part) => /^\d+$/.test(part))).toEqual(redis!.map((part) => /^\d+$/.test(part)));
      expect(Math.abs(Number(shardline![0]) - Number(redis![0]))).toBeLessThanOrEqual(2);
    });

    it("fails WATCH after FLUSHALL of a watched key, as Redis does", async () => {
      await pair.same(["SET", "w", "1"], ["WATCH", "w", "absent"], ["FLUSHALL"], ["MULTI"], ["PING"], ["EXEC"]);
      await pair.same(["WATCH", "absent"], ["FLUSHALL"], ["MULTI"], ["PING"], ["EXEC"]);
    });

    it("answers INFO with Redis's sections and at least Redis's fields, in its format", async () => {
      for (const args of [["INFO"], ["INFO", "all"], ["INFO", "everything"], ["INFO", "server", "keyspace"], ["INFO", "nosuch"], ["INFO", "default"]]) {
        await pair.both(["SET", "k", "v"]);
        const [redisText, shardlineText] = (await pair.both(args)).map((raw) => parseReply(raw) as string);
        const redis = parseInfo(redisText!);
        const shardline = parseInfo(shardlineText!);
        expect([...shardline.keys()], args.join(" ")).toEqual([...redis.keys()]);
        for (const [section, fields] of redis) {
          if (section === "Commandstats" || section === "Latencystats" || section === "Errorstats") continue;
          const ours = [...shardline.get(section)!.keys()];
          const theirs = [...fields.keys()];
          expect(ours.filter((field) => theirs.includes(field)), section).toEqual(theirs);
        }
        for (const line of shardlineText!.split("\r\n")) expect(line).toMatch(/^(# [A-Za-z]+|[A-Za-z0-9_|.-]+:.*|)$/);
      }
    });

    it("formats INFO commandstats, errorstats and latencystats lines as Redis does", async () => {
      await pair.both(["CONFIG", "RESETSTAT"]);
      await pair.both(["GET", "k"]);
      await pair.both(["GET"]);
      await pair.both(["INCR", "k"]);
      await pair.both(["SET", "k", "x"]);
      await pair.both(["INCR", "k"]);
      const [redisText, shardlineText] = (await pair.both(["INFO", "commandstats", "errorstats", "latencystats"])).map((raw) => parseReply(raw) as string);
      const redis = parseInfo(redisText!);
      const shardline = parseInfo(shardlineText!);
      const shape = (value: string) => value.replace(/\d+(\.\d+)?/g, "N");
      for (const section of ["Commandstats", "Errorstats", "Latencystats"]) {
        const ours = shardline.get(section)!;
        for (const [field, value] of redis.get(section)!) {
          if (field.includes("config|resetstat") || field.includes("info")) continue;
          expect(ours.has(field), `${section} ${field}`).toBe(true);
          expect(shape(ours.get(field)!)).toBe(shape(value));
        }
      }
      const calls = (text: Map<string, Map<string, string>>) => text.get("Commandstats")!.get("cmdstat_get")!.replace(/usec=\d+,usec_per_call=[\d.]+,/, "");
      expect(calls(shardline)).toBe(calls(redis));
      expect(shardline.get("Errorstats")!.get("errorstat_ERR")).toBe(redis.get("Errorstats")!.get("errorstat_ERR"));
    });

    it("answers INFO as a verbatim string in RESP3", async () => {
      await pair.both(["HELLO", "3"]);
      await pair.same(["INFO", "cluster"], ["INFO", "nosuch"]);
    });
  });

  describe("CONFIG", () => {
    it("answers CONFIG SET and its refusals identically", async () => {
      try {
        await pair.same(
          ["CONFIG"],
          ["CONFIG", "GET"],
          ["CONFIG", "SET", "maxmemory"],
          ["CONFIG", "SET", "maxmemory", "10mb"],
          ["CONFIG", "GET", "maxmemory"],
          ["CONFIG", "SET", "maxmemory", "x"],
          ["CONFIG", "SET", "maxmemory", "1.5gb"],
          ["CONFIG", "SET", "MAXMEMORY", "x"],
          ["CONFIG", "SET", "nosuch", "1"],
          ["CONFIG", "SET", "maxmemory", "1", "maxmemory", "2"],
          ["CONFIG", "SET", "maxmemory", "1", "maxmemory-policy", "foo"],
          ["CONFIG", "SET", "maxmemory", "0", "nosuch", "1", "databases", "1"],
          ["CONFIG", "SET", "DATABASES", "1", "nosuch", "1"],
          ["CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"],
          ["CONFIG", "GET", "maxmemory-policy"],
          ["CONFIG", "SET", "hz", "0"],
          ["CONFIG", "GET", "hz"],
          ["CONFIG", "SET", "hz", "1000"],
          ["CONFIG", "GET", "hz"],
          ["CONFIG", "SET", "maxmemory-samples", "0"],
          ["CONFIG", "SET", "timeout", "-1"],
          ["CONFIG", "SET", "timeout", "01"],
          ["CONFIG", "SET", "appendonly", "maybe"],
          ["CONFIG", "SET", "maxmemory-policy", "noeviction", "a"],
          ["CONFIG", "SET", "slave-priority", "x"],
          ["CONFIG", "SET", "maxmemory-clients", "10x"],
          ["CONFIG", "SET", "maxmemory-clients", "101%"],
          ["CONFIG", "SET", "maxmemory-clients", "10%"],
          ["CONFIG", "GET", "maxmemory-clients"],
          ["CONFIG", "SET", "notify-keyspace-events", "KEA"],
          ["CONFIG", "GET", "notify-keyspace-events"],
          ["CONFIG", "SET", "notify-keyspace-events", "An"],
          ["CONFIG", "GET", "notify-keyspace-events"],
          ["CONFIG", "SET", "notify-keyspace-events", "?"],
          ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 10"],
          ["CONFIG", "GET", "client-output-buffer-limit"],
          ["CONFIG", "SET", "client-output-buffer-limit", "master 0 0 0"],
          ["CONFIG", "SET", "client-output-buffer-limit", "normal 0 0"],
          ["CONFIG", "SET", "client-output-buffer-limit", "normal x 0 0"],
          ["CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.50"],
          ["CONFIG", "GET", "latency-tracking-info-percentiles"],
          ["CONFIG", "SET", "latency-tracking-info-percentiles", "101"],
          ["CONFIG", "SET", "latency-tracking-info-percentiles", "x"],
          ["CONFIG", "SET", "dbfilename", "x"],
          ["CONFIG", "SET", "dir", "/tmp"],
          ["CONFIG", "SET", "oom-score-adj-values", "1 2"],
          ["CONFIG", "SET", "oom-score-adj-values", "1 2 3000"],
          ["CONFIG", "SET", "cluster-announce-hostname", "a_b"],
          ["CONFIG", "SET", "loglevel", "Warning"],
          ["CONFIG", "GET", "loglevel"],
          ["CONFIG", "SET", "maxclients", "0"],
          ["CONFIG", "SET", "list-max-listpack-size", "-3000000000"],
          ["CONFIG", "SET", "slowlog-log-slower-than", "-2"],
          ["CONFIG", "SET", "replicaof", "no one"],
          ["CONFIG", "SET", "lfu-log-factor", "-1"],
          ["CONFIG", "SET", "active-defrag-ignore-bytes", "0"],
          ["CONFIG", "SET", "proto-max-bulk-len", "100"],
          ["CONFIG", "RESETSTAT", "x"],
          ["CONFIG", "RESETSTAT"],
          ["CONFIG", "HELP"],
        );
      } finally {
        await pair.both(["CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction", "hz", "10", "maxmemory-clients", "0"]);
        await pair.both(["CONFIG", "SET", "notify-keyspace-events", "", "loglevel", "notice", "latency-tracking-info-percentiles", "50 99 99.9"]);
        await pair.both(["CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"]);
      }
    });

    it("answers CONFIG GET with the same names and values, in any order", async () => {
      for (const args of [["save", "appendonly"], ["maxmemory*"], ["*priority"], ["slave-priority", "replica-priority"], ["maxmem*", "maxmemory"], ["PORT", "port"], ["nosuch"]]) {
        const [redis, shardline] = await pair.both(["CONFIG", "GET", ...args]);
        const normalize = (raw: string) => sortedPairs(parseReply(raw)).filter(([name]) => String(name).toLowerCase() !== "port");
        expect(normalize(shardline), args.join(" ")).toEqual(normalize(redis));
      }
    });

    it("knows the parameters Redis's own tools and clients ask for", async () => {
      const wanted = ["save", "appendonly", "maxmemory", "maxmemory-policy", "databases", "cluster-enabled", "timeout", "maxclients", "hz", "slave-read-only", "replica-read-only", "repl-backlog-size", "notify-keyspace-events", "lua-time-limit", "io-threads"];
      const [redis, shardline] = await pair.both(["CONFIG", "GET", ...wanted]);
      const names = (raw: string) => sortedPairs(parseReply(raw)).map(([name]) => name);
      expect(names(shardline)).toEqual(names(redis));
    });
  });

  describe("COMMAND", () => {
    const leaves = [
      "ping", "echo", "hello", "auth", "select", "quit", "reset", "dbsize", "flushdb", "flushall", "time", "info",
      "multi", "exec", "discard", "watch", "unwatch", "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "publish",
      "ssubscribe", "sunsubscribe", "spublish", "config|get", "config|set", "client|list", "client|kill", "command|getkeys", "pubsub|numsub",
    ];

    it("describes this family's commands byte for byte in RESP2 and RESP3", async () => {
      for (const protocol of ["2", "3"]) {
        await pair.both(["HELLO", protocol]);
        for (const name of leaves) await pair.same(["COMMAND", "INFO", name], ["COMMAND", "DOCS", name]);
        await pair.same(["COMMAND", "INFO", "nosuch", "get"], ["COMMAND", "INFO", "config|nosuch", "CONFIG|GET", "config|get|x"], ["COMMAND", "DOCS", "nosuch"]);
      }
    });

    it("describes the containers the same, their subcommands in any order", async () => {
      for (const name of ["client", "config", "command", "pubsub"]) {
        const [redis, shardline] = await pair.both(["COMMAND", "INFO", name]);
        const entry = (raw: string) => {
          const [info] = parseReply(raw) as Reply[][];
          const subs = (info![9] as Reply[][]).filter((sub) => !["client|caching", "client|tracking"].includes(sub[0] as string));
          return [...info!.slice(0, 9), canonical(subs)];
        };
        expect(entry(shardline), name).toEqual(entry(redis));
      }
      // In RESP3 the subcommand docs are a map, which compares in any order.
      await pair.both(["HELLO", "3"]);
      await sameCanonical(["COMMAND", "DOCS", "config"], ["COMMAND", "DOCS", "command"], ["COMMAND", "DOCS", "pubsub"]);
    });

    it("answers COMMAND GETKEYS, LIST, COUNT and HELP identically", async () => {
      await pair.same(
        ["COMMAND", "GETKEYS"],
        ["COMMAND", "GETKEYS", "nosuch", "a"],
        ["COMMAND", "GETKEYS", "get"],
        ["COMMAND", "GETKEYS", "get", "a", "b"],
        ["COMMAND", "GETKEYS", "get", "a"],
        ["COMMAND", "GETKEYS", "set", "a", "b", "get"],
        ["COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"],
        ["COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "get"],
        ["COMMAND", "GETKEYS", "watch", "a", "b"],
        ["COMMAND", "GETKEYSANDFLAGS", "watch", "a", "b"],
        ["COMMAND", "GETKEYS", "publish", "a", "b"],
        ["COMMAND", "GETKEYS", "spublish", "a", "b"],
        ["COMMAND", "GETKEYS", "client", "list"],
        ["COMMAND", "GETKEYS", "config", "get", "x"],
        ["COMMAND", "LIST", "FILTERBY", "aclcat", "@read"],
        ["COMMAND", "LIST", "FILTERBY", "foo", "x"],
        ["COMMAND", "LIST", "FILTERBY", "pattern"],
        ["COMMAND", "LIST", "x"],
        ["COMMAND", "LIST", "FILTERBY", "MODULE", "x"],
        ["COMMAND", "COUNT", "x"],
        ["COMMAND", "x"],
        ["COMMAND", "HELP"],
      );
      const [redis, shardline] = await pair.both(["COMMAND", "LIST", "FILTERBY", "PATTERN", "c*g*"]);
      const unsupported = ["client|caching", "client|tracking"];
      const expected = (parseReply(redis) as string[]).filter((name) => !unsupported.includes(name) && !name.startsWith("cluster|"));
      expect((parseReply(shardline) as string[]).filter((name) => !name.startsWith("cluster|")).sort()).toEqual(expected.sort());
    });
  });

  describe("transactions", () => {
    it("answers MULTI, EXEC, DISCARD and their errors identically", async () => {
      await pair.same(
        ["MULTI"],
        ["MULTI"],
        ["SET", "a", "1"],
        ["INCR", "a"],
        ["GET", "a"],
        ["EXEC"],
        ["EXEC"],
        ["DISCARD"],
        ["MULTI"],
        ["DISCARD"],
        ["MULTI"],
        ["NOSUCH"],
        ["SET", "a"],
        ["SET", "a", "3"],
        ["EXEC"],
        ["GET", "a"],
        ["MULTI"],
        ["INCR", "missing"],
        ["LPUSH", "a", "x"],
        ["EXEC"],
        ["MULTI"],
        ["EXEC", "x"],
        ["EXEC"],
        ["EXEC", "x"],
        ["MULTI"],
        ["WATCH", "x"],
        ["SET", "w", "1"],
        ["EXEC"],
        ["MULTI"],
        ["BLPOP", "nolist", "0"],
        ["EXEC"],
        ["MULTI"],
        ["SELECT", "1"],
        ["SET", "db1", "1"],
        ["EXEC"],
        ["GET", "db1"],
        ["SELECT", "0"],
        ["UNWATCH", "x"],
        ["DISCARD", "x"],
        ["MULTI", "x"],
        ["WATCH"],
      );
    });

    it("fails EXEC after another client writes a watched key, identically", async () => {
      const others = await connections();
      await pair.same(["SET", "k", "1"], ["WATCH", "k"]);
      await sameOn(others, ["SET", "k", "2"]);
      await pair.same(["MULTI"], ["SET", "k", "mine"], ["EXEC"], ["GET", "k"]);
      await pair.same(["WATCH", "k"]);
      await sameOn(others, ["GET", "k"], ["DEL", "nothing"]);
      await pair.same(["MULTI"], ["SET", "k", "mine"], ["EXEC"], ["GET", "k"]);
      await pair.both(["HELLO", "3"]);
      await pair.same(["WATCH", "k"]);
      await sameOn(others, ["SET", "k", "3"]);
      await pair.same(["MULTI"], ["EXEC"]);
    });

    it("runs pub/sub inside a transaction identically", async () => {
      await pair.same(["MULTI"], ["SUBSCRIBE", "x"], ["SSUBSCRIBE", "y"], ["EXEC"], ["PING"], ["UNSUBSCRIBE"], ["PING"]);
    });
  });

  describe("pub/sub", () => {
    it("answers subscriptions, counts and errors identically in RESP2", async () => {
      await pair.same(["SUBSCRIBE"], ["PUBLISH"], ["UNSUBSCRIBE"], ["PUNSUBSCRIBE"], ["SUNSUBSCRIBE"]);
      await sameFrames(2, ["SSUBSCRIBE", "a", "b"], ["PSUBSCRIBE", "p*", "q?"], ["PUNSUBSCRIBE", "q?", "nope"]);
      await sameFrames(3, ["SUBSCRIBE", "c", "c", "d"]);
      await pair.same(["PING"], ["PING", "x"], ["GET", "x"], ["SUNSUBSCRIBE", "b"], ["SUNSUBSCRIBE"], ["UNSUBSCRIBE", "c"], ["PUNSUBSCRIBE"]);
      // Redis unsubscribes "all" in its hash order; with one channel left the reply is fixed.
      await pair.same(["UNSUBSCRIBE"], ["UNSUBSCRIBE"], ["PING"]);
    });

    it("delivers messages and answers PUBSUB identically", async () => {
      for (const protocol of ["2", "3"]) {
        const subscribers = await connections();
        // HELLO's reply carries the connection id, which differs: read it without comparing.
        await Promise.all(subscribers.map((connection) => connection.command("HELLO", protocol)));
        for (const command of [["SUBSCRIBE", "news", "sport"], ["PSUBSCRIBE", "n*", "*t"]]) {
          const replies = await Promise.all(subscribers.map(async (connection) => (await connection.command(...command)) + (await connection.readReply())));
          expect(replies[1]).toBe(replies[0]);
        }
        await sameOn(subscribers, ["SSUBSCRIBE", "shard"]);
        await pair.same(
          ["PUBLISH", "news", "hello"],
          ["PUBLISH", "sport", "goal"],
          ["PUBLISH", "none", "x"],
          ["SPUBLISH", "shard", "s"],
          ["SPUBLISH", "news", "s"],
          ["PUBSUB", "NUMSUB", "news", "sport", "none"],
          ["PUBSUB", "NUMSUB"],
          ["PUBSUB", "NUMPAT"],
          ["PUBSUB", "SHARDCHANNELS"],
          ["PUBSUB", "SHARDNUMSUB", "shard", "news"],
          ["PUBSUB", "CHANNELS", "s*"],
          ["PUBSUB"],
          ["PUBSUB", "CHANNELS", "a", "b"],
          ["PUBSUB", "NUMPAT", "x"],
          ["PUBSUB", "FOO"],
          ["PUBSUB", "HELP"],
        );
        const [redisSeen, shardlineSeen] = await Promise.all(
          subscribers.map(async (connection) => {
            const frames: string[] = [];
            for (let i = 0; i < 5; i++) frames.push(await connection.readReply());
            return frames.join("");
          }),
        );
        expect(shardlineSeen).toBe(redisSeen);
        expect(parseReplies(shardlineSeen!)).toHaveLength(5);
        const [redisChannels, shardlineChannels] = await pair.both(["PUBSUB", "CHANNELS"]);
        expect((parseReply(shardlineChannels) as string[]).sort()).toEqual((parseReply(redisChannels) as string[]).sort());
        for (const connection of subscribers) connection.close();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });

    it("delivers to the publisher itself before its PUBLISH reply in RESP3", async () => {
      await pair.both(["HELLO", "3"]);
      await pair.same(["SUBSCRIBE", "self"]);
      await sameFrames(2, ["PUBLISH", "self", "m"]);
      await pair.same(["UNSUBSCRIBE"]);
    });
  });
});
