import { Constants } from "../constants.js";
import type { Database } from "../keyspace/database.js";
import type { Engine } from "./engine.js";

/** The Redis version clients see (they check it for features); shardline's own is reported beside it. */
export const REDIS_VERSION = "7.0.15";
/** Kept equal to packages/core/package.json's version (a test checks). */
export const SHARDLINE_VERSION = "0.1.0";

/**
 * INFO's sections in Redis 7.0's order, with the name each is asked for and
 * the title it is printed under. `default` leaves out commandstats and
 * latencystats; `all` and `everything` include every section (shardline has
 * no modules, so the two are the same).
 */
const SECTIONS = [
  ["server", "Server"],
  ["clients", "Clients"],
  ["memory", "Memory"],
  ["persistence", "Persistence"],
  ["stats", "Stats"],
  ["replication", "Replication"],
  ["cpu", "CPU"],
  ["modules", "Modules"],
  ["commandstats", "Commandstats"],
  ["errorstats", "Errorstats"],
  ["latencystats", "Latencystats"],
  ["cluster", "Cluster"],
  ["keyspace", "Keyspace"],
] as const;

type SectionName = (typeof SECTIONS)[number][0];

const NOT_IN_DEFAULT = new Set<SectionName>(["commandstats", "latencystats"]);

/** Keys sampled (at even strides, no randomness) to estimate a database's average TTL. */
const AVG_TTL_SAMPLES = 64;

/** The sections INFO's arguments select (Redis's genInfoSectionDict); unknown names select nothing. */
export function selectedSections(args: readonly string[]): Set<SectionName> {
  const wanted = new Set<SectionName>();
  const words: string[] = args.length === 0 ? ["default"] : args.map((arg) => arg.toLowerCase());
  for (const word of words) {
    for (const [name] of SECTIONS) {
      const all = word === "all" || word === "everything";
      if (all || (word === "default" && !NOT_IN_DEFAULT.has(name)) || word === name) wanted.add(name);
    }
  }
  return wanted;
}

/** The INFO text for the selected sections: `# Title\r\nfield:value\r\n...`, sections separated by an empty line. */
export function infoText(engine: Engine, sections: ReadonlySet<SectionName>): string {
  const parts: string[] = [];
  for (const [name, title] of SECTIONS) {
    if (!sections.has(name)) continue;
    const lines = SECTION_WRITERS[name](engine);
    parts.push(`# ${title}\r\n` + lines.map((line) => line + "\r\n").join(""));
  }
  return parts.join("\r\n");
}

type Field = [string, string | number];

function lines(fields: readonly Field[]): string[] {
  return fields.map(([name, value]) => `${name}:${value}`);
}

const SECTION_WRITERS: Record<SectionName, (engine: Engine) => string[]> = {
  server: (engine) => lines(serverFields(engine)),
  clients: (engine) => lines(clientFields(engine)),
  memory: (engine) => lines(memoryFields(engine)),
  persistence: (engine) => lines(persistenceFields(engine)),
  stats: (engine) => lines(statsFields(engine)),
  replication: (engine) => lines(replicationFields(engine)),
  cpu: (engine) => lines(cpuFields(engine)),
  modules: () => [],
  commandstats: commandStatsLines,
  errorstats: (engine) => [...engine.stats.errors].map(([code, count]) => `errorstat_${code}:count=${count}`),
  latencystats: latencyStatsLines,
  cluster: (engine) => [`cluster_enabled:${engine.config.boolean("cluster-enabled") ? 1 : 0}`],
  keyspace: keyspaceLines,
};

