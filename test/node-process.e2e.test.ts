import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NodeProcess, parseLogLines } from "./support/node-process.js";
import { freePort, hasProgram, waitForPort } from "./support/processes.js";
import { RawConnection } from "./support/raw-client.js";
import { clientTargets } from "./support/targets.js";

/**
 * The shardline-node process as an operator meets it: options and config
 * files, the errors and exit statuses of a bad start, the log, signals.
 * Runs the built node (npx tsc -b first).
 */

const running: NodeProcess[] = [];
const connections: RawConnection[] = [];

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.close();
  await Promise.all(running.splice(0).map((node) => node.stop()));
});

async function startNode(args: string[]): Promise<NodeProcess> {
  const node = NodeProcess.start(args);
  running.push(node);
  await node.ready;
  return node;
}

async function connect(port: number): Promise<RawConnection> {
  const connection = await RawConnection.connect(port);
  connections.push(connection);
  return connection;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "shardline-node-e2e-"));
}

describe("shardline-node start-up", () => {
  it("logs one JSON 'Ready to accept connections' line with host and port, then serves", async () => {
    const port = await freePort();
    const node = await startNode(["--port", String(port)]);
    const ready = node.logLines().filter((line) => line.msg === "Ready to accept connections");
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({ level: 30, host: "127.0.0.1", port, pid: node.child.pid });
    expect(await (await connect(port)).command("PING")).toBe("+PONG\r\n");
  });

  it("prints the usage for --help and the version for --version, exiting 0", async () => {
    const help = await NodeProcess.run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: shardline-node \[config-file\] \[--name value \.\.\.\]/);
    expect(help.stdout).toContain("--maxmemory <bytes|kb|mb|gb>");
    expect(help.stdout).toContain("--tcp-keepalive <integer>");
    const version = await NodeProcess.run(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^shardline-node \d+\.\d+\.\d+ \(Redis 7\.0 compatible\)\n$/);
  });

  it("exits 2 naming an unknown option and the closest known one", async () => {
    const exited = await NodeProcess.run(["--port", "0", "--maxmemroy", "100mb"]);
    expect(exited.code).toBe(2);
    expect(exited.stderr).toBe(
      "shardline-node: --maxmemroy: unknown option 'maxmemroy' (did you mean 'maxmemory'?).\nRun shardline-node --help for the options.\n",
    );
    expect(exited.stdout).toBe("");
  });

  it("exits 2 naming the option and what it accepts for a bad value", async () => {
    const memory = await NodeProcess.run(["--maxmemory", "lots"]);
    expect(memory.code).toBe(2);
    expect(memory.stderr).toContain("--maxmemory: bad value for 'maxmemory': argument must be a memory value");
    const policy = await NodeProcess.run(["--maxmemory-policy", "sometimes"]);
    expect(policy.code).toBe(2);
    expect(policy.stderr).toContain(
      "bad value for 'maxmemory-policy': argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction",
    );
    const port = await NodeProcess.run(["--port", "65536"]);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("bad value for 'port': argument must be between 0 and 65535 inclusive");
  });

  it("exits 2 when the config file cannot be read, saying which file", async () => {
    const missing = join(tempDir(), "missing.conf");
    const exited = await NodeProcess.run([missing]);
    expect(exited.code).toBe(2);
    expect(exited.stderr).toContain(`cannot read config file '${missing}': no such file.`);
    const directory = await NodeProcess.run([tempDir()]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toMatch(/cannot read config file '.*': EISDIR/);
  });

  it("exits 2 pointing at the file and line of a bad config directive", async () => {
    const path = join(tempDir(), "node.conf");
    writeFileSync(path, "# shardline\nport 7000\nmaxmemory 1 2 3\n");
    const exited = await NodeProcess.run([path]);
    expect(exited.code).toBe(2);
    expect(exited.stderr).toContain(`${path}:3: bad value for 'maxmemory': argument must be a memory value`);
  });

  it("takes settings from a config file, with command-line flags winning", async () => {
    const port = await freePort();
    const path = join(tempDir(), "node.conf");
    writeFileSync(path, `# a node\nport 1\nrequirepass "s3cret pass"\ntimeout 30\ntcp-keepalive 0\n`);
    const node = await startNode([path, "--port", String(port)]);
    expect(node.logLines().find((line) => line.msg === "shardline-node starting")).toMatchObject({ configFile: path });
    const connection = await connect(port);
    expect(await connection.command("PING")).toBe("-NOAUTH Authentication required.\r\n");
    expect(await connection.command("AUTH", "s3cret pass")).toBe("+OK\r\n");
    expect(await connection.command("CONFIG", "GET", "timeout")).toBe("*2\r\n$7\r\ntimeout\r\n$2\r\n30\r\n");
    expect(await connection.command("CONFIG", "GET", "tcp-keepalive")).toBe("*2\r\n$13\r\ntcp-keepalive\r\n$1\r\n0\r\n");
  });

  it("exits 1 when the port is in use, saying which port and what to do", async () => {
    const port = await freePort();
    await startNode(["--port", String(port)]);
    const exited = await NodeProcess.run(["--port", String(port)]);
    expect(exited.code).toBe(1);
    expect(exited.stderr).toBe(
      `shardline-node: port ${port} on 127.0.0.1 is already in use (another shardline-node or redis-server?). Stop that process, or choose a free port with --port.\n`,
    );
    const logged = parseLogLines(exited.stdout).find((line) => line.level === 50);
    expect(logged).toMatchObject({ code: "EADDRINUSE", port, host: "127.0.0.1" });
  });

  it("exits 1 when the port is held by another program", async () => {
    const holder = net.createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, "127.0.0.1", () => resolve((holder.address() as net.AddressInfo).port)));
    try {
      const exited = await NodeProcess.run(["--port", String(port)]);
      expect(exited.code).toBe(1);
      expect(exited.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      holder.close();
    }
  });

  it("exits 1 for a bind address that is not on this machine", async () => {
    const exited = await NodeProcess.run(["--port", String(await freePort()), "--bind", "192.0.2.77"]);
    expect(exited.code).toBe(1);
    expect(exited.stderr).toContain("cannot listen on 192.0.2.77:");
    expect(exited.stderr).toContain("the address is not on this machine. Give an address of this machine with --bind");
  });

  it("starts when only an optional bind address is missing", async () => {
    const port = await freePort();
    const node = await startNode(["--port", String(port), "--bind", "127.0.0.1 -192.0.2.77"]);
    expect(node.logLines().find((line) => line.msg === "skipping optional bind address that is not available")).toMatchObject({
      host: "192.0.2.77",
    });
    expect(await (await connect(port)).command("PING")).toBe("+PONG\r\n");
  });

  it("writes its log to --logfile, and exits 1 when that file cannot be opened", async () => {
    const port = await freePort();
    const logfile = join(tempDir(), "node.log");
    const node = NodeProcess.start(["--port", String(port), "--logfile", logfile]);
    running.push(node);
    await waitForPort(port);
    expect(parseLogLines(readFileSync(logfile, "utf8")).find((line) => line.msg === "Ready to accept connections")).toMatchObject({ port });
    const exited = await node.signal("SIGTERM");
    expect(exited.code).toBe(0);
    expect(exited.stdout).toBe("");
    // The lines of the shutdown itself reached the file before the process exited.
    expect(readFileSync(logfile, "utf8")).toContain("shardline-node is now ready to exit, bye bye");

    const unwritable = await NodeProcess.run(["--port", String(port), "--logfile", join(tempDir(), "no", "such", "dir.log")]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/cannot open log file '.*dir\.log': ENOENT.*leave --logfile out to log to stdout/);
  });

  it("follows --loglevel: warning hides the info lines", async () => {
    const port = await freePort();
    const node = NodeProcess.start(["--port", String(port), "--loglevel", "warning"]);
    running.push(node);
    await waitForPort(port);
    expect(await (await connect(port)).command("PING")).toBe("+PONG\r\n");
    const stopped = await node.signal("SIGTERM");
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toBe("");
  });
});

