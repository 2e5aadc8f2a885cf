import { describe, expect, it } from "vitest";
import { ClusterNetwork } from "./support/cluster-network.js";

type Member = ReturnType<ClusterNetwork["add"]>;

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start + 1 }, (_, i) => start + i);
}

/**
 * A cluster of `shards` shards with `replicas` replicas each, member i of
 * shard s in zone (s + i) mod 3, formed and settled.
 */
function cluster(shards: number, replicas: number, seed = 11) {
  const net = new ClusterNetwork(seed);
  const zones = ["a", "b", "c"];
  const primaries: Member[] = [];
  const replicasOf: Member[][] = [];
  const zoneOf = new Map<Member, string>();
  let port = 7000;
  const width = Math.floor(16384 / shards);
  for (let s = 0; s < shards; s++) {
    const primary = net.add(`p${s}`, port++);
    zoneOf.set(primary, zones[s % 3]!);
    net.act(primary, (state) => {
      state.addSlots(range(s * width, s === shards - 1 ? 16383 : (s + 1) * width - 1));
      state.setConfigEpoch(s + 1);
    });
    primaries.push(primary);
    replicasOf.push([]);
    for (let r = 0; r < replicas; r++) {
      const replica = net.add(`r${s}-${r}`, port++);
      zoneOf.set(replica, zones[(s + r + 1) % 3]!);
      replicasOf[s]!.push(replica);
    }
  }
  const all = net.members;
  for (const member of all.slice(1)) net.act(all[0]!, (state, now) => state.meet("127.0.0.1", member.state.myself.port, member.busPort, now));
  net.run(5000);
  replicasOf.forEach((list, s) => list.forEach((replica) => net.act(replica, (state) => state.replicate(primaries[s]!.state.myId))));
  net.run(3000);
  return { net, primaries, replicasOf, zoneOf, all };
}

/** Primaries that claim slot `slot`, with their config epochs, as each member sees it. */
function ownersOf(all: Member[], slot: number): Set<string> {
  return new Set(all.filter((m) => !m.down).map((m) => m.state.slotOwnerId(slot) ?? "none"));
}

describe("automatic failover", () => {
  it("promotes the replica with the largest replication offset when a primary goes silent", () => {
    const { net, primaries, replicasOf, all } = cluster(3, 2);
    const [laggard, best] = replicasOf[0]!;
    laggard!.state.myself.replicationOffset = 100;
    best!.state.myself.replicationOffset = 500;
    net.run(2000);
    const victim = primaries[0]!;
    net.partition([victim], all.filter((m) => m !== victim));
    net.run(6000);
    expect(best!.promotions).toBe(1);
    expect(laggard!.promotions).toBe(0);
    expect(best!.state.myself.role).toBe("primary");
    for (const member of all.filter((m) => m !== victim)) {
      expect(member.state.slotOwnerId(0)).toBe(best!.state.myId);
      expect(member.state.stateOk).toBe(true);
    }
    expect(laggard!.state.myself.primaryId).toBe(best!.state.myId);
    expect(laggard!.replicating).toBe(best!.state.myId);
    // The new primary's config epoch is the highest: it wins any conflict.
    const epochs = all.filter((m) => m !== victim && m.state.myself.role === "primary").map((m) => m.state.myself.configEpoch);
    expect(Math.max(...epochs)).toBe(best!.state.myself.configEpoch);
  });

  it("makes the old primary a replica of the new one when it comes back", () => {
    const { net, primaries, replicasOf, all } = cluster(3, 2);
    const victim = primaries[1]!;
    net.partition([victim], all.filter((m) => m !== victim));
    net.run(6000);
    const winner = replicasOf[1]!.find((r) => r.promotions === 1)!;
    expect(winner).toBeDefined();
    net.heal();
    net.run(6000);
    expect(victim.state.myself.role).toBe("replica");
    expect(victim.state.myself.primaryId).toBe(winner.state.myId);
    expect(victim.replicating).toBe(winner.state.myId);
    expect(ownersOf(all, 6000)).toEqual(new Set([winner.state.myId]));
    for (const member of all) expect(member.state.stateOk).toBe(true);
  });

  it("fails over a single-shard group (one primary, two replicas), which Redis Cluster cannot", () => {
    const { net, primaries, replicasOf, all } = cluster(1, 2);
    const victim = primaries[0]!;
    net.partition([victim], all.filter((m) => m !== victim));
    net.run(6000);
    const promoted = replicasOf[0]!.filter((r) => r.promotions === 1);
    expect(promoted).toHaveLength(1);
    expect(ownersOf(all.filter((m) => m !== victim), 0)).toEqual(new Set([promoted[0]!.state.myId]));
  });

  it("isolating one AZ: the majority promotes, the isolated primary stops considering the cluster ok, and healing leaves one primary per slot", () => {
    const { net, primaries, all, zoneOf } = cluster(3, 2);
    const isolated = all.filter((m) => zoneOf.get(m) === "a");
    const rest = all.filter((m) => zoneOf.get(m) !== "a");
    const isolatedPrimary = primaries.find((p) => zoneOf.get(p) === "a")!;
    net.partition(isolated, rest);
    net.run(6000);
    // The minority side refuses writes: its cluster state is fail.
    for (const member of isolated) expect(member.state.stateOk).toBe(false);
    // The majority side replaced the isolated primary.
    const slot = isolatedPrimary.state.myself.slots.ranges()[0]![0];
    const newOwner = rest[0]!.state.slotOwnerId(slot)!;
    expect(newOwner).not.toBe(isolatedPrimary.state.myId);
    for (const member of rest) {
      expect(member.state.slotOwnerId(slot)).toBe(newOwner);
      expect(member.state.stateOk).toBe(true);
    }
    net.heal();
    net.run(8000);
    for (let s = 0; s < 16384; s += 512) expect(ownersOf(all, s).size).toBe(1);
    expect(isolatedPrimary.state.myself.role).toBe("replica");
    expect(all.filter((m) => m.state.myself.role === "primary" && m.state.myself.slots.size > 0)).toHaveLength(3);
    for (const member of all) expect(member.state.stateOk).toBe(true);
  });

  it("an isolated primary keeps taking writes through a blip shorter than the node timeout, and fences itself within one node timeout of its last word from the majority", () => {
    // Pings go out once a peer has been quiet for half the node timeout, so when the cut comes the last word
    // from each peer is at most half a node timeout (plus a tick) old: the fence comes between half a node
    // timeout and a whole one (plus a tick) after the cut, never at once.
    for (const seed of [3, 5, 8, 13]) {
      const { net, primaries, all, zoneOf } = cluster(3, 2, seed);
      const isolated = all.filter((m) => zoneOf.get(m) === "a");
      const rest = all.filter((m) => zoneOf.get(m) !== "a");
      const isolatedPrimary = primaries.find((p) => zoneOf.get(p) === "a")!;
      const cutAtMs = net.clock.nowMs();
      net.partition(isolated, rest);
      let fencedAtMs = 0;
      for (let elapsed = 0; elapsed < 3000 && fencedAtMs === 0; elapsed += 100) {
        net.run(100);
        if (!isolatedPrimary.state.stateOk) fencedAtMs = net.clock.nowMs();
      }
      expect(fencedAtMs).not.toBe(0);
      expect(fencedAtMs - cutAtMs).toBeGreaterThanOrEqual(400);
      expect(fencedAtMs - cutAtMs).toBeLessThanOrEqual(1200);
    }
  });

  it("never elects two primaries for one shard, whatever the seed", () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { net, primaries, replicasOf, all } = cluster(2, 2, seed);
      const victim = primaries[0]!;
      net.partition([victim], all.filter((m) => m !== victim));
      net.run(6000);
      expect(replicasOf[0]!.reduce((n, r) => n + r.promotions, 0)).toBe(1);
    }
  });
});

