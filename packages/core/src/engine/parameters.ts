import { Constants } from "../constants.js";
import type { ConfigParameter } from "./config.js";

export const MAXMEMORY_POLICIES = [
  "noeviction",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
] as const;

export type MaxmemoryPolicy = (typeof MAXMEMORY_POLICIES)[number];

/**
 * The configuration parameters a node understands, with Redis's names and
 * defaults (where shardline's default differs, the comment says why).
 */
export const PARAMETERS: readonly ConfigParameter[] = [
  { name: "port", kind: "integer", default: "6379", min: 0, max: 65535, immutable: true },
  { name: "bind", kind: "string", default: "127.0.0.1", immutable: true },
  { name: "requirepass", kind: "string", default: "" },
  { name: "maxmemory", kind: "memory", default: "0", min: 0 },
  { name: "maxmemory-policy", kind: "enum", default: "noeviction", values: MAXMEMORY_POLICIES },
  { name: "maxmemory-samples", kind: "integer", default: String(Constants.evictionSamples), min: 1, max: 64 },
  { name: "maxclients", kind: "integer", default: String(Constants.clientsMax), min: 1 },
  { name: "timeout", kind: "integer", default: "0", min: 0 },
  { name: "databases", kind: "integer", default: String(Constants.databaseCount), min: 1, max: 1024, immutable: true },
  { name: "hz", kind: "integer", default: String(Constants.tickHz), min: 1, max: 500 },
  { name: "proto-max-bulk-len", kind: "memory", default: String(Constants.bulkBytesMax), min: 1024 * 1024 },
  { name: "client-query-buffer-limit", kind: "memory", default: String(Constants.queryBufferBytesMax), min: 1024 * 1024 },
  { name: "lfu-log-factor", kind: "integer", default: "10", min: 0 },
  { name: "lfu-decay-time", kind: "integer", default: "1", min: 0 },
  { name: "save", kind: "string", default: "" },
  { name: "appendonly", kind: "boolean", default: "no" },
  { name: "notify-keyspace-events", kind: "string", default: "" },
  { name: "dir", kind: "string", default: "." },
  { name: "logfile", kind: "string", default: "", immutable: true },
  { name: "loglevel", kind: "enum", default: "notice", values: ["debug", "verbose", "notice", "warning", "nothing"] },
  { name: "cluster-enabled", kind: "boolean", default: "no", immutable: true },
];
