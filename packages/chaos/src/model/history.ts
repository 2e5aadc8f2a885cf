import { keyHashSlot } from "@shardline/core";
/**
 * The history of a run, in the manner of Jepsen: every operation's
 * invocation and completion, and every fault, with wall-clock times in ms
 * since the epoch (the nodes' own event and write records use the same
 * clock, so they line up). Saved as JSON lines beside the report.
 *
 * Keys and values are chosen so that every read can be checked against the
 * writes: register keys `r:<n>` take SETs of values unique to the run
 * (`<client>-<sequence>`), counter keys `c:<n>` take INCRs, and nothing else
 * writes them.
 */

export type OperationKind = "set" | "get" | "incr";

/**
 * ok: took effect (and for a read, returned `result`); fail: certainly did
 * not take effect (the server refused it); unknown: may or may not have (a
 * timeout or a dropped connection), as Jepsen's `info`.
 */
export type Outcome = "ok" | "fail" | "unknown";

/** What a failed or unknown operation ran into, as the checkers count it. */
export type ErrorKind =
  | "MOVED"
  | "ASK"
  | "CLUSTERDOWN"
  | "READONLY"
  | "NOREPLICAS"
  | "TRYAGAIN"
  | "MASTERDOWN"
  | "LOADING"
  | "redirections"
  | "timeout"
  | "connection"
  | "other";

export interface InvokeEntry {
  type: "invoke";
  /** Unique per run; pairs the invocation with its completion. */
  id: number;
  /** Which client instance (0-based). */
  client: number;
  f: OperationKind;
  key: string;
  /** The value a SET writes. */
  value?: string;
  /** A SET followed by WAIT in the same pipeline. */
  wait?: boolean;
  timeMs: number;
}

export interface CompleteEntry {
  type: Outcome;
  id: number;
  client: number;
  f: OperationKind;
  key: string;
  /** SET: the value written; GET: the value read (null for no key); INCR: the counter after it. */
  value?: string | number | null;
  /** For a SET with WAIT: the replicas WAIT reported (absent when WAIT itself failed). */
  waitReplicas?: number;
  error?: string;
  errorKind?: ErrorKind;
  timeMs: number;
}

/** A fault, or its end, as the runner carried it out. */
export interface FaultEntry {
  type: "fault";
  timeMs: number;
  /** The scenario step it came from ("timeline[2]", "chaos[5]", "final-heal"). */
  step: string;
  do: string;
  /** Node names it resolved to. */
  targets: string[];
  /** One line for people: "kill default-0001-001 (primary of shard 1)". */
  description: string;
  /** Set when the backend cannot cause this fault: the run says so instead of skipping it silently. */
  unsupported?: string;
  /** Set when carrying it out went wrong. */
  error?: string;
}

export type HistoryEntry = InvokeEntry | CompleteEntry | FaultEntry;

/** An invocation paired with its completion: what the checkers read. */
export interface Operation {
  id: number;
  client: number;
  f: OperationKind;
  key: string;
  /** SET: the value written. */
  written?: string;
  wait: boolean;
  invokeMs: number;
  /** Undefined while it never completed (the run ended first): then the outcome is unknown. */
  completeMs: number | undefined;
  outcome: Outcome;
  /** GET: value read; INCR: counter after it. */
  result?: string | number | null;
  waitReplicas?: number;
  error?: string;
  errorKind?: ErrorKind;
}

/** Pairs invocations with completions; an invocation never completed is unknown. */
export function pairOperations(entries: readonly HistoryEntry[]): Operation[] {
  const open = new Map<number, Operation>();
  const done: Operation[] = [];
  for (const entry of entries) {
    if (entry.type === "fault") continue;
    if (entry.type === "invoke") {
      open.set(entry.id, {
        id: entry.id,
        client: entry.client,
        f: entry.f,
        key: entry.key,
        written: entry.value,
        wait: entry.wait === true,
        invokeMs: entry.timeMs,
        completeMs: undefined,
        outcome: "unknown",
      });
      continue;
    }
    const operation = open.get(entry.id);
    if (operation === undefined) continue;
    open.delete(entry.id);
    operation.completeMs = entry.timeMs;
    operation.outcome = entry.type;
    if (entry.f !== "set") operation.result = entry.value;
    if (entry.waitReplicas !== undefined) operation.waitReplicas = entry.waitReplicas;
    if (entry.error !== undefined) operation.error = entry.error;
    if (entry.errorKind !== undefined) operation.errorKind = entry.errorKind;
    done.push(operation);
  }
  done.push(...open.values());
  return done.sort((a, b) => a.id - b.id);
}

/**
 * A key's shard, from `shardOfSlot`; keyHashSlot is a CRC over the key and
 * the workload's keys repeat, so each is hashed once.
 */
export function memoizedShardOfKey(shardOfSlot: (slot: number) => number): (key: string) => number {
  const known = new Map<string, number>();
  return (key) => {
    let shard = known.get(key);
    if (shard === undefined) {
      shard = shardOfSlot(keyHashSlot(key));
      known.set(key, shard);
    }
    return shard;
  };
}