function serverFields(engine: Engine): Field[] {
  const { process: facts } = engine;
  const uptimeSeconds = Math.floor((engine.nowMs - engine.startedAtMs) / 1000);
  return [
    ["redis_version", REDIS_VERSION],
    ["shardline_version", SHARDLINE_VERSION],
    ["redis_git_sha1", "00000000"],
    ["redis_git_dirty", 0],
    ["redis_build_id", "0"],
    ["redis_mode", engine.config.boolean("cluster-enabled") ? "cluster" : "standalone"],
    ["os", facts.os],
    ["arch_bits", facts.archBits],
    ["monotonic_clock", "POSIX clock_gettime"],
    ["multiplexing_api", "libuv"],
    ["atomicvar_api", "none"],
    ["gcc_version", "0.0.0"],
    ["nodejs_version", facts.nodeVersion],
    ["process_id", facts.pid],
    ["process_supervised", "no"],
    ["run_id", engine.runId],
    ["tcp_port", facts.tcpPort],
    ["server_time_usec", Math.floor(engine.nowMs * 1000)],
    ["uptime_in_seconds", uptimeSeconds],
    ["uptime_in_days", Math.floor(uptimeSeconds / 86400)],
    ["hz", engine.config.number("hz")],
    ["configured_hz", engine.config.number("hz")],
    // Redis's LRU clock: seconds, 24 bits.
    ["lru_clock", Math.floor(engine.nowMs / 1000) % 2 ** 24],
    ["executable", facts.executable],
    ["config_file", facts.configFile],
    ["io_threads_active", 0],
  ];
}

function clientFields(engine: Engine): Field[] {
  let maxInput = 0;
  let maxOutput = 0;
  let blocked = 0;
  let withTimeout = 0;
  for (const client of engine.clients.values()) {
    maxInput = Math.max(maxInput, client.decoder.bufferedBytes);
    maxOutput = Math.max(maxOutput, client.writer.pendingBytes);
    if (client.blocked !== undefined) {
      blocked++;
      if (client.blocked.deadlineMs !== Infinity) withTimeout++;
    }
  }
  return [
    ["connected_clients", engine.clients.size],
    ["cluster_connections", 0],
    ["maxclients", engine.config.get("maxclients")],
    ["client_recent_max_input_buffer", maxInput],
    ["client_recent_max_output_buffer", maxOutput],
    ["blocked_clients", blocked],
    ["tracking_clients", 0],
    ["clients_in_timeout_table", withTimeout],
  ];
}

/**
 * Memory figures. used_memory is the keyspace estimate (the Ledger) plus
 * Constants.memoryBaselineBytes; maxmemory is enforced on the keyspace
 * estimate, so the baseline is reported as mem_not_counted_for_evict. There
 * is no allocator to ask: the allocator_* figures repeat used_memory, and
 * RSS comes from the runtime when it measures it.
 */
function memoryFields(engine: Engine): Field[] {
  const used = engine.usedMemoryBytes();
  engine.stats.peakMemoryBytes = Math.max(engine.stats.peakMemoryBytes, used);
  const peak = engine.stats.peakMemoryBytes;
  const startup = Constants.memoryBaselineBytes;
  const dataset = engine.ledger.bytes;
  const { process: facts } = engine;
  const rss = facts.resourceUsage?.().rssBytes ?? used;
  const totalSystem = facts.totalSystemMemoryBytes ?? 0;
  const maxmemory = engine.config.number("maxmemory");
  const fragmentation = used === 0 ? 0 : rss / used;
  return [
    ["used_memory", used],
    ["used_memory_human", bytesToHuman(used)],
    ["used_memory_rss", rss],
    ["used_memory_rss_human", bytesToHuman(rss)],
    ["used_memory_peak", peak],
    ["used_memory_peak_human", bytesToHuman(peak)],
    ["used_memory_peak_perc", percent(used, peak) + "%"],
    ["used_memory_overhead", startup],
    ["used_memory_startup", startup],
    ["used_memory_dataset", dataset],
    ["used_memory_dataset_perc", percent(dataset, used - startup) + "%"],
    ["allocator_allocated", used],
    ["allocator_active", used],
    ["allocator_resident", rss],
    ["total_system_memory", totalSystem],
    ["total_system_memory_human", bytesToHuman(totalSystem)],
    ["used_memory_lua", 0],
    ["used_memory_vm_eval", 0],
    ["used_memory_lua_human", "0B"],
    ["used_memory_scripts_eval", 0],
    ["number_of_cached_scripts", 0],
    ["number_of_functions", 0],
    ["number_of_libraries", 0],
    ["used_memory_vm_functions", 0],
    ["used_memory_vm_total", 0],
    ["used_memory_vm_total_human", "0B"],
    ["used_memory_functions", 0],
    ["used_memory_scripts", 0],
    ["used_memory_scripts_human", "0B"],
    ["maxmemory", maxmemory],
    ["maxmemory_human", bytesToHuman(maxmemory)],
    ["maxmemory_policy", engine.config.get("maxmemory-policy")],
    ["allocator_frag_ratio", "1.00"],
    ["allocator_frag_bytes", 0],
    ["allocator_rss_ratio", ratio(rss, used)],
    ["allocator_rss_bytes", rss - used],
    ["rss_overhead_ratio", "1.00"],
    ["rss_overhead_bytes", 0],
    ["mem_fragmentation_ratio", fragmentation.toFixed(2)],
    ["mem_fragmentation_bytes", rss - used],
    ["mem_not_counted_for_evict", startup],
    ["mem_replication_backlog", 0],
    ["mem_total_replication_buffers", 0],
    ["mem_clients_slaves", 0],
    ["mem_clients_normal", clientOutputBytes(engine)],
    ["mem_cluster_links", 0],
    ["mem_aof_buffer", 0],
    ["mem_allocator", "v8"],
    ["active_defrag_running", 0],
    ["lazyfree_pending_objects", 0],
    ["lazyfreed_objects", 0],
  ];
}

