import { assert } from "../assert.js";
import type { Random } from "../random.js";
import { BUS_PROTOCOL_VERSION, type BusHeader, type BusMessage, type GossipEntry, type NodeFlagBits } from "./messages.js";
import { parseClusterNodesLine } from "./nodes-format.js";
import { clusterNodesLine, COUNTER_OF, type ClusterReport, type MessageType } from "./render.js";
import type { RoutingView } from "./routing.js";
import { SLOT_COUNT } from "./slots.js";
import { SlotSet, type ClusterNode } from "./topology.js";

/** Settings of the cluster layer, from the node's configuration. */
export interface ClusterSettings {
  /** `cluster-node-timeout`: a peer silent this long is suspected (PFAIL). */
  nodeTimeoutMs: number;
  /** `cluster-require-full-coverage`: any unserved slot puts the whole cluster in fail state. */
  requireFullCoverage: boolean;
  /** `cluster-allow-reads-when-down`. */
  allowReadsWhenDown: boolean;
  /** `cluster-preferred-endpoint-type`. */
  preferredEndpoint: "ip" | "hostname" | "unknown-endpoint";
  /** The endpoint this node announces (cluster-announce-ip/-port/-bus-port/-hostname). */
  ip: string;
  port: number;
  busPort: number;
  hostname: string;
  /** `availability-zone`. */
  availabilityZone: string;
  /** `cluster-replica-no-failover`. */
  noFailover: boolean;
  /** `cluster-replica-validity-factor`: a replica whose data is older than node timeout x this does not stand (0: always stands). */
  replicaValidityFactor?: number;
}

/** What the cluster asks the runtime (or the simulator) to do. */
export type ClusterEffect =
  /** Open an outbound bus link to a node; answer with linkUp or linkDown. */
  | { kind: "connect"; nodeId: string; ip: string; busPort: number }
  /** Close the outbound link to a node (it is gone, or its link looks dead). */
  | { kind: "disconnect"; nodeId: string }
  /** A handshake learnt the real id of a node met under a provisional one. */
  | { kind: "rename"; fromId: string; toId: string }
  /** Send on the outbound link to a node. */
  | { kind: "send"; nodeId: string; message: BusMessage }
  /** Answer on the inbound link a message came from. */
  | { kind: "reply"; linkId: number; message: BusMessage }
  /** Persist the nodes file (whole content); at most one per batch of effects, last in it. */
  | { kind: "save"; text: string }
  /** This node must now replicate `primaryId` (its slots were taken over, or CLUSTER REPLICATE). */
  | { kind: "replicate"; primaryId: string }
  /** This replica won an election: it is a primary now and its dataset continues as the primary's. */
  | { kind: "promoted"; formerPrimaryId: string; epoch: number }
  /** A manual failover: hold client writes until `untilMs` (or unpauseWrites). */
  | { kind: "pauseWrites"; untilMs: number }
  | { kind: "unpauseWrites" }
  /** Keys of slots this node no longer serves must go. */
  | { kind: "dropSlots"; slots: number[] }
  | { kind: "log"; level: "info" | "warn"; message: string; fields?: Record<string, unknown> };

/** Something that happened to the cluster, as this node saw it (SHARDLINE EVENTS, `shardline status --events`). */
export interface ClusterEvent {
  atMs: number;
  type: "failure-detected" | "election-started" | "failover-completed" | "node-recovered";
  /** The node the event is about (the failed primary, the candidate, the new primary, the recovered node). */
  nodeId: string;
  detail: string;
}

/** Events each node keeps, newest last (bounded like everything else). */
const EVENTS_MAX = 256;

/** Where a bus message came from. */
export interface LinkSource {
  linkId: number;
  /** The peer's address as the socket sees it (used when a peer announces no ip). */
  remoteIp: string;
  /** Set when the message arrived on our outbound link to that node (a PONG to our PING). */
  outboundNodeId?: string;
}

/** Per-node state that only this node keeps (not shown to clients). */
interface NodeBookkeeping {
  createdMs: number;
  /** An outbound link is open or being opened. */
  connecting: boolean;
  lastDataMs: number;
  /** FAIL reports: reporter id -> when reported. */
  failReports: Map<string, number>;
  failTimeMs: number;
  /** Met with CLUSTER MEET: the first message on the link is a MEET. */
  meet: boolean;
  linkCreatedMs: number;
}

/** Redis's multipliers: reports stay valid 2 node timeouts; FAIL of a slot owner is undone after 2. */
const FAIL_REPORT_VALIDITY_MULT = 2;
const FAIL_UNDO_TIME_MULT = 2;
/** A primary waits this long after start-up before declaring the cluster ok (Redis CLUSTER_WRITABLE_DELAY). */
const WRITABLE_DELAY_MS = 2000;
/** Bounds of the rejoin delay of a primary coming back from a minority partition. */
const REJOIN_DELAY_MIN_MS = 500;
const REJOIN_DELAY_MAX_MS = 5000;
/** A FORGET bans a node from being re-added by gossip for this long. */
const FORGET_BAN_MS = 60_000;
/** Random nodes sampled each second to pick the one pinged (Redis pings the oldest pong of 5). */
const PING_SAMPLE = 5;
/** Gossip entries per message: a tenth of the nodes, at least 3, at most this. */
const GOSSIP_ENTRIES_MAX = 64;
/** How long a manual failover may take before it is abandoned (Redis CLUSTER_MF_TIMEOUT). */
const MANUAL_FAILOVER_TIMEOUT_MS = 5000;

/**
 * The cluster layer of one node, sans-IO: membership, the MEET handshake,
 * gossip, epochs, slot ownership, failure detection and the cluster state.
 * Inputs are commands (from CLUSTER ...), bus messages, link events and the
 * periodic tick, each with the current time; outputs are effects.
 *
 * It follows Redis Cluster's algorithms (cluster.c) and names them where it
 * does; where it differs, a comment says why.
 */
export class ClusterState implements ClusterReport, RoutingView {
  readonly nodesById = new Map<string, ClusterNode>();
  readonly myself: ClusterNode;
  currentEpoch = 0;
  lastVoteEpoch = 0;
  stateOk = false;
  readonly migrating = new Map<number, string>();
  readonly importing = new Map<number, string>();
  readonly messagesSent = new Map<MessageType, number>();
  readonly messagesReceived = new Map<MessageType, number>();
  linksBufferLimitExceeded = 0;
  private readonly owners: (ClusterNode | undefined)[] = new Array(SLOT_COUNT).fill(undefined);
  private readonly bookkeeping = new Map<string, NodeBookkeeping>();
  private readonly banned = new Map<string, number>();
  /** Inbound bus links by link id: which node speaks on each, and since when (CLUSTER LINKS "from"). */
  readonly inboundLinks = new Map<number, { nodeId: string; createdMs: number }>();
  private effects: ClusterEffect[] = [];
  private readonly startedMs: number;
  private amongMinoritySinceMs = 0;
  /** The replica's election in progress, if its primary failed (clusterHandleSlaveFailover's state). */
  private election: { startMs: number; authEpoch: number; rank: number; asked: boolean; votes: Set<string> } | undefined;
  /** When this node last voted for a replica of each primary (one vote per failed primary per 2 node timeouts). */
  private readonly votedFor = new Map<string, number>();
  private lastReasonLogMs = 0;
  /** Replica side of CLUSTER FAILOVER: until when it may take, whether FORCE, and the primary's final offset once paused. */
  private manualFailover: { deadlineMs: number; force: boolean; primaryOffset: number | undefined } | undefined;
  /** Primary side of CLUSTER FAILOVER: writes are held for this replica until the deadline. */
  private pausedFor: { replicaId: string; deadlineMs: number } | undefined;
  /** What this node saw happen, oldest first, at most EVENTS_MAX. */
  readonly events: ClusterEvent[] = [];
  private nowForEvents = 0;
  /** The live replication offset (the engine's), read whenever a header is built; falls back to myself's. */
  offsetSource: (() => number) | undefined;
  /** How old this replica's data is (ms since its replication link was last up), kept current by the engine. */
  dataAgeMs = 0;
  private configDirty = false;
  private ticks = 0;

