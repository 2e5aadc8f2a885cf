import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redisServerAvailable, skipReason, startRedisServer, startShardlineNode, type Spawned } from "./processes.js";
import { RawConnection } from "./raw-client.js";

/**
 * A server an end-to-end test body runs against. Client tests run against
 * shardline-node and, when it is installed, against a real redis-server too:
 * the same assertions passing on Redis show the tests state Redis's
 * behaviour rather than shardline's.
 */
export interface Target {
  name: string;
  isShardline: boolean;
  /** Starts a server of this kind on a free port, verified to be the process just spawned. */
  start(extraArgs?: string[]): Promise<Spawned>;
}

/** Attempts before giving up on finding a port no other test grabbed at the same moment. */
const START_ATTEMPTS = 3;

/**
 * Test files run in parallel, so the free port one picked can be taken by
 * another file's server before ours binds it; ours then exits while the
 * port answers anyway. Asking the server for its process id tells the two
 * apart, so a test never runs (or FLUSHALLs) against another file's server.
 */
async function startVerified(spawn: (args: string[]) => Promise<Spawned>, args: string[]): Promise<Spawned> {
  const passwordIndex = args.indexOf("--requirepass");
  const password = passwordIndex >= 0 ? args[passwordIndex + 1] : undefined;
  for (let attempt = 1; ; attempt++) {
    const spawned = await spawn(args);
    if (await isServedBy(spawned, password)) return spawned;
    await spawned.stop();
    if (attempt === START_ATTEMPTS) throw new Error(`port ${spawned.port} kept answering for another process:\n${spawned.output()}`);
  }
}

async function isServedBy(spawned: Spawned, password: string | undefined): Promise<boolean> {
  const connection = await RawConnection.connect(spawned.port);
  try {
    if (password !== undefined && (await connection.command("AUTH", password)) !== "+OK\r\n") return false;
    const info = await connection.command("INFO", "server");
    return info.includes(`\r\nprocess_id:${spawned.process.pid}\r\n`);
  } finally {
    connection.close();
  }
}

export const SHARDLINE: Target = { name: "shardline-node", isShardline: true, start: (args = []) => startVerified(startShardlineNode, args) };
/**
 * redis-server loads dump.rdb from its working directory at start-up, and
 * the tests run in the repository; a directory of its own keeps every
 * server empty at start whatever other runs left behind.
 */
const redisInFreshDirectory = (args: string[]) => startRedisServer(["--dir", mkdtempSync(join(tmpdir(), "shardline-redis-")), ...args]);

export const REDIS: Target = { name: "redis-server (checks the tests)", isShardline: false, start: (args = []) => startVerified(redisInFreshDirectory, args) };

/** shardline-node, then redis-server when it is installed (the skip is printed when it is not). */
export function clientTargets(): Target[] {
  return skipReason(redisServerAvailable, "redis-server") ? [SHARDLINE] : [SHARDLINE, REDIS];
}
