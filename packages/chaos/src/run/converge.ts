import { splitSlots } from "@shardline/core";
import type { BackendNode } from "../backends/backend.js";
import { command, parseClusterNodes, parseInfo, type NodesLine } from "../cluster/node-client.js";
import { parseSlotRanges } from "./monitor.js";

/** What one look at the whole cluster found. */
export interface ConvergenceCheck {
  converged: boolean;
  /** What disagrees, for people ("shard 2 has 2 primaries: ..."). Empty when converged. */
  problems: string[];
  /** Each shard's primary by name, where there is exactly one. */
  primaries: Record<number, string>;
}

const LOOK_INTERVAL_MS = 250;

/**
 * Waits until the cluster has converged after the final heal, at most
 * `timeoutMs`: every node answers and reports cluster_state:ok; all nodes
 * have the same view of who owns which slots, who is primary and who
 * replicates whom, and flag no one as failing; every shard has exactly one
 * primary, every other member of it replicates that primary over a link that
 * is up, and holds exactly its data (DEBUG DIGEST). Returns when it was first
 * seen so, or undefined, with what still disagreed.
 */
export async function waitForConvergence(nodes: readonly BackendNode[], shards: number, timeoutMs: number, now: () => number): Promise<{ convergedAtMs: number | undefined; check: ConvergenceCheck }> {
  const deadline = now() + timeoutMs;
  let check: ConvergenceCheck;
  for (;;) {
    check = await lookAtCluster(nodes, shards);
    if (check.converged) return { convergedAtMs: now(), check };
    if (now() > deadline) return { convergedAtMs: undefined, check };
    await new Promise((resolve) => setTimeout(resolve, LOOK_INTERVAL_MS));
  }
}

interface NodeView {
  node: BackendNode;
  id: string;
  lines: NodesLine[];
  stateOk: boolean;
  linkUp: boolean;
}

export async function lookAtCluster(nodes: readonly BackendNode[], shards: number): Promise<ConvergenceCheck> {
  const problems: string[] = [];
  const views: NodeView[] = [];
  for (const node of nodes) {
    try {
      const lines = parseClusterNodes(String(await command(node.host, node.port, "CLUSTER", "NODES")));
      const info = parseInfo(String(await command(node.host, node.port, "CLUSTER", "INFO")));
      const replication = parseInfo(String(await command(node.host, node.port, "INFO", "replication")));
      const myself = lines.find((line) => line.flags.includes("myself"));
      if (myself === undefined) throw new Error("no myself line in CLUSTER NODES");
      views.push({ node, id: myself.id, lines, stateOk: info.cluster_state === "ok", linkUp: replication.role === "master" || replication.master_link_status === "up" });
    } catch (error) {
      problems.push(`${node.name} does not answer (${(error as Error).message})`);
    }
  }
  const nameOf = new Map(views.map((view) => [view.id, view.node.name]));
  const name = (id: string | undefined) => (id === undefined ? "-" : (nameOf.get(id) ?? id.slice(0, 8)));
  for (const view of views) if (!view.stateOk) problems.push(`${view.node.name} reports cluster_state:fail`);
  const reference = views[0];
  if (reference !== undefined) {
    const summary = (view: NodeView) => summarize(view.lines, name);
    const expected = summary(reference);
    for (const view of views.slice(1)) {
      const seen = summary(view);
      if (seen !== expected) problems.push(`${view.node.name} sees the cluster differently from ${reference.node.name}: ${firstDifference(seen, expected)}`);
    }
    for (const view of views) {
      for (const line of view.lines) if (line.flags.includes("fail") || line.flags.includes("fail?")) problems.push(`${view.node.name} flags ${name(line.id)} as ${line.flags.includes("fail") ? "failed" : "failing"}`);
    }
  }
  const primaries: Record<number, string> = {};
  const ranges = splitSlots(shards);
  for (let shard = 1; shard <= shards; shard++) {
    const [start] = ranges[shard - 1]!;
    const owners = views.filter((view) => {
      const myself = view.lines.find((line) => line.flags.includes("myself"))!;
      return myself.flags.includes("master") && parseSlotRanges(myself.slots).some(([from, to]) => from <= start && to >= start);
    });
    if (owners.length !== 1) {
      problems.push(`shard ${shard} has ${owners.length} primaries${owners.length > 0 ? `: ${owners.map((o) => o.node.name).join(", ")}` : ""}`);
      continue;
    }
    const primary = owners[0]!;
    primaries[shard] = primary.node.name;
    const digest = await digestOf(primary.node);
    for (const member of views.filter((view) => view.node.shard === shard && view !== primary)) {
      const myself = member.lines.find((line) => line.flags.includes("myself"))!;
      if (myself.primaryId !== primary.id) {
        problems.push(`${member.node.name} replicates ${name(myself.primaryId)}, not shard ${shard}'s primary ${primary.node.name}`);
        continue;
      }
      if (!member.linkUp) {
        problems.push(`${member.node.name}'s link to ${primary.node.name} is down`);
        continue;
      }
      const replicaDigest = await digestOf(member.node);
      if (replicaDigest !== digest) problems.push(`${member.node.name}'s data differs from its primary ${primary.node.name}'s (DEBUG DIGEST ${replicaDigest} vs ${digest})`);
    }
  }
  return { converged: problems.length === 0, problems, primaries };
}

/** One node's view of everyone's role, primary and slots, node by node, in a form two views compare as text. */
function summarize(lines: readonly NodesLine[], name: (id: string | undefined) => string): string {
  return [...lines]
    .map((line) => `${name(line.id)} ${line.flags.includes("master") ? "primary" : "replica"} of ${name(line.primaryId)} slots ${line.slots.filter((slot) => !slot.startsWith("[")).join(",")}`)
    .sort()
    .join("; ");
}

function firstDifference(seen: string, expected: string): string {
  const a = seen.split("; ");
  const b = new Set(expected.split("; "));
  return a.find((entry) => !b.has(entry)) ?? "a node is missing from its view";
}

async function digestOf(node: BackendNode): Promise<string> {
  try {
    return String(await command(node.host, node.port, "DEBUG", "DIGEST"));
  } catch (error) {
    return `unreadable (${(error as Error).message})`;
  }
}
