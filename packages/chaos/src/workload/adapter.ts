import type { WorkloadSpec } from "../model/scenario.js";

/** A node's address as clients reach it. */
export interface SeedAddress {
  host: string;
  port: number;
}

/**
 * Announced address (`host:port`, as CLUSTER SLOTS gives it) to the address
 * the workload reaches that node at: ioredis's natMap shape, which is also
 * node-redis's nodeAddressMap. For clusters whose nodes announce addresses
 * the runner cannot reach directly (docker).
 */
export type NatMap = Record<string, SeedAddress>;

/** The WAIT half of a SET sent with WAIT: the replicas it reported, or undefined when WAIT itself failed. */
export interface WaitOutcome {
  waitReplicas: number | undefined;
}

/**
 * One cluster client instance as the workload drives it: the few calls it
 * needs, behind which sit ioredis's Cluster or node-redis's createCluster
 * (or a fake, in tests). A rejection carries the library's own error, which
 * the workload sorts with classifyError; an adapter only rewrites errors
 * whose text would hide what happened (node-redis's TimeoutError has none).
 */
export interface ClusterClientAdapter {
  /** Resolves once the client knows the slot map and can send commands; rejects after `timeoutMs`. */
  connect(timeoutMs: number): Promise<void>;
  set(key: string, value: string): Promise<void>;
  /**
   * SET and then `WAIT replicas timeoutMs` on the same connection, to the
   * key's node: WAIT counts the replicas that acknowledged that
   * connection's writes, so anywhere else it would promise nothing about
   * this SET. Rejects with the SET's error; a WAIT error resolves with
   * waitReplicas undefined (the SET took effect).
   */
  setWithWait(key: string, value: string, replicas: number, timeoutMs: number): Promise<WaitOutcome>;
  get(key: string): Promise<string | null>;
  incr(key: string): Promise<number>;
  /** Disconnects every connection; afterwards the client holds no socket or timer. */
  close(): Promise<void>;
}

/** What an adapter is built from. */
export interface ClusterClientOptions {
  /** Which client instance (0-based), for log lines. */
  index: number;
  seeds: readonly SeedAddress[];
  natMap: NatMap | undefined;
  /** The client library's own per-command timeout, where it has one. */
  commandTimeoutMs: number;
  reads: WorkloadSpec["reads"];
  /** ioredis's slotsRefreshInterval, when the scenario sets one. */
  slotsRefreshIntervalMs?: number;
  /** The client's `error` events and the like; must not throw. */
  onError: (error: unknown) => void;
}

export type ClusterClientFactory = (options: ClusterClientOptions) => ClusterClientAdapter;

/** Rejects with `message` after `timeoutMs` unless `promise` settles first; the timer never outlives the race. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why a value a client returned is not what the command promises (a programmer or protocol error, not a fault). */
export function unexpectedReply(command: string, reply: unknown): Error {
  return new Error(`unexpected reply to ${command}: ${JSON.stringify(reply)}`);
}
