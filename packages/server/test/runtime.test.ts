import net from "node:net";
import { existsSync, readFileSync } from "node:fs";
import { Constants, Random, type Client, type LogLevel } from "@shardline/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RawConnection } from "../../../test/support/raw-client.js";
import { ListenError, NodeRuntime } from "../src/runtime.js";

interface LogLine {
  level: LogLevel;
  message: string;
  fields: Record<string, unknown> | undefined;
}

const runtimes: NodeRuntime[] = [];
const connections: RawConnection[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const connection of connections.splice(0)) connection.close();
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.close(100)));
});

async function start(config: [string, string][] = []): Promise<{ runtime: NodeRuntime; port: number; logs: LogLine[] }> {
  const logs: LogLine[] = [];
  const runtime = new NodeRuntime({
    clock: { nowMs: () => Date.now() },
    random: new Random(7),
    config: [["port", "0"], ...config],
    log: (level, message, fields) => logs.push({ level, message, fields }),
  });
  runtimes.push(runtime);
  const [address] = await runtime.listen();
  return { runtime, port: address!.port, logs };
}

async function connect(port: number, host = "127.0.0.1"): Promise<RawConnection> {
  const connection = await RawConnection.connect(port, host);
  connections.push(connection);
  return connection;
}

/** The engine's client for the most recent connection. */
function lastClient(runtime: NodeRuntime): Client {
  return [...runtime.engine.clients.values()].at(-1)!;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const ipv6LoopbackAvailable = existsSync("/proc/net/if_inet6") && readFileSync("/proc/net/if_inet6", "utf8").includes("00000000000000000000000000000001");

describe("NodeRuntime listening", () => {
  it("serves commands on the port the OS picked and reports it to INFO", async () => {
    const { runtime, port } = await start();
    expect(port).toBeGreaterThan(0);
    expect(runtime.engine.process.tcpPort).toBe(port);
    const connection = await connect(port);
    expect(await connection.command("PING")).toBe("+PONG\r\n");
    expect(await connection.command("SET", "k", "v\r\n\x00\xff")).toBe("+OK\r\n");
    expect(await connection.command("GET", "k")).toBe("$5\r\nv\r\n\x00\xff\r\n");
  });

  it.skipIf(!ipv6LoopbackAvailable)("listens on every bind address with one port, and skips a missing optional one", async () => {
    const { runtime, port } = await start([["bind", "127.0.0.1 ::1 -192.0.2.77"]]);
    await expect((await connect(port, "::1")).command("PING")).resolves.toBe("+PONG\r\n");
    await expect((await connect(port, "127.0.0.1")).command("PING")).resolves.toBe("+PONG\r\n");
    expect(lastClient(runtime).connection.address).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("formats IPv6 peers with brackets, as CLIENT LIST shows them", async () => {
    if (!ipv6LoopbackAvailable) return;
    const { runtime, port } = await start([["bind", "::1"]]);
    await (await connect(port, "::1")).command("PING");
    expect(lastClient(runtime).connection.address).toMatch(/^\[::1\]:\d+$/);
    expect(lastClient(runtime).connection.localAddress).toBe(`[::1]:${port}`);
  });

  it("fails with EADDRINUSE, naming host and port, when the port is taken", async () => {
    const { port } = await start();
    const second = new NodeRuntime({ clock: { nowMs: () => Date.now() }, random: new Random(1), config: [["port", String(port)]] });
    const error = await second.listen().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListenError);
    expect(error).toMatchObject({ code: "EADDRINUSE", host: "127.0.0.1", port });
  });

  it("fails with EADDRNOTAVAIL for a required address that is not on this machine, closing what it opened", async () => {
    const runtime = new NodeRuntime({ clock: { nowMs: () => Date.now() }, random: new Random(1), config: [["port", "0"], ["bind", "127.0.0.1 192.0.2.77"]] });
    const error = await runtime.listen().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "EADDRNOTAVAIL", host: "192.0.2.77" });
    await runtime.close(0);
  });
});

