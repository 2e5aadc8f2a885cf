import type { WorkloadClient, WorkloadSpec } from "../model/scenario.js";
import { FieldError } from "./errors.js";
import { DEFAULT_WAIT, DEFAULT_WORKLOAD, SCENARIO_LIMITS } from "./limits.js";
import type { TopologyFacts } from "./targets.js";
import { readChoice, readDuration, readInteger, readMapping, readNumber, readRate, type Field } from "./values.js";

export const WORKLOAD_CLIENTS: readonly WorkloadClient[] = ["ioredis-cluster", "node-redis-cluster"];
const WORKLOAD_FIELDS = ["client", "rate", "clients", "concurrency", "keys", "mix", "wait", "commandTimeout", "reads", "slotsRefreshInterval"] as const;
const MIX_FIELDS = ["set", "get", "incr"] as const;
const WAIT_FIELDS = ["replicas", "timeout", "every"] as const;

/** The workload: the file's fields over DEFAULT_WORKLOAD; an absent `workload` is all defaults. */
export function readWorkload(field: Field | undefined, facts: TopologyFacts): WorkloadSpec {
  if (field === undefined) return { ...DEFAULT_WORKLOAD, mix: { ...DEFAULT_WORKLOAD.mix }, wait: undefined };
  const fields = readMapping(field, WORKLOAD_FIELDS, "{rate: 2000/s, clients: 4}");
  const limits = SCENARIO_LIMITS;
  const commandTimeoutMs =
    fields.commandTimeout === undefined ? DEFAULT_WORKLOAD.commandTimeoutMs : readDuration(fields.commandTimeout, { minMs: 1, maxMs: limits.commandTimeoutMsMax });
  const client = fields.client === undefined ? DEFAULT_WORKLOAD.client : readChoice(fields.client, WORKLOAD_CLIENTS);
  let slotsRefreshIntervalMs: number | undefined;
  if (fields.slotsRefreshInterval !== undefined) {
    if (client !== "ioredis-cluster") throw new FieldError(fields.slotsRefreshInterval.path, "only ioredis-cluster refreshes its slot map on a timer; node-redis does so only on MOVED and ASK: leave it out");
    slotsRefreshIntervalMs = readDuration(fields.slotsRefreshInterval, { minMs: 100, maxMs: limits.commandTimeoutMsMax });
  }
  return {
    client,
    ratePerSecond: fields.rate === undefined ? DEFAULT_WORKLOAD.ratePerSecond : readRate(fields.rate, limits.ratePerSecondMax),
    clients: fields.clients === undefined ? DEFAULT_WORKLOAD.clients : readInteger(fields.clients, 1, limits.clientsMax),
    concurrency: fields.concurrency === undefined ? DEFAULT_WORKLOAD.concurrency : readInteger(fields.concurrency, 1, limits.concurrencyMax),
    keys: fields.keys === undefined ? DEFAULT_WORKLOAD.keys : readInteger(fields.keys, 1, limits.keysMax),
    mix: fields.mix === undefined ? { ...DEFAULT_WORKLOAD.mix } : readMix(fields.mix),
    wait: fields.wait === undefined ? undefined : readWait(fields.wait, facts, commandTimeoutMs),
    commandTimeoutMs,
    reads: fields.reads === undefined ? DEFAULT_WORKLOAD.reads : readChoice(fields.reads, ["primary", "replica"] as const),
    ...(slotsRefreshIntervalMs === undefined ? {} : { slotsRefreshIntervalMs }),
  };
}

/** Any subset of set, get and incr (the rest 0), normalised to sum 1. */
function readMix(field: Field): WorkloadSpec["mix"] {
  const fields = readMapping(field, MIX_FIELDS, "{set: 0.5, get: 0.4, incr: 0.1}");
  const share = (name: (typeof MIX_FIELDS)[number]): number => (fields[name] === undefined ? 0 : readNumber(fields[name], 0, 1_000_000));
  const raw = { set: share("set"), get: share("get"), incr: share("incr") };
  const total = raw.set + raw.get + raw.incr;
  if (total === 0) throw new FieldError(field.path, "the shares are all 0: give at least one of set, get, incr a share above 0, e.g. {set: 0.5, get: 0.5}");
  return { set: raw.set / total, get: raw.get / total, incr: raw.incr / total };
}

/**
 * WAIT after every `every`-th SET. It can ask for at most the replicas a
 * shard has, and must time out before the client gives up on the command,
 * or every WAIT would end as an unknown outcome rather than a count.
 */
function readWait(field: Field, facts: TopologyFacts, commandTimeoutMs: number): WorkloadSpec["wait"] {
  const fields = readMapping(field, WAIT_FIELDS, "{replicas: 1, timeout: 200ms, every: 10}");
  if (facts.replicasPerShard === 0) throw new FieldError(field.path, "the topology has no replicas (replicasPerShard: 0), so there is nothing to WAIT for: leave wait out");
  const replicas = fields.replicas === undefined ? DEFAULT_WAIT.replicas : readInteger(fields.replicas, 1, facts.replicasPerShard);
  const timeoutMs = fields.timeout === undefined ? DEFAULT_WAIT.timeoutMs : readDuration(fields.timeout, { minMs: 1 });
  if (timeoutMs >= commandTimeoutMs) {
    throw new FieldError(fields.timeout?.path ?? field.path, `WAIT's timeout (${timeoutMs}ms) must be shorter than workload.commandTimeout (${commandTimeoutMs}ms), or no WAIT would return its count`);
  }
  const every = fields.every === undefined ? DEFAULT_WAIT.every : readInteger(fields.every, 1, SCENARIO_LIMITS.waitEveryMax);
  return { replicas, timeoutMs, every };
}
