import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkShape, CHAOS_DIST, clusterRequestsFor, parseClusterNodes, REDIS_BUS_PORT_OFFSET, SHARDLINE_BUS_PORT_OFFSET } from "../bench/lib/cluster.mjs";
import { parseBenchArguments, PIPELINE16_REQUEST_FACTOR } from "../bench/lib/options.mjs";
import { EPHEMERAL_PORT_FIRST, freePortRange, isRunningProcess, PORT_RANGE_FIRST, portRangeBase } from "../bench/lib/processes.mjs";
import { clusterReportLines, renderClusterTable, sideRatio, summarizeSide } from "../bench/lib/report.mjs";
import { BENCHMARK_NOTICES_MAX, benchmarkFailure, benchmarkNotices, runBenchmarkRows, THROUGHPUT_TESTS } from "../bench/lib/throughput.mjs";
import { freePort, hasProgram, skipReason } from "./support/processes.js";

const RUN_MJS = fileURLToPath(new URL("../bench/run.mjs", import.meta.url));
const TEST_NAMES = THROUGHPUT_TESTS.map((test) => test.name);
const SHAPE = { shards: 3, replicasPerShard: 2, nodes: 9 };

// A Redis 7.0.15 cluster's CLUSTER NODES, formed by redis-cli --cluster create --cluster-replicas 2.
const NODES_7_0 = [
  "3cc16a3721bc531a5942150e19821c5c112c4a35 127.0.0.1:18100@28100 myself,master - 0 1795460700000 1 connected 0-5460",
  "bdbd3cbd67d5f0e007d2ae39e2c441a95e1215f1 127.0.0.1:18104@28104 slave 97912085497e964c686ad82a25e50dd4626f5341 0 1795460700000 3 connected",
  "97912085497e964c686ad82a25e50dd4626f5341 127.0.0.1:18102@28102 master - 0 1795460700000 3 connected 10923-16383",
  "640d4988d8bee6c7f9ac3216e1f9d41627289496 127.0.0.1:18106@28106 slave c5da37d766165a4cbb4957a6fa480bf680f35e14 0 1795460700000 2 connected",
  "c5da37d766165a4cbb4957a6fa480bf680f35e14 127.0.0.1:18101@28101 master - 0 1795460700000 2 connected 5461-10922",
  "cdb75d323d266c1497296c63fb5a051de8bf5b12 127.0.0.1:18103@28103 slave 3cc16a3721bc531a5942150e19821c5c112c4a35 0 1795460700000 1 connected",
  "6cd0151d0dccacffd615a29cc9f8f5e3a97ac4f0 127.0.0.1:18107@28107 slave 97912085497e964c686ad82a25e50dd4626f5341 0 1795460700000 3 connected",
  "d32f54af079d23d3a1739d68f02217f496ce1af3 127.0.0.1:18108@28108 slave c5da37d766165a4cbb4957a6fa480bf680f35e14 0 1795460700000 2 connected",
  "c4ceabb9aaf13ccbad6e4fa215fb58ab842ab121 127.0.0.1:18105@28105 slave 3cc16a3721bc531a5942150e19821c5c112c4a35 0 1795460700000 1 connected",
  "",
].join("\n");

function side(samples: number[], error?: string) {
  return summarizeSide(samples, error);
}

function clusterRow(test: string, pipeline: number, redis: ReturnType<typeof side>, shardline: ReturnType<typeof side>) {
  return { test, pipeline, requests: 1000, clients: 50, redis, shardline, ratio: sideRatio(redis, shardline) };
}

