import net from "node:net";
import { Constants, Engine, InvariantError, type Client, type EngineOptions, type LogSink } from "@shardline/core";
import { FaultNetwork, type LinkShaper } from "./fault-network.js";
import { KEEPALIVE_IDLE_SECONDS_MAX, RUNTIME_PARAMETERS } from "./runtime-parameters.js";

/** One entry of `bind`: `*` and `::*` mean every IPv4 and every IPv6 address; a leading `-` makes it optional. */
export interface BindAddress {
  host: string;
  optional: boolean;
}

/** Parses Redis's `bind` value (`127.0.0.1 -::1`, `* -::*`). */
export function parseBind(text: string): BindAddress[] {
  return text
    .split(" ")
    .filter((word) => word !== "")
    .map((word) => {
      const optional = word.startsWith("-");
      const name = optional ? word.slice(1) : word;
      const host = name === "*" ? "0.0.0.0" : name === "::*" ? "::" : name;
      return { host, optional };
    });
}

/** The node could not listen on one of its addresses; `code` is the errno name (EADDRINUSE...). */
export class ListenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
    reason: string,
  ) {
    super(`cannot listen on ${host}:${port}: ${reason}`);
  }
}

/** A client connection: its socket and the fault shapers its input and output pass through. */
interface Connection {
  socket: net.Socket;
  inbound: LinkShaper;
  outbound: LinkShaper;
}

/**
 * A socket we are closing after its last reply (QUIT, protocol error, full
 * server) waits at most this long for that reply to drain before it is
 * dropped, so a peer that stops reading cannot keep it open.
 */
const CLOSING_LINGER_MS = 10_000;
/** Node clamps longer timer delays to 1 ms, which would spin; far deadlines re-arm instead. */
const TIMER_DELAY_MS_MAX = 2 ** 31 - 1;
/** How much of a client's input a log line about it may quote. */
const LOGGED_INPUT_BYTES_MAX = 256;

/**
 * The process runtime for client traffic: it owns the TCP sockets and timers
 * and moves bytes between them and the sans-IO Engine. Replies produced
 * during one event-loop turn are written with one socket write per client,
 * in a setImmediate after the turn's I/O callbacks.
 *
 * Robustness rules: a socket error only ever closes that socket; a client
 * whose queued output (the engine's pending replies plus what the socket has
 * not sent yet) passes its output buffer limit is disconnected; a bug that
 * throws while serving one client disconnects that client and is logged at
 * error level, except a failed assertion, which stops the process.
 */
export class NodeRuntime {
  readonly engine: Engine;
  private readonly log: LogSink;
  private readonly nowMs: () => number;
  private readonly servers: net.Server[] = [];
  private readonly connections = new Map<Client, Connection>();
  /** Connections whose peer finished sending: closed once this turn's replies are written, as Redis does on EOF. */
  private readonly peerEnded = new Set<Connection>();
  /** The network faults this node plays on its links (DESIGN.md: the runtime injects them; there is no netem). */
  readonly network: FaultNetwork;
  private flushScheduled = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAtMs = Infinity;
  private tickTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  /**
   * Called once per event-loop turn, before the turn's client output is
   * written: the cluster bus and replication links send what the turn's
   * events produced, so one frame carries a whole turn of writes to each
   * replica (as Redis writes its replication buffer once per beforeSleep).
   */
  readonly turnHooks: (() => void)[] = [];

  constructor(options: EngineOptions) {
    const runtimeNames = new Set(RUNTIME_PARAMETERS.map((parameter) => parameter.name));
    const settings = [...(options.config ?? [])];
    const isRuntimeSetting = ([name]: readonly [string, string]) => runtimeNames.has(name.toLowerCase());
    this.engine = new Engine({ ...options, config: settings.filter((setting) => !isRuntimeSetting(setting)) });
    for (const parameter of RUNTIME_PARAMETERS) this.engine.config.define(parameter);
    for (const [name, value] of settings.filter(isRuntimeSetting)) this.engine.config.set(name, value, true);
    this.log = options.log ?? (() => {});
    this.nowMs = () => options.clock.nowMs();
    this.network = new FaultNetwork(this.engine.faults, this.nowMs);
  }

