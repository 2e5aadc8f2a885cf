import { spawn } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hasProgram, redisCliAvailable, skipReason, type Spawned } from "./support/processes.js";
import { clientTargets } from "./support/targets.js";

/**
 * redis-cli and redis-benchmark (the redis-tools programs) against a
 * running node: one-shot commands, --pipe mass insertion, -r repeats,
 * --scan, --bigkeys, INFO, stdin arguments, AUTH and RESP3. The bodies also
 * run against a real redis-server when one is installed. Needs `npx tsc -b`.
 */

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (killed after timeoutMs), feeding `input` on stdin. */
function run(program: string, args: string[], input = "", timeoutMs = 20_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => (stdout += data));
    child.stderr.on("data", (data) => (stderr += data));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

const PASSWORD = "cli-s3cret";

describe.skipIf(skipReason(redisCliAvailable, "redis-cli"))("redis-cli", () => {
  describe.each(clientTargets())("$name", (target) => {
    let server: Spawned;
    const cli = (args: string[], input?: string) => run("redis-cli", ["-p", String(server.port), ...args], input);

    beforeAll(async () => {
      server = await target.start();
    });
    afterAll(async () => {
      await server?.stop();
    });
    beforeEach(async () => {
      expect((await cli(["FLUSHALL"])).stdout).toBe("OK\n");
    });

    it("runs one-shot commands and prints replies the way it does for Redis", async () => {
      expect(await cli(["PING"])).toEqual({ code: 0, stdout: "PONG\n", stderr: "" });
      expect((await cli(["SET", "greeting", "hello world"])).stdout).toBe("OK\n");
      expect((await cli(["GET", "greeting"])).stdout).toBe("hello world\n");
      expect((await cli(["GET", "missing"])).stdout).toBe("\n");
      expect((await cli(["RPUSH", "list", "a", "b"])).stdout).toBe("2\n");
      expect((await cli(["LRANGE", "list", "0", "-1"])).stdout).toBe("a\nb\n");
      expect((await cli(["--csv", "LRANGE", "list", "0", "-1"])).stdout).toBe('"a","b"\n');
      expect((await cli(["--no-raw", "LRANGE", "list", "0", "-1"])).stdout).toBe('1) "a"\n2) "b"\n');
      expect((await cli(["--no-raw", "INCR", "greeting"])).stdout).toBe("(error) ERR value is not an integer or out of range\n");
      expect((await cli(["NOSUCH", "x"])).stdout).toBe("ERR unknown command 'NOSUCH', with args beginning with: 'x' \n\n");
    });

    it("--pipe inserts ten thousand commands, mixed RESP and inline, with no errors", async () => {
      let input = "";
      for (let i = 0; i < 10_000; i++) {
        input += i % 2 === 0 ? `*3\r\n$3\r\nSET\r\n$${`key:${i}`.length}\r\nkey:${i}\r\n$${String(i).length}\r\n${i}\r\n` : `SET key:${i} ${i}\r\n`;
      }
      const piped = await cli(["--pipe"], input);
      expect(piped.code).toBe(0);
      expect(piped.stdout).toBe("All data transferred. Waiting for the last reply...\nLast reply received from server.\nerrors: 0, replies: 10000\n");
      expect((await cli(["DBSIZE"])).stdout).toBe("10000\n");
      expect((await cli(["GET", "key:9999"])).stdout).toBe("9999\n");
    });

    it("--pipe counts the errors it gets back", async () => {
      const piped = await cli(["--pipe"], "SET a 1\r\nINCR a\r\nLPUSH a x\r\nNOSUCH\r\n");
      expect(piped.stdout).toContain("errors: 2, replies: 4");
    });

    it("-r repeats a command, -x takes the last argument from stdin, -n selects a database", async () => {
      expect((await cli(["-r", "5", "INCR", "counter"])).stdout).toBe("1\n2\n3\n4\n5\n");
      expect((await cli(["-x", "SET", "blob"], "line one\nline two")).stdout).toBe("OK\n");
      expect((await cli(["STRLEN", "blob"])).stdout).toBe("17\n");
      expect((await cli(["-n", "4", "SET", "where", "four"])).stdout).toBe("OK\n");
      expect((await cli(["-n", "4", "GET", "where"])).stdout).toBe("four\n");
      expect((await cli(["GET", "where"])).stdout).toBe("\n");
      expect((await cli(["-n", "4", "DBSIZE"])).stdout).toBe("1\n");
    });

    it("--scan lists every matching key once", async () => {
      let input = "";
      for (let i = 0; i < 300; i++) input += `SET user:${i} x\r\nSET order:${i} y\r\n`;
      await cli(["--pipe"], input);
      const scanned = await cli(["--scan", "--pattern", "user:*"]);
      expect(scanned.code).toBe(0);
      const keys = scanned.stdout.trim().split("\n");
      expect(new Set(keys).size).toBe(300);
      expect(keys.every((key) => key.startsWith("user:"))).toBe(true);
    });

    it("--bigkeys finds the biggest key of every type", async () => {
      await cli(["MSET", "a", "1", "bb", "22", "ccc", "333"]);
      await cli(["RPUSH", "l", "a", "b", "c"]);
      await cli(["HSET", "h", "f", "v", "g", "w"]);
      await cli(["SADD", "s", "x"]);
      await cli(["ZADD", "z", "1", "m", "2", "n"]);
      const big = await cli(["--bigkeys"]);
      expect(big.code).toBe(0);
      const summary = big.stdout.slice(big.stdout.indexOf("-------- summary -------"));
      expect(summary).toBe(
        [
          "-------- summary -------",
          "",
          "Sampled 7 keys in the keyspace!",
          "Total key length in bytes is 10 (avg len 1.43)",
          "",
          "Biggest   list found '\"l\"' has 3 items",
          "Biggest   hash found '\"h\"' has 2 fields",
          "Biggest string found '\"ccc\"' has 3 bytes",
          "Biggest    set found '\"s\"' has 1 members",
          "Biggest   zset found '\"z\"' has 2 members",
          "",
          "1 lists with 3 items (14.29% of keys, avg size 3.00)",
          "1 hashs with 2 fields (14.29% of keys, avg size 2.00)",
          "3 strings with 6 bytes (42.86% of keys, avg size 2.00)",
          "0 streams with 0 entries (00.00% of keys, avg size 0.00)",
          "1 sets with 1 members (14.29% of keys, avg size 1.00)",
          "1 zsets with 2 members (14.29% of keys, avg size 2.00)",
          "",
        ].join("\n"),
      );
    });

    it("INFO: sections redis-cli and monitoring tools parse", async () => {
      await cli(["SET", "k", "v"]);
      await cli(["SET", "t", "v", "EX", "100"]);
      const info = (await cli(["INFO"])).stdout;
      expect(info).toMatch(/^# Server\r\nredis_version:7\.0\.\d+\r\n/);
      expect(info).toContain(`\r\ntcp_port:${server.port}\r\n`);
      expect(info).toMatch(/\r\n# Clients\r\nconnected_clients:\d+\r\n/);
      expect(info).toMatch(/\r\n# Memory\r\nused_memory:\d+\r\n/);
      expect(info).toMatch(/\r\n# Stats\r\ntotal_connections_received:\d+\r\n/);
      expect(info).toMatch(/\r\n# Replication\r\nrole:master\r\n/);
      expect(info).toMatch(/\r\n# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=\d+\r\n/);
      const server_ = (await cli(["INFO", "server"])).stdout;
      expect(server_).not.toContain("# Clients");
    });

    it("-3 speaks RESP3: HELLO reports protocol 3 and maps print as pairs", async () => {
      const hello = await cli(["-3", "HELLO"]);
      expect(hello.stdout).toMatch(/^server redis\nversion 7\.0\.\d+\nproto 3\nid \d+\nmode standalone\nrole master\nmodules \n$/);
      await cli(["HSET", "h", "f", "v"]);
      expect((await cli(["-3", "HGETALL", "h"])).stdout).toBe("f v\n");
    });

    it("-a authenticates against requirepass; without it the command gets NOAUTH", async () => {
      const secured = await target.start(["--requirepass", PASSWORD]);
      try {
        const port = String(secured.port);
        expect((await run("redis-cli", ["-p", port, "-a", PASSWORD, "--no-auth-warning", "PING"])).stdout).toBe("PONG\n");
        expect((await run("redis-cli", ["-p", port, "PING"])).stdout).toBe("NOAUTH Authentication required.\n\n");
        const wrong = await run("redis-cli", ["-p", port, "-a", "nope", "--no-auth-warning", "PING"]);
        expect(wrong.stdout + wrong.stderr).toContain("WRONGPASS invalid username-password pair or user is disabled.");
      } finally {
        await secured.stop();
      }
    });
  });
});

describe.skipIf(skipReason(hasProgram("redis-benchmark"), "redis-benchmark"))("redis-benchmark", () => {
  describe.each(clientTargets())("$name", (target) => {
    let server: Spawned;
    beforeAll(async () => {
      server = await target.start();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("completes its standard tests, pipelined, and leaves their keys behind", async () => {
      const tests = ["set", "get", "incr", "lpush", "rpush", "lpop", "rpop", "sadd", "hset", "spop", "zadd", "zpopmin", "lrange_100", "mset"];
      const bench = await run("redis-benchmark", ["-p", String(server.port), "-q", "-n", "2000", "-c", "10", "-P", "8", "-t", tests.join(",")], "", 60_000);
      expect(bench.code, bench.stderr).toBe(0);
      for (const name of ["SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "SADD", "HSET", "SPOP", "ZADD", "ZPOPMIN", "LRANGE_100 \\(first 100 elements\\)", "MSET \\(10 keys\\)"]) {
        expect(bench.stdout).toMatch(new RegExp(`(^|\\s)${name}: [\\d.]+ requests per second`));
      }
      expect(bench.stdout).not.toMatch(/ERR|error/i);
      const keys = await run("redis-cli", ["-p", String(server.port), "--scan"]);
      // SPOP and ZPOPMIN emptied (and so deleted) what SADD and ZADD created.
      expect(keys.stdout.split("\n").filter(Boolean).sort()).toEqual(["counter:__rand_int__", "key:__rand_int__", "myhash", "mylist"]);
    });
  });
});
