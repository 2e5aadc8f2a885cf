// The failover phase: how long after `kill -9` of a shard's primary a
// cluster-aware client's writes to that shard succeed again, which replica
// takes over, what acknowledged writes are lost, and how the killed node
// comes back; for shardline and for real Redis Clusters measured the same
// way in the same run.
//
// Three sides, one after the other (never side by side: each is the only
// cluster on the machine while it is measured), each the default topology's
// shape (three shards of a primary and two replicas, nine nodes) with
// cluster-require-full-coverage no, as ElastiCache runs:
// - shardline at its default node timeout (1000 ms), started with the
//   launcher API as `shardline up` does;
// - a real Redis Cluster with cluster-node-timeout 1000 (shardline's
//   setting);
// - a real Redis Cluster with cluster-node-timeout 5000 (a common setting;
//   Redis's own default is 15000).
//
// Each trial, on a cluster that is up with every replica in sync:
// 1. an ioredis Cluster client writes to keys of ONE shard, one write after
//    another (`{tag}:t<trial>:<n>`, a tag whose slot that shard serves):
//    every WAIT_EVERY-th write is a pipeline SET + WAIT 1 200, the others a
//    plain SET;
// 2. after WRITES_BEFORE_KILL_MS it reads every replica's replication offset
//    of the shard (INFO replication, while the writes go on) and, in the
//    same event-loop turn as the last reply, kills the shard's primary with
//    SIGKILL;
// 3. the time from the kill to the reply of the first write sent after it
//    that succeeded is "writes resume"; writing goes on for
//    WRITES_AFTER_RESUME_MS more, then stops;
// 4. the replica that answers ROLE with "master" is the promoted one; its
//    offset at the kill is compared with the other's;
// 5. every acknowledged write is read back: those not there are lost;
// 6. FLUSHALL on the primaries (so every trial's rejoin syncs the same empty
//    dataset), then the killed node is started again with its own nodes
//    file (shardline: restartNode; Redis: the same redis-server command
//    line), and the time until ROLE says it is a replica of the new primary,
//    and until that link is connected, is its rejoin;
// 7. the cluster must be healthy again (every node cluster_state:ok, three
//    primaries of two replicas each in every node's view, every replica's
//    link up) before the next trial.
// Trials rotate over the shards (trial i kills shard i mod 3's current
// primary), so each original primary dies once before a promoted replica
// is killed in turn.
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import IORedis from "ioredis";
import { ask, checkShape, CORE_DIST, describeCluster, describeShape, parseClusterNodes, clusterShape, startReadyCluster, startRedisCluster, startShardlineCluster, stopAndVerify } from "./cluster.mjs";
import { startServer } from "./processes.mjs";
import { percentile } from "./replication.mjs";
import { median } from "./report.mjs";
import { parseInfo, ReplyError } from "./resp-client.mjs";

const { Cluster } = IORedis;

/** The sides, by the names --failover-sides takes. */
export const SIDE_SETTINGS = {
  shardline: { kind: "shardline", name: "shardline", nodeTimeoutMs: undefined },
  "redis-1000": { kind: "redis", name: "redis cluster", nodeTimeoutMs: 1000 },
  "redis-5000": { kind: "redis", name: "redis cluster", nodeTimeoutMs: 5000 },
};

/** Every WAIT_EVERY-th write carries WAIT WAIT_REPLICAS WAIT_TIMEOUT_MS in its pipeline. */
export const WAIT_EVERY = 10;
export const WAIT_REPLICAS = 1;
export const WAIT_TIMEOUT_MS = 200;
/**
 * The one ioredis option the bench changes (redisOptions.commandTimeout).
 * ioredis's own retries already end a write that meets closed connections,
 * MOVED or CLUSTERDOWN: 16 redirections 100 ms apart, about 1-2 s. What
 * they do not end is a write sent on a connection whose node neither
 * answers nor closes it (a frozen or cut-off node): with the defaults it
 * waits forever. kill -9 closes the killed node's connections at once, so
 * this should never fire; it is there so a trial cannot hang. It must stay
 * above ioredis's retry cycle, because the timer covers a command's retries
 * too: at 1000 ms it ended the write in flight at the kill before ioredis
 * did (which took 1.1-1.7 s), and the client was no longer ioredis's
 * defaults. Writes it ends are counted by their error ("Command timed out").
 */