  /**
   * Listens on every `bind` address at `port` (from the configuration). With
   * port 0 the OS picks one for the first address and the others share it.
   * An optional address (`-::1`) that is not on this machine is skipped.
   * Rejects with a ListenError, after closing what it opened.
   */
  async listen(): Promise<net.AddressInfo[]> {
    const config = this.engine.config;
    let port = config.number("port");
    const bound: net.AddressInfo[] = [];
    for (const address of parseBind(config.get("bind"))) {
      try {
        const info = await this.listenOn(address.host, port, config.number("tcp-backlog"));
        port = info.port;
        bound.push(info);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "UNKNOWN";
        if (address.optional && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) {
          this.log("warn", "skipping optional bind address that is not available", { host: address.host, code });
          continue;
        }
        await this.close(0);
        throw new ListenError(address.host, port, code, (error as Error).message);
      }
    }
    if (bound.length === 0) throw new ListenError(config.get("bind"), port, "EADDRNOTAVAIL", "none of the bind addresses is available");
    this.engine.process.tcpPort = port;
    this.startTicking();
    return bound;
  }

  /**
   * Stops accepting, writes the replies already produced, ends every client
   * connection and resolves when all are closed; connections still open
   * after `graceMs` are dropped.
   */
  close(graceMs = 2000): Promise<void> {
    this.closing ??= this.shutDown(graceMs);
    return this.closing;
  }

