import { command, parseClusterNodes } from "../cluster/node-client.js";
import { mergeEvents, parseEventReports, type EventReport, type MergedEvent } from "../cluster/events.js";
import { isNodeProcess, type RunState } from "./launcher.js";

/**
 * The cluster's events as every running node saw them (SHARDLINE EVENTS),
 * merged: node ids become node names, the same event reported by several
 * nodes is listed once (with who saw it), oldest first.
 */
export async function gatherEvents(state: RunState): Promise<MergedEvent[]> {
  const nameOf = new Map<string, string>();
  const byAddress = new Map(state.nodes.map((n) => [`${n.host}:${n.port}`, n.name]));
  const reports: EventReport[] = [];
  for (const node of state.nodes) {
    if (!isNodeProcess(node.pid)) continue;
    try {
      // Every node's id, dead ones included, from what this node knows of the cluster.
      for (const line of parseClusterNodes(String(await command(node.host, node.port, "CLUSTER", "NODES")))) {
        const name = byAddress.get(line.address);
        if (name !== undefined) nameOf.set(line.id, name);
      }
      reports.push(...parseEventReports(await command(node.host, node.port, "SHARDLINE", "EVENTS"), node.name));
    } catch {
      // A node that does not answer has nothing to add.
    }
  }
  return mergeEvents(reports, nameOf);
}
