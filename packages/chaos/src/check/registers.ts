import type { Operation } from "../model/history.js";
import { countBelow } from "./search.js";

/**
 * Everything done to one register key (`r:<n>`), indexed once so the lost
 * write and read checkers answer each question with a binary search
 * instead of a scan: histories hold up to a million operations.
 */
export interface RegisterHistory {
  key: string;
  /** Every SET to the key, whatever its outcome, by the value it wrote (values are unique to the run). */
  setsByValue: Map<string, Operation>;
  /** The SETs that succeeded, by completion time, ascending. */
  okSets: Operation[];
  /** `okSets`' completion times, for binary search. */
  okCompleteMs: number[];
  /** For each i: the index (≤ i) in `okSets` of the one invoked last among the first i + 1. */
  latestInvokedUpTo: number[];
  /** The GETs that returned a value. */
  okGets: Operation[];
}

/** Groups SETs and GETs by key (INCRs are counters, not registers). */
export function registerHistories(operations: readonly Operation[]): Map<string, RegisterHistory> {
  const byKey = new Map<string, RegisterHistory>();
  const historyOf = (key: string): RegisterHistory => {
    let history = byKey.get(key);
    if (history === undefined) {
      history = { key, setsByValue: new Map(), okSets: [], okCompleteMs: [], latestInvokedUpTo: [], okGets: [] };
      byKey.set(key, history);
    }
    return history;
  };
  for (const operation of operations) {
    if (operation.f === "set") addSet(historyOf(operation.key), operation);
    else if (operation.f === "get" && operation.outcome === "ok") historyOf(operation.key).okGets.push(operation);
  }
  for (const history of byKey.values()) index(history);
  return byKey;
}

function addSet(history: RegisterHistory, operation: Operation): void {
  // A value written twice would be a workload bug; the first writer keeps it, so every check still has one writer.
  if (operation.written !== undefined && !history.setsByValue.has(operation.written)) history.setsByValue.set(operation.written, operation);
  if (operation.outcome === "ok" && operation.completeMs !== undefined) history.okSets.push(operation);
}

function index(history: RegisterHistory): void {
  history.okSets.sort((a, b) => a.completeMs! - b.completeMs!);
  history.okCompleteMs = history.okSets.map((operation) => operation.completeMs!);
  let latest = 0;
  history.latestInvokedUpTo = history.okSets.map((operation, i) => {
    if (operation.invokeMs > history.okSets[latest]!.invokeMs) latest = i;
    return latest;
  });
}

/**
 * `earlier` definitely precedes `later` in real time: it succeeded and
 * completed before `later` was invoked. A write whose outcome is unknown or
 * failed never definitely precedes anything.
 */
export function definitelyPrecedes(earlier: Operation, later: Operation): boolean {
  return earlier.outcome === "ok" && earlier.completeMs !== undefined && earlier.completeMs < later.invokeMs;
}

/**
 * Of the SETs that succeeded and completed strictly before `beforeMs`, the
 * one invoked last (undefined when none did): if any of them overwrote a
 * value in real time, this one did.
 */
export function latestInvokedOkSetBefore(history: RegisterHistory, beforeMs: number): Operation | undefined {
  const completed = countBelow(history.okCompleteMs, beforeMs);
  if (completed === 0) return undefined;
  return history.okSets[history.latestInvokedUpTo[completed - 1]!];
}

/** Of the SETs that succeeded and completed strictly before `beforeMs`, the one completed last. */
export function lastCompletedOkSetBefore(history: RegisterHistory, beforeMs: number): Operation | undefined {
  const completed = countBelow(history.okCompleteMs, beforeMs);
  return completed === 0 ? undefined : history.okSets[completed - 1];
}