describe("bench cluster: CLUSTER NODES and the cluster's shape", () => {
  it("reads ports, bus ports, roles and slots of every line", () => {
    const lines = parseClusterNodes(NODES_7_0);
    expect(lines).toHaveLength(9);
    expect(lines[0]).toEqual({ id: "3cc16a3721bc531a5942150e19821c5c112c4a35", port: 18100, busPort: 28100, flags: ["myself", "master"], primaryId: undefined, slots: ["0-5460"] });
    expect(lines[1]).toMatchObject({ port: 18104, flags: ["slave"], primaryId: "97912085497e964c686ad82a25e50dd4626f5341", slots: [] });
    expect(parseClusterNodes("abc 10.0.0.1:7000@17000,cache-1.local master - 0 0 1 connected 0-16383\n")[0]).toMatchObject({ port: 7000, busPort: 17000 });
  });

  it("accepts three primaries with two replicas each and lists them in port order", () => {
    expect(checkShape(parseClusterNodes(NODES_7_0), SHAPE)).toEqual({ primaryPorts: [18100, 18101, 18102], replicaPorts: [18103, 18104, 18105, 18106, 18107, 18108] });
  });

  it("names what is wrong with a cluster of another shape or health", () => {
    const lines = NODES_7_0.trim().split("\n");
    const check = (text: string) => checkShape(parseClusterNodes(text), SHAPE);
    expect(check(lines.slice(0, 8).join("\n"))).toEqual({ problem: "it knows 8 nodes, not 9" });
    expect(check(NODES_7_0.replace("18104@28104 slave", "18104@28104 slave,fail"))).toEqual({ problem: "node 18104 has flags slave,fail" });
    expect(check(NODES_7_0.replace("18106@28106 slave c5da37d766165a4cbb4957a6fa480bf680f35e14", "18106@28106 slave 3cc16a3721bc531a5942150e19821c5c112c4a35"))).toEqual({
      problem: "primary 18100 has 3 replicas, not 2",
    });
    expect(check(NODES_7_0.replace(" connected 10923-16383", " connected"))).toEqual({ problem: "2 primaries serve slots, not 3" });
  });
});

describe("bench cluster: redis-benchmark --cluster output", () => {
  it("joins a cluster node's error line with the error it replied", () => {
    // redis-benchmark 7.0.15 --cluster against a node with cluster mode off.
    const stderr = "Cluster node 127.0.0.1:18299 replied with error:\nERR This instance has cluster support disabled\nFailed to fetch cluster configuration from 127.0.0.1:18299\n";
    expect(benchmarkFailure(stderr)).toBe("Cluster node 127.0.0.1:18299 replied with error: ERR This instance has cluster support disabled");
    expect(benchmarkFailure("Error from server 127.0.0.1:7001: ERR unknown command 'SET'\n")).toBe("Error from server 127.0.0.1:7001: ERR unknown command 'SET'");
  });

  it("finds an error line on stdout when stderr has none, but never takes the CSV for one", () => {
    expect(benchmarkFailure("", 'Cluster has 3 master nodes:\n"test","rps"\nInvalid cluster: 0 node(s).\n')).toBe("Invalid cluster: 0 node(s).");
    expect(benchmarkFailure("", '"SET","1000.00","0.1","0.1","0.1","0.1","0.1","0.1"\n')).toBe("redis-benchmark failed without a message");
  });

  it("collects redis-benchmark's warnings about slot map changes, counted and bounded", () => {
    const refresh = "WARNING: Cluster slots configuration changed, fetching new one...";
    const output = [refresh, "Cluster has 3 master nodes:", refresh, "Error from server 127.0.0.1:7000: CLUSTERDOWN The cluster is down", '"SET","1.0"'].join("\n");
    expect(benchmarkNotices(output)).toEqual([`${refresh} (x2)`, "Error from server 127.0.0.1:7000: CLUSTERDOWN The cluster is down"]);
    const many = Array.from({ length: 20 }, (_, i) => `Error from server 127.0.0.1:${7000 + i}: CLUSTERDOWN Hash slot not served`).join("\n");
    expect(benchmarkNotices(many)).toHaveLength(BENCHMARK_NOTICES_MAX);
  });

  it("makes as many requests per test as a standalone run", () => {
    expect(clusterRequestsFor(20_000, 1)).toBe(20_000);
    expect(clusterRequestsFor(20_000, 16)).toBe(20_000 * PIPELINE16_REQUEST_FACTOR);
  });
});

