import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
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

/** Starts shardline-node on a free port with extra `--name value` arguments. */
export async function startShardlineNode(extraArgs: string[] = []): Promise<Spawned> {
  const port = await freePort();
  return spawnServer(process.execPath, [NODE_BIN, "--port", String(port), ...extraArgs], port);
}

/** Starts a real redis-server on a free port, without persistence. */
export async function startRedisServer(extraArgs: string[] = []): Promise<Spawned> {
  const port = await freePort();
  return spawnServer("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1", ...extraArgs], port);
}
