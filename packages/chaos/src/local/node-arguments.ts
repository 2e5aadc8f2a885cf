import type { PlacedNode, Topology } from "@shardline/core";

/** Where a node keeps its files. */
export interface NodeFiles {
  /** Its working directory (`dir`): snapshots, and the nodes file unless `nodesFile` says otherwise. */
  directory: string;
  /** Its nodes file (`cluster-config-file`). */
  nodesFile: string;
  /** Its JSON log; undefined logs to stdout (as containers do). */
  logFile: string | undefined;
}

/**
 * The configuration of one node of a topology, as `--name value` flags of
 * shardline-node: the one description (DESIGN.md, principle 6) every way of
 * running a cluster starts its nodes from. `extra` comes last, so it wins.
 */
export function nodeArguments(topology: Topology, node: PlacedNode, files: NodeFiles, extra: readonly string[] = []): string[] {
  const args = [
    "--port", String(node.port),
    "--bind", node.host,
    "--dir", files.directory,
    ...(files.logFile === undefined ? [] : ["--logfile", files.logFile]),
    "--cluster-enabled", "yes",
    "--cluster-config-file", files.nodesFile,
    "--cluster-port", String(node.busPort),
    "--cluster-node-timeout", String(topology.nodeTimeoutMs),
    "--cluster-require-full-coverage", topology.requireFullCoverage ? "yes" : "no",
    "--cluster-secret", topology.secret,
    "--availability-zone", node.availabilityZone,
    // DEBUG DIGEST from loopback clients, so scenarios can prove replicas equal their primary.
    "--enable-debug-command", "local",
  ];
  for (const [name, value] of Object.entries(topology.nodeConfig)) args.push(`--${name}`, String(value));
  args.push(...extra);
  return args;
}

/**
 * Where a node in a container keeps its files: a directory of the
 * container's own filesystem (it survives a container restart, so a killed
 * node comes back with its identity, and goes with `docker compose down`,
 * as `shardline down` forgets the nodes files), and its log on stdout,
 * where `docker compose logs` reads it.
 */
export const CONTAINER_NODE_FILES: Readonly<NodeFiles> = Object.freeze({ directory: "/data", nodesFile: "/data/nodes.conf", logFile: undefined });

/**
 * What a node in a container needs beyond its topology's configuration,
 * passed as nodeArguments' `extra` (later flags win):
 * - listen on every interface: the container's loopback is its own;
 * - announce its fixed address on the compose network: with bind 0.0.0.0
 *   and no announce-ip a node announces 127.0.0.1, which neither peers nor
 *   clients in other containers can reach; and its name, as ElastiCache
 *   nodes carry an endpoint name;
 * - DEBUG from any client, not only loopback ones: the scenario runner,
 *   in a container of its own, proves replicas equal with DEBUG DIGEST.
 */
export function containerNodeExtras(node: Pick<PlacedNode, "name">, announceIp: string): string[] {
  return [
    "--bind", "0.0.0.0",
    "--cluster-announce-ip", announceIp,
    "--cluster-announce-hostname", node.name,
    "--enable-debug-command", "yes",
  ];
}
