import type { BusMessage } from "../cluster/messages.js";
import { route, type RouteDecision } from "../cluster/routing.js";
import { preferredEndpoint } from "../cluster/render.js";
import { ClusterState, type ClusterEffect, type ClusterSettings, type LinkSource } from "../cluster/state.js";
import { keyPositions, type CommandSpec } from "../commands/spec.js";
import type { Client } from "./client.js";
import type { ConfigParameter, ConfigStore } from "./config.js";
import type { Engine } from "./engine.js";

/**
 * shardline's own cluster parameters (Redis's cluster-* parameters are in
 * parameters.ts with Redis's defaults).
 */
export const SHARDLINE_CLUSTER_PARAMETERS: readonly ConfigParameter[] = [
  /** The simulated availability zone of this node, shown in `shardline status` and gossip. */
  { name: "availability-zone", kind: "string", default: "" },
  /** Shared secret every bus peer must prove it knows (HMAC challenge); empty = any peer. */
  { name: "cluster-secret", kind: "string", default: "", immutable: true },
];

/** The cluster cron runs 10 times a second whatever `hz` is, as Redis's clusterCron. */
const CLUSTER_TICK_MS = 100;
/** A view older than this (the cron did not run: the process was frozen) is refreshed before routing a command. */
const STALE_VIEW_MS = 500;

/** The settings of the cluster layer drawn from the node's configuration. */
export function clusterSettings(config: ConfigStore): ClusterSettings {
  const port = config.number("cluster-announce-port") || config.number("port");
  const busPort = config.number("cluster-announce-bus-port") || config.number("cluster-port") || config.number("port") + 10000;
  const bind = config.get("bind").split(" ")[0] ?? "";
  const ip = config.get("cluster-announce-ip") || (bind === "" || bind === "0.0.0.0" || bind === "*" || bind === "::" ? "127.0.0.1" : bind.replace(/^-/, ""));
  return {
    nodeTimeoutMs: config.number("cluster-node-timeout"),
    requireFullCoverage: config.boolean("cluster-require-full-coverage"),
    allowReadsWhenDown: config.boolean("cluster-allow-reads-when-down"),
    preferredEndpoint: config.get("cluster-preferred-endpoint-type") as ClusterSettings["preferredEndpoint"],
    ip,
    port,
    busPort,
    hostname: config.get("cluster-announce-hostname"),
    availabilityZone: config.get("availability-zone"),
    noFailover: config.boolean("cluster-replica-no-failover"),
    replicaValidityFactor: config.number("cluster-replica-validity-factor"),
  };
}

/**
 * A node's cluster mode: the sans-IO ClusterState plus what the engine does
 * about it. It routes commands (MOVED/ASK/CROSSSLOT/CLUSTERDOWN before a
 * command runs), drops the keys of slots the node lost, and hands the
 * runtime the bus and file effects. It is also the endpoint the runtime's
 * bus driver feeds.
 */
export class ClusterMode {
  readonly state: ClusterState;
  private lastTickMs = 0;

  constructor(
    private readonly engine: Engine,
    nodesFileText: string | undefined,
  ) {
    const settings = clusterSettings(engine.config);
    this.state =
      nodesFileText !== undefined && nodesFileText.trim() !== ""
        ? ClusterState.fromNodesFile(nodesFileText, settings, engine.random.fork(), engine.nowMs)
        : new ClusterState(settings, engine.random.fork(), engine.nowMs);
    for (const name of ["cluster-node-timeout", "cluster-require-full-coverage", "cluster-allow-reads-when-down", "cluster-preferred-endpoint-type", "cluster-announce-hostname", "cluster-announce-ip", "availability-zone", "cluster-replica-no-failover"]) {
      engine.config.watch(name, () => this.state.updateSettings(clusterSettings(engine.config)));
    }
    engine.dbs[0]!.enableSlotIndex();
    this.state.offsetSource = () => engine.replication.offset;
  }

  /** A replica restarted from its nodes file resumes replicating its primary (once the engine is built). */
  resumeRole(): void {
    const primaryId = this.state.myPrimaryId;
    if (primaryId !== undefined) this.replicate(primaryId);
  }