export const COMMAND_TIMEOUT_MS = 5000;
/** Writes before the kill: enough for the replicas to be streaming, and acknowledged writes to check. */
export const WRITES_BEFORE_KILL_MS = 1000;
/** Bound on writes resuming after the kill; a trial past it records that they did not. */
export const RESUME_TIMEOUT_MS = 30_000;
/** Writes after the first that succeeded: do they keep succeeding, and more acknowledged writes to check. */
export const WRITES_AFTER_RESUME_MS = 1000;
/** Bound on the killed node rejoining as a replica of the new primary, link connected. */
export const REJOIN_TIMEOUT_MS = 60_000;
/** Bound on one write's promise settling at all: past it the client is stuck, and the trial stops. */
const WRITE_STUCK_MS = 10_000;
/** Bound on the writes of one trial (each acknowledged one is kept, to be read back). */
const WRITES_PER_TRIAL_MAX = 1_000_000;
/** Failed writes of a trial kept with their times (the first ones; all are counted by error). */
const FAILURES_KEPT_MAX = 20;
/** Keys read back per pipeline. */
const READ_BATCH_KEYS = 1000;
/** When the replicas' offsets are read again after the kill: after the last bytes the primary sent are applied, long before any failover. */
const OFFSETS_SETTLE_MS = 100;
/** Bound on one of the shard's replicas saying ROLE master after writes resumed. */
const PROMOTION_TIMEOUT_MS = 10_000;
/** Bound on the cluster being healthy again after a trial, and before the first. */
const HEALTHY_TIMEOUT_MS = 60_000;
/** Bound on the ioredis client's first slot map. */
const CLIENT_READY_TIMEOUT_MS = 10_000;
/** Bound on a killed node's process being gone before its restart. */
const EXIT_TIMEOUT_MS = 10_000;
/** Bound on a restarted node answering PING (it loads its nodes file). */
const RESTART_TIMEOUT_MS = 15_000;
/** Tags tried to find one per shard (each hashes to a slot of a random shard: a few are enough). */
const TAG_CANDIDATES_MAX = 10_000;
/** Distinct client error messages counted per trial; others are counted together. */
const ERROR_KINDS_MAX = 10;
const POLL_MS = 20;

// ------------------------------------------------------------ pure helpers

/** Slot ranges of a CLUSTER NODES line's slot fields ("0-5460", "5461", "[93->-id]" skipped: a migration). */
export function parseSlotRanges(fields) {
  const ranges = [];
  for (const field of fields) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(field);
    if (match !== null) ranges.push([Number(match[1]), Number(match[2] ?? match[1])]);
  }
  return ranges;
}

export function slotInRanges(slot, ranges) {
  return ranges.some(([first, last]) => slot >= first && slot <= last);
}

/**
 * The shards of a CLUSTER NODES view: each primary that serves slots, its
 * replicas, and a key that names the shard whoever is its primary (its slot
 * ranges, as failovers never move slots between shards). In slot order.
 */
export function shardsOf(lines) {
  return lines
    .filter((line) => line.flags.includes("master") && line.slots.length > 0)
    .map((primary) => {
      const ranges = parseSlotRanges(primary.slots);
      return { key: ranges.map(([first, last]) => (first === last ? `${first}` : `${first}-${last}`)).join(","), ranges, primary, replicas: lines.filter((line) => line.primaryId === primary.id) };
    })
    .sort((a, b) => a.ranges[0][0] - b.ranges[0][0]);
}

/**
 * What a ROLE reply says about following `primaryPort`: "connected" (a
 * replica of it, link up), "following" (a replica of it, link not up yet),
 * or undefined (anything else).
 */
export function followState(role, primaryPort) {
  if (!Array.isArray(role) || role[0] !== "slave" || Number(role[2]) !== primaryPort) return undefined;
  return role[3] === "connected" ? "connected" : "following";
}

/** An error message as a kind to count: numbers (ports, slots, counts) taken out, bounded in length. */
export function errorKind(message) {
  return String(message).replace(/\d+/g, "N").slice(0, 120);
}

function countError(errors, message) {
  const kind = errorKind(message);
  if (errors.has(kind) || errors.size < ERROR_KINDS_MAX) errors.set(kind, (errors.get(kind) ?? 0) + 1);
  else errors.set("(other errors)", (errors.get("(other errors)") ?? 0) + 1);
}

function sum(values) {
  return values.reduce((total, value) => total + value, 0);
}

