import { isNodeProcess, restartNode, type LaunchedNode, type RunState } from "@shardline/chaos";
import IORedis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./support/cluster.js";
import { until } from "./support/until.js";

const Redis = IORedis.default ?? IORedis;
type Connection = InstanceType<typeof Redis>;

/** A plain connection to one node (no cluster redirects), closed by the caller. */
function connect(node: LaunchedNode): Connection {
  return new Redis({ port: node.port, host: "127.0.0.1", maxRetriesPerRequest: 2, lazyConnect: false });
}

async function info(node: LaunchedNode, section: string): Promise<Record<string, string>> {
  const redis = connect(node);
  try {
    const text = (await redis.info(section)) as string;
    return Object.fromEntries(text.split("\r\n").filter((l) => l.includes(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1)]));
  } finally {
    redis.disconnect();
  }
}

async function digest(node: LaunchedNode): Promise<string> {
  const redis = connect(node);
  try {
    return String(await redis.call("DEBUG", "DIGEST"));
  } finally {
    redis.disconnect();
  }
}


/** Every replica of each shard reaches its primary's offset and digest. */
async function expectShardsConverged(state: RunState): Promise<void> {
  for (const shard of [1, 2, 3]) {
    const members = state.nodes.filter((n) => n.shard === shard);
    const primary = members.find((n) => n.initialRole === "primary")!;
    await until(`shard ${shard} replicas to reach the primary's offset`, async () => {
      const offset = (await info(primary, "replication")).master_repl_offset;
      for (const replica of members.filter((n) => n !== primary)) {
        const replicaInfo = await info(replica, "replication");
        if (replicaInfo.master_link_status !== "up" || replicaInfo.slave_repl_offset !== offset) return false;
      }
      return true;
    });
    const expected = await digest(primary);
    expect(expected).not.toBe("0".repeat(40));
    for (const replica of members.filter((n) => n !== primary)) expect(await digest(replica)).toBe(expected);
  }
}

describe("replication on the default nine-node cluster", () => {
  let cluster: TestCluster;
  let state: RunState;
  let runDirectory: string;

  beforeAll(async () => {
    cluster = await startTestCluster("repl");
    ({ state, runDirectory } = cluster);
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it("gives every replica its primary's exact data after a write load of every type", async () => {
    const cluster = new Redis.Cluster([{ host: "127.0.0.1", port: state.nodes[0]!.port }]);
    try {
      for (let round = 0; round < 20; round++) {
        const writes: Promise<unknown>[] = [];
        for (let i = 0; i < 200; i++) {
          const n = round * 200 + i;
          writes.push(cluster.set(`s:${n}`, `v${n}`));
          writes.push(cluster.incr(`counter:${n % 50}`));
          writes.push(cluster.hset(`h:${n % 100}`, `f${n}`, String(n)));
          writes.push(cluster.rpush(`l:${n % 40}`, String(n)));
          writes.push(cluster.sadd(`set:${n % 30}`, String(n % 97)));
          writes.push(cluster.zadd(`z:${n % 20}`, n * 1.5, `m${n}`));
          writes.push(cluster.set(`ttl:${n}`, "x", "PX", 60_000));
          if (n % 7 === 0) writes.push(cluster.lpop(`l:${n % 40}`));
          if (n % 11 === 0) writes.push(cluster.spop(`set:${n % 30}`));
          if (n % 13 === 0) writes.push(cluster.incrbyfloat(`f:${n % 5}`, "0.1"));
        }
        await Promise.all(writes);
      }
    } finally {
      cluster.disconnect();
    }
    await expectShardsConverged(state);
  }, 120_000);

  it("acknowledges writes with WAIT on a healthy shard", async () => {
    const primary = state.nodes.find((n) => n.initialRole === "primary" && n.shard === 1)!;
    const redis = connect(primary);
    try {
      await redis.set("foo{hash_tag}", "1");
      expect(await redis.call("WAIT", "1", "100")).toBeGreaterThanOrEqual(1);
      expect(await redis.call("WAIT", "2", "1000")).toBe(2);
      const role = (await redis.call("ROLE")) as unknown[];
      expect(role[0]).toBe("master");
      expect((role[2] as unknown[]).length).toBe(2);
    } finally {
      redis.disconnect();
    }
  });

  it("brings a killed replica back with a full sync while the primary keeps serving", async () => {
    const primary = state.nodes.find((n) => n.initialRole === "primary" && n.shard === 2)!;
    const replica = state.nodes.find((n) => n.initialRole === "replica" && n.shard === 2)!;
    const before = Number((await info(primary, "stats")).sync_full);
    process.kill(replica.pid, "SIGKILL");
    await until("the replica to die", async () => !isNodeProcess(replica.pid));
    const cluster = new Redis.Cluster([{ host: "127.0.0.1", port: primary.port }]);
    const served: number[] = [];
    try {
      const load = (async () => {
        for (let i = 0; i < 3000; i++) {
          await cluster.set(`{shard2load}${i}`, String(i));
          served.push(i);
        }
      })();
      const restarted = await restartNode(runDirectory, replica.name);
      state.nodes[state.nodes.indexOf(replica)] = restarted;
      await load;
    } finally {
      cluster.disconnect();
    }
    expect(served.length).toBe(3000);
    await until("a full sync to be counted", async () => Number((await info(primary, "stats")).sync_full) > before);
    await expectShardsConverged(state);
  }, 60_000);

  it("refuses writes with NOREPLICAS when min-replicas-to-write cannot be met", async () => {
    const primary = state.nodes.find((n) => n.initialRole === "primary" && n.shard === 3)!;
    const replicas = state.nodes.filter((n) => n.initialRole === "replica" && n.shard === 3);
    const redis = connect(primary);
    try {
      await redis.config("SET", "min-replicas-to-write", "1");
      await redis.config("SET", "min-replicas-max-lag", "2");
      const key = "a"; // slot 15495, served by shard 3
      expect(await redis.set(key, "1")).toBe("OK");
      for (const replica of replicas) process.kill(replica.pid, "SIGKILL");
      await until("the primary to count no fresh replica", async () => {
        try {
          await redis.set(key, "2");
          return false;
        } catch (error) {
          return (error as Error).message === "NOREPLICAS Not enough good replicas to write.";
        }
      });
      // Writes stay refused while no replica is fresh; reads are still served.
      await expect(redis.set(key, "3")).rejects.toThrow("NOREPLICAS Not enough good replicas to write.");
      expect(["1", "2"]).toContain(await redis.get(key));
    } finally {
      redis.disconnect();
    }
  }, 30_000);
});
