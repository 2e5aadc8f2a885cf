import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import type { BusMessage, ClusterEffect, LinkSource } from "@shardline/core";
import { ClusterBus } from "./bus.js";
import type { FaultNetwork } from "./fault-network.js";

/** The cluster layer as the runtime drives it (ClusterState, or the engine wrapping one). */
export interface ClusterEndpoint {
  takeEffects(): ClusterEffect[];
  receive(message: BusMessage, source: LinkSource, nowMs: number): void;
  linkUp(nodeId: string, nowMs: number): void;
  linkDown(nodeId: string): void;
  inboundLinkClosed(linkId: number): void;
  countSendBufferLimitExceeded(): void;
}

export interface ClusterDriverOptions {
  host: string;
  busPort: number;
  secret: string;
  /** Where the nodes file lives; undefined keeps the state in memory only (tests). */
  nodesFile: string | undefined;
  frameBytesMax: number;
  sendBufferBytesMax: number;
  nowMs(): number;
  log(level: "info" | "warn", message: string, fields?: Record<string, unknown>): void;
  /** The network faults the node plays on its bus links. */
  network?: FaultNetwork;
  /** Authenticated inbound links at other paths of the bus port (replication). */
  onPathLink?(path: string, socket: import("ws").WebSocket, remoteIp: string): true | undefined;
}

/**
 * Carries out the cluster layer's effects: bus links and frames through
 * ClusterBus, the nodes file through an atomic write (temp file, fsync,
 * rename), logs through the node's logger. Bus input goes back into the
 * endpoint, and its new effects are carried out in turn.
 */
export class ClusterDriver {
  readonly bus: ClusterBus;

  constructor(
    private readonly endpoint: ClusterEndpoint,
    private readonly options: ClusterDriverOptions,
  ) {
    this.bus = new ClusterBus({
      host: options.host,
      port: options.busPort,
      secret: options.secret,
      frameBytesMax: options.frameBytesMax,
      sendBufferBytesMax: options.sendBufferBytesMax,
      onMessage: (message, source) => {
        this.endpoint.receive(message, source, this.options.nowMs());
        this.flush();
      },
      onLinkUp: (nodeId) => {
        this.endpoint.linkUp(nodeId, this.options.nowMs());
        this.flush();
      },
      onLinkDown: (nodeId) => {
        this.endpoint.linkDown(nodeId);
        this.flush();
      },
      onSendBufferLimit: () => this.endpoint.countSendBufferLimitExceeded(),
      onInboundClosed: (linkId) => this.endpoint.inboundLinkClosed(linkId),
      onPathLink: options.onPathLink,
      log: options.log,
      network: options.network,
    });
  }

  listen(): Promise<void> {
    return this.bus.listen();
  }

  close(): Promise<void> {
    return this.bus.close();
  }

  /** Carries out every pending effect of the endpoint. */
  flush(): void {
    for (const effect of this.endpoint.takeEffects()) this.apply(effect);
  }

  private apply(effect: ClusterEffect): void {
    switch (effect.kind) {
      case "connect":
        return this.bus.connect(effect.nodeId, effect.ip, effect.busPort);
      case "disconnect":
        return this.bus.disconnect(effect.nodeId);
      case "rename":
        return this.bus.rename(effect.fromId, effect.toId);
      case "send":
        return this.bus.send(effect.nodeId, effect.message);
      case "reply":
        return this.bus.reply(effect.linkId, effect.message);
      case "save":
        if (this.options.nodesFile !== undefined) writeFileAtomically(this.options.nodesFile, effect.text);
        return;
      case "log":
        return this.options.log(effect.level, effect.message, effect.fields);
      case "replicate":
      case "promoted":
      case "pauseWrites":
      case "unpauseWrites":
      case "dropSlots":
        // Handled by the engine before effects reach the runtime.
        return;
    }
  }
}

/** Writes `text` so that a crash leaves either the old or the new file, never half of one. */
export function writeFileAtomically(path: string, text: string | Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, "w", 0o644);
  try {
    if (typeof text === "string") writeSync(fd, text);
    else writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