  constructor(
    private settings: ClusterSettings,
    private readonly random: Random,
    nowMs: number,
    myId?: string,
  ) {
    this.startedMs = nowMs;
    this.myself = this.newNode(myId ?? random.hex(40), settings.ip, settings.port, settings.busPort, nowMs);
    this.myself.myself = true;
    this.myself.role = "primary";
    this.myself.hostname = settings.hostname;
    this.myself.availabilityZone = settings.availabilityZone;
    this.myself.noFailover = settings.noFailover;
    this.myself.shardId = random.hex(40);
  }

  // ------------------------------------------------------------ views

  get nodes(): ClusterNode[] {
    return [...this.nodesById.values()];
  }

  get myId(): string {
    return this.myself.id;
  }

  get myShardId(): string {
    return this.myself.shardId;
  }

  /** When the outbound link to a node came up (CLUSTER LINKS), ms since the epoch. */
  linkCreatedMs(id: string): number {
    return this.bookkeeping.get(id)?.linkCreatedMs ?? 0;
  }

  get myPrimaryId(): string | undefined {
    return this.myself.role === "replica" ? this.myself.primaryId : undefined;
  }

  get allowReadsWhenDown(): boolean {
    return this.settings.allowReadsWhenDown;
  }

  get preferredEndpoint(): ClusterSettings["preferredEndpoint"] {
    return this.settings.preferredEndpoint;
  }

  get nodeTimeoutMs(): number {
    return this.settings.nodeTimeoutMs;
  }

  node(id: string): ClusterNode | undefined {
    return this.nodesById.get(id);
  }

  slotOwner(slot: number): ClusterNode | undefined {
    return this.owners[slot];
  }

  slotOwnerId(slot: number): string | undefined {
    return this.owners[slot]?.id;
  }

  migratingTo(slot: number): string | undefined {
    return this.migrating.get(slot);
  }

  importingFrom(slot: number): string | undefined {
    return this.importing.get(slot);
  }

  failureReportCount(id: string, nowMs: number): number {
    const book = this.bookkeeping.get(id);
    if (!book) return 0;
    this.expireFailReports(book, nowMs);
    return book.failReports.size;
  }

  /** Primaries serving at least one slot: Redis's cluster size (CLUSTER INFO cluster_size). */
  get size(): number {
    let size = 0;
    for (const node of this.nodesById.values()) if (node.role === "primary" && node.slots.size > 0) size++;
    return size;
  }

  /**
   * The electorate: every member of the cluster, primaries and replicas,
   * failed ones included. Redis lets only slot-owning primaries vote, which
   * can never fail over a single-shard group (its only voter is the failed
   * primary). Here every member votes, at most once per epoch, and agreeing
   * on FAIL, winning an election and keeping the cluster ok all need a
   * majority of all members: two candidates cannot both win an epoch, and a
   * primary that sees fewer than a majority stops taking writes. Losing any
   * one AZ of the default cluster leaves 6 of 9 (quorum 5); a one-shard
   * group of three in three AZs keeps 2 of 3.
   */
  get quorum(): number {
    let members = 0;
    for (const node of this.nodesById.values()) if (!node.handshake) members++;
    return Math.floor(members / 2) + 1;
  }

  /** Takes the effects produced so far; the runtime carries them out in order. */
  takeEffects(): ClusterEffect[] {
    if (this.configDirty) {
      this.configDirty = false;
      this.effects.push({ kind: "save", text: this.nodesFileText() });
    }
    const effects = this.effects;
    this.effects = [];
    return effects;
  }

  updateSettings(settings: ClusterSettings): void {
    this.settings = settings;
    this.myself.noFailover = settings.noFailover;
  }

  // ------------------------------------------------------------ operator commands

  /** CLUSTER MEET: start a handshake with the node at ip:port@busPort. */
  meet(ip: string, port: number, busPort: number, nowMs: number): void {
    for (const node of this.nodesById.values()) {
      if (node.handshake && node.ip === ip && node.port === port && node.busPort === busPort) return;
    }
    const node = this.newNode(this.random.hex(40), ip, port, busPort, nowMs);
    node.handshake = true;
    node.role = "unknown";
    this.book(node.id).meet = true;
    this.log("info", "meeting node", { ip, port, busPort });
  }

  /** CLUSTER ADDSLOTS (validated by the caller): this node serves `slots`. */
  addSlots(slots: readonly number[]): void {
    for (const slot of slots) this.assignSlot(slot, this.myself);
    this.importing.forEach((_, slot) => slots.includes(slot) && this.importing.delete(slot));
    this.configChanged();
  }

  /** CLUSTER DELSLOTS / FLUSHSLOTS: forget who serves `slots`. */
  deleteSlots(slots: readonly number[]): void {
    for (const slot of slots) this.unassignSlot(slot);
    this.configChanged();
  }

  /** CLUSTER SET-CONFIG-EPOCH (validated by the caller). */
  setConfigEpoch(epoch: number): void {
    this.myself.configEpoch = epoch;
    if (this.currentEpoch < epoch) this.currentEpoch = epoch;
    this.configChanged();
  }

  /**
   * CLUSTER BUMPEPOCH (clusterBumpConfigEpochWithoutConsensus): take a new,
   * unique config epoch unless this node already has the greatest one.
   */
  bumpEpoch(): { bumped: boolean; epoch: number } {
    const maxEpoch = this.maxConfigEpoch();
    if (this.myself.configEpoch === 0 || this.myself.configEpoch !== maxEpoch) {
      this.currentEpoch++;
      this.myself.configEpoch = this.currentEpoch;
      this.configChanged();
      this.log("info", "config epoch bumped without consensus", { epoch: this.myself.configEpoch });
      return { bumped: true, epoch: this.myself.configEpoch };
    }
    return { bumped: false, epoch: this.myself.configEpoch };
  }

  /** CLUSTER SAVECONFIG. */
  saveConfig(): void {
    this.configChanged();
  }

  /** CLUSTER REPLICATE (validated by the caller): become a replica of `primaryId`. */
  replicate(primaryId: string): void {
    const primary = this.nodesById.get(primaryId);
    assert(primary !== undefined && primary !== this.myself, "replicate a known other node");
    for (const [start, end] of this.myself.slots.ranges()) for (let slot = start; slot <= end; slot++) this.unassignSlot(slot);
    this.myself.role = "replica";
    this.myself.primaryId = primaryId;
    this.myself.shardId = primary.shardId || this.myself.shardId;
    this.migrating.clear();
    this.importing.clear();
    this.effects.push({ kind: "replicate", primaryId });
    this.configChanged();
  }

