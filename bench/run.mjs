#!/usr/bin/env node
// `npm run bench`: shardline-node against a real redis-server, side by side.
// Throughput with redis-benchmark (10 tests, pipeline 1 and 16, 50 clients,
// median of several runs, servers alternating), then a shardline cluster
// against a real Redis Cluster of the same shape with redis-benchmark
// --cluster, then replication (lag of two replicas at a fixed write rate and
// at full speed, and the primary's throughput with and without them, for
// shardline and a real Redis), then memory per key with a million small
// string keys, then failover (kill -9 of a primary under writes: time to
// writes resuming, promotions, lost writes, rejoin) on shardline and real
// Redis Clusters at node timeouts 1000 and 5000 ms, and with --soak a
// shardline cluster under full load, counting failovers that should not
// happen. Prints tables, saves JSON to bench/results/.
// It installs nothing: when redis-server or redis-benchmark is missing it
// says to run `npm run setup` and exits 1. See bench/README.md.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CHAOS_DIST, clusterPhase } from "./lib/cluster.mjs";
import { memoryPhase } from "./lib/memory.mjs";
import { replicationPhase } from "./lib/replication.mjs";
import { parseBenchArguments, PIPELINE16_REQUEST_FACTOR, UsageError, USAGE } from "./lib/options.mjs";
import { hasProgram, installCleanupHandlers, isStopping, programVersion, stopAll } from "./lib/processes.mjs";
import { clusterReportLines, failoverReportLines, goalLines, replicationReportLines, renderMemoryTable, renderThroughputTable, slowestRow, soakReportLines, formatRatio } from "./lib/report.mjs";
import { failoverPhase } from "./lib/failover.mjs";
import { soakPhase } from "./lib/soak.mjs";
import { SHARDLINE_BIN } from "./lib/servers.mjs";
import { THROUGHPUT_TESTS, throughputPhase } from "./lib/throughput.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS_DIR = path.join(ROOT, "bench", "results");

/** Progress goes to stderr so stdout holds only the report. */
const log = (line) => console.error(line);

/** What is missing to run the bench, as sentences that say what to do. */
function missingPrerequisites(options) {
  const problems = [];
  // The cluster and failover phases form their Redis Clusters with redis-cli --cluster create.
  const programs = options.cluster || options.failover ? ["redis-server", "redis-benchmark", "redis-cli"] : ["redis-server", "redis-benchmark"];
  const tools = programs.filter((name) => !hasProgram(name));
  if (tools.length > 0) problems.push(`${tools.join(" and ")} not found on PATH. Run \`npm run setup\` (installs Debian's redis-server and redis-tools), or install Redis 7.0 yourself.`);
  const clusters = options.cluster || options.replication || options.failover || options.soakMs !== undefined;
  const builds = clusters ? [SHARDLINE_BIN, CHAOS_DIST] : [SHARDLINE_BIN];
  for (const build of builds.filter((file) => !existsSync(file))) problems.push(`${path.relative(ROOT, build)} is missing. Run \`npm run build\` (npm run bench builds first).`);
  return problems;
}

