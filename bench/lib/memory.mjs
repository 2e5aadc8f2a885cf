// Memory per key: the same number of small string keys is loaded into a
// fresh redis-server and a fresh shardline-node, and each server's memory is
// read before and after.
import { setTimeout as sleep } from "node:timers/promises";
import { MEMORY_RATIO_MAX, perKey } from "./report.mjs";
import { loadStringKeys, ReplyError } from "./resp-client.mjs";
import { describeServer, memorySnapshot, startRedisServer, startShardlineNode, withClient } from "./servers.mjs";

/** Value size of the loaded keys: redis-benchmark's default -d 3. */
export const MEMORY_VALUE_BYTES = 3;
/**
 * Redis rehashes its main dictionary incrementally, partly from its 100 ms
 * cron; a short wait after loading lets a rehash in progress finish, so the
 * reading does not count two hash tables.
 */
const AFTER_LOAD_WAIT_MS = 1_000;

/** Loads `keys` keys into a server and returns its readings and bytes per key, or { error }. */
async function measureServer(server, keys, log) {
  try {
    return await withClient(server.port, async (client) => {
      const keysBefore = await client.command("DBSIZE");
      const before = await memorySnapshot(server, client);
      const startedMs = performance.now();
      const load = await loadStringKeys(client, keys, MEMORY_VALUE_BYTES);
      const loadSeconds = (performance.now() - startedMs) / 1000;
      if (load.failures > 0) return { error: `${load.failures} of ${keys} SETs failed, first: ${load.firstFailure}` };
      log(`  ${server.name}: loaded ${keys.toLocaleString("en-US")} keys in ${loadSeconds.toFixed(1)} s`);
      await sleep(AFTER_LOAD_WAIT_MS);
      const after = await memorySnapshot(server, client);
      const keysAfter = await client.command("DBSIZE");
      const keysCounted = typeof keysAfter === "number" && typeof keysBefore === "number" ? keysAfter - keysBefore : undefined;
      if (keysCounted !== undefined && keysCounted !== keys) {
        return { error: `DBSIZE grew by ${keysCounted} while ${keys} distinct keys were loaded` };
      }
      return {
        before,
        after,
        loadSeconds,
        keysCounted,
        keysNote: keysAfter instanceof ReplyError ? `DBSIZE failed (${keysAfter.message.trim()}); key count taken from the ${keys} +OK replies` : undefined,
        rssBytesPerKey: perKey(before.rssBytes, after.rssBytes, keys),
        usedMemoryBytesPerKey: perKey(before.usedMemoryBytes, after.usedMemoryBytes, keys),
        usedMemoryNote: after.usedMemoryNote,
        heapUsedBytesPerKey: perKey(before.heapUsedBytes, after.heapUsedBytes, keys),
      };
    });
  } catch (error) {
    return { error: `${error.message}${server.isRunning() ? "" : ` (${server.name} exited; last output: ${server.output().slice(-400)})`}` };
  }
}

/** Starts a server, runs fn on it and stops it; a server that does not start becomes { error }. */
async function onFreshServer(start, fn, log) {
  let server;
  try {
    server = await start();
  } catch (error) {
    return { error: error.message };
  }
  log(`  started ${describeServer(server)}`);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

/** Runs the memory test on fresh servers (so earlier tests leave nothing behind) and stops them after. */
export async function memoryPhase(keys, log) {
  log(`memory: loading ${keys.toLocaleString("en-US")} string keys (key:NNNNNNNNNNNN = ${"x".repeat(MEMORY_VALUE_BYTES)}) into each server`);
  const result = { keys, valueBytes: MEMORY_VALUE_BYTES };
  result.redis = await onFreshServer(startRedisServer, (server) => measureServer(server, keys, log), log);
  result.shardline = await onFreshServer(() => startShardlineNode({ settleHook: true }), (server) => measureServer(server, keys, log), log);
  const ratio = (a, b) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);
  result.rssRatio = ratio(result.shardline.rssBytesPerKey, result.redis.rssBytesPerKey);
  result.usedMemoryRatio = ratio(result.shardline.usedMemoryBytesPerKey, result.redis.usedMemoryBytesPerKey);
  result.goal = { maxRatio: MEMORY_RATIO_MAX, met: result.rssRatio !== undefined && result.rssRatio <= MEMORY_RATIO_MAX };
  return result;
}