  /** CLUSTER FORGET (validated by the caller): drop a node and refuse it from gossip for a minute. */
  forget(id: string, nowMs: number): void {
    this.banned.set(id, nowMs + FORGET_BAN_MS);
    this.deleteNode(id);
    this.configChanged();
  }

  /**
   * CLUSTER RESET: forget every other node and all slots; a hard reset also
   * takes a new id and zeroes the epochs. The caller checks the node holds no keys.
   */
  reset(hard: boolean, nowMs: number): void {
    for (const id of [...this.nodesById.keys()]) if (id !== this.myself.id) this.deleteNode(id);
    for (let slot = 0; slot < SLOT_COUNT; slot++) this.unassignSlot(slot);
    this.migrating.clear();
    this.importing.clear();
    this.myself.role = "primary";
    this.myself.primaryId = undefined;
    if (hard) {
      this.currentEpoch = 0;
      this.lastVoteEpoch = 0;
      this.myself.configEpoch = 0;
      const newId = this.random.hex(40);
      this.nodesById.delete(this.myself.id);
      const book = this.bookkeeping.get(this.myself.id)!;
      this.bookkeeping.delete(this.myself.id);
      this.myself.id = newId;
      this.nodesById.set(newId, this.myself);
      this.bookkeeping.set(newId, book);
    }
    void nowMs;
    this.configChanged();
  }

  /** CLUSTER SETSLOT <slot> MIGRATING|IMPORTING|STABLE|NODE (validated by the caller). */
  setSlotMigrating(slot: number, targetId: string): void {
    this.migrating.set(slot, targetId);
    this.configChanged();
  }

  setSlotImporting(slot: number, sourceId: string): void {
    this.importing.set(slot, sourceId);
    this.configChanged();
  }

  setSlotStable(slot: number): void {
    this.migrating.delete(slot);
    this.importing.delete(slot);
    this.configChanged();
  }

  /**
   * CLUSTER SETSLOT <slot> NODE <id>: the slot now belongs to `id`. When this
   * node was importing the slot and takes it, it bumps its config epoch so the
   * new ownership wins everywhere (Redis does the same, without consensus).
   */
  setSlotNode(slot: number, id: string): void {
    const node = this.nodesById.get(id)!;
    if (this.owners[slot] === this.myself && node !== this.myself) this.migrating.delete(slot);
    this.assignSlot(slot, node);
    if (node === this.myself && this.importing.delete(slot)) this.bumpEpoch();
    this.configChanged();
  }

  // ------------------------------------------------------------ links

  /** The outbound link to a node is open: greet it (MEET for a node met by CLUSTER MEET, else PING). */
  linkUp(nodeId: string, nowMs: number): void {
    const node = this.nodesById.get(nodeId);
    if (!node) return;
    const book = this.book(nodeId);
    book.connecting = false;
    node.linkConnected = true;
    book.lastDataMs = nowMs;
    book.linkCreatedMs = nowMs;
    this.sendPing(node, book.meet || node.pongReceivedMs === 0 ? "meet" : "ping", nowMs);
  }

  /** An inbound link closed. */
  inboundLinkClosed(linkId: number): void {
    this.inboundLinks.delete(linkId);
  }

  /** The outbound link failed or closed; the tick reconnects. */
  linkDown(nodeId: string): void {
    const node = this.nodesById.get(nodeId);
    if (!node) return;
    node.linkConnected = false;
    this.book(nodeId).connecting = false;
  }

  // ------------------------------------------------------------ bus input

  /** Handles one bus message (clusterProcessPacket). */
  receive(message: BusMessage, from: LinkSource, nowMs: number): void {
    this.nowForEvents = nowMs;
    const header = message.header;
    if (header.version !== BUS_PROTOCOL_VERSION) {
      this.log("warn", "ignoring bus message of another protocol version", { version: header.version });
      return;
    }
    this.count(this.messagesReceived, message.type);
    // The link is ours to that node: under the id it was dialled by, or the real one a handshake just learnt.
    const outboundId = from.outboundNodeId === undefined ? undefined : this.resolveHandshake(from.outboundNodeId, header, from.remoteIp, nowMs);
    let sender = this.nodesById.get(header.senderId);
    if (sender?.handshake) sender = undefined;
    if (sender !== undefined) this.book(sender.id).lastDataMs = nowMs;
    if (header.currentEpoch > this.currentEpoch) {
      this.currentEpoch = header.currentEpoch;
      this.configChanged();
    }
    if (message.type === "meet" && sender === undefined && !this.isBanned(header.senderId, nowMs)) {
      sender = this.addNodeFromHeader(header, from.remoteIp, nowMs);
    }
    if (message.type === "ping" || message.type === "meet") {
      this.replyPong(from.linkId, nowMs);
    }
    if (sender === undefined) return;
    if (from.outboundNodeId === undefined && !this.inboundLinks.has(from.linkId)) this.inboundLinks.set(from.linkId, { nodeId: sender.id, createdMs: nowMs });
    // The pong that completes a handshake answers the MEET's ping too (Redis: the link's node is the renamed one).
    if (message.type === "pong" && outboundId === sender.id) this.pongReceived(sender, nowMs);
    if (header.paused && this.manualFailover !== undefined && sender.id === this.myself.primaryId && this.manualFailover.primaryOffset === undefined) {
      this.manualFailover.primaryOffset = header.replicationOffset;
      this.log("info", "primary paused for the manual failover; catching up to its offset", { offset: header.replicationOffset });
    }
    this.updateFromHeader(sender, header, from.remoteIp);
    switch (message.type) {
      case "ping":
      case "pong":
      case "meet":
        this.processGossip(sender, message.gossip, nowMs);
        break;
      case "fail":
        this.failReceived(sender, message.failedId, nowMs);
        break;
      case "update":
        this.updateReceived(message.nodeId, message.configEpoch, message.slots);
        break;
      case "publish":
        break;
      case "auth-request":
        this.voteIfAllowed(sender, message.header, message.force, from.linkId, nowMs);
        break;
      case "mfstart":
        this.manualFailoverRequested(sender, nowMs);
        break;
      case "auth-ack":
        if (this.election?.asked && message.epoch === this.election.authEpoch) this.election.votes.add(sender.id);
        break;
    }
  }

  // ------------------------------------------------------------ tick

  /**
   * The cluster cron, 10 times a second (clusterCron): reconnect links, time
   * out handshakes, ping, detect silent peers, and recompute the state.
   */
  tick(nowMs: number): void {
    this.nowForEvents = nowMs;
    this.ticks++;
    for (const node of [...this.nodesById.values()]) {
      if (node.myself) continue;
      const book = this.book(node.id);
      if (node.handshake && nowMs - book.createdMs > Math.max(this.settings.nodeTimeoutMs, 1000)) {
        this.log("info", "handshake timed out", { ip: node.ip, port: node.port });
        this.deleteNode(node.id);
        continue;
      }
      if (!node.linkConnected && !book.connecting && !node.noAddress) {
        book.connecting = true;
        this.effects.push({ kind: "connect", nodeId: node.id, ip: node.ip, busPort: node.busPort });
      }
    }
    if (this.ticks % 10 === 0) this.pingOldest(nowMs);
    for (const node of this.nodesById.values()) {
      if (node.myself || node.handshake) continue;
      this.checkPeer(node, nowMs);
    }
    this.expireManualFailover(nowMs);
    this.handleReplicaFailover(nowMs);
    this.updateState(nowMs);
  }

