import { keyHashSlot, Random } from "@shardline/core";
import IORedis from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "../../../test/support/cluster.js";
import { pairOperations, type HistoryEntry, type Operation } from "../src/model/history.js";
import type { WorkloadClient, WorkloadSpec } from "../src/model/scenario.js";
import type { SeedAddress } from "../src/workload/adapter.js";
import { readFinalValues, touchedKeys } from "../src/workload/final-values.js";
import { HistoryRecorder } from "../src/workload/recorder.js";
import { CLIENT_TIMEOUT_GRACE_MS, Workload } from "../src/workload/workload.js";

const Redis = IORedis.default ?? IORedis;

const SPEC: WorkloadSpec = {
  client: "ioredis-cluster",
  ratePerSecond: 500,
  clients: 3,
  concurrency: 8,
  // Few enough keys that some take several writes, to exercise the final-value rule below.
  keys: 2000,
  mix: { set: 0.5, get: 0.4, incr: 0.1 },
  wait: { replicas: 1, timeoutMs: 500, every: 5 },
  commandTimeoutMs: 1000,
  reads: "primary",
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sockets and timers this process holds: a stopped workload must leave none of its own. */
function handleCount(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap" || name === "Timeout").length;
}

async function handlesBackTo(count: number, timeoutMs = 3000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (handleCount() > count && Date.now() < deadline) await sleep(20);
  return handleCount();
}

/**
 * The values a register may hold at the end of a quiet run: those of the
 * acknowledged SETs not followed, in real time, by another acknowledged SET
 * to the key (one that was invoked after they completed).
 */
function allowedFinals(sets: Operation[]): Set<string> {
  const lastInvokeMs = Math.max(...sets.map((s) => s.invokeMs));
  return new Set(sets.filter((s) => s.completeMs! >= lastInvokeMs).map((s) => s.written!));
}

async function runWorkload(spec: WorkloadSpec, seeds: SeedAddress[], durationMs: number, during?: () => Promise<void>): Promise<{ entries: readonly HistoryEntry[]; workload: Workload; stopMs: number }> {
  const recorder = new HistoryRecorder();
  const workload = new Workload({ spec, seeds, random: new Random(20_251_202), recorder });
  await workload.start();
  let stopStartedMs = 0;
  try {
    await (during ?? (() => sleep(durationMs)))();
  } finally {
    stopStartedMs = Date.now();
    await workload.stop();
  }
  return { entries: recorder.entries(), workload, stopMs: Date.now() - stopStartedMs };
}

/** GETs the replicas have served, from INFO commandstats. */
async function replicaGetCalls(replicas: { host: string; port: number }[]): Promise<number> {
  let total = 0;
  for (const node of replicas) {
    const redis = new Redis({ host: node.host, port: node.port, maxRetriesPerRequest: 1 });
    redis.on("error", () => {});
    try {
      const info = await redis.info("commandstats");
      total += Number(/cmdstat_get:calls=(\d+)/.exec(info)?.[1] ?? 0);
    } finally {
      redis.disconnect();
    }
  }
  return total;
}

describe("the workload against the default nine-node cluster", () => {
  let cluster: TestCluster;
  let seeds: SeedAddress[];

  beforeAll(async () => {
    cluster = await startTestCluster("workload");
    seeds = cluster.state.nodes.slice(0, 3).map((node) => ({ host: node.host, port: node.port }));
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  beforeEach(async () => {
    // Each run judges its own writes only.
    for (const node of cluster.state.nodes.filter((n) => n.initialRole === "primary")) {
      const redis = new Redis({ host: node.host, port: node.port, maxRetriesPerRequest: 1 });
      redis.on("error", () => {});
      try {
        await redis.flushall().catch(() => {});
      } finally {
        redis.disconnect();
      }
    }
  });

  for (const client of ["ioredis-cluster", "node-redis-cluster"] as WorkloadClient[]) {
    it(`${client}: 3 s at 500 ops/s, all acknowledged, the history pairs up and the final values follow from it`, async () => {
      const handlesBefore = handleCount();
      const { entries, workload } = await runWorkload({ ...SPEC, client }, seeds, 3000);

      const ranMs = workload.stoppedAtMs! - workload.startedAtMs!;
      const operations = pairOperations(entries);
      const invokes = entries.filter((e) => e.type === "invoke");
      expect(operations.length).toBe(invokes.length);
      expect(operations.length).toBeGreaterThan((ranMs * 0.5) / 2);
      expect(operations.length).toBeLessThan((ranMs * 0.5) * 1.05 + 10);
      expect(operations.length).toBeGreaterThan(1000);
      const notOk = operations.filter((o) => o.outcome !== "ok");
      expect(notOk.map((o) => `${o.f} ${o.key}: ${o.outcome} ${o.error}`)).toEqual([]);

      const waited = operations.filter((o) => o.wait);
      expect(waited.length).toBeGreaterThan(30);
      expect(waited.filter((o) => !(o.waitReplicas! >= 1))).toEqual([]);

      const keys = touchedKeys(entries);
      const finals = await readFinalValues(keys, seeds, undefined, { timeoutMs: 20_000 });
      expect(Object.keys(finals).sort()).toEqual([...keys].sort());
      for (const key of keys.filter((k) => k.startsWith("r:"))) {
        const allowed = allowedFinals(operations.filter((o) => o.f === "set" && o.key === key));
        expect(allowed.has(finals[key] as string), `${key} ends as ${finals[key]}, expected one of ${[...allowed].join(", ")}`).toBe(true);
      }
      for (const key of keys.filter((k) => k.startsWith("c:"))) {
        expect(finals[key]).toBe(operations.filter((o) => o.f === "incr" && o.key === key).length);
      }
      const reads = operations.filter((o) => o.f === "get");
      expect(reads.length).toBeGreaterThan(300);

      expect(await handlesBackTo(handlesBefore)).toBeLessThanOrEqual(handlesBefore);
    }, 60_000);
  }

  it("reads: replica sends the GETs to replicas on READONLY connections, with both clients", async () => {
    const replicas = cluster.state.nodes.filter((n) => n.initialRole === "replica");
    for (const client of ["ioredis-cluster", "node-redis-cluster"] as WorkloadClient[]) {
      const before = await replicaGetCalls(replicas);
      const { entries } = await runWorkload({ ...SPEC, client, reads: "replica", ratePerSecond: 300 }, seeds, 1500);
      const operations = pairOperations(entries);
      expect(operations.filter((o) => o.outcome !== "ok").map((o) => `${o.f} ${o.key}: ${o.error}`)).toEqual([]);
      const gets = operations.filter((o) => o.f === "get").length;
      // ioredis sends every GET to a replica; node-redis spreads them over the slot's primary and replicas.
      const minimum = client === "ioredis-cluster" ? gets : gets / 3;
      expect((await replicaGetCalls(replicas)) - before, client).toBeGreaterThanOrEqual(minimum);
    }
  }, 60_000);

  it("readFinalValues says null for a key that was never written and fails clearly when the cluster is unreachable", async () => {
    expect(await readFinalValues(["r:never", "c:never"], seeds, undefined, { timeoutMs: 10_000 })).toEqual({ "r:never": null, "c:never": null });
    await expect(readFinalValues(["r:1"], [{ host: "127.0.0.1", port: 1 }], undefined, { timeoutMs: 1000 })).rejects.toThrow(/could not read the final values: .*is the cluster up\?/);
  }, 30_000);

  // These pause a primary long enough for a failover: they run last.
  for (const [client, shard] of [
    ["ioredis-cluster", 1],
    ["node-redis-cluster", 2],
  ] as [WorkloadClient, number][]) {
    it(`${client}: a primary paused (SIGSTOP) for 2 s gives timeouts, not a hung workload`, async () => {
      const primary = cluster.state.nodes.find((n) => n.shard === shard && n.initialRole === "primary")!;
      const [from, to] = primary.slotRanges[0]!;
      const onPausedShard = (key: string) => {
        const slot = keyHashSlot(key);
        return slot >= from && slot <= to;
      };
      const spec = { ...SPEC, client, ratePerSecond: 200, commandTimeoutMs: 500, wait: undefined };
      let pausedAtMs = 0;
      let resumedAtMs = 0;
      const { entries, stopMs } = await runWorkload({ ...spec }, seeds.filter((s) => s.port !== primary.port), 0, async () => {
        await sleep(1000);
        process.kill(primary.pid, "SIGSTOP");
        pausedAtMs = Date.now();
        try {
          await sleep(2000);
        } finally {
          process.kill(primary.pid, "SIGCONT");
          resumedAtMs = Date.now();
        }
        await sleep(1000);
      });

      const operations = pairOperations(entries);
      expect(operations.filter((o) => o.completeMs === undefined)).toEqual([]);
      expect(stopMs).toBeLessThan(spec.commandTimeoutMs + 2500);
      const duringPause = operations.filter((o) => o.invokeMs >= pausedAtMs + 50 && o.invokeMs <= resumedAtMs - spec.commandTimeoutMs);
      const pausedShard = duringPause.filter((o) => onPausedShard(o.key));
      const otherShards = duringPause.filter((o) => !onPausedShard(o.key));
      expect(pausedShard.length).toBeGreaterThan(20);
      // The paused shard's operations time out (some may fail fast once the cluster reports the failure), and none outlives its bound.
      expect(pausedShard.filter((o) => o.outcome === "unknown" && o.errorKind === "timeout").length).toBeGreaterThan(pausedShard.length / 2);
      expect(pausedShard.filter((o) => o.outcome === "ok")).toEqual([]);
      expect(operations.filter((o) => o.completeMs! - o.invokeMs > spec.commandTimeoutMs + CLIENT_TIMEOUT_GRACE_MS + 300)).toEqual([]);
      // The other shards went on answering.
      expect(otherShards.filter((o) => o.outcome === "ok").length).toBeGreaterThan(otherShards.length * 0.9);
    }, 60_000);
  }
});
