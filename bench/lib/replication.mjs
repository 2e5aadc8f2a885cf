// The replication phase: how far replicas trail their primary, and what
// feeding two replicas costs the primary, for shardline and for a real Redis
// measured the same way in the same run.
//
// Four systems are started side by side, on free ports:
// - a real Redis primary with two `redis-server --replicaof` replicas,
// - a real Redis primary with none (a plain redis-server),
// - a shardline one-shard cluster: a primary and two replicas in three
//   availability zones, started with the launcher API as `shardline up`
//   does (cluster mode, but one shard owns every slot: no redirects),
// - a shardline one-shard cluster without replicas (replicasPerShard 0).
//
// Lag: a child process (write-load.mjs) writes SETs to the primary at a
// fixed rate, then at full speed, for a bounded time each, while this
// process measures, identically for both servers:
// - milliseconds, with probes: every PROBE_INTERVAL_MS it writes a sequence
//   number to a probe key on the primary and, from the moment the primary's
//   OK arrives, reads the key on each replica back to back until it shows
//   that number; the lag is the time from the OK to the reply that shows it.
// - bytes, with offsets: every SAMPLE_INTERVAL_MS it sends INFO replication
//   to the primary and both replicas at once and takes master_repl_offset
//   minus each replica's slave_repl_offset.
// Throughput: redis-benchmark -t set at pipeline 1 and 16 against each
// primary with two replicas and each primary with none.
import { fileURLToPath, pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { ask, CORE_DIST, startReadyCluster, startShardlineCluster, stopAndVerify } from "./cluster.mjs";
import { PIPELINE16_REQUEST_FACTOR } from "./options.mjs";
import { isRunningProcess, removeScratchDirectory, scratchDirectory, startServer, startTracked, freePort } from "./processes.mjs";
import { formatOps, formatRatio, summarizeSide } from "./report.mjs";
import { parseInfo, ReplyError, RespClient } from "./resp-client.mjs";
import { PIPELINES, runRedisBenchmark, THROUGHPUT_TESTS } from "./throughput.mjs";
import { loadArguments } from "./write-load.mjs";

const WRITE_LOAD = fileURLToPath(new URL("./write-load.mjs", import.meta.url));

/** Replicas of each replicated primary: the default topology's shards have two. */
export const REPLICAS = 2;
/** How often a lag probe is written (a probe still being looked for delays the next one: probes never overlap). */
export const PROBE_INTERVAL_MS = 10;
/** How often the offsets are sampled. */
export const SAMPLE_INTERVAL_MS = 10;
/** A probe a replica has not shown after this long counts as this lag, and as timed out. */
export const PROBE_TIMEOUT_MS = 5_000;
/** The probe key: outside the load's key:<digits> names, so the load never overwrites it. */
export const PROBE_KEY = "bench:replication:probe";
/** The write load: connections, distinct keys, and value size (redis-benchmark's default -d 3). */
export const LOAD_CONNECTIONS = 4;
export const LOAD_KEYSPACE = 100_000;
export const LOAD_VALUE_BYTES = 3;
/** The load runs this much longer than the measuring window, so no probe is taken after the load stopped. */
const LOAD_TAIL_MS = 500;
/** Bound on the load child connecting and saying `ready`. */
const LOAD_READY_TIMEOUT_MS = 10_000;
/** Bound on the load child finishing after its window (it drains its replies first). */
const LOAD_EXIT_TIMEOUT_MS = 30_000;
/** Bound on replicas reaching their primary's offset after a load, before the next measurement. */
const CATCH_UP_TIMEOUT_MS = 60_000;
/** Bound on a Redis replica's first sync (its diskless sync delay is set to 0, the dataset is empty). */
const REDIS_SYNC_TIMEOUT_MS = 15_000;
const POLL_MS = 50;

const SET_TEST = THROUGHPUT_TESTS.find((test) => test.name === "SET");

/**
 * The last probe value written, across every run and system: values only
 * grow, so a replica still holding an earlier run's probe never passes for
 * one that has the current probe.
 */
let probeSequence = 0;

/**
 * Nearest-rank percentile (the smallest sample with at least `percent` % of
 * the samples at or below it); undefined without samples.
 */
export function percentile(sorted, percent) {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((percent / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** p50, p99 and max of some samples, and how many there were. */
export function distribution(samples) {
  const sorted = Float64Array.from(samples).sort();
  return { samples: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length === 0 ? undefined : sorted[sorted.length - 1] };
}

/**
 * Bytes each replica trails its primary in one sample: the primary's
 * master_repl_offset minus the replica's slave_repl_offset, never negative
 * (the replica's INFO may run a moment after the primary's and see a later
 * offset). Undefined for a replica whose INFO had no offset or whose link
 * was down; `linkDown` counts those.
 */
export function offsetLag(primaryInfo, replicaInfos) {
  const primaryOffset = Number(primaryInfo.master_repl_offset);
  const lags = [];
  let linkDown = 0;
  for (const info of replicaInfos) {
    const offset = Number(info.slave_repl_offset);
    if (info.master_link_status !== "up" || !Number.isFinite(offset) || !Number.isFinite(primaryOffset)) {
      linkDown++;
      continue;
    }
    lags.push(Math.max(0, primaryOffset - offset));
  }
  return { lags, linkDown };
}

// ------------------------------------------------------------ the systems

/** Waits until every replica's link is up and the primary counts them all. */
async function waitForRedisReplicas(primaryPort, replicaPorts) {
  const deadlineMs = Date.now() + REDIS_SYNC_TIMEOUT_MS;
  for (;;) {
    const primary = await ask(primaryPort, "INFO", "replication");
    const replicas = await Promise.all(replicaPorts.map((port) => ask(port, "INFO", "replication")));
    const linked = replicas.filter((reply) => typeof reply === "string" && parseInfo(reply).master_link_status === "up").length;
    const connected = typeof primary === "string" ? Number(parseInfo(primary).connected_slaves) : 0;
    if (linked === replicaPorts.length && connected === replicaPorts.length) return;
    if (Date.now() > deadlineMs) throw new Error(`redis replicas not in sync within ${REDIS_SYNC_TIMEOUT_MS / 1000} s: ${linked} of ${replicaPorts.length} links up, the primary counts ${connected}`);
    await sleep(POLL_MS);
  }
}

async function startRedisNode(name, port, extraArgs) {
  const directory = scratchDirectory("shardline-bench-redis-repl-");
  // Its own --dir: started in the project directory it would load any dump.rdb lying there.
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, ...extraArgs];
  try {
    const server = await startServer("redis-server", "redis-server", args, port);
    return { name, port, pid: server.pid, server, directory };
  } catch (error) {
    removeScratchDirectory(directory);
    throw error;
  }
}

/**
 * A real Redis primary with `replicaCount` replicas (`--replicaof`), or a
 * lone primary when 0. repl-diskless-sync-delay 0 only skips the 5 s Redis
 * waits before the first sync of the empty dataset; the stream is the same.
 */
export async function startRedisGroup(replicaCount) {
  const started = performance.now();
  const nodes = [];
  const stop = () => Promise.all(nodes.map(async (node) => {
    await node.server.stop();
    removeScratchDirectory(node.directory);
  }));
  try {
    const primaryPort = await freePort();
    nodes.push(await startRedisNode(`redis-primary-${primaryPort}`, primaryPort, ["--repl-diskless-sync-delay", "0"]));
    for (let i = 0; i < replicaCount; i++) {
      const port = await freePort();
      nodes.push(await startRedisNode(`redis-replica-${port}`, port, ["--replicaof", "127.0.0.1", String(primaryPort)]));
    }
    const replicaPorts = nodes.slice(1).map((node) => node.port);
    await waitForRedisReplicas(primaryPort, replicaPorts);
    return {
      kind: "redis",
      name: replicaCount === 0 ? "redis primary alone" : `redis primary + ${replicaCount} replicas`,
      replicaCount,
      primaryPort,
      replicaPorts,
      readOnlyCommand: false,
      nodes: nodes.map(({ name, port, pid }) => ({ name, port, pid })),
      readySeconds: (performance.now() - started) / 1000,
      deadNodes: () => nodes.filter((node) => !node.server.isRunning()),
      nodeOutput: (node) => nodes.find((candidate) => candidate.pid === node.pid)?.server.output() ?? "",
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A shardline one-shard cluster (every slot on its primary) with
 * `replicaCount` replicas, started with the launcher as `shardline up` does
 * and waited for until its replicas' links are up.
 */
export async function startShardlineShard(replicaCount, avoid, log) {
  const { DEFAULT_TOPOLOGY } = await import(pathToFileURL(CORE_DIST).href);
  const topology = { ...DEFAULT_TOPOLOGY, shards: 1, replicasPerShard: replicaCount };
  const shape = { shards: 1, replicasPerShard: replicaCount, nodes: replicaCount + 1 };
  const topologyName = replicaCount === 0 ? "bench-solo" : "bench-repl";
  const cluster = await startReadyCluster(() => startShardlineCluster(topology, avoid, log, topologyName), shape, log);
  if (!cluster.replicating) {
    await stopAndVerify(cluster, []);
    throw new Error(`the shardline shard's replicas do not replicate: ${cluster.note}`);
  }
  return {
    kind: "shardline",
    name: replicaCount === 0 ? "shardline primary alone" : `shardline primary + ${replicaCount} replicas`,
    replicaCount,
    primaryPort: cluster.primaryPorts[0],
    replicaPorts: cluster.replicaPorts,
    // A cluster replica answers reads only on a connection that sent READONLY (otherwise MOVED).
    readOnlyCommand: true,
    nodes: cluster.nodes,
    readySeconds: cluster.readySeconds,
    deadNodes: cluster.deadNodes,
    nodeOutput: cluster.nodeOutput,
    stop: cluster.stop,
  };
}

/** What the JSON keeps about a system. */
function systemFacts(system, startError) {
  if (system === undefined) return { error: startError };
  const { name, primaryPort, replicaPorts, readySeconds, nodes } = system;
  return { name, primaryPort, replicaPorts, readySeconds, nodes: nodes.map(({ name: nodeName, port, pid, availabilityZone }) => ({ name: nodeName, port, pid, availabilityZone })) };
}

/** "shardline primary + 2 replicas: ports 1,2,3, pids 4,5,6": printed so a user can find the processes of a run. */
function describeSystem(system) {
  return `${system.name}: ports ${system.nodes.map((node) => node.port).join(",")}, pids ${system.nodes.map((node) => node.pid).join(",")}`;
}

/** Why a system cannot be measured any more (a node died), or undefined. */
function brokenReason(system) {
  const dead = system.deadNodes();
  if (dead.length === 0) return undefined;
  return dead.map((node) => `${node.name} (port ${node.port}, pid ${node.pid}) exited; last output: ${system.nodeOutput(node).trim().slice(-300) || "none"}`).join("; ");
}

// ------------------------------------------------------------ measuring lag

/** Connections of one lag run: per node one for probes and one for offsets, so neither waits behind the other. */
async function connectObservers(system) {
  const opened = [];
  const connect = async (port, readOnly) => {
    const client = await RespClient.connect(port);
    opened.push(client);
    if (readOnly) {
      const reply = await client.command("READONLY");
      if (reply !== "OK") throw new Error(`READONLY on replica ${port} replied ${reply?.message ?? JSON.stringify(reply)}`);
    }
    return client;
  };
  try {
    return {
      primaryProbe: await connect(system.primaryPort, false),
      primarySampler: await connect(system.primaryPort, false),
      replicaProbes: await Promise.all(system.replicaPorts.map((port) => connect(port, system.readOnlyCommand))),
      replicaSamplers: await Promise.all(system.replicaPorts.map((port) => connect(port, false))),
      close: () => opened.forEach((client) => client.close()),
    };
  } catch (error) {
    opened.forEach((client) => client.close());
    throw error;
  }
}

/** Reads the probe key on a replica back to back until it shows `sequence`: resolves with the time of that reply, or undefined after the deadline. */
async function waitForProbe(replica, sequence, deadlineMs) {
  for (;;) {
    const reply = await replica.command("GET", PROBE_KEY);
    const nowMs = performance.now();
    if (typeof reply === "string" && Number(reply) >= sequence) return nowMs;
    if (reply instanceof ReplyError) throw new Error(`GET on a replica replied ${reply.message}`);
    if (nowMs > deadlineMs) return undefined;
  }
}

/**
 * Writes a probe every PROBE_INTERVAL_MS until `untilMs` and times how long
 * after the primary's OK each replica shows it. Collects one sample per
 * probe and replica.
 */
async function probeLoop(observers, untilMs) {
  const samplesMs = [];
  let timedOut = 0;
  let probes = 0;
  while (performance.now() < untilMs) {
    const startedMs = performance.now();
    const sequence = ++probeSequence;
    probes++;
    const reply = await observers.primaryProbe.command("SET", PROBE_KEY, String(sequence));
    if (reply !== "OK") throw new Error(`the probe SET on the primary replied ${reply?.message ?? JSON.stringify(reply)}`);
    const acknowledgedMs = performance.now();
    const seen = await Promise.all(observers.replicaProbes.map((replica) => waitForProbe(replica, sequence, acknowledgedMs + PROBE_TIMEOUT_MS)));
    for (const seenMs of seen) {
      if (seenMs === undefined) timedOut++;
      samplesMs.push(seenMs === undefined ? PROBE_TIMEOUT_MS : seenMs - acknowledgedMs);
    }
    const nextMs = startedMs + PROBE_INTERVAL_MS;
    const waitMs = nextMs - performance.now();
    if (waitMs > 0) await sleep(waitMs);
  }
  return { samplesMs, probes, timedOut };
}

/** Samples the replicas' byte lag every SAMPLE_INTERVAL_MS until `untilMs`. */
async function sampleLoop(observers, untilMs) {
  const samplesBytes = [];
  let linkDown = 0;
  while (performance.now() < untilMs) {
    const startedMs = performance.now();
    // All three INFOs leave in the same turn, so they read the offsets as close to one moment as the servers allow.
    const [primary, ...replicas] = await Promise.all([observers.primarySampler, ...observers.replicaSamplers].map((client) => client.command("INFO", "replication")));
    const text = (reply) => (typeof reply === "string" ? parseInfo(reply) : {});
    const sample = offsetLag(text(primary), replicas.map(text));
    samplesBytes.push(...sample.lags);
    linkDown += sample.linkDown;
    const waitMs = startedMs + SAMPLE_INTERVAL_MS - performance.now();
    if (waitMs > 0) await sleep(waitMs);
  }
  return { samplesBytes, linkDown };
}

/** The primary's offset and whether every replica has reached it; undefined fields when a node does not answer. */
async function replicationOffsets(system) {
  const primary = await ask(system.primaryPort, "INFO", "replication");
  const replicas = await Promise.all(system.replicaPorts.map((port) => ask(port, "INFO", "replication")));
  const primaryOffset = typeof primary === "string" ? Number(parseInfo(primary).master_repl_offset) : undefined;
  const replicaOffsets = replicas.map((reply) => (typeof reply === "string" ? Number(parseInfo(reply).slave_repl_offset) : undefined));
  return { primaryOffset, replicaOffsets, caughtUp: primaryOffset !== undefined && replicaOffsets.every((offset) => offset === primaryOffset) };
}

/**
 * Waits until every replica is at its primary's offset: resolves with the
 * ms it took; throws at once when a node of the system has died, and after
 * CATCH_UP_TIMEOUT_MS otherwise.
 */
export async function waitForCatchUp(system) {
  const startedMs = performance.now();
  for (;;) {
    const offsets = await replicationOffsets(system);
    if (offsets.caughtUp) return performance.now() - startedMs;
    system.broken ??= brokenReason(system);
    if (system.broken !== undefined) throw new Error(system.broken);
    if (performance.now() - startedMs > CATCH_UP_TIMEOUT_MS) {
      throw new Error(`replicas did not reach the primary's offset ${offsets.primaryOffset} within ${CATCH_UP_TIMEOUT_MS / 1000} s (they are at ${offsets.replicaOffsets.join(", ")})`);
    }
    await sleep(10);
  }
}

/** full syncs the primary has served (INFO stats sync_full): a full sync during a run means a replica fell too far behind or its link broke. */
async function fullSyncs(port) {
  const reply = await ask(port, "INFO", "stats");
  return typeof reply === "string" ? Number(parseInfo(reply).sync_full) : undefined;
}

/** Resolves once the load child printed `ready`; throws if it exits or hangs first. */
async function waitForLoadReady(load) {
  const deadlineMs = Date.now() + LOAD_READY_TIMEOUT_MS;
  while (!load.stdout().startsWith("ready\n")) {
    if (!load.isRunning()) {
      await load.exited;
      throw new Error(`the write load exited before it started: ${load.output().trim().slice(-300) || "no output"}`);
    }
    if (Date.now() > deadlineMs) throw new Error(`the write load did not connect within ${LOAD_READY_TIMEOUT_MS / 1000} s`);
    await sleep(10);
  }
}

/** Waits for the load child's totals line; throws with its output when it failed. */
async function loadTotals(load, seconds) {
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), seconds * 1000 + LOAD_EXIT_TIMEOUT_MS)));
  const exit = await Promise.race([load.exited, timeout]);
  clearTimeout(timer);
  if (exit === "timeout") throw new Error(`the write load did not finish within ${seconds + LOAD_EXIT_TIMEOUT_MS / 1000} s`);
  const last = load.stdout().trim().split("\n").at(-1);
  if (exit.code !== 0 || last === undefined || !last.startsWith("{")) throw new Error(`the write load failed (exit ${exit.code ?? exit.signal}): ${load.output().trim().slice(-300) || "no output"}`);
  return JSON.parse(last);
}

/**
 * One lag measurement on one system: the load at `ratePerSec` (0: full
 * speed) for `seconds`, probes and offset samples over that window, then a
 * wait until the replicas have caught up. Returns the row's figures, or
 * { error } when the system could not be measured.
 */
async function measureLag(system, ratePerSec, seconds) {
  await prepareRun(system);
  const syncsBefore = await fullSyncs(system.primaryPort);
  const observers = await connectObservers(system);
  let load;
  try {
    load = startTracked(process.execPath, [WRITE_LOAD, ...loadArguments({ port: system.primaryPort, rate: ratePerSec, seconds: seconds + LOAD_TAIL_MS / 1000, connections: LOAD_CONNECTIONS, keyspace: LOAD_KEYSPACE, valueBytes: LOAD_VALUE_BYTES })]);
    await waitForLoadReady(load);
    const untilMs = performance.now() + seconds * 1000;
    const [probes, offsets] = await Promise.all([probeLoop(observers, untilMs), sampleLoop(observers, untilMs)]);
    const totals = await loadTotals(load, seconds);
    const catchUpMs = await waitForCatchUp(system);
    const syncsAfter = await fullSyncs(system.primaryPort);
    const notes = [];
    if (totals.errors > 0) notes.push(`${totals.errors} of ${totals.replies} writes failed, first: ${totals.firstError}`);
    if (probes.timedOut > 0) notes.push(`${probes.timedOut} probe reads gave up after ${PROBE_TIMEOUT_MS} ms (counted as ${PROBE_TIMEOUT_MS} ms)`);
    if (offsets.linkDown > 0) notes.push(`a replica's link was down in ${offsets.linkDown} offset samples`);
    if (syncsBefore !== undefined && syncsAfter !== undefined && syncsAfter > syncsBefore) notes.push(`the primary served ${syncsAfter - syncsBefore} full sync(s) during the run`);
    if (ratePerSec > 0 && totals.skipped > 0) notes.push(`the primary fell behind the schedule: ${totals.skipped} writes were skipped`);
    return {
      achievedPerSec: totals.achievedPerSec,
      writes: totals.replies,
      lagMs: distribution(probes.samplesMs),
      lagBytes: distribution(offsets.samplesBytes),
      probes: probes.probes,
      probesTimedOut: probes.timedOut,
      catchUpMs,
      notes,
    };
  } finally {
    observers.close();
    await load?.stop();
  }
}

/** The loads: the fixed rate, then full speed. */
export function lagLoads(ratePerSec) {
  return [
    { name: "rate", ratePerSec },
    { name: "full", ratePerSec: 0 },
  ];
}

/** Measures both replicated systems under each load, alternating which goes first. */
async function measureLagRows(systems, settings, context) {
  const rows = [];
  for (const [index, load] of lagLoads(settings.ratePerSec).entries()) {
    const order = index % 2 === 0 ? ["redis", "shardline"] : ["shardline", "redis"];
    for (const kind of order) {
      const system = systems[kind];
      const row = { load: load.name, targetPerSec: load.ratePerSec, server: kind, seconds: settings.seconds };
      const unavailable = system === undefined ? context.startErrors[kind] : system.broken;
      if (unavailable !== undefined) {
        rows.push({ ...row, error: unavailable });
        continue;
      }
      try {
        Object.assign(row, await measureLag(system, load.ratePerSec, settings.seconds));
      } catch (error) {
        row.error = error.message;
      }
      system.broken ??= brokenReason(system);
      if (system.broken !== undefined) row.error = system.broken;
      context.log(lagProgressLine(row));
      rows.push(row);
    }
  }
  const order = (row) => (row.load === "rate" ? 0 : 2) + (row.server === "redis" ? 0 : 1);
  return rows.sort((a, b) => order(a) - order(b));
}

function lagProgressLine(row) {
  const what = row.load === "rate" ? `${formatOps(row.targetPerSec)} SET/s` : "full speed";
  if (row.error !== undefined) return `  replication lag ${what}, ${row.server}: error: ${row.error}`;
  return `  replication lag ${what}, ${row.server}: ${formatOps(row.achievedPerSec)} writes/s, p50 ${row.lagMs.p50?.toFixed(2)} ms, p99 ${row.lagMs.p99?.toFixed(2)} ms, max ${row.lagMs.max?.toFixed(2)} ms; p99 ${formatOps(row.lagBytes.p99)} bytes${row.notes.length > 0 ? `; ${row.notes.join("; ")}` : ""}`;
}

// ------------------------------------------------------------ throughput

/**
 * FLUSHALL (which the replicas apply too) and, with replicas, a wait until
 * they have caught up, so one run's stream does not spill into the next.
 */
async function prepareRun(system) {
  const reply = await ask(system.primaryPort, "FLUSHALL");
  if (reply instanceof ReplyError) throw new Error(`FLUSHALL on ${system.name} failed: ${reply.message}`);
  if (system.replicaCount > 0) await waitForCatchUp(system);
}

/** The four primaries of the throughput comparison, in the order they run first. */
const THROUGHPUT_TARGETS = [
  ["redis", "redisReplicated"],
  ["redis", "redisAlone"],
  ["shardline", "shardlineReplicated"],
  ["shardline", "shardlineAlone"],
];

/** One redis-benchmark SET run on one primary; records a sample or the error that stops this target. */
async function runThroughput(system, pipeline, requests, options, side) {
  if (system.broken !== undefined) {
    side.error = system.broken;
    return;
  }
  try {
    await prepareRun(system);
    const result = await runRedisBenchmark({ port: system.primaryPort, test: SET_TEST, pipeline, requests, clients: options.clients, keyspace: options.keyspace });
    system.broken ??= brokenReason(system);
    if (system.broken !== undefined) side.error = system.broken;
    else if (result.error !== undefined) side.error = result.error;
    else side.samples.push(result.rps);
  } catch (error) {
    side.error = error.message;
  }
}

/**
 * redis-benchmark -t set at each pipeline on every primary, `repeat` times,
 * rotating which primary goes first. Rows pair each server's primary with
 * two replicas and without.
 */
async function measureThroughputRows(systems, options, context) {
  const rows = [];
  for (const pipeline of PIPELINES) {
    const requests = options.requests * (pipeline === 1 ? 1 : PIPELINE16_REQUEST_FACTOR);
    const sides = Object.fromEntries(THROUGHPUT_TARGETS.map(([, key]) => [key, { samples: [], error: systems[key] === undefined ? context.startErrors[key] : undefined }]));
    for (let repetition = 0; repetition < options.repeat; repetition++) {
      const shift = (repetition + context.runIndex) % THROUGHPUT_TARGETS.length;
      const order = [...THROUGHPUT_TARGETS.slice(shift), ...THROUGHPUT_TARGETS.slice(0, shift)];
      for (const [, key] of order) {
        if (sides[key].error !== undefined) continue;
        await runThroughput(systems[key], pipeline, requests, options, sides[key]);
      }
    }
    context.runIndex++;
    for (const kind of ["redis", "shardline"]) {
      const withReplicas = summarizeSide(sides[`${kind}Replicated`].samples, sides[`${kind}Replicated`].error);
      const withoutReplicas = summarizeSide(sides[`${kind}Alone`].samples, sides[`${kind}Alone`].error);
      const ratio = withReplicas.medianOpsPerSec !== undefined && withoutReplicas.medianOpsPerSec > 0 ? withReplicas.medianOpsPerSec / withoutReplicas.medianOpsPerSec : undefined;
      const row = { server: kind, pipeline, requests, clients: options.clients, replicas: REPLICAS, withReplicas, withoutReplicas, ratio };
      context.log(throughputProgressLine(row, options.repeat));
      rows.push(row);
    }
  }
  const order = (row) => (row.server === "redis" ? 0 : PIPELINES.length) + PIPELINES.indexOf(row.pipeline);
  return rows.sort((a, b) => order(a) - order(b));
}

function throughputProgressLine(row, repeat) {
  const side = (summary) => (summary.error !== undefined ? `error: ${summary.error}` : `${formatOps(summary.medianOpsPerSec)} ops/s`);
  const ratio = row.ratio === undefined ? "" : ` (${formatRatio(row.ratio)})`;
  return `  replication throughput ${row.server} SET P${row.pipeline} x${repeat}, ${row.requests} requests: with ${row.replicas} replicas ${side(row.withReplicas)}, alone ${side(row.withoutReplicas)}${ratio}`;
}

/**
 * One unrecorded run per primary, so shardline's JIT (and its replicas',
 * fed by the stream) is warm first. A system that fails here is measured
 * anyway: its rows then carry the error.
 */
async function warmUp(systems, options) {
  for (const system of Object.values(systems)) {
    try {
      await prepareRun(system);
      await runRedisBenchmark({ port: system.primaryPort, test: SET_TEST, pipeline: 16, requests: options.requests, clients: options.clients });
    } catch {
      // prepareRun marked a system whose node died as broken; anything else shows again when it is measured.
    }
  }
}

// ------------------------------------------------------------ the phase

/** Stops a system and reports any of its processes that outlived the stop (killed with SIGKILL). */
async function stopSystem(system, warnings) {
  if (system.kind === "shardline") return stopAndVerify(system, warnings);
  try {
    await system.stop();
  } catch (error) {
    warnings.push(`stopping the ${system.name} failed: ${error.message}`);
  }
  const left = system.nodes.filter((node) => isRunningProcess(node.pid));
  for (const node of left) process.kill(node.pid, "SIGKILL");
  if (left.length > 0) warnings.push(`${left.length} ${system.name} process(es) were still running after it was stopped (pids ${left.map((node) => node.pid).join(",")}); killed them with SIGKILL`);
  return left.map((node) => node.pid);
}

/** Ports a shardline shard takes (client and bus), so the next one stays clear of them. */
function takenPorts(system) {
  return system.nodes.flatMap((node) => [node.port, node.busPort].filter((port) => port !== undefined));
}

async function startSystems(context) {
  const systems = {};
  const avoid = new Set();
  const starters = {
    redisReplicated: () => startRedisGroup(REPLICAS),
    redisAlone: () => startRedisGroup(0),
    shardlineReplicated: () => startShardlineShard(REPLICAS, avoid, context.log),
    shardlineAlone: () => startShardlineShard(0, avoid, context.log),
  };
  for (const [key, start] of Object.entries(starters)) {
    try {
      systems[key] = await start();
      for (const port of takenPorts(systems[key])) avoid.add(port);
      context.log(`  started ${describeSystem(systems[key])} in ${systems[key].readySeconds.toFixed(1)} s`);
    } catch (error) {
      context.startErrors[key] = `could not start: ${error.message}`;
      context.log(`  ${key}: ${context.startErrors[key]}`);
    }
  }
  return systems;
}

/**
 * The replication phase (see the top of this file): the lag runs at
 * `options.replicationRate` and full speed for `options.replicationSeconds`
 * each, then the throughput runs. Every process it starts is stopped before
 * it returns, however it ends, and checked to be gone.
 */
export async function replicationPhase(options, log) {
  const settings = { ratePerSec: options.replicationRate, seconds: options.replicationSeconds };
  log(`replication: lag at ${formatOps(settings.ratePerSec)} SET/s and at full speed (${settings.seconds} s each), then redis-benchmark SET with ${REPLICAS} replicas and without, for redis and shardline`);
  const context = { log, runIndex: 0, startErrors: {}, warnings: [] };
  const leftoverPids = [];
  let systems = {};
  let lag = [];
  let throughput = [];
  try {
    systems = await startSystems(context);
    context.startErrors.redis = context.startErrors.redisReplicated;
    context.startErrors.shardline = context.startErrors.shardlineReplicated;
    await warmUp(systems, options);
    lag = await measureLagRows({ redis: systems.redisReplicated, shardline: systems.shardlineReplicated }, settings, context);
    throughput = await measureThroughputRows(systems, options, context);
  } finally {
    for (const system of Object.values(systems)) leftoverPids.push(...(await stopSystem(system, context.warnings)));
  }
  return {
    replicas: REPLICAS,
    load: { ratePerSec: settings.ratePerSec, seconds: settings.seconds, connections: LOAD_CONNECTIONS, keyspace: LOAD_KEYSPACE, valueBytes: LOAD_VALUE_BYTES },
    probeIntervalMs: PROBE_INTERVAL_MS,
    sampleIntervalMs: SAMPLE_INTERVAL_MS,
    probeTimeoutMs: PROBE_TIMEOUT_MS,
    systems: Object.fromEntries(THROUGHPUT_TARGETS.map(([, key]) => [key, systemFacts(systems[key], context.startErrors[key])])),
    lag,
    throughput,
    leftoverPids,
    warnings: context.warnings,
  };
}