/** Lost and acknowledged writes of one category over trials. */
function sumWrites(trials, category) {
  const counted = trials.filter((trial) => trial.writes?.[category] !== undefined);
  return { acknowledged: sum(counted.map((trial) => trial.writes[category].acknowledged)), lost: sum(counted.map((trial) => trial.writes[category].lost)) };
}

/**
 * One side's figures over its trials: writes-resume time (median, p90 and
 * max over the trials where writes resumed), how many promotions took the
 * replica with the largest offset at the kill (ties count: both had it),
 * lost writes per category, and the rejoin times' medians.
 */
export function summarizeTrials(trials) {
  const resumed = trials.filter((trial) => trial.resumeMs !== undefined).map((trial) => trial.resumeMs);
  const sorted = Float64Array.from(resumed).sort();
  const promoted = trials.filter((trial) => trial.promoted !== undefined);
  const rejoined = trials.filter((trial) => trial.rejoin?.linkUpMs !== undefined);
  return {
    trials: trials.length,
    resumed: resumed.length,
    resumeMs: { median: median(resumed), p90: percentile(sorted, 90), max: sorted.length === 0 ? undefined : sorted[sorted.length - 1] },
    promotions: promoted.length,
    promotedLargestOffset: promoted.filter((trial) => trial.promotedLargestOffset).length,
    offsetTies: promoted.filter((trial) => trial.offsetTie).length,
    plain: sumWrites(trials, "plain"),
    wait: sumWrites(trials, "wait"),
    waitUnconfirmed: sumWrites(trials, "waitUnconfirmed"),
    rejoined: rejoined.length,
    rejoinMs: {
      roleMedian: median(trials.filter((trial) => trial.rejoin?.roleMs !== undefined).map((trial) => trial.rejoin.roleMs)),
      linkUpMedian: median(rejoined.map((trial) => trial.rejoin.linkUpMs)),
    },
  };
}

// ------------------------------------------------------------ the clusters

/** The shardline side: cluster.mjs's cluster, whose nodes restart with the launcher's restartNode. */
export async function startShardline(defaultTopology, topologyName, avoid, log) {
  const cluster = await startShardlineCluster(defaultTopology, avoid, log, topologyName);
  return { ...cluster, restartNode: (node) => cluster.restartNode(node, RESTART_TIMEOUT_MS) };
}

async function startRedis(topology, avoid) {
  const cluster = await startRedisCluster(topology, avoid);
  cluster.nodeTimeoutMs = topology.nodeTimeoutMs;
  cluster.isAlive = (node) => node.server.isRunning();
  cluster.restartNode = async (node) => {
    const args = node.server.child.spawnargs.slice(1);
    const server = await startServer("redis-server", "redis-server", args, node.port);
    node.server = server;
    node.pid = server.pid;
  };
  return cluster;
}

async function waitUntilGone(cluster, node) {
  const deadlineMs = Date.now() + EXIT_TIMEOUT_MS;
  while (cluster.isAlive(node)) {
    if (Date.now() > deadlineMs) throw new Error(`${node.name} (pid ${node.pid}) still runs ${EXIT_TIMEOUT_MS / 1000} s after SIGKILL`);
    await sleep(POLL_MS);
  }
  // A Redis node's port is free once its process is reaped; the tracked child's exit says so.
  if (node.server !== undefined) await node.server.exited;
}

/** Why the cluster is not healthy (a sentence), or its shards as every node agrees on them. */
async function health(cluster, shape) {
  let agreed;
  for (const node of cluster.nodes) {
    const info = await ask(node.port, "CLUSTER", "INFO");
    if (typeof info !== "string") return { problem: `CLUSTER INFO on ${node.port}: ${info?.message ?? JSON.stringify(info)}` };
    const state = parseInfo(info).cluster_state;
    if (state !== "ok") return { problem: `node ${node.port} reports cluster_state:${state}` };
    const text = await ask(node.port, "CLUSTER", "NODES");
    if (typeof text !== "string") return { problem: `CLUSTER NODES on ${node.port}: ${text?.message ?? JSON.stringify(text)}` };
    const lines = parseClusterNodes(text);
    const check = checkShape(lines, shape);
    if (check.problem !== undefined) return { problem: `node ${node.port}: ${check.problem}` };
    if (agreed === undefined) agreed = { lines, check };
    else if (check.primaryPorts.join(",") !== agreed.check.primaryPorts.join(",")) return { problem: `node ${node.port} sees primaries ${check.primaryPorts.join(",")}, node ${cluster.nodes[0].port} ${agreed.check.primaryPorts.join(",")}` };
  }
  for (const port of agreed.check.replicaPorts) {
    const reply = await ask(port, "INFO", "replication");
    const link = typeof reply === "string" ? parseInfo(reply).master_link_status : undefined;
    if (link !== "up") return { problem: `replica ${port}: master_link_status:${link ?? reply?.message}` };
  }
  return { shards: shardsOf(agreed.lines) };
}

