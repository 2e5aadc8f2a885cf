// The soak phase (--soak DURATION): does a shardline cluster under full
// load fail over when nothing failed? A node whose event loop stalls longer
// than the node timeout looks dead to its peers, and they would replace a
// healthy primary: a false failover. This runs the default cluster (node
// timeout 1000 ms) for DURATION under as much load as the machine takes and
// counts what the cluster did.
//
// - The load: `redis-benchmark --cluster -t set,get -c 50 -P 16 -r 100000`
//   with one thread per CPU, started again whenever a run ends, until the
//   duration is over (the last run is stopped there).
// - The stall measurement: every PING_INTERVAL_MS the bench PINGs each node
//   over a connection of its own and records the round trip. A node whose
//   event loop is stalled answers late, so the round trips bound how long
//   each node went without serving its sockets (the bus included). PINGs
//   never overlap on a node: a late reply delays the next PING.
// - Suspicions: every FLAGS_INTERVAL_MS each node's CLUSTER NODES (its own
//   connection) is read for `fail?` (PFAIL: this node has not heard from
//   that one within the node timeout) and `fail` flags. A sample, so a
//   PFAIL shorter than the interval can be missed; the events below cannot.
// - Before it starts: the cluster must be healthy in every node's view (no
//   fail? or fail flags, every replica's link up), so that what it counts
//   is what the load caused, not what forming the cluster left.
// - At the end: every node's SHARDLINE EVENTS (failure-detected, i.e. FAIL,
//   election-started, failover-completed), merged, since the soak began; and
//   each node's role, primary and config epoch, and the current epoch,
//   before and after (CLUSTER NODES, CLUSTER INFO).
// - The machine's CPU use over the soak (/proc/stat), to show the load did
//   saturate it, and the bench's own event-loop delay, which every PING
//   round trip includes.
import { readFileSync } from "node:fs";
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { ask, clusterShape, CORE_DIST, describeCluster, parseClusterNodes, startReadyCluster, stopAndVerify } from "./cluster.mjs";
import { startShardline, waitHealthy } from "./failover.mjs";
import { formatDuration } from "./options.mjs";
import { startTracked } from "./processes.mjs";
import { median } from "./report.mjs";
import { parseInfo, RespClient } from "./resp-client.mjs";
import { benchmarkFailure, benchmarkNotices, parseBenchmarkCsv } from "./throughput.mjs";

/** How often each node is PINGed. */
export const PING_INTERVAL_MS = 100;
/** How often each node's CLUSTER NODES is read for PFAIL and FAIL flags. */
export const FLAGS_INTERVAL_MS = 500;
/** The load: redis-benchmark's settings. Requests per test and run: a run takes some tens of seconds. */
export const SOAK_LOAD = { tests: "set,get", clients: 50, pipeline: 16, keyspace: 100_000, requestsPerRun: 1_000_000 };
/** The soak is judged only when the load ran (without failing) for at least this share of it. */
export const LOAD_SHARE_MIN = 0.9;
/** A run that failed is started again after this pause, so a load that cannot run does not spin. */
const LOAD_RESTART_PAUSE_MS = 1000;
/** Runs kept in the JSON (all are counted). */
const RUNS_KEPT_MAX = 500;
/** Flag observations kept in the JSON (all are counted). */
const FLAG_OBSERVATIONS_KEPT_MAX = 50;
/** Pings slower than this share of the node timeout are counted per node: half-way to a suspicion. */
const LATE_PING_SHARE = 0.5;
const PERCENTILES = [50, 99, 99.9];

// ------------------------------------------------------------ pure helpers

/**
 * Nearest-rank percentile, like replication.mjs's percentile, but with the
 * rank in integer arithmetic: (99.9 / 100) * 1000 is 999.0000000000001 in
 * floating point, which would make p99.9 of 1000 samples the largest.
 */