  private async shutDown(graceMs: number): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    const serversClosed = this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    this.flush();
    const socketsClosed = [...this.connections.values()].map(({ socket }) => {
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      this.endSocket(socket);
      return closed;
    });
    const dropTimer = setTimeout(() => {
      for (const { socket } of this.connections.values()) socket.destroy();
    }, graceMs);
    await Promise.all([...serversClosed, ...socketsClosed]);
    clearTimeout(dropTimer);
  }

  private listenOn(host: string, port: number, backlog: number): Promise<net.AddressInfo> {
    const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.accept(socket));
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port, host, backlog, ipv6Only: net.isIPv6(host) }, () => {
        server.off("error", reject);
        // Accept failures (EMFILE...) are reported on the server; they must not stop the process.
        server.on("error", (error) => this.log("warn", "error on listening socket", { host, port, error: error.message }));
        this.servers.push(server);
        resolve(server.address() as net.AddressInfo);
      });
    });
  }

  private startTicking(): void {
    this.engine.config.watch("hz", (hz) => {
      if (this.tickTimer) clearInterval(this.tickTimer);
      if (this.closing) return;
      this.tickTimer = setInterval(() => {
        this.guarded(undefined, () => this.engine.tick());
        this.afterEvent();
      }, 1000 / Number(hz));
      this.tickTimer.unref();
    });
  }

  private accept(socket: net.Socket): void {
    // First, so that nothing that follows can let a socket error reach the process.
    socket.on("error", (error: NodeJS.ErrnoException) => this.onSocketError(socket, error));
    const address = formatAddress(socket.remoteAddress, socket.remotePort);
    const localAddress = formatAddress(socket.localAddress, socket.localPort);
    if (this.closing || address === undefined || localAddress === undefined) {
      // Shutting down, or the peer reset the connection before we saw it.
      socket.destroy();
      return;
    }
    if (this.network.partitioned("client", undefined)) {
      // A partition refuses new client connections, as a REJECT rule would.
      socket.destroy();
      return;
    }
    this.applyKeepAlive(socket);
    const client = this.engine.connect({ address, localAddress });
    const reset = () => socket.destroy();
    const connection: Connection = {
      socket,
      inbound: this.network.shaper("client", "in", () => undefined, reset),
      outbound: this.network.shaper("client", "out", () => undefined, reset),
    };
    this.connections.set(client, connection);
    socket.on("data", (chunk: Buffer) => {
      if (connection.inbound.idle) this.onData(client, chunk);
      else connection.inbound.push(chunk.length, () => this.onData(client, chunk));
    });
    socket.on("end", () => {
      const ended = () => {
        this.peerEnded.add(connection);
        this.afterEvent();
      };
      if (connection.inbound.idle) ended();
      else connection.inbound.push(0, ended);
    });
    socket.on("close", () => {
      this.connections.delete(client);
      this.peerEnded.delete(connection);
      connection.inbound.dispose();
      connection.outbound.dispose();
      this.guarded(undefined, () => this.engine.disconnect(client));
      this.afterEvent();
    });
    this.afterEvent();
  }

  /** Redis's tcp-keepalive: probes start after that many idle seconds (the OS picks interval and count). */
  private applyKeepAlive(socket: net.Socket): void {
    const idleSeconds = Math.min(this.engine.config.number("tcp-keepalive"), KEEPALIVE_IDLE_SECONDS_MAX);
    if (idleSeconds > 0) socket.setKeepAlive(true, idleSeconds * 1000);
  }

  private onData(client: Client, chunk: Buffer): void {
    // Redis reads nothing more from a client it is closing.
    if (this.closing || client.closeNow || client.closeAfterReply) return;
    this.guarded(client, () => this.engine.receive(client, chunk), chunk);
    this.afterEvent();
  }

  private onSocketError(socket: net.Socket, error: NodeJS.ErrnoException): void {
    // Resets and broken pipes are how clients go away; anything else is worth a line.
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") {
      this.log("info", "client socket error", { address: socket.remoteAddress, code: error.code, error: error.message });
    }
    socket.destroy();
  }

  /**
   * Runs engine work for a client. A failed assertion propagates (the state
   * cannot be trusted: the process must stop); any other exception is a bug
   * confined to this client, which is logged with its input and disconnected.
   */
  private guarded(client: Client | undefined, work: () => void, input?: Buffer): void {
    try {
      work();
    } catch (error) {
      if (error instanceof InvariantError) throw error;
      this.log("error", "internal error while serving a client; the client is disconnected", {
        client: client?.id,
        error: error instanceof Error ? error.stack : String(error),
        input: input === undefined ? undefined : JSON.stringify(input.toString("latin1", 0, LOGGED_INPUT_BYTES_MAX)),
      });
      if (client !== undefined) this.connections.get(client)?.socket.destroy();
    }
  }

  /** Something outside the client sockets (a bus or replication frame) changed the engine: flush and re-arm timers. */
  notify(): void {
    this.afterEvent();
  }

  /** After any event: schedule the turn's flush and the engine's next wake-up. */
  private afterEvent(): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    const wakeAtMs = this.engine.nextWakeMs();
    if (wakeAtMs === undefined || wakeAtMs >= this.wakeAtMs || this.closing) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAtMs = wakeAtMs;
    const delayMs = Math.min(TIMER_DELAY_MS_MAX, Math.max(0, Math.ceil(wakeAtMs - this.nowMs())));
    this.wakeTimer = setTimeout(() => {
      this.wakeAtMs = Infinity;
      this.wakeTimer = undefined;
      this.guarded(undefined, () => this.engine.wake());
      this.afterEvent();
    }, delayMs);
  }

  /** Writes each client's output for this turn with one socket write, then carries out closes. */
  private flush(): void {
    this.flushScheduled = false;
    for (const hook of this.turnHooks) hook();
    for (const client of this.engine.takeOutput()) {
      const output = client.writer.take();
      const connection = this.connections.get(client);
      if (connection === undefined || connection.socket.destroyed) continue;
      const { socket, outbound } = connection;
      if (client.closeNow) {
        socket.destroy();
        continue;
      }
      const limitBytes = this.outputBufferLimitBytes(client);
      const queuedBytes = socket.writableLength + outbound.queuedBytes + output.length;
      if (queuedBytes > limitBytes) {
        this.log("warn", "closing client that exceeded its output buffer limit", { client: client.id, queuedBytes, limitBytes });
        socket.destroy();
        continue;
      }
      if (output.length > 0 && !socket.writableEnded) {
        if (outbound.idle) socket.write(output, "latin1");
        else
          outbound.push(output.length, () => {
            if (!socket.writableEnded) socket.write(output, "latin1");
          });
      }
      if (client.closeAfterReply) this.endConnection(connection);
    }
    for (const connection of this.peerEnded) this.endConnection(connection);
    this.peerEnded.clear();
  }

  /**
   * The output a client may have queued, engine-side and socket-side
   * together, before it is dropped: the engine's own limit for the client's
   * class (client-output-buffer-limit), which like Redis's does not count
   * the fixed reply buffer. The engine sees only its pending replies; bytes
   * the socket has not sent yet count here.
   */
  private outputBufferLimitBytes(client: Client): number {
    return this.engine.outputBufferLimitBytes(client) + Constants.replyBufferBytes;
  }

  /** Closes a connection after the output its fault shaper still holds back. */
  private endConnection({ socket, outbound }: Connection): void {
    if (outbound.idle) this.endSocket(socket);
    else outbound.push(0, () => this.endSocket(socket));
  }

  /** Closes a connection once what was written to it has drained (or after CLOSING_LINGER_MS). */
  private endSocket(socket: net.Socket): void {
    if (socket.writableEnded || socket.destroyed) return;
    socket.end(() => socket.destroy());
    setTimeout(() => socket.destroy(), CLOSING_LINGER_MS).unref();
  }
}

/** `ip:port` as Redis formats a peer (`[ip]:port` for IPv6); undefined once the socket is gone. */
export function formatAddress(ip: string | undefined, port: number | undefined): string | undefined {
  if (ip === undefined || port === undefined) return undefined;
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}
