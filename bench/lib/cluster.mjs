// Cluster throughput: `redis-benchmark --cluster -t set,get` against a real
// Redis Cluster and a shardline cluster of the same shape (the default
// topology: three shards, each one primary and two replicas), both started
// in this run on free ports that do not collide, measured alternately, and
// stopped however the run ends.
import { readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PIPELINE16_REQUEST_FACTOR } from "./options.mjs";
import { freePortRange, isRunningProcess, removeScratchDirectory, scratchDirectory, startServer, startTracked, trackGroup } from "./processes.mjs";
import { formatOps, formatRatio, sideRatio, summarizeSide } from "./report.mjs";
import { parseInfo, ReplyError } from "./resp-client.mjs";
import { withClient } from "./servers.mjs";
import { PIPELINES, runBenchmarkRows } from "./throughput.mjs";

/** The launcher API (`up`, `down`) and the default topology, loaded from the build when the phase runs. */
export const CHAOS_DIST = fileURLToPath(new URL("../../packages/chaos/dist/index.js", import.meta.url));
export const CORE_DIST = fileURLToPath(new URL("../../packages/core/dist/index.js", import.meta.url));

/**
 * One redis-benchmark run measures both: SET writes the key GET then reads,
 * as in the standalone GET test. The runs pass --threads (1 unless
 * --cluster-threads says otherwise): in cluster mode redis-benchmark 7.0
 * otherwise starts one thread per primary, and a thread whose clients are
 * done only stops at its next 250 ms progress tick, so every run's time
 * is rounded up to a multiple of 250 ms (80,000 ops/s is then all that
 * 20,000 requests can show). With one thread the run stops the moment its
 * last reply arrives, as in the standalone tests, which also use one.
 */
const CLUSTER_SELECT = "set,get";
export const CLUSTER_TESTS = [
  { name: "SET", row: "SET" },
  { name: "GET", row: "GET" },
];

/** Redis Cluster's own rule (cluster-port 0): bus port = client port + 10000. */
export const REDIS_BUS_PORT_OFFSET = 10_000;
/**
 * shardline's bus offset in the bench: small, so a range of client ports and
 * its bus ports fit below the ephemeral range next to the Redis cluster's.
 * validateTopology wants at least the node count.
 */
export const SHARDLINE_BUS_PORT_OFFSET = 1_000;
/** Bound on forming a cluster and seeing cluster_state:ok and the expected shape on every node. */
const CLUSTER_FORM_TIMEOUT_MS = 60_000;
/**
 * Bound on waiting for replicas' links to their primaries. Redis 7.0 delays
 * a diskless full sync by 5 s (repl-diskless-sync-delay) and the datasets
 * are empty, so its links are up within about 6 s; a cluster still waiting
 * after this long is measured anyway, with a note.
 */
const REPLICA_SYNC_TIMEOUT_MS = 15_000;
/** Tries at starting a cluster when another process took one of its ports between the check and the bind. */
const CLUSTER_START_ATTEMPTS = 3;
const POLL_MS = 100;
/** Output kept in an error message about a node that exited. */
const NODE_OUTPUT_TAIL_CHARS = 400;

/** Nodes, shards and replicas per shard of a topology. */
export function clusterShape(topology) {
  return { shards: topology.shards, replicasPerShard: topology.replicasPerShard, nodes: topology.shards * (topology.replicasPerShard + 1) };
}

export function describeShape(shape) {
  return `${shape.shards} shards x (1 primary + ${shape.replicasPerShard} replicas) = ${shape.nodes} nodes`;
}

/**
 * Parses CLUSTER NODES text into { id, port, busPort, flags, primaryId,
 * slots } per line (`<id> <ip:port@busport[,hostname]> <flags> <primary|->
 * <ping-sent> <pong-recv> <epoch> <link-state> <slot ranges...>`).
 */
export function parseClusterNodes(text) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => {
      const fields = line.split(" ");
      const address = /:(\d+)@(\d+)/.exec(fields[1] ?? "");
      return {
        id: fields[0],
        port: address ? Number(address[1]) : undefined,
        busPort: address ? Number(address[2]) : undefined,
        flags: (fields[2] ?? "").split(","),
        primaryId: fields[3] === "-" ? undefined : fields[3],
        slots: fields.slice(8),
      };
    });
}