export function nearestRank(sorted, percent) {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((Math.round(percent * 1000) * sorted.length) / 100_000);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** p50, p99, p99.9 and max of round trips in ms, and how many there were. */
export function roundTripSummary(samples) {
  const sorted = Float64Array.from(samples).sort();
  const [p50, p99, p999] = PERCENTILES.map((percent) => nearestRank(sorted, percent));
  return { samples: sorted.length, p50, p99, p999, max: sorted.length === 0 ? undefined : sorted[sorted.length - 1] };
}

/** The share of CPU time that was busy between two /proc/stat "cpu" lines (user+nice+system+irq+softirq+steal over all). */
export function busyShare(before, after) {
  if (before === undefined || after === undefined) return undefined;
  const delta = after.map((value, i) => value - before[i]);
  const total = delta.reduce((sum, value) => sum + value, 0);
  // Fields: user nice system idle iowait irq softirq steal ...
  const idle = (delta[3] ?? 0) + (delta[4] ?? 0);
  return total > 0 ? (total - idle) / total : undefined;
}

/** The machine's "cpu" line of /proc/stat as numbers, or undefined off Linux. */
function cpuTimes() {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n").find((candidate) => candidate.startsWith("cpu "));
    return line?.trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return undefined;
  }
}

/** One node as it sees itself: role, its primary's id, config epoch (from its `myself` line of CLUSTER NODES), and the current epoch. */
export function selfView(nodesText, infoText) {
  const me = parseClusterNodes(nodesText).find((line) => line.flags.includes("myself"));
  const configEpoch = Number(nodesText.split("\n").find((line) => line.includes("myself"))?.trim().split(" ")[6]);
  return {
    id: me?.id,
    role: me?.flags.includes("master") ? "primary" : me?.flags.includes("slave") ? "replica" : "unknown",
    primaryId: me?.primaryId,
    configEpoch: Number.isFinite(configEpoch) ? configEpoch : undefined,
    currentEpoch: Number(parseInfo(infoText).cluster_current_epoch),
  };
}

/** What changed between two sets of self views (by node name): role or primary, and config epoch. */
export function viewChanges(before, after) {
  const roles = [];
  const configEpochs = [];
  for (const [name, then] of Object.entries(before)) {
    const now = after[name];
    if (now === undefined) continue;
    if (now.role !== then.role || now.primaryId !== then.primaryId) roles.push(`${name}: ${then.role} -> ${now.role}`);
    if (now.configEpoch !== then.configEpoch) configEpochs.push(`${name}: ${then.configEpoch} -> ${now.configEpoch}`);
  }
  return { roles, configEpochs };
}

/** Counts of the merged cluster events by type. */
export function countEvents(events) {
  const count = (type) => events.filter((event) => event.type === type).length;
  return { failureDetected: count("failure-detected"), electionStarted: count("election-started"), failoverCompleted: count("failover-completed"), nodeRecovered: count("node-recovered") };
}

// ------------------------------------------------------------ the load

/** One redis-benchmark run: resolves with its record when it exits (finished, failed, or stopped at the deadline). */
async function runLoad(entryPort, threads, handle) {
  const args = ["-h", "127.0.0.1", "-p", String(entryPort), "-t", SOAK_LOAD.tests, "-n", String(SOAK_LOAD.requestsPerRun), "-c", String(SOAK_LOAD.clients), "-P", String(SOAK_LOAD.pipeline), "-r", String(SOAK_LOAD.keyspace), "--cluster", "--threads", String(threads), "--csv"];
  const startedMs = performance.now();
  const run = startTracked("redis-benchmark", args);
  handle.current = run;
  const { code, signal, error } = await run.exited;
  handle.current = undefined;
  const durationMs = performance.now() - startedMs;
  const rows = parseBenchmarkCsv(run.stdout());
  // Its warnings (slot map refreshed after MOVED, CLUSTERDOWN waits) mean the cluster changed under it.
  const notices = benchmarkNotices(run.output());
  if (handle.stopped) return { durationMs, stoppedAtEnd: true, notices };
  if (error !== undefined) return { durationMs, error: `cannot run redis-benchmark: ${error.message}`, notices };
  if (code !== 0 || rows.SET === undefined || rows.GET === undefined) return { durationMs, error: `${benchmarkFailure(run.stderr(), run.stdout())} (redis-benchmark exit ${code ?? signal})`, notices };
  return { durationMs, setOpsPerSec: rows.SET.rps, getOpsPerSec: rows.GET.rps, notices };
}

