import type { LogSink, PrimaryFrame, ReplicaFrame, ReplicationMode } from "@shardline/core";
import type { WebSocket } from "ws";
import type { ClusterBus } from "./bus.js";

/** The path replication links take on a node's bus port. */
export const REPLICATION_PATH = "/replication";

/**
 * Carries a node's replication over authenticated ws links on the bus port:
 * as a replica, one link to its primary; as a primary, one link per replica,
 * accepted by the bus at REPLICATION_PATH and handed over here. Frames go in
 * and out through the sans-IO ReplicationMode; `notify` tells the runtime an
 * event happened (so client output and timers are handled).
 */
export class ReplicationLinks {
  private readonly replicaSockets = new Map<number, WebSocket>();
  private nextLinkId = 1;
  private primarySocket: WebSocket | undefined;

  constructor(
    private readonly replication: ReplicationMode,
    private readonly bus: ClusterBus,
    private readonly replicaBufferBytesMax: () => number,
    private readonly notify: () => void,
    private readonly log: LogSink,
  ) {}

  /** A replica opened a link to us (after the bus authenticated it). */
  acceptReplica(socket: WebSocket, remoteIp: string): true {
    const linkId = this.nextLinkId++;
    this.replicaSockets.set(linkId, socket);
    this.log("info", "replica link accepted", { linkId, remoteIp });
    socket.on("message", (data) => {
      const frame = this.bus.decode(data as Buffer);
      if (frame === undefined || (frame.type !== "psync" && frame.type !== "ack")) {
        this.log("warn", "closing a replica link that sent a malformed frame", { linkId, remoteIp });
        socket.terminate();
        return;
      }
      this.replication.onReplicaFrame(linkId, frame as unknown as ReplicaFrame);
      this.notify();
    });
    socket.on("close", () => {
      this.replicaSockets.delete(linkId);
      this.replication.replicaLinkClosed(linkId);
      this.notify();
    });
    return true;
  }

  /** Once per event-loop turn (an after-event hook): stream to replicas, carry out every effect. */
  flush(): void {
    this.replication.flush();
    // The same frame goes to every online replica: encode it once per flush.
    const packed = new Map<object, Buffer>();
    for (const effect of this.replication.takeEffects()) {
      switch (effect.kind) {
        case "connectPrimary":
          this.connectPrimary(effect.ip, effect.busPort);
          break;
        case "disconnectPrimary":
          this.dropPrimary();
          break;
        case "sendToPrimary":
          if (this.primarySocket) this.bus.sendFrame(this.primarySocket, effect.frame, "primary");
          break;
        case "sendToReplica": {
          const socket = this.replicaSockets.get(effect.linkId);
          if (socket === undefined) break;
          let bytes = packed.get(effect.frame);
          if (bytes === undefined) packed.set(effect.frame, (bytes = this.bus.pack(effect.frame)));
          this.bus.sendPacked(socket, bytes, `replica link ${effect.linkId}`, this.replicaBufferBytesMax());
          break;
        }
        case "closeReplica":
          this.log("info", "closing replica link", { linkId: effect.linkId, reason: effect.reason });
          this.replicaSockets.get(effect.linkId)?.close();
          break;
      }
    }
  }

  close(): void {
    this.dropPrimary();
    for (const socket of this.replicaSockets.values()) socket.terminate();
  }

  private connectPrimary(ip: string, busPort: number): void {
    this.dropPrimary();
    const socket = this.bus.dial(ip, busPort, REPLICATION_PATH, {
      onReady: () => {
        if (this.primarySocket !== socket) return;
        this.replication.primaryLinkUp();
        this.notify();
      },
      onFrame: (frame) => {
        if (this.primarySocket !== socket) return;
        const problem = this.replication.onPrimaryFrame(frame as unknown as PrimaryFrame);
        if (problem !== undefined) {
          this.log("warn", "dropping the link to the primary: the stream is broken", { problem });
          socket.terminate();
        }
        this.notify();
      },
      onClose: () => {
        if (this.primarySocket !== socket) return;
        this.primarySocket = undefined;
        this.replication.primaryLinkDown();
        this.notify();
      },
    });
    this.primarySocket = socket;
  }

  private dropPrimary(): void {
    const socket = this.primarySocket;
    this.primarySocket = undefined;
    socket?.terminate();
  }
}
