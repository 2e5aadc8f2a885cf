import type { Random } from "../random.js";

/**
 * Network faults, decided here and carried out by a runtime: the process
 * runtime shapes its sockets with them, the simulator its simulated links.
 * There is no netem on the machines shardline runs on, so the node itself
 * plays the network: every byte or frame it sends or receives on the
 * cluster bus, a replication link or a client connection passes through the
 * rules of its own node first.
 *
 * A rule on node N is about the traffic between N and a peer (another node,
 * by id; or any client, when the rule names every peer), on some channels,
 * in some directions: `out` is what N sends to the peer, `in` what N
 * receives from it. What the actions mean, as close to TCP as a runtime that
 * sits above TCP can come:
 *
 *  - partition: the traffic is dropped. A stream (a client connection, a
 *    replication link) cannot lose bytes in its middle, so it is reset and
 *    new ones are refused while the rule holds, as a REJECT rule does; a bus
 *    frame is a message of its own and is discarded, so the peer sees only
 *    silence (PFAIL), as with iptables DROP.
 *  - blackhole: the traffic is held, in order, without a reset, and
 *    delivered when the rule goes, as TCP retransmits into a route that
 *    comes back: the silent death clients hang on. Bounded by
 *    `heldBytesMax` per link and direction; past it the link is reset, as a
 *    sender whose window stays shut for good gives up.
 *  - latency: each unit is delivered `delayMs` later, plus or minus a
 *    uniform `jitterMs`, never out of order (TCP keeps order).
 *  - loss: each unit is lost with `probability` and retransmitted after
 *    TCP's retransmission timeout, which doubles on each further loss of
 *    the same unit: a lossy link is a slow link, not a lossy stream.
 */
export type FaultChannel = "bus" | "replication" | "client";
export const FAULT_CHANNELS: readonly FaultChannel[] = ["bus", "replication", "client"];

export type FaultDirection = "in" | "out" | "both";

export type FaultAction =
  | { kind: "partition" }
  | { kind: "blackhole" }
  | { kind: "latency"; delayMs: number; jitterMs: number }
  | { kind: "loss"; probability: number };

export interface FaultRule {
  /** The name it is set and healed by. */
  id: string;
  /** Node ids the rule is about, or "*": every peer, clients included. */
  peers: "*" | string[];
  channels: FaultChannel[];
  direction: FaultDirection;
  action: FaultAction;
}

/** What the rules make of one unit of traffic on one link and direction. */
export interface Shape {
  partitioned: boolean;
  held: boolean;
  /** Extra delay and its jitter, summed over the matching latency rules. */
  delayMs: number;
  jitterMs: number;
  /** Chance the unit is lost (and retransmitted), combined over the matching loss rules. */
  lossProbability: number;
}

export const CLEAR_SHAPE: Readonly<Shape> = Object.freeze({ partitioned: false, held: false, delayMs: 0, jitterMs: 0, lossProbability: 0 });

/** Bounds of fault rules, so a runner's mistake cannot make a node hold or delay without end. */
export const FAULT_LIMITS = {
  rulesMax: 64,
  peersPerRuleMax: 1024,
  idLengthMax: 64,
  delayMsMax: 60_000,
  /** Bytes one link may hold or delay in one direction before it is reset. */
  heldBytesMax: 64 * 1024 * 1024,
  /** Linux's TCP_RTO_MIN: the first retransmission of a lost segment waits this long. */
  retransmitTimeoutMs: 200,
  /** Retransmissions of one unit before it gets through regardless (200 ms x 2^6 = 12.8 s for the last). */
  retransmitsMax: 6,
} as const;

/** A rule set that cannot be used; the message says which rule and field, and what is allowed. */
export class FaultRuleError extends Error {}

/**
 * The fault rules of one node and what they make of its traffic. A version
 * counter lets runtimes notice a change (to release held traffic, reset
 * partitioned links) without comparing rule sets.
 */
export class NetworkFaults {
  private current: readonly FaultRule[] = [];
  private changes = 0;

  get rules(): readonly FaultRule[] {
    return this.current;
  }

  /** Whether any rule is in force: the runtimes' fast path skips shaping entirely when not. */
  get active(): boolean {
    return this.current.length > 0;
  }

  get version(): number {
    return this.changes;
  }

  /** Replaces every rule (validated first: on error nothing changes). */
  set(rules: unknown): void {
    this.current = parseFaultRules(rules);
    this.changes++;
  }

  clear(): void {
    if (this.current.length === 0) return;
    this.current = [];
    this.changes++;
  }

  /**
   * The shape of traffic on `channel` with `peerId` (undefined for a client
   * or a peer not identified yet) in `direction`. A peer not identified is
   * matched only by rules about every peer.
   */
  shape(channel: FaultChannel, peerId: string | undefined, direction: "in" | "out"): Shape {
    if (this.current.length === 0) return CLEAR_SHAPE;
    let shape: Shape | undefined;
    for (const rule of this.current) {
      if (!rule.channels.includes(channel)) continue;
      if (rule.direction !== "both" && rule.direction !== direction) continue;
      if (rule.peers !== "*" && (peerId === undefined || !rule.peers.includes(peerId))) continue;
      shape ??= { ...CLEAR_SHAPE };
      applyAction(shape, rule.action);
    }
    return shape ?? CLEAR_SHAPE;
  }
}

