// Pure helpers that turn measurements into the bench's verdicts and tables.
import { formatDuration } from "./options.mjs";

/** The throughput goals: shardline ops/s divided by redis ops/s must reach these, per test and pipeline. */
export const THROUGHPUT_GOALS = {
  SET: { 1: 0.7, 16: 0.4 },
  GET: { 1: 0.7, 16: 0.4 },
};

/** The memory goal: shardline may use at most this many times redis's bytes per key. */
export const MEMORY_RATIO_MAX = 2;

/**
 * The replication lag goal: at this write rate, shardline's replicas show
 * 99 % of writes within p99MsMax of the primary's reply. A run that did not
 * reach minRateShare of the rate does not meet it (the lag of a slower load
 * says nothing about this one).
 */
export const REPLICATION_LAG_GOAL = { ratePerSec: 20_000, p99MsMax: 10, minRateShare: 0.95 };

/** Errors longer than this are cut in the printed table (the JSON keeps them whole). */
const TABLE_ERROR_CHARS_MAX = 90;

export function median(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One server's side of a throughput row: the samples, their median, and the error that stopped it, if any. */
export function summarizeSide(samples, error) {
  return { samplesOpsPerSec: samples, medianOpsPerSec: error === undefined ? median(samples) : undefined, error };
}

/** shardline's median ops/s over redis's, or undefined when either side has no median. */
export function sideRatio(redis, shardline) {
  const redisOps = redis.medianOpsPerSec;
  const shardlineOps = shardline.medianOpsPerSec;
  return redisOps > 0 && shardlineOps !== undefined ? shardlineOps / redisOps : undefined;
}

/** Adds the ratio and the goal verdict to a row { test, pipeline, redis, shardline }. */
export function evaluateRow(row) {
  const ratio = sideRatio(row.redis, row.shardline);
  const minRatio = THROUGHPUT_GOALS[row.test]?.[row.pipeline];
  const goal = minRatio === undefined ? undefined : { minRatio, met: ratio !== undefined && ratio >= minRatio };
  return { ...row, ratio, goal };
}

/** The row where shardline does worst relative to redis (lowest ratio), or undefined when no row has a ratio. */
export function slowestRow(rows) {
  let slowest;
  for (const row of rows) {
    if (row.ratio !== undefined && (slowest === undefined || row.ratio < slowest.ratio)) slowest = row;
  }
  return slowest;
}

export function formatOps(value) {
  return value === undefined ? "-" : Math.round(value).toLocaleString("en-US");
}

/** Three decimals: with two, 0.6969 would print as 0.70 beside a missed ">= 0.70" goal. */
export function formatRatio(value) {
  return value === undefined ? "-" : value.toFixed(3);
}

function formatBytes(value) {
  return value === undefined ? "-" : value.toFixed(1);
}

function formatMiB(bytes) {
  return bytes === undefined ? "-" : (bytes / 1024 / 1024).toFixed(1);
}

function cut(text) {
  return text.length > TABLE_ERROR_CHARS_MAX ? text.slice(0, TABLE_ERROR_CHARS_MAX - 3) + "..." : text;
}

/** Renders rows of cells as aligned columns; `rightAligned[i]` right-aligns column i. A cell may be one string spanning the rest of the row. */
export function renderTable(headers, rows, rightAligned) {
  // A row's last cell spans the columns it lacks, so it does not widen the column it starts in.
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.filter((row) => i < row.length - 1 || row.length === headers.length).map((row) => row[i].length)));
  const line = (cells) =>
    cells
      .map((cell, i) => {
        if (i === cells.length - 1 && cells.length < headers.length) return cell;
        return rightAligned[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
      })
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

function goalCell(goal) {
  if (goal === undefined) return "";
  return `>= ${goal.minRatio.toFixed(2)} ${goal.met ? "met" : "MISSED"}`;
}

export function renderThroughputTable(rows) {
  const cells = rows.map((row) => {
    const head = [row.test, `P${row.pipeline}`];
    if (row.shardline.error !== undefined) return [...head, formatOps(row.redis.medianOpsPerSec), `shardline error: ${cut(row.shardline.error)}`];
    if (row.redis.error !== undefined) return [...head, `redis error: ${cut(row.redis.error)}`];
    return [...head, formatOps(row.redis.medianOpsPerSec), formatOps(row.shardline.medianOpsPerSec), formatRatio(row.ratio), goalCell(row.goal)];
  });
  return renderTable(["test", "pipeline", "redis ops/s", "shardline ops/s", "shardline/redis", "goal"], cells, [false, false, true, true, true, false]);
}

/**
 * The cluster table: one row per test and pipeline, redis cluster beside
 * shardline cluster. Cluster rows have no goal: the goals are the
 * standalone ones.
 */
export function renderClusterTable(rows) {
  const cells = rows.map((row) => {
    const head = [row.test, `P${row.pipeline}`];
    if (row.redis.error !== undefined && row.shardline.error !== undefined) {
      return [...head, `redis cluster error: ${cut(row.redis.error)}; shardline cluster error: ${cut(row.shardline.error)}`];
    }
    if (row.shardline.error !== undefined) return [...head, formatOps(row.redis.medianOpsPerSec), `shardline cluster error: ${cut(row.shardline.error)}`];
    if (row.redis.error !== undefined) return [...head, `redis cluster error: ${cut(row.redis.error)} (shardline cluster ${formatOps(row.shardline.medianOpsPerSec)} ops/s)`];
    return [...head, formatOps(row.redis.medianOpsPerSec), formatOps(row.shardline.medianOpsPerSec), formatRatio(row.ratio)];
  });
  return renderTable(["test", "pipeline", "redis cluster ops/s", "shardline cluster ops/s", "shardline/redis"], cells, [false, false, true, true, true]);
}

/**
 * The cluster section of the report: what ran, the table, and notes on
 * each cluster (start errors, replication, redis-benchmark's warnings).
 */
export function clusterReportLines(cluster, options, pipeline16Factor) {
  const { shape } = cluster;
  const lines = [
    `cluster: ${shape.shards} shards x (1 primary + ${shape.replicasPerShard} replicas) = ${shape.nodes} nodes each, node timeout ${cluster.nodeTimeoutMs} ms; redis-benchmark --cluster --threads ${options.clusterThreads} -t set,get, median of ${options.repeat} run(s), ${options.clients} clients, ${options.requests} requests per test at P1 (x${pipeline16Factor} at P16)`,
    "",
    renderClusterTable(cluster.rows),
    "",
  ];
  for (const side of [cluster.redis, cluster.shardline]) {
    if (side.error !== undefined) continue;
    lines.push(`${side.name}: entry port ${side.entryPort}, primaries on ${side.primaryPorts.join(",")}, ready in ${side.readySeconds.toFixed(1)} s${side.replicating ? ", replicas in sync" : ""}`);
    if (side.replicationNote !== undefined) lines.push(`  note: ${side.replicationNote}`);
  }
  for (const notice of cluster.notices) lines.push(`redis-benchmark: ${notice}`);
  return lines;
}

/** Bytes per key from a before/after pair: (after - before) / keys. */
export function perKey(before, after, keys) {
  if (before === undefined || after === undefined || keys <= 0) return undefined;
  return (after - before) / keys;
}

export function renderMemoryTable(memory) {
  const { redis, shardline } = memory;
  const rows = [
    ["RSS delta per key (bytes)", formatBytes(redis.rssBytesPerKey), formatBytes(shardline.rssBytesPerKey), formatRatio(memory.rssRatio)],
    ["used_memory delta per key (bytes)", formatBytes(redis.usedMemoryBytesPerKey), shardline.usedMemoryBytesPerKey === undefined ? "n/a" : formatBytes(shardline.usedMemoryBytesPerKey), formatRatio(memory.usedMemoryRatio)],
    ["V8 heap used delta per key (bytes)", "", formatBytes(shardline.heapUsedBytesPerKey), ""],
    ["RSS after load (MiB)", formatMiB(redis.after?.rssBytes), formatMiB(shardline.after?.rssBytes), ""],
  ];
  return renderTable(["memory", "redis", "shardline", "shardline/redis"], rows, [false, true, true, true]);
}

function formatMs(value) {
  return value === undefined ? "-" : value.toFixed(2);
}

function lagLoadName(row) {
  return row.load === "rate" ? `${formatOps(row.targetPerSec)} SET/s` : "full speed";
}

/**
 * The lag table: one row per load and server: the write rate reached, the
 * probes written (each read on every replica), lag in ms from the probes and
 * in bytes from the offsets, and how long the replicas took to reach the
 * primary's offset once the load stopped.
 */
export function renderReplicationLagTable(rows) {
  const cells = rows.map((row) => {
    const head = [lagLoadName(row), row.server];
    if (row.error !== undefined) return [...head, `error: ${cut(row.error)}`];
    const { lagMs, lagBytes } = row;
    return [...head, formatOps(row.achievedPerSec), formatOps(row.probes), formatMs(lagMs.p50), formatMs(lagMs.p99), formatMs(lagMs.max), formatOps(lagBytes.p50), formatOps(lagBytes.p99), formatOps(lagBytes.max), formatOps(row.catchUpMs)];
  });
  const headers = ["load", "server", "writes/s", "probes", "lag p50 ms", "p99 ms", "max ms", "lag p50 bytes", "p99 bytes", "max bytes", "catch-up ms"];
  return renderTable(headers, cells, [false, false, true, true, true, true, true, true, true, true, true]);
}

/** The throughput table: each server's primary alone and with replicas, and the ratio. */
export function renderReplicationThroughputTable(rows) {
  const replicas = rows[0]?.replicas ?? 2;
  const cells = rows.map((row) => {
    const head = [row.server, `P${row.pipeline}`];
    if (row.withoutReplicas.error !== undefined) return [...head, `alone: error: ${cut(row.withoutReplicas.error)}`];
    if (row.withReplicas.error !== undefined) return [...head, formatOps(row.withoutReplicas.medianOpsPerSec), `with replicas: error: ${cut(row.withReplicas.error)}`];
    return [...head, formatOps(row.withoutReplicas.medianOpsPerSec), formatOps(row.withReplicas.medianOpsPerSec), formatRatio(row.ratio)];
  });
  return renderTable(["server", "pipeline", "alone ops/s", `with ${replicas} replicas ops/s`, "with/alone"], cells, [false, false, true, true, true]);
}

/** The replication section of the report: how it measured, both tables, and what went wrong where. */
export function replicationReportLines(replication, options, pipeline16Factor) {
  const { load } = replication;
  const lines = [
    `replication: a primary and ${replication.replicas} replicas on this machine (shardline: a one-shard cluster; redis: redis-server --replicaof); SET load over ${load.connections} connections, ${formatOps(load.keyspace)} keys, ${load.valueBytes}-byte values, ${load.seconds} s per run; lag in ms: time from the primary's OK to a probe read on a replica showing the write (a probe every ${replication.probeIntervalMs} ms); in bytes: master_repl_offset - slave_repl_offset (sampled every ${replication.sampleIntervalMs} ms)`,
    "",
    renderReplicationLagTable(replication.lag),
  ];
  for (const row of replication.lag) for (const note of row.notes ?? []) lines.push(`  note: ${lagLoadName(row)}, ${row.server}: ${note}`);
  lines.push(
    "",
    `replication throughput: redis-benchmark -t set, median of ${options.repeat} run(s), ${options.clients} clients, ${options.requests} requests at P1 (x${pipeline16Factor} at P16), each primary alone and with ${replication.replicas} replicas`,
    "",
    renderReplicationThroughputTable(replication.throughput),
  );
  return lines;
}

/** The replication lag goal's verdict, or a line saying why it was not judged; undefined without a fixed-rate shardline row. */
export function replicationGoalLine(replication) {
  const row = replication?.lag.find((candidate) => candidate.load === "rate" && candidate.server === "shardline");
  if (row === undefined) return undefined;
  const goal = REPLICATION_LAG_GOAL;
  const stated = `p99 <= ${goal.p99MsMax} ms at ${formatOps(goal.ratePerSec)} SET/s`;
  if (row.targetPerSec !== goal.ratePerSec) return `replication lag: not judged (the fixed-rate run wrote ${formatOps(row.targetPerSec)} SET/s; the goal is ${stated})`;
  if (row.error !== undefined) return `replication lag: no figure (${row.error}), goal ${stated}: MISSED`;
  const rateReached = row.achievedPerSec >= goal.ratePerSec * goal.minRateShare;
  const met = rateReached && row.lagMs.p99 <= goal.p99MsMax;
  const shortfall = rateReached ? "" : ` (only ${formatOps(row.achievedPerSec)} SET/s reached)`;
  return `replication lag p99: shardline ${formatMs(row.lagMs.p99)} ms${shortfall}, goal ${stated}: ${met ? "met" : "MISSED"}`;
}

/** One line per goal: what was measured, the bound, and whether it was met. */
export function goalLines(rows, memory, replication, failover, soak) {
  const lines = [];
  for (const [test, pipelines] of Object.entries(THROUGHPUT_GOALS)) {
    for (const [pipeline, minRatio] of Object.entries(pipelines)) {
      const row = rows.find((candidate) => candidate.test === test && candidate.pipeline === Number(pipeline));
      if (row === undefined) continue;
      const verdict = row.goal?.met ? "met" : "MISSED";
      const measured = row.ratio === undefined ? `no ratio (${row.shardline.error ?? row.redis.error})` : formatRatio(row.ratio);
      lines.push(`${test} P${pipeline}: shardline/redis ${measured}, goal >= ${minRatio.toFixed(2)}: ${verdict}`);
    }
  }
  if (memory !== undefined) {
    const measured = memory.rssRatio === undefined ? `no ratio (${memory.shardline.error ?? memory.redis.error})` : `${formatRatio(memory.rssRatio)}x`;
    const verdict = memory.goal.met ? "met" : "MISSED";
    lines.push(`memory per key (RSS): shardline/redis ${measured}, goal <= ${MEMORY_RATIO_MAX.toFixed(2)}x: ${verdict}`);
  }
  const replicationLine = replicationGoalLine(replication);
  if (replicationLine !== undefined) lines.push(replicationLine);
  for (const line of [failoverGoalLine(failover), soakGoalLine(soak)]) if (line !== undefined) lines.push(line);
  return lines;
}

// ------------------------------------------------------------ failover

/**
 * The failover goal (the failover issue's): after kill -9 of a shardline
 * primary, writes to its slots succeed again within medianMsMax at the
 * median and maxMsMax at worst, over `trials` trials. Fewer trials are not
 * judged; a trial where writes never resumed misses it.
 */
export const FAILOVER_GOAL = { medianMsMax: 2000, maxMsMax: 3000, trials: 10 };

function formatMsWhole(value) {
  return value === undefined ? "-" : formatOps(Math.round(value));
}

function formatSeconds(ms) {
  return ms === undefined ? "-" : (ms / 1000).toFixed(2);
}

function lostOf(writes) {
  return writes === undefined ? "-" : `${formatOps(writes.lost)}/${formatOps(writes.acknowledged)}`;
}

/** The failover summary table: one row per side. */
export function renderFailoverTable(sides) {
  const cells = sides.map((side) => {
    const head = [side.name, String(side.nodeTimeoutMs)];
    const { summary } = side;
    if (summary.trials === 0) return [...head, `error: ${cut(side.error ?? "no trial ran")}`];
    const promoted = `${summary.promotedLargestOffset}/${summary.promotions}${summary.offsetTies > 0 ? ` (${summary.offsetTies} tied)` : ""}`;
    const rejoin = `${formatSeconds(summary.rejoinMs.roleMedian)} / ${formatSeconds(summary.rejoinMs.linkUpMedian)}`;
    return [...head, `${summary.resumed}/${summary.trials}`, formatMsWhole(summary.resumeMs.median), formatMsWhole(summary.resumeMs.p90), formatMsWhole(summary.resumeMs.max), promoted, lostOf(summary.plain), lostOf(summary.wait), rejoin];
  });
  const headers = ["side", "node timeout ms", "resumed", "resume median ms", "p90 ms", "max ms", "largest offset promoted", "plain lost/acked", "WAIT lost/acked", "rejoin median s (replica / in sync)"];
  return renderTable(headers, cells, [false, true, true, true, true, true, true, true, true, true]);
}

/** One row per trial of every side: what was killed, who took over with which offsets, and what it cost. */
export function renderFailoverTrialsTable(sides) {
  const cells = [];
  for (const side of sides) {
    for (const trial of side.trials) {
      const head = [side.name, String(side.nodeTimeoutMs), String(trial.trial)];
      if (trial.victim === undefined) {
        cells.push([...head, `error: ${cut(trial.error ?? "unknown")}`]);
        continue;
      }
      const other = trial.replicas?.find((replica) => replica.port !== trial.promoted?.port);
      const offsets = trial.promoted === undefined ? "-" : `${formatOps(trial.promoted.offsetAtKill)} / ${formatOps(other?.offsetAtKill)}`;
      cells.push([
        ...head,
        trial.shard,
        trial.victim.name,
        trial.promoted?.name ?? "none",
        offsets,
        formatMsWhole(trial.resumeMs),
        lostOf(trial.writes?.plain),
        lostOf(trial.writes?.wait),
        formatSeconds(trial.rejoin?.linkUpMs),
      ]);
    }
  }
  const headers = ["side", "node timeout ms", "trial", "shard", "killed", "promoted", "offsets at kill (promoted / other)", "resume ms", "plain lost/acked", "WAIT lost/acked", "rejoin s"];
  return renderTable(headers, cells, [false, true, true, false, false, false, true, true, true, true, true]);
}

/** Failed writes of a side by error, over all its trials: "12 failed writes: Command timed out (x2), ...". */
function clientErrorLine(side) {
  const counts = new Map();
  for (const trial of side.trials) for (const [kind, count] of Object.entries(trial.writes?.errors ?? {})) counts.set(kind, (counts.get(kind) ?? 0) + count);
  if (counts.size === 0) return undefined;
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  const kinds = [...counts].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `${kind} (x${count})`);
  return `${side.name} ${side.nodeTimeoutMs} ms: ${formatOps(total)} failed writes over ${side.trials.length} trial(s): ${kinds.join("; ")}`;
}

