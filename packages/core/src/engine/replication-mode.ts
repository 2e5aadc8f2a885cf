import { DEFAULT_PROTOCOL_LIMITS } from "@shardline/resp";
import { subcommandOf } from "../commands/registry.js";
import { keyPositions, type CommandSpec } from "../commands/spec.js";
import type { PrimaryFrame, ReplicaFrame } from "../replication/frames.js";
import { DEFAULT_REPLICATION_SETTINGS, Replication, type ReplicationEffect, type ReplicationSettings } from "../replication/replication.js";
import { deserializeValue, serializeEntry } from "../replication/snapshot.js";
import { encodingLimits } from "./persistence.js";
import { Client } from "./client.js";
import type { ConfigStore } from "./config.js";
import type { ExpiryMode } from "../keyspace/database.js";
import type { Engine } from "./engine.js";

export const Replies = {
  readOnly: "READONLY You can't write against a read only replica.",
  noReplicas: "NOREPLICAS Not enough good replicas to write.",
  masterDown: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
} as const;

function settingsFrom(config: ConfigStore): ReplicationSettings {
  const replicaLimit = /(?:replica|slave)\s+(\d+)/.exec(config.get("client-output-buffer-limit"));
  return {
    ...DEFAULT_REPLICATION_SETTINGS,
    backlogBytes: config.number("repl-backlog-size"),
    timeoutMs: config.number("repl-timeout") * 1000,
    replicaBufferBytesMax: replicaLimit && Number(replicaLimit[1]) > 0 ? Number(replicaLimit[1]) : DEFAULT_REPLICATION_SETTINGS.replicaBufferBytesMax,
  };
}

/**
 * A node's replication: the sans-IO Replication core plus what the engine
 * does about it. Writes reach the stream through the engine's propagation
 * hook; a replica applies its primary's stream through a client of its own
 * that bypasses the checks normal clients get; replicas refuse writes from
 * clients (READONLY), serve stale data or not (MASTERDOWN), and primaries
 * refuse writes without enough fresh replicas (NOREPLICAS).
 */
export class ReplicationMode {
  readonly core: Replication;
  /** The pseudo-client the primary's stream runs as (Redis's master client). */
  private readonly primaryClient: Client;

  constructor(private readonly engine: Engine) {
    this.primaryClient = new Client(0, { address: "primary", localAddress: "" }, engine.nowMs, DEFAULT_PROTOCOL_LIMITS, false);
    this.core = new Replication(
      {
        nowMs: () => engine.clock.nowMs(),
        random: engine.random.fork(),
        identity: () => {
          const me = engine.cluster?.state.myself;
          return { nodeId: me?.id ?? engine.runId, ip: me?.ip ?? "127.0.0.1", port: me?.port ?? engine.config.number("port") };
        },
        snapshotKeys: () => engine.dbs.filter((db) => db.size > 0).map((db) => ({ db: db.id, keys: [...db.data.keys()] })),
        serializeKey: (dbId, key) => serializeEntry(engine.dbs[dbId]!, key),
        flushForSync: () => {
          for (const db of engine.dbs) db.flush();
          for (const db of engine.dbs) engine.databaseChanged(db.id);
        },
        loadEntry: (entry) => {
          const db = engine.dbs[entry.db];
          if (db === undefined) return;
          db.set(entry.key, deserializeValue(entry, encodingLimits(engine.config)));
          if (entry.expireAtMs >= 0) db.setExpire(entry.key, entry.expireAtMs);
        },
        applyFromPrimary: (args) => this.applyFromPrimary(args),
        log: (level, message, fields) => engine.log(level, message, fields),
      },
      settingsFrom(engine.config),
    );
    engine.onPropagate((dbId, commands) => this.core.propagate(dbId, commands));
    for (const name of ["repl-backlog-size", "repl-timeout", "client-output-buffer-limit"]) {
      engine.config.watch(name, () => this.core.updateSettings(settingsFrom(engine.config)));
    }
  }

