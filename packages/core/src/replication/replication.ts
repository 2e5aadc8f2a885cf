import { RequestDecoder } from "@shardline/resp";
import { assert } from "../assert.js";
import type { Random } from "../random.js";
import { encodeCommand, ReplicationBacklog } from "./backlog.js";
import type { PrimaryFrame, ReplicaFrame, SnapshotEntry } from "./frames.js";

/** What replication needs from the node it runs in (the engine implements it). */
export interface ReplicationHost {
  nowMs(): number;
  /** This node's id and client endpoint, which a replica announces to its primary. */
  identity(): { nodeId: string; ip: string; port: number };
  random: Random;
  /** Keys of every database in snapshot order; the copy is taken once, at the start of a full sync. */
  snapshotKeys(): { db: number; keys: string[] }[];
  /** The snapshot form of a key as it is now, or undefined when it no longer exists. */
  serializeKey(db: number, key: string): SnapshotEntry | undefined;
  /** Replica side: drop every key before loading a snapshot. */
  flushForSync(): void;
  /** Replica side: store one snapshot entry. */
  loadEntry(entry: SnapshotEntry): void;
  /** Replica side: apply one command of the primary's stream. */
  applyFromPrimary(args: string[]): void;
  log(level: "info" | "warn", message: string, fields?: Record<string, unknown>): void;
}

/** Settings from the node's configuration. */
export interface ReplicationSettings {
  /** `repl-backlog-size`. */
  backlogBytes: number;
  /** Snapshot entries per frame (bounds one frame and one turn's work). */
  snapshotEntriesPerFrame: number;
  /** Snapshot frames sent per turn, so clients keep being served during a full sync. */
  snapshotFramesPerTurn: number;
  /** `client-output-buffer-limit replica` hard limit: writes buffered for a syncing replica. */
  replicaBufferBytesMax: number;
  /** How often a replica acknowledges (Redis: once a second; ours: 10 times). */
  ackIntervalMs: number;
  /** `repl-timeout`: a silent link is dropped after this long. */
  timeoutMs: number;
}

export const DEFAULT_REPLICATION_SETTINGS: ReplicationSettings = {
  backlogBytes: 1024 * 1024,
  snapshotEntriesPerFrame: 512,
  snapshotFramesPerTurn: 8,
  replicaBufferBytesMax: 256 * 1024 * 1024,
  ackIntervalMs: 100,
  timeoutMs: 60_000,
};

/** What replication asks the runtime to do. */
export type ReplicationEffect =
  /** Replica: open a replication link to the primary's bus port; answer with replicaLinkUp/Down. */
  | { kind: "connectPrimary"; nodeId: string; ip: string; busPort: number }
  /** Replica: close the link to the primary. */
  | { kind: "disconnectPrimary" }
  | { kind: "sendToPrimary"; frame: ReplicaFrame }
  | { kind: "sendToReplica"; linkId: number; frame: PrimaryFrame }
  | { kind: "closeReplica"; linkId: number; reason: string };

export type ReplicaLinkState = "wait_bgsave" | "send_bulk" | "online";

/** A replica attached to this primary. */
export interface AttachedReplica {
  linkId: number;
  nodeId: string;
  ip: string;
  port: number;
  state: ReplicaLinkState;
  ackOffset: number;
  ackTimeMs: number;
  /** Full sync in progress: the keys still to send and the ones already captured. */
  snapshot: SnapshotCursor | undefined;
  /** The stream offset the snapshot was taken at; the held stream starts there. */
  snapshotOffset: number;
  /** Stream written while the snapshot is sent, held until it ends (bounded). */
  held: string[];
  heldBytes: number;
}

interface SnapshotCursor {
  keysByDb: { db: number; keys: string[] }[];
  dbIndex: number;
  keyIndex: number;
  /** Keys of each database not sent yet: a write to one sends it first (copy on write), in O(1). */
  pending: Map<number, Set<string>>;
}

/** The link from this replica to its primary. */
export interface PrimaryLink {
  nodeId: string;
  ip: string;
  port: number;
  busPort: number;
  state: "connect" | "connecting" | "sync" | "connected";
  lastIoMs: number;
  /** Set while a snapshot loads. */
  syncing: boolean;
  /** The link came down at (for master_link_down_since_seconds). */
  downSinceMs: number;
  lastAckMs: number;
}

