import type { FaultEntry } from "../model/history.js";
import type { ClusterEventRecord, NodeSample, Observations } from "../model/observations.js";
import type { FailoverFact } from "../model/report.js";

export type FailoverInputs = Pick<Observations, "events" | "nodes" | "samples" | "shardOfSlot">;

/** The same promotion reported again (a node that learnt of it late) within this window is one failover. */
const DUPLICATE_WINDOW_MS = 10_000;
/** An election started longer than this before a promotion is not the one that led to it. */
const ELECTION_BEFORE_PROMOTION_MS = 30_000;
/** Faults that undo a fault (or start nothing) never cause a failover. */
const NOT_A_CAUSE = new Set(["heal", "restart", "resume"]);
/** Faults that ask for a failover: the promotion they cause is manual. */
const MANUAL_FAULTS = new Set(["failover", "test-failover"]);

/** What a failover-completed event says, parsed. */
interface Promotion {
  atMs: number;
  to: string;
  /** As the event names it; a node the run does not know (an unresolved id) is looked up in the samples. */
  from: string | undefined;
  epoch: number | undefined;
}

/**
 * Failovers: one fact per `failover-completed` event (its node is the new
 * primary, its detail "took over from <name> in epoch N"), a promotion
 * reported again later by a node that learnt of it late counted once.
 *
 * - shard: the new primary's, from `nodes` (else the old primary's, else
 *   that of the slots the new primary served afterwards).
 * - causedBy: the latest fault before the promotion that was carried out
 *   (not unsupported, not errored), is not a heal, restart or resume, and
 *   targeted the old primary (a fault on its zone, or on all nodes,
 *   resolves to targets that include it), or asked for a failover of the
 *   new primary; sinceFaultMs = promotion time − fault time.
 * - manual: the election that led to it said "manual", or its cause was a
 *   failover or test-failover fault.
 * - lagRank: see `lagRank`.
 */
export function failovers(faults: readonly FaultEntry[], observations: FailoverInputs): FailoverFact[] {
  const samplesByNode = samplesOfEachNode(observations.samples);
  const known = new Set(observations.nodes.map((node) => node.name));
  return promotions(observations.events).map((promotion) => {
    const shard = shardOf(promotion, observations, samplesByNode);
    const from = promotion.from !== undefined && known.has(promotion.from) ? promotion.from : (primaryBefore(shard, promotion, observations, samplesByNode) ?? promotion.from ?? "unknown");
    const cause = causeOf(faults, from, promotion.to, promotion.atMs);
    const lag = lagRank(promotion.to, from, promotion.atMs, cause?.timeMs, samplesByNode, observations.samples.length > 0);
    return {
      shard,
      from,
      to: promotion.to,
      atMs: promotion.atMs,
      causedBy: cause === undefined ? undefined : `${cause.step}: ${cause.description}`,
      sinceFaultMs: cause === undefined ? undefined : promotion.atMs - cause.timeMs,
      lagRank: lag.rank,
      ...(lag.unknownReason === undefined ? {} : { lagRankUnknownReason: lag.unknownReason }),
      offsets: lag.offsets,
      manual: electionWasManual(observations.events, promotion) || (cause !== undefined && MANUAL_FAULTS.has(cause.do)),
    };
  });
}

/** The failover-completed events, parsed, oldest first, duplicates dropped. */
export function promotions(events: readonly ClusterEventRecord[]): Promotion[] {
  const found: Promotion[] = [];
  const completed = events.filter((event) => event.type === "failover-completed").sort((a, b) => a.atMs - b.atMs);
  for (const event of completed) {
    const promotion = { atMs: event.atMs, to: event.node, ...parseTakeover(event.detail) };
    const duplicate = found.some(
      (p) => p.to === promotion.to && p.from === promotion.from && p.epoch === promotion.epoch && (p.epoch !== undefined || promotion.atMs - p.atMs <= DUPLICATE_WINDOW_MS),
    );
    if (!duplicate) found.push(promotion);
  }
  return found;
}

/** "took over from default-0001-001 in epoch 7" → its old primary and epoch; either may be missing from an odd detail. */
export function parseTakeover(detail: string): { from: string | undefined; epoch: number | undefined } {
  const from = /took over from\s+([^\s,;]+)/i.exec(detail)?.[1]?.replace(/[.:]+$/, "");
  const epoch = /\bepoch\s+(\d+)/i.exec(detail)?.[1];
  return { from, epoch: epoch === undefined ? undefined : Number(epoch) };
}

function samplesOfEachNode(samples: readonly NodeSample[]): Map<string, NodeSample[]> {
  const byNode = new Map<string, NodeSample[]>();
  for (const sample of samples) {
    const list = byNode.get(sample.node) ?? [];
    list.push(sample);
    byNode.set(sample.node, list);
  }
  for (const list of byNode.values()) list.sort((a, b) => a.timeMs - b.timeMs);
  return byNode;
}