/** Waits until the cluster is healthy (see health()); resolves with its shards, or throws with what was still wrong. */
export async function waitHealthy(cluster, shape) {
  const deadlineMs = Date.now() + HEALTHY_TIMEOUT_MS;
  for (;;) {
    const result = await health(cluster, shape);
    if (result.problem === undefined) return result.shards;
    if (Date.now() > deadlineMs) throw new Error(`the ${cluster.name} was not healthy within ${HEALTHY_TIMEOUT_MS / 1000} s: ${result.problem}`);
    await sleep(POLL_MS * 5);
  }
}

/** One hash tag per shard: a tag whose slot (CLUSTER KEYSLOT, asked of the cluster itself) the shard serves. */
async function tagsPerShard(cluster, shards) {
  const tags = new Map();
  for (let i = 0; i < TAG_CANDIDATES_MAX && tags.size < shards.length; i++) {
    const tag = `failover-${i}`;
    const slot = await ask(cluster.entryPort, "CLUSTER", "KEYSLOT", tag);
    if (typeof slot !== "number") throw new Error(`CLUSTER KEYSLOT ${tag} on ${cluster.entryPort} replied ${slot?.message ?? JSON.stringify(slot)}`);
    const shard = shards.find((candidate) => slotInRanges(slot, candidate.ranges));
    if (shard !== undefined && !tags.has(shard.key)) tags.set(shard.key, tag);
  }
  if (tags.size < shards.length) throw new Error(`no hash tag found for every shard after ${TAG_CANDIDATES_MAX} tries`);
  return tags;
}

// ------------------------------------------------------------ one trial

