import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { CHAOS_DIST } from "../bench/lib/cluster.mjs";
import { parseBenchArguments, PIPELINE16_REQUEST_FACTOR } from "../bench/lib/options.mjs";
import { isRunningProcess } from "../bench/lib/processes.mjs";
import { distribution, offsetLag, percentile } from "../bench/lib/replication.mjs";
import { goalLines, renderReplicationLagTable, renderReplicationThroughputTable, replicationGoalLine, replicationReportLines, summarizeSide } from "../bench/lib/report.mjs";
import { parseReply } from "../bench/lib/resp-client.mjs";
import { THROUGHPUT_TESTS } from "../bench/lib/throughput.mjs";
import { commandsDue, encodeSetRing, loadArguments, parseLoadArguments, ReplyCounter, spread } from "../bench/lib/write-load.mjs";
import { freePort, hasProgram, skipReason, startRedisServer } from "./support/processes.js";

const RUN_MJS = fileURLToPath(new URL("../bench/run.mjs", import.meta.url));
const WRITE_LOAD = fileURLToPath(new URL("../bench/lib/write-load.mjs", import.meta.url));
const TEST_NAMES = THROUGHPUT_TESTS.map((test) => test.name);

describe("bench replication: percentiles and offsets", () => {
  it("takes nearest-rank percentiles", () => {
    const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(Float64Array.of(7), 99)).toBe(7);
    expect(percentile(new Float64Array(0), 50)).toBeUndefined();
    // With fewer than 100 samples, p99 is the largest: a rank is never rounded down below the share it must cover.
    expect(percentile(Float64Array.of(1, 2, 3), 99)).toBe(3);
  });

  it("summarizes samples in any order into a count, p50, p99 and max that bound each other", () => {
    expect(distribution([3, 1, 2])).toEqual({ samples: 3, p50: 2, p99: 3, max: 3 });
    expect(distribution([])).toEqual({ samples: 0, p50: undefined, p99: undefined, max: undefined });
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), (samples) => {
        const summary = distribution(samples);
        const sorted = [...samples].sort((a, b) => a - b);
        expect(summary.samples).toBe(samples.length);
        expect(summary.max).toBe(sorted.at(-1));
        expect(summary.p50).toBeLessThanOrEqual(summary.p99!);
        expect(summary.p99).toBeLessThanOrEqual(summary.max!);
        // At least 99 % of the samples are at or below p99, and fewer than 99 % are below it.
        expect(sorted.filter((value) => value <= summary.p99!).length).toBeGreaterThanOrEqual(Math.ceil(0.99 * samples.length));
        expect(sorted.filter((value) => value < summary.p99!).length).toBeLessThan(Math.ceil(0.99 * samples.length));
      }),
    );
  });

  it("measures byte lag as the primary's offset minus each replica's, never below zero, and skips replicas whose link is down", () => {
    const replica = (offset: string, status = "up") => ({ slave_repl_offset: offset, master_link_status: status });
    expect(offsetLag({ master_repl_offset: "1000" }, [replica("900"), replica("1000")])).toEqual({ lags: [100, 0], linkDown: 0 });
    // The replica's INFO ran a moment after the primary's and saw a later offset.
    expect(offsetLag({ master_repl_offset: "1000" }, [replica("1040")])).toEqual({ lags: [0], linkDown: 0 });
    expect(offsetLag({ master_repl_offset: "1000" }, [replica("10", "down"), {}])).toEqual({ lags: [], linkDown: 2 });
    expect(offsetLag({}, [replica("10")])).toEqual({ lags: [], linkDown: 1 });
  });
});