/** Runs the load again and again until `untilMs`; resolves with every run's record (the first RUNS_KEPT_MAX) and counts. */
async function loadLoop(entryPort, untilMs, handle) {
  const threads = os.cpus().length;
  const runs = [];
  const totals = { completed: 0, failed: 0, loadMs: 0, firstError: undefined };
  while (performance.now() < untilMs && !handle.stopped) {
    const run = await runLoad(entryPort, threads, handle);
    if (runs.length < RUNS_KEPT_MAX) runs.push(run);
    if (run.error !== undefined) {
      totals.failed++;
      totals.firstError ??= run.error;
      await sleep(Math.min(LOAD_RESTART_PAUSE_MS, Math.max(0, untilMs - performance.now())));
      continue;
    }
    totals.loadMs += run.durationMs;
    if (!run.stoppedAtEnd) totals.completed++;
  }
  return summarizeLoad(runs, totals, threads);
}

/**
 * The load's figures: how long it ran without failing, its runs, and each
 * test's median rate over the runs that completed (redis-benchmark prints
 * rates only at the end of a run).
 */
export function summarizeLoad(runs, totals, threads) {
  const done = runs.filter((run) => run.setOpsPerSec !== undefined);
  return {
    command: `redis-benchmark --cluster -t ${SOAK_LOAD.tests} -n ${SOAK_LOAD.requestsPerRun} -c ${SOAK_LOAD.clients} -P ${SOAK_LOAD.pipeline} -r ${SOAK_LOAD.keyspace} --threads ${threads}`,
    threads,
    runsCompleted: totals.completed,
    runsFailed: totals.failed,
    loadMs: totals.loadMs,
    firstError: totals.firstError,
    setOpsPerSecMedian: median(done.map((run) => run.setOpsPerSec)),
    getOpsPerSecMedian: median(done.map((run) => run.getOpsPerSec)),
    notices: [...new Set(runs.flatMap((run) => run.notices ?? []))],
    runs,
  };
}

/** Commands the primaries processed (INFO stats total_commands_processed, summed), or undefined when one does not say. */
async function commandsProcessed(ports) {
  let total = 0;
  for (const port of ports) {
    const reply = await ask(port, "INFO", "stats");
    const count = typeof reply === "string" ? Number(parseInfo(reply).total_commands_processed) : NaN;
    if (!Number.isFinite(count)) return undefined;
    total += count;
  }
  return total;
}

// ------------------------------------------------------------ the observers

/** PINGs one node every PING_INTERVAL_MS until `untilMs`, never two at once; resolves with the round trips and failures. */
async function pingLoop(node, untilMs) {
  const result = { name: node.name, port: node.port, roundTripsMs: [], failed: 0, firstError: undefined };
  let client;
  try {
    client = await RespClient.connect(node.port);
  } catch (error) {
    return { ...result, failed: 1, firstError: `cannot connect: ${error.message}` };
  }
  try {
    let nextMs = performance.now();
    while (performance.now() < untilMs) {
      const sentMs = performance.now();
      try {
        const reply = await client.command("PING");
        if (reply !== "PONG") throw new Error(`PING replied ${reply?.message ?? JSON.stringify(reply)}`);
        result.roundTripsMs.push(performance.now() - sentMs);
      } catch (error) {
        // A connection that failed stays failed: the node is gone or refused us, and that is the finding.
        result.failed++;
        result.firstError ??= error.message;
        return result;
      }
      // A straight schedule, but no burst after a late reply: the next PING is never earlier than now.
      nextMs = Math.max(nextMs + PING_INTERVAL_MS, performance.now());
      await sleep(nextMs - performance.now());
    }
    return result;
  } finally {
    client.close();
  }
}

/** Reads each node's CLUSTER NODES every FLAGS_INTERVAL_MS until `untilMs`; counts PFAIL (fail?) and FAIL flags it shows. */
async function flagLoop(nodes, untilMs) {
  const result = { intervalMs: FLAGS_INTERVAL_MS, samples: 0, pfailSeen: 0, failSeen: 0, pairs: new Set(), observations: [], errors: 0 };
  const portToName = new Map(nodes.map((node) => [node.port, node.name]));
  const clients = await Promise.all(nodes.map((node) => RespClient.connect(node.port).catch(() => undefined)));
  try {
    while (performance.now() < untilMs) {
      const tickMs = performance.now();
      const replies = await Promise.all(clients.map((client) => client?.command("CLUSTER", "NODES").catch(() => undefined)));
      replies.forEach((reply, i) => recordFlags(result, typeof reply === "string" ? reply : undefined, nodes[i].name, portToName));
      await sleep(Math.max(0, tickMs + FLAGS_INTERVAL_MS - performance.now()));
    }
    const { pairs, ...counts } = result;
    return { ...counts, flaggedPairs: pairs.size };
  } finally {
    for (const client of clients) client?.close();
  }
}

