// Throughput: redis-benchmark against each server, and the parsing of its
// CSV output (Redis 7.0 format: a header line, then one quoted row per test:
// "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms",
// "p95_latency_ms","p99_latency_ms","max_latency_ms").
import { PIPELINE16_REQUEST_FACTOR } from "./options.mjs";
import { startTracked } from "./processes.mjs";
import { evaluateRow, formatOps, formatRatio, summarizeSide } from "./report.mjs";
import { ReplyError } from "./resp-client.mjs";
import { describeServer, startRedisServer, startShardlineNode, withClient } from "./servers.mjs";

/**
 * The measured tests. `select` is what `redis-benchmark -t` gets and `row` the
 * CSV row that is measured. Some tests need data first, and get it the way
 * redis-benchmark's own default suite does: GET reads the key SET wrote, LPOP
 * pops what LPUSH pushed, and `-t lrange_100` makes redis-benchmark run its
 * own "LPUSH (needed to benchmark LRANGE)" first. `weight` scales the request
 * count for tests whose replies are far larger, so every test takes
 * comparable time.
 */
export const THROUGHPUT_TESTS = [
  { name: "SET", select: "set", row: "SET", weight: 1 },
  { name: "GET", select: "set,get", row: "GET", weight: 1 },
  { name: "INCR", select: "incr", row: "INCR", weight: 1 },
  { name: "LPUSH", select: "lpush", row: "LPUSH", weight: 1 },
  { name: "LPOP", select: "lpush,lpop", row: "LPOP", weight: 1 },
  { name: "SADD", select: "sadd", row: "SADD", weight: 1 },
  { name: "HSET", select: "hset", row: "HSET", weight: 1 },
  { name: "ZADD", select: "zadd", row: "ZADD", weight: 1 },
  { name: "LRANGE_100", select: "lrange_100", row: "LRANGE_100 (first 100 elements)", weight: 0.2 },
  { name: "MSET", select: "mset", row: "MSET (10 keys)", weight: 0.5 },
];

export const PIPELINES = [1, 16];

/** Parses redis-benchmark --csv output into { rowName: { rps, p50LatencyMs, p99LatencyMs } }. */
export function parseBenchmarkCsv(text) {
  const rows = {};
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  for (const line of lines) {
    const cells = line.split('","').map((cell) => cell.replace(/^"|"$/g, ""));
    if (cells[0] === "test" || cells.length < 8) continue;
    const rps = Number(cells[1]);
    if (!Number.isFinite(rps)) continue;
    rows[cells[0]] = { rps, p50LatencyMs: Number(cells[4]), p99LatencyMs: Number(cells[6]) };
  }
  return rows;
}

/**
 * The line of redis-benchmark's output that explains a failure (it exits at
 * the first error reply). In cluster mode it prints "Cluster node <addr>
 * replied with error:" and the error on the next line; the two are joined.
 * stdout is searched too, but only for an error line: it holds the CSV.
 */
export function benchmarkFailure(stderrText, stdoutText = "") {
  const lines = (text) => text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const meaningful = lines(stderrText).filter((line) => !line.startsWith("WARNING: Could not fetch server CONFIG"));
  const errorIn = (candidates) => {
    const at = candidates.findIndex((line) => /^(Error|Could not|ERR|Server closed|Cluster node|Node |Invalid|Failed|CLUSTER SLOTS ERROR)/i.test(line));
    if (at < 0) return undefined;
    const line = candidates[at];
    return line.endsWith("replied with error:") && at + 1 < candidates.length ? `${line} ${candidates[at + 1]}` : line;
  };
  return errorIn(meaningful) ?? errorIn(lines(stdoutText)) ?? meaningful.at(-1) ?? "redis-benchmark failed without a message";
}