/** Counters behind INFO stats (sync_full, sync_partial_ok, sync_partial_err). */
export interface ReplicationStats {
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
}

const NO_ID = "0000000000000000000000000000000000000000";
/** Flush marks kept for lag in ms (older unacknowledged bytes count from the oldest mark). */
const WRITE_MARKS_MAX = 4096;

/** How far a replica is behind: bytes not acknowledged, and how long ago the oldest of them was written. */
export interface ReplicaLag {
  bytes: number;
  /** 0 when everything is acknowledged; else ms since the oldest unacknowledged byte was written. */
  milliseconds: number;
  /** Seconds since the replica's last acknowledgement (INFO's lag=). */
  sinceAckSeconds: number;
}

/**
 * Replication of one node's dataset, both roles, sans-IO.
 *
 * A dataset has a version: (replication id, offset). The offset counts the
 * bytes of the write stream (RESP commands, as Redis counts them). As a
 * primary the node appends every propagated write to its backlog and sends
 * it to online replicas; a replica that reconnects continues from the
 * backlog when its version is ours (or our previous id up to where it
 * ended), else receives a snapshot taken at the current offset while the
 * primary keeps serving clients: keys are sent in bounded frames, and a key
 * about to be written before its turn is sent first (copy on write), so the
 * replica rebuilds exactly the dataset at the snapshot's offset and the held
 * stream applies on top. As a replica it applies the stream and keeps its
 * own backlog, so after a promotion its siblings can continue from it.
 */
export class Replication {
  replicationId: string;
  /** The id this dataset had before its last promotion, and where that history ended (+1). */
  replicationId2 = NO_ID;
  secondOffset = -1;
  private backlog: ReplicationBacklog | undefined;
  /** Offset while there is no backlog (no replica ever attached), as Redis's master_repl_offset. */
  private bareOffset = 0;
  readonly replicas = new Map<number, AttachedReplica>();
  primary: PrimaryLink | undefined;
  readonly stats: ReplicationStats = { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0 };
  /** Stream produced this turn, sent to online replicas in one frame at flush(). */
  private pendingStream = "";
  private pendingStreamOffset = 0;
  private lastSelectedDb = -1;
  private effects: ReplicationEffect[] = [];
  private getAckWanted = false;
  /** Replica: decodes the primary's stream into commands. */
  private streamDecoder: RequestDecoder | undefined;
  /** [stream end offset, time] of each flush, oldest first: when each byte was written, for lag in ms. */
  private readonly writeMarks: [number, number][] = [];

  constructor(
    private readonly host: ReplicationHost,
    private settings: ReplicationSettings = DEFAULT_REPLICATION_SETTINGS,
  ) {
    this.replicationId = host.random.hex(40);
  }

  // ---------------------------------------------------------------- views

  get offset(): number {
    return this.backlog?.endOffset ?? this.bareOffset;
  }

  /** Whether some replica is receiving a snapshot (writes must then copy on write). */
  get snapshotting(): boolean {
    for (const replica of this.replicas.values()) if (replica.snapshot !== undefined) return true;
    return false;
  }

  /** A replica's data age: 0 while its link is up, else ms since the link went down (never up: since it started replicating). */
  dataAgeMs(nowMs: number): number {
    const primary = this.primary;
    if (primary === undefined || primary.state === "connected") return 0;
    return Math.max(0, nowMs - primary.downSinceMs);
  }

  get isReplica(): boolean {
    return this.primary !== undefined;
  }

  get backlogInfo(): { active: boolean; size: number; firstByteOffset: number; historyBytes: number } {
    return {
      active: this.backlog !== undefined,
      size: this.settings.backlogBytes,
      firstByteOffset: this.backlog?.firstByteOffset ?? 0,
      historyBytes: this.backlog?.historyBytes ?? 0,
    };
  }