  /** Every second: ping the node with the oldest pong among a few sampled at random. */
  private pingOldest(nowMs: number): void {
    const candidates = [...this.nodesById.values()].filter((n) => !n.myself && !n.handshake && n.linkConnected && n.pingSentMs === 0);
    let oldest: ClusterNode | undefined;
    for (let i = 0; i < PING_SAMPLE && candidates.length > 0; i++) {
      const node = candidates[this.random.int(candidates.length)]!;
      if (oldest === undefined || node.pongReceivedMs < oldest.pongReceivedMs) oldest = node;
    }
    if (oldest !== undefined) this.sendPing(oldest, "ping", nowMs);
  }

  /**
   * Per peer: reconnect a link that looks dead, ping a peer not heard from
   * for half the node timeout, and suspect one whose ping went unanswered
   * for the whole of it (PFAIL).
   */
  private checkPeer(node: ClusterNode, nowMs: number): void {
    const timeoutMs = this.settings.nodeTimeoutMs;
    const book = this.book(node.id);
    if (node.linkConnected && node.pingSentMs !== 0 && nowMs - node.pingSentMs > timeoutMs / 2 && nowMs - book.lastDataMs > timeoutMs / 2) {
      node.linkConnected = false;
      this.effects.push({ kind: "disconnect", nodeId: node.id });
    }
    if (node.linkConnected && node.pingSentMs === 0 && nowMs - node.pongReceivedMs > timeoutMs / 2) {
      this.sendPing(node, "ping", nowMs);
    }
    const waitingSinceMs = node.pingSentMs !== 0 ? node.pingSentMs : node.linkConnected ? 0 : Math.max(node.pongReceivedMs, book.createdMs);
    if (waitingSinceMs !== 0 && nowMs - waitingSinceMs > timeoutMs && !node.suspected && !node.failed) {
      node.suspected = true;
      this.log("info", "marking node as failing (PFAIL): no answer within the node timeout", { node: node.id, timeoutMs });
      this.markFailedIfAgreed(node, nowMs);
    }
  }

  // ------------------------------------------------------------ cluster state

  /**
   * clusterUpdateState: the cluster is ok when every slot is served by a
   * reachable primary (with full coverage required) and this node sees a
   * majority of the slot-owning primaries. A primary that was in a minority
   * waits a rejoin delay before accepting writes again, so the majority has
   * time to fail it over first.
   */
  updateState(nowMs: number): void {
    if (this.myself.role === "primary" && !this.stateOk && nowMs - this.startedMs < WRITABLE_DELAY_MS) return;
    let ok = true;
    if (this.settings.requireFullCoverage) {
      for (let slot = 0; slot < SLOT_COUNT; slot++) {
        const owner = this.owners[slot];
        if (owner === undefined || owner.failed) {
          ok = false;
          break;
        }
      }
    }
    // Reachable means heard from within the node timeout, not merely not suspected yet: a node
    // that was frozen has suspected nobody, but has heard from nobody either, and must fence itself.
    let reachable = 0;
    for (const node of this.nodesById.values()) {
      if (node.handshake || node.failed || node.suspected) continue;
      if (!node.myself && nowMs - this.book(node.id).lastDataMs > this.settings.nodeTimeoutMs) continue;
      reachable++;
    }
    if (reachable < this.quorum) {
      ok = false;
      this.amongMinoritySinceMs = nowMs;
    }
    if (ok === this.stateOk) return;
    const rejoinDelayMs = Math.min(REJOIN_DELAY_MAX_MS, Math.max(REJOIN_DELAY_MIN_MS, this.settings.nodeTimeoutMs));
    if (ok && this.myself.role === "primary" && this.amongMinoritySinceMs !== 0 && nowMs - this.amongMinoritySinceMs < rejoinDelayMs) return;
    this.stateOk = ok;
    this.log("info", `cluster state changed: ${ok ? "ok" : "fail"}`);
  }

  // ------------------------------------------------------------ nodes file

  /** The nodes file: CLUSTER NODES lines plus the epochs, as Redis's nodes.conf. */
  nodesFileText(): string {
    let text = "";
    for (const node of this.nodesById.values()) {
      if (node.handshake) continue;
      let line = clusterNodesLine(this, node);
      if (node.shardId !== "") line += ` shard-id=${node.shardId}`;
      if (node.availabilityZone !== "") line += ` az=${node.availabilityZone}`;
      text += line + "\n";
    }
    return text + `vars currentEpoch ${this.currentEpoch} lastVoteEpoch ${this.lastVoteEpoch}\n`;
  }

  /**
   * Restores the state saved by nodesFileText (clusterLoadConfig). Links and
   * liveness are not restored: every other node starts disconnected and is
   * reconnected by the tick. Throws NodesFormatError on a malformed file.
   */
  static fromNodesFile(text: string, settings: ClusterSettings, random: Random, nowMs: number): ClusterState {
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    const parsed = lines.filter((l) => !l.startsWith("vars ")).map((line) => {
      const aux = new Map<string, string>();
      const plain = line
        .split(" ")
        .filter((field) => {
          const match = /^(shard-id|az)=(\S*)$/.exec(field);
          if (match) aux.set(match[1]!, match[2]!);
          return !match;
        })
        .join(" ");
      const result = parseClusterNodesLine(plain);
      result.node.availabilityZone = aux.get("az") ?? "";
      result.node.shardId = aux.get("shard-id") ?? "";
      return result;
    });
    const mine = parsed.find((p) => p.node.myself);
    if (!mine) throw new Error("nodes file has no line flagged myself");
    const state = new ClusterState(settings, random, nowMs, mine.node.id);
    for (const { node, migrating, importing } of parsed) {
      const target = node.myself ? state.myself : state.newNode(node.id, node.ip, node.port, node.busPort, nowMs);
      if (!node.myself) {
        Object.assign(target, { ...node, slots: new SlotSet(), linkConnected: false, pingSentMs: 0, pongReceivedMs: 0, suspected: false });
      } else {
        target.role = node.role;
        target.primaryId = node.primaryId;
        target.configEpoch = node.configEpoch;
        if (node.shardId !== "") target.shardId = node.shardId;
      }
      for (const [start, end] of node.slots.ranges()) for (let slot = start; slot <= end; slot++) state.assignSlot(slot, target);
      if (node.myself) {
        for (const [slot, id] of migrating) state.migrating.set(slot, id);
        for (const [slot, id] of importing) state.importing.set(slot, id);
      }
    }
    const vars = /vars currentEpoch (\d+) lastVoteEpoch (\d+)/.exec(text);
    if (vars) {
      state.currentEpoch = Number(vars[1]);
      state.lastVoteEpoch = Number(vars[2]);
    }
    state.effects = [];
    state.configDirty = false;
    return state;
  }