/** Distinct warnings redis-benchmark printed while it went on (slot map refreshed after MOVED/ASK, CLUSTERDOWN waits); at most a few, for a report note. */
export const BENCHMARK_NOTICES_MAX = 5;
export function benchmarkNotices(outputText) {
  const notices = new Map();
  for (const raw of outputText.split("\n")) {
    const line = raw.trim();
    if (!/^WARNING: Cluster slots configuration changed|^Error from server .*CLUSTERDOWN/.test(line)) continue;
    notices.set(line, (notices.get(line) ?? 0) + 1);
  }
  return [...notices].slice(0, BENCHMARK_NOTICES_MAX).map(([line, count]) => (count > 1 ? `${line} (x${count})` : line));
}

/** A generous bound on one redis-benchmark run: a server that stops answering must not hang the bench. */
export function benchmarkTimeoutMs(requests) {
  return 30_000 + requests * 0.2;
}

/**
 * Runs redis-benchmark once with `-t select` (`--cluster` when `cluster`):
 * resolves with { rows, notices, error? }, where rows are the CSV rows it
 * printed (in cluster mode a run can fail after its first test's row) and
 * error says why it stopped (an error reply, a crash, a timeout). Never
 * rejects for a server's fault. `testCount` scales the timeout: each test
 * makes `requests` requests. `threads` is redis-benchmark's --threads.
 */
export async function runBenchmarkRows({ port, select, testCount = 1, pipeline, requests, clients, keyspace, cluster = false, threads }) {
  const args = ["-h", "127.0.0.1", "-p", String(port), "-t", select, "-n", String(requests), "-c", String(clients), "-P", String(pipeline), "--csv"];
  if (keyspace !== undefined) args.push("-r", String(keyspace));
  if (cluster) args.push("--cluster");
  if (threads !== undefined) args.push("--threads", String(threads));
  const run = startTracked("redis-benchmark", args);
  const timeoutMs = benchmarkTimeoutMs(requests * testCount);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void run.stop();
  }, timeoutMs);
  const { code, signal, error } = await run.exited;
  clearTimeout(timer);
  const rows = parseBenchmarkCsv(run.stdout());
  const notices = benchmarkNotices(run.output());
  if (timedOut) return { rows, notices, error: `redis-benchmark did not finish within ${Math.round(timeoutMs / 1000)} s (server stalled?)` };
  if (error) return { rows, notices, error: `cannot run redis-benchmark: ${error.message}` };
  if (code !== 0) return { rows, notices, error: `${benchmarkFailure(run.stderr(), run.stdout())} (redis-benchmark exit ${code ?? signal})` };
  return { rows, notices, lastLine: run.stdout().trim().split("\n").at(-1) };
}

/**
 * Runs redis-benchmark once for one test: resolves with { rps, p50LatencyMs,
 * p99LatencyMs } or { error } (an error reply, a crash, a timeout); never
 * rejects for a server's fault.
 */
export async function runRedisBenchmark({ port, test, pipeline, requests, clients, keyspace }) {
  const result = await runBenchmarkRows({ port, select: test.select, pipeline, requests, clients, keyspace });
  if (result.error !== undefined) return { error: result.error };
  const row = result.rows[test.row];
  if (row === undefined) return { error: `redis-benchmark printed no "${test.row}" row: ${result.lastLine}` };
  return row;
}

/** Requests of one run: the P1 base, scaled up for pipelining and by the test's weight. */
export function requestsFor(baseRequests, test, pipeline) {
  const scaled = baseRequests * (pipeline === 1 ? 1 : PIPELINE16_REQUEST_FACTOR) * test.weight;
  return Math.max(1, Math.round(scaled));
}

/**
 * FLUSHALL so every run starts from an empty keyspace. A server that cannot
 * (the command is missing) gets one warning: its data then carries over.
 */
async function flush(server, warnings, warned) {
  let problem;
  try {
    const reply = await withClient(server.port, (client) => client.command("FLUSHALL"));
    if (reply instanceof ReplyError) problem = reply.message.trim();
  } catch (error) {
    problem = error.message;
  }
  if (problem === undefined || warned.has(server.kind)) return;
  warned.add(server.kind);
  warnings.push(`FLUSHALL failed on ${server.name} (${problem}): data from earlier runs stays there, which can change what later runs measure`);
}

const START = { redis: () => startRedisServer(), shardline: () => startShardlineNode() };