function clientOutputBytes(engine: Engine): number {
  let bytes = 0;
  for (const client of engine.clients.values()) bytes += client.writer.pendingBytes + client.decoder.bufferedBytes;
  return bytes;
}

/** Truthful for a node that keeps nothing on disk: never saved, never loading, AOF off. */
function persistenceFields(engine: Engine): Field[] {
  return [
    ["loading", 0],
    ["async_loading", 0],
    ["current_cow_peak", 0],
    ["current_cow_size", 0],
    ["current_cow_size_age", 0],
    ["current_fork_perc", "0.00"],
    ["current_save_keys_processed", 0],
    ["current_save_keys_total", 0],
    ["rdb_changes_since_last_save", engine.ledger.changes],
    ["rdb_bgsave_in_progress", 0],
    ["rdb_last_save_time", Math.floor(engine.startedAtMs / 1000)],
    ["rdb_last_bgsave_status", "ok"],
    ["rdb_last_bgsave_time_sec", -1],
    ["rdb_current_bgsave_time_sec", -1],
    ["rdb_saves", 0],
    ["rdb_last_cow_size", 0],
    ["rdb_last_load_keys_expired", 0],
    ["rdb_last_load_keys_loaded", 0],
    ["aof_enabled", 0],
    ["aof_rewrite_in_progress", 0],
    ["aof_rewrite_scheduled", 0],
    ["aof_last_rewrite_time_sec", -1],
    ["aof_current_rewrite_time_sec", -1],
    ["aof_last_bgrewrite_status", "ok"],
    ["aof_rewrites", 0],
    ["aof_rewrites_consecutive_failures", 0],
    ["aof_last_write_status", "ok"],
    ["aof_last_cow_size", 0],
    ["module_fork_in_progress", 0],
    ["module_fork_last_cow_size", 0],
  ];
}