describe("bench replication: the write load", () => {
  it("encodes a ring of SETs of redis-benchmark's key names that parse back command by command", () => {
    const ring = encodeSetRing(3, 5);
    expect(ring.count).toBe(3);
    expect(ring.offsets[3]).toBe(ring.buffer.length);
    for (let i = 0; i < 3; i++) {
      const parsed = parseReply(ring.buffer, ring.offsets[i]!);
      expect(parsed?.value).toEqual(["SET", `key:00000000000${i}`, "xxxxx"]);
      expect(parsed?.end).toBe(ring.offsets[i + 1]);
    }
  });

  it("paces a straight schedule: what is due catches up after a late tick and never goes negative", () => {
    expect(commandsDue(0, 20_000, 0)).toBe(0);
    expect(commandsDue(1, 20_000, 0)).toBe(20);
    expect(commandsDue(10, 20_000, 20)).toBe(180);
    expect(commandsDue(10, 20_000, 500)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { maxLength: 200 }), (rate, steps) => {
        let elapsedMs = 0;
        let scheduled = 0;
        for (const step of steps) {
          elapsedMs += step;
          scheduled += commandsDue(elapsedMs, rate, scheduled);
        }
        expect(scheduled).toBe(Math.floor((elapsedMs * rate) / 1000));
      }),
    );
  });

  it("spreads commands over connections evenly, losing none", () => {
    expect(spread(10, 4)).toEqual([3, 3, 2, 2]);
    expect(spread(2, 4)).toEqual([1, 1, 0, 0]);
    fc.assert(
      fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 64 }), (count, connections) => {
        const shares = spread(count, connections);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(count);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("counts one-line replies and error replies however the stream is cut into chunks", () => {
    const stream = Buffer.from("+OK\r\n+OK\r\n-OOM command not allowed when used memory > 'maxmemory'.\r\n+OK\r\n-ERR second\r\n", "latin1");
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 20 }), (cuts) => {
        const counter = new ReplyCounter();
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          counter.push(stream.subarray(from, cut));
          from = cut;
        }
        counter.push(stream.subarray(from));
        expect(counter.replies).toBe(5);
        expect(counter.errors).toBe(2);
        expect(counter.firstError).toBe("OOM command not allowed when used memory > 'maxmemory'.");
      }),
    );
  });

  it("takes its settings as a command line and refuses a missing or out-of-range one", () => {
    const settings = { port: 7000, rate: 20_000, seconds: 3.5, connections: 4, keyspace: 100_000, valueBytes: 3 };
    expect(loadArguments(settings)).toEqual(["--port", "7000", "--rate", "20000", "--seconds", "3.5", "--connections", "4", "--keyspace", "100000", "--value-bytes", "3"]);
    expect(parseLoadArguments(loadArguments(settings))).toEqual(settings);
    expect(() => parseLoadArguments(["--port", "7000"])).toThrow("missing --rate, --seconds, --connections, --keyspace, --value-bytes");
    expect(() => parseLoadArguments(loadArguments({ ...settings, connections: 0 }))).toThrow("--connections must be a number from 1 to 64, got 0");
    expect(() => parseLoadArguments(["--speed", "1"])).toThrow("unknown option '--speed'");
  });
});

describe("bench replication: options", () => {
  it("runs by default at 20,000 SET/s for 10 s per run, 3 s with --quick, and is skipped with --no-replication", () => {
    expect(parseBenchArguments([], TEST_NAMES)).toMatchObject({ replication: true, replicationRate: 20_000, replicationSeconds: 10 });
    expect(parseBenchArguments(["--quick"], TEST_NAMES)).toMatchObject({ replication: true, replicationSeconds: 3 });
    expect(parseBenchArguments(["--no-replication"], TEST_NAMES)).toMatchObject({ replication: false, cluster: true, throughput: true, memory: true });
    expect(parseBenchArguments(["--repl-rate", "5000", "--repl-seconds", "2", "--quick"], TEST_NAMES)).toMatchObject({ replicationRate: 5000, replicationSeconds: 2 });
    expect(() => parseBenchArguments(["--repl-rate", "0"], TEST_NAMES)).toThrow("--repl-rate must be between 100 and 1000000, got 0");
    expect(() => parseBenchArguments(["--repl-seconds"], TEST_NAMES)).toThrow("--repl-seconds needs a whole number, got nothing");
  });
});

