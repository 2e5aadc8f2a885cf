import IORedis from "ioredis";
import { classifyError } from "../model/classify.js";
import type { ErrorKind, HistoryEntry } from "../model/history.js";
import { withTimeout, type NatMap, type SeedAddress } from "./adapter.js";
import { closeCluster } from "./ioredis-adapter.js";

const Redis = IORedis.default ?? IORedis;
type Cluster = InstanceType<typeof Redis.Cluster>;

export interface FinalValuesOptions {
  /** Bound on reading every key, connecting included (default 30 s). */
  timeoutMs?: number;
  /** GETs in flight at once (default 32). */
  concurrency?: number;
  /** Pause before retrying a key whose read met a transient error (default 100 ms). */
  retryDelayMs?: number;
}

/** The final values could not be read; the runner reports "could not measure lost writes". */
export class FinalValuesError extends Error {}

const DEFAULTS = { timeoutMs: 30_000, concurrency: 32, retryDelayMs: 100 };
/** Per-command bound of the reading client: a node that does not answer is retried, not waited for. */
const READ_COMMAND_TIMEOUT_MS = 2000;

/**
 * Errors a cluster that has just converged may still give: slots moving,
 * a node loading or restarting, a connection that closed. Any other error
 * (WRONGTYPE...) will not go away by retrying.
 */
const TRANSIENT: ReadonlySet<ErrorKind> = new Set<ErrorKind>(["MOVED", "ASK", "CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN", "LOADING", "redirections", "timeout", "connection"]);

/** The keys of every SET and INCR invoked, whatever its outcome, in the order first touched. */
export function touchedKeys(entries: readonly HistoryEntry[]): string[] {
  const keys = new Set<string>();
  for (const entry of entries) {
    if (entry.type === "invoke" && entry.f !== "get") keys.add(entry.key);
  }
  return [...keys];
}

/**
 * Reads the final value of every key through a fresh ioredis Cluster, from
 * the primaries: a register (`r:`) as GET returns it, a counter (`c:`) as an
 * integer, null for a missing key. A counter holding something that is not
 * an integer is returned as the string it holds, for the checkers to flag.
 * Transient errors are retried until the deadline; then it throws
 * FinalValuesError naming the key and the last error.
 */
export async function readFinalValues(
  keys: readonly string[],
  seeds: readonly SeedAddress[],
  natMap?: NatMap,
  options: FinalValuesOptions = {},
): Promise<Record<string, string | number | null>> {
  const { timeoutMs, concurrency, retryDelayMs } = { ...DEFAULTS, ...options };
  const deadlineMs = Date.now() + timeoutMs;
  const cluster: Cluster = new Redis.Cluster(
    seeds.map((seed) => ({ host: seed.host, port: seed.port })),
    { lazyConnect: true, ...(natMap === undefined ? {} : { natMap }), redisOptions: { commandTimeout: READ_COMMAND_TIMEOUT_MS } },
  );
  cluster.on("error", () => {});
  cluster.on("node error", () => {});
  try {
    await withTimeout(cluster.connect(), timeoutMs, `could not connect to the cluster within ${timeoutMs} ms`).catch((error: unknown) => {
      throw new FinalValuesError(`could not read the final values: ${describe(error)}; is the cluster up?`);
    });
    const values: Record<string, string | number | null> = {};
    let next = 0;
    const worker = async (): Promise<void> => {
      // Each worker takes the next unread key; the loop ends when they run out.
      while (next < keys.length) {
        const key = keys[next++]!;
        values[key] = parseFinal(key, await readKey(cluster, key, deadlineMs, retryDelayMs));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, keys.length)) }, worker));
    return values;
  } finally {
    await closeCluster(cluster);
  }
}

/** GET with retries on transient errors until `deadlineMs`. */
async function readKey(cluster: Cluster, key: string, deadlineMs: number, retryDelayMs: number): Promise<string | null> {
  // Bounded by the deadline: every pass either returns, throws, or sleeps towards it.
  for (;;) {
    try {
      return await cluster.get(key);
    } catch (error) {
      const classified = classifyError(error);
      if (!TRANSIENT.has(classified.kind)) {
        throw new FinalValuesError(`could not read the final value of ${key}: ${classified.message}`);
      }
      if (Date.now() + retryDelayMs > deadlineMs) {
        throw new FinalValuesError(
          `could not read the final value of ${key} in time: the last attempt said "${classified.message}"; the cluster may not have converged (see shardline status)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  }
}

/** A counter's value as an integer; a register's as read (pure). */
export function parseFinal(key: string, value: string | null): string | number | null {
  if (value === null || !key.startsWith("c:")) return value;
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