  /** Online replicas that acknowledged at least `offset`. */
  acknowledgedCount(offset: number): number {
    let count = 0;
    for (const replica of this.replicas.values()) if (replica.state === "online" && replica.ackOffset >= offset) count++;
    return count;
  }

  /** Online replicas whose last ack is at most `maxLagSeconds` old (min-replicas-max-lag). */
  goodReplicaCount(maxLagSeconds: number, nowMs: number): number {
    let count = 0;
    for (const replica of this.replicas.values()) {
      if (replica.state === "online" && nowMs - replica.ackTimeMs <= maxLagSeconds * 1000) count++;
    }
    return count;
  }

  /** A replica's lag, as the primary sees it. */
  lagOf(replica: AttachedReplica): ReplicaLag {
    const nowMs = this.host.nowMs();
    const bytes = Math.max(0, this.offset - replica.ackOffset);
    let milliseconds = 0;
    if (bytes > 0) {
      const mark = this.writeMarks.find(([endOffset]) => endOffset > replica.ackOffset) ?? this.writeMarks[0];
      milliseconds = mark === undefined ? 0 : Math.max(0, nowMs - mark[1]);
    }
    return { bytes, milliseconds, sinceAckSeconds: Math.floor((nowMs - replica.ackTimeMs) / 1000) };
  }

  takeEffects(): ReplicationEffect[] {
    const effects = this.effects;
    this.effects = [];
    return effects;
  }

  updateSettings(settings: ReplicationSettings): void {
    this.settings = settings;
    this.backlog?.resize(settings.backlogBytes);
  }

  // ---------------------------------------------------------------- primary side: the stream

  /**
   * A write to propagate (the engine's propagation hook). A SELECT precedes
   * it when the database differs from the stream's current one.
   */
  propagate(dbId: number, commands: readonly string[][]): void {
    // No backlog means no replica ever attached: nothing to encode (Redis skips this case too).
    if (this.isReplica || this.backlog === undefined) return;
    let data = "";
    if (dbId !== this.lastSelectedDb) {
      data += encodeCommand(["SELECT", String(dbId)]);
      this.lastSelectedDb = dbId;
    }
    for (const command of commands) data += encodeCommand(command);
    this.appendStream(data);
  }

  private appendStream(data: string): void {
    if (this.backlog === undefined) {
      // Nobody to replicate to and no backlog yet: only the offset moves (Redis: it does not even move).
      return;
    }
    if (this.pendingStream === "") this.pendingStreamOffset = this.backlog.endOffset;
    this.backlog.append(data);
    this.pendingStream += data;
  }

  /**
   * A write command is about to change these keys: any replica receiving a
   * snapshot that has not had them yet gets their current value first.
   */
  beforeWrite(db: number, keys: readonly string[]): void {
    for (const replica of this.replicas.values()) {
      const cursor = replica.snapshot;
      if (cursor === undefined) continue;
      const early: SnapshotEntry[] = [];
      const pending = cursor.pending.get(db);
      for (const key of keys) {
        if (pending === undefined || !pending.delete(key)) continue;
        const entry = this.host.serializeKey(db, key);
        if (entry !== undefined) early.push(entry);
      }
      if (early.length > 0) this.send(replica.linkId, { type: "snapshot", entries: early });
    }
  }

  /**
   * Once per event-loop turn: send this turn's stream to online replicas (held
   * for those receiving a snapshot), advance snapshots by a bounded number of
   * frames, and ask for ACKs if WAIT wants them.
   */
  flush(): void {
    this.flushStream();
    for (const replica of this.replicas.values()) if (replica.snapshot !== undefined) this.advanceSnapshot(replica);
    if (this.getAckWanted) {
      this.getAckWanted = false;
      for (const replica of this.replicas.values()) if (replica.state === "online") this.send(replica.linkId, { type: "getack" });
    }
  }

  /** Sends the stream written since the last flush (held for replicas receiving a snapshot). */
  private flushStream(): void {
    if (this.pendingStream !== "") {
      this.writeMarks.push([this.offset, this.host.nowMs()]);
      if (this.writeMarks.length > WRITE_MARKS_MAX) this.writeMarks.shift();
      const frame: PrimaryFrame = { type: "stream", offset: this.pendingStreamOffset, data: this.pendingStream };
      for (const replica of this.replicas.values()) {
        if (replica.state === "online") this.send(replica.linkId, frame);
        else this.hold(replica, frame.data);
      }
      this.pendingStream = "";
    }
  }