describe("shardline-node limits and sockets", () => {
  it("refuses connections over --maxclients with Redis's error and keeps the others", async () => {
    const port = await freePort();
    await startNode(["--port", String(port), "--maxclients", "2"]);
    const first = await connect(port);
    const second = await connect(port);
    expect(await first.command("PING")).toBe("+PONG\r\n");
    expect(await second.command("PING")).toBe("+PONG\r\n");
    const third = await connect(port);
    expect(await third.readReply()).toBe("-ERR max number of clients reached\r\n");
    expect(await third.waitClosed()).toBe(true);
    second.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await (await connect(port)).command("PING")).toBe("+PONG\r\n");
  });

  it.skipIf(!hasProgram("ss"))("sets TCP keepalive on client sockets to tcp-keepalive seconds", async () => {
    const port = await freePort();
    await startNode(["--port", String(port), "--tcp-keepalive", "60"]);
    const connection = await connect(port);
    await connection.command("PING");
    const sockets = spawnSync("ss", ["-tnoH", "state", "established", `( sport = :${port} )`], { encoding: "utf8" }).stdout;
    const seconds = /timer:\(keepalive,(\d+)sec/.exec(sockets);
    expect(seconds, sockets).not.toBeNull();
    expect(Number(seconds![1])).toBeGreaterThan(50);
    expect(Number(seconds![1])).toBeLessThanOrEqual(60);
  });

  it("disconnects a pub/sub subscriber that stops reading once it passes the 32mb output limit", async () => {
    const port = await freePort();
    const node = await startNode(["--port", String(port)]);
    const socket = net.connect(port, "127.0.0.1");
    socket.on("error", () => {});
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("SUBSCRIBE news\r\n");
    await new Promise((resolve) => socket.once("data", resolve));
    socket.pause();
    const publisher = await connect(port);
    const message = "m".repeat(1024 * 1024);
    let publishedMiB = 0;
    // PUBLISH counts receivers: it drops to 0 once the node has dropped the subscriber. Kernel
    // buffers on both sides hold some megabytes, so 160 MiB is far past the limit plus them.
    while (publishedMiB < 160 && (await publisher.command("PUBLISH", "news", message)) === ":1\r\n") publishedMiB++;
    expect(publishedMiB, "MiB published before the subscriber was dropped").toBeGreaterThanOrEqual(32);
    expect(publishedMiB).toBeLessThan(160);
    expect(await publisher.command("PUBLISH", "news", "after")).toBe(":0\r\n");
    // The pubsub class's 32mb hard limit, plus the 16 KiB reply buffer Redis does not count against it.
    expect(node.logLines().find((line) => line.msg === "closing client that exceeded its output buffer limit")).toMatchObject({
      limitBytes: 32 * 1024 * 1024 + 16 * 1024,
    });
    // The subscriber, reading again, finds its connection closed.
    socket.resume();
    await closed;
  });
});