/** What went wrong or is worth knowing, per side and trial, for lines under the tables. */
function failoverNotes(sides) {
  const notes = [];
  for (const side of sides) {
    const label = `${side.name} ${side.nodeTimeoutMs} ms`;
    if (side.error !== undefined) notes.push(`${label}: ${side.error}`);
    if (side.loadAverage1m !== undefined) notes.push(`${label}: 1-minute load average ${side.loadAverage1m.start.toFixed(2)} at the start, ${side.loadAverage1m.end.toFixed(2)} at the end`);
    for (const trial of side.trials) {
      if (trial.error !== undefined) notes.push(`${label} trial ${trial.trial}: ${trial.error}`);
      for (const note of trial.notes ?? []) notes.push(`${label} trial ${trial.trial}: ${note}`);
    }
    const unconfirmed = side.summary.waitUnconfirmed;
    if (unconfirmed.acknowledged > 0) notes.push(`${label}: ${formatOps(unconfirmed.acknowledged)} writes acknowledged whose WAIT counted no replica (not in the WAIT column); ${formatOps(unconfirmed.lost)} of them lost`);
  }
  return notes;
}

/** The failover section of the report: how it measured, the summary, every trial, notes. */
export function failoverReportLines(failover) {
  const { shape, client } = failover;
  const lines = [
    `failover: kill -9 of a shard's primary while an ioredis Cluster client writes to that shard, one write at a time (SET; every ${client.waitEvery}th in a pipeline with WAIT ${client.waitReplicas} ${client.waitTimeoutMs}); ioredis defaults but commandTimeout ${client.commandTimeoutMs} ms; ${shape.shards} shards x (1 primary + ${shape.replicasPerShard} replicas) = ${shape.nodes} nodes per side, cluster-require-full-coverage ${failover.requireFullCoverage ? "yes" : "no"} (as ElastiCache runs); ${failover.trialsPerSide} trial(s) per side, rotating over the shards`,
    `resume: from the kill to the first write sent after it that succeeded; lost: acknowledged writes not read back afterwards; rejoin: from restarting the killed node to ROLE saying it replicates the new primary, then to its link being connected`,
    "",
    renderFailoverTable(failover.sides),
    "",
  ];
  if (failover.ratio !== undefined) lines.push(`shardline/redis cluster (1000 ms) median resume: ${formatRatio(failover.ratio)}`, "");
  if (failover.sides.some((side) => side.trials.length > 0)) lines.push(renderFailoverTrialsTable(failover.sides));
  for (const note of failoverNotes(failover.sides)) lines.push(`  note: ${note}`);
  for (const side of failover.sides) {
    const line = clientErrorLine(side);
    if (line !== undefined) lines.push(`  client: ${line}`);
  }
  return lines;
}