  get isReplica(): boolean {
    return this.core.isReplica;
  }

  get offset(): number {
    return this.core.offset;
  }

  /** How this node treats keys whose expiry has passed (see ExpiryMode). */
  expiryMode(): ExpiryMode {
    if (!this.isReplica) return "delete";
    return this.applying ? "ignore" : "hide";
  }

  /** Set while a command of the primary's stream runs. */
  private applying = false;

  /** Copy on write for replicas receiving a snapshot: called before a write command runs. */
  beforeWrite(dbId: number, spec: CommandSpec, args: readonly string[]): void {
    if (!this.core.snapshotting) return;
    this.core.beforeWrite(dbId, keyPositions(spec, args).map((position) => args[position]!));
  }

  /**
   * Replication's reasons to refuse a command, in Redis's order: too few
   * fresh replicas for a write (min-replicas-to-write), a write on a replica,
   * and stale data on a replica whose link is down.
   */
  refusal(client: Client, spec: CommandSpec): string | undefined {
    if (client === this.primaryClient) return undefined;
    const config = this.engine.config;
    const isWrite = spec.flags.includes("write");
    if (!this.isReplica) {
      const needed = config.number("min-replicas-to-write");
      const maxLagSeconds = config.number("min-replicas-max-lag");
      if (isWrite && needed > 0 && maxLagSeconds > 0 && this.core.goodReplicaCount(maxLagSeconds, this.engine.nowMs) < needed) return Replies.noReplicas;
      return undefined;
    }
    if (isWrite && config.boolean("replica-read-only")) return Replies.readOnly;
    if (this.core.primary?.state !== "connected" && !config.boolean("replica-serve-stale-data") && !spec.flags.includes("stale")) return Replies.masterDown;
    return undefined;
  }

  /** Runs one command of the primary's stream: no checks, no replies, no re-propagation. */
  private applyFromPrimary(args: string[]): void {
    const name = args[0]!.toLowerCase();
    if (name === "select") {
      this.primaryClient.dbId = Number(args[1]);
      return;
    }
    // A transaction arrives whole in one frame and is applied in one event: atomic as it is.
    if (name === "multi" || name === "exec") return;
    let spec = this.engine.commands.get(name);
    if (spec?.subcommands) spec = subcommandOf(spec, args);
    if (spec?.handler === undefined) {
      this.engine.log("warn", "ignoring a command from the primary this node does not know", { command: name });
      return;
    }
    this.applying = true;
    try {
      this.engine.call(this.primaryClient, spec, args);
    } finally {
      this.applying = false;
    }
    this.primaryClient.writer.take();
  }

  /** The replication cron. */
  tick(nowMs: number): void {
    this.core.tick(nowMs);
  }

  // ---------------------------------------------------------------- runtime endpoint

  /** A frame from our primary; returns an error text when the link must be dropped. */
  onPrimaryFrame(frame: PrimaryFrame): string | undefined {
    this.engine.nowMs = this.engine.clock.nowMs();
    return this.core.onPrimaryFrame(frame);
  }

  /** A frame from one of our replicas. */
  onReplicaFrame(linkId: number, frame: ReplicaFrame): void {
    this.engine.nowMs = this.engine.clock.nowMs();
    if (frame.type === "psync") this.core.onPsync(linkId, frame);
    else if (frame.type === "ack") {
      this.core.onAck(linkId, frame.offset);
      this.engine.retryBlocked((client) => client.blocked?.spec.name === "wait");
    }
  }

  replicaLinkClosed(linkId: number): void {
    this.core.detachReplica(linkId);
  }

  primaryLinkUp(): void {
    this.core.replicaLinkUp();
  }

  primaryLinkDown(): void {
    this.core.replicaLinkDown();
  }

  /** Once per event-loop turn: stream, snapshots, ACK requests. */
  flush(): void {
    this.core.flush();
  }

  takeEffects(): ReplicationEffect[] {
    return this.core.takeEffects();
  }
}
