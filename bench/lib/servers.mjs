// Starting the two servers under test, and reading their memory figures.
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, removeScratchDirectory, residentBytes, scratchDirectory, startServer } from "./processes.mjs";
import { parseInfo, ReplyError, RespClient } from "./resp-client.mjs";

export const SHARDLINE_BIN = fileURLToPath(new URL("../../packages/server/dist/bin.js", import.meta.url));
const SETTLE_HOOK_URL = new URL("./settle-hook.mjs", import.meta.url).href;
/** How long shardline-node may take to answer the settle signal (two full GCs of a heap with millions of objects). */
const SETTLE_TIMEOUT_MS = 30_000;
/** Pause after a GC before reading RSS, so pages the collector returned are gone from the count. */
const RSS_SETTLE_MS = 500;

/**
 * Starts a real redis-server on a free port, without persistence, in a
 * scratch directory of its own: started in the project directory it would
 * load any dump.rdb lying there and measure someone else's keys.
 */
export async function startRedisServer() {
  const port = await freePort();
  const directory = scratchDirectory("shardline-bench-redis-");
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory];
  let server;
  try {
    server = await startServer("redis-server", "redis-server", args, port);
  } catch (error) {
    removeScratchDirectory(directory);
    throw error;
  }
  const stop = async () => {
    await server.stop();
    removeScratchDirectory(directory);
  };
  return { kind: "redis", ...server, stop };
}

/**
 * Starts shardline-node on a free port. With `settleHook` the node runs with
 * --expose-gc and bench/lib/settle-hook.mjs preloaded, so settle() can force a
 * full collection before memory is read.
 */
export async function startShardlineNode({ settleHook = false } = {}) {
  const port = await freePort();
  const nodeFlags = settleHook ? ["--expose-gc", "--import", SETTLE_HOOK_URL] : [];
  const args = [...nodeFlags, SHARDLINE_BIN, "--port", String(port), "--bind", "127.0.0.1"];
  const server = await startServer("shardline-node", process.execPath, args, port);
  return { kind: "shardline", settleHook, settleCount: 0, ...server };
}

/** Forces full GCs in a shardline-node started with settleHook; resolves with its process.memoryUsage(). */
export async function settle(server) {
  if (!server.settleHook) throw new Error("settle() needs a shardline-node started with { settleHook: true }");
  server.settleCount++;
  const marker = `shardline-bench-settled ${server.settleCount} `;
  process.kill(server.pid, "SIGUSR2");
  const deadlineMs = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const stderr = server.stderr();
    const at = stderr.lastIndexOf(marker);
    const lineEnd = at < 0 ? -1 : stderr.indexOf("\n", at);
    if (lineEnd > 0) return JSON.parse(stderr.slice(at + marker.length, lineEnd));
    if (!server.isRunning()) throw new Error(`shardline-node exited while settling:\n${server.output()}`);
    if (Date.now() > deadlineMs) throw new Error(`shardline-node did not report its memory within ${SETTLE_TIMEOUT_MS} ms of SIGUSR2`);
    await sleep(20);
  }
}

/**
 * used_memory from INFO memory, or { note } saying why there is none (the
 * command fails, or the section has no used_memory field yet).
 */
export async function usedMemory(client) {
  const reply = await client.command("INFO", "memory");
  if (reply instanceof ReplyError) return { note: `INFO memory failed: ${reply.message.trim()}` };
  if (typeof reply !== "string") return { note: `INFO memory replied ${JSON.stringify(reply)}` };
  const field = parseInfo(reply).used_memory;
  if (field === undefined || !/^\d+$/.test(field)) return { note: "INFO memory has no used_memory field" };
  return { bytes: Number(field) };
}

/** One memory reading of a server: RSS, used_memory (when the server reports it) and, for shardline, the V8 heap after a full GC. */
export async function memorySnapshot(server, client) {
  let heapUsedBytes;
  if (server.kind === "shardline") heapUsedBytes = (await settle(server)).heapUsed;
  await sleep(RSS_SETTLE_MS);
  const used = await usedMemory(client);
  return { rssBytes: residentBytes(server.pid), usedMemoryBytes: used.bytes, usedMemoryNote: used.note, heapUsedBytes };
}

/** "redis-server (pid 123, port 4567)": printed so a user can find the processes of a run. */
export function describeServer(server) {
  return `${server.name} (pid ${server.pid}, port ${server.port})`;
}

/** Connects, runs fn(client) and closes, whatever happens. */
export async function withClient(port, fn) {
  const client = await RespClient.connect(port);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