describe("bench cluster: options and report", () => {
  it("runs the cluster phase by default and in --quick, and skips it with --no-cluster", () => {
    expect(parseBenchArguments([], TEST_NAMES).cluster).toBe(true);
    expect(parseBenchArguments(["--quick"], TEST_NAMES)).toMatchObject({ cluster: true, requests: 20_000, repeat: 1 });
    expect(parseBenchArguments(["--no-cluster"], TEST_NAMES)).toMatchObject({ cluster: false, throughput: true, memory: true });
    expect(parseBenchArguments([], TEST_NAMES).clusterThreads).toBe(1);
    expect(parseBenchArguments(["--cluster-threads", "3"], TEST_NAMES).clusterThreads).toBe(3);
    expect(() => parseBenchArguments(["--cluster-threads", "0"], TEST_NAMES)).toThrow("--cluster-threads must be between 1 and 64, got 0");
  });

  it("prints both clusters' figures and their ratio, or the error that replaced a figure", () => {
    const table = renderClusterTable([
      clusterRow("SET", 1, side([1000]), side([500])),
      clusterRow("SET", 16, side([9000]), side([], "Error from server 127.0.0.1:7001: ERR boom (redis-benchmark exit 1)")),
      clusterRow("GET", 1, side([], "could not start: redis-cli --cluster create failed"), side([700])),
      clusterRow("GET", 16, side([], "down"), side([], "also down")),
    ]).split("\n");
    expect(table[0]).toBe("test  pipeline  redis cluster ops/s  shardline cluster ops/s  shardline/redis");
    expect(table[2]).toBe("SET   P1                      1,000                      500            0.500");
    expect(table[3]).toBe("SET   P16                     9,000  shardline cluster error: Error from server 127.0.0.1:7001: ERR boom (redis-benchmark exit 1)");
    expect(table[4]).toBe("GET   P1        redis cluster error: could not start: redis-cli --cluster create failed (shardline cluster 700 ops/s)");
    expect(table[5]).toBe("GET   P16       redis cluster error: down; shardline cluster error: also down");
  });

  it("says which cluster's replicas do not replicate and what redis-benchmark warned about", () => {
    const facts = (name: string, entryPort: number, replicating: boolean, replicationNote?: string) => ({ name, entryPort, primaryPorts: [entryPort, entryPort + 1, entryPort + 2], readySeconds: 2.5, replicating, replicationNote });
    const lines = clusterReportLines(
      {
        shape: SHAPE,
        nodeTimeoutMs: 1000,
        rows: [clusterRow("SET", 1, side([1000]), side([800]))],
        redis: facts("redis cluster", 20000, true),
        shardline: facts("shardline cluster", 25000, false, "its 6 replicas do not replicate"),
        notices: ["shardline cluster P1: WARNING: Cluster slots configuration changed, fetching new one..."],
      },
      { repeat: 3, clients: 50, requests: 100_000, clusterThreads: 1 },
      PIPELINE16_REQUEST_FACTOR,
    );
    expect(lines[0]).toBe(
      "cluster: 3 shards x (1 primary + 2 replicas) = 9 nodes each, node timeout 1000 ms; redis-benchmark --cluster --threads 1 -t set,get, median of 3 run(s), 50 clients, 100000 requests per test at P1 (x10 at P16)",
    );
    expect(lines).toContain("redis cluster: entry port 20000, primaries on 20000,20001,20002, ready in 2.5 s, replicas in sync");
    expect(lines).toContain("shardline cluster: entry port 25000, primaries on 25000,25001,25002, ready in 2.5 s");
    expect(lines).toContain("  note: its 6 replicas do not replicate");
    expect(lines.at(-1)).toBe("redis-benchmark: shardline cluster P1: WARNING: Cluster slots configuration changed, fetching new one...");
  });
});

