import IORedis from "ioredis";
import { unexpectedReply, withTimeout, type ClusterClientAdapter, type ClusterClientOptions, type WaitOutcome } from "./adapter.js";

const Redis = IORedis.default ?? IORedis;
type Cluster = InstanceType<typeof Redis.Cluster>;

/** How long `close` waits for ioredis to report every connection ended. */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * ioredis's Cluster with default options but for what the scenario sets:
 * `commandTimeout` on every node connection, `scaleReads: "slave"` for
 * replica reads (ioredis then opens its replica connections with
 * READONLY), the natMap, and `slotsRefreshInterval` when asked for. Everything else (MOVED and ASK following,
 * CLUSTERDOWN and TRYAGAIN retries, the offline queue while the slot map
 * refreshes) is what an application with default options gets, which is
 * what a scenario measures.
 */
export function createIoredisAdapter(options: ClusterClientOptions): ClusterClientAdapter {
  const cluster: Cluster = new Redis.Cluster(
    options.seeds.map((seed) => ({ host: seed.host, port: seed.port })),
    {
      lazyConnect: true,
      scaleReads: options.reads === "replica" ? "slave" : "master",
      ...(options.natMap === undefined ? {} : { natMap: options.natMap }),
      ...(options.slotsRefreshIntervalMs === undefined ? {} : { slotsRefreshInterval: options.slotsRefreshIntervalMs }),
      redisOptions: { commandTimeout: options.commandTimeoutMs },
    },
  );
  // Without listeners an `error` event would throw; node errors are reported separately as `node error`.
  cluster.on("error", options.onError);
  cluster.on("node error", options.onError);
  return new IoredisAdapter(cluster, options.commandTimeoutMs);
}

class IoredisAdapter implements ClusterClientAdapter {
  constructor(
    private readonly cluster: Cluster,
    private readonly commandTimeoutMs: number,
  ) {}

  async connect(timeoutMs: number): Promise<void> {
    await withTimeout(this.cluster.connect(), timeoutMs, `ioredis did not connect to the cluster within ${timeoutMs} ms`);
  }

  async set(key: string, value: string): Promise<void> {
    const reply = await this.cluster.set(key, value);
    if (reply !== "OK") throw unexpectedReply("SET", reply);
  }

  /**
   * A pipeline of SET and WAIT: ioredis sends a pipeline whose keys share a
   * slot to that slot's node, the keyless WAIT included, on one connection.
   * The WAIT command gets its own timer, longer than commandTimeout by the
   * time WAIT may legitimately block, before ioredis would set the shorter
   * one (it keeps the first timer a command gets).
   */
  async setWithWait(key: string, value: string, replicas: number, timeoutMs: number): Promise<WaitOutcome> {
    const wait = new Redis.Command("wait", [String(replicas), String(timeoutMs)], { replyEncoding: "utf8" });
    wait.setTimeout(this.commandTimeoutMs + timeoutMs);
    const pipeline = this.cluster.pipeline().set(key, value);
    // Pipeline.sendCommand is public in ioredis but missing from the ChainableCommander type pipeline() returns.
    (pipeline as unknown as { sendCommand(command: InstanceType<typeof Redis.Command>): unknown }).sendCommand(wait);
    const results = await pipeline.exec();
    if (results === null || results.length !== 2) throw unexpectedReply("SET+WAIT pipeline", results);
    const [[setError, setReply], [waitError, waitReply]] = results as [[Error | null, unknown], [Error | null, unknown]];
    if (setError !== null) throw setError;
    if (setReply !== "OK") throw unexpectedReply("SET", setReply);
    return { waitReplicas: waitError === null && typeof waitReply === "number" ? waitReply : undefined };
  }

  async get(key: string): Promise<string | null> {
    return this.cluster.get(key);
  }

  async incr(key: string): Promise<number> {
    return this.cluster.incr(key);
  }

  close(): Promise<void> {
    return closeCluster(this.cluster);
  }
}

/** Disconnects an ioredis Cluster and waits (boundedly) until it reports every connection ended. */
export async function closeCluster(cluster: Cluster): Promise<void> {
  if (cluster.status === "end") return;
  const ended = new Promise<void>((resolve) => cluster.once("end", () => resolve()));
  cluster.disconnect();
  await withTimeout(ended, CLOSE_TIMEOUT_MS, `ioredis did not close its connections within ${CLOSE_TIMEOUT_MS} ms`).catch(() => {});
}
