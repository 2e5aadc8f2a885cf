import { randomInt } from "node:crypto";
import { deliveryTimeMs, FAULT_LIMITS, Random, type FaultChannel, type NetworkFaults } from "@shardline/core";

/**
 * The node playing the network: it carries out the fault rules of its
 * engine (`engine.faults`, decided in the core) on its own sockets. Every
 * link direction that traffic crosses (a client connection's input or
 * output, a bus link, a replication link) has a LinkShaper; units (a
 * socket chunk, a frame) go through it and come out delayed, held or not
 * at all, in order. With no rule in force a unit is delivered at once,
 * without a queue, a timer or an allocation on the caller's side (callers
 * check `idle` first).
 */
export class FaultNetwork {
  private readonly shapers = new Set<LinkShaper>();
  readonly random = new Random(randomInt(2 ** 32));

  constructor(
    readonly faults: NetworkFaults,
    readonly nowMs: () => number,
  ) {}

  /**
   * A shaper for one link direction. `peer` names the other end as the
   * rules know it (a node id; undefined for a client, or a node not yet
   * identified); `onPartition` carries out a partition: a stream resets its
   * link, the bus discards the unit.
   */
  shaper(channel: FaultChannel, direction: "in" | "out", peer: () => string | undefined, onPartition: () => void): LinkShaper {
    const shaper = new LinkShaper(this, channel, direction, peer, onPartition);
    this.shapers.add(shaper);
    return shaper;
  }

  /** The rules changed: release what is no longer held, and partition what now is. */
  rulesChanged(): void {
    for (const shaper of [...this.shapers]) shaper.reevaluate();
  }

  /** Whether traffic with `peer` on `channel` is partitioned in either direction now (new links are refused). */
  partitioned(channel: FaultChannel, peer: string | undefined): boolean {
    if (!this.faults.active) return false;
    return this.faults.shape(channel, peer, "in").partitioned || this.faults.shape(channel, peer, "out").partitioned;
  }

  forget(shaper: LinkShaper): void {
    this.shapers.delete(shaper);
  }
}

interface QueuedUnit {
  bytes: number;
  deliver: () => void;
  /** When it may go; undefined while held by a blackhole. */
  atMs: number | undefined;
}

/**
 * One link direction under the fault rules. Units keep their order: one
 * that is held or delayed holds back every unit behind it, as a TCP stream
 * does. The queue is bounded (`heldBytesMax`): a link that would hold more is
 * partitioned (reset) instead, as a sender whose window never opens gives up.
 */
export class LinkShaper {
  /** Units from `head` on wait; those before it were delivered (compacted now and then, so a long queue costs O(1) a unit). */
  private queue: QueuedUnit[] = [];
  private head = 0;
  private queuedBytesTotal = 0;
  private lastDeliveryMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly network: FaultNetwork,
    private readonly channel: FaultChannel,
    private readonly direction: "in" | "out",
    private readonly peer: () => string | undefined,
    private readonly onPartition: () => void,
  ) {}

  /** No rule in force and nothing queued: the caller may deliver at once, without pushing. */
  get idle(): boolean {
    return this.waiting === 0 && !this.network.faults.active;
  }

  private get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Bytes waiting here (they count against the link's output limits like bytes a socket has not sent). */
  get queuedBytes(): number {
    return this.queuedBytesTotal;
  }

  /** Passes a unit through the rules: delivered now, later, when healed, or never (partitioned). */
  push(bytes: number, deliver: () => void): void {
    if (this.disposed) return;
    const shape = this.network.faults.shape(this.channel, this.peer(), this.direction);
    if (shape.partitioned) {
      this.partition();
      return;
    }
    const nowMs = this.network.nowMs();
    const atMs = shape.held ? undefined : deliveryTimeMs(shape, nowMs, this.lastDeliveryMs, this.network.random);
    if (this.waiting === 0 && atMs !== undefined && atMs <= nowMs) {
      deliver();
      return;
    }
    if (atMs !== undefined) this.lastDeliveryMs = atMs;
    this.queue.push({ bytes, deliver, atMs });
    this.queuedBytesTotal += bytes;
    if (this.queuedBytesTotal > FAULT_LIMITS.heldBytesMax) {
      this.partition();
      return;
    }
    this.schedule();
  }

  /** After a rule change: a partition drops what waits; held units get a delivery time under today's rules. */
  reevaluate(): void {
    if (this.disposed) return;
    const shape = this.network.faults.shape(this.channel, this.peer(), this.direction);
    if (shape.partitioned) {
      // Idle or not: a stream under a new partition is reset now, not at its next byte.
      this.partition();
      return;
    }
    if (this.waiting === 0) return;
    if (!shape.held) {
      const nowMs = this.network.nowMs();
      for (let index = this.head; index < this.queue.length; index++) {
        const unit = this.queue[index]!;
        if (unit.atMs !== undefined) continue;
        unit.atMs = deliveryTimeMs(shape, nowMs, this.lastDeliveryMs, this.network.random);
        this.lastDeliveryMs = unit.atMs;
      }
    }
    this.schedule();
  }

  /** The link is gone: nothing more is delivered. */
  dispose(): void {
    this.disposed = true;
    this.drop();
    this.network.forget(this);
  }

  private partition(): void {
    this.drop();
    this.onPartition();
  }

  private drop(): void {
    this.queue = [];
    this.head = 0;
    this.queuedBytesTotal = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const head = this.queue[this.head];
    if (head === undefined || head.atMs === undefined) return;
    const delayMs = Math.max(0, Math.ceil(head.atMs - this.network.nowMs()));
    this.timer = setTimeout(() => this.pump(), delayMs);
  }

  /** Delivers every unit that is due, in order, stopping at the first held or future one. */
  private pump(): void {
    this.timer = undefined;
    const nowMs = this.network.nowMs();
    while (!this.disposed && this.waiting > 0) {
      const head = this.queue[this.head]!;
      if (head.atMs === undefined || head.atMs > nowMs) break;
      this.head++;
      this.queuedBytesTotal -= head.bytes;
      head.deliver();
    }
    if (this.disposed) return;
    if (this.waiting === 0) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.schedule();
  }
}