  /** WAIT: ask every replica for an ACK at the next flush. */
  requestAcks(): void {
    this.getAckWanted = true;
  }

  private hold(replica: AttachedReplica, data: string): void {
    replica.held.push(data);
    replica.heldBytes += data.length;
    if (replica.heldBytes > this.settings.replicaBufferBytesMax) {
      this.host.log("warn", "closing replica link: writes held during its full sync passed client-output-buffer-limit replica", {
        replica: replica.nodeId,
        bytes: replica.heldBytes,
      });
      this.detachReplica(replica.linkId);
      this.effects.push({ kind: "closeReplica", linkId: replica.linkId, reason: "replica output buffer limit" });
    }
  }

  private send(linkId: number, frame: PrimaryFrame): void {
    this.effects.push({ kind: "sendToReplica", linkId, frame });
  }

  // ---------------------------------------------------------------- primary side: replicas

  /**
   * A replica asks to continue its dataset (PSYNC). Continue from the
   * backlog when its version is ours, or our previous id no further than
   * where that history ended; otherwise start a full sync.
   */
  onPsync(linkId: number, frame: Extract<ReplicaFrame, { type: "psync" }>): void {
    if (this.isReplica) {
      this.effects.push({ kind: "closeReplica", linkId, reason: "this node is a replica" });
      return;
    }
    // Replicas already attached get this turn's stream first, so the newcomer's starting point is exact.
    this.flushStream();
    const nowMs = this.host.nowMs();
    const replica: AttachedReplica = {
      linkId,
      nodeId: frame.nodeId,
      ip: frame.ip,
      port: frame.port,
      state: "wait_bgsave",
      ackOffset: frame.offset,
      ackTimeMs: nowMs,
      snapshot: undefined,
      snapshotOffset: 0,
      held: [],
      heldBytes: 0,
    };
    for (const [otherLink, other] of this.replicas) if (other.nodeId === frame.nodeId) this.detachReplica(otherLink);
    this.replicas.set(linkId, replica);
    const sameHistory = frame.replicationId === this.replicationId || (frame.replicationId === this.replicationId2 && frame.offset <= this.secondOffset);
    if (sameHistory && this.backlog !== undefined && this.backlog.covers(frame.offset)) {
      this.stats.syncPartialOk++;
      replica.state = "online";
      this.send(linkId, { type: "continue", replicationId: this.replicationId, offset: frame.offset });
      const missing = this.backlog.since(frame.offset);
      if (missing.length > 0) this.send(linkId, { type: "stream", offset: frame.offset, data: missing });
      this.host.log("info", "partial resynchronization accepted", { replica: frame.nodeId, offset: frame.offset, bytes: missing.length });
      return;
    }
    if (frame.replicationId !== "?") this.stats.syncPartialErr++;
    this.stats.syncFull++;
    this.startFullSync(replica, sameHistory ? "offset no longer in the backlog" : "replication id mismatch");
  }

  private startFullSync(replica: AttachedReplica, reason: string): void {
    this.backlog ??= new ReplicationBacklog(this.settings.backlogBytes, this.bareOffset);
    const offset = this.offset;
    replica.state = "send_bulk";
    replica.snapshotOffset = offset;
    const keysByDb = this.host.snapshotKeys();
    replica.snapshot = { keysByDb, dbIndex: 0, keyIndex: 0, pending: new Map(keysByDb.map(({ db, keys }) => [db, new Set(keys)])) };
    this.lastSelectedDb = -1;
    this.send(replica.linkId, { type: "fullresync", replicationId: this.replicationId, offset });
    replica.ackOffset = offset;
    this.host.log("info", "starting full resynchronization", { replica: replica.nodeId, offset, reason });
  }

