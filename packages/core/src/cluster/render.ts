import type { ReplyWriter } from "@shardline/resp";
import { nodeFlags, type ClusterNode } from "./topology.js";

/** Cluster bus message types, in Redis's order (CLUSTERMSG_TYPE_*): CLUSTER INFO prints their counters in it. */
export const MESSAGE_TYPES = ["ping", "pong", "meet", "fail", "publish", "auth-req", "auth-ack", "update", "mfstart", "module", "publishshard"] as const;
/** The counter name (CLUSTER INFO) of each bus message type. */
export const COUNTER_OF: Record<string, (typeof MESSAGE_TYPES)[number]> = { "auth-request": "auth-req", "auth-ack": "auth-ack" };
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** What the cluster replies are drawn from; the cluster state implements it. */
export interface ClusterReport {
  /** Every known node, myself first, in a stable order. */
  readonly nodes: readonly ClusterNode[];
  readonly myself: ClusterNode;
  readonly stateOk: boolean;
  readonly currentEpoch: number;
  /** `cluster-preferred-endpoint-type`. */
  readonly preferredEndpoint: "ip" | "hostname" | "unknown-endpoint";
  /** Slots this node migrates out / imports in, for the markers on its CLUSTER NODES line. */
  readonly migrating: ReadonlyMap<number, string>;
  readonly importing: ReadonlyMap<number, string>;
  readonly messagesSent: ReadonlyMap<MessageType, number>;
  readonly messagesReceived: ReadonlyMap<MessageType, number>;
  readonly linksBufferLimitExceeded: number;
  node(id: string): ClusterNode | undefined;
  /** The primary serving `slot`, or undefined. */
  slotOwner(slot: number): ClusterNode | undefined;
}

/** The endpoint clients are sent to (MOVED, CLUSTER SLOTS, CLUSTER SHARDS `endpoint`). */
export function preferredEndpoint(report: ClusterReport, node: ClusterNode): string {
  if (report.preferredEndpoint === "hostname") return node.hostname === "" ? "?" : node.hostname;
  if (report.preferredEndpoint === "unknown-endpoint") return "?";
  return node.ip;
}

/** One CLUSTER NODES line (without the trailing newline). */
export function clusterNodesLine(report: ClusterReport, node: ClusterNode): string {
  let address = `${node.ip}:${node.port}@${node.busPort}`;
  if (node.hostname !== "") address += "," + node.hostname;
  const parts = [
    node.id,
    address,
    nodeFlags(node),
    node.primaryId ?? "-",
    String(Math.floor(node.pingSentMs)),
    String(Math.floor(node.pongReceivedMs)),
    String(shownConfigEpoch(report, node)),
    node.myself || node.linkConnected ? "connected" : "disconnected",
  ];
  for (const [start, end] of node.slots.ranges()) parts.push(start === end ? String(start) : `${start}-${end}`);
  if (node.myself) {
    for (const [slot, target] of report.migrating) parts.push(`[${slot}->-${target}]`);
    for (const [slot, source] of report.importing) parts.push(`[${slot}-<-${source}]`);
  }
  return parts.join(" ");
}

/** A replica shows its primary's config epoch, as Redis's clusterGenNodeDescription does. */
function shownConfigEpoch(report: ClusterReport, node: ClusterNode): number {
  if (node.role === "replica" && node.primaryId !== undefined) {
    return report.node(node.primaryId)?.configEpoch ?? node.configEpoch;
  }
  return node.configEpoch;
}

/** CLUSTER NODES: one line per node, `\n`-separated and `\n`-terminated, as a verbatim/bulk string. */
export function writeClusterNodes(report: ClusterReport, writer: ReplyWriter): void {
  let text = "";
  for (const node of report.nodes) text += clusterNodesLine(report, node) + "\n";
  writer.verbatim(text);
}

/** The replicas of `primary` in table order. */
function replicasOf(report: ClusterReport, primary: ClusterNode): ClusterNode[] {
  return report.nodes.filter((n) => n.role === "replica" && n.primaryId === primary.id);
}

function writeNodeEntry(report: ClusterReport, writer: ReplyWriter, node: ClusterNode): void {
  writer.arrayHeader(4);
  writer.bulk(preferredEndpoint(report, node));
  writer.integer(node.port);
  writer.bulk(node.id);
  const metadata: [string, string][] = [];
  if (report.preferredEndpoint !== "ip") metadata.push(["ip", node.ip]);
  if (report.preferredEndpoint !== "hostname" && node.hostname !== "") metadata.push(["hostname", node.hostname]);
  writer.mapHeader(metadata.length);
  for (const [name, value] of metadata) {
    writer.bulk(name);
    writer.bulk(value);
  }
}

/**
 * CLUSTER SLOTS: per contiguous range of one primary, `[start, end, primary,
 * replica...]`. Replicas that failed or have not synced (offset 0) are left
 * out, as Redis does.
 */