describe("bench cluster: port ranges", () => {
  it("keeps client and bus ports of either layout below the ephemeral range, at both ends of the draw", () => {
    for (const offset of [REDIS_BUS_PORT_OFFSET, SHARDLINE_BUS_PORT_OFFSET]) {
      expect(portRangeBase(0, 9, offset)).toBe(PORT_RANGE_FIRST);
      const highest = portRangeBase(0.9999999999, 9, offset);
      expect(highest + offset + 8).toBe(EPHEMERAL_PORT_FIRST - 1);
    }
  });

  it("finds a free range that skips the ports of the other cluster", async () => {
    // The first draw lands on a range that holds an avoided bus port; later draws are random.
    const draws = [0];
    const avoid = new Set([PORT_RANGE_FIRST + SHARDLINE_BUS_PORT_OFFSET + 4]);
    const base = await freePortRange(9, SHARDLINE_BUS_PORT_OFFSET, avoid, () => draws.shift() ?? Math.random());
    expect(draws).toEqual([]);
    expect(base).toBeGreaterThanOrEqual(PORT_RANGE_FIRST);
    expect(base + SHARDLINE_BUS_PORT_OFFSET + 8).toBeLessThan(EPHEMERAL_PORT_FIRST);
    for (let i = 0; i < 9; i++) {
      expect(avoid.has(base + i)).toBe(false);
      expect(avoid.has(base + SHARDLINE_BUS_PORT_OFFSET + i)).toBe(false);
    }
  });

  it("refuses a layout that cannot fit below the ephemeral range, or bus ports that overlap client ports", async () => {
    await expect(freePortRange(9, 20_000)).rejects.toThrow("no room for 9 ports plus bus ports at +20000");
    expect(() => portRangeBase(0, 9, 5)).toThrow("no room for 9 ports plus bus ports at +5");
  });
});