  // ------------------------------------------------------------ internals: messages

  private header(): BusHeader {
    const me = this.myself;
    const primary = me.role === "replica" && me.primaryId !== undefined ? this.nodesById.get(me.primaryId) : undefined;
    return {
      version: BUS_PROTOCOL_VERSION,
      senderId: me.id,
      ip: me.ip,
      port: me.port,
      busPort: me.busPort,
      hostname: me.hostname,
      availabilityZone: me.availabilityZone,
      shardId: me.shardId,
      primaryId: me.role === "replica" ? me.primaryId : undefined,
      flags: this.flagBits(me),
      currentEpoch: this.currentEpoch,
      configEpoch: primary ? primary.configEpoch : me.configEpoch,
      replicationOffset: this.currentOffset(),
      slots: (primary ?? me).slots.bits.slice(),
      stateOk: this.stateOk,
      paused: this.pausedFor !== undefined,
    };
  }

  private flagBits(node: ClusterNode): NodeFlagBits {
    return {
      primary: node.role === "primary",
      replica: node.role === "replica",
      suspected: node.suspected,
      failed: node.failed,
      noFailover: node.noFailover,
    };
  }

  /** A tenth of the other nodes (at least 3), chosen at random, plus every node this node suspects. */
  private gossip(exclude: string): GossipEntry[] {
    const candidates = [...this.nodesById.values()].filter((n) => !n.myself && !n.handshake && !n.noAddress && n.id !== exclude);
    const wanted = Math.min(GOSSIP_ENTRIES_MAX, Math.max(3, Math.floor(this.nodesById.size / 10)));
    const chosen = new Set<ClusterNode>();
    for (let tries = 0; chosen.size < Math.min(wanted, candidates.length) && tries < wanted * 3; tries++) {
      chosen.add(candidates[this.random.int(candidates.length)]!);
    }
    for (const node of candidates) if (node.suspected) chosen.add(node);
    return [...chosen].map((node) => ({
      nodeId: node.id,
      ip: node.ip,
      port: node.port,
      busPort: node.busPort,
      hostname: node.hostname,
      availabilityZone: node.availabilityZone,
      flags: this.flagBits(node),
      pingSentMs: node.pingSentMs,
      pongReceivedMs: node.pongReceivedMs,
    }));
  }

  private sendPing(node: ClusterNode, type: "ping" | "meet", nowMs: number): void {
    if (node.pingSentMs === 0) node.pingSentMs = nowMs;
    this.count(this.messagesSent, type);
    this.effects.push({ kind: "send", nodeId: node.id, message: { type, header: this.header(), gossip: this.gossip(node.id) } });
  }

  private replyPong(linkId: number, nowMs: number): void {
    void nowMs;
    this.count(this.messagesSent, "pong");
    this.effects.push({ kind: "reply", linkId, message: { type: "pong", header: this.header(), gossip: this.gossip("") } });
  }

  private broadcast(message: BusMessage): void {
    for (const node of this.nodesById.values()) {
      if (node.myself || node.handshake || !node.linkConnected) continue;
      this.count(this.messagesSent, message.type);
      this.effects.push({ kind: "send", nodeId: node.id, message });
    }
  }

  // ------------------------------------------------------------ internals: processing

  /** A PONG on the outbound link to a node met under a provisional id tells its real id. */
  /** Resolves a node met under a provisional id once its first answer names it; returns the id the link now belongs to. */
  private resolveHandshake(provisionalId: string, header: BusHeader, remoteIp: string, nowMs: number): string | undefined {
    const provisional = this.nodesById.get(provisionalId);
    if (!provisional?.handshake || header.senderId === provisionalId) return provisionalId;
    const known = this.nodesById.get(header.senderId);
    if (known !== undefined || this.isBanned(header.senderId, nowMs)) {
      this.deleteNode(provisionalId);
      return undefined;
    }
    const book = this.bookkeeping.get(provisionalId)!;
    this.nodesById.delete(provisionalId);
    this.bookkeeping.delete(provisionalId);
    provisional.id = header.senderId;
    provisional.handshake = false;
    book.meet = false;
    this.nodesById.set(provisional.id, provisional);
    this.bookkeeping.set(provisional.id, book);
    this.effects.push({ kind: "rename", fromId: provisionalId, toId: provisional.id });
    this.updateFromHeader(provisional, header, remoteIp);
    this.log("info", "handshake completed", { node: provisional.id, ip: provisional.ip, port: provisional.port });
    this.configChanged();
    return provisional.id;
  }

  private addNodeFromHeader(header: BusHeader, remoteIp: string, nowMs: number): ClusterNode {
    const node = this.newNode(header.senderId, header.ip || remoteIp, header.port, header.busPort, nowMs);
    node.role = header.flags.primary ? "primary" : header.flags.replica ? "replica" : "unknown";
    this.log("info", "node added by MEET", { node: node.id, ip: node.ip, port: node.port });
    this.configChanged();
    return node;
  }

  private pongReceived(node: ClusterNode, nowMs: number): void {
    node.pongReceivedMs = nowMs;
    node.pingSentMs = 0;
    if (node.suspected) {
      node.suspected = false;
      this.log("info", "node is reachable again (PFAIL cleared)", { node: node.id });
    }
    if (node.failed) this.clearFailureIfNeeded(node, nowMs);
  }

  /**
   * clearNodeFailureIfNeeded: a replica, or a primary without slots, is
   * cleared at once when it answers; a primary with slots only when no
   * failover took them within FAIL_UNDO_TIME_MULT node timeouts.
   */
  private clearFailureIfNeeded(node: ClusterNode, nowMs: number): void {
    const book = this.book(node.id);
    const slotOwner = node.role === "primary" && node.slots.size > 0;
    if (!slotOwner || nowMs - book.failTimeMs > this.settings.nodeTimeoutMs * FAIL_UNDO_TIME_MULT) {
      node.failed = false;
      this.log("info", "clearing FAIL state", { node: node.id, reason: slotOwner ? "no failover happened" : "reachable again" });
      this.event("node-recovered", node.id, slotOwner ? "answering again; no failover took its slots" : "answering again");
      this.configChanged();
    }
  }

  /** Everything the sender says about itself: address, AZ, epochs, offset, role and slots. */
  private updateFromHeader(sender: ClusterNode, header: BusHeader, remoteIp: string): void {
    const ip = header.ip || remoteIp;
    if (sender.ip !== ip || sender.port !== header.port || sender.busPort !== header.busPort) {
      this.log("info", "node changed address", { node: sender.id, ip, port: header.port });
      sender.ip = ip;
      sender.port = header.port;
      sender.busPort = header.busPort;
      sender.linkConnected = false;
      this.effects.push({ kind: "disconnect", nodeId: sender.id });
      this.configChanged();
    }
    sender.hostname = header.hostname;
    sender.availabilityZone = header.availabilityZone;
    sender.shardId = header.shardId;
    sender.replicationOffset = header.replicationOffset;
    sender.noFailover = header.flags.noFailover;
    this.updateRole(sender, header);
    if (header.flags.primary) {
      if (header.configEpoch > sender.configEpoch) {
        sender.configEpoch = header.configEpoch;
        this.configChanged();
      }
      this.updateSlotsFromSender(sender, header);
      this.handleConfigEpochCollision(sender);
    }
  }