export function writeClusterSlots(report: ClusterReport, writer: ReplyWriter): void {
  const entries: [number, number, ClusterNode][] = [];
  for (const node of report.nodes) {
    if (node.role !== "primary") continue;
    for (const [start, end] of node.slots.ranges()) entries.push([start, end, node]);
  }
  entries.sort((a, b) => a[0] - b[0]);
  writer.arrayHeader(entries.length);
  for (const [start, end, primary] of entries) {
    const replicas = replicasOf(report, primary).filter((r) => !r.failed && r.replicationOffset !== 0);
    writer.arrayHeader(3 + replicas.length);
    writer.integer(start);
    writer.integer(end);
    writeNodeEntry(report, writer, primary);
    for (const replica of replicas) writeNodeEntry(report, writer, replica);
  }
}

function health(node: ClusterNode): string {
  if (node.failed) return "fail";
  if (node.role === "replica" && node.replicationOffset === 0) return "loading";
  return "online";
}

/**
 * CLUSTER SHARDS: one map per primary (slots as flat start/end pairs, nodes
 * with their details, and their availability zone when they have one). A primary that lost its slots to a failover still
 * forms a shard of its own, with no slots and health `fail`.
 */
export function writeClusterShards(report: ClusterReport, writer: ReplyWriter): void {
  const primaries = report.nodes.filter((n) => n.role === "primary");
  writer.arrayHeader(primaries.length);
  for (const primary of primaries) {
    writer.mapHeader(2);
    writer.bulk("slots");
    const ranges = primary.slots.ranges();
    writer.arrayHeader(ranges.length * 2);
    for (const [start, end] of ranges) {
      writer.integer(start);
      writer.integer(end);
    }
    writer.bulk("nodes");
    const members = [primary, ...replicasOf(report, primary)];
    writer.arrayHeader(members.length);
    for (const node of members) {
      const fields: [string, string | number][] = [
        ["id", node.id],
        ["port", node.port],
        ["ip", node.ip],
        ["endpoint", preferredEndpoint(report, node)],
      ];
      if (node.hostname !== "") fields.push(["hostname", node.hostname]);
      fields.push(["role", node.role === "primary" ? "master" : "replica"]);
      fields.push(["replication-offset", node.replicationOffset]);
      fields.push(["health", health(node)]);
      // shardline's addition: clients read these maps by key, so a field Redis lacks is safe.
      if (node.availabilityZone !== "") fields.push(["availability-zone", node.availabilityZone]);
      writer.mapHeader(fields.length);
      for (const [name, value] of fields) {
        writer.bulk(name);
        if (typeof value === "number") writer.integer(value);
        else writer.bulk(value);
      }
    }
  }
}

/** CLUSTER INFO, `\r\n`-separated fields in Redis 7.0's order. */
export function clusterInfoText(report: ClusterReport): string {
  let assigned = 0;
  let ok = 0;
  let pfail = 0;
  let fail = 0;
  const primariesWithSlots = new Set<string>();
  for (let slot = 0; slot < 16384; slot++) {
    const owner = report.slotOwner(slot);
    if (owner === undefined) continue;
    assigned++;
    primariesWithSlots.add(owner.id);
    if (owner.failed) fail++;
    else if (owner.suspected) pfail++;
    else ok++;
  }
  const myself = report.myself;
  const myEpoch = myself.role === "replica" && myself.primaryId !== undefined ? (report.node(myself.primaryId)?.configEpoch ?? myself.configEpoch) : myself.configEpoch;
  const lines = [
    `cluster_state:${report.stateOk ? "ok" : "fail"}`,
    `cluster_slots_assigned:${assigned}`,
    `cluster_slots_ok:${ok}`,
    `cluster_slots_pfail:${pfail}`,
    `cluster_slots_fail:${fail}`,
    `cluster_known_nodes:${report.nodes.length}`,
    `cluster_size:${primariesWithSlots.size}`,
    `cluster_current_epoch:${report.currentEpoch}`,
    `cluster_my_epoch:${myEpoch}`,
  ];
  lines.push(...messageCounters(report.messagesSent, "sent"));
  lines.push(...messageCounters(report.messagesReceived, "received"));
  lines.push(`total_cluster_links_buffer_limit_exceeded:${report.linksBufferLimitExceeded}`);
  return lines.join("\r\n") + "\r\n";
}

function messageCounters(counters: ReadonlyMap<MessageType, number>, direction: "sent" | "received"): string[] {
  const lines: string[] = [];
  let total = 0;
  for (const type of MESSAGE_TYPES) {
    const count = counters.get(type) ?? 0;
    if (count === 0) continue;
    lines.push(`cluster_stats_messages_${type}_${direction}:${count}`);
    total += count;
  }
  lines.push(`cluster_stats_messages_${direction}:${total}`);
  return lines;
}