const UNHEALTHY_FLAGS = ["fail", "fail?", "handshake", "noaddr"];

/**
 * Checks one node's CLUSTER NODES view against the shape: every node known
 * and healthy, `shards` primaries with slots, each with `replicasPerShard`
 * replicas. Returns { primaryPorts, replicaPorts } or { problem }.
 */
export function checkShape(lines, shape) {
  if (lines.length !== shape.nodes) return { problem: `it knows ${lines.length} nodes, not ${shape.nodes}` };
  const unhealthy = lines.find((line) => line.flags.some((flag) => UNHEALTHY_FLAGS.includes(flag)));
  if (unhealthy !== undefined) return { problem: `node ${unhealthy.port} has flags ${unhealthy.flags.join(",")}` };
  const primaries = lines.filter((line) => line.flags.includes("master") && line.slots.length > 0);
  if (primaries.length !== shape.shards) return { problem: `${primaries.length} primaries serve slots, not ${shape.shards}` };
  for (const primary of primaries) {
    const replicas = lines.filter((line) => line.primaryId === primary.id).length;
    if (replicas !== shape.replicasPerShard) return { problem: `primary ${primary.port} has ${replicas} replicas, not ${shape.replicasPerShard}` };
  }
  const primaryPorts = primaries.map((line) => line.port).sort((a, b) => a - b);
  const replicaPorts = lines.filter((line) => line.primaryId !== undefined).map((line) => line.port).sort((a, b) => a - b);
  return { primaryPorts, replicaPorts };
}

/** Sends one command to a node; a connection failure or a timeout comes back as a ReplyError value. */
export async function ask(port, ...args) {
  try {
    return await withClient(port, (client) => client.command(...args));
  } catch (error) {
    return new ReplyError(`port ${port}: ${error.message}`);
  }
}

/** Why the cluster is not ready yet (a sentence), or the primaries and replicas it has once it is. */
async function readiness(cluster, shape) {
  for (const node of cluster.nodes) {
    const info = await ask(node.port, "CLUSTER", "INFO");
    if (typeof info !== "string") return { problem: `CLUSTER INFO on ${node.port}: ${info?.message ?? JSON.stringify(info)}` };
    const state = parseInfo(info).cluster_state;
    if (state !== "ok") return { problem: `node ${node.port} reports cluster_state:${state}` };
  }
  const nodes = await ask(cluster.entryPort, "CLUSTER", "NODES");
  if (typeof nodes !== "string") return { problem: `CLUSTER NODES on ${cluster.entryPort}: ${nodes?.message ?? JSON.stringify(nodes)}` };
  const shapeCheck = checkShape(parseClusterNodes(nodes), shape);
  return shapeCheck.problem === undefined ? shapeCheck : { problem: `node ${cluster.entryPort}: ${shapeCheck.problem}` };
}

/** Waits until every node reports cluster_state:ok and the entry node sees the expected shape; records the primaries. */
async function waitUntilReady(cluster, shape) {
  const deadlineMs = Date.now() + CLUSTER_FORM_TIMEOUT_MS;
  for (;;) {
    const ready = await readiness(cluster, shape);
    if (ready.problem === undefined) {
      cluster.primaryPorts = ready.primaryPorts;
      cluster.replicaPorts = ready.replicaPorts;
      return;
    }
    const dead = cluster.deadNodes();
    if (dead.length > 0) throw new Error(`${cluster.name}: ${describeDead(cluster, dead)}`);
    if (Date.now() > deadlineMs) throw new Error(`${cluster.name} not ready within ${CLUSTER_FORM_TIMEOUT_MS / 1000} s: ${ready.problem}`);
    await sleep(POLL_MS);
  }
}

/**
 * Waits until every replica's link to its primary is up, so no full sync
 * runs during a measurement. A cluster whose replicas do not replicate at
 * all (INFO replication says role:master on every one) is not waited for:
 * the note says so, because its primaries then do less work per write than
 * Redis's. Returns { replicating, note? }.
 */