  private updateRole(sender: ClusterNode, header: BusHeader): void {
    if (header.flags.primary && sender.role !== "primary") {
      sender.role = "primary";
      sender.primaryId = undefined;
      this.configChanged();
    } else if (header.flags.replica && (sender.role !== "replica" || sender.primaryId !== header.primaryId)) {
      if (sender.role === "primary") for (const [s, e] of sender.slots.ranges()) for (let slot = s; slot <= e; slot++) this.unassignSlot(slot);
      sender.role = "replica";
      sender.primaryId = header.primaryId;
      this.configChanged();
    }
  }

  /**
   * A primary claims slots: take its claims where it has a newer config epoch
   * than the recorded owner (clusterUpdateSlotsConfigWith), and tell it with
   * an UPDATE when it claims a slot we know a newer owner of.
   */
  private updateSlotsFromSender(sender: ClusterNode, header: BusHeader): void {
    const claimed = new SlotSet(header.slots);
    let differs = false;
    for (let byte = 0; byte < claimed.bits.length; byte++) {
      if (claimed.bits[byte] !== sender.slots.bits[byte]) {
        differs = true;
        break;
      }
    }
    if (!differs) return;
    this.updateSlotsConfigWith(sender, header.configEpoch, claimed);
    for (const [start, end] of claimed.ranges()) {
      for (let slot = start; slot <= end; slot++) {
        const owner = this.owners[slot];
        if (owner === undefined || owner === sender || owner.configEpoch <= header.configEpoch) continue;
        this.count(this.messagesSent, "update");
        this.effects.push({
          kind: "send",
          nodeId: sender.id,
          message: { type: "update", header: this.header(), nodeId: owner.id, configEpoch: owner.configEpoch, slots: owner.slots.bits.slice() },
        });
        return;
      }
    }
  }

