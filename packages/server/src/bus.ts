import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { BusMessage, LinkSource } from "@shardline/core";
import { Packr } from "msgpackr";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { FaultNetwork, LinkShaper } from "./fault-network.js";

/**
 * The cluster bus transport: ws links carrying msgpack frames between bus
 * ports. Every node keeps one outbound link per known node (keyed by the id
 * it knows the node by) and accepts inbound links from the others; replies
 * go back on the link a message came on, as in Redis Cluster.
 *
 * Links authenticate with the cluster secret both ways before any message:
 *   1. the connector sends { hello: nonceC }
 *   2. the acceptor answers { hello: nonceA, proof: HMAC(secret, "acceptor" + nonceC) }
 *   3. the connector checks it and sends { proof: HMAC(secret, "connector" + nonceA) }
 * A peer that fails is refused (close code 4001) and logged. An empty secret
 * on both sides still runs the exchange, with an empty key.
 */
export interface BusOptions {
  host: string;
  port: number;
  secret: string;
  /** Largest frame accepted (bounds a hostile peer). */
  frameBytesMax: number;
  /** Bytes a link may have queued before it is dropped (`cluster-link-sendbuf-limit`). */
  sendBufferBytesMax: number;
  onMessage(message: BusMessage, source: LinkSource): void;
  onLinkUp(nodeId: string): void;
  onLinkDown(nodeId: string): void;
  onSendBufferLimit(nodeId: string): void;
  /** An inbound bus link closed. */
  onInboundClosed?(linkId: number): void;
  /** An authenticated inbound link at another path than the bus's ("/replication"); return undefined to refuse it. */
  onPathLink?(path: string, socket: WebSocket, remoteIp: string): true | undefined;
  log(level: "info" | "warn", message: string, fields?: Record<string, unknown>): void;
  /** The network faults the node plays on its bus links (none in tests that leave it out). */
  network?: FaultNetwork;
}

/** Close code for a peer that failed authentication. */
const CLOSE_UNAUTHENTICATED = 4001;
/** How long a new link may take to authenticate. */
const HANDSHAKE_TIMEOUT_MS = 5000;

const packr = new Packr({ useRecords: false, moreTypes: false });

/** Callbacks of a link opened with dial(). */
export interface LinkHandlers {
  onReady(): void;
  /** A frame, and its size on the wire. */
  onFrame(frame: Record<string, unknown>, bytes: number): void;
  onClose(): void;
}

interface Outbound {
  /** The id the cluster layer knows the node by (changes when a handshake resolves it). */
  key: string;
  socket: WebSocket;
  linkId: number;
  ready: boolean;
  shapers: Shapers | undefined;
}

interface Inbound {
  socket: WebSocket;
  /** The sender, once a message named it: the fault rules are about node ids. */
  peerId: string | undefined;
  shapers: Shapers | undefined;
}

/** A link's two directions under the fault rules. A partition discards bus frames: the peer hears silence. */
interface Shapers {
  in: LinkShaper;
  out: LinkShaper;
}

const discard = (): void => {};

export class ClusterBus {
  private server: WebSocketServer | undefined;
  private readonly outbound = new Map<string, Outbound>();
  private readonly inbound = new Map<number, Inbound>();
  private nextLinkId = 1;

  constructor(private readonly options: BusOptions) {}

