import { ManualClock } from "../../src/clock.js";
import type { BusMessage } from "../../src/cluster/messages.js";
import { ClusterState, type ClusterEffect, type ClusterSettings } from "../../src/cluster/state.js";
import { Random } from "../../src/random.js";

interface Member {
  name: string;
  state: ClusterState;
  busPort: number;
  saved: string;
  replicating: string | undefined;
  down: boolean;
  promotions: number;
  paused: boolean;
  /** Every log line the state emitted, in order. */
  logs: string[];
}

interface Link {
  linkId: number;
  from: Member;
  to: Member;
  /** The id under which `from` knows `to` (may be provisional during a handshake). */
  knownAs: string;
}

/**
 * Cluster states joined by an in-memory bus: links are opened when asked,
 * messages are copied (as if serialized) and delivered in order, partitions
 * drop traffic in both directions, and one virtual clock drives every tick.
 * Deterministic for a given seed.
 */
export class ClusterNetwork {
  readonly clock = new ManualClock(1_800_000_000_000);
  readonly members: Member[] = [];
  private readonly random: Random;
  private readonly links = new Map<number, Link>();
  private readonly outbound = new Map<Member, Map<string, Link>>();
  private nextLinkId = 1;
  private readonly cut = new Set<string>();
  private readonly queue: (() => void)[] = [];

  constructor(seed = 1, private readonly settings: Partial<ClusterSettings> = {}) {
    this.random = new Random(seed);
  }

  add(name: string, port: number): Member {
    const settings: ClusterSettings = {
      nodeTimeoutMs: 1000,
      requireFullCoverage: true,
      allowReadsWhenDown: false,
      preferredEndpoint: "ip",
      ip: "127.0.0.1",
      port,
      busPort: port + 10000,
      hostname: "",
      availabilityZone: "az-" + name,
      noFailover: false,
      ...this.settings,
    };
    const member: Member = { name, state: new ClusterState(settings, this.random.fork(), this.clock.nowMs()), busPort: port + 10000, saved: "", replicating: undefined, down: false, promotions: 0, paused: false, logs: [] };
    this.members.push(member);
    this.outbound.set(member, new Map());
    return member;
  }

  /** Cuts every link between the two groups (both directions) until heal(). */
  partition(a: readonly Member[], b: readonly Member[]): void {
    for (const x of a) for (const y of b) this.cut.add(this.pair(x, y));
    for (const link of [...this.links.values()]) if (this.cut.has(this.pair(link.from, link.to))) this.closeLink(link, true);
  }

  heal(): void {
    this.cut.clear();
  }

  /** Advances virtual time by `ms`, ticking every node every 100 ms and delivering everything in between. */
  run(ms: number): void {
    for (let elapsed = 0; elapsed < ms; elapsed += 100) {
      this.clock.advance(100);
      for (const member of this.members) {
        if (member.down) continue;
        member.state.tick(this.clock.nowMs());
        this.drain(member);
      }
      this.deliver();
    }
  }

  /** Runs an operator action on a member and carries out its effects. */
  act(member: Member, action: (state: ClusterState, nowMs: number) => void): void {
    action(member.state, this.clock.nowMs());
    this.drain(member);
    this.deliver();
  }

  private pair(a: Member, b: Member): string {
    return a.name < b.name ? `${a.name}|${b.name}` : `${b.name}|${a.name}`;
  }

  private deliver(): void {
    for (let steps = 0; this.queue.length > 0; steps++) {
      if (steps > 100_000) throw new Error("message storm: more than 100000 deliveries in one step");
      this.queue.shift()!();
    }
  }

  private drain(member: Member): void {
    for (const effect of member.state.takeEffects()) this.apply(member, effect);
  }

  private apply(member: Member, effect: ClusterEffect): void {
    const now = this.clock.nowMs();
    switch (effect.kind) {
      case "connect": {
        const target = this.members.find((m) => m.busPort === effect.busPort);
        this.queue.push(() => {
          if (target === undefined || target.down || this.cut.has(this.pair(member, target))) {
            member.state.linkDown(effect.nodeId);
          } else {
            const link: Link = { linkId: this.nextLinkId++, from: member, to: target, knownAs: effect.nodeId };
            this.links.set(link.linkId, link);
            this.outbound.get(member)!.set(effect.nodeId, link);
            member.state.linkUp(effect.nodeId, this.clock.nowMs());
          }
          this.drain(member);
        });
        break;
      }
      case "disconnect": {
        const link = this.outbound.get(member)!.get(effect.nodeId);
        if (link) this.closeLink(link, false);
        break;
      }
      case "rename": {
        const links = this.outbound.get(member)!;
        const link = links.get(effect.fromId);
        if (link) {
          links.delete(effect.fromId);
          link.knownAs = effect.toId;
          links.set(effect.toId, link);
        }
        break;
      }
      case "send": {
        const link = this.outbound.get(member)!.get(effect.nodeId);
        if (link) this.transmit(link, link.to, effect.message, { linkId: link.linkId, remoteIp: "127.0.0.1" });
        break;
      }
      case "reply": {
        const link = this.links.get(effect.linkId);
        if (link) this.transmit(link, link.from, effect.message, { linkId: link.linkId, remoteIp: "127.0.0.1", outboundNodeId: link.knownAs });
        break;
      }
      case "save":
        member.saved = effect.text;
        break;
      case "replicate":
        member.replicating = effect.primaryId;
        break;
      case "promoted":
        member.promotions++;
        break;
      case "pauseWrites":
        member.paused = true;
        break;
      case "unpauseWrites":
        member.paused = false;
        break;
      case "log":
        member.logs.push(effect.message);
        break;
      case "dropSlots":
        break;
    }
    void now;
  }

  private transmit(link: Link, to: Member, message: BusMessage, source: Parameters<ClusterState["receive"]>[1]): void {
    const copy = structuredClone(message);
    this.queue.push(() => {
      if (!this.links.has(link.linkId) || to.down || this.cut.has(this.pair(link.from, link.to))) return;
      to.state.receive(copy, source, this.clock.nowMs());
      this.drain(to);
    });
  }

  private closeLink(link: Link, notify: boolean): void {
    this.links.delete(link.linkId);
    const links = this.outbound.get(link.from)!;
    if (links.get(link.knownAs) === link) links.delete(link.knownAs);
    if (notify) {
      link.from.state.linkDown(link.knownAs);
      this.drain(link.from);
    }
  }
}
