import { readFileSync } from "node:fs";
import { ReplyWriter } from "@shardline/resp";
import { describe, expect, it } from "vitest";
import { parseClusterNodesLine } from "../src/cluster/nodes-format.js";
import { clusterInfoText, clusterNodesLine, writeClusterNodes, writeClusterShards, writeClusterSlots, type ClusterReport, type MessageType } from "../src/cluster/render.js";
import type { ClusterNode } from "../src/cluster/topology.js";

const captures = new URL("./fixtures/captures/", import.meta.url);
const capture = (name: string) => readFileSync(new URL(name, captures), "latin1");

/** The nine-node cluster of the captures (test/fixtures/captures, copied from shared/captures), rebuilt from its CLUSTER NODES and offsets. */
function capturedCluster(): ClusterReport {
  const nodesText = capture("cluster-nodes.resp2");
  const lines = nodesText.slice(nodesText.indexOf("\r\n") + 2).split("\n").filter((l) => l.trim() !== "" && l !== "\r");
  const nodes = lines.map((line) => parseClusterNodesLine(line).node);
  const offsets: Record<string, number> = { "7000": 48204, "7001": 47598, "7002": 47921 };
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const node of nodes) {
    const primary = node.role === "primary" ? node : byId.get(node.primaryId!)!;
    node.replicationOffset = offsets[String(primary.port)]!;
  }
  const owners: (ClusterNode | undefined)[] = new Array(16384);
  for (const node of nodes) for (const [start, end] of node.slots.ranges()) for (let s = start; s <= end; s++) owners[s] = node;
  const sent = new Map<MessageType, number>([["ping", 216], ["pong", 223]]);
  const received = new Map<MessageType, number>([["ping", 215], ["pong", 216], ["meet", 8]]);
  return {
    nodes,
    myself: nodes.find((n) => n.myself)!,
    stateOk: true,
    currentEpoch: 9,
    preferredEndpoint: "ip",
    migrating: new Map(),
    importing: new Map(),
    messagesSent: sent,
    messagesReceived: received,
    linksBufferLimitExceeded: 0,
    node: (id) => byId.get(id),
    slotOwner: (slot) => owners[slot],
  };
}

function render(write: (w: ReplyWriter) => void, protocol: 2 | 3 = 2): string {
  const writer = new ReplyWriter();
  writer.protocol = protocol;
  write(writer);
  return writer.take();
}

describe("cluster replies match a real Redis 7 cluster byte for byte", () => {
  const report = capturedCluster();

  it("CLUSTER NODES", () => {
    expect(render((w) => writeClusterNodes(report, w))).toBe(capture("cluster-nodes.resp2"));
  });

  it("CLUSTER SLOTS in RESP2 and RESP3", () => {
    expect(render((w) => writeClusterSlots(report, w))).toBe(capture("cluster-slots.resp2"));
    expect(render((w) => writeClusterSlots(report, w), 3)).toBe(capture("cluster-slots.resp3"));
  });

  it("CLUSTER SHARDS in RESP2 and RESP3", () => {
    expect(render((w) => writeClusterShards(report, w))).toBe(capture("cluster-shards.resp2"));
    expect(render((w) => writeClusterShards(report, w), 3)).toBe(capture("cluster-shards.resp3"));
  });

  it("CLUSTER INFO", () => {
    expect(render((w) => w.verbatim(clusterInfoText(report)))).toBe(capture("cluster-info.resp2"));
  });

  it("parses every CLUSTER NODES line back to the same line", () => {
    for (const node of report.nodes) {
      const line = clusterNodesLine(report, node);
      expect(clusterNodesLine(report, parseClusterNodesLine(line).node)).toBe(line);
    }
  });

  it("adds each node's availability zone to CLUSTER SHARDS when it has one", () => {
    const withZones = capturedCluster();
    withZones.nodes.forEach((n, i) => (n.availabilityZone = `az-${"abc"[i % 3]}`));
    const shards = render((w) => writeClusterShards(withZones, w), 3);
    expect(shards).toContain("%8\r\n$2\r\nid\r\n");
    expect(shards).toContain("$17\r\navailability-zone\r\n$4\r\naz-a\r\n");
  });

  it("leaves failed and unsynced replicas out of CLUSTER SLOTS and marks them in SHARDS", () => {
    const replica = report.nodes.find((n) => n.port === 7004)!;
    replica.failed = true;
    const unsynced = report.nodes.find((n) => n.port === 7003)!;
    unsynced.replicationOffset = 0;
    const slots = render((w) => writeClusterSlots(report, w));
    expect(slots).not.toContain(replica.id);
    expect(slots).not.toContain(unsynced.id);
    const shards = render((w) => writeClusterShards(report, w));
    expect(shards).toContain("health\r\n$4\r\nfail");
    expect(shards).toContain("health\r\n$7\r\nloading");
  });
});