function recordFlags(result, text, reporter, portToName) {
  if (text === undefined) {
    result.errors++;
    return;
  }
  result.samples++;
  for (const line of parseClusterNodes(text)) {
    const flag = line.flags.includes("fail?") ? "fail?" : line.flags.includes("fail") ? "fail" : undefined;
    if (flag === undefined) continue;
    if (flag === "fail?") result.pfailSeen++;
    else result.failSeen++;
    result.pairs.add(`${reporter} ${line.port} ${flag}`);
    if (result.observations.length < FLAG_OBSERVATIONS_KEPT_MAX) result.observations.push({ at: new Date().toISOString(), reporter, node: portToName.get(line.port) ?? line.id, flag });
  }
}

/** Every node's self view, by name; a node that does not answer is left out. */
async function selfViews(nodes) {
  const views = {};
  for (const node of nodes) {
    const [text, info] = [await ask(node.port, "CLUSTER", "NODES"), await ask(node.port, "CLUSTER", "INFO")];
    if (typeof text === "string" && typeof info === "string") views[node.name] = selfView(text, info);
  }
  return views;
}

/** The merged SHARDLINE EVENTS of every node since `sinceMs` (wall clock), through the launcher's gatherEvents. */
async function eventsSince(cluster, sinceMs) {
  const state = cluster.chaos.readRunState(cluster.runDirectory);
  if (state === undefined) return [];
  return (await cluster.chaos.gatherEvents(state)).filter((event) => event.atMs >= sinceMs);
}

// ------------------------------------------------------------ the phase

/** Runs the load and the observers for `durationMs` on a started cluster; resolves with what they saw. */
async function soak(cluster, durationMs) {
  const before = await selfViews(cluster.nodes);
  const startedWallMs = Date.now();
  const startedMs = performance.now();
  const commandsBefore = await commandsProcessed(cluster.primaryPorts);
  const cpuBefore = cpuTimes();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const untilMs = performance.now() + durationMs;
  const handle = { current: undefined, stopped: false };
  const loadDone = loadLoop(cluster.entryPort, untilMs, handle);
  const [pings, flags] = await Promise.all([Promise.all(cluster.nodes.map((node) => pingLoop(node, untilMs))), flagLoop(cluster.nodes, untilMs)]);
  // The observers ran to the deadline; the run still going is stopped there.
  handle.stopped = true;
  await handle.current?.stop();
  const load = await loadDone;
  loopDelay.disable();
  const cpuBusyShare = busyShare(cpuBefore, cpuTimes());
  const commandsAfter = await commandsProcessed(cluster.primaryPorts);
  const elapsedMs = performance.now() - startedMs;
  // What the primaries served, the last (stopped) run included; the bench's own PINGs and CLUSTER NODES are a few dozen a second of it.
  load.servedOpsPerSec = commandsBefore === undefined || commandsAfter === undefined ? undefined : (commandsAfter - commandsBefore) / (elapsedMs / 1000);
  const events = await eventsSince(cluster, startedWallMs);
  const after = await selfViews(cluster.nodes);
  return { startedAt: new Date(startedWallMs).toISOString(), before, after, load, pings, flags, events, cpuBusyShare, benchLoopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } };
}

/** The figures of the PINGs: per node (with the count of late ones), and the worst over all. */
function pingFigures(pings, nodeTimeoutMs) {
  const lateMs = LATE_PING_SHARE * nodeTimeoutMs;
  const lateCount = (samples) => samples.filter((sample) => sample > lateMs).length;
  const nodes = pings.map((ping) => ({ name: ping.name, port: ping.port, ...roundTripSummary(ping.roundTripsMs), late: lateCount(ping.roundTripsMs), failed: ping.failed, firstError: ping.firstError }));
  const all = { ...roundTripSummary(pings.flatMap((ping) => ping.roundTripsMs)), late: nodes.reduce((sum, node) => sum + node.late, 0) };
  const worst = nodes.reduce((best, node) => (node.max !== undefined && (best === undefined || node.max > best.max) ? node : best), undefined);
  return { intervalMs: PING_INTERVAL_MS, lateMs, nodes, all, worstMs: worst?.max, worstNode: worst?.name };
}

