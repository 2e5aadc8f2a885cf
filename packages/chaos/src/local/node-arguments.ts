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