describe("manual failover (CLUSTER FAILOVER)", () => {
  it("pauses the primary's writes, waits for the replica to reach its offset, then swaps roles", () => {
    const { net, primaries, replicasOf, all } = cluster(3, 2);
    const primary = primaries[2]!;
    const [chosen, sibling] = replicasOf[2]!;
    primary.state.offsetSource = () => 1000;
    chosen!.state.offsetSource = () => 900;
    net.act(chosen!, (state, now) => state.startManualFailover("default", now));
    net.run(500);
    // The primary holds writes; the replica has not reached its offset, so no election yet.
    expect(primary.paused).toBe(true);
    expect(chosen!.promotions).toBe(0);
    chosen!.state.offsetSource = () => 1000;
    net.run(1000);
    expect(chosen!.promotions).toBe(1);
    net.run(2000);
    expect(primary.state.myself.role).toBe("replica");
    expect(primary.state.myself.primaryId).toBe(chosen!.state.myId);
    expect(primary.paused).toBe(false);
    expect(sibling!.state.myself.primaryId).toBe(chosen!.state.myId);
    for (const member of all) expect(member.state.slotOwnerId(16383)).toBe(chosen!.state.myId);
  });

  it("FORCE elects the replica without the primary's handshake; TAKEOVER needs no vote at all", () => {
    const { net, primaries, replicasOf, all } = cluster(3, 2);
    const [forced] = replicasOf[0]!;
    net.act(forced!, (state, now) => state.startManualFailover("force", now));
    net.run(2000);
    expect(forced!.promotions).toBe(1);
    expect(primaries[0]!.state.myself.role).toBe("replica");
    // TAKEOVER on a replica cut off from everyone: it takes the slots on its own epoch.
    const [lonely] = replicasOf[1]!;
    net.partition([lonely!], all.filter((m) => m !== lonely));
    net.act(lonely!, (state, now) => state.startManualFailover("takeover", now));
    expect(lonely!.promotions).toBe(1);
    net.heal();
    net.run(4000);
    // Its bumped epoch is the newest: the whole cluster accepts it.
    for (const member of all) expect(member.state.slotOwnerId(6000)).toBe(lonely!.state.myId);
  });
});
