import { command, parseClusterNodes } from "./node-client.js";
import { isNodeProcess, type RunState } from "../local/launcher.js";

export interface MergedEvent {
  atMs: number;
  type: string;
  node: string;
  detail: string;
  /** Nodes that reported it. */
  seenBy: string[];
}

/** Reports of the same event by different nodes within this window are one event. */
const SAME_EVENT_WINDOW_MS = 3000;

/** One node's report of one event (SHARDLINE EVENTS), before merging. */
export interface EventReport {
  atMs: number;
  type: string;
  nodeId: string;
  detail: string;
  /** The node that reported it, by name. */
  reporter: string;
}

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

/** SHARDLINE EVENTS's reply as reports by `reporter`. */
export function parseEventReports(reply: unknown, reporter: string): EventReport[] {
  return (reply as [number, string, string, string][]).map(([atMs, type, nodeId, detail]) => ({ atMs, type, nodeId, detail, reporter }));
}

/** Merges reports of the same event by different nodes, and names nodes by `nameOf` (id to name). */
export function mergeEvents(reports: readonly EventReport[], nameOf: ReadonlyMap<string, string>): MergedEvent[] {
  const sorted = [...reports].sort((a, b) => a.atMs - b.atMs);
  const merged: MergedEvent[] = [];
  for (const report of sorted) {
    const same = merged.find((e) => e.type === report.type && e.node === report.nodeId && report.atMs - e.atMs <= SAME_EVENT_WINDOW_MS);
    if (same) {
      if (!same.seenBy.includes(report.reporter)) same.seenBy.push(report.reporter);
      continue;
    }
    merged.push({ atMs: report.atMs, type: report.type, node: report.nodeId, detail: report.detail, seenBy: [report.reporter] });
  }
  const name = (id: string) => nameOf.get(id) ?? id.slice(0, 8);
  for (const event of merged) {
    event.node = name(event.node);
    event.detail = event.detail.replace(/[0-9a-f]{40}/g, name);
  }
  return merged;
}

export function renderEvents(events: readonly MergedEvent[]): string {
  if (events.length === 0) return "no cluster events yet";
  return events.map((e) => `${new Date(e.atMs).toISOString()}  ${e.type.padEnd(18)}  ${e.node.padEnd(18)}  ${e.detail}  (seen by ${e.seenBy.length})`).join("\n");
}
