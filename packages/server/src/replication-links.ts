import type { LogSink, PrimaryFrame, ReplicaFrame, ReplicationMode } from "@shardline/core";
import type { WebSocket } from "ws";
import type { ClusterBus } from "./bus.js";
import type { FaultNetwork, LinkShaper } from "./fault-network.js";

/** The path replication links take on a node's bus port. */
export const REPLICATION_PATH = "/replication";

/** One replication link: its socket, the node at the other end once known, and the fault shapers of both directions. */
interface Link {
  socket: WebSocket;
  peerId: string | undefined;
  in: LinkShaper;
  out: LinkShaper;
}

/**
 * Carries a node's replication over authenticated ws links on the bus port:
 * as a replica, one link to its primary; as a primary, one link per replica,
 * accepted by the bus at REPLICATION_PATH and handed over here. Frames go in
 * and out through the sans-IO ReplicationMode; `notify` tells the runtime an
 * event happened (so client output and timers are handled).
 *
 * Every frame passes the node's network faults. Replication is a stream: a
 * partition resets the link (and a replica does not dial a primary it is
 * partitioned from), where the bus would only lose frames.
 */
export class ReplicationLinks {
  private readonly replicaLinks = new Map<number, Link>();
  private nextLinkId = 1;
  private primaryLink: Link | undefined;

  constructor(
    private readonly replication: ReplicationMode,
    private readonly bus: ClusterBus,
    private readonly network: FaultNetwork,
    private readonly replicaBufferBytesMax: () => number,
    private readonly notify: () => void,
    private readonly log: LogSink,
  ) {}

  /** A replica opened a link to us (after the bus authenticated it). */
  acceptReplica(socket: WebSocket, remoteIp: string): true {
    const linkId = this.nextLinkId++;
    const link = this.link(socket, undefined);
    this.replicaLinks.set(linkId, link);
    this.log("info", "replica link accepted", { linkId, remoteIp });
    socket.on("message", (data) => {
      const frame = this.bus.decode(data as Buffer);
      if (frame === undefined || (frame.type !== "psync" && frame.type !== "ack")) {
        this.log("warn", "closing a replica link that sent a malformed frame", { linkId, remoteIp });
        socket.terminate();
        return;
      }
      if (frame.type === "psync" && typeof frame.nodeId === "string") link.peerId = frame.nodeId;
      this.receive(link, (data as Buffer).length, () => this.replication.onReplicaFrame(linkId, frame as unknown as ReplicaFrame));
    });
    socket.on("close", () => {
      this.dispose(link);
      this.replicaLinks.delete(linkId);
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
          this.connectPrimary(effect.nodeId, effect.ip, effect.busPort);
          break;
        case "disconnectPrimary":
          this.dropPrimary();
          break;
        case "sendToPrimary":
          if (this.primaryLink) this.send(this.primaryLink, this.bus.pack(effect.frame), "primary", undefined);
          break;
        case "sendToReplica": {
          const link = this.replicaLinks.get(effect.linkId);
          if (link === undefined) break;
          let bytes = packed.get(effect.frame);
          if (bytes === undefined) packed.set(effect.frame, (bytes = this.bus.pack(effect.frame)));
          this.send(link, bytes, `replica link ${effect.linkId}`, this.replicaBufferBytesMax());
          break;
        }
        case "closeReplica":
          this.log("info", "closing replica link", { linkId: effect.linkId, reason: effect.reason });
          this.replicaLinks.get(effect.linkId)?.socket.close();
          break;
      }
    }
  }

  close(): void {
    this.dropPrimary();
    for (const link of this.replicaLinks.values()) link.socket.terminate();
  }

  private connectPrimary(nodeId: string, ip: string, busPort: number): void {
    this.dropPrimary();
    if (this.network.partitioned("replication", nodeId)) {
      // Refused at once, as a REJECT rule refuses a connect: the replication cron dials again later.
      this.replication.primaryLinkDown();
      this.notify();
      return;
    }
    const socket = this.bus.dial(ip, busPort, REPLICATION_PATH, {
      onReady: () => {
        if (this.primaryLink?.socket !== socket) return;
        this.replication.primaryLinkUp();
        this.notify();
      },
      onFrame: (frame, bytes) => {
        if (this.primaryLink?.socket !== socket) return;
        this.receive(link, bytes, () => {
          const problem = this.replication.onPrimaryFrame(frame as unknown as PrimaryFrame);
          if (problem !== undefined) {
            this.log("warn", "dropping the link to the primary: the stream is broken", { problem });
            socket.terminate();
          }
        });
      },
      onClose: () => {
        this.dispose(link);
        if (this.primaryLink?.socket !== socket) return;
        this.primaryLink = undefined;
        this.replication.primaryLinkDown();
        this.notify();
      },
    });
    const link = this.link(socket, nodeId);
    this.primaryLink = link;
  }

  private dropPrimary(): void {
    const link = this.primaryLink;
    this.primaryLink = undefined;
    link?.socket.terminate();
  }

  private link(socket: WebSocket, peerId: string | undefined): Link {
    const reset = () => socket.terminate();
    const link: Link = {
      socket,
      peerId,
      in: this.network.shaper("replication", "in", () => link.peerId, reset),
      out: this.network.shaper("replication", "out", () => link.peerId, reset),
    };
    return link;
  }

  private dispose(link: Link): void {
    link.in.dispose();
    link.out.dispose();
  }

  /** A frame in: through the link's fault shaper, then into the replication core. */
  private receive(link: Link, bytes: number, handle: () => void): void {
    const deliver = () => {
      handle();
      this.notify();
    };
    if (link.in.idle) deliver();
    else link.in.push(bytes, deliver);
  }

  /** A frame out: bounded by the link's queue limit (the socket's queue plus what the shaper holds back). */
  private send(link: Link, bytes: Buffer, peer: string, bufferBytesMax: number | undefined): void {
    if (link.out.idle) {
      this.bus.sendPacked(link.socket, bytes, peer, bufferBytesMax);
      return;
    }
    if (link.out.queuedBytes + link.socket.bufferedAmount > (bufferBytesMax ?? Number.MAX_SAFE_INTEGER)) {
      this.log("warn", "dropping a replication link over its send buffer limit, counting what the network holds back", { peer });
      link.socket.terminate();
      return;
    }
    link.out.push(bytes.length, () => this.bus.sendPacked(link.socket, bytes, peer, bufferBytesMax));
  }
}
