import { describe, expect, it } from "vitest";
import type { PrimaryFrame, SnapshotEntry } from "../src/replication/frames.js";
import { Replication, type ReplicationEffect, type ReplicationHost } from "../src/replication/replication.js";
import { Random } from "../src/random.js";

/** A dataset of string keys in db 0 that understands SET, DEL, INCR and SELECT. */
class FakeNode implements ReplicationHost {
  readonly data = new Map<string, string>();
  readonly random: Random;
  readonly replication: Replication;
  now = 1000;

  constructor(
    readonly name: string,
    seed: number,
    settings: Partial<ConstructorParameters<typeof Replication>[1]> = {},
  ) {
    this.random = new Random(seed);
    this.replication = new Replication(this, {
      backlogBytes: 1024,
      snapshotEntriesPerFrame: 3,
      snapshotFramesPerTurn: 1,
      replicaBufferBytesMax: 1 << 20,
      ackIntervalMs: 100,
      timeoutMs: 60_000,
      ...settings,
    });
  }

  nowMs() {
    return this.now;
  }
  identity() {
    return { nodeId: this.name, ip: "127.0.0.1", port: 7000 };
  }
  snapshotKeys() {
    return [{ db: 0, keys: [...this.data.keys()] }];
  }
  serializeKey(db: number, key: string): SnapshotEntry | undefined {
    const value = this.data.get(key);
    return value === undefined ? undefined : { db, key, type: "string", value, expireAtMs: -1 };
  }
  flushForSync() {
    this.data.clear();
  }
  loadEntry(entry: SnapshotEntry) {
    this.data.set(entry.key, entry.value as string);
  }
  applyFromPrimary(args: string[]) {
    this.execute(args);
  }
  log() {}

  /** Runs a write as a client would on a primary: copy-on-write hook, apply, propagate. */
  write(...args: string[]) {
    this.replication.beforeWrite(0, [args[1]!]);
    this.execute(args);
    this.replication.propagate(0, [args]);
  }

  private execute(args: string[]) {
    const [name, key, value] = args;
    switch (name!.toUpperCase()) {
      case "SET":
        this.data.set(key!, value!);
        break;
      case "DEL":
        this.data.delete(key!);
        break;
      case "INCR":
        this.data.set(key!, String(Number(this.data.get(key!) ?? "0") + 1));
        break;
      case "SELECT":
        break;
      default:
        throw new Error(`fake node cannot apply ${name}`);
    }
  }
}

/** Delivers effects between one primary and its replicas, like the runtime's links. */
class Link {
  private nextLinkId = 1;
  readonly linkOf = new Map<FakeNode, number>();
  connected = new Set<FakeNode>();

  constructor(readonly primary: FakeNode) {}

  /** One event-loop turn: flush, tick and deliver until quiet. */
  turn(...replicas: FakeNode[]) {
    for (let round = 0; round < 100; round++) {
      this.primary.replication.flush();
      let moved = this.deliverPrimary();
      for (const replica of replicas) {
        replica.replication.tick(replica.now);
        moved = this.deliverReplica(replica) || moved;
      }
      if (!moved) return;
    }
  }

  private deliverPrimary(): boolean {
    const effects = this.primary.replication.takeEffects();
    for (const effect of effects) {
      if (effect.kind !== "sendToReplica") continue;
      const replica = [...this.linkOf].find(([, id]) => id === effect.linkId)?.[0];
      if (replica && this.connected.has(replica)) {
        const error = replica.replication.onPrimaryFrame(structuredClone(effect.frame) as PrimaryFrame);
        if (error) throw new Error(error);
      }
    }
    return effects.length > 0;
  }

  private deliverReplica(replica: FakeNode): boolean {
    const effects: ReplicationEffect[] = replica.replication.takeEffects();
    for (const effect of effects) {
      if (effect.kind === "connectPrimary") {
        this.linkOf.set(replica, this.nextLinkId++);
        this.connected.add(replica);
        replica.replication.replicaLinkUp();
      } else if (effect.kind === "sendToPrimary" && this.connected.has(replica)) {
        const linkId = this.linkOf.get(replica)!;
        if (effect.frame.type === "psync") this.primary.replication.onPsync(linkId, effect.frame);
        else this.primary.replication.onAck(linkId, effect.frame.offset);
      }
    }
    return effects.length > 0;
  }