/**
 * Runs one test at one pipeline on both servers, `repeat` times, alternating
 * which server goes first so neither always runs on a warmer (or hotter)
 * machine. A server that dies is restarted for the next test and its row
 * carries the error.
 */
async function measureRow(servers, test, pipeline, options, context) {
  const requests = requestsFor(options.requests, test, pipeline);
  const samples = { redis: [], shardline: [] };
  const errors = {};
  for (let repetition = 0; repetition < options.repeat; repetition++) {
    const order = (repetition + context.rowIndex) % 2 === 0 ? ["redis", "shardline"] : ["shardline", "redis"];
    for (const kind of order) {
      if (errors[kind] !== undefined) continue;
      const server = servers[kind];
      if (server === undefined) {
        errors[kind] = context.startErrors[kind];
        continue;
      }
      await flush(server, context.warnings, context.flushWarned);
      const result = await runRedisBenchmark({ port: server.port, test, pipeline, requests, clients: options.clients, keyspace: options.keyspace });
      if (!server.isRunning()) {
        errors[kind] = `${server.name} exited during this test${result.error ? ` (${result.error})` : ""}; last output: ${server.output().trim().slice(-300)}`;
        await restart(servers, kind, context);
      } else if (result.error !== undefined) {
        errors[kind] = result.error;
      } else {
        samples[kind].push(result.rps);
      }
    }
  }
  const row = { test: test.name, pipeline, requests, clients: options.clients, redis: summarizeSide(samples.redis, errors.redis), shardline: summarizeSide(samples.shardline, errors.shardline) };
  return evaluateRow(row);
}

async function restart(servers, kind, context) {
  await servers[kind].stop();
  try {
    servers[kind] = await START[kind]();
    context.log(`  restarted ${describeServer(servers[kind])}`);
  } catch (error) {
    servers[kind] = undefined;
    context.startErrors[kind] = `could not restart: ${error.message}`;
    context.log(`  ${context.startErrors[kind]}`);
  }
}

/** One unrecorded run per server first, so shardline's JIT is warm before the first measured run. */
async function warmUp(servers, options) {
  const test = { select: "set,get", row: "GET" };
  for (const server of Object.values(servers).filter((candidate) => candidate !== undefined)) {
    await runRedisBenchmark({ port: server.port, test, pipeline: 16, requests: options.requests, clients: options.clients });
  }
}

/** Starts both servers, measures every selected test at each pipeline, stops them. */
export async function throughputPhase(options, log) {
  const servers = { redis: await startRedisServer() };
  const context = { rowIndex: 0, warnings: [], flushWarned: new Set(), startErrors: {}, log };
  const rows = [];
  try {
    try {
      servers.shardline = await startShardlineNode();
      log(`  started ${describeServer(servers.redis)} and ${describeServer(servers.shardline)}`);
    } catch (error) {
      // Measure redis anyway: the rows then say why shardline has no figures.
      context.startErrors.shardline = `could not start: ${error.message}`;
      log(`  started ${describeServer(servers.redis)}; shardline-node ${context.startErrors.shardline}`);
      if (error.output !== undefined) log(error.output.replace(/^/gm, "    | "));
    }
    await warmUp(servers, options);
    for (const test of THROUGHPUT_TESTS.filter((candidate) => options.tests.includes(candidate.name))) {
      for (const pipeline of PIPELINES) {
        const row = await measureRow(servers, test, pipeline, options, context);
        context.rowIndex++;
        rows.push(row);
        log(progressLine(row, options.repeat));
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((server) => server?.stop()));
  }
  return { rows, warnings: context.warnings };
}

function progressLine(row, repeat) {
  const side = (summary) => (summary.error !== undefined ? `error: ${summary.error}` : `${formatOps(summary.medianOpsPerSec)} ops/s`);
  const ratio = row.ratio === undefined ? "" : ` (${formatRatio(row.ratio)})`;
  return `  ${row.test} P${row.pipeline} x${repeat}, ${row.requests} requests: redis ${side(row.redis)}, shardline ${side(row.shardline)}${ratio}`;
}