  /** Listens on the bus port; rejects with the listen error (EADDRINUSE...). */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = new WebSocketServer({ host: this.options.host, port: this.options.port, maxPayload: this.options.frameBytesMax });
      server.once("error", reject);
      server.once("listening", () => {
        server.off("error", reject);
        server.on("error", (error) => this.options.log("warn", "bus server error", { error: error.message }));
        resolve();
      });
      server.on("connection", (socket, request) => this.accept(socket, request));
      this.server = server;
    });
  }

  /** Opens the outbound link to a node; onLinkUp or onLinkDown follows. */
  connect(nodeId: string, ip: string, busPort: number): void {
    this.disconnect(nodeId);
    const link: Outbound = { key: nodeId, socket: undefined as unknown as WebSocket, linkId: this.nextLinkId++, ready: false, shapers: undefined };
    link.shapers = this.shapers(() => link.key);
    this.outbound.set(nodeId, link);
    link.socket = this.dial(ip, busPort, "/", {
      onReady: () => {
        link.ready = true;
        this.options.onLinkUp(link.key);
      },
      onFrame: (frame, bytes) => {
        const deliver = () => this.options.onMessage(frame as BusMessage, { linkId: link.linkId, remoteIp: ip, outboundNodeId: link.key });
        if (link.shapers === undefined || link.shapers.in.idle) deliver();
        else link.shapers.in.push(bytes, deliver);
      },
      onClose: () => {
        link.shapers?.in.dispose();
        link.shapers?.out.dispose();
        if (this.outbound.get(link.key) !== link) return;
        this.outbound.delete(link.key);
        this.options.onLinkDown(link.key);
      },
    });
  }

  private shapers(peer: () => string | undefined): Shapers | undefined {
    const network = this.options.network;
    if (network === undefined) return undefined;
    return { in: network.shaper("bus", "in", peer, discard), out: network.shaper("bus", "out", peer, discard) };
  }

  /**
   * Opens an authenticated link to a node's bus port at `path` ("/" for the
   * bus, "/replication" for replication). `onReady` follows the mutual
   * proof of the cluster secret; frames before it are never delivered.
   */
  dial(ip: string, busPort: number, path: string, handlers: LinkHandlers): WebSocket {
    return dialBusPort({ ip, busPort, path, secret: this.options.secret, frameBytesMax: this.options.frameBytesMax, log: this.options.log }, handlers);
  }

  /** A frame encoded once, to send to several links (the same stream to every replica). */
  pack(frame: unknown): Buffer {
    return packr.pack(frame);
  }

  sendPacked(socket: WebSocket, bytes: Buffer, peer: string, bufferBytesMax = this.options.sendBufferBytesMax): boolean {
    if (socket.readyState !== WebSocket.OPEN) return false;
    if (socket.bufferedAmount > bufferBytesMax) {
      this.options.log("warn", "dropping a link over its send buffer limit", { peer, bytes: socket.bufferedAmount });
      socket.terminate();
      return false;
    }
    socket.send(bytes);
    return true;
  }

  /** Closes the outbound link to a node, without a linkDown callback. */
  disconnect(nodeId: string): void {
    const link = this.outbound.get(nodeId);
    if (link === undefined) return;
    this.outbound.delete(nodeId);
    link.socket.terminate();
  }

  /** The handshake learnt a node's real id: its link is now known under it. */
  rename(fromId: string, toId: string): void {
    const link = this.outbound.get(fromId);
    if (link === undefined) return;
    this.outbound.delete(fromId);
    this.disconnect(toId);
    link.key = toId;
    this.outbound.set(toId, link);
  }

  send(nodeId: string, message: BusMessage): void {
    const link = this.outbound.get(nodeId);
    if (link === undefined || !link.ready) return;
    this.shapedWrite(link.socket, link.shapers, message, nodeId);
  }

  reply(linkId: number, message: BusMessage): void {
    const link = this.inbound.get(linkId);
    if (link !== undefined) this.shapedWrite(link.socket, link.shapers, message, `inbound link ${linkId}`);
  }

  close(): Promise<void> {
    for (const link of this.outbound.values()) link.socket.terminate();
    this.outbound.clear();
    for (const link of this.inbound.values()) link.socket.terminate();
    this.inbound.clear();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const linkId = this.nextLinkId++;
    const remoteIp = (request.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const nonce = randomBytes(16).toString("hex");
    let ready = false;
    const timer = setTimeout(() => socket.terminate(), HANDSHAKE_TIMEOUT_MS);
    const path = (request.url ?? "/").split("?")[0]!;
    const onMessage = (data: RawData): void => {
      const frame = this.decode(data);
      if (frame === undefined) return socket.terminate();
      if (!ready) {
        if (typeof frame.hello === "string") {
          socket.send(packr.pack({ hello: nonce, proof: this.prove("acceptor" + frame.hello) }));
          return;
        }
        if (!this.verify(frame.proof, "connector" + nonce)) {
          this.options.log("warn", "refusing bus peer: cluster secret mismatch", { remoteIp });
          return socket.close(CLOSE_UNAUTHENTICATED, "cluster secret mismatch");
        }
        ready = true;
        clearTimeout(timer);
        if (path !== "/") {
          // Another protocol on the same port (replication): hand the authenticated socket over.
          socket.off("message", onMessage);
          const handler = this.options.onPathLink?.(path, socket, remoteIp);
          if (handler === undefined) socket.close(CLOSE_UNAUTHENTICATED, `nothing serves ${path}`);
          return;
        }
        this.inbound.set(linkId, link);
        return;
      }
      const senderId = (frame as Partial<BusMessage>).header?.senderId;
      if (typeof senderId === "string") link.peerId = senderId;
      const deliver = () => this.options.onMessage(frame as BusMessage, { linkId, remoteIp });
      if (link.shapers === undefined || link.shapers.in.idle) deliver();
      else link.shapers.in.push(rawLength(data), deliver);
    };
    const link: Inbound = { socket, peerId: undefined, shapers: undefined };
    link.shapers = this.shapers(() => link.peerId);
    socket.on("message", onMessage);
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      link.shapers?.in.dispose();
      link.shapers?.out.dispose();
      if (this.inbound.delete(linkId)) this.options.onInboundClosed?.(linkId);
    });
  }

  /**
   * Sends a bus message through the link's fault shaper, unless the link's
   * queue (the socket's, plus what the shaper holds back) is over its bound,
   * in which case the link is dropped.
   */
  private shapedWrite(socket: WebSocket, shapers: Shapers | undefined, message: BusMessage, peer: string): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    const queuedBytes = socket.bufferedAmount + (shapers?.out.queuedBytes ?? 0);
    if (queuedBytes > this.options.sendBufferBytesMax) {
      this.options.log("warn", "dropping bus link over its send buffer limit", { peer, bytes: queuedBytes });
      this.options.onSendBufferLimit(peer);
      socket.terminate();
      return;
    }
    const bytes = packr.pack(message);
    if (shapers === undefined || shapers.out.idle) socket.send(bytes);
    else
      shapers.out.push(bytes.length, () => {
        if (socket.readyState === WebSocket.OPEN) socket.send(bytes);
      });
  }

  decode(data: RawData): Record<string, unknown> | undefined {
    return decodeFrame(data);
  }

  private prove(challenge: string): string {
    return prove(this.options.secret, challenge);
  }

  private verify(proof: unknown, challenge: string): boolean {
    return verify(this.options.secret, proof, challenge);
  }
}