  /**
   * The redirection or error for a command about to run, or undefined when it
   * runs here (getNodeByQuery + clusterRedirectClient). EXEC is routed by the
   * keys of every queued command.
   */
  redirect(client: Client, spec: CommandSpec, args: readonly string[]): string | undefined {
    // A node that was frozen (SIGSTOP, a long pause) must not serve the input that queued up meanwhile
    // on a stale view: its cron runs first, sees its peers silent, and fences it if it is in a minority.
    if (this.engine.nowMs - this.lastTickMs > STALE_VIEW_MS) this.tick(this.engine.nowMs);
    let keys: string[];
    let isWrite = spec.flags.includes("write");
    if (spec.name === "exec") {
      if (client.multi === undefined) return undefined;
      keys = [];
      for (const queued of client.multi.queue) {
        for (const position of keyPositions(queued.spec, queued.args)) keys.push(queued.args[position]!);
        if (queued.spec.flags.includes("write")) isWrite = true;
      }
    } else {
      const positions = keyPositions(spec, args);
      if (positions.length === 0) return undefined;
      keys = positions.map((position) => args[position]!);
    }
    const db = this.engine.dbs[0]!;
    const decision = route(this.state, {
      keys,
      isWrite,
      commandAsking: spec.flags.includes("asking"),
      clientAsking: client.asking,
      clientReadOnly: client.readOnlyMode,
      isPubSub: false,
      keyExists: (key) => db.exists(key, this.engine.nowMs),
    });
    return this.describe(decision);
  }

  private describe(decision: RouteDecision): string | undefined {
    switch (decision.kind) {
      case "serve":
        return undefined;
      case "error":
        return decision.message;
      case "moved":
      case "ask": {
        const node = this.state.node(decision.nodeId)!;
        return `${decision.kind === "moved" ? "MOVED" : "ASK"} ${decision.slot} ${preferredEndpoint(this.state, node)}:${node.port}`;
      }
    }
  }

  /** The cluster cron, at most every 100 ms. */
  tick(nowMs: number): void {
    if (nowMs - this.lastTickMs < CLUSTER_TICK_MS) return;
    this.lastTickMs = nowMs;
    this.state.myself.replicationOffset = this.engine.replication.offset;
    this.state.dataAgeMs = this.engine.replication.core.dataAgeMs(nowMs);
    this.state.tick(nowMs);
  }

  // ---------------------------------------------------------- runtime endpoint

  receive(message: BusMessage, source: LinkSource, nowMs: number): void {
    this.engine.nowMs = nowMs;
    this.state.receive(message, source, nowMs);
  }

  linkUp(nodeId: string, nowMs: number): void {
    this.state.linkUp(nodeId, nowMs);
  }

  linkDown(nodeId: string): void {
    this.state.linkDown(nodeId);
  }

  inboundLinkClosed(linkId: number): void {
    this.state.inboundLinkClosed(linkId);
  }

  countSendBufferLimitExceeded(): void {
    this.state.linksBufferLimitExceeded++;
  }

  /**
   * The effects for the runtime, after the engine has carried out its own:
   * dropping keys of lost slots, and recording which primary to replicate.
   */
  takeEffects(): ClusterEffect[] {
    const effects = this.state.takeEffects();
    for (const effect of effects) {
      if (effect.kind === "dropSlots") this.dropSlotKeys(effect.slots);
      else if (effect.kind === "replicate") this.replicate(effect.primaryId);
      else if (effect.kind === "promoted") this.engine.replication.core.promote();
      else if (effect.kind === "pauseWrites") this.engine.pauseClients("write", effect.untilMs);
      else if (effect.kind === "unpauseWrites") this.engine.unpauseClients();
    }
    return effects;
  }

  /** The cluster made this node a replica of `primaryId`: replication follows that primary's bus endpoint. */
  private replicate(primaryId: string): void {
    const primary = this.state.node(primaryId);
    if (primary === undefined) return;
    this.engine.replication.core.replicateFrom({ nodeId: primary.id, ip: primary.ip, port: primary.port, busPort: primary.busPort });
  }

  /** Deletes every key of slots this node no longer serves, propagating the deletions. */
  private dropSlotKeys(slots: readonly number[]): void {
    const db = this.engine.dbs[0]!;
    for (const slot of slots) {
      for (const key of db.slotKeys?.keys(slot, Number.MAX_SAFE_INTEGER) ?? []) {
        db.delete(key);
        this.engine.keyChanged(0, key);
        this.engine.propagate(0, [["DEL", key]]);
      }
    }
  }
}
