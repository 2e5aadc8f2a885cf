import { Constants } from "../constants.js";
import { ConfigReason, parseMemoryBig, type ConfigParameter } from "./config.js";

/** maxmemory-policy values, in the order Redis lists them in its CONFIG SET error. */
export const MAXMEMORY_POLICIES = [
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "noeviction",
] as const;

export type MaxmemoryPolicy = (typeof MAXMEMORY_POLICIES)[number];

/** C integer limits that Redis uses as parameter bounds (64-bit build). */
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;
const LLONG_MAX = 2n ** 63n - 1n;
const ULLONG_MAX = 2n ** 64n - 1n;

/** Redis clamps `hz` into this range (CONFIG_MIN_HZ, CONFIG_MAX_HZ) and CONFIG GET shows the clamped value. */
const HZ_MIN = 1;
const HZ_MAX = 500;

/** shardline keeps the dataset in memory only; these refusals say so instead of pretending to persist. */
const NO_DISK = "shardline keeps no data on disk";

/**
 * The configuration parameters a node understands, with Redis 7.0.15's
 * names, aliases, defaults, bounds and error texts (taken from a real server:
 * `CONFIG GET *` and CONFIG SET probing). The first group is acted on by
 * shardline; the second is accepted and reported for clients and tools that
 * read or set it, and changes nothing here (there is no disk, no TLS, no
 * listpack encoding to tune). The process runtime adds its own socket
 * parameters (tcp-keepalive, tcp-backlog). Where shardline's default or
 * range differs from Redis's the comment says why.
 */
