import type { ConfigParameter } from "@shardline/core";

/**
 * Configuration parameters that only the process runtime acts on (socket
 * options), with Redis's names, defaults and ranges. The runtime defines them
 * in the engine's ConfigStore, so the command line, config files and CONFIG
 * GET/SET see one table.
 */
export const RUNTIME_PARAMETERS: readonly ConfigParameter[] = [
  /** Seconds of idleness before TCP keepalive probes start on a client connection; 0 turns them off. */
  { name: "tcp-keepalive", kind: "integer", default: "300", min: 0, max: 2147483647 },
  /** The listen(2) backlog of pending connections. */
  { name: "tcp-backlog", kind: "integer", default: "511", min: 0, max: 2147483647, immutable: true },
];

/** Linux refuses a TCP_KEEPIDLE above this many seconds (MAX_TCP_KEEPIDLE); larger settings are clamped. */
export const KEEPALIVE_IDLE_SECONDS_MAX = 32767;