async function waitForReplication(cluster) {
  const deadlineMs = Date.now() + REPLICA_SYNC_TIMEOUT_MS;
  for (;;) {
    const replies = await Promise.all(cluster.replicaPorts.map((port) => ask(port, "INFO", "replication")));
    const states = replies.map((reply, i) => ({ port: cluster.replicaPorts[i], ...(typeof reply === "string" ? parseInfo(reply) : {}) }));
    const following = states.filter((state) => state.role === "slave");
    if (following.length === 0 && states.length > 0) {
      const sample = states[0];
      return { replicating: false, note: `its ${states.length} replicas do not replicate (INFO replication on ${sample.port} says role:${sample.role ?? "?"}): its primaries do no replication work` };
    }
    const down = states.filter((state) => state.master_link_status !== "up");
    if (down.length === 0) return { replicating: true };
    if (Date.now() > deadlineMs) {
      const connected = await connectedReplicas(cluster.primaryPorts);
      return {
        replicating: false,
        note: `${down.length} of ${states.length} replicas had no link to their primary after ${REPLICA_SYNC_TIMEOUT_MS / 1000} s (port ${down[0].port}: role:${down[0].role ?? "?"}, master_link_status:${down[0].master_link_status ?? "?"}) and its primaries count ${connected} connected replicas in all; measured anyway`,
      };
    }
    await sleep(POLL_MS * 5);
  }
}

/** The sum of connected_slaves over the primaries' INFO replication, or "?" when one does not say. */
async function connectedReplicas(primaryPorts) {
  let total = 0;
  for (const port of primaryPorts) {
    const reply = await ask(port, "INFO", "replication");
    const count = typeof reply === "string" ? Number(parseInfo(reply).connected_slaves) : NaN;
    if (!Number.isInteger(count)) return "?";
    total += count;
  }
  return total;
}

function describeDead(cluster, dead) {
  return dead.map((node) => `node ${node.name} (port ${node.port}, pid ${node.pid}) exited; last output: ${cluster.nodeOutput(node).trim().slice(-NODE_OUTPUT_TAIL_CHARS) || "none"}`).join("; ");
}

/** Ports a cluster takes (client and bus), so the other cluster of the run stays clear of them. */
function takenPorts(cluster) {
  return cluster.nodes.flatMap((node) => [node.port, node.busPort]);
}

/** Removes terminal colour codes (redis-cli --cluster colours its output). */
function plain(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

async function startRedisClusterNode(port, topology) {
  const directory = scratchDirectory("shardline-bench-redis-cluster-");
  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--save", "",
    "--appendonly", "no",
    "--dir", directory,
    "--cluster-enabled", "yes",
    "--cluster-config-file", path.join(directory, "nodes.conf"),
    // The same failure-detection settings as the shardline cluster's topology.
    "--cluster-node-timeout", String(topology.nodeTimeoutMs),
    "--cluster-require-full-coverage", topology.requireFullCoverage ? "yes" : "no",
  ];
  try {
    const server = await startServer("redis-server", "redis-server", args, port);
    return { name: `redis-${port}`, port, busPort: port + REDIS_BUS_PORT_OFFSET, pid: server.pid, server, directory };
  } catch (error) {
    removeScratchDirectory(directory);
    throw error;
  }
}

async function stopRedisNodes(nodes) {
  await Promise.all(
    nodes.map(async (node) => {
      await node.server.stop();
      removeScratchDirectory(node.directory);
    }),
  );
}

/** `redis-cli --cluster create ... --cluster-replicas R --cluster-yes`, bounded in time; throws with its output when it does not cover every slot. */
async function createRedisCluster(nodes, replicasPerShard) {
  const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
  const create = startTracked("redis-cli", ["--cluster", "create", ...addresses, "--cluster-replicas", String(replicasPerShard), "--cluster-yes"]);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void create.stop();
  }, CLUSTER_FORM_TIMEOUT_MS);
  const { code, signal, error } = await create.exited;
  clearTimeout(timer);
  const output = plain(create.output());
  if (error !== undefined) throw new Error(`cannot run redis-cli: ${error.message}`);
  if (timedOut) throw new Error(`redis-cli --cluster create did not finish within ${CLUSTER_FORM_TIMEOUT_MS / 1000} s: ${output.trim().split("\n").slice(-3).join(" | ")}`);
  if (code !== 0 || !output.includes("[OK] All 16384 slots covered.")) {
    throw new Error(`redis-cli --cluster create failed (exit ${code ?? signal}): ${output.trim().split("\n").slice(-3).join(" | ")}`);
  }
}