  private advanceSnapshot(replica: AttachedReplica): void {
    const cursor = replica.snapshot!;
    for (let frames = 0; frames < this.settings.snapshotFramesPerTurn; frames++) {
      const entries: SnapshotEntry[] = [];
      while (entries.length < this.settings.snapshotEntriesPerFrame && cursor.dbIndex < cursor.keysByDb.length) {
        const { db, keys } = cursor.keysByDb[cursor.dbIndex]!;
        if (cursor.keyIndex >= keys.length) {
          cursor.dbIndex++;
          cursor.keyIndex = 0;
          continue;
        }
        const key = keys[cursor.keyIndex++]!;
        if (!cursor.pending.get(db)!.delete(key)) continue;
        const entry = this.host.serializeKey(db, key);
        if (entry !== undefined) entries.push(entry);
      }
      if (entries.length > 0) this.send(replica.linkId, { type: "snapshot", entries });
      if (cursor.dbIndex >= cursor.keysByDb.length) {
        this.finishSnapshot(replica);
        return;
      }
    }
  }

  private finishSnapshot(replica: AttachedReplica): void {
    replica.snapshot = undefined;
    this.send(replica.linkId, { type: "snapshot-end" });
    let offset = replica.snapshotOffset;
    for (const data of replica.held) {
      this.send(replica.linkId, { type: "stream", offset, data });
      offset += data.length;
    }
    replica.held = [];
    replica.heldBytes = 0;
    replica.state = "online";
    this.host.log("info", "full resynchronization finished", { replica: replica.nodeId });
  }

  onAck(linkId: number, offset: number): void {
    const replica = this.replicas.get(linkId);
    if (replica === undefined) return;
    replica.ackOffset = Math.max(replica.ackOffset, offset);
    replica.ackTimeMs = this.host.nowMs();
  }

  /** The replica's link closed. */
  detachReplica(linkId: number): void {
    this.replicas.delete(linkId);
  }

  // ---------------------------------------------------------------- replica side

  /**
   * Replicate `primary` from now on (CLUSTER REPLICATE, or a failover that
   * made this node a replica). The link is (re)opened by the runtime.
   */
  replicateFrom(primary: { nodeId: string; ip: string; port: number; busPort: number }): void {
    if (this.primary?.nodeId === primary.nodeId && this.primary.ip === primary.ip && this.primary.busPort === primary.busPort) return;
    if (this.primary !== undefined) this.effects.push({ kind: "disconnectPrimary" });
    for (const linkId of [...this.replicas.keys()]) {
      this.effects.push({ kind: "closeReplica", linkId, reason: "this node became a replica" });
      this.detachReplica(linkId);
    }
    this.primary = { ...primary, state: "connect", lastIoMs: this.host.nowMs(), syncing: false, downSinceMs: this.host.nowMs(), lastAckMs: 0 };
    this.host.log("info", "replicating a new primary", { primary: primary.nodeId, ip: primary.ip, port: primary.port });
  }

  /**
   * This replica becomes a primary (failover): it keeps its dataset, takes a
   * new replication id and remembers the old one up to its offset, so its
   * former siblings can continue from it.
   */
  promote(): void {
    if (this.primary === undefined) return;
    this.effects.push({ kind: "disconnectPrimary" });
    this.primary = undefined;
    this.streamDecoder = undefined;
    this.replicationId2 = this.replicationId;
    this.secondOffset = this.offset;
    this.replicationId = this.host.random.hex(40);
    this.lastSelectedDb = -1;
    this.backlog ??= new ReplicationBacklog(this.settings.backlogBytes, this.bareOffset);
    this.host.log("info", "promoted: new replication id, previous one kept for partial resyncs", { offset: this.offset });
  }

  replicaLinkUp(): void {
    const primary = this.primary;
    if (primary === undefined) return;
    primary.state = "sync";
    primary.lastIoMs = this.host.nowMs();
    const me = this.host.identity();
    // A dataset with no history (no backlog, offset 0) asks for a full sync outright, as Redis's "PSYNC ? -1".
    const fresh = this.backlog === undefined && this.offset === 0;
    const replicationId = fresh ? "?" : this.replicationId;
    this.effects.push({ kind: "sendToPrimary", frame: { type: "psync", nodeId: me.nodeId, replicationId, offset: this.offset, ip: me.ip, port: me.port } });
  }

