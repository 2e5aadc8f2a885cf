import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runRedisBenchmark, THROUGHPUT_TESTS } from "../bench/lib/throughput.mjs";
import { freePort, hasProgram, skipReason } from "./support/processes.js";

const RUN_MJS = fileURLToPath(new URL("../bench/run.mjs", import.meta.url));
const benchToolsAvailable = hasProgram("redis-benchmark") && hasProgram("redis-server");
const SET = THROUGHPUT_TESTS.find((test) => test.name === "SET")!;

const scratch = mkdtempSync(path.join(os.tmpdir(), "shardline-bench-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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

/** The pids the bench printed ("... (pid 123, port 456)"). */
function printedPids(stderr: string): number[] {
  return [...stderr.matchAll(/\(pid (\d+), port \d+\)/g)].map((match) => Number(match[1]));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server that answers every command with the same bytes (or never answers), to see how the bench takes a broken server. */
async function fakeServer(reply: (socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("data", () => reply(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.skipIf(skipReason(benchToolsAvailable, "redis-benchmark/redis-server"))("npm run bench", () => {
  it("reports an error reply as the row's error instead of a rate", async () => {
    const server = await fakeServer((socket) => socket.write("-ERR unknown command 'SET', with args beginning with: \r\n"));
    try {
      const result = await runRedisBenchmark({ port: server.port, test: SET, pipeline: 1, requests: 100, clients: 2 });
      expect(result).toEqual({ error: "Error from server: ERR unknown command 'SET', with args beginning with: (redis-benchmark exit 1)" });
    } finally {
      await server.close();
    }
  });

  it("reports a server that hangs up as an error", async () => {
    const server = await fakeServer((socket) => socket.destroy());
    try {
      const result = await runRedisBenchmark({ port: server.port, test: SET, pipeline: 1, requests: 100, clients: 2 });
      expect(result).toHaveProperty("error");
      expect((result as { error: string }).error).toMatch(/redis-benchmark exit/);
    } finally {
      await server.close();
    }
  });

  it("runs the standalone phases end to end, saves the JSON, and leaves no server behind", async () => {
    const out = path.join(scratch, "result.json");
    const bench = startBench(["--tests", "SET,GET", "--repeat", "1", "--requests", "2000", "--memory-keys", "5000", "--no-cluster", "--no-replication", "--no-failover", "--out", out]);
    const code = await bench.exit;
    expect(code, bench.stderr()).toBe(0);
    const result = JSON.parse(readFileSync(out, "utf8"));
    expect(result.machine.redisServer).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.throughput.rows.map((row: { test: string; pipeline: number }) => `${row.test} P${row.pipeline}`)).toEqual(["SET P1", "SET P16", "GET P1", "GET P16"]);
    for (const row of result.throughput.rows) {
      expect(row.redis.medianOpsPerSec, JSON.stringify(row)).toBeGreaterThan(0);
      expect(row.shardline.medianOpsPerSec, JSON.stringify(row)).toBeGreaterThan(0);
      expect(row.ratio).toBeCloseTo(row.shardline.medianOpsPerSec / row.redis.medianOpsPerSec, 10);
    }
    expect(result.memory.redis.rssBytesPerKey).toBeGreaterThan(0);
    expect(result.memory.redis.usedMemoryBytesPerKey).toBeGreaterThan(0);
    expect(result.memory.shardline.heapUsedBytesPerKey).toBeGreaterThan(0);
    expect(bench.stdout()).toMatch(/SET\s+P16\s+[\d,]+\s+[\d,]+\s+\d+\.\d{3}\s+>= 0\.40 (met|MISSED)/);
    const pids = printedPids(bench.stderr());
    expect(pids.length).toBe(4);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 120_000);

  it("stops its servers when interrupted with Ctrl-C", async () => {
    const bench = startBench(["--tests", "SET", "--repeat", "50", "--requests", "100000", "--no-memory", "--no-cluster", "--no-replication", "--no-failover", "--out", path.join(scratch, "never.json")]);
    const deadlineMs = Date.now() + 20_000;
    while (printedPids(bench.stderr()).length < 2 && Date.now() < deadlineMs) await new Promise((resolve) => setTimeout(resolve, 50));
    const pids = printedPids(bench.stderr());
    expect(pids.length, bench.stderr()).toBe(2);
    expect(pids.filter(isAlive)).toEqual(pids);
    bench.kill("SIGINT");
    expect(await bench.exit).toBe(130);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(bench.stderr()).toContain("SIGINT received, stopping");
  }, 60_000);
});
