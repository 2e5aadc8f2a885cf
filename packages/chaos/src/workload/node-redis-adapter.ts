import { keyHashSlot } from "@shardline/core";
import { createCluster, TimeoutError } from "redis";
import { unexpectedReply, withTimeout, type ClusterClientAdapter, type ClusterClientOptions, type WaitOutcome } from "./adapter.js";

type Cluster = ReturnType<typeof createCluster>;

/**
 * node-redis 5's createCluster with default options but for what the
 * scenario sets: a per-command `timeout` (commandOptions), `useReplicas`
 * for replica reads (node-redis then sends READONLY on its replica
 * connections and spreads a slot's reads over its primary and replicas,
 * not over replicas only), and the natMap as `nodeAddressMap`.
 *
 * node-redis's `timeout` bounds only the time a command waits to be
 * written: once on the socket it waits for its reply until the socket
 * closes (commands-queue.js drops the timer when it writes the command).
 * So against a paused or blackholed node it never fires, and the
 * workload's own timer is what bounds the operation. `socket.socketTimeout`
 * would close an idle socket instead, but it also closes sockets that are
 * merely quiet, and it is not what an application runs with by default.
 */
export function createNodeRedisAdapter(options: ClusterClientOptions): ClusterClientAdapter {
  const cluster = createCluster({
    rootNodes: options.seeds.map((seed) => ({ socket: { host: seed.host, port: seed.port } })),
    useReplicas: options.reads === "replica",
    ...(options.natMap === undefined ? {} : { nodeAddressMap: options.natMap }),
    commandOptions: { timeout: options.commandTimeoutMs },
  });
  // Discovery errors come as `error` (which would throw without a listener), each node's as `node-error`.
  cluster.on("error", options.onError);
  cluster.on("node-error", options.onError);
  return new NodeRedisAdapter(cluster, options.commandTimeoutMs);
}

class NodeRedisAdapter implements ClusterClientAdapter {
  constructor(
    private readonly cluster: Cluster,
    private readonly commandTimeoutMs: number,
  ) {}

  async connect(timeoutMs: number): Promise<void> {
    await withTimeout(this.cluster.connect(), timeoutMs, `node-redis did not connect to the cluster within ${timeoutMs} ms`);
  }

  async set(key: string, value: string): Promise<void> {
    const reply = await this.send(key, false, ["SET", key, value]);
    if (reply !== "OK") throw unexpectedReply("SET", reply);
  }

  /**
   * node-redis's cluster pipelines (`multi().execAsPipeline()`) reject with
   * the first error of the batch, which cannot tell a failed SET from a
   * failed WAIT, and `multi().exec()` is a transaction. So this takes the
   * connection of the key's primary from the client's slot map and sends
   * both commands on it back to back, each with its own promise. Like
   * node-redis's own pipelines it does not follow MOVED: a SET that meets
   * one fails with it.
   */
  async setWithWait(key: string, value: string, replicas: number, timeoutMs: number): Promise<WaitOutcome> {
    const slot = keyHashSlot(key);
    const primary = this.cluster.slots[slot]?.master;
    // The text says what classifyError reads as never sent: no command was written.
    if (primary === undefined) throw new Error(`Cluster isn't ready: node-redis knows no primary for slot ${slot}`);
    const client = await this.cluster.nodeClient(primary);
    const setReply: Promise<unknown> = client.sendCommand(["SET", key, value], { timeout: this.commandTimeoutMs });
    const waitReply: Promise<unknown> = client.sendCommand(["WAIT", String(replicas), String(timeoutMs)], { timeout: this.commandTimeoutMs + timeoutMs });
    // Settled below or ignored: never an unhandled rejection.
    waitReply.catch(() => {});
    const set = await setReply.catch((error: unknown) => {
      throw describeTimeout(error, this.commandTimeoutMs);
    });
    if (set !== "OK") throw unexpectedReply("SET", set);
    const waited = await waitReply.catch(() => undefined);
    return { waitReplicas: typeof waited === "number" ? waited : undefined };
  }

  async get(key: string): Promise<string | null> {
    const reply = await this.send(key, true, ["GET", key]);
    if (reply !== null && typeof reply !== "string") throw unexpectedReply("GET", reply);
    return reply;
  }

  async incr(key: string): Promise<number> {
    const reply = await this.send(key, false, ["INCR", key]);
    if (typeof reply !== "number") throw unexpectedReply("INCR", reply);
    return reply;
  }

  async close(): Promise<void> {
    // destroy, not close: close waits for replies that a paused node never sends. It is also called
    // after a failed connect, when node-redis may hold half-open connections, so it is not guarded by isOpen.
    try {
      this.cluster.destroy();
    } catch {
      // Already destroyed.
    }
  }

  private async send(key: string, readonly: boolean, args: string[]): Promise<unknown> {
    try {
      return await this.cluster.sendCommand(key, readonly, args);
    } catch (error) {
      throw describeTimeout(error, this.commandTimeoutMs);
    }
  }
}

/**
 * node-redis's TimeoutError has an empty message; give it one classifyError
 * and people can read. It means the command was never written (see above),
 * but classifyError files it with the timeouts, as unknown: the cautious side.
 */
function describeTimeout(error: unknown, timeoutMs: number): unknown {
  if (!(error instanceof TimeoutError) || error.message !== "") return error;
  return new Error(`Command timed out after ${timeoutMs} ms waiting to be written (node-redis TimeoutError)`);
}