  cut(replica: FakeNode) {
    this.connected.delete(replica);
    this.primary.replication.detachReplica(this.linkOf.get(replica)!);
    replica.replication.replicaLinkDown();
  }
}

function attach(replica: FakeNode, primary: FakeNode) {
  replica.replication.replicateFrom({ nodeId: primary.name, ip: "127.0.0.1", port: 7000, busPort: 17000 });
}

describe("replication", () => {
  it("full-syncs a new replica while writes land mid-snapshot, then streams, ending with equal data and offsets", () => {
    const primary = new FakeNode("p", 1);
    for (let i = 0; i < 20; i++) primary.data.set(`k${i}`, String(i));
    const replica = new FakeNode("r", 2);
    const link = new Link(primary);
    attach(replica, primary);
    replica.replication.tick(replica.now);
    (link as unknown as { deliverReplica(r: FakeNode): boolean }).deliverReplica(replica);
    // The snapshot is underway (3 keys a frame, 1 frame a turn): write keys both sent and not yet sent.
    primary.replication.flush();
    primary.write("INCR", "k0");
    primary.write("INCR", "k19");
    primary.write("DEL", "k10");
    primary.write("SET", "new", "x");
    link.turn(replica);
    expect(primary.replication.stats.syncFull).toBe(1);
    expect(replica.data).toEqual(primary.data);
    expect(replica.replication.offset).toBe(primary.replication.offset);
    primary.write("SET", "after", "sync");
    link.turn(replica);
    expect(replica.data.get("after")).toBe("sync");
    primary.replication.requestAcks();
    link.turn(replica);
    expect(primary.replication.acknowledgedCount(primary.replication.offset)).toBe(1);
  });

  it("continues from the backlog after a short disconnection (partial resync)", () => {
    const primary = new FakeNode("p", 1);
    const replica = new FakeNode("r", 2);
    const link = new Link(primary);
    attach(replica, primary);
    link.turn(replica);
    primary.write("SET", "a", "1");
    link.turn(replica);
    link.cut(replica);
    primary.write("SET", "b", "2");
    primary.write("INCR", "a");
    link.turn(replica);
    expect(primary.replication.stats.syncPartialOk).toBe(1);
    expect(replica.data).toEqual(primary.data);
    expect(replica.replication.offset).toBe(primary.replication.offset);
  });

  it("falls back to a full sync when the backlog no longer holds the replica's offset", () => {
    const primary = new FakeNode("p", 1, { backlogBytes: 64 });
    const replica = new FakeNode("r", 2, { backlogBytes: 64 });
    const link = new Link(primary);
    attach(replica, primary);
    link.turn(replica);
    link.cut(replica);
    for (let i = 0; i < 20; i++) primary.write("SET", `key-${i}`, "value");
    link.turn(replica);
    expect(primary.replication.stats.syncFull).toBe(2);
    expect(primary.replication.stats.syncPartialErr).toBe(1);
    expect(replica.data).toEqual(primary.data);
  });

  it("lets a sibling continue from a promoted replica with the old replication id", () => {
    const primary = new FakeNode("p", 1);
    const [a, b] = [new FakeNode("a", 2), new FakeNode("b", 3)];
    const link = new Link(primary);
    attach(a, primary);
    attach(b, primary);
    link.turn(a, b);
    primary.write("SET", "x", "1");
    link.turn(a, b);
    // The primary dies; a is promoted and b follows it.
    a.replication.promote();
    expect(a.replication.replicationId2).toBe(primary.replication.replicationId);
    b.replication.replicaLinkDown();
    const newLink = new Link(a);
    attach(b, a);
    newLink.turn(b);
    expect(a.replication.stats.syncPartialOk).toBe(1);
    expect(a.replication.stats.syncFull).toBe(0);
    a.write("SET", "y", "2");
    newLink.turn(b);
    expect(b.data).toEqual(a.data);
  });
});