function statsFields(engine: Engine): Field[] {
  const stats = engine.stats;
  const exceededNowMs = stats.evictionExceededSinceMs === undefined ? 0 : engine.nowMs - stats.evictionExceededSinceMs;
  return [
    ["total_connections_received", stats.totalConnectionsReceived],
    ["total_commands_processed", stats.totalCommandsProcessed],
    ["instantaneous_ops_per_sec", stats.instantaneousOpsPerSecond],
    ["total_net_input_bytes", stats.totalNetInputBytes],
    ["total_net_output_bytes", stats.totalNetOutputBytes],
    ["total_net_repl_input_bytes", 0],
    ["total_net_repl_output_bytes", 0],
    ["instantaneous_input_kbps", stats.instantaneousInputKbps.toFixed(2)],
    ["instantaneous_output_kbps", stats.instantaneousOutputKbps.toFixed(2)],
    ["instantaneous_input_repl_kbps", "0.00"],
    ["instantaneous_output_repl_kbps", "0.00"],
    ["rejected_connections", stats.rejectedConnections],
    ["sync_full", engine.replication.core.stats.syncFull],
    ["sync_partial_ok", engine.replication.core.stats.syncPartialOk],
    ["sync_partial_err", engine.replication.core.stats.syncPartialErr],
    ["expired_keys", stats.expiredKeys],
    ["expired_stale_perc", "0.00"],
    ["expired_time_cap_reached_count", 0],
    ["expire_cycle_cpu_milliseconds", 0],
    ["evicted_keys", stats.evictedKeys],
    ["evicted_clients", stats.evictedClients],
    ["total_eviction_exceeded_time", Math.round(stats.totalEvictionExceededMs + exceededNowMs)],
    ["current_eviction_exceeded_time", Math.round(exceededNowMs)],
    ["keyspace_hits", stats.keyspaceHits],
    ["keyspace_misses", stats.keyspaceMisses],
    ["pubsub_channels", engine.pubsub.channels.size],
    ["pubsub_patterns", engine.pubsub.patterns.size],
    ["pubsubshard_channels", engine.pubsub.shardChannels.size],
    ["latest_fork_usec", 0],
    ["total_forks", 0],
    ["migrate_cached_sockets", 0],
    ["slave_expires_tracked_keys", 0],
    ["active_defrag_hits", 0],
    ["active_defrag_misses", 0],
    ["active_defrag_key_hits", 0],
    ["active_defrag_key_misses", 0],
    ["total_active_defrag_time", 0],
    ["current_active_defrag_time", 0],
    ["tracking_total_keys", 0],
    ["tracking_total_items", 0],
    ["tracking_total_prefixes", 0],
    ["unexpected_error_replies", 0],
    ["total_error_replies", stats.totalErrorReplies],
    ["dump_payload_sanitizations", 0],
    ["total_reads_processed", stats.totalReadsProcessed],
    ["total_writes_processed", stats.totalWritesProcessed],
    ["io_threaded_reads_processed", 0],
    ["io_threaded_writes_processed", 0],
    ["reply_buffer_shrinks", 0],
    ["reply_buffer_expands", 0],
  ];
}

/**
 * INFO replication in Redis 7.0's order for a primary and for a replica,
 * then shardline's per-replica lag (bytes, ms, and ElastiCache's
 * ReplicationLag in seconds) as extra fields at the end.
 */
function replicationFields(engine: Engine): Field[] {
  const core = engine.replication.core;
  const nowMs = engine.nowMs;
  const fields: Field[] = [];
  const primary = core.primary;
  if (primary === undefined) {
    fields.push(["role", "master"]);
  } else {
    fields.push(["role", "slave"], ["master_host", primary.ip], ["master_port", primary.port]);
    fields.push(["master_link_status", primary.state === "connected" ? "up" : "down"]);
    fields.push(["master_last_io_seconds_ago", primary.state === "connected" ? Math.floor((nowMs - primary.lastIoMs) / 1000) : -1]);
    fields.push(["master_sync_in_progress", primary.syncing ? 1 : 0]);
    fields.push(["slave_read_repl_offset", core.offset], ["slave_repl_offset", core.offset]);
    if (primary.state !== "connected") fields.push(["master_link_down_since_seconds", Math.floor((nowMs - primary.downSinceMs) / 1000)]);
    fields.push(["slave_priority", engine.config.get("replica-priority")], ["slave_read_only", engine.config.boolean("replica-read-only") ? 1 : 0]);
    fields.push(["replica_announced", 1]);
  }
  const replicas = [...core.replicas.values()];
  fields.push(["connected_slaves", replicas.length]);
  replicas.forEach((replica, index) => {
    const lag = core.lagOf(replica);
    fields.push([`slave${index}`, `ip=${replica.ip},port=${replica.port},state=${replica.state},offset=${replica.ackOffset},lag=${lag.sinceAckSeconds}`]);
  });
  const backlog = core.backlogInfo;
  fields.push(
    ["master_failover_state", "no-failover"],
    ["master_replid", core.replicationId],
    ["master_replid2", core.replicationId2],
    ["master_repl_offset", core.offset],
    ["second_repl_offset", core.secondOffset < 0 ? -1 : core.secondOffset + 1],
    ["repl_backlog_active", backlog.active ? 1 : 0],
    ["repl_backlog_size", backlog.size],
    ["repl_backlog_first_byte_offset", backlog.firstByteOffset],
    ["repl_backlog_histlen", backlog.historyBytes],
  );
  replicas.forEach((replica, index) => {
    const lag = core.lagOf(replica);
    fields.push([`shardline_replica${index}`, `node=${replica.nodeId},lag_bytes=${lag.bytes},lag_ms=${lag.milliseconds},replication_lag_seconds=${(lag.milliseconds / 1000).toFixed(3)}`]);
  });
  return fields;
}