function git(args) {
  const result = spawnSync("git", ["-C", ROOT, ...args], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function machineFacts() {
  const cpus = os.cpus();
  const redisLine = programVersion("redis-server");
  const status = git(["status", "--porcelain"]);
  return {
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model,
    totalMemoryBytes: os.totalmem(),
    loadAverage1m: os.loadavg()[0],
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    redisServer: /v=(\S+)/.exec(redisLine ?? "")?.[1] ?? redisLine,
    redisBenchmark: programVersion("redis-benchmark"),
    shardlineCommit: git(["rev-parse", "HEAD"]),
    shardlineUncommittedChanges: status === undefined ? undefined : status !== "",
  };
}

function resultsFile(options, startedAt) {
  if (options.out !== undefined) return path.resolve(options.out);
  return path.join(RESULTS_DIR, `${startedAt.replace(/[:.]/g, "-")}.json`);
}

function printReport(result) {
  const lines = [];
  const { machine } = result;
  lines.push(`shardline bench: redis-server ${machine.redisServer} vs shardline-node (${machine.shardlineCommit?.slice(0, 10) ?? "unknown commit"}${machine.shardlineUncommittedChanges ? "+changes" : ""}), node ${machine.node}, ${machine.cpuCount} x ${machine.cpuModel}`);
  if (result.throughput !== undefined) {
    const { options } = result;
    lines.push(`throughput: median of ${options.repeat} run(s), ${options.clients} clients, ${options.requests} requests at P1 (x${PIPELINE16_REQUEST_FACTOR} at P16)${options.keyspace ? `, keyspace ${options.keyspace}` : ""}`);
    lines.push("", renderThroughputTable(result.throughput.rows), "");
    const slowest = slowestRow(result.throughput.rows);
    if (slowest !== undefined) lines.push(`slowest relative to redis: ${slowest.test} P${slowest.pipeline} (${formatRatio(slowest.ratio)})`);
    const failed = result.throughput.rows.filter((row) => row.shardline.error !== undefined).map((row) => `${row.test} P${row.pipeline}`);
    if (failed.length > 0) lines.push(`failed on shardline: ${failed.join(", ")}`);
  }
  if (result.cluster !== undefined) lines.push("", ...clusterReportLines(result.cluster, result.options, PIPELINE16_REQUEST_FACTOR));
  if (result.replication !== undefined) lines.push("", ...replicationReportLines(result.replication, result.options, PIPELINE16_REQUEST_FACTOR));
  if (result.memory !== undefined) {
    const { memory } = result;
    lines.push("", `memory: ${memory.keys.toLocaleString("en-US")} keys, ${memory.valueBytes}-byte values, fresh servers`, "", renderMemoryTable(memory));
    for (const [name, side] of [["redis", memory.redis], ["shardline", memory.shardline]]) {
      if (side.error !== undefined) lines.push(`${name} memory error: ${side.error}`);
      if (side.usedMemoryNote !== undefined) lines.push(`${name} used_memory: ${side.usedMemoryNote} (RSS only)`);
      if (side.keysNote !== undefined) lines.push(`${name} keys: ${side.keysNote}`);
    }
  }
  if (result.failover !== undefined) lines.push("", ...failoverReportLines(result.failover));
  if (result.soak !== undefined) lines.push("", ...soakReportLines(result.soak));
  const goals = goalLines(result.throughput?.rows ?? [], result.memory, result.replication, result.failover, result.soak);
  if (goals.length > 0) lines.push("", "goals:", ...goals.map((line) => `  ${line}`));
  else lines.push("");
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  console.log(lines.join("\n"));
}

async function main() {
  let options;
  try {
    options = parseBenchArguments(process.argv.slice(2), THROUGHPUT_TESTS.map((test) => test.name));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const problems = missingPrerequisites(options);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`bench: ${problem}`);
    return 1;
  }
  installCleanupHandlers();
  const startedAt = new Date().toISOString();
  const result = { startedAt, options, machine: machineFacts(), warnings: [] };
  if (result.machine.loadAverage1m > result.machine.cpuCount / 2) {
    result.warnings.push(`the machine was busy when the bench started (1-minute load ${result.machine.loadAverage1m.toFixed(2)} on ${result.machine.cpuCount} CPUs): figures are noisier than usual`);
  }
  try {
    if (options.throughput) {
      log(`throughput: ${options.tests.length} tests x P1,P16 x ${options.repeat} run(s) per server`);
      result.throughput = await throughputPhase(options, log);
      result.warnings.push(...result.throughput.warnings);
    }
    if (options.cluster) {
      result.cluster = await clusterPhase(options, log);
      result.warnings.push(...result.cluster.warnings);
    }
    if (options.replication) {
      result.replication = await replicationPhase(options, log);
      result.warnings.push(...result.replication.warnings);
    }
    if (options.memory) result.memory = await memoryPhase(options.memoryKeys, log);
    if (options.failover) {
      result.failover = await failoverPhase(options, log);
      result.warnings.push(...result.failover.warnings);
    }
    if (options.soakMs !== undefined) {
      result.soak = await soakPhase(options, log);
      result.warnings.push(...result.soak.warnings);
    }
  } finally {
    await stopAll();
  }
  result.finishedAt = new Date().toISOString();
  printReport(result);
  const file = resultsFile(options, startedAt);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  console.log(`\nsaved ${path.relative(process.cwd(), file) || file}`);
  return 0;
}

main().then(
  (code) => {
    if (!isStopping()) process.exit(code);
  },
  async (error) => {
    // After Ctrl-C the signal handler stops the children and exits with 130.
    if (isStopping()) return;
    console.error(`bench: failed: ${error.stack ?? error}`);
    await stopAll();
    process.exit(1);
  },
);