describe.each(clientTargets())("client-output-buffer-limit on $name", (target) => {
  it("drops a normal client that pipelines more output than the limit without reading", async () => {
    const server = await target.start(["--client-output-buffer-limit", "normal", "1mb", "0", "0"]);
    try {
      const checker = await connect(server.port);
      expect(await checker.command("SET", "big", "v".repeat(512 * 1024))).toBe("+OK\r\n");
      const connectionsReceived = async () => Number(/total_connections_received:(\d+)/.exec(await checker.command("INFO", "stats"))![1]);
      const connectionsBefore = await connectionsReceived();
      const socket = net.connect(server.port, "127.0.0.1");
      socket.on("error", () => {});
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.pause();
      // 12 MiB of replies against a 1 MiB limit.
      socket.write("GET big\r\n".repeat(24));
      const clientCount = async () => (await checker.command("CLIENT", "LIST")).split("\n").filter((line) => line.startsWith("id=")).length;
      const deadline = Date.now() + 5000;
      // The server must have accepted the greedy client before its absence from CLIENT LIST means anything.
      while ((await connectionsReceived()) === connectionsBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      while ((await clientCount()) > 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await clientCount(), "the greedy client was dropped").toBe(1);
      socket.resume();
      await closed;
    } finally {
      await server.stop();
    }
  });
});

describe("shardline-node shutdown", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`on ${signal}: stops listening, ends clients, logs and exits 0`, async () => {
      const port = await freePort();
      const node = await startNode(["--port", String(port)]);
      const client = await connect(port);
      expect(await client.command("SET", "k", "v")).toBe("+OK\r\n");
      const exited = await node.signal(signal);
      expect(exited.code).toBe(0);
      expect(exited.signal).toBeNull();
      expect(await client.waitClosed()).toBe(true);
      const messages = parseLogLines(exited.stdout).map((line) => line.msg);
      expect(messages).toContain(`Received ${signal}, shutting down`);
      expect(messages.at(-1)).toBe("shardline-node is now ready to exit, bye bye");
      await expect(RawConnection.connect(port)).rejects.toThrow(/ECONNREFUSED/);
    });
  }

  it("shuts down promptly with a client blocked and another mid-pipeline", async () => {
    const port = await freePort();
    const node = await startNode(["--port", String(port)]);
    const blocked = await connect(port);
    blocked.write("*3\r\n$5\r\nBLPOP\r\n$4\r\nlist\r\n$1\r\n0\r\n");
    const partial = await connect(port);
    partial.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nhalf");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const startedMs = Date.now();
    const exited = await node.signal("SIGTERM");
    expect(exited.code).toBe(0);
    expect(Date.now() - startedMs).toBeLessThan(2500);
    expect(await blocked.waitClosed()).toBe(true);
    expect(await partial.waitClosed()).toBe(true);
  });
});