async function connectClient(cluster) {
  const startupNodes = cluster.nodes.map((node) => ({ host: "127.0.0.1", port: node.port }));
  const client = new Cluster(startupNodes, { redisOptions: { commandTimeout: COMMAND_TIMEOUT_MS } });
  // Connection errors during a failover are expected; the writes' outcomes say what the client saw.
  client.on("error", () => {});
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ioredis client was not ready within ${CLIENT_READY_TIMEOUT_MS / 1000} s`)), CLIENT_READY_TIMEOUT_MS);
    client.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  try {
    await ready;
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

/** One write: { acknowledged, replicas? } or { error }; never throws, and settles within WRITE_STUCK_MS (else { stuck }). */
async function writeOnce(client, key, value, withWait) {
  const attempt = withWait
    ? client.pipeline().set(key, value).call("WAIT", String(WAIT_REPLICAS), String(WAIT_TIMEOUT_MS)).exec().then((results) => {
        const [[setError, setReply], [waitError, replicas]] = results;
        if (setError !== null || setReply !== "OK") return { error: setError?.message ?? `SET replied ${JSON.stringify(setReply)}` };
        return { acknowledged: true, replicas: waitError === null ? Number(replicas) : 0 };
      })
    : client.set(key, value).then((reply) => (reply === "OK" ? { acknowledged: true } : { error: `SET replied ${JSON.stringify(reply)}` }));
  let timer;
  const stuck = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ stuck: true }), WRITE_STUCK_MS);
  });
  try {
    return await Promise.race([attempt.catch((error) => ({ error: error.message })), stuck]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Writes `{tag}:t<trial>:<n>` = n one after another until stopped, keeping
 * each acknowledged write's n by category (plain SET; WAIT that counted a
 * replica; WAIT that counted none) and the time writes resumed after
 * `killedAtMs` is set: the reply of the first successful write sent after it.
 */
function startWriter(client, tag, trialNumber) {
  const state = { stop: false, killedAtMs: undefined, resumedAtMs: undefined, attempted: 0, failed: 0, failures: [], stuck: false, plain: [], wait: [], waitUnconfirmed: [], errors: new Map(), lastError: undefined };
  const done = (async () => {
    for (let n = 0; !state.stop && n < WRITES_PER_TRIAL_MAX; n++) {
      const withWait = n % WAIT_EVERY === 0;
      const sentMs = performance.now();
      const outcome = await writeOnce(client, keyOf(tag, trialNumber, n), String(n), withWait);
      state.attempted++;
      if (outcome.stuck) {
        state.stuck = true;
        return;
      }
      if (!outcome.acknowledged) {
        state.failed++;
        state.lastError = outcome.error;
        countError(state.errors, outcome.error);
        if (state.failures.length < FAILURES_KEPT_MAX) state.failures.push(failureRecord(state, sentMs, outcome.error));
        continue;
      }
      if (!withWait) state.plain.push(n);
      else if (outcome.replicas >= WAIT_REPLICAS) state.wait.push(n);
      else state.waitUnconfirmed.push(n);
      if (state.killedAtMs !== undefined && state.resumedAtMs === undefined && sentMs > state.killedAtMs) state.resumedAtMs = performance.now();
    }
  })();
  return { state, done };
}

/** A failed write as the trial keeps it: when it was sent relative to the kill, how long it took, and why it failed. */
function failureRecord(state, sentMs, error) {
  const nowMs = performance.now();
  return { sentAfterKillMs: state.killedAtMs === undefined ? undefined : Math.round(sentMs - state.killedAtMs), tookMs: Math.round(nowMs - sentMs), error };
}

function keyOf(tag, trialNumber, n) {
  return `{${tag}}:t${trialNumber}:${n}`;
}

function acknowledgedCount(state) {
  return state.plain.length + state.wait.length + state.waitUnconfirmed.length;
}

/** Waits until writes resumed, the writer stopped on its own, or the deadline passed. */
async function waitForResume(writer, deadlineMs) {
  let finished = false;
  void writer.done.then(() => (finished = true));
  while (writer.state.resumedAtMs === undefined && !finished && performance.now() < deadlineMs) await sleep(POLL_MS);
}

/** A numeric INFO field, or undefined when the reply is an error or lacks it. */
function infoNumber(reply, name) {
  const value = typeof reply === "string" ? parseInfo(reply)[name] : undefined;
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The primary's master_repl_offset and each replica's slave_repl_offset, asked at once. */
async function offsetsBeforeKill(primary, replicas) {
  const replies = await Promise.all([primary, ...replicas].map((node) => ask(node.port, "INFO", "replication")));
  return { primary: infoNumber(replies[0], "master_repl_offset"), replicas: replies.slice(1).map((reply) => infoNumber(reply, "slave_repl_offset")) };
}

/**
 * Each replica's slave_repl_offset OFFSETS_SETTLE_MS after the kill: once
 * its primary is dead nothing moves a replica's offset until a failover
 * (which takes at least the node timeout), so these are exactly the offsets
 * the election compares. The sample before the kill is a moment early, and
 * the writes went on in that moment.
 */
async function offsetsAfterKill(replicas) {
  await sleep(OFFSETS_SETTLE_MS);
  const replies = await Promise.all(replicas.map((node) => ask(node.port, "INFO", "replication")));
  return replies.map((reply) => infoNumber(reply, "slave_repl_offset"));
}

/** The one former replica of the shard that says ROLE master, or undefined after the bound. */
async function findPromoted(replicas) {
  const deadlineMs = Date.now() + PROMOTION_TIMEOUT_MS;
  for (;;) {
    const roles = await Promise.all(replicas.map((node) => ask(node.port, "ROLE")));
    const promoted = replicas.filter((_, i) => Array.isArray(roles[i]) && roles[i][0] === "master");
    if (promoted.length === 1) return promoted[0];
    if (Date.now() > deadlineMs) return undefined;
    await sleep(POLL_MS * 5);
  }
}

/** Reads back every acknowledged write of one category: { acknowledged, lost, unreadable }. */
async function readBack(client, tag, trialNumber, numbers) {
  let lost = 0;
  let unreadable = 0;
  for (let start = 0; start < numbers.length; start += READ_BATCH_KEYS) {
    const batch = numbers.slice(start, start + READ_BATCH_KEYS);
    const results = await client.pipeline(batch.map((n) => ["get", keyOf(tag, trialNumber, n)])).exec().catch((error) => batch.map(() => [error, null]));
    for (let i = 0; i < batch.length; i++) {
      const [error, value] = results[i];
      if (error !== null) unreadable++;
      else if (value !== String(batch[i])) lost++;
    }
  }
  return { acknowledged: numbers.length, lost, unreadable };
}

/** FLUSHALL on every primary, so the restarted node's full sync carries the same (empty) dataset in every trial. */
async function flushPrimaries(ports, notes) {
  for (const port of ports) {
    const reply = await ask(port, "FLUSHALL");
    if (reply instanceof ReplyError) notes.push(`FLUSHALL on ${port} failed: ${reply.message}`);
  }
}

/** Restarts the killed node and times its return: until ROLE says replica of the new primary, and until that link is connected. */
async function rejoin(cluster, victim, newPrimaryPort) {
  await waitUntilGone(cluster, victim);
  const startedMs = performance.now();
  await cluster.restartNode(victim);
  const result = { pid: victim.pid };
  const deadlineMs = startedMs + REJOIN_TIMEOUT_MS;
  while (performance.now() < deadlineMs) {
    const state = followState(await ask(victim.port, "ROLE"), newPrimaryPort);
    const elapsedMs = performance.now() - startedMs;
    if (state !== undefined) result.roleMs ??= elapsedMs;
    if (state === "connected") {
      result.linkUpMs = elapsedMs;
      return result;
    }
    await sleep(POLL_MS);
  }
  return { ...result, error: `${victim.name} was not a connected replica of port ${newPrimaryPort} within ${REJOIN_TIMEOUT_MS / 1000} s of its restart` };
}

function nodeByPort(cluster, port) {
  const node = cluster.nodes.find((candidate) => candidate.port === port);
  if (node === undefined) throw new Error(`port ${port} is not a node of the ${cluster.name}`);
  return node;
}

/** The writes part of a trial: before the kill, the kill, until writes resume and a while after. Fills `trial`. */
async function writeThroughKill(client, victim, replicas, trial) {
  const writer = startWriter(client, trial.tag, trial.trial);
  try {
    await sleep(WRITES_BEFORE_KILL_MS);
    if (acknowledgedCount(writer.state) === 0) throw new Error(`no write to the shard succeeded in the ${WRITES_BEFORE_KILL_MS} ms before the kill (last error: ${writer.state.lastError ?? "none"})`);
    const before = await offsetsBeforeKill(victim, replicas);
    process.kill(victim.pid, "SIGKILL");
    writer.state.killedAtMs = performance.now();
    trial.killedAt = new Date().toISOString();
    trial.writesBeforeKill = writer.state.attempted;
    const after = offsetsAfterKill(replicas);
    await waitForResume(writer, writer.state.killedAtMs + RESUME_TIMEOUT_MS);
    const afterKill = await after;
    trial.primaryOffsetBeforeKill = before.primary;
    trial.replicas = replicas.map((node, i) => ({ name: node.name, port: node.port, offsetBeforeKill: before.replicas[i], offsetAtKill: afterKill[i] ?? before.replicas[i] }));
    if (writer.state.resumedAtMs !== undefined) {
      trial.resumeMs = writer.state.resumedAtMs - writer.state.killedAtMs;
      await sleep(WRITES_AFTER_RESUME_MS);
    }
  } finally {
    writer.state.stop = true;
    await Promise.race([writer.done, sleep(WRITE_STUCK_MS)]);
  }
  return writer.state;
}

/** Records the promotion: who, its offset at the kill and the other's, and whether it had the largest. */
function recordPromotion(trial, promoted) {
  const mine = trial.replicas.find((replica) => replica.port === promoted.port);
  const offsets = trial.replicas.map((replica) => replica.offsetAtKill);
  trial.promoted = { name: promoted.name, port: promoted.port, offsetAtKill: mine.offsetAtKill };
  if (offsets.every((offset) => offset !== undefined)) {
    trial.promotedLargestOffset = mine.offsetAtKill === Math.max(...offsets);
    trial.offsetTie = offsets.every((offset) => offset === offsets[0]);
  }
}

/**
 * One trial on a healthy cluster: see the top of this file. Resolves with
 * the trial's record; `error` in it says what went wrong. Throws only when
 * the cluster cannot be used for another trial.
 */
async function runTrial(cluster, shards, tags, trialNumber) {
  const shard = shards[(trialNumber - 1) % shards.length];
  const victim = nodeByPort(cluster, shard.primary.port);
  const replicas = shard.replicas.map((line) => nodeByPort(cluster, line.port));
  const trial = { trial: trialNumber, shard: shard.key, tag: tags.get(shard.key), victim: { name: victim.name, port: victim.port, pid: victim.pid }, notes: [] };
  const client = await connectClient(cluster);
  let state;
  try {
    state = await writeThroughKill(client, victim, replicas, trial);
    if (state.stuck) trial.notes.push(`a write got no answer and no error within ${WRITE_STUCK_MS / 1000} s: the writes stopped there`);
    if (trial.resumeMs === undefined) trial.error = `writes to the shard did not succeed again within ${RESUME_TIMEOUT_MS / 1000} s of the kill (last error: ${state.lastError ?? "none"})`;
    const promoted = await findPromoted(replicas);
    if (promoted === undefined) trial.error ??= `neither replica of ${victim.name} (${replicas.map((node) => node.port).join(", ")}) said ROLE master within ${PROMOTION_TIMEOUT_MS / 1000} s`;
    else recordPromotion(trial, promoted);
    const categories = ["plain", "wait", "waitUnconfirmed"];
    trial.writes = { attempted: state.attempted, failed: state.failed, errors: Object.fromEntries(state.errors), firstFailures: state.failures };
    for (const category of categories) trial.writes[category] = await readBack(client, trial.tag, trialNumber, state[category]);
    const unreadable = sum(categories.map((category) => trial.writes[category].unreadable));
    if (unreadable > 0) trial.notes.push(`${unreadable} acknowledged writes could not be read back (GET failed); they are not counted as lost`);
  } finally {
    client.disconnect();
  }
  try {
    if (trial.promoted === undefined) {
      // Without a new primary there is nothing to rejoin; the restart at least gives the next trial a chance.
      await waitUntilGone(cluster, victim);
      await cluster.restartNode(victim);
      return trial;
    }
    const primaryPorts = shards.filter((candidate) => candidate !== shard).map((candidate) => candidate.primary.port);
    await flushPrimaries([...primaryPorts, trial.promoted.port], trial.notes);
    trial.rejoin = await rejoin(cluster, victim, trial.promoted.port);
    if (trial.rejoin.error !== undefined) trial.error ??= trial.rejoin.error;
  } catch (error) {
    // The trial's figures stand; the cluster's health check before the next trial decides whether there is one.
    trial.error ??= `restarting ${victim.name} failed: ${error.message}`;
  }
  return trial;
}

/** "trial 3/10: shard 0-5460, killed ...": the progress line of a trial. */
function trialLine(sideName, trial, trials) {
  const head = `  failover ${sideName} trial ${trial.trial}/${trials}: shard ${trial.shard}, killed ${trial.victim.name} (port ${trial.victim.port})`;
  const resume = trial.resumeMs === undefined ? "writes did not resume" : `writes resumed after ${Math.round(trial.resumeMs)} ms`;
  const promoted = trial.promoted === undefined ? "no promotion seen" : `promoted ${trial.promoted.name}${trial.promotedLargestOffset === false ? " (NOT the largest offset)" : ""}`;
  const lost = trial.writes === undefined ? "" : `, lost ${trial.writes.plain.lost}/${trial.writes.plain.acknowledged} plain, ${trial.writes.wait.lost}/${trial.writes.wait.acknowledged} WAIT`;
  const rejoined = trial.rejoin?.linkUpMs === undefined ? "" : `, rejoined in ${(trial.rejoin.linkUpMs / 1000).toFixed(1)} s`;
  return `${head}, ${resume}, ${promoted}${lost}${rejoined}${trial.error === undefined ? "" : `; error: ${trial.error}`}`;
}

/** What the JSON keeps about a side's cluster. */
function clusterFacts(cluster) {
  return { name: cluster.name, entryPort: cluster.entryPort, busPortOffset: cluster.busPortOffset, readySeconds: cluster.readySeconds, nodes: cluster.nodes.map(({ name, port, busPort, pid, availabilityZone }) => ({ name, port, busPort, pid, availabilityZone })) };
}

/** Runs the trials of one side on a started cluster; a cluster that cannot be made healthy again ends the side. */
async function runTrials(cluster, shape, options, sideName, log) {
  const trials = [];
  let shards = await waitHealthy(cluster, shape);
  const tags = await tagsPerShard(cluster, shards);
  for (let trialNumber = 1; trialNumber <= options.failoverTrials; trialNumber++) {
    let trial;
    try {
      trial = await runTrial(cluster, shards, tags, trialNumber);
    } catch (error) {
      trial = { trial: trialNumber, error: error.message, notes: [] };
    }
    trials.push(trial);
    log(trialLine(sideName, trial, options.failoverTrials));
    try {
      shards = await waitHealthy(cluster, shape);
    } catch (error) {
      return { trials, error: `stopped after trial ${trialNumber}: ${error.message}` };
    }
  }
  return { trials };
}

/** Starts one side's cluster, runs its trials, stops it; a side that does not start records why. */
async function measureSide(sideKey, topology, options, log, leftoverPids, warnings) {
  const settings = SIDE_SETTINGS[sideKey];
  const sideTopology = { ...topology, nodeTimeoutMs: settings.nodeTimeoutMs ?? topology.nodeTimeoutMs };
  const shape = clusterShape(sideTopology);
  const label = `${settings.name} (node timeout ${sideTopology.nodeTimeoutMs} ms)`;
  const start = settings.kind === "shardline" ? () => startShardline(sideTopology, "bench-failover", new Set(), log) : () => startRedis(sideTopology, new Set());
  // The machine is shared with whatever else runs: the load average says how much else did.
  const side = { side: sideKey, kind: settings.kind, name: settings.name, nodeTimeoutMs: sideTopology.nodeTimeoutMs, loadAverage1m: { start: os.loadavg()[0] } };
  let cluster;
  try {
    cluster = await startReadyCluster(start, shape, log);
    log(`  started ${describeCluster(cluster)} in ${cluster.readySeconds.toFixed(1)} s`);
    Object.assign(side, await runTrials(cluster, shape, options, label, log));
    // After the trials: a restarted node has a new pid (each trial records the one it killed).
    side.cluster = clusterFacts(cluster);
  } catch (error) {
    side.error = cluster === undefined ? `could not start: ${error.message}` : error.message;
    side.trials ??= [];
    log(`  failover ${label}: ${side.error}`);
  } finally {
    if (cluster !== undefined) leftoverPids.push(...(await stopAndVerify(cluster, warnings)));
  }
  side.loadAverage1m.end = os.loadavg()[0];
  side.summary = summarizeTrials(side.trials);
  return side;
}

/**
 * The failover phase: for each side of options.failoverSides, in order, a
 * cluster of the default topology's shape and options.failoverTrials kill -9
 * trials on it (see the top of this file). Resolves with everything the
 * report and the JSON need.
 */
export async function failoverPhase(options, log) {
  const { DEFAULT_TOPOLOGY } = await import(pathToFileURL(CORE_DIST).href);
  const topology = { ...DEFAULT_TOPOLOGY, requireFullCoverage: false };
  const shape = clusterShape(topology);
  log(`failover: ${options.failoverSides.join(", ")}; ${describeShape(shape)} each, ${options.failoverTrials} kill -9 trial(s) per side`);
  const leftoverPids = [];
  const warnings = [];
  const sides = [];
  for (const sideKey of options.failoverSides) sides.push(await measureSide(sideKey, topology, options, log, leftoverPids, warnings));
  return {
    shape,
    requireFullCoverage: topology.requireFullCoverage,
    trialsPerSide: options.failoverTrials,
    client: { library: "ioredis Cluster", commandTimeoutMs: COMMAND_TIMEOUT_MS, waitEvery: WAIT_EVERY, waitReplicas: WAIT_REPLICAS, waitTimeoutMs: WAIT_TIMEOUT_MS },
    writesBeforeKillMs: WRITES_BEFORE_KILL_MS,
    writesAfterResumeMs: WRITES_AFTER_RESUME_MS,
    resumeTimeoutMs: RESUME_TIMEOUT_MS,
    rejoinTimeoutMs: REJOIN_TIMEOUT_MS,
    sides,
    ratio: failoverRatio(sides),
    leftoverPids,
    warnings,
  };
}

/** shardline's median writes-resume time over the Redis Cluster's at 1000 ms, when both have one. */
export function failoverRatio(sides) {
  const shardline = sides.find((side) => side.side === "shardline")?.summary.resumeMs.median;
  const redis = sides.find((side) => side.side === "redis-1000")?.summary.resumeMs.median;
  return shardline !== undefined && redis > 0 ? shardline / redis : undefined;
}