function shardOf(promotion: Promotion, observations: FailoverInputs, samplesByNode: Map<string, NodeSample[]>): number {
  const byName = (name: string | undefined) => observations.nodes.find((node) => node.name === name)?.shard;
  const served = samplesByNode.get(promotion.to)?.find((s) => s.timeMs >= promotion.atMs && s.slots !== undefined && s.slots.length > 0)?.slots?.[0]?.[0];
  return byName(promotion.to) ?? byName(promotion.from) ?? (served === undefined ? 0 : observations.shardOfSlot(served));
}

/** The shard's primary in the last samples before the promotion, other than the new one: the old primary when the event could not name it. */
function primaryBefore(shard: number, promotion: Promotion, observations: FailoverInputs, samplesByNode: Map<string, NodeSample[]>): string | undefined {
  let best: NodeSample | undefined;
  for (const node of observations.nodes) {
    if (node.shard !== shard || node.name === promotion.to) continue;
    const last = lastSample(samplesByNode.get(node.name), (s) => s.timeMs <= promotion.atMs && s.role === "primary");
    if (last !== undefined && (best === undefined || last.timeMs > best.timeMs)) best = last;
  }
  return best?.node;
}

/** The latest fault at or before `atMs` that can have caused the promotion of `to` over `from`. */
export function causeOf(faults: readonly FaultEntry[], from: string, to: string, atMs: number): FaultEntry | undefined {
  let cause: FaultEntry | undefined;
  for (const fault of faults) {
    if (fault.timeMs > atMs || fault.unsupported !== undefined || fault.error !== undefined || NOT_A_CAUSE.has(fault.do)) continue;
    const aimed = fault.targets.includes(from) || (MANUAL_FAULTS.has(fault.do) && fault.targets.includes(to));
    if (aimed && (cause === undefined || fault.timeMs >= cause.timeMs)) cause = fault;
  }
  return cause;
}

function electionWasManual(events: readonly ClusterEventRecord[], promotion: Promotion): boolean {
  const elections = events.filter(
    (e) => e.type === "election-started" && e.node === promotion.to && e.atMs <= promotion.atMs && promotion.atMs - e.atMs <= ELECTION_BEFORE_PROMOTION_MS,
  );
  const latest = elections.reduce<ClusterEventRecord | undefined>((last, e) => (last === undefined || e.atMs >= last.atMs ? e : last), undefined);
  return latest !== undefined && /manual/i.test(latest.detail);
}

function lastSample(samples: readonly NodeSample[] | undefined, accept: (sample: NodeSample) => boolean): NodeSample | undefined {
  if (samples === undefined) return undefined;
  for (let i = samples.length - 1; i >= 0; i -= 1) if (accept(samples[i]!)) return samples[i];
  return undefined;
}

interface LagRank {
  rank: number | undefined;
  unknownReason: string | undefined;
  offsets: Record<string, number>;
}

/**
 * How many of the old primary's other replicas were further ahead than the
 * one promoted (0: it was the least-lagged), by replication offset.
 *
 * Each replica's offset is that of its last sample with an offset taken at
 * or before the promotion while it was a replica, and not before the fault
 * when there was one (after a fault the offsets are what each replica had
 * received, which is what the election compares); when it has none since
 * the fault, its last one before the fault. The siblings are the nodes
 * whose sample so chosen shows them replicating the old primary, less those
 * whose last sample before the promotion did not answer: a replica that was
 * down could not be elected, so being ahead of the winner does not count
 * against it. Unknown when the promoted node's offset was never sampled.
 */
export function lagRank(to: string, from: string, atMs: number, faultMs: number | undefined, samplesByNode: Map<string, NodeSample[]>, anySamples: boolean): LagRank {
  if (!anySamples) return { rank: undefined, unknownReason: "the run took no samples of the nodes", offsets: {} };
  const offsetOf = (node: string) => offsetSample(samplesByNode.get(node), atMs, faultMs);
  const own = offsetOf(to);
  if (own === undefined) return { rank: undefined, unknownReason: `no replication offset of ${to} was sampled before its promotion`, offsets: {} };
  const offsets: Record<string, number> = { [to]: own.replicationOffset! };
  let rank = 0;
  for (const [node, samples] of samplesByNode) {
    if (node === to) continue;
    const sample = offsetOf(node);
    if (sample === undefined || sample.primary !== from) continue;
    if (lastSample(samples, (s) => s.timeMs <= atMs)?.reachable === false) continue;
    offsets[node] = sample.replicationOffset!;
    if (sample.replicationOffset! > own.replicationOffset!) rank += 1;
  }
  return { rank, unknownReason: undefined, offsets };
}

function offsetSample(samples: readonly NodeSample[] | undefined, atMs: number, faultMs: number | undefined): NodeSample | undefined {
  const usable = (s: NodeSample) => s.timeMs <= atMs && s.replicationOffset !== undefined && s.role !== "primary";
  const sinceFault = lastSample(samples, (s) => usable(s) && (faultMs === undefined || s.timeMs >= faultMs));
  if (sinceFault !== undefined || faultMs === undefined) return sinceFault;
  return lastSample(samples, (s) => usable(s) && s.timeMs < faultMs);
}
