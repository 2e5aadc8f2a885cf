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

/** The line of redis-benchmark's stderr that explains a failure (it exits at the first error reply). */
export function benchmarkFailure(stderrText) {
  const lines = stderrText.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const meaningful = lines.filter((line) => !line.startsWith("WARNING: Could not fetch server CONFIG"));
  const error = meaningful.find((line) => /^(Error|Could not|ERR|Server closed)/i.test(line));
  return error ?? meaningful.at(-1) ?? "redis-benchmark failed without a message";
}

/** A generous bound on one redis-benchmark run: a server that stops answering must not hang the bench. */
export function benchmarkTimeoutMs(requests) {
  return 30_000 + requests * 0.2;
}

/**
 * Runs redis-benchmark once: resolves with { rps, p50LatencyMs, p99LatencyMs }
 * or { error } (an error reply, a crash, a timeout); never rejects for a
 * server's fault.
 */
export async function runRedisBenchmark({ port, test, pipeline, requests, clients, keyspace }) {
  const args = ["-h", "127.0.0.1", "-p", String(port), "-t", test.select, "-n", String(requests), "-c", String(clients), "-P", String(pipeline), "--csv"];
  if (keyspace !== undefined) args.push("-r", String(keyspace));
  const run = startTracked("redis-benchmark", args);
  const timeoutMs = benchmarkTimeoutMs(requests);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void run.stop();
  }, timeoutMs);
  const { code, signal, error } = await run.exited;
  clearTimeout(timer);
  if (timedOut) return { error: `redis-benchmark did not finish within ${Math.round(timeoutMs / 1000)} s (server stalled?)` };
  if (error) return { error: `cannot run redis-benchmark: ${error.message}` };
  if (code !== 0) return { error: `${benchmarkFailure(run.stderr())} (redis-benchmark exit ${code ?? signal})` };
  const row = parseBenchmarkCsv(run.stdout())[test.row];
  if (row === undefined) return { error: `redis-benchmark printed no "${test.row}" row: ${run.stdout().trim().split("\n").at(-1)}` };
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
