import { describe, expect, it } from "vitest";
import { ClusterState } from "../src/cluster/state.js";
import { SlotSet } from "../src/cluster/topology.js";
import { Random } from "../src/random.js";
import { ClusterNetwork } from "./support/cluster-network.js";

const RANGES: [number, number][] = [
  [0, 5460],
  [5461, 10922],
  [10923, 16383],
];

function slotsOf(range: [number, number]): number[] {
  const slots: number[] = [];
  for (let slot = range[0]; slot <= range[1]; slot++) slots.push(slot);
  return slots;
}

/** Three primaries with slots and epochs 1..3, three blank nodes, all met through the first. */
function sixNodes(seed = 7) {
  const net = new ClusterNetwork(seed);
  const nodes = [0, 1, 2, 3, 4, 5].map((i) => net.add(`n${i}`, 7000 + i));
  nodes.slice(0, 3).forEach((node, i) => {
    net.act(node, (s) => {
      s.addSlots(slotsOf(RANGES[i]!));
      s.setConfigEpoch(i + 1);
    });
  });
  for (const node of nodes.slice(1)) net.act(nodes[0]!, (s, now) => s.meet("127.0.0.1", node.state.myself.port, node.busPort, now));
  return { net, nodes };
}

describe("cluster membership and slot configuration", () => {
  it("forms a full mesh from MEETs to one node, and every node agrees on slots and epochs", () => {
    const { net, nodes } = sixNodes();
    net.run(5000);
    const ids = nodes.map((n) => n.state.myId).sort();
    for (const node of nodes) {
      const known = node.state.nodes;
      expect(known.map((n) => n.id).sort()).toEqual(ids);
      expect(known.some((n) => n.handshake)).toBe(false);
      for (let i = 0; i < 3; i++) {
        expect(node.state.slotOwnerId(RANGES[i]![0])).toBe(nodes[i]!.state.myId);
        expect(node.state.slotOwnerId(RANGES[i]![1])).toBe(nodes[i]!.state.myId);
      }
      // Slotless primaries collide at epoch 0 and take distinct epochs, as in Redis.
      expect(node.state.currentEpoch).toBe(nodes[0]!.state.currentEpoch);
      expect(new Set(known.filter((n) => n.role === "primary").map((n) => n.configEpoch)).size).toBe(6);
      expect(node.state.stateOk).toBe(true);
      expect(node.state.node(nodes[4]!.state.myId)!.availabilityZone).toBe("az-n4");
    }
  });

  it("counts the pong that completes a MEET's handshake as the answer to its ping, so no one is suspected while forming", () => {
    const { net, nodes } = sixNodes();
    // Right after the MEETs, before any link is reset: every ping the handshakes sent has been answered.
    net.run(300);
    const met = nodes[0]!.state.nodes.filter((n) => !n.myself);
    expect(met).toHaveLength(5);
    expect(met.filter((n) => n.pongReceivedMs === 0 || n.pingSentMs !== 0).map((n) => n.port)).toEqual([]);
    net.run(5000);
    for (const node of nodes) {
      expect(node.logs.filter((line) => line.includes("PFAIL")), node.name).toEqual([]);
      expect(node.state.nodes.filter((n) => n.suspected || n.failed).map((n) => n.id)).toEqual([]);
    }
  });

  it("spreads CLUSTER REPLICATE to every node", () => {
    const { net, nodes } = sixNodes();
    net.run(3000);
    nodes.slice(3).forEach((replica, i) => net.act(replica, (s) => s.replicate(nodes[i]!.state.myId)));
    net.run(2000);
    for (const node of nodes) {
      for (let i = 0; i < 3; i++) {
        const replica = node.state.node(nodes[i + 3]!.state.myId)!;
        expect(replica.role).toBe("replica");
        expect(replica.primaryId).toBe(nodes[i]!.state.myId);
      }
    }
    expect(nodes[3]!.replicating).toBe(nodes[0]!.state.myId);
  });

  it("gives primaries that collide on a config epoch distinct epochs", () => {
    const net = new ClusterNetwork(3);
    const [a, b, c] = [net.add("a", 7000), net.add("b", 7001), net.add("c", 7002)];
    net.act(a, (s, now) => {
      s.meet("127.0.0.1", 7001, 17001, now);
      s.meet("127.0.0.1", 7002, 17002, now);
    });
    net.run(5000);
    const epochs = [a, b, c].map((m) => m.state.myself.configEpoch);
    expect(new Set(epochs).size).toBe(3);
  });
});

describe("failure detection", () => {
  it("suspects a silent primary, agrees on FAIL with a majority, and clears it when the primary returns without a failover", () => {
    const { net, nodes } = sixNodes();
    net.run(5000);
    const victim = nodes[0]!;
    net.partition([victim], nodes.slice(1));
    net.run(3000);
    for (const node of nodes.slice(1)) {
      expect(node.state.node(victim.state.myId)!.failed).toBe(true);
      expect(node.state.stateOk).toBe(false);
    }
    // Cut off from the majority, the victim stops considering the cluster ok.
    expect(victim.state.stateOk).toBe(false);
    net.heal();
    net.run(4000);
    for (const node of nodes) {
      expect(node.state.node(victim.state.myId)!.failed).toBe(false);
      expect(node.state.stateOk).toBe(true);
    }
  });

  it("does not mark FAIL on the word of a minority", () => {
    const { net, nodes } = sixNodes();
    net.run(5000);
    // Only n1 (one of three primaries) loses n2: one report of two needed.
    net.partition([nodes[1]!], [nodes[2]!]);
    net.run(4000);
    for (const node of nodes) expect(node.state.node(nodes[2]!.state.myId)!.failed).toBe(false);
    expect(nodes[1]!.state.node(nodes[2]!.state.myId)!.suspected).toBe(true);
  });
});

describe("nodes file", () => {
  it("restores identity, slots, roles and epochs", () => {
    const { net, nodes } = sixNodes();
    net.run(3000);
    net.act(nodes[3]!, (s) => s.replicate(nodes[0]!.state.myId));
    net.run(1000);
    for (const member of [nodes[0]!, nodes[3]!]) {
      const restored = ClusterState.fromNodesFile(member.saved, { ...settingsOf(member.state) }, new Random(9), net.clock.nowMs());
      expect(restored.myId).toBe(member.state.myId);
      expect(restored.currentEpoch).toBe(member.state.currentEpoch);
      expect(restored.nodes.map((n) => n.id).sort()).toEqual(member.state.nodes.map((n) => n.id).sort());
      expect(restored.myself.role).toBe(member.state.myself.role);
      expect(restored.myself.primaryId).toBe(member.state.myself.primaryId);
      expect(new SlotSet(restored.node(nodes[1]!.state.myId)!.slots.bits).ranges()).toEqual([RANGES[1]]);
      expect(restored.node(nodes[4]!.state.myId)!.availabilityZone).toBe("az-n4");
    }
  });
});

function settingsOf(state: ClusterState) {
  const me = state.myself;
  return {
    nodeTimeoutMs: 1000,
    requireFullCoverage: true,
    allowReadsWhenDown: false,
    preferredEndpoint: "ip" as const,
    ip: me.ip,
    port: me.port,
    busPort: me.busPort,
    hostname: me.hostname,
    availabilityZone: me.availabilityZone,
    noFailover: false,
  };
}