/** CPU seconds as Redis prints them (`%ld.%06ld`); zeros when the runtime does not measure. */
function cpuFields(engine: Engine): Field[] {
  const { process: facts } = engine;
  const usage = facts.resourceUsage?.();
  const system = seconds(usage?.cpuSystemSeconds ?? 0);
  const user = seconds(usage?.cpuUserSeconds ?? 0);
  return [
    ["used_cpu_sys", system],
    ["used_cpu_user", user],
    ["used_cpu_sys_children", "0.000000"],
    ["used_cpu_user_children", "0.000000"],
    ["used_cpu_sys_main_thread", system],
    ["used_cpu_user_main_thread", user],
  ];
}

function commandStatsLines(engine: Engine): string[] {
  const out: string[] = [];
  for (const [name, stats] of engine.stats.commands) {
    if (stats.calls === 0 && stats.failedCalls === 0 && stats.rejectedCalls === 0) continue;
    const perCall = stats.calls === 0 ? 0 : stats.usec / stats.calls;
    out.push(
      `cmdstat_${name}:calls=${stats.calls},usec=${stats.usec},usec_per_call=${perCall.toFixed(2)},` +
        `rejected_calls=${stats.rejectedCalls},failed_calls=${stats.failedCalls}`,
    );
  }
  return out;
}

/** `latency_percentiles_usec_<cmd>:p50=...,p99=...` for the percentiles in latency-tracking-info-percentiles. */
function latencyStatsLines(engine: Engine): string[] {
  const percentiles = engine.config.get("latency-tracking-info-percentiles").split(" ").filter((p) => p !== "");
  const out: string[] = [];
  for (const [name, stats] of engine.stats.commands) {
    if (stats.latency.total === 0) continue;
    const values = percentiles.map((p) => `p${p}=${stats.latency.valueAt(Number(p)).toFixed(3)}`);
    out.push(`latency_percentiles_usec_${name}:${values.join(",")}`);
  }
  return out;
}

function keyspaceLines(engine: Engine): string[] {
  const out: string[] = [];
  for (const db of engine.dbs) {
    if (db.size === 0) continue;
    out.push(`db${db.id}:keys=${db.size},expires=${db.expires.size},avg_ttl=${averageTtlMs(db, engine.nowMs)}`);
  }
  return out;
}

/**
 * The average remaining TTL of volatile keys, estimated from at most
 * AVG_TTL_SAMPLES keys taken at even strides through the expires table
 * (Redis keeps a running estimate from its expire cycle; either is an
 * estimate, and this one costs a bounded amount per INFO).
 */
function averageTtlMs(db: Database, nowMs: number): number {
  const size = db.expires.size;
  if (size === 0) return 0;
  const samples = Math.min(size, AVG_TTL_SAMPLES);
  let total = 0;
  let live = 0;
  for (let i = 0; i < samples; i++) {
    const remaining = db.expires.valueAt(Math.floor((i * size) / samples)) - nowMs;
    if (remaining > 0) {
      total += remaining;
      live++;
    }
  }
  return live === 0 ? 0 : Math.floor(total / live);
}

/** Redis's bytesToHuman: B below 1 KiB, then K, M, G, T, P with two decimals. */
export function bytesToHuman(bytes: number): string {
  const units = ["K", "M", "G", "T", "P"];
  if (bytes < 1024) return `${bytes}B`;
  let scaled = bytes / 1024;
  for (const unit of units) {
    if (scaled < 1024 || unit === "P") return `${scaled.toFixed(2)}${unit}`;
    scaled /= 1024;
  }
  return `${bytes}B`;
}

function percent(part: number, whole: number): string {
  return whole <= 0 ? "0.00" : ((part * 100) / whole).toFixed(2);
}

function ratio(a: number, b: number): string {
  return b <= 0 ? "0.00" : (a / b).toFixed(2);
}

function seconds(value: number): string {
  return value.toFixed(6);
}