  replicaLinkDown(): void {
    const primary = this.primary;
    if (primary === undefined) return;
    if (primary.state === "connected") primary.downSinceMs = this.host.nowMs();
    primary.state = "connect";
    primary.syncing = false;
    this.streamDecoder = undefined;
  }

  /** A frame from the primary. Returns an error text when the stream is broken (the link is then closed). */
  onPrimaryFrame(frame: PrimaryFrame): string | undefined {
    const primary = this.primary;
    if (primary === undefined) return "not a replica";
    primary.lastIoMs = this.host.nowMs();
    switch (frame.type) {
      case "continue":
        this.replicationId = frame.replicationId;
        primary.state = "connected";
        this.streamDecoder = new RequestDecoder();
        if (frame.offset !== this.offset) return `continue at ${frame.offset} but the dataset is at ${this.offset}`;
        this.host.log("info", "partial resynchronization with the primary", { offset: frame.offset });
        return undefined;
      case "fullresync":
        this.host.flushForSync();
        this.replicationId = frame.replicationId;
        this.replicationId2 = NO_ID;
        this.secondOffset = -1;
        this.backlog = new ReplicationBacklog(this.settings.backlogBytes, frame.offset);
        this.bareOffset = frame.offset;
        primary.syncing = true;
        this.streamDecoder = new RequestDecoder();
        this.host.log("info", "full resynchronization from the primary", { offset: frame.offset });
        return undefined;
      case "snapshot":
        if (!primary.syncing) return "snapshot frame outside a full sync";
        for (const entry of frame.entries) this.host.loadEntry(entry);
        return undefined;
      case "snapshot-end":
        primary.syncing = false;
        primary.state = "connected";
        this.effects.push({ kind: "sendToPrimary", frame: { type: "ack", offset: this.offset } });
        return undefined;
      case "stream":
        return this.applyStream(frame.offset, frame.data);
      case "getack":
        this.sendAck();
        return undefined;
    }
  }

  private applyStream(offset: number, data: string): string | undefined {
    if (offset !== this.offset) return `stream frame at ${offset} but the dataset is at ${this.offset}`;
    const decoder = this.streamDecoder;
    assert(decoder !== undefined, "a stream arrives after continue or fullresync");
    decoder.push(Buffer.from(data, "latin1"));
    for (;;) {
      const args = decoder.next();
      if (args === undefined) break;
      this.host.applyFromPrimary(args);
    }
    this.backlog ??= new ReplicationBacklog(this.settings.backlogBytes, this.bareOffset);
    this.backlog.append(data);
    return undefined;
  }

  private sendAck(): void {
    if (this.primary === undefined || this.primary.state !== "connected") return;
    this.primary.lastAckMs = this.host.nowMs();
    this.effects.push({ kind: "sendToPrimary", frame: { type: "ack", offset: this.offset } });
  }

  /**
   * A dataset loaded from a snapshot carries its version: this node continues
   * from (replicationId, offset), so as a replica it asks its primary to
   * continue from there instead of a full sync.
   */
  restoreVersion(replicationId: string, offset: number): void {
    this.replicationId = replicationId;
    this.bareOffset = offset;
    this.backlog = new ReplicationBacklog(this.settings.backlogBytes, offset);
  }

  /** The replication cron: reconnect the primary link, acknowledge regularly, drop silent links. */
  tick(nowMs: number): void {
    const primary = this.primary;
    if (primary !== undefined) {
      if (primary.state === "connect") {
        primary.state = "connecting";
        this.effects.push({ kind: "connectPrimary", nodeId: primary.nodeId, ip: primary.ip, busPort: primary.busPort });
      } else if (primary.state === "connected" && nowMs - primary.lastAckMs >= this.settings.ackIntervalMs) {
        this.sendAck();
      }
      if ((primary.state === "sync" || primary.state === "connected") && nowMs - primary.lastIoMs > this.settings.timeoutMs) {
        this.host.log("warn", "replication link to the primary timed out", { timeoutMs: this.settings.timeoutMs });
        this.effects.push({ kind: "disconnectPrimary" });
        this.replicaLinkDown();
      }
    }
  }
}
