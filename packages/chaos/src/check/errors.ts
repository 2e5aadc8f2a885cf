import type { ErrorKind, Operation } from "../model/history.js";
import type { ErrorCounts } from "../model/report.js";

/**
 * Errors: the operations that ended failed or unknown (after the client's
 * own retries), counted by their error kind; an operation without one (it
 * never completed: the run ended first) counts as "other". `wire` is what
 * the nodes themselves replied with (INFO errorstats deltas, which the
 * runner reads); it is passed through, not computed here.
 */
export function errors(operations: readonly Operation[], wire: Record<string, number>): ErrorCounts {
  const byKind: Partial<Record<ErrorKind, number>> = {};
  let failed = 0;
  let unknown = 0;
  for (const operation of operations) {
    if (operation.outcome === "ok") continue;
    if (operation.outcome === "fail") failed += 1;
    else unknown += 1;
    const kind = operation.errorKind ?? "other";
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  return { byKind, wire: { ...wire }, failed, unknown };
}