function lagRow(load: "rate" | "full", server: string, p99Ms: number, extra: Record<string, unknown> = {}) {
  return {
    load,
    server,
    targetPerSec: load === "rate" ? 20_000 : 0,
    seconds: 10,
    achievedPerSec: load === "rate" ? 19_990 : 250_000,
    writes: 199_900,
    probes: 812,
    lagMs: { samples: 1624, p50: 0.25, p99: p99Ms, max: p99Ms * 3 },
    lagBytes: { samples: 1900, p50: 0, p99: 1260, max: 20_480 },
    catchUpMs: 2,
    notes: [],
    ...extra,
  };
}

function throughputRow(server: string, pipeline: number, alone: number[], withReplicas: number[], error?: string) {
  const withSide = summarizeSide(withReplicas, error);
  const aloneSide = summarizeSide(alone, undefined);
  const ratio = withSide.medianOpsPerSec === undefined ? undefined : withSide.medianOpsPerSec / aloneSide.medianOpsPerSec!;
  return { server, pipeline, requests: 1000, clients: 50, replicas: 2, withReplicas: withSide, withoutReplicas: aloneSide, ratio };
}

describe("bench replication: report", () => {
  it("prints lag in ms and bytes per load and server, or the error that replaced the figures", () => {
    const table = renderReplicationLagTable([lagRow("rate", "redis", 0.5), lagRow("rate", "shardline", 4.125), lagRow("full", "shardline", 0, { error: "the write load failed (exit 1): write-load: connect ECONNREFUSED" })]).split("\n");
    expect(table[0]).toBe("load          server     writes/s  probes  lag p50 ms  p99 ms  max ms  lag p50 bytes  p99 bytes  max bytes  catch-up ms");
    expect(table[2]).toBe("20,000 SET/s  redis        19,990     812        0.25    0.50    1.50              0      1,260     20,480            2");
    expect(table[3]).toBe("20,000 SET/s  shardline    19,990     812        0.25    4.13   12.38              0      1,260     20,480            2");
    expect(table[4]).toBe("full speed    shardline  error: the write load failed (exit 1): write-load: connect ECONNREFUSED");
  });

  it("prints each primary alone and with replicas and their ratio", () => {
    const table = renderReplicationThroughputTable([throughputRow("redis", 1, [100_000], [80_000]), throughputRow("shardline", 16, [400_000], [], "Error from server: ERR boom")]).split("\n");
    expect(table[0]).toBe("server     pipeline  alone ops/s  with 2 replicas ops/s  with/alone");
    expect(table[2]).toBe("redis      P1            100,000                 80,000       0.800");
    expect(table[3]).toBe("shardline  P16           400,000  with replicas: error: Error from server: ERR boom");
  });

  it("judges the lag goal on shardline's fixed-rate p99, at the goal's rate only", () => {
    const replication = (rows: ReturnType<typeof lagRow>[]) => ({ lag: rows });
    expect(replicationGoalLine(replication([lagRow("rate", "redis", 50), lagRow("rate", "shardline", 10)]))).toBe("replication lag p99: shardline 10.00 ms, goal p99 <= 10 ms at 20,000 SET/s: met");
    expect(replicationGoalLine(replication([lagRow("rate", "shardline", 10.004)]))).toBe("replication lag p99: shardline 10.00 ms, goal p99 <= 10 ms at 20,000 SET/s: MISSED");
    expect(replicationGoalLine(replication([lagRow("rate", "shardline", 1, { achievedPerSec: 15_000 })]))).toBe(
      "replication lag p99: shardline 1.00 ms (only 15,000 SET/s reached), goal p99 <= 10 ms at 20,000 SET/s: MISSED",
    );
    expect(replicationGoalLine(replication([lagRow("rate", "shardline", 1, { targetPerSec: 5000 })]))).toBe("replication lag: not judged (the fixed-rate run wrote 5,000 SET/s; the goal is p99 <= 10 ms at 20,000 SET/s)");
    expect(replicationGoalLine(replication([lagRow("rate", "shardline", 1, { error: "could not start: boom" })]))).toBe("replication lag: no figure (could not start: boom), goal p99 <= 10 ms at 20,000 SET/s: MISSED");
    expect(replicationGoalLine(replication([lagRow("full", "shardline", 1)]))).toBeUndefined();
    expect(replicationGoalLine(undefined)).toBeUndefined();
    expect(goalLines([], undefined, replication([lagRow("rate", "shardline", 2)]))).toEqual(["replication lag p99: shardline 2.00 ms, goal p99 <= 10 ms at 20,000 SET/s: met"]);
  });

  it("says how lag was measured and lists each row's notes under the table", () => {
    const lines = replicationReportLines(
      {
        replicas: 2,
        load: { connections: 4, keyspace: 100_000, valueBytes: 3, seconds: 10, ratePerSec: 20_000 },
        probeIntervalMs: 10,
        sampleIntervalMs: 10,
        lag: [lagRow("full", "shardline", 30, { notes: ["the primary served 1 full sync(s) during the run"] })],
        throughput: [throughputRow("redis", 1, [100], [90])],
      },
      { repeat: 3, clients: 50, requests: 100_000 },
      PIPELINE16_REQUEST_FACTOR,
    );
    expect(lines[0]).toContain("lag in ms: time from the primary's OK to a probe read on a replica showing the write (a probe every 10 ms)");
    expect(lines).toContain("  note: full speed, shardline: the primary served 1 full sync(s) during the run");
    expect(lines).toContain("replication throughput: redis-benchmark -t set, median of 3 run(s), 50 clients, 100000 requests at P1 (x10 at P16), each primary alone and with 2 replicas");
  });
});