function applyAction(shape: Shape, action: FaultAction): void {
  switch (action.kind) {
    case "partition":
      shape.partitioned = true;
      return;
    case "blackhole":
      shape.held = true;
      return;
    case "latency":
      shape.delayMs += action.delayMs;
      shape.jitterMs += action.jitterMs;
      return;
    case "loss":
      shape.lossProbability = 1 - (1 - shape.lossProbability) * (1 - action.probability);
      return;
  }
}

/** Whether a shape changes nothing. */
export function isClear(shape: Shape): boolean {
  return !shape.partitioned && !shape.held && shape.delayMs === 0 && shape.jitterMs === 0 && shape.lossProbability === 0;
}

/**
 * When a unit of traffic that arrives at `nowMs` may be delivered, for a
 * shape that is neither partitioned nor held: after its delay and jitter and
 * any retransmissions, and never before the unit ahead of it on the same
 * link (`previousDeliveryMs`), so order is kept.
 */
export function deliveryTimeMs(shape: Shape, nowMs: number, previousDeliveryMs: number, random: Random): number {
  let atMs = nowMs;
  if (shape.delayMs > 0 || shape.jitterMs > 0) {
    const jitterMs = shape.jitterMs === 0 ? 0 : (random.float() * 2 - 1) * shape.jitterMs;
    atMs += Math.max(0, shape.delayMs + jitterMs);
  }
  if (shape.lossProbability > 0) {
    let timeoutMs = FAULT_LIMITS.retransmitTimeoutMs;
    for (let attempt = 0; attempt < FAULT_LIMITS.retransmitsMax && random.float() < shape.lossProbability; attempt++) {
      atMs += timeoutMs;
      timeoutMs *= 2;
    }
  }
  return Math.max(atMs, previousDeliveryMs);
}

/** Validates rules from the wire (a runner's control frame): plain data in, typed rules out. */
export function parseFaultRules(data: unknown): FaultRule[] {
  if (!Array.isArray(data)) throw new FaultRuleError("rules: must be a list of rules");
  if (data.length > FAULT_LIMITS.rulesMax) throw new FaultRuleError(`rules: at most ${FAULT_LIMITS.rulesMax} rules, got ${data.length}`);
  const ids = new Set<string>();
  return data.map((item, index) => {
    const rule = parseRule(item, `rules[${index}]`);
    if (ids.has(rule.id)) throw new FaultRuleError(`rules[${index}].id: '${rule.id}' is used by an earlier rule; ids must be distinct`);
    ids.add(rule.id);
    return rule;
  });
}

function parseRule(item: unknown, where: string): FaultRule {
  if (typeof item !== "object" || item === null || Array.isArray(item)) throw new FaultRuleError(`${where}: must be a mapping with id, peers, channels, direction and action`);
  const fields = item as Record<string, unknown>;
  const id = fields.id;
  if (typeof id !== "string" || id === "" || id.length > FAULT_LIMITS.idLengthMax) {
    throw new FaultRuleError(`${where}.id: must be a name of 1 to ${FAULT_LIMITS.idLengthMax} characters`);
  }
  return { id, peers: parsePeers(fields.peers, `${where}.peers`), channels: parseChannels(fields.channels, `${where}.channels`), direction: parseDirection(fields.direction, `${where}.direction`), action: parseAction(fields.action, `${where}.action`) };
}

function parsePeers(value: unknown, where: string): "*" | string[] {
  if (value === "*") return "*";
  if (!Array.isArray(value) || value.some((peer) => typeof peer !== "string" || peer === "")) throw new FaultRuleError(`${where}: must be "*" (every peer, clients included) or a list of node ids`);
  if (value.length > FAULT_LIMITS.peersPerRuleMax) throw new FaultRuleError(`${where}: at most ${FAULT_LIMITS.peersPerRuleMax} peers`);
  return [...(value as string[])];
}

function parseChannels(value: unknown, where: string): FaultChannel[] {
  const allowed = FAULT_CHANNELS as readonly unknown[];
  if (!Array.isArray(value) || value.length === 0 || value.some((channel) => !allowed.includes(channel))) {
    throw new FaultRuleError(`${where}: must list one or more of ${FAULT_CHANNELS.join(", ")}`);
  }
  return [...new Set(value as FaultChannel[])];
}

function parseDirection(value: unknown, where: string): FaultDirection {
  if (value !== "in" && value !== "out" && value !== "both") throw new FaultRuleError(`${where}: must be in, out or both`);
  return value;
}

function parseAction(value: unknown, where: string): FaultAction {
  if (typeof value !== "object" || value === null) throw new FaultRuleError(`${where}: must be a mapping with a kind`);
  const action = value as Record<string, unknown>;
  switch (action.kind) {
    case "partition":
    case "blackhole":
      return { kind: action.kind };
    case "latency": {
      const delayMs = numberIn(action.delayMs, `${where}.delayMs`, 0, FAULT_LIMITS.delayMsMax);
      const jitterMs = action.jitterMs === undefined ? 0 : numberIn(action.jitterMs, `${where}.jitterMs`, 0, FAULT_LIMITS.delayMsMax);
      return { kind: "latency", delayMs, jitterMs };
    }
    case "loss": {
      const probability = numberIn(action.probability, `${where}.probability`, 0, 1);
      if (probability === 0) throw new FaultRuleError(`${where}.probability: must be above 0 (a loss rule of 0 does nothing)`);
      return { kind: "loss", probability };
    }
    default:
      throw new FaultRuleError(`${where}.kind: must be partition, blackhole, latency or loss`);
  }
}

function numberIn(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) throw new FaultRuleError(`${where}: must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return value;
}
