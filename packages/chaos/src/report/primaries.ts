import { promotions } from "../check/failovers.js";
import type { NodeSample, Observations } from "../model/observations.js";
import type { TimelineData } from "../model/report.js";

/** A node's claim to be a shard's primary: from a sample (its own config epoch) or a failover event. */
interface Claim {
  epoch: number;
  sinceMs: number;
}

/** What the segments are built from, in time order: a sample of a node, or a failover the nodes reported. */
type Evidence =
  | { timeMs: number; sample: NodeSample }
  | { timeMs: number; promotion: { to: string; from: string | undefined; epoch: number | undefined } };

/**
 * Who was primary of each shard when, ms from the workload's start. A node
 * claims a shard while its latest sample shows it a reachable primary
 * serving that shard's slots; a failover-completed event makes its new
 * primary claim the shard from that moment (and ends the old primary's
 * claim) until samples say otherwise. Where two nodes claim a shard the
 * newest config epoch wins, then the newest claim. Where no node claims it
 * (the primary was seen unreachable and no other had taken over) the
 * segments leave a gap: nothing was known to serve it.
 */
export function primarySegments(observations: Observations, shards: readonly number[]): TimelineData["primaries"] {
  const shardOfNode = new Map(observations.nodes.map((node) => [node.name, node.shard]));
  const claims = new ClaimBook();
  const builders = new Map<number, SegmentBuilder>(shards.map((shard) => [shard, new SegmentBuilder()]));
  const evidence = evidenceInOrder(observations);
  for (const item of evidence) {
    const touched = "sample" in item ? applySample(claims, item.sample, observations.shardOfSlot) : applyPromotion(claims, item, shardOfNode);
    for (const shard of touched) {
      if (!builders.has(shard)) builders.set(shard, new SegmentBuilder());
      builders.get(shard)!.at(item.timeMs, claims.winner(shard));
    }
  }
  const endMs = evidence.length > 0 ? evidence[evidence.length - 1]!.timeMs : observations.workloadStartMs;
  return [...builders.entries()]
    .sort(([a], [b]) => a - b)
    .map(([shard, builder]) => ({ shard, segments: builder.finish(endMs, observations.workloadStartMs) }));
}

function evidenceInOrder(observations: Observations): Evidence[] {
  const evidence: Evidence[] = observations.samples.map((sample) => ({ timeMs: sample.timeMs, sample }));
  for (const promotion of promotions(observations.events)) evidence.push({ timeMs: promotion.atMs, promotion });
  // Stable: a sample and an event at the same ms keep their order, samples first.
  return evidence.sort((a, b) => a.timeMs - b.timeMs);
}

/** The current claims, by shard and by node (a node claims one shard, rarely two while slots move). */
class ClaimBook {
  private readonly byShard = new Map<number, Map<string, Claim>>();
  private readonly byNode = new Map<string, Set<number>>();

  get(shard: number, node: string): Claim | undefined {
    return this.byShard.get(shard)?.get(node);
  }

  set(shard: number, node: string, claim: Claim): void {
    let shardClaims = this.byShard.get(shard);
    if (shardClaims === undefined) {
      shardClaims = new Map();
      this.byShard.set(shard, shardClaims);
    }
    shardClaims.set(node, claim);
    let nodeShards = this.byNode.get(node);
    if (nodeShards === undefined) {
      nodeShards = new Set();
      this.byNode.set(node, nodeShards);
    }
    nodeShards.add(shard);
  }

  delete(shard: number, node: string): boolean {
    this.byNode.get(node)?.delete(shard);
    return this.byShard.get(shard)?.delete(node) ?? false;
  }

  shardsOf(node: string): number[] {
    return [...(this.byNode.get(node) ?? [])];
  }

  highestEpoch(shard: number): number {
    return Math.max(-1, ...[...(this.byShard.get(shard)?.values() ?? [])].map((claim) => claim.epoch));
  }

  /** The newest config epoch wins, then the newest claim. */
  winner(shard: number): string | undefined {
    let best: { node: string; claim: Claim } | undefined;
    for (const [node, claim] of this.byShard.get(shard) ?? []) {
      const better = best === undefined || claim.epoch > best.claim.epoch || (claim.epoch === best.claim.epoch && claim.sinceMs > best.claim.sinceMs);
      if (better) best = { node, claim };
    }
    return best?.node;
  }
}

/** Records what one sample says of its node; returns the shards whose claims changed. */
function applySample(claims: ClaimBook, sample: NodeSample, shardOfSlot: (slot: number) => number): number[] {
  const served = new Set<number>();
  if (sample.reachable && sample.role === "primary") for (const [first] of sample.slots ?? []) served.add(shardOfSlot(first));
  const touched: number[] = [];
  for (const shard of claims.shardsOf(sample.node)) {
    if (!served.has(shard) && claims.delete(shard, sample.node)) touched.push(shard);
  }
  for (const shard of served) {
    const previous = claims.get(shard, sample.node);
    const epoch = sample.configEpoch ?? previous?.epoch ?? -1;
    claims.set(shard, sample.node, { epoch, sinceMs: previous?.epoch === epoch ? previous.sinceMs : sample.timeMs });
    touched.push(shard);
  }
  return touched;
}

/**
 * A failover event: the new primary claims its shard with its epoch from the
 * event, or (when the event names none) just above every claim there, since
 * a takeover always bumps the epoch; the old primary's claim ends.
 */
function applyPromotion(claims: ClaimBook, item: Extract<Evidence, { promotion: unknown }>, shardOfNode: Map<string, number>): number[] {
  const shard = shardOfNode.get(item.promotion.to);
  if (shard === undefined) return [];
  if (item.promotion.from !== undefined) claims.delete(shard, item.promotion.from);
  claims.set(shard, item.promotion.to, { epoch: item.promotion.epoch ?? claims.highestEpoch(shard) + 1, sinceMs: item.timeMs });
  return [shard];
}

/** Turns "from this moment, this node (or nobody)" into contiguous segments, one per change. */
class SegmentBuilder {
  private readonly segments: { fromMs: number; toMs: number; node: string }[] = [];
  private open: { fromMs: number; node: string } | undefined;

  at(timeMs: number, node: string | undefined): void {
    if (this.open?.node === node) return;
    if (this.open !== undefined) this.segments.push({ ...this.open, toMs: timeMs });
    this.open = node === undefined ? undefined : { fromMs: timeMs, node };
  }

  /** Closes the open segment at `endMs` and makes every time relative to `originMs`, dropping what ended before it. */
  finish(endMs: number, originMs: number): { fromMs: number; toMs: number; node: string }[] {
    if (this.open !== undefined) this.segments.push({ ...this.open, toMs: Math.max(endMs, this.open.fromMs) });
    this.open = undefined;
    return this.segments
      .map((segment) => ({ fromMs: Math.max(0, segment.fromMs - originMs), toMs: segment.toMs - originMs, node: segment.node }))
      .filter((segment) => segment.toMs > 0 && segment.toMs > segment.fromMs);
  }
}
