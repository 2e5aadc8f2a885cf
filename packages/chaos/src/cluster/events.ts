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