/**
 * Starts a real Redis Cluster of the topology's shape: one redis-server per
 * node with cluster mode on, its own scratch --dir and nodes file, no
 * persistence; then redis-cli --cluster create with the topology's replicas
 * per shard. The nodes are children of the bench, so stopAll() and the exit
 * handler stop them like any other server.
 */
export async function startRedisCluster(topology, avoid) {
  const shape = clusterShape(topology);
  const basePort = await freePortRange(shape.nodes, REDIS_BUS_PORT_OFFSET, avoid);
  const started = await Promise.allSettled(Array.from({ length: shape.nodes }, (_, i) => startRedisClusterNode(basePort + i, topology)));
  const nodes = started.filter((outcome) => outcome.status === "fulfilled").map((outcome) => outcome.value);
  const failed = started.find((outcome) => outcome.status === "rejected");
  if (failed !== undefined) {
    await stopRedisNodes(nodes);
    throw failed.reason;
  }
  const cluster = {
    kind: "redis",
    name: "redis cluster",
    nodes,
    entryPort: basePort,
    busPortOffset: REDIS_BUS_PORT_OFFSET,
    deadNodes: () => nodes.filter((node) => !node.server.isRunning()),
    nodeOutput: (node) => node.server.output(),
    stop: () => stopRedisNodes(nodes),
  };
  try {
    await createRedisCluster(nodes, topology.replicasPerShard);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** The last lines a shardline node wrote to its `.out` (stdout+stderr) and log files in the run directory. */
function shardlineNodeOutput(runDirectory, name) {
  const tail = (file) => {
    try {
      return readFileSync(path.join(runDirectory, file), "utf8").slice(-NODE_OUTPUT_TAIL_CHARS);
    } catch {
      return "";
    }
  };
  return `${tail(`${name}.out`)}${tail(`${name}.log`)}`;
}

/**
 * Starts a shardline cluster of the same topology with the launcher API
 * (`up` from @shardline/chaos, as `shardline up` does) in a scratch run
 * directory. Its nodes run detached from the bench, so the cluster is
 * tracked as a group: stopAll() and Ctrl-C call the launcher's `down`, and
 * the exit handler SIGKILLs the pids in the run state. `topologyName`
 * names its nodes (`<name>-0001-001`...); a node can be restarted with
 * `restartNode` (the failover phase does).
 */
export async function startShardlineCluster(defaultTopology, avoid, log, topologyName = "bench") {
  const chaos = await import(pathToFileURL(CHAOS_DIST).href);
  const shape = clusterShape(defaultTopology);
  const basePort = await freePortRange(shape.nodes, SHARDLINE_BUS_PORT_OFFSET, avoid);
  const topology = { ...defaultTopology, availabilityZones: [...defaultTopology.availabilityZones], nodeConfig: { ...defaultTopology.nodeConfig }, name: topologyName, basePort, busPortOffset: SHARDLINE_BUS_PORT_OFFSET };
  const runDirectory = scratchDirectory("shardline-bench-cluster-");
  const quiet = () => {};
  const forget = trackGroup({
    name: "the shardline cluster",
    stop: () => chaos.down(runDirectory, quiet),
    killNow: () => {
      for (const node of chaos.readRunState(runDirectory)?.nodes ?? []) {
        if (chaos.isNodeProcess(node.pid)) process.kill(node.pid, "SIGKILL");
      }
    },
  });
  let state;
  try {
    state = await chaos.up(topology, { runDirectory, timeoutMs: CLUSTER_FORM_TIMEOUT_MS, log: (line) => log(`    shardline launcher: ${line}`) });
  } catch (error) {
    // up() stops what it started before it throws.
    forget();
    removeScratchDirectory(runDirectory);
    throw error;
  }
  const nodes = state.nodes.map((node) => ({ name: node.name, port: node.port, busPort: node.busPort, pid: node.pid, availabilityZone: node.availabilityZone }));
  return {
    kind: "shardline",
    name: "shardline cluster",
    nodes,
    entryPort: basePort,
    busPortOffset: SHARDLINE_BUS_PORT_OFFSET,
    nodeTimeoutMs: topology.nodeTimeoutMs,
    runDirectory,
    chaos,
    isAlive: (node) => chaos.isNodeProcess(node.pid),
    deadNodes: () => nodes.filter((node) => !chaos.isNodeProcess(node.pid)),
    // Read before stop(), which removes the run directory with the logs.
    nodeOutput: (node) => shardlineNodeOutput(runDirectory, node.name),
    /** Starts a node again with its identity (the launcher's restartNode needs the run directory). */
    restartNode: async (node, timeoutMs) => {
      node.pid = (await chaos.restartNode(runDirectory, node.name, timeoutMs)).pid;
    },
    stop: async () => {
      await chaos.down(runDirectory, quiet);
      forget();
      removeScratchDirectory(runDirectory);
    },
  };
}

/** A start-up that lost a race for a port (another process bound it after freePortRange looked) is worth another range. */
function lostPortRace(error) {
  return /already in use/i.test(`${error.message}\n${error.output ?? ""}`);
}

/** Starts a cluster, retrying on a port race, then waits for it to be ready; stops it if it never is. */
export async function startReadyCluster(start, shape, log) {
  const startedMs = performance.now();
  let cluster;
  for (let attempt = 1; cluster === undefined; attempt++) {
    try {
      cluster = await start();
    } catch (error) {
      if (attempt >= CLUSTER_START_ATTEMPTS || !lostPortRace(error)) throw error;
      log(`  a port was taken while the cluster started (${error.message.split("\n")[0]}); trying another range`);
    }
  }
  try {
    await waitUntilReady(cluster, shape);
    Object.assign(cluster, await waitForReplication(cluster));
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  cluster.readySeconds = (performance.now() - startedMs) / 1000;
  return cluster;
}

/** "redis cluster: 9 nodes on ports 18100-18108 (bus +10000), pids 1,2,...": printed so a user can find the processes of a run. */
export function describeCluster(cluster) {
  const ports = cluster.nodes.map((node) => node.port);
  return `${cluster.name}: ${cluster.nodes.length} nodes on ports ${Math.min(...ports)}-${Math.max(...ports)} (bus +${cluster.busPortOffset}), pids ${cluster.nodes.map((node) => node.pid).join(",")}`;
}

/**
 * Before each run: FLUSHALL on every primary (replicas refuse writes), so
 * each run starts from an empty keyspace, and a look at who the primaries
 * are: a failover during the bench changes what is measured, so it becomes
 * a warning.
 */
async function prepareRun(cluster, context) {
  const nodes = await ask(cluster.entryPort, "CLUSTER", "NODES");
  const lines = typeof nodes === "string" ? parseClusterNodes(nodes) : [];
  const primaryPorts = lines.filter((line) => line.flags.includes("master") && line.slots.length > 0).map((line) => line.port).sort((a, b) => a - b);
  if (primaryPorts.join(",") !== cluster.primaryPorts.join(",") && !context.warned.has(`${cluster.kind} primaries`)) {
    context.warned.add(`${cluster.kind} primaries`);
    const now = typeof nodes === "string" ? primaryPorts.join(",") : `unknown (${nodes?.message})`;
    context.warnings.push(`the ${cluster.name}'s primaries changed during the bench (ports ${cluster.primaryPorts.join(",")}, then ${now}): a failover happened, and later runs measured a different cluster`);
  }
  for (const port of primaryPorts) {
    const reply = await ask(port, "FLUSHALL");
    if (reply instanceof ReplyError && !context.warned.has(`${cluster.kind} flush`)) {
      context.warned.add(`${cluster.kind} flush`);
      context.warnings.push(`FLUSHALL failed on the ${cluster.name}'s primary ${port} (${reply.message.trim()}): data from earlier runs stays there`);
    }
  }
}

/** Requests of one cluster run per test: the P1 base, scaled up for pipelining as in the standalone tests. */
export function clusterRequestsFor(baseRequests, pipeline) {
  return baseRequests * (pipeline === 1 ? 1 : PIPELINE16_REQUEST_FACTOR);
}

/** One redis-benchmark run on one cluster; records samples or errors per test and marks the cluster broken if a node died. */
async function runOnCluster(cluster, pipeline, requests, options, context, side) {
  if (cluster.broken !== undefined) {
    for (const test of CLUSTER_TESTS) side.errors[test.name] ??= cluster.broken;
    return;
  }
  await prepareRun(cluster, context);
  const result = await runBenchmarkRows({ port: cluster.entryPort, select: CLUSTER_SELECT, testCount: CLUSTER_TESTS.length, pipeline, requests, clients: options.clients, keyspace: options.keyspace, cluster: true, threads: options.clusterThreads });
  for (const notice of result.notices) context.notices.push(`${cluster.name} P${pipeline}: ${notice}`);
  const dead = cluster.deadNodes();
  if (dead.length > 0) {
    cluster.broken = `${describeDead(cluster, dead)}${result.error ? ` (redis-benchmark: ${result.error})` : ""}`;
  }
  for (const test of CLUSTER_TESTS) {
    if (side.errors[test.name] !== undefined) continue;
    const row = result.rows[test.row];
    if (cluster.broken !== undefined) side.errors[test.name] = cluster.broken;
    else if (row !== undefined) side.samples[test.name].push(row.rps);
    else side.errors[test.name] = result.error ?? `redis-benchmark printed no "${test.row}" row: ${result.lastLine}`;
  }
}

/**
 * Measures SET and GET at one pipeline on both clusters, `repeat` times,
 * alternating which cluster goes first. A cluster that errs on every test
 * is not run again at this pipeline; one that lost a node is not run again
 * at all, and its rows say which node died.
 */
async function measurePipeline(clusters, pipeline, options, context) {
  const requests = clusterRequestsFor(options.requests, pipeline);
  const sides = {};
  for (const kind of ["redis", "shardline"]) {
    sides[kind] = { samples: Object.fromEntries(CLUSTER_TESTS.map((test) => [test.name, []])), errors: {} };
    if (clusters[kind] === undefined) for (const test of CLUSTER_TESTS) sides[kind].errors[test.name] = context.startErrors[kind];
  }
  for (let repetition = 0; repetition < options.repeat; repetition++) {
    const order = (repetition + context.runIndex) % 2 === 0 ? ["redis", "shardline"] : ["shardline", "redis"];
    for (const kind of order) {
      if (CLUSTER_TESTS.every((test) => sides[kind].errors[test.name] !== undefined)) continue;
      await runOnCluster(clusters[kind], pipeline, requests, options, context, sides[kind]);
    }
  }
  context.runIndex++;
  return CLUSTER_TESTS.map((test) => {
    const redis = summarizeSide(sides.redis.samples[test.name], sides.redis.errors[test.name]);
    const shardline = summarizeSide(sides.shardline.samples[test.name], sides.shardline.errors[test.name]);
    return { test: test.name, pipeline, requests, clients: options.clients, redis, shardline, ratio: sideRatio(redis, shardline) };
  });
}

/** One unrecorded run per cluster, so every shardline primary's JIT is warm before the first measured run. */
async function warmUp(clusters, options) {
  for (const cluster of Object.values(clusters).filter((candidate) => candidate !== undefined)) {
    await runBenchmarkRows({ port: cluster.entryPort, select: CLUSTER_SELECT, testCount: CLUSTER_TESTS.length, pipeline: 16, requests: options.requests, clients: options.clients, cluster: true, threads: options.clusterThreads });
  }
}

/** What the JSON keeps about a cluster: where it ran and how it was. */
function clusterFacts(cluster, startError) {
  if (cluster === undefined) return { error: startError };
  const { name, nodes, entryPort, busPortOffset, primaryPorts, replicating, note, readySeconds } = cluster;
  return { name, entryPort, busPortOffset, primaryPorts, replicating, replicationNote: note, readySeconds, nodes: nodes.map(({ name: nodeName, port, busPort, pid, availabilityZone }) => ({ name: nodeName, port, busPort, pid, availabilityZone })) };
}

/** Stops a cluster and checks that none of its processes outlived the stop; kills and reports any that did. */
export async function stopAndVerify(cluster, warnings) {
  try {
    await cluster.stop();
  } catch (error) {
    warnings.push(`stopping the ${cluster.name} failed: ${error.message}`);
  }
  const left = cluster.nodes.filter((node) => isRunningProcess(node.pid));
  for (const node of left) process.kill(node.pid, "SIGKILL");
  if (left.length > 0) warnings.push(`${left.length} ${cluster.name} process(es) were still running after it was stopped (pids ${left.map((node) => node.pid).join(",")}); killed them with SIGKILL`);
  return left.map((node) => node.pid);
}

/**
 * The cluster phase: starts a real Redis Cluster and a shardline cluster of
 * the default topology's shape, runs `redis-benchmark --cluster -t set,get`
 * at pipeline 1 and 16 against each, and stops both. A cluster that does
 * not start is reported in its rows; the other is measured anyway.
 */
export async function clusterPhase(options, log) {
  const { DEFAULT_TOPOLOGY } = await import(pathToFileURL(CORE_DIST).href);
  const shape = clusterShape(DEFAULT_TOPOLOGY);
  log(`cluster: a Redis Cluster and a shardline cluster, ${describeShape(shape)} each, redis-benchmark --cluster -t ${CLUSTER_SELECT}`);
  const context = { runIndex: 0, warnings: [], notices: [], warned: new Set(), startErrors: {} };
  const clusters = {};
  const starters = {
    redis: (avoid) => startRedisCluster(DEFAULT_TOPOLOGY, avoid),
    shardline: (avoid) => startShardlineCluster(DEFAULT_TOPOLOGY, avoid, log),
  };
  const rows = [];
  const leftoverPids = [];
  try {
    const avoid = new Set();
    for (const kind of ["redis", "shardline"]) {
      try {
        clusters[kind] = await startReadyCluster(() => starters[kind](avoid), shape, log);
        for (const port of takenPorts(clusters[kind])) avoid.add(port);
        log(`  started ${describeCluster(clusters[kind])} in ${clusters[kind].readySeconds.toFixed(1)} s`);
        if (clusters[kind].note !== undefined) log(`  note: the ${clusters[kind].name}: ${clusters[kind].note}`);
      } catch (error) {
        context.startErrors[kind] = `could not start: ${error.message}`;
        log(`  ${kind} cluster ${context.startErrors[kind]}`);
      }
    }
    if (clusters.redis !== undefined || clusters.shardline !== undefined) {
      await warmUp(clusters, options);
      for (const pipeline of PIPELINES) {
        const measured = await measurePipeline(clusters, pipeline, options, context);
        rows.push(...measured);
        for (const row of measured) log(clusterProgressLine(row, options.repeat));
      }
    }
  } finally {
    for (const cluster of Object.values(clusters)) leftoverPids.push(...(await stopAndVerify(cluster, context.warnings)));
  }
  const order = (row) => CLUSTER_TESTS.findIndex((test) => test.name === row.test) * PIPELINES.length + PIPELINES.indexOf(row.pipeline);
  return {
    shape,
    nodeTimeoutMs: DEFAULT_TOPOLOGY.nodeTimeoutMs,
    requireFullCoverage: DEFAULT_TOPOLOGY.requireFullCoverage,
    redis: clusterFacts(clusters.redis, context.startErrors.redis),
    shardline: clusterFacts(clusters.shardline, context.startErrors.shardline),
    rows: rows.sort((a, b) => order(a) - order(b)),
    notices: context.notices,
    leftoverPids,
    warnings: context.warnings,
  };
}

function clusterProgressLine(row, repeat) {
  const side = (summary) => (summary.error !== undefined ? `error: ${summary.error}` : `${formatOps(summary.medianOpsPerSec)} ops/s`);
  const ratio = row.ratio === undefined ? "" : ` (${formatRatio(row.ratio)})`;
  return `  cluster ${row.test} P${row.pipeline} x${repeat}, ${row.requests} requests: redis cluster ${side(row.redis)}, shardline cluster ${side(row.shardline)}${ratio}`;
}