/** The failover goal's verdict for shardline, or undefined without a shardline side. */
export function failoverGoalLine(failover) {
  const side = failover?.sides.find((candidate) => candidate.side === "shardline");
  if (side === undefined) return undefined;
  const goal = FAILOVER_GOAL;
  const stated = `goal median <= ${formatOps(goal.medianMsMax)} ms and max <= ${formatOps(goal.maxMsMax)} ms over ${goal.trials} trials`;
  const { summary } = side;
  if (summary.resumed === 0) return `failover (shardline, kill -9 of a primary): no figure (${side.error ?? side.trials[0]?.error ?? "no trial ran"}), ${stated}: MISSED`;
  const measured = `writes resumed after median ${formatMsWhole(summary.resumeMs.median)} ms, max ${formatMsWhole(summary.resumeMs.max)} ms over ${summary.resumed} trial(s)`;
  if (summary.trials < goal.trials) return `failover (shardline, kill -9 of a primary): ${measured}, ${stated}: not judged (${summary.trials} trial(s) ran)`;
  const missing = summary.trials - summary.resumed;
  const met = missing === 0 && side.error === undefined && summary.resumeMs.median <= goal.medianMsMax && summary.resumeMs.max <= goal.maxMsMax;
  const shortfall = missing > 0 ? ` (writes did not resume in ${missing} trial(s))` : side.error !== undefined ? ` (${side.error})` : "";
  return `failover (shardline, kill -9 of a primary): ${measured}${shortfall}, ${stated}: ${met ? "met" : "MISSED"}`;
}