describe("NodeRuntime connections", () => {
  it("writes one turn's replies to a client with one socket write", async () => {
    const { port } = await start();
    const connection = await connect(port);
    await connection.command("PING");
    const write = vi.spyOn(net.Socket.prototype, "write");
    connection.write("PING\r\n".repeat(500));
    let replies = "";
    for (let i = 0; i < 500; i++) replies += await connection.readReply();
    expect(replies).toBe("+PONG\r\n".repeat(500));
    // The test's own write is one call too; the server's 500 replies must be at most a few writes (one per input chunk).
    const serverWrites = write.mock.calls.filter(([data]) => typeof data === "string" && data.startsWith("+PONG"));
    expect(serverWrites.length).toBeGreaterThanOrEqual(1);
    expect(serverWrites.length).toBeLessThanOrEqual(4);
  });

  it("answers what a half-closed client sent before closing it, as Redis does on EOF", async () => {
    const { port } = await start();
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk) => (received += chunk.toString("latin1")));
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.end("PING\r\nPING hello\r\n");
    await new Promise((resolve) => socket.once("close", resolve));
    expect(received).toBe("+PONG\r\n$5\r\nhello\r\n");
  });

  it("writes the protocol error and then closes the connection", async () => {
    const { port } = await start();
    const connection = await connect(port);
    connection.write("*1\r\n$x\r\nPING\r\n");
    expect(await connection.readReply()).toBe("-ERR Protocol error: invalid bulk length\r\n");
    expect(await connection.waitClosed()).toBe(true);
  });

  it("refuses a client over maxclients with Redis's error and keeps serving the others", async () => {
    const { runtime, port } = await start([["maxclients", "1"]]);
    const first = await connect(port);
    expect(await first.command("PING")).toBe("+PONG\r\n");
    const second = await connect(port);
    expect(await second.readReply()).toBe("-ERR max number of clients reached\r\n");
    expect(await second.waitClosed()).toBe(true);
    expect(await first.command("PING")).toBe("+PONG\r\n");
    expect(runtime.engine.stats.rejectedConnections).toBe(1);
  });

  it("turns TCP keepalive on with tcp-keepalive seconds, follows CONFIG SET, and leaves it off at 0", async () => {
    const keepAlive = vi.spyOn(net.Socket.prototype, "setKeepAlive");
    const { runtime, port } = await start([["tcp-keepalive", "60"]]);
    expect(runtime.engine.config.get("tcp-keepalive")).toBe("60");
    await (await connect(port)).command("PING");
    expect(keepAlive).toHaveBeenLastCalledWith(true, 60_000);
    runtime.engine.config.set("tcp-keepalive", "100000");
    await (await connect(port)).command("PING");
    expect(keepAlive).toHaveBeenLastCalledWith(true, 32_767_000);
    keepAlive.mockClear();
    runtime.engine.config.set("tcp-keepalive", "0");
    await (await connect(port)).command("PING");
    expect(keepAlive).not.toHaveBeenCalled();
  });

  it("uses Redis's tcp-keepalive default of 300 seconds", async () => {
    const keepAlive = vi.spyOn(net.Socket.prototype, "setKeepAlive");
    const { runtime, port } = await start();
    expect(runtime.engine.config.get("tcp-keepalive")).toBe("300");
    expect(runtime.engine.config.get("tcp-backlog")).toBe("511");
    await (await connect(port)).command("PING");
    expect(keepAlive).toHaveBeenLastCalledWith(true, 300_000);
  });

  it("survives clients that reset their connections mid-command", async () => {
    const { port } = await start();
    for (let i = 0; i < 20; i++) {
      const socket = net.connect(port, "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\npartial");
      socket.resetAndDestroy();
    }
    expect(await (await connect(port)).command("PING")).toBe("+PONG\r\n");
  });

  it("disconnects a client whose queued output, socket included, passes its output buffer limit", async () => {
    const { runtime, port, logs } = await start();
    // A subscriber that stops reading: the pub/sub class limit applies.
    const socket = net.connect(port, "127.0.0.1");
    socket.on("error", () => {});
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.pause();
    await until(() => runtime.engine.clients.size === 1, "the subscriber to connect");
    const subscriber = lastClient(runtime);
    runtime.engine.pubsub.subscribe(subscriber, "news");
    const limit = runtime.engine.outputBufferLimitBytes(subscriber) + Constants.replyBufferBytes;
    const other = await connect(port);
    const chunk = "+" + "x".repeat(1024 * 1024 - 3) + "\r\n";
    let queued = 0;
    // Each round adds less than the limit, so only the runtime's check (engine output plus socket buffer) can fire.
    while (!socket.destroyed && queued < 4 * limit) {
      subscriber.writer.raw(chunk);
      runtime.engine.markOutput(subscriber);
      queued += chunk.length;
      await other.command("PING");
      if (logs.some((line) => line.message.includes("output buffer limit"))) break;
    }
    const line = logs.find((l) => l.message === "closing client that exceeded its output buffer limit");
    expect(line, "the runtime logged the disconnection").toBeDefined();
    expect(line!.fields!.limitBytes).toBe(limit);
    expect(line!.fields!.queuedBytes as number).toBeGreaterThan(limit);
    await until(() => !runtime.engine.clients.has(subscriber.id), "the subscriber to be disconnected");
    socket.destroy();
    expect(await other.command("PING")).toBe("+PONG\r\n");
  });

  it("confines a bug in a command to its client: logged with the input, client dropped, node serving", async () => {
    const { runtime, port, logs } = await start();
    const ping = runtime.engine.commands.get("ping")!;
    const handler = ping.handler;
    ping.handler = (ctx) => {
      if (ctx.args[1] === "boom") throw new TypeError("simulated bug");
      handler!(ctx);
    };
    try {
      const victim = await connect(port);
      victim.write("PING boom\r\n");
      expect(await victim.waitClosed()).toBe(true);
      const line = logs.find((l) => l.level === "error");
      expect(line?.message).toBe("internal error while serving a client; the client is disconnected");
      expect(line?.fields?.error).toMatch(/TypeError: simulated bug/);
      expect(line?.fields?.input).toBe(JSON.stringify("PING boom\r\n"));
      expect(await (await connect(port)).command("PING")).toBe("+PONG\r\n");
    } finally {
      ping.handler = handler;
    }
  });
});

describe("NodeRuntime shutdown", () => {
  it("stops accepting, delivers replies already produced and ends every client", async () => {
    const { runtime, port } = await start();
    const idle = await connect(port);
    const busy = net.connect(port, "127.0.0.1");
    let received = "";
    busy.on("data", (chunk) => (received += chunk.toString("latin1")));
    await new Promise((resolve) => busy.once("connect", resolve));
    await until(() => runtime.engine.clients.size === 2, "both clients");
    busy.write("PING\r\n");
    await until(() => received.length > 0, "the reply");
    const closedAt = Date.now();
    await runtime.close(5000);
    expect(Date.now() - closedAt, "closing does not wait for the grace period").toBeLessThan(1000);
    expect(await idle.waitClosed()).toBe(true);
    expect(received).toBe("+PONG\r\n");
    expect(runtime.engine.clients.size).toBe(0);
    await expect(RawConnection.connect(port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
