import { existsSync } from "node:fs";
import { join } from "node:path";
import { isNodeProcess, restartNode, type LaunchedNode } from "@shardline/chaos";
import IORedis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./support/cluster.js";
import { until } from "./support/until.js";

const Redis = IORedis.default ?? IORedis;

async function call(node: LaunchedNode, ...args: string[]): Promise<unknown> {
  const redis = new Redis({ port: node.port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
  redis.on("error", () => {});
  try {
    return await redis.call(args[0]!, ...args.slice(1));
  } finally {
    redis.disconnect();
  }
}

async function stat(node: LaunchedNode, section: string, field: string): Promise<string | undefined> {
  const text = String(await call(node, "INFO", section));
  return /^(\S+):(.*)$/m.test(text) ? new RegExp(`^${field}:(.*)\\r$`, "m").exec(text)?.[1] : undefined;
}


describe("snapshots on disk (save points)", () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster("persist", { shards: 1, replicasPerShard: 2, nodeConfig: { save: "1 1" } });
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it("lets a replica killed and restarted within the backlog window continue with a partial resync", async () => {
    const primary = cluster.state.nodes.find((n) => n.initialRole === "primary")!;
    const replica = cluster.state.nodes.find((n) => n.initialRole === "replica")!;
    const redis = new Redis({ port: primary.port, host: "127.0.0.1" });
    try {
      for (let i = 0; i < 500; i++) await redis.set(`before:${i}`, String(i));
      await until("the replica to save a snapshot with the data", async () => {
        const synced = (await stat(replica, "replication", "slave_repl_offset")) === (await stat(primary, "replication", "master_repl_offset"));
        return synced && existsSync(join(replica.directory, "shardline-dataset.msgpack"));
      });
      // Let a save point pass after the last write, so the snapshot holds it.
      await new Promise((r) => setTimeout(r, 2500));
      const partialBefore = Number(await stat(primary, "stats", "sync_partial_ok"));
      process.kill(replica.pid, "SIGKILL");
      await until("the replica to die", async () => !isNodeProcess(replica.pid));
      for (let i = 0; i < 200; i++) await redis.set(`after:${i}`, String(i));
      const restarted = await restartNode(cluster.runDirectory, replica.name);
      cluster.state.nodes[cluster.state.nodes.indexOf(replica)] = restarted;
      await until("a partial resync", async () => Number(await stat(primary, "stats", "sync_partial_ok")) > partialBefore);
      await until("equal digests", async () => (await call(restarted, "DEBUG", "DIGEST")) === (await call(primary, "DEBUG", "DIGEST")));
      expect(await call(restarted, "DBSIZE")).toBe(700);
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});