export const PARAMETERS: readonly ConfigParameter[] = [
  // ------------------------------------------------------------ acted on
  /** CONFIG SET port needs the runtime to re-listen, which it does not do: start-up only. */
  { name: "port", kind: "integer", default: "6379", min: 0, max: 65535, immutable: true },
  /** Start-up only, like port (Redis can rebind at run time). */
  { name: "bind", kind: "string", default: "127.0.0.1", immutable: true },
  { name: "requirepass", kind: "string", default: "" },
  { name: "maxmemory", kind: "memory", default: "0", min: 0, max: ULLONG_MAX },
  { name: "maxmemory-policy", kind: "enum", default: "noeviction", values: MAXMEMORY_POLICIES },
  { name: "maxmemory-samples", kind: "integer", default: String(Constants.evictionSamples), min: 1, max: INT_MAX },
  { name: "maxmemory-eviction-tenacity", kind: "integer", default: "10", min: 0, max: 100 },
  { name: "lfu-log-factor", kind: "integer", default: "10", min: 0, max: INT_MAX },
  { name: "lfu-decay-time", kind: "integer", default: "1", min: 0, max: INT_MAX },
  { name: "maxclients", kind: "integer", default: String(Constants.clientsMax), min: 1, max: UINT_MAX },
  { name: "timeout", kind: "integer", default: "0", min: 0, max: INT_MAX },
  /** Redis allows up to INT_MAX; each database is an object here, so the bound is Constants.databaseCountMax. */
  { name: "databases", kind: "integer", default: String(Constants.databaseCount), min: 1, max: Constants.databaseCountMax, immutable: true },
  { name: "hz", kind: "integer", default: String(Constants.tickHz), min: 0, max: INT_MAX, adjust: (value) => String(Math.min(HZ_MAX, Math.max(HZ_MIN, Number(value)))) },
  { name: "proto-max-bulk-len", kind: "memory", default: String(Constants.bulkBytesMax), min: 1024 * 1024, max: LLONG_MAX },
  { name: "client-query-buffer-limit", kind: "memory", default: String(Constants.queryBufferBytesMax), min: 1024 * 1024, max: LLONG_MAX },
  { name: "client-output-buffer-limit", kind: "list", default: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", parse: parseClientOutputBufferLimit },
  { name: "latency-tracking", kind: "boolean", default: "yes" },
  { name: "latency-tracking-info-percentiles", kind: "list", default: "50 99 99.9", parse: parseLatencyPercentiles },
  { name: "repl-backlog-size", kind: "memory", default: "1048576", min: 1, max: LLONG_MAX },
  { name: "cluster-enabled", kind: "boolean", default: "no", immutable: true },
  { name: "cluster-node-timeout", kind: "integer", default: "15000", min: 0, max: LLONG_MAX },
  { name: "loglevel", kind: "enum", default: "notice", values: ["debug", "verbose", "notice", "warning"] },
  { name: "logfile", kind: "string", default: "", immutable: true },
  /** Redis reports its working directory; the core cannot read it, so "." stands for it. */
  { name: "dir", kind: "string", default: ".", protected: true },
  /** Redis defaults to "3600 1 300 100 60 10000"; shardline never writes a snapshot, so only "" is accepted. */
  /**
   * Redis's save points ("seconds changes" pairs). shardline writes its own
   * snapshot format (snapshot-file, not RDB) when one is reached, and loads it
   * at start-up with the dataset's replication id and offset, so a restarted
   * replica can continue with a partial resync. Default "": no snapshots.
   */
  { name: "save", kind: "list", default: "", parse: parseSave },
  /** shardline's snapshot file, in `dir` (its own format: Redis's dbfilename names an RDB file). */
  { name: "snapshot-file", kind: "string", default: "shardline-dataset.msgpack", immutable: true },
  { name: "appendonly", kind: "boolean", default: "no", validate: (value) => (value === "no" ? undefined : `${NO_DISK}; appendonly must be 'no'`) },
  { name: "notify-keyspace-events", kind: "string", default: "", parse: parseKeyspaceEvents },
  { name: "replicaof", aliases: ["slaveof"], kind: "list", default: "", immutable: true, parse: parseReplicaOf },
  { name: "masterauth", kind: "string", default: "" },
  { name: "masteruser", kind: "string", default: "" },
  { name: "busy-reply-threshold", aliases: ["lua-time-limit"], kind: "integer", default: "5000", min: 0, max: LLONG_MAX },
  /** Redis's default is "no" unless started with --daemonize yes; shardline never forks. */
  { name: "daemonize", kind: "boolean", default: "no", immutable: true },
  { name: "supervised", kind: "enum", default: "no", values: ["upstart", "systemd", "auto", "no"], immutable: true },
  { name: "enable-protected-configs", kind: "enum", default: "no", values: ["no", "yes", "local"], immutable: true },
  { name: "enable-debug-command", kind: "enum", default: "no", values: ["no", "yes", "local"], immutable: true },
  { name: "enable-module-command", kind: "enum", default: "no", values: ["no", "yes", "local"], immutable: true },
  { name: "io-threads", kind: "integer", default: "1", min: 1, max: 128, immutable: true },
  { name: "unixsocketperm", kind: "string", default: "0", immutable: true },
  { name: "socket-mark-id", kind: "integer", default: "0", min: 0, max: UINT_MAX, immutable: true },
  { name: "pidfile", kind: "string", default: "", immutable: true },
  { name: "cluster-port", kind: "integer", default: "0", min: 0, max: 65535, immutable: true },
  { name: "cluster-announce-hostname", kind: "string", default: "", validate: validateHostname },
  { name: "oom-score-adj-values", kind: "list", default: "0 200 800", parse: parseOomScoreAdjValues },

  // ------------------------------------------------------------ accepted and reported only
  { name: "acl-pubsub-default", kind: "enum", default: "resetchannels", values: ["allchannels", "resetchannels"] },
  { name: "acllog-max-len", kind: "integer", default: "128", min: 0, max: LLONG_MAX },
  { name: "active-defrag-cycle-max", kind: "integer", default: "25", min: 1, max: 99 },
  { name: "active-defrag-cycle-min", kind: "integer", default: "1", min: 1, max: 99 },
  { name: "active-defrag-ignore-bytes", kind: "memory", default: "104857600", min: 1, max: LLONG_MAX },
  { name: "active-defrag-max-scan-fields", kind: "integer", default: "1000", min: 1, max: LLONG_MAX },
  { name: "active-defrag-threshold-lower", kind: "integer", default: "10", min: 0, max: 1000 },
  { name: "active-defrag-threshold-upper", kind: "integer", default: "100", min: 0, max: 1000 },
  { name: "active-expire-effort", kind: "integer", default: "1", min: 1, max: 10 },
  { name: "activedefrag", kind: "boolean", default: "no" },
  { name: "activerehashing", kind: "boolean", default: "yes" },
  { name: "always-show-logo", kind: "boolean", default: "no", immutable: true },
  { name: "aof-disable-auto-gc", kind: "boolean", default: "no" },
  { name: "aof-load-truncated", kind: "boolean", default: "yes" },
  { name: "aof-rewrite-incremental-fsync", kind: "boolean", default: "yes" },
  { name: "aof-timestamp-enabled", kind: "boolean", default: "no" },
  { name: "aof-use-rdb-preamble", kind: "boolean", default: "yes" },
  { name: "appendfsync", kind: "enum", default: "everysec", values: ["everysec", "always", "no"] },
  { name: "auto-aof-rewrite-min-size", kind: "memory", default: "67108864", min: 0, max: LLONG_MAX },
  { name: "auto-aof-rewrite-percentage", kind: "integer", default: "100", min: 0, max: INT_MAX },
  { name: "cluster-allow-pubsubshard-when-down", kind: "boolean", default: "yes" },
  { name: "cluster-allow-reads-when-down", kind: "boolean", default: "no" },
  { name: "cluster-allow-replica-migration", kind: "boolean", default: "yes" },
  { name: "cluster-announce-bus-port", kind: "integer", default: "0", min: 0, max: 65535 },
  { name: "cluster-announce-port", kind: "integer", default: "0", min: 0, max: 65535 },
  { name: "cluster-announce-tls-port", kind: "integer", default: "0", min: 0, max: 65535 },
  { name: "cluster-link-sendbuf-limit", kind: "memory", default: "0", min: 0, max: ULLONG_MAX },
  { name: "cluster-migration-barrier", kind: "integer", default: "1", min: 0, max: INT_MAX },
  { name: "cluster-preferred-endpoint-type", kind: "enum", default: "ip", values: ["ip", "hostname", "unknown-endpoint"] },
  { name: "cluster-replica-no-failover", aliases: ["cluster-slave-no-failover"], kind: "boolean", default: "no" },
  { name: "cluster-replica-validity-factor", aliases: ["cluster-slave-validity-factor"], kind: "integer", default: "10", min: 0, max: INT_MAX },
  { name: "cluster-require-full-coverage", kind: "boolean", default: "yes" },
  { name: "crash-log-enabled", kind: "boolean", default: "yes" },
  { name: "crash-memcheck-enabled", kind: "boolean", default: "yes" },
  { name: "disable-thp", kind: "boolean", default: "yes", immutable: true },
  { name: "dynamic-hz", kind: "boolean", default: "yes" },
  { name: "hash-max-listpack-entries", aliases: ["hash-max-ziplist-entries"], kind: "integer", default: "512", min: 0, max: LLONG_MAX },
  { name: "hash-max-listpack-value", aliases: ["hash-max-ziplist-value"], kind: "memory", default: "64", min: 0, max: LLONG_MAX },
  { name: "hll-sparse-max-bytes", kind: "memory", default: "3000", min: 0, max: LLONG_MAX },
  { name: "io-threads-do-reads", kind: "boolean", default: "no", immutable: true },
  { name: "jemalloc-bg-thread", kind: "boolean", default: "yes" },
  { name: "latency-monitor-threshold", kind: "integer", default: "0", min: 0, max: LLONG_MAX },
  { name: "lazyfree-lazy-eviction", kind: "boolean", default: "no" },
  { name: "lazyfree-lazy-expire", kind: "boolean", default: "no" },
  { name: "lazyfree-lazy-server-del", kind: "boolean", default: "no" },
  { name: "lazyfree-lazy-user-del", kind: "boolean", default: "no" },
  { name: "lazyfree-lazy-user-flush", kind: "boolean", default: "no" },
  { name: "list-compress-depth", kind: "integer", default: "0", min: 0, max: INT_MAX },
  { name: "list-max-listpack-size", aliases: ["list-max-ziplist-size"], kind: "integer", default: "-2", min: INT_MIN, max: INT_MAX },
  { name: "maxmemory-clients", kind: "memory", default: "0", min: -100, max: LLONG_MAX, percent: true },
  { name: "min-replicas-max-lag", aliases: ["min-slaves-max-lag"], kind: "integer", default: "10", min: 0, max: INT_MAX },
  { name: "min-replicas-to-write", aliases: ["min-slaves-to-write"], kind: "integer", default: "0", min: 0, max: INT_MAX },
  { name: "no-appendfsync-on-rewrite", kind: "boolean", default: "no" },
  { name: "oom-score-adj", kind: "enum", default: "no", values: ["no", "yes", "relative", "absolute"] },
  { name: "propagation-error-behavior", kind: "enum", default: "ignore", values: ["ignore", "panic", "panic-on-replicas"] },
  { name: "protected-mode", kind: "boolean", default: "yes" },
  { name: "rdb-del-sync-files", kind: "boolean", default: "no" },
  { name: "rdb-save-incremental-fsync", kind: "boolean", default: "yes" },
  { name: "rdbchecksum", kind: "boolean", default: "yes", immutable: true },
  { name: "rdbcompression", kind: "boolean", default: "yes" },
  { name: "repl-backlog-ttl", kind: "integer", default: "3600", min: 0, max: LLONG_MAX },
  { name: "repl-disable-tcp-nodelay", kind: "boolean", default: "no" },
  { name: "repl-diskless-load", kind: "enum", default: "disabled", values: ["disabled", "on-empty-db", "swapdb"] },
  { name: "repl-diskless-sync", kind: "boolean", default: "yes" },
  { name: "repl-diskless-sync-delay", kind: "integer", default: "5", min: 0, max: INT_MAX },
  { name: "repl-diskless-sync-max-replicas", kind: "integer", default: "0", min: 0, max: INT_MAX },
  { name: "repl-ping-replica-period", aliases: ["repl-ping-slave-period"], kind: "integer", default: "10", min: 1, max: INT_MAX },
  { name: "repl-timeout", kind: "integer", default: "60", min: 1, max: INT_MAX },
  { name: "replica-announce-port", aliases: ["slave-announce-port"], kind: "integer", default: "0", min: 0, max: 65535 },
  { name: "replica-announced", kind: "boolean", default: "yes" },
  { name: "replica-ignore-disk-write-errors", kind: "boolean", default: "no" },
  { name: "replica-ignore-maxmemory", aliases: ["slave-ignore-maxmemory"], kind: "boolean", default: "yes" },
  { name: "replica-lazy-flush", aliases: ["slave-lazy-flush"], kind: "boolean", default: "no" },
  { name: "replica-priority", aliases: ["slave-priority"], kind: "integer", default: "100", min: 0, max: INT_MAX },
  { name: "replica-read-only", aliases: ["slave-read-only"], kind: "boolean", default: "yes" },
  { name: "replica-serve-stale-data", aliases: ["slave-serve-stale-data"], kind: "boolean", default: "yes" },
  { name: "sanitize-dump-payload", kind: "enum", default: "no", values: ["no", "yes", "clients"] },
  { name: "set-max-intset-entries", kind: "integer", default: "512", min: 0, max: LLONG_MAX },
  { name: "set-proc-title", kind: "boolean", default: "yes", immutable: true },
  { name: "shutdown-on-sigint", kind: "enum", default: "default", values: ["default", "save", "nosave", "now", "force"] },
  { name: "shutdown-on-sigterm", kind: "enum", default: "default", values: ["default", "save", "nosave", "now", "force"] },
  { name: "shutdown-timeout", kind: "integer", default: "10", min: 0, max: INT_MAX },
  { name: "slowlog-log-slower-than", kind: "integer", default: "10000", min: -1, max: LLONG_MAX },
  { name: "slowlog-max-len", kind: "integer", default: "128", min: 0, max: LLONG_MAX },
  { name: "stop-writes-on-bgsave-error", kind: "boolean", default: "yes" },
  { name: "stream-node-max-bytes", kind: "memory", default: "4096", min: 0, max: LLONG_MAX },
  { name: "stream-node-max-entries", kind: "integer", default: "100", min: 0, max: LLONG_MAX },
  { name: "syslog-enabled", kind: "boolean", default: "no", immutable: true },
  { name: "tracking-table-max-keys", kind: "integer", default: "1000000", min: 0, max: LLONG_MAX },
  { name: "zset-max-listpack-entries", aliases: ["zset-max-ziplist-entries"], kind: "integer", default: "128", min: 0, max: LLONG_MAX },
  { name: "zset-max-listpack-value", aliases: ["zset-max-ziplist-value"], kind: "memory", default: "64", min: 0, max: LLONG_MAX },
  { name: "aclfile", kind: "string", default: "", immutable: true },
  { name: "aof_rewrite_cpulist", kind: "string", default: "", immutable: true },
  { name: "appenddirname", kind: "string", default: "appendonlydir", immutable: true },
  { name: "appendfilename", kind: "string", default: "appendonly.aof", immutable: true },
  { name: "bgsave_cpulist", kind: "string", default: "", immutable: true },
  { name: "bind-source-addr", kind: "string", default: "" },
  { name: "bio_cpulist", kind: "string", default: "", immutable: true },
  { name: "cluster-announce-ip", kind: "string", default: "" },
  { name: "cluster-config-file", kind: "string", default: "nodes.conf", immutable: true },
  { name: "dbfilename", kind: "string", default: "dump.rdb", protected: true },
  { name: "ignore-warnings", kind: "string", default: "" },
  { name: "proc-title-template", kind: "string", default: "{title} {listen-addr} {server-mode}" },
  { name: "replica-announce-ip", aliases: ["slave-announce-ip"], kind: "string", default: "" },
  { name: "server_cpulist", kind: "string", default: "", immutable: true },
  { name: "syslog-ident", kind: "string", default: "redis", immutable: true },
  { name: "unixsocket", kind: "string", default: "", immutable: true },
  { name: "syslog-facility", kind: "enum", default: "local0", values: ["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"], immutable: true },
];

/** Redis splits a multi-argument value on single spaces (sdssplitlen), so "a  b" has an empty middle argument. */
function splitArguments(text: string): string[] {
  return text === "" ? [] : text.split(" ");
}

/** C's strtoll over the whole argument, as Redis's special parsers use it; undefined when anything is left over. */
function wholeInteger(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** `save <seconds> <changes> [...]`: seconds at least 1, changes at least 0 (Redis's setConfigSaveOption). */
function parseSave(text: string): string {
  const args = splitArguments(text);
  if (args.length % 2 !== 0) throw new ConfigReason("Invalid save parameters");
  const values = args.map((arg, index) => {
    const value = wholeInteger(arg);
    if (value === undefined || value < (index % 2 === 0 ? 1 : 0)) throw new ConfigReason("Invalid save parameters");
    return value;
  });
  return values.join(" ");
}

/** One class of `client-output-buffer-limit`: a hard limit, and a soft limit that may be exceeded for softSeconds. */
export interface OutputBufferLimit {
  hardBytes: number;
  softBytes: number;
  softSeconds: number;
}

/** The classes Redis reports, in its order; `replica` is spelled `slave` on the wire. */
const OUTPUT_BUFFER_CLASSES = ["normal", "slave", "pubsub"] as const;

/** Reads the canonical `client-output-buffer-limit` value into its three classes. */
export function outputBufferLimits(value: string): Record<(typeof OUTPUT_BUFFER_CLASSES)[number], OutputBufferLimit> {
  const words = value.split(" ");
  const limits = {} as Record<(typeof OUTPUT_BUFFER_CLASSES)[number], OutputBufferLimit>;
  for (let i = 0; i + 3 < words.length; i += 4) {
    const name = words[i] as (typeof OUTPUT_BUFFER_CLASSES)[number];
    limits[name] = { hardBytes: Number(words[i + 1]), softBytes: Number(words[i + 2]), softSeconds: Number(words[i + 3]) };
  }
  return limits;
}

/**
 * `client-output-buffer-limit <class> <hard> <soft> <seconds> [...]`: the
 * classes given replace theirs, the others keep their current limits
 * (Redis's updateClientOutputBufferLimit). Either all are valid or none
 * changes.
 */
function parseClientOutputBufferLimit(text: string, current: string): string {
  const args = splitArguments(text);
  if (args.length % 4 !== 0) throw new ConfigReason("Wrong number of arguments in buffer limit configuration.");
  const limits = outputBufferLimits(current);
  for (let i = 0; i < args.length; i += 4) {
    const type = args[i]!.toLowerCase();
    const name = type === "replica" ? "slave" : type;
    if (!OUTPUT_BUFFER_CLASSES.includes(name as (typeof OUTPUT_BUFFER_CLASSES)[number])) {
      throw new ConfigReason("Invalid client class specified in buffer limit configuration.");
    }
    const hard = parseMemoryBig(args[i + 1]!);
    const soft = parseMemoryBig(args[i + 2]!);
    const seconds = wholeInteger(args[i + 3]!);
    if (hard === undefined || soft === undefined || seconds === undefined || seconds < 0) {
      throw new ConfigReason("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
    }
    limits[name as (typeof OUTPUT_BUFFER_CLASSES)[number]] = { hardBytes: Number(hard), softBytes: Number(soft), softSeconds: seconds };
  }
  return OUTPUT_BUFFER_CLASSES.map((name) => {
    const limit = limits[name];
    return `${name} ${limit.hardBytes} ${limit.softBytes} ${limit.softSeconds}`;
  }).join(" ");
}

/** Redis's strtod acceptance for string2d: the whole text, no spaces, no NaN. */
const DOUBLE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `latency-tracking-info-percentiles 50 99 99.9`: each within [0, 100], shown as %f with trailing zeros trimmed. */
function parseLatencyPercentiles(text: string): string {
  const args = text === "" ? [] : text.split(" ");
  return args
    .map((arg) => {
      if (!DOUBLE.test(arg)) throw new ConfigReason("Invalid latency-tracking-info-percentiles parameters");
      const value = Number(arg);
      if (value > 100 || value < 0) throw new ConfigReason("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
      return value.toFixed(6).replace(/\.?0+$/, "");
    })
    .join(" ");
}

/** The event classes `A` stands for (Redis NOTIFY_ALL). */
const NOTIFY_ALL = "g$lshzxetd";

/**
 * `notify-keyspace-events`: a set of class letters, shown in Redis's
 * canonical order (keyspaceEventsFlagsToString): `A` when every class is on.
 */
function parseKeyspaceEvents(text: string): string {
  const classes = new Set<string>();
  for (const letter of text) {
    if (letter === "A") for (const c of NOTIFY_ALL) classes.add(c);
    else if ("g$lshzxeKEtmdn".includes(letter)) classes.add(letter);
    else throw new ConfigReason("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  }
  // Like Redis, `A` hides `n` (new-key events): "An" reads back as "A".
  const all = [...NOTIFY_ALL].every((c) => classes.has(c));
  let out = all ? "A" : [...NOTIFY_ALL, "n"].filter((c) => classes.has(c)).join("");
  for (const c of "KEm") if (classes.has(c)) out += c;
  return out;
}

/** `replicaof <host> <port>` or `replicaof no one` (the empty default means the same). */
function parseReplicaOf(text: string): string {
  if (text === "") return "";
  const args = splitArguments(text);
  if (args.length !== 2) throw new ConfigReason("wrong number of arguments");
  if (args[0]!.toLowerCase() === "no" && args[1]!.toLowerCase() === "one") return "";
  const port = wholeInteger(args[1]!);
  if (port === undefined || port < 0 || port > 65535) throw new ConfigReason("Invalid master port");
  return `${args[0]} ${port}`;
}

/** `oom-score-adj-values <primary> <replica> <background child>`, each within [-2000, 2000]. */
function parseOomScoreAdjValues(text: string): string {
  const args = splitArguments(text);
  if (args.length !== 3) throw new ConfigReason("wrong number of arguments");
  return args
    .map((arg) => {
      const value = wholeInteger(arg);
      if (value === undefined || value < -2000 || value > 2000) {
        throw new ConfigReason("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
      }
      return String(value);
    })
    .join(" ");
}

function validateHostname(value: string): string | undefined {
  return /^[A-Za-z0-9.-]*$/.test(value) ? undefined : "Hostnames may only contain alphanumeric characters, hyphens or dots";
}