  private updateSlotsConfigWith(sender: ClusterNode, senderConfigEpoch: number, claimed: SlotSet): void {
    if (sender.myself) return;
    const myPrimary = this.myself.role === "replica" && this.myself.primaryId ? this.nodesById.get(this.myself.primaryId) : this.myself;
    const lostSlots: number[] = [];
    let newPrimary: ClusterNode | undefined;
    const formerOwners = new Set<ClusterNode>();
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (!claimed.has(slot)) continue;
      const owner = this.owners[slot];
      if (owner === sender || this.importing.has(slot)) continue;
      if (owner === undefined || owner.configEpoch < senderConfigEpoch) {
        if (owner !== undefined) formerOwners.add(owner);
        if (owner === this.myself) lostSlots.push(slot);
        if (owner !== undefined && owner === myPrimary) newPrimary = sender;
        this.assignSlot(slot, sender);
      }
    }
    this.configChanged();
    for (const former of formerOwners) {
      if (former.slots.size === 0) this.event("failover-completed", sender.id, `took over from ${former.id} in epoch ${senderConfigEpoch}`);
    }
    if (newPrimary !== undefined && myPrimary !== undefined && myPrimary.slots.size === 0) {
      this.log("info", "configuration change detected: reconfiguring as a replica of the node that took our slots", { primary: sender.id });
      this.myself.role = "replica";
      this.myself.primaryId = sender.id;
      this.effects.push({ kind: "replicate", primaryId: sender.id });
    } else if (lostSlots.length > 0) {
      this.effects.push({ kind: "dropSlots", slots: lostSlots });
    }
  }

  /**
   * clusterHandleConfigEpochCollision: two primaries with the same config
   * epoch would make "the newer epoch wins" ambiguous, so the one with the
   * lexicographically greater id takes a new epoch.
   */
  private handleConfigEpochCollision(sender: ClusterNode): void {
    const me = this.myself;
    if (me.role !== "primary" || sender.configEpoch !== me.configEpoch || sender.id <= me.id) return;
    this.currentEpoch++;
    me.configEpoch = this.currentEpoch;
    this.configChanged();
    this.log("warn", "config epoch collision resolved: took a new epoch", { epoch: me.configEpoch, other: sender.id });
  }

  private processGossip(sender: ClusterNode, gossip: readonly GossipEntry[], nowMs: number): void {
    const senderVotes = !sender.handshake;
    for (const entry of gossip) {
      if (entry.nodeId === this.myself.id) continue;
      const node = this.nodesById.get(entry.nodeId);
      if (node === undefined) {
        if (!this.isBanned(entry.nodeId, nowMs) && !entry.flags.failed && !entry.flags.suspected) this.meetFromGossip(entry, nowMs);
        continue;
      }
      if (node.handshake) continue;
      if (senderVotes) {
        const book = this.book(node.id);
        if (entry.flags.suspected || entry.flags.failed) {
          book.failReports.set(sender.id, nowMs);
          this.markFailedIfAgreed(node, nowMs);
        } else {
          book.failReports.delete(sender.id);
        }
      }
      if (node.availabilityZone === "" && entry.availabilityZone !== "") node.availabilityZone = entry.availabilityZone;
    }
  }

  /** A node heard of only through gossip is met at the address gossip gives (clusterStartHandshake). */
  private meetFromGossip(entry: GossipEntry, nowMs: number): void {
    for (const node of this.nodesById.values()) {
      if (node.handshake && node.ip === entry.ip && node.port === entry.port && node.busPort === entry.busPort) return;
    }
    const node = this.newNode(this.random.hex(40), entry.ip, entry.port, entry.busPort, nowMs);
    node.handshake = true;
    node.role = "unknown";
    this.book(node.id).meet = true;
  }

  /**
   * markNodeAsFailingIfNeeded: a suspected node becomes FAIL when a majority
   * of the slot-owning primaries (this node included, if it is one) reported
   * it within the validity window; the FAIL is then broadcast.
   */
  private markFailedIfAgreed(node: ClusterNode, nowMs: number): void {
    if (!node.suspected || node.failed) return;
    const book = this.book(node.id);
    this.expireFailReports(book, nowMs);
    const needed = this.quorum;
    // This node suspects it too, and is a member of the electorate.
    const reports = book.failReports.size + 1;
    if (reports < needed) return;
    node.suspected = false;
    node.failed = true;
    book.failTimeMs = nowMs;
    this.log("warn", "marking node as failed (FAIL): quorum reached", { node: node.id, reports, needed });
    this.event("failure-detected", node.id, `${reports} of ${needed} reports agree`);
    this.broadcast({ type: "fail", header: this.header(), failedId: node.id });
    this.configChanged();
  }

  private expireFailReports(book: NodeBookkeeping, nowMs: number): void {
    const validityMs = this.settings.nodeTimeoutMs * FAIL_REPORT_VALIDITY_MULT;
    for (const [reporter, atMs] of book.failReports) if (nowMs - atMs > validityMs) book.failReports.delete(reporter);
  }

  private failReceived(sender: ClusterNode, failedId: string, nowMs: number): void {
    const node = this.nodesById.get(failedId);
    if (node === undefined || node.myself || node.failed) return;
    node.failed = true;
    node.suspected = false;
    this.book(node.id).failTimeMs = nowMs;
    this.log("warn", "FAIL message received", { node: node.id, from: sender.id });
    this.event("failure-detected", node.id, `reported by ${sender.id}`);
    this.configChanged();
  }

  private updateReceived(nodeId: string, configEpoch: number, slots: Uint8Array): void {
    const node = this.nodesById.get(nodeId);
    if (node === undefined || node.configEpoch >= configEpoch) return;
    node.configEpoch = configEpoch;
    this.updateSlotsConfigWith(node, configEpoch, new SlotSet(slots));
  }

  // ------------------------------------------------------------ internals: table

  private newNode(id: string, ip: string, port: number, busPort: number, nowMs: number): ClusterNode {
    const node: ClusterNode = {
      id,
      ip,
      port,
      busPort,
      hostname: "",
      shardId: "",
      availabilityZone: "",
      role: "primary",
      primaryId: undefined,
      myself: false,
      suspected: false,
      failed: false,
      handshake: false,
      noAddress: false,
      noFailover: false,
      pingSentMs: 0,
      pongReceivedMs: 0,
      configEpoch: 0,
      linkConnected: false,
      replicationOffset: 0,
      slots: new SlotSet(),
    };
    this.nodesById.set(id, node);
    this.bookkeeping.set(id, { createdMs: nowMs, connecting: false, lastDataMs: nowMs, failReports: new Map(), failTimeMs: 0, meet: false, linkCreatedMs: 0 });
    return node;
  }

  private book(id: string): NodeBookkeeping {
    const book = this.bookkeeping.get(id);
    assert(book !== undefined, "every known node has bookkeeping");
    return book;
  }

  private deleteNode(id: string): void {
    const node = this.nodesById.get(id);
    if (node === undefined || node.myself) return;
    for (const [start, end] of node.slots.ranges()) for (let slot = start; slot <= end; slot++) this.unassignSlot(slot);
    this.nodesById.delete(id);
    this.bookkeeping.delete(id);
    for (const book of this.bookkeeping.values()) book.failReports.delete(id);
    this.effects.push({ kind: "disconnect", nodeId: id });
  }

  private isBanned(id: string, nowMs: number): boolean {
    const until = this.banned.get(id);
    if (until === undefined) return false;
    if (until > nowMs) return true;
    this.banned.delete(id);
    return false;
  }

  private assignSlot(slot: number, node: ClusterNode): void {
    this.owners[slot]?.slots.delete(slot);
    this.owners[slot] = node;
    node.slots.add(slot);
  }

  private unassignSlot(slot: number): void {
    this.owners[slot]?.slots.delete(slot);
    this.owners[slot] = undefined;
  }

  private maxConfigEpoch(): number {
    let max = 0;
    for (const node of this.nodesById.values()) max = Math.max(max, node.configEpoch);
    return Math.max(max, this.currentEpoch);
  }

  /** The nodes file is saved once, when the effects of this event are taken (Redis: CLUSTER_TODO_SAVE_CONFIG). */
  private configChanged(): void {
    this.configDirty = true;
  }

  private event(type: ClusterEvent["type"], nodeId: string, detail: string): void {
    this.events.push({ atMs: this.nowForEvents, type, nodeId, detail });
    if (this.events.length > EVENTS_MAX) this.events.shift();
  }

  private count(counters: Map<MessageType, number>, type: string): void {
    const name = (COUNTER_OF[type] ?? type) as MessageType;
    counters.set(name, (counters.get(name) ?? 0) + 1);
  }

  // ------------------------------------------------------------ failover

  /**
   * clusterHandleSlaveFailover, for a replica whose primary is FAIL:
   *  1. it does not stand when failover is disabled or its data is too old
   *     (node timeout x cluster-replica-validity-factor, plus 10 s);
   *  2. it waits a delay scaled to the node timeout: a quarter of it, plus a
   *     random quarter, plus half of it per sibling with a larger
   *     replication offset (its rank), so the least-lagged replica asks first;
   *  3. it starts a new epoch, votes for itself and asks every member;
   *  4. with votes from a majority of all members it takes the primary's
   *     slots with the election's epoch as its config epoch;
   *  5. an election that has not won within max(2 x node timeout, 2 s) is
   *     abandoned and retried after twice that.
   * Why it is not failing over yet is logged at most once a second.
   */
  private handleReplicaFailover(nowMs: number): void {
    const me = this.myself;
    const primary = me.role === "replica" && me.primaryId !== undefined ? this.nodesById.get(me.primaryId) : undefined;
    const manual = this.manualFailover;
    const manualReady = manual !== undefined && (manual.force || (manual.primaryOffset !== undefined && this.currentOffset() >= manual.primaryOffset));
    if (primary === undefined || primary.slots.size === 0 || (!primary.failed && !manualReady)) {
      if (manual === undefined) this.election = undefined;
      return;
    }
    if (me.noFailover && manual === undefined) return this.cantFailover("no-failover: cluster-replica-no-failover is yes", nowMs);
    const timeoutMs = this.settings.nodeTimeoutMs;
    const factor = this.settings.replicaValidityFactor ?? 10;
    if (manual === undefined && factor > 0 && this.dataAgeMs > timeoutMs * factor + 10_000) {
      return this.cantFailover(`data-age: ${this.dataAgeMs} ms since the link to the primary was up`, nowMs);
    }
    const electionTimeoutMs = Math.max(2 * timeoutMs, 2000);
    const election = this.election;
    if (election === undefined || nowMs - election.startMs > 2 * electionTimeoutMs) {
      const rank = this.replicaRank(primary.id);
      // A manual failover does not wait: the operator chose this replica.
      const delayMs = manual !== undefined ? 0 : Math.floor(timeoutMs / 4) + this.random.int(Math.floor(timeoutMs / 4) + 1) + rank * Math.floor(timeoutMs / 2);
      this.election = { startMs: nowMs + delayMs, authEpoch: 0, rank, asked: false, votes: new Set() };
      this.log("info", "start of election delayed", { delayMs, rank, offset: me.replicationOffset });
      return;
    }
    if (!election.asked) {
      const rank = this.replicaRank(primary.id);
      if (rank > election.rank) {
        election.startMs += (rank - election.rank) * Math.floor(timeoutMs / 2);
        election.rank = rank;
      }
      if (nowMs < election.startMs) return this.cantFailover("waiting-delay: the election's start delay has not passed", nowMs);
      this.currentEpoch++;
      election.authEpoch = this.currentEpoch;
      election.asked = true;
      this.lastVoteEpoch = this.currentEpoch;
      election.votes.add(me.id);
      this.configChanged();
      this.log("info", manual ? "starting a manual failover election" : "starting a failover election", { epoch: election.authEpoch, rank: election.rank });
      this.event("election-started", me.id, `epoch ${election.authEpoch}, rank ${election.rank}${manual ? ", manual" : ""}`);
      this.broadcast({ type: "auth-request", header: this.header(), force: manual !== undefined });
      return;
    }
    if (nowMs - election.startMs > electionTimeoutMs) return this.cantFailover("expired: the election timed out; it will be retried", nowMs);
    if (election.votes.size < this.quorum) return this.cantFailover(`waiting-votes: ${election.votes.size} of ${this.quorum} needed`, nowMs);
    this.promoteMyself(primary, election.authEpoch);
  }

  private currentOffset(): number {
    return this.offsetSource?.() ?? this.myself.replicationOffset;
  }

  /**
   * CLUSTER FAILOVER on this replica. Default: ask the primary to pause
   * writes (MFSTART), wait until this replica's offset reaches the paused
   * primary's, then run an election voters grant although the primary is
   * up: no acknowledged write is lost. FORCE: the election at once, without
   * the primary. TAKEOVER: no election either; a new epoch without consensus
   * and the slots taken (Redis's last resort when no majority is reachable).
   * The caller checked this node is a replica of a known primary.
   */
  startManualFailover(mode: "default" | "force" | "takeover", nowMs: number): void {
    this.nowForEvents = nowMs;
    const primary = this.nodesById.get(this.myself.primaryId!)!;
    this.election = undefined;
    if (mode === "takeover") {
      this.currentEpoch++;
      this.log("warn", "manual failover TAKEOVER: taking the primary's slots without an election", { epoch: this.currentEpoch });
      this.promoteMyself(primary, this.currentEpoch);
      return;
    }
    this.manualFailover = { deadlineMs: nowMs + MANUAL_FAILOVER_TIMEOUT_MS, force: mode === "force", primaryOffset: undefined };
    this.log("info", `manual failover requested${mode === "force" ? " (FORCE)" : ""}`, { primary: primary.id });
    if (mode === "default") {
      this.count(this.messagesSent, "mfstart");
      this.effects.push({ kind: "send", nodeId: primary.id, message: { type: "mfstart", header: this.header() } });
    }
  }

  /** A replica of this primary asked for a manual failover: hold writes and tell it the final offset. */
  private manualFailoverRequested(replica: ClusterNode, nowMs: number): void {
    if (this.myself.role !== "primary" || replica.primaryId !== this.myself.id) return;
    this.pausedFor = { replicaId: replica.id, deadlineMs: nowMs + MANUAL_FAILOVER_TIMEOUT_MS * 2 };
    this.effects.push({ kind: "pauseWrites", untilMs: this.pausedFor.deadlineMs });
    this.log("info", "manual failover requested by a replica: writes paused", { replica: replica.id });
    this.sendPing(replica, "ping", nowMs);
  }

  /** Manual failovers time out, as Redis's CLUSTER_MF_TIMEOUT; a primary that lost its role stops holding writes. */
  private expireManualFailover(nowMs: number): void {
    if (this.manualFailover !== undefined && nowMs > this.manualFailover.deadlineMs) {
      this.log("warn", "manual failover timed out");
      this.manualFailover = undefined;
      this.election = undefined;
    }
    if (this.pausedFor !== undefined && (nowMs > this.pausedFor.deadlineMs || this.myself.role !== "primary")) {
      this.pausedFor = undefined;
      this.effects.push({ kind: "unpauseWrites" });
    }
  }

  /** Sibling replicas of the same primary with a larger replication offset than this node's. */
  private replicaRank(primaryId: string): number {
    let rank = 0;
    for (const node of this.nodesById.values()) {
      if (!node.myself && node.role === "replica" && node.primaryId === primaryId && !node.failed && node.replicationOffset > this.currentOffset()) rank++;
    }
    return rank;
  }

  private cantFailover(reason: string, nowMs: number): void {
    if (nowMs - this.lastReasonLogMs < 1000) return;
    this.lastReasonLogMs = nowMs;
    this.log("info", `currently unable to failover: ${reason}`);
  }

  /** The election is won: take the failed primary's slots with the election's epoch and tell everyone. */
  private promoteMyself(formerPrimary: ClusterNode, epoch: number): void {
    const me = this.myself;
    me.role = "primary";
    me.primaryId = undefined;
    for (const [start, end] of formerPrimary.slots.ranges()) for (let slot = start; slot <= end; slot++) this.assignSlot(slot, me);
    me.configEpoch = epoch;
    if (this.currentEpoch < epoch) this.currentEpoch = epoch;
    this.election = undefined;
    this.manualFailover = undefined;
    this.configChanged();
    this.log("warn", "failover election won: this node is the new primary", { formerPrimary: formerPrimary.id, epoch });
    this.event("failover-completed", me.id, `took over from ${formerPrimary.id} in epoch ${epoch}`);
    this.effects.push({ kind: "promoted", formerPrimaryId: formerPrimary.id, epoch });
    // Everyone learns the new configuration at once, not at the next ping (clusterBroadcastPong).
    for (const node of this.nodesById.values()) {
      if (node.myself || node.handshake || !node.linkConnected) continue;
      this.count(this.messagesSent, "pong");
      this.effects.push({ kind: "send", nodeId: node.id, message: { type: "pong", header: this.header(), gossip: [] } });
    }
  }

  /**
   * clusterSendFailoverAuthIfNeeded: votes for a replica asking in the
   * current epoch when this node has not voted in it, the replica's primary
   * is FAIL here, no replica of that primary got this node's vote in the last
   * two node timeouts, and the replica's claim on its primary's slots is not
   * older than what this node knows.
   */
  private voteIfAllowed(candidate: ClusterNode, header: BusHeader, force: boolean, linkId: number, nowMs: number): void {
    const refuse = (why: string) => this.log("info", "failover auth denied", { candidate: candidate.id, why });
    if (this.myself.failed) return refuse("this node is failing");
    if (header.currentEpoch < this.currentEpoch) return refuse(`request epoch ${header.currentEpoch} < current epoch ${this.currentEpoch}`);
    if (this.lastVoteEpoch === this.currentEpoch) return refuse(`already voted in epoch ${this.currentEpoch}`);
    if (!header.flags.replica || header.primaryId === undefined) return refuse("it is not a replica");
    const primary = this.nodesById.get(header.primaryId);
    if (primary === undefined) return refuse("its primary is unknown here");
    // A manual failover (force) is granted while the primary is up: the primary asked for it, or the operator did.
    if (!primary.failed && !force) return refuse("its primary is not failing here");
    const votedAt = this.votedFor.get(primary.id);
    if (votedAt !== undefined && nowMs - votedAt < 2 * this.settings.nodeTimeoutMs) return refuse("voted for a replica of the same primary recently");
    const claimed = new SlotSet(header.slots);
    for (const [start, end] of claimed.ranges()) {
      for (let slot = start; slot <= end; slot++) {
        const owner = this.owners[slot];
        if (owner !== undefined && owner.configEpoch > header.configEpoch) return refuse(`slot ${slot} has a newer owner (epoch ${owner.configEpoch})`);
      }
    }
    this.lastVoteEpoch = this.currentEpoch;
    this.votedFor.set(primary.id, nowMs);
    this.configChanged();
    this.log("info", "failover auth granted", { candidate: candidate.id, epoch: this.currentEpoch });
    this.count(this.messagesSent, "auth-ack");
    this.effects.push({ kind: "reply", linkId, message: { type: "auth-ack", header: this.header(), epoch: this.currentEpoch } });
  }

  private log(level: "info" | "warn", message: string, fields?: Record<string, unknown>): void {
    this.effects.push({ kind: "log", level, message, fields });
  }
}
