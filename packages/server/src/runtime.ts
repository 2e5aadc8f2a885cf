import net from "node:net";
import { Engine, type Client, type EngineOptions } from "@shardline/core";

/**
 * The process runtime for client traffic: it owns the TCP sockets and timers
 * and moves bytes between them and the sans-IO Engine. Replies produced
 * during one event-loop turn are written with one socket write per client,
 * in a setImmediate after the turn's I/O callbacks.
 */
export class NodeRuntime {
  readonly engine: Engine;
  private readonly server: net.Server;
  private readonly sockets = new Map<Client, net.Socket>();
  private flushScheduled = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAtMs = Infinity;
  private tickTimer: NodeJS.Timeout | undefined;

  constructor(options: EngineOptions) {
    this.engine = new Engine(options);
    this.server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** Listens on host:port; rejects with the listen error (EADDRINUSE...) unchanged. */
  listen(port: number, host: string): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once("error", onError);
      this.server.listen({ port, host, backlog: 511 }, () => {
        this.server.off("error", onError);
        this.startTicking();
        resolve(this.server.address() as net.AddressInfo);
      });
    });
  }

  /** Stops accepting, closes every client, stops timers. */
  close(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    for (const socket of this.sockets.values()) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private startTicking(): void {
    this.engine.config.watch("hz", (hz) => {
      if (this.tickTimer) clearInterval(this.tickTimer);
      this.tickTimer = setInterval(() => {
        this.engine.tick();
        this.afterEvent();
      }, 1000 / Number(hz));
      this.tickTimer.unref();
    });
  }

  private accept(socket: net.Socket): void {
    const client = this.engine.connect({
      address: `${socket.remoteAddress}:${socket.remotePort}`,
      localAddress: `${socket.localAddress}:${socket.localPort}`,
    });
    this.sockets.set(client, socket);
    socket.on("data", (chunk) => {
      this.engine.receive(client, chunk);
      this.afterEvent();
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      this.sockets.delete(client);
      this.engine.disconnect(client);
      this.afterEvent();
    });
    this.afterEvent();
  }

  /** After any input: schedule the turn's flush and the engine's next wake-up. */
  private afterEvent(): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    const wakeAt = this.engine.nextWakeMs();
    if (wakeAt !== undefined && wakeAt < this.wakeAtMs) {
      if (this.wakeTimer) clearTimeout(this.wakeTimer);
      this.wakeAtMs = wakeAt;
      this.wakeTimer = setTimeout(() => {
        this.wakeAtMs = Infinity;
        this.wakeTimer = undefined;
        this.engine.wake();
        this.afterEvent();
      }, Math.max(0, wakeAt - Date.now()));
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const client of this.engine.takeOutput()) {
      const socket = this.sockets.get(client);
      if (socket === undefined || socket.destroyed) {
        client.writer.take();
        continue;
      }
      if (client.closeNow) {
        socket.destroy();
        continue;
      }
      const output = client.writer.take();
      if (output.length > 0) socket.write(output, "latin1");
      if (client.closeAfterReply) socket.end();
    }
  }
}
