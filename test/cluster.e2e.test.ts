import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { down, isNodeProcess, restartNode, type RunState } from "@shardline/chaos";
import type { Topology } from "@shardline/core";
import IORedis from "ioredis";
import { createCluster } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./support/cluster.js";
import { freePortRange, redisCliAvailable, skipReason, startShardlineNode, type Spawned } from "./support/processes.js";
import { RawConnection } from "./support/raw-client.js";

const Redis = IORedis.default ?? IORedis;

/**
 * The default nine-node, three-AZ cluster, started by the same launcher as
 * `shardline up`, on free ports, driven by unmodified cluster clients.
 */
describe("a nine-node three-AZ cluster from `shardline up`", () => {
  let cluster: TestCluster;
  let runDirectory: string;
  let state: RunState;
  let topology: Topology;

  beforeAll(async () => {
    cluster = await startTestCluster("e2e");
    ({ runDirectory, state, topology } = cluster);
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it("reports cluster_state:ok on every node with three primaries in three AZs", async () => {
    for (const node of state.nodes) {
      const info = await RawConnection.connect(node.port).then(async (c) => {
        const reply = await c.command("CLUSTER", "INFO");
        c.close();
        return reply;
      });
      expect(info).toContain("cluster_state:ok");
      expect(info).toContain("cluster_known_nodes:9");
      expect(info).toContain("cluster_size:3");
    }
    const primaries = state.nodes.filter((n) => n.initialRole === "primary");
    expect(new Set(primaries.map((n) => n.availabilityZone)).size).toBe(3);
  });

  it("lists a bus link to and from every other node in CLUSTER LINKS", async () => {
    const redis = new Redis({ port: topology.basePort, host: "127.0.0.1" });
    try {
      for (let attempt = 0; attempt < 50; attempt++) {
        const links = (await redis.call("CLUSTER", "LINKS")) as string[][];
        const directions = links.map((fields) => fields[fields.indexOf("direction") + 1]);
        if (directions.filter((d) => d === "to").length === 8 && directions.filter((d) => d === "from").length === 8) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("CLUSTER LINKS never showed 8 links each way");
    } finally {
      redis.disconnect();
    }
  });

  it("serves 100,000 keys over every slot to ioredis Cluster with default options", async () => {
    const cluster = new Redis.Cluster([{ host: "127.0.0.1", port: topology.basePort }]);
    try {
      const count = 100_000;
      for (let i = 0; i < count; i += 2000) {
        await Promise.all(Array.from({ length: 2000 }, (_, j) => cluster.set(`key:${i + j}`, `value:${i + j}`)));
      }
      let mismatches = 0;
      for (let i = 0; i < count; i += 2000) {
        const values = await Promise.all(Array.from({ length: 2000 }, (_, j) => cluster.get(`key:${i + j}`)));
        values.forEach((value, j) => value !== `value:${i + j}` && mismatches++);
      }
      expect(mismatches).toBe(0);
      const sizes = await Promise.all(cluster.nodes("master").map((node) => node.dbsize()));
      expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(count);
      for (const size of sizes) expect(size).toBeGreaterThan(count / 4);
      expect(await cluster.mset("{user:1}:name", "ada", "{user:1}:lang", "en")).toBe("OK");
      expect(await cluster.mget("{user:1}:name", "{user:1}:lang")).toEqual(["ada", "en"]);
      await expect(cluster.call("MSET", "a", "1", "b", "2")).rejects.toThrow("CROSSSLOT Keys in request don't hash to the same slot");
    } finally {
      cluster.disconnect();
    }
  }, 120_000);

  it("serves 100,000 keys to node-redis createCluster with default options", async () => {
    const cluster = createCluster({ rootNodes: [{ url: `redis://127.0.0.1:${topology.basePort}` }] });
    cluster.on("error", () => {});
    await cluster.connect();
    try {
      const count = 100_000;
      for (let i = 0; i < count; i += 2000) await Promise.all(Array.from({ length: 2000 }, (_, j) => cluster.set(`nr:${i + j}`, String(i + j))));
      let mismatches = 0;
      for (let i = 0; i < count; i += 2000) {
        const values = await Promise.all(Array.from({ length: 2000 }, (_, j) => cluster.get(`nr:${i + j}`)));
        values.forEach((value, j) => value !== String(i + j) && mismatches++);
      }
      expect(mismatches).toBe(0);
      expect(await cluster.mGet(["{tag}a", "{tag}b"])).toEqual([null, null]);
    } finally {
      await cluster.close();
    }
  }, 120_000);

  it("answers a client at the wrong node with MOVED to the owner, and ioredis follows it", async () => {
    const connection = await RawConnection.connect(topology.basePort);
    // "a" hashes to slot 15495, served by the third shard's primary.
    const owner = state.nodes.find((n) => n.initialRole === "primary" && n.slotRanges[0]![0] <= 15495 && 15495 <= n.slotRanges[0]![1])!;
    expect(await connection.command("SET", "a", "1")).toBe(`-MOVED 15495 127.0.0.1:${owner.port}\r\n`);
    expect(await connection.command("SELECT", "1")).toBe("-ERR SELECT is not allowed in cluster mode\r\n");
    connection.close();
    const cluster = new Redis.Cluster([{ host: "127.0.0.1", port: topology.basePort }]);
    await cluster.set("a", "1");
    expect(await cluster.get("a")).toBe("1");
    cluster.disconnect();
  });

  it.skipIf(skipReason(redisCliAvailable, "redis-cli"))("passes redis-cli --cluster check and follows redirects with redis-cli -c", () => {
    const check = spawnSync("redis-cli", ["--cluster", "check", `127.0.0.1:${topology.basePort}`], { encoding: "utf8" });
    expect(check.stdout).toContain("[OK] All nodes agree about slots configuration.");
    expect(check.stdout).toContain("[OK] All 16384 slots covered.");
    const set = spawnSync("redis-cli", ["-c", "-p", String(topology.basePort), "SET", "a", "via-cli"], { encoding: "utf8" });
    expect(set.stdout.trim()).toBe("OK");
    const get = spawnSync("redis-cli", ["-c", "-p", String(topology.basePort), "GET", "a"], { encoding: "utf8" });
    expect(get.stdout.trim()).toBe("via-cli");
  });

  it("brings a killed node back with its identity and slots from its nodes file", async () => {
    const victim = state.nodes.find((n) => n.initialRole === "primary" && n.shard === 2)!;
    const before = await RawConnection.connect(victim.port);
    const id = await before.command("CLUSTER", "MYID");
    before.close();
    process.kill(victim.pid, "SIGKILL");
    while (isNodeProcess(victim.pid)) await new Promise((r) => setTimeout(r, 20));
    const restarted = await restartNode(runDirectory, victim.name);
    state.nodes[state.nodes.indexOf(victim)] = restarted;
    const after = await RawConnection.connect(victim.port);
    expect(await after.command("CLUSTER", "MYID")).toBe(id);
    const nodes = await after.command("CLUSTER", "NODES");
    const myself = nodes.split("\n").find((line) => line.includes("myself"))!;
    expect(myself).toContain(`${victim.slotRanges[0]![0]}-${victim.slotRanges[0]![1]}`);
    expect(myself).toContain("master");
    for (let i = 0; i < 100; i++) {
      if ((await after.command("CLUSTER", "INFO")).includes("cluster_known_nodes:9")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await after.command("CLUSTER", "INFO")).toContain("cluster_known_nodes:9");
    after.close();
  }, 30_000);

  it("stops every process with down", async () => {
    const pids = state.nodes.map((n) => n.pid);
    expect(await down(runDirectory, () => {})).toBe(9);
    expect(pids.filter((pid) => isNodeProcess(pid))).toEqual([]);
  }, 30_000);
});

describe.skipIf(skipReason(redisCliAvailable, "redis-cli"))("redis-cli --cluster create with blank shardline nodes", () => {
  const nodes: Spawned[] = [];
  let directory: string | undefined;

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    // Only once every node has stopped: a running node may be writing its nodes file there.
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it("forms a working cluster of nine nodes with two replicas each", async () => {
    const base = await freePortRange(9, 10000);
    directory = mkdtempSync(join(tmpdir(), "shardline-create-"));
    for (let i = 0; i < 9; i++) {
      nodes.push(await startShardlineNodeAt(base + i, directory));
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    const create = spawnSync("redis-cli", ["--cluster", "create", ...addresses, "--cluster-replicas", "2", "--cluster-yes"], { encoding: "utf8", timeout: 60_000 });
    expect(create.stdout).toContain("[OK] All 16384 slots covered.");
    let check = "";
    for (let attempt = 0; attempt < 50; attempt++) {
      check = spawnSync("redis-cli", ["--cluster", "check", addresses[0]!], { encoding: "utf8" }).stdout;
      if (check.includes("[OK] All nodes agree about slots configuration.")) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(check).toContain("[OK] All nodes agree about slots configuration.");
    expect(check).toContain("[OK] All 16384 slots covered.");
    expect((check.match(/M: [0-9a-f]{40} /g) ?? []).length).toBe(3);
    // Like ioredis, wait for cluster_state:ok everywhere before writing (a new primary waits 2 s, as in Redis).
    for (let attempt = 0; attempt < 100; attempt++) {
      const states = nodes.map((node) => spawnSync("redis-cli", ["-p", String(node.port), "CLUSTER", "INFO"], { encoding: "utf8" }).stdout);
      if (states.every((info) => info.includes("cluster_state:ok"))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const set = spawnSync("redis-cli", ["-c", "-p", String(base), "SET", "somekey", "1"], { encoding: "utf8" });
    expect(set.stdout.trim()).toBe("OK");
  }, 90_000);

  async function startShardlineNodeAt(port: number, directory: string): Promise<Spawned> {
    // startShardlineNode picks its own port; pin it so bus ports (port + 10000) stay inside the free range.
    return startShardlineNode(["--port", String(port), "--cluster-enabled", "yes", "--dir", directory, "--cluster-config-file", `nodes-${port}.conf`]);
  }
});
