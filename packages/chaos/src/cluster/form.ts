import type { PlacedNode } from "@shardline/core";
import { command, parseClusterNodes, parseInfo } from "./node-client.js";

/** Forming a cluster did not finish in time; the message says what it was waiting for. */
export class ClusterFormError extends Error {}

/** What forming needs to know of a node: where it answers, and its place in the topology. */
export type FormableNode = Pick<PlacedNode, "host" | "port" | "busPort" | "shard" | "initialRole" | "slotRanges">;

/**
 * The redis-cli --cluster create sequence on blank nodes: each primary takes
 * its slots, every node a distinct config epoch, the first node meets the
 * others, and once every node knows every other one, each replica replicates
 * its shard's primary. `meetAddress` is the address the first node meets a
 * node at (an IP: CLUSTER MEET takes no hostnames); by default its host.
 */
export async function formCluster(
  nodes: readonly FormableNode[],
  deadline: number,
  log: (line: string) => void,
  meetAddress: (node: FormableNode) => string = (node) => node.host,
): Promise<void> {
  const [first] = nodes;
  if (first === undefined) return;
  for (const node of nodes) {
    for (const [start, end] of node.slotRanges) await command(node.host, node.port, "CLUSTER", "ADDSLOTSRANGE", start, end);
  }
  for (const [index, node] of nodes.entries()) await command(node.host, node.port, "CLUSTER", "SET-CONFIG-EPOCH", index + 1);
  for (const node of nodes.slice(1)) await command(first.host, first.port, "CLUSTER", "MEET", meetAddress(node), node.port, node.busPort);
  log("waiting for the cluster to join");
  await waitFor(deadline, "every node to know every other node", async () => {
    for (const node of nodes) {
      const lines = parseClusterNodes(String(await command(node.host, node.port, "CLUSTER", "NODES")));
      if (lines.length !== nodes.length || lines.some((l) => l.flags.includes("handshake"))) return false;
    }
    return true;
  });
  const ids = new Map<FormableNode, string>();
  for (const node of nodes) ids.set(node, String(await command(node.host, node.port, "CLUSTER", "MYID")));
  for (const node of nodes) {
    if (node.initialRole !== "replica") continue;
    const primary = nodes.find((n) => n.shard === node.shard && n.initialRole === "primary")!;
    await command(node.host, node.port, "CLUSTER", "REPLICATE", ids.get(primary)!);
  }
}

/** Resolves once every node reports cluster_state:ok (ioredis waits for the same before it is ready). */
export async function waitUntilOk(nodes: readonly Pick<PlacedNode, "host" | "port">[], deadline: number): Promise<void> {
  await waitFor(deadline, "cluster_state:ok on every node", async () => {
    for (const node of nodes) {
      const info = parseInfo(String(await command(node.host, node.port, "CLUSTER", "INFO")));
      if (info.cluster_state !== "ok") return false;
    }
    return true;
  });
}

async function waitFor(deadline: number, what: string, check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // A node not answering yet counts as not there.
    }
    if (Date.now() > deadline) throw new ClusterFormError(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