/**
 * Whether the soak met its goal: the load ran (LOAD_SHARE_MIN of the time), no node died, no failover
 * completed, and no role or config epoch changed. Not judged without load.
 */
export function soakVerdict(result) {
  if (result.error !== undefined) return { judged: false, reason: result.error };
  if (result.load.loadMs < LOAD_SHARE_MIN * result.durationMs) {
    return { judged: false, reason: `the load ran for only ${Math.round(result.load.loadMs / 1000)} s of ${Math.round(result.durationMs / 1000)} s (${result.load.firstError ?? "no error"})` };
  }
  const problems = [];
  if (result.deadNodes.length > 0) problems.push(`node(s) died: ${result.deadNodes.join(", ")}`);
  if (result.events.failoverCompleted > 0) problems.push(`${result.events.failoverCompleted} failover(s) completed`);
  if (result.changes.roles.length > 0) problems.push(`roles changed: ${result.changes.roles.join("; ")}`);
  if (result.changes.configEpochs.length > 0) problems.push(`config epochs changed: ${result.changes.configEpochs.join("; ")}`);
  return { judged: true, met: problems.length === 0, problems };
}

/**
 * The soak phase: the default shardline cluster (topology name bench-soak)
 * under full load for options.soakMs, observed as the top of this file
 * says, then stopped however the phase ends.
 */
export async function soakPhase(options, log) {
  const { DEFAULT_TOPOLOGY } = await import(pathToFileURL(CORE_DIST).href);
  const topology = { ...DEFAULT_TOPOLOGY, requireFullCoverage: false };
  const shape = clusterShape(topology);
  log(`soak: a shardline cluster under full load for ${formatDuration(options.soakMs)}, node timeout ${topology.nodeTimeoutMs} ms`);
  const result = { durationMs: options.soakMs, nodeTimeoutMs: topology.nodeTimeoutMs, shape, pingIntervalMs: PING_INTERVAL_MS, loadAverage1m: { start: os.loadavg()[0] }, leftoverPids: [], warnings: [] };
  let cluster;
  try {
    cluster = await startReadyCluster(() => startShardline(topology, "bench-soak", new Set(), log), shape, log);
    log(`  started ${describeCluster(cluster)} in ${cluster.readySeconds.toFixed(1)} s`);
    // Right after forming, a node can still flag a peer it has not heard from yet (fail?): the soak counts only what the load causes.
    const settleStartMs = performance.now();
    await waitHealthy(cluster, shape);
    result.settleMs = performance.now() - settleStartMs;
    log(`  every node's view healthy after ${(result.settleMs / 1000).toFixed(1)} s more; soaking until ${new Date(Date.now() + options.soakMs).toISOString()}`);
    const seen = await soak(cluster, options.soakMs);
    const eventList = seen.events;
    Object.assign(result, {
      startedAt: seen.startedAt,
      load: seen.load,
      cpuBusyShare: seen.cpuBusyShare,
      benchLoopDelayMs: seen.benchLoopDelayMs,
      ping: pingFigures(seen.pings, topology.nodeTimeoutMs),
      flags: seen.flags,
      events: { ...countEvents(eventList), list: eventList },
      before: seen.before,
      after: seen.after,
      changes: viewChanges(seen.before, seen.after),
      currentEpoch: { before: Math.max(...Object.values(seen.before).map((view) => view.currentEpoch)), after: Math.max(...Object.values(seen.after).map((view) => view.currentEpoch)) },
      deadNodes: cluster.deadNodes().map((node) => `${node.name} (port ${node.port}, pid ${node.pid}): ${cluster.nodeOutput(node).trim().slice(-200) || "no output"}`),
    });
  } catch (error) {
    result.error = cluster === undefined ? `could not start: ${error.message}` : error.message;
    log(`  soak: ${result.error}`);
  } finally {
    if (cluster !== undefined) result.leftoverPids.push(...(await stopAndVerify(cluster, result.warnings)));
  }
  result.loadAverage1m.end = os.loadavg()[0];
  result.verdict = soakVerdict(result);
  return result;
}
