import { keyHashSlot, type FaultRule } from "@shardline/core";
import { ControlClient } from "@shardline/server";
import type { LaunchedNode } from "@shardline/chaos";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./support/cluster.js";
import { RawConnection } from "./support/raw-client.js";
import { until } from "./support/until.js";

/**
 * Network faults played by the nodes themselves on real processes: set over
 * each node's control link (the bus port, authenticated with the cluster
 * secret), as the chaos runner sets them.
 */
describe("network faults on the default nine-node cluster", () => {
  let cluster: TestCluster;
  const controls = new Map<string, ControlClient>();
  const ids = new Map<string, string>();

  const control = async (node: LaunchedNode): Promise<ControlClient> => {
    let client = controls.get(node.name);
    if (client === undefined || !client.isOpen) {
      client = await ControlClient.connect(node.host, node.busPort, cluster.topology.secret);
      controls.set(node.name, client);
    }
    return client;
  };
  const healAll = () => Promise.all(cluster.state.nodes.map(async (node) => (await control(node)).clearFaults()));
  const nodeNamed = (shard: number, role: "primary" | "replica") => cluster.state.nodes.find((n) => n.shard === shard && n.initialRole === role)!;

  beforeAll(async () => {
    cluster = await startTestCluster("faults");
    for (const node of cluster.state.nodes) {
      const connection = await RawConnection.connect(node.port);
      ids.set(node.name, bulk(await connection.command("CLUSTER", "MYID")));
      connection.close();
    }
  }, 90_000);

  afterEach(async () => {
    if (cluster !== undefined) await healAll();
  });

  afterAll(async () => {
    for (const client of controls.values()) client.close();
    await cluster?.stop();
  }, 30_000);

  const everyClient = (action: FaultRule["action"]): FaultRule[] => [{ id: "clients", peers: "*", channels: ["client"], direction: "both", action }];

  it("holds a blackholed client's commands without a reset, and answers them when healed", async () => {
    const node = nodeNamed(2, "replica");
    const connection = await RawConnection.connect(node.port);
    try {
      await (await control(node)).setFaults(everyClient({ kind: "blackhole" }), 60_000);
      connection.write("*1\r\n$4\r\nPING\r\n");
      await expect(connection.readReply(400)).rejects.toThrow(/no complete reply/);
      expect(connection.isClosed).toBe(false);
      await (await control(node)).clearFaults();
      expect(await connection.readReply(2000)).toBe("+PONG\r\n");
    } finally {
      connection.close();
    }
  });

  it("resets client connections under a partition and refuses new ones until healed", async () => {
    const node = nodeNamed(3, "replica");
    const existing = await RawConnection.connect(node.port);
    expect(await existing.command("PING")).toBe("+PONG\r\n");
    await (await control(node)).setFaults(everyClient({ kind: "partition" }), 60_000);
    await until("the existing connection to be reset", async () => existing.isClosed);
    const refused = await RawConnection.connect(node.port);
    await until("a new connection to be closed", async () => refused.isClosed);
    await (await control(node)).clearFaults();
    const after = await RawConnection.connect(node.port);
    expect(await after.command("PING")).toBe("+PONG\r\n");
    after.close();
  });

  it("delays client traffic by the latency in each direction", async () => {
    const node = nodeNamed(1, "replica");
    const connection = await RawConnection.connect(node.port);
    try {
      await (await control(node)).setFaults(everyClient({ kind: "latency", delayMs: 150, jitterMs: 0 }), 60_000);
      const startedMs = performance.now();
      expect(await connection.command("PING")).toBe("+PONG\r\n");
      // 150 ms in, 150 ms out: the round trip cannot be shorter.
      expect(performance.now() - startedMs).toBeGreaterThanOrEqual(295);
    } finally {
      connection.close();
    }
  });

  it("lists the rules in force with SHARDLINE FAULTS and refuses a malformed rule set, naming the field", async () => {
    const node = nodeNamed(2, "primary");
    const client = await control(node);
    await client.setFaults([{ id: "slow-bus", peers: [ids.get(nodeNamed(2, "replica").name)!], channels: ["bus"], direction: "out", action: { kind: "latency", delayMs: 5, jitterMs: 1 } }], 60_000);
    const connection = await RawConnection.connect(node.port);
    expect(await connection.command("SHARDLINE", "FAULTS")).toBe(`*1\r\n*5\r\n$8\r\nslow-bus\r\n$22\r\nlatency 5ms jitter 1ms\r\n$3\r\nout\r\n$3\r\nbus\r\n$40\r\n${ids.get(nodeNamed(2, "replica").name)}\r\n`);
    connection.close();
    await expect(client.setFaults([{ id: "x", peers: "*", channels: ["bus"], direction: "up", action: { kind: "partition" } } as unknown as FaultRule], 1000)).rejects.toThrow(
      /refused the request: rules\[0\]\.direction: must be in, out or both/,
    );
    expect((await client.getFaults()).map((rule) => rule.id)).toEqual(["slow-bus"]);
  });

  it("refuses a control link that does not know the cluster secret", async () => {
    const node = nodeNamed(1, "primary");
    await expect(ControlClient.connect(node.host, node.busPort, "wrong-secret", 3000)).rejects.toThrow(/check the cluster secret/);
  });

  it("records the writes a primary accepts, by configuration, for SHARDLINE WRITES", async () => {
    const primary = nodeNamed(3, "primary");
    const connection = await RawConnection.connect(primary.port);
    try {
      // {a} hashes to slot 15495, which shard 3 serves.
      for (let i = 0; i < 5; i++) expect(await connection.command("SET", `{a}:${i}`, "x")).toBe("+OK\r\n");
      const reply = await connection.command("SHARDLINE", "WRITES");
      const [start, end] = primary.slotRanges[0]!;
      expect(reply).toContain(`$${`${start}-${end}`.length}\r\n${start}-${end}\r\n`);
      expect(reply).toMatch(/:([5-9]|\d\d+)\r\n$/);
    } finally {
      connection.close();
    }
  });

  it("fences a primary whose AZ is cut off, promotes a replica on the majority side, and heals to one primary per shard with equal digests", async () => {
    const victim = nodeNamed(1, "primary");
    const zone = victim.availabilityZone;
    const inside = cluster.state.nodes.filter((n) => n.availabilityZone === zone);
    const outside = cluster.state.nodes.filter((n) => n.availabilityZone !== zone);
    const outsideIds = outside.map((n) => ids.get(n.name)!);
    const key = keyOfShard(victim);
    const writer = await RawConnection.connect(victim.port);
    try {
      expect(await writer.command("SET", key, "before")).toBe("+OK\r\n");
      const isolatedAtMs = Date.now();
      for (const node of inside) {
        await (await control(node)).setFaults([{ id: `isolate-${zone}`, peers: outsideIds, channels: ["bus", "replication"], direction: "both", action: { kind: "partition" } }], 60_000);
      }
      // Clients still reach the isolated primary: it must stop taking writes once it has not heard the majority for the node timeout.
      let refusedAtMs = 0;
      await until("the isolated primary to refuse writes", async () => {
        const reply = await writer.command("SET", key, "during");
        if (reply.startsWith("-CLUSTERDOWN")) refusedAtMs = Date.now();
        return refusedAtMs !== 0;
      }, 15_000);
      // Not at once: the fence waits until the majority's last word is a node timeout old. That word can be up to
      // half a node timeout old when the cut comes (more on a loaded machine), so only a quarter is certain here;
      // the exact bound is checked on virtual time in packages/core/test/cluster-failover.test.ts.
      expect(refusedAtMs - isolatedAtMs).toBeGreaterThanOrEqual(cluster.topology.nodeTimeoutMs / 4);
      const replicas = outside.filter((n) => n.shard === victim.shard);
      await until("a replica on the majority side to take the slots", async () => {
        for (const replica of replicas) if ((await roleOf(replica)) === "master") return true;
        return false;
      }, 15_000);
    } finally {
      writer.close();
    }
    for (const node of inside) await (await control(node)).clearFaults();
    await until("the old primary to come back as a replica", async () => (await roleOf(victim)) === "slave", 20_000);
    await until("one primary per shard and equal digests in every shard", async () => {
      for (let shard = 1; shard <= cluster.topology.shards; shard++) {
        const members = cluster.state.nodes.filter((n) => n.shard === shard);
        const roles = await Promise.all(members.map(roleOf));
        if (roles.filter((role) => role === "master").length !== 1) return false;
        const digests = new Set(await Promise.all(members.map(digestOf)));
        if (digests.size !== 1) return false;
      }
      return true;
    }, 30_000);
  }, 90_000);
});

/** A key served by the node's shard (hash tags keep it there). */
function keyOfShard(node: LaunchedNode): string {
  const [start, end] = node.slotRanges[0]!;
  for (let i = 0; ; i++) {
    const slot = keyHashSlot(`{k${i}}`);
    if (slot >= start && slot <= end) return `{k${i}}:x`;
  }
}

function bulk(reply: string): string {
  return reply.split("\r\n")[1]!;
}

async function roleOf(node: LaunchedNode): Promise<string> {
  const connection = await RawConnection.connect(node.port);
  try {
    // *3\r\n$6\r\nmaster\r\n...: the role is the first element.
    return (await connection.command("ROLE")).split("\r\n")[2]!;
  } finally {
    connection.close();
  }
}

async function digestOf(node: LaunchedNode): Promise<string> {
  const connection = await RawConnection.connect(node.port);
  try {
    return await connection.command("DEBUG", "DIGEST");
  } finally {
    connection.close();
  }
}