/** Where and how to open an authenticated link to a bus port. */
export interface DialOptions {
  ip: string;
  busPort: number;
  path: string;
  secret: string;
  frameBytesMax: number;
  log?(level: "info" | "warn", message: string, fields?: Record<string, unknown>): void;
}

/**
 * Opens an authenticated link to a bus port (the connector's side of the
 * handshake described above): nodes dial each other with it, and chaos
 * runners dial a node's control path.
 */
export function dialBusPort(options: DialOptions, handlers: LinkHandlers): WebSocket {
  const { ip, busPort, path, secret } = options;
  const host = ip.includes(":") ? `[${ip}]` : ip;
  const socket = new WebSocket(`ws://${host}:${busPort}${path}`, { maxPayload: options.frameBytesMax, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
  const nonce = randomBytes(16).toString("hex");
  let ready = false;
  const timer = setTimeout(() => socket.terminate(), HANDSHAKE_TIMEOUT_MS);
  socket.on("open", () => socket.send(packr.pack({ hello: nonce })));
  socket.on("message", (data) => {
    const frame = decodeFrame(data);
    if (frame === undefined) return socket.terminate();
    if (!ready) {
      if (typeof frame.hello !== "string" || !verify(secret, frame.proof, "acceptor" + nonce)) {
        options.log?.("warn", "refusing bus peer: cluster secret mismatch", { ip, busPort });
        return socket.close(CLOSE_UNAUTHENTICATED, "cluster secret mismatch");
      }
      socket.send(packr.pack({ proof: prove(secret, "connector" + frame.hello) }));
      ready = true;
      clearTimeout(timer);
      handlers.onReady();
      return;
    }
    handlers.onFrame(frame, rawLength(data));
  });
  socket.on("error", () => {});
  socket.on("close", () => {
    clearTimeout(timer);
    handlers.onClose();
  });
  return socket;
}

/** A msgpack frame as sent on bus-port links. */
export function packFrame(frame: unknown): Buffer {
  return packr.pack(frame);
}

/** A frame from a bus-port link; undefined when it is not a msgpack mapping. */
export function decodeFrame(data: RawData): Record<string, unknown> | undefined {
  try {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const frame: unknown = packr.unpack(buffer);
    return typeof frame === "object" && frame !== null ? (frame as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function prove(secret: string, challenge: string): string {
  return createHmac("sha256", secret).update(challenge).digest("hex");
}

function verify(secret: string, proof: unknown, challenge: string): boolean {
  if (typeof proof !== "string") return false;
  const expected = Buffer.from(prove(secret, challenge), "hex");
  const given = Buffer.from(proof, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A ws message's size in bytes, whichever form ws delivered it in. */
function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((total, chunk) => total + chunk.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}