interface LoadRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runLoad(args: string[], timeoutMs = 30_000): Promise<LoadRun> {
  const child = spawn(process.execPath, [WRITE_LOAD, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

function loadSettings(port: number, rate: number, seconds: number) {
  return loadArguments({ port, rate, seconds, connections: 3, keyspace: 1000, valueBytes: 3 });
}

describe.skipIf(skipReason(hasProgram("redis-server"), "redis-server"))("bench replication: the write load against a real redis-server", () => {
  it("writes at the asked rate over its connections and reports every reply", async () => {
    const server = await startRedisServer();
    try {
      const run = await runLoad(loadSettings(server.port, 2000, 1));
      expect(run.code, run.stderr).toBe(0);
      const [ready, totalsLine] = run.stdout.trim().split("\n");
      expect(ready).toBe("ready");
      const totals = JSON.parse(totalsLine!);
      expect(totals).toMatchObject({ ratePerSec: 2000, sent: 2000, replies: 2000, errors: 0, skipped: 0 });
      expect(totals.achievedPerSec).toBeGreaterThan(1800);
      expect(totals.achievedPerSec).toBeLessThanOrEqual(2000 * 1.05);
      const connection = await (await import("../bench/lib/resp-client.mjs")).RespClient.connect(server.port);
      try {
        expect(await connection.command("DBSIZE")).toBe(1000);
        expect(await connection.command("GET", "key:000000000999")).toBe("xxx");
      } finally {
        connection.close();
      }
    } finally {
      await server.stop();
    }
  });

  it("at full speed writes far more than a paced run and still drains every reply", async () => {
    const server = await startRedisServer();
    try {
      const run = await runLoad(loadSettings(server.port, 0, 1));
      expect(run.code, run.stderr).toBe(0);
      const totals = JSON.parse(run.stdout.trim().split("\n")[1]!);
      expect(totals.replies).toBe(totals.sent);
      expect(totals.achievedPerSec).toBeGreaterThan(20_000);
    } finally {
      await server.stop();
    }
  });

  it("counts error replies instead of failing, and fails with a message when it cannot connect", async () => {
    const port = await freePort();
    const server = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.on("data", (chunk) => {
        const commands = chunk.toString("latin1").split("*3\r\n").length - 1;
        socket.write("-READONLY You can't write against a read only replica.\r\n".repeat(commands));
      });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      const run = await runLoad(loadSettings(port, 500, 0.5));
      expect(run.code, run.stderr).toBe(0);
      const totals = JSON.parse(run.stdout.trim().split("\n")[1]!);
      expect(totals.errors).toBe(totals.replies);
      expect(totals.errors).toBeGreaterThan(0);
      expect(totals.firstError).toBe("READONLY You can't write against a read only replica.");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const refused = await runLoad(loadSettings(await freePort(), 500, 0.5));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^write-load: connect ECONNREFUSED/);
    expect(refused.stdout).toBe("");
  });
});

const scratch = mkdtempSync(path.join(os.tmpdir(), "shardline-bench-replication-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface BenchProcess {
  pid: number;
  exit: Promise<number | null>;
  stderr(): string;
  stdout(): string;
  kill(signal: NodeJS.Signals): void;
}

function startBench(args: string[]): BenchProcess {
  const child = spawn(process.execPath, [RUN_MJS, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { pid: child.pid!, exit, stdout: () => stdout, stderr: () => stderr, kill: (signal) => child.kill(signal) };
}

/** The pids of each system as the bench printed them ("started shardline primary + 2 replicas: ports 1,2,3, pids 4,5,6 in 3.0 s"). */
function printedSystemPids(stderr: string): Record<string, number[]> {
  const pids: Record<string, number[]> = {};
  for (const match of stderr.matchAll(/started ((?:redis|shardline) primary [^:]+): ports [\d,]+, pids ([\d,]+) in/g)) pids[match[1]!] = match[2]!.split(",").map(Number);
  return pids;
}

/** Children of `pid` running the write load (Linux /proc). */
function loadChildren(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid && readFileSync(`/proc/${entry}/cmdline`, "latin1").includes("write-load.mjs")) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

async function waitFor(what: string, check: () => boolean, bench: BenchProcess, timeoutMs = 90_000): Promise<void> {
  const deadlineMs = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadlineMs) throw new Error(`timed out waiting for ${what}:\n${bench.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface ReplicationJson {
  lag: { load: string; server: string; targetPerSec: number; achievedPerSec?: number; probes?: number; lagMs?: { samples: number; p50: number; p99: number; max: number }; lagBytes?: { samples: number; p99: number }; error?: string }[];
  throughput: { server: string; pipeline: number; withReplicas: { medianOpsPerSec?: number; error?: string }; withoutReplicas: { medianOpsPerSec?: number; error?: string }; ratio?: number }[];
  systems: Record<string, { nodes: { pid: number; port: number }[]; replicaPorts: number[] }>;
  leftoverPids: number[];
}

const replicationToolsAvailable = hasProgram("redis-benchmark") && hasProgram("redis-server") && existsSync(CHAOS_DIST);
const ONLY_REPLICATION = ["--no-throughput", "--no-cluster", "--no-memory", "--no-failover"];

describe.skipIf(skipReason(replicationToolsAvailable, "redis-benchmark/redis-server or the built packages/chaos"))("npm run bench: the replication phase", () => {
  it("measures lag and throughput with and without replicas for redis and shardline, then leaves no process behind", async () => {
    const out = path.join(scratch, "replication.json");
    const bench = startBench([...ONLY_REPLICATION, "--repl-rate", "2000", "--repl-seconds", "1", "--repeat", "1", "--requests", "2000", "--out", out]);
    const code = await bench.exit;
    expect(code, bench.stderr()).toBe(0);
    const replication: ReplicationJson = JSON.parse(readFileSync(out, "utf8")).replication;
    expect(replication.lag.map((row) => `${row.load} ${row.server}`)).toEqual(["rate redis", "rate shardline", "full redis", "full shardline"]);
    for (const row of replication.lag) {
      expect(row.error, JSON.stringify(row)).toBeUndefined();
      // Each probe is read on both replicas.
      expect(row.lagMs!.samples).toBe(row.probes! * 2);
      expect(row.probes).toBeGreaterThan(0);
      expect(row.lagMs!.p50).toBeLessThanOrEqual(row.lagMs!.p99);
      expect(row.lagMs!.p99).toBeLessThanOrEqual(row.lagMs!.max);
      expect(row.lagBytes!.samples).toBeGreaterThan(0);
    }
    for (const row of replication.lag.filter((candidate) => candidate.load === "rate")) expect(row.achievedPerSec).toBeGreaterThan(1500);
    expect(replication.throughput.map((row) => `${row.server} P${row.pipeline}`)).toEqual(["redis P1", "redis P16", "shardline P1", "shardline P16"]);
    for (const row of replication.throughput) {
      expect(row.withReplicas.medianOpsPerSec, JSON.stringify(row)).toBeGreaterThan(0);
      expect(row.withoutReplicas.medianOpsPerSec, JSON.stringify(row)).toBeGreaterThan(0);
      expect(row.ratio).toBeCloseTo(row.withReplicas.medianOpsPerSec! / row.withoutReplicas.medianOpsPerSec!, 10);
    }
    expect(replication.systems.shardlineReplicated!.replicaPorts).toHaveLength(2);
    expect(replication.systems.shardlineAlone!.replicaPorts).toEqual([]);
    expect(bench.stdout()).toMatch(/^2,000 SET\/s\s+shardline\s+[\d,]+\s+[\d,]+\s+\d+\.\d\d/m);
    expect(bench.stdout()).toContain("replication lag: not judged (the fixed-rate run wrote 2,000 SET/s; the goal is p99 <= 10 ms at 20,000 SET/s)");
    const pids = Object.values(printedSystemPids(bench.stderr())).flat();
    expect(pids).toHaveLength(8);
    expect(replication.leftoverPids).toEqual([]);
    expect(pids.filter(isRunningProcess)).toEqual([]);
  }, 240_000);

  it("names a shardline replica that died in its rows and still measures redis", async () => {
    const out = path.join(scratch, "dead-replica.json");
    const bench = startBench([...ONLY_REPLICATION, "--repl-rate", "2000", "--repl-seconds", "3", "--repeat", "1", "--requests", "2000", "--out", out]);
    await waitFor("the shardline shard", () => printedSystemPids(bench.stderr())["shardline primary + 2 replicas"] !== undefined, bench);
    // bench-repl-0001-002: the first replica (ports: primary, then its replicas).
    const victim = printedSystemPids(bench.stderr())["shardline primary + 2 replicas"]![1]!;
    process.kill(victim, "SIGKILL");
    expect(await bench.exit, bench.stderr()).toBe(0);
    const replication: ReplicationJson = JSON.parse(readFileSync(out, "utf8")).replication;
    for (const row of replication.lag.filter((candidate) => candidate.server === "redis")) expect(row.error, JSON.stringify(row)).toBeUndefined();
    for (const row of replication.lag.filter((candidate) => candidate.server === "shardline")) {
      expect(row.error).toMatch(new RegExp(`^bench-repl-0001-002 \\(port \\d+, pid ${victim}\\) exited; last output: `));
    }
    const shardlineRows = replication.throughput.filter((row) => row.server === "shardline");
    for (const row of shardlineRows) {
      expect(row.withReplicas.error).toMatch(/^bench-repl-0001-002 /);
      expect(row.withoutReplicas.medianOpsPerSec).toBeGreaterThan(0);
    }
    expect(bench.stdout()).toMatch(/^full speed\s+shardline\s+error: bench-repl-0001-002 /m);
    expect(Object.values(printedSystemPids(bench.stderr())).flat().filter(isRunningProcess)).toEqual([]);
  }, 240_000);

  it("stops every server, the detached shardline nodes and the write load when interrupted with Ctrl-C", async () => {
    const bench = startBench([...ONLY_REPLICATION, "--repl-seconds", "60", "--out", path.join(scratch, "never.json")]);
    await waitFor("the write load", () => loadChildren(bench.pid).length > 0, bench);
    const pids = Object.values(printedSystemPids(bench.stderr())).flat();
    expect(pids).toHaveLength(8);
    const load = loadChildren(bench.pid);
    expect([...pids, ...load].filter(isRunningProcess)).toEqual([...pids, ...load]);
    bench.kill("SIGINT");
    expect(await bench.exit).toBe(130);
    expect(bench.stderr()).toContain("SIGINT received, stopping");
    expect([...pids, ...load].filter(isRunningProcess)).toEqual([]);
    expect(existsSync(path.join(scratch, "never.json"))).toBe(false);
  }, 180_000);
});
