import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built shardline-node entry point (tests run after `tsc -b`). */
export const NODE_BIN = fileURLToPath(new URL("../../packages/server/dist/bin.js", import.meta.url));

/** Whether a program is on PATH; tests that need it skip with a printed reason when it is not. */
export function hasProgram(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

export const redisServerAvailable = hasProgram("redis-server");
export const redisCliAvailable = hasProgram("redis-cli");

/** Prints why a group of tests is skipped, so a skip is never silent. */
export function skipReason(available: boolean, what: string): boolean {
  if (!available) console.warn(`skipping: ${what} is not installed (npm run setup installs redis-server and redis-tools)`);
  return !available;
}

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port, or rejects after timeoutMs. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every process a test file started, killed on exit even when a test fails. */
const started = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of started) child.kill("SIGKILL");
});

export interface Spawned {
  port: number;
  process: ChildProcess;
  /** stdout+stderr so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

async function spawnServer(command: string, args: string[], port: number): Promise<Spawned> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  started.add(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await Promise.race([
      waitForPort(port),
      exited.then(() => {
        throw new Error(`${command} exited before listening:\n${output}`);
      }),
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    started.delete(child);
    throw error;
  }
  return {
    port,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
      }
      started.delete(child);
    },
  };
}

/** Starts shardline-node with extra `--name value` arguments, on a free port unless they name one with --port. */
export async function startShardlineNode(extraArgs: string[] = []): Promise<Spawned> {
  const given = extraArgs.indexOf("--port");
  if (given >= 0) return spawnServer(process.execPath, [NODE_BIN, ...extraArgs], Number(extraArgs[given + 1]));
  const port = await freePort();
  return spawnServer(process.execPath, [NODE_BIN, "--port", String(port), ...extraArgs], port);
}

/** Starts a real redis-server on a free port, without persistence. */
export async function startRedisServer(extraArgs: string[] = []): Promise<Spawned> {
  const port = await freePort();
  // A directory of its own: a redis-server started in the repository would load (and could write) a dump.rdb there.
  const dir = mkdtempSync(join(tmpdir(), "shardline-redis-"));
  const spawned = await spawnServer("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1", "--dir", dir, ...extraArgs], port);
  const stop = spawned.stop;
  spawned.stop = async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return spawned;
}

/** Whether host:port can be listened on right now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A base port such that `count` consecutive ports from it, and the same
 * ports plus `offset` (cluster bus ports), were all free a moment ago.
 * `offset + count` must leave room below 32768.
 */
export async function freePortRange(count: number, offset: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    // Below Linux's ephemeral range (32768+), where outgoing connections would take ports at random.
    const base = 15000 + Math.floor(Math.random() * (32768 - offset - count - 15000));
    let free = true;
    for (let i = 0; i < count && free; i++) free = (await portIsFree(base + i)) && (await portIsFree(base + offset + i));
    if (free) return base;
  }
  throw new Error(`no free range of ${count} ports (and +${offset}) found`);
}
