import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { placeNodes, type PlacedNode, type Topology } from "@shardline/core";
import { command, parseClusterNodes, parseInfo } from "./node-client.js";

/** Forming a cluster could not finish; the message says what it was waiting for or found, and what to do. */
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

/** Hash slots of a cluster: a formed cluster has them all assigned. */
const SLOT_COUNT = 16384;
/** Pause between attempts while waiting for nodes to resolve or answer. */
const RETRY_MS = 200;

/**
 * Where a set of nodes stands before forming: all blank (each knows only
 * itself, has no slots and no config epoch, as a node started without a
 * nodes file); formed (each knows all the others, perhaps more, and every
 * slot is assigned: roles are not compared, a failover may have swapped
 * them); or partly formed, which forming again would break (a busy slot
 * cannot be added, a node with an epoch cannot take another one).
 */
export type Formation = { kind: "blank" } | { kind: "formed" } | { kind: "partial"; nodes: string[] };

/** Reads every node's CLUSTER INFO and tells blank, formed and partly formed apart. */
export async function inspectFormation(nodes: readonly Pick<PlacedNode, "host" | "port">[]): Promise<Formation> {
  const views = [];
  for (const node of nodes) {
    const info = parseInfo(String(await command(node.host, node.port, "CLUSTER", "INFO")));
    views.push({
      where: `${node.host}:${node.port}`,
      knownNodes: Number(info.cluster_known_nodes),
      slotsAssigned: Number(info.cluster_slots_assigned),
      epoch: Number(info.cluster_my_epoch ?? 0),
    });
  }
  if (views.every((v) => v.knownNodes === 1 && v.slotsAssigned === 0 && v.epoch === 0)) return { kind: "blank" };
  if (views.every((v) => v.knownNodes >= nodes.length && v.slotsAssigned === SLOT_COUNT)) return { kind: "formed" };
  return { kind: "partial", nodes: views.map((v) => `${v.where} knows ${v.knownNodes} node(s), ${v.slotsAssigned} slot(s) assigned, config epoch ${v.epoch}`) };
}

export interface FormTopologyOptions {
  /**
   * Where the nodes answer. None: every node at the topology's host, on its
   * port (the local launcher's layout). One: every node at that host. One
   * per node: the nodes in port order (in docker compose, their names).
   * Names are resolved to IPv4 addresses: CLUSTER MEET takes addresses.
   */
  hosts: readonly string[];
  /** Bound on the whole: resolving, waiting for the nodes to answer, forming, and cluster_state:ok. */
  timeoutMs: number;
  log: (line: string) => void;
}

/**
 * Forms the topology's cluster from running blank nodes (the nodes of
 * `docker compose up`, say), with the same formCluster the launcher uses,
 * and waits for cluster_state:ok on every node. On an already formed
 * cluster it says so, forms nothing and only waits for ok, so running it
 * again is harmless. Returns whether it formed the cluster.
 */
export async function formTopology(topology: Topology, options: FormTopologyOptions): Promise<{ formed: boolean; nodes: number }> {
  const deadline = Date.now() + options.timeoutMs;
  const placed = placeNodes(topology);
  const hosts = hostsOfNodes(placed, topology, options.hosts);
  const nodes: PlacedNode[] = [];
  for (const [index, node] of placed.entries()) nodes.push({ ...node, host: await resolveAddress(hosts[index]!, deadline) });
  await waitUntilAnswering(nodes, deadline);
  const formation = await inspectFormation(nodes);
  if (formation.kind === "partial") {
    throw new ClusterFormError(
      `the nodes are neither blank nor a formed cluster, so forming them could break them:\n  ${formation.nodes.join("\n  ")}\nStart them again blank (docker compose down, then up; or shardline down, then up) and form again`,
    );
  }
  try {
    if (formation.kind === "formed") options.log(`cluster '${topology.name}' is already formed (every node knows the others, all ${SLOT_COUNT} slots assigned); not forming it again`);
    else await formCluster(nodes, deadline, options.log);
    options.log("waiting for cluster_state:ok on every node");
    await waitUntilOk(nodes, deadline);
  } catch (error) {
    if (!(error instanceof ClusterFormError)) throw error;
    throw new ClusterFormError(`${error.message}: the nodes' logs say why (docker compose logs, or the run directory's logs); a larger --timeout gives them longer`);
  }
  return { formed: formation.kind === "blank", nodes: nodes.length };
}

/** The host of each placed node, from the none / one / one-per-node rule of FormTopologyOptions.hosts. */
export function hostsOfNodes(placed: readonly PlacedNode[], topology: Topology, hosts: readonly string[]): string[] {
  if (hosts.length === 0) return placed.map(() => topology.host);
  if (hosts.length === 1) return placed.map(() => hosts[0]!);
  if (hosts.length === placed.length) return [...hosts];
  throw new ClusterFormError(
    `the topology has ${placed.length} nodes but --host gave ${hosts.length} hosts: give one host for all nodes, or one per node in port order (${placed.map((n) => n.name).join(" ")})`,
  );
}

/** An IPv4 address for `host`, retried until the deadline: a container's name resolves only once it is on the network. */
async function resolveAddress(host: string, deadline: number): Promise<string> {
  if (isIP(host) !== 0) return host;
  for (;;) {
    try {
      return (await lookup(host, { family: 4 })).address;
    } catch (error) {
      if (Date.now() > deadline) throw new ClusterFormError(`cannot resolve '${host}' (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): is the node running, and is this the name of its host?`);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

/** Resolves once every node answers PING; the error names the nodes that did not. */
async function waitUntilAnswering(nodes: readonly PlacedNode[], deadline: number): Promise<void> {
  let silent = [...nodes];
  for (;;) {
    const answers = await Promise.all(silent.map((node) => command(node.host, node.port, "PING").then((reply) => reply === "PONG", () => false)));
    silent = silent.filter((_, index) => !answers[index]);
    if (silent.length === 0) return;
    if (Date.now() > deadline) {
      const names = silent.map((node) => `${node.name} at ${node.host}:${node.port}`);
      throw new ClusterFormError(`timed out waiting for ${names.join(", ")} to answer PING: are the nodes running, and does --host name them in port order?`);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