// ------------------------------------------------------------ soak

/** The PING table of the soak: one row per node and one over all; `late` counts round trips over ping.lateMs. */
export function renderSoakPingTable(ping) {
  const row = (name, figures) => [name, formatOps(figures.samples), formatMs(figures.p50), formatMs(figures.p99), formatMs(figures.p999), formatMs(figures.max), formatOps(figures.late), figures.failed ? `PING failed: ${cut(figures.firstError ?? "")}` : ""];
  const cells = ping.nodes.map((node) => row(node.name, node));
  cells.push(row("all nodes", ping.all));
  return renderTable(["node", "pings", "p50 ms", "p99 ms", "p99.9 ms", "max ms", `> ${formatOps(ping.lateMs)} ms`, "note"], cells, [false, true, true, true, true, true, true, false]);
}

/** The soak section of the report. */
export function soakReportLines(soak) {
  const lines = [`soak: a shardline cluster of ${soak.shape.nodes} nodes, node timeout ${soak.nodeTimeoutMs} ms, under full load for ${formatDuration(soak.durationMs)}; each node PINGed every ${soak.pingIntervalMs} ms on its own connection`];
  if (soak.error !== undefined) return [...lines, `  error: ${soak.error}`];
  const { load, ping, flags, events } = soak;
  if (soak.settleMs !== undefined) lines.push(`started once every node's view was healthy (no fail? or fail flag, replicas linked), ${(soak.settleMs / 1000).toFixed(1)} s after the launcher had the cluster up`);
  const busy = soak.cpuBusyShare === undefined ? "" : `; machine CPU busy ${(soak.cpuBusyShare * 100).toFixed(0)} %`;
  const cpu = soak.loadAverage1m === undefined ? busy : `${busy}, 1-minute load average ${soak.loadAverage1m.start.toFixed(2)} at the start, ${soak.loadAverage1m.end.toFixed(2)} at the end`;
  lines.push(
    `load: ${load.command}, restarted as runs ended: ${load.runsCompleted} run(s) completed, ${load.runsFailed} failed, ran ${Math.round(load.loadMs / 1000)} s; served ${formatOps(load.servedOpsPerSec)} ops/s (commands processed by the primaries); SET ${formatOps(load.setOpsPerSecMedian)} ops/s, GET ${formatOps(load.getOpsPerSecMedian)} ops/s (median over completed runs)${cpu}`,
    "",
    renderSoakPingTable(ping),
    "",
    `failovers: ${events.failoverCompleted} (failover-completed events); elections started: ${events.electionStarted}; FAIL: ${events.failureDetected} (failure-detected events); PFAIL flags seen: ${flags.pfailSeen}, FAIL flags seen: ${flags.failSeen}, by ${flags.flaggedPairs} distinct observer/node pair(s) (in ${formatOps(flags.samples)} CLUSTER NODES samples, every ${flags.intervalMs} ms per node)`,
    `roles and config epochs: ${soak.changes.roles.length === 0 && soak.changes.configEpochs.length === 0 ? "unchanged" : [...soak.changes.roles, ...soak.changes.configEpochs].join("; ")}; current epoch ${soak.currentEpoch.before} before, ${soak.currentEpoch.after} after`,
    `worst PING round trip: ${formatMs(ping.worstMs)} ms (${ping.worstNode ?? "-"}), ${ping.worstMs === undefined ? "-" : formatRatio(ping.worstMs / soak.nodeTimeoutMs)} of the node timeout; the bench's own event-loop delay (in every round trip): p99 ${formatMs(soak.benchLoopDelayMs.p99)} ms, max ${formatMs(soak.benchLoopDelayMs.max)} ms`,
  );
  for (const observation of flags.observations.slice(0, 5)) lines.push(`  flag: ${observation.at} ${observation.reporter} saw ${observation.node} ${observation.flag}`);
  for (const event of events.list.slice(0, 10)) lines.push(`  event: ${new Date(event.atMs).toISOString()} ${event.type} ${event.node}: ${event.detail}`);
  for (const notice of load.notices) lines.push(`  redis-benchmark: ${notice}`);
  for (const dead of soak.deadNodes) lines.push(`  died: ${dead}`);
  return lines;
}

/** The soak goal's verdict, or undefined without a soak. */
export function soakGoalLine(soak) {
  if (soak === undefined) return undefined;
  const stated = `no failover under full load for ${formatDuration(soak.durationMs)} at node timeout ${soak.nodeTimeoutMs} ms`;
  const { verdict } = soak;
  if (!verdict.judged) return `${stated}: not judged (${verdict.reason})`;
  if (!verdict.met) return `${stated}: MISSED (${verdict.problems.join("; ")})`;
  return `${stated}: met (${soak.events.electionStarted} elections, ${soak.events.failureDetected} FAIL, ${soak.flags.pfailSeen} PFAIL flags seen; worst PING ${formatMs(soak.ping.worstMs)} ms)`;
}