const scratch = mkdtempSync(path.join(os.tmpdir(), "shardline-bench-cluster-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const clusterToolsAvailable = hasProgram("redis-benchmark") && hasProgram("redis-server") && hasProgram("redis-cli") && existsSync(CHAOS_DIST);

interface BenchProcess {
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
  return { exit, stdout: () => stdout, stderr: () => stderr, kill: (signal) => child.kill(signal) };
}

/** The pids of each cluster as the bench printed them ("started redis cluster: ... pids 1,2,3 in 5.0 s"). */
function printedClusterPids(stderr: string): Record<string, number[]> {
  const pids: Record<string, number[]> = {};
  for (const match of stderr.matchAll(/started (redis|shardline) cluster: .* pids ([\d,]+) in/g)) pids[match[1]!] = match[2]!.split(",").map(Number);
  return pids;
}

async function waitFor(what: string, check: () => boolean, bench: BenchProcess, timeoutMs = 90_000): Promise<void> {
  const deadlineMs = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadlineMs) throw new Error(`timed out waiting for ${what}:\n${bench.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface ClusterJson {
  shape: typeof SHAPE;
  redis: { nodes: { port: number; busPort: number; pid: number }[]; replicating: boolean };
  shardline: { nodes: { port: number; busPort: number; pid: number; availabilityZone: string }[] };
  rows: { test: string; pipeline: number; redis: { medianOpsPerSec?: number; error?: string }; shardline: { medianOpsPerSec?: number; error?: string }; ratio?: number }[];
  leftoverPids: number[];
}

describe.skipIf(skipReason(clusterToolsAvailable, "redis-benchmark/redis-server/redis-cli or the built packages/chaos"))("npm run bench: the cluster phase", () => {
  it("reports a node that refuses CLUSTER NODES as the run's error", async () => {
    const port = await freePort();
    const server = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.on("data", () => socket.write("-ERR This instance has cluster support disabled\r\n"));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      const result = await runBenchmarkRows({ port, select: "set,get", testCount: 2, pipeline: 1, requests: 100, clients: 2, cluster: true });
      expect(result.rows).toEqual({});
      expect(result.error).toBe(`Cluster node 127.0.0.1:${port} replied with error: ERR This instance has cluster support disabled (redis-benchmark exit 1)`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("measures a Redis Cluster and a shardline cluster of nine nodes each, then leaves no process behind", async () => {
    const out = path.join(scratch, "cluster.json");
    const bench = startBench(["--no-throughput", "--no-memory", "--no-replication", "--no-failover", "--repeat", "1", "--requests", "2000", "--out", out]);
    const code = await bench.exit;
    expect(code, bench.stderr()).toBe(0);
    const cluster: ClusterJson = JSON.parse(readFileSync(out, "utf8")).cluster;
    expect(cluster.shape).toEqual(SHAPE);
    expect(cluster.rows.map((row) => `${row.test} P${row.pipeline}`)).toEqual(["SET P1", "SET P16", "GET P1", "GET P16"]);
    for (const row of cluster.rows) {
      expect(row.redis.medianOpsPerSec, JSON.stringify(row)).toBeGreaterThan(0);
      expect(row.shardline.medianOpsPerSec, JSON.stringify(row)).toBeGreaterThan(0);
      expect(row.ratio).toBeCloseTo(row.shardline.medianOpsPerSec! / row.redis.medianOpsPerSec!, 10);
    }
    expect(cluster.redis.replicating).toBe(true);
    expect(new Set(cluster.shardline.nodes.map((node) => node.availabilityZone))).toEqual(new Set(["az-a", "az-b", "az-c"]));
    const ports = [...cluster.redis.nodes, ...cluster.shardline.nodes].flatMap((node) => [node.port, node.busPort]);
    expect(new Set(ports).size).toBe(36);
    for (const port of ports) expect(port).toBeLessThan(EPHEMERAL_PORT_FIRST);
    expect(bench.stdout()).toMatch(/SET\s+P16\s+[\d,]+\s+[\d,]+\s+\d+\.\d{3}/);
    const pids = printedClusterPids(bench.stderr());
    expect(pids.redis).toEqual(cluster.redis.nodes.map((node) => node.pid));
    expect(pids.shardline).toEqual(cluster.shardline.nodes.map((node) => node.pid));
    expect(cluster.leftoverPids).toEqual([]);
    expect([...pids.redis!, ...pids.shardline!].filter(isRunningProcess)).toEqual([]);
  }, 180_000);

  it("names a shardline node that died in its rows and still measures the Redis Cluster", async () => {
    const out = path.join(scratch, "dead-node.json");
    const bench = startBench(["--no-throughput", "--no-memory", "--no-replication", "--no-failover", "--repeat", "1", "--requests", "2000", "--out", out]);
    await waitFor("the shardline cluster", () => printedClusterPids(bench.stderr()).shardline !== undefined, bench);
    // bench-0001-002: a replica, so redis-benchmark itself does not notice; the bench must.
    const victim = printedClusterPids(bench.stderr()).shardline![3]!;
    process.kill(victim, "SIGKILL");
    expect(await bench.exit, bench.stderr()).toBe(0);
    const cluster: ClusterJson = JSON.parse(readFileSync(out, "utf8")).cluster;
    for (const row of cluster.rows) expect(row.redis.medianOpsPerSec, JSON.stringify(row)).toBeGreaterThan(0);
    for (const row of cluster.rows.filter((candidate) => candidate.pipeline === 16)) {
      expect(row.shardline.error).toMatch(new RegExp(`^node bench-0001-002 \\(port \\d+, pid ${victim}\\) exited; last output: (?!none)`));
      expect(row.ratio).toBeUndefined();
    }
    expect(bench.stdout()).toContain("shardline cluster error: node bench-0001-002");
    expect(Object.values(printedClusterPids(bench.stderr())).flat().filter(isRunningProcess)).toEqual([]);
  }, 180_000);

  it("stops both clusters, detached shardline nodes included, when interrupted with Ctrl-C", async () => {
    const bench = startBench(["--no-throughput", "--no-memory", "--no-replication", "--no-failover", "--repeat", "50", "--requests", "100000", "--out", path.join(scratch, "never.json")]);
    await waitFor("both clusters", () => Object.keys(printedClusterPids(bench.stderr())).length === 2, bench);
    const pids = Object.values(printedClusterPids(bench.stderr())).flat();
    expect(pids).toHaveLength(18);
    expect(pids.filter(isRunningProcess)).toEqual(pids);
    const runDirectory = /logs in (\S+)/.exec(bench.stderr())![1]!;
    bench.kill("SIGINT");
    expect(await bench.exit).toBe(130);
    expect(bench.stderr()).toContain("SIGINT received, stopping");
    expect(pids.filter(isRunningProcess)).toEqual([]);
    expect(existsSync(runDirectory)).toBe(false);
    expect(existsSync(path.join(scratch, "never.json"))).toBe(false);
  }, 180_000);
});
