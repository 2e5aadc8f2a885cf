import type { Operation } from "../model/history.js";
import type { FinalState } from "../model/observations.js";
import type { LostWrite, LostWritesResult } from "../model/report.js";
import { listed, plural } from "./format.js";
import { definitelyPrecedes, registerHistories, type RegisterHistory } from "./registers.js";

/** Lost writes the result lists by name, at most. */
export const LOST_EXAMPLES_MAX = 20;
/** Keys without a final value an explanation names, at most. */
const UNREAD_KEYS_NAMED_MAX = 5;

export interface LostWritesOptions {
  /**
   * Replicas the scenario's WAIT asks for (`workload.wait.replicas`). A SET
   * with WAIT counts as acknowledged with WAIT only when WAIT reported at
   * least this many. Undefined (the scenario asked none): at least one, as
   * a WAIT that reached no replica protects nothing.
   */
  waitReplicasAsked: number | undefined;
}

/**
 * Lost writes: acknowledged writes whose effect is gone from the final
 * state (`final.values`, read after the cluster converged).
 *
 * Register keys (SET). For each key, with `final` its final value, an
 * acknowledged (ok) SET w is lost when:
 *   1. `final` is null: the key is gone, and every acknowledged SET with it;
 *   2. `final` is a value no SET to the key ever wrote: every acknowledged
 *      SET is lost (and the state is corrupt, which is worse);
 *   3. `final` is the value of a SET w' that definitely precedes w (w' ok
 *      and completed before w was invoked): w was overwritten by the past.
 * A SET whose value is the final one, or that is concurrent with or
 * precedes the final value's SET, is not lost. A SET with an unknown or
 * failed outcome never definitely precedes anything, so a final value
 * written by one loses nothing.
 *
 * Counter keys (INCR, whose result is the counter after it). Acknowledged
 * increments are the ok INCRs; each applied at least once, so the final
 * value must be at least their number and at least the largest result an
 * ok INCR returned. Lost increments = max(0, acked − final, largest − final),
 * each counted as one lost write. A final above the acknowledged count is
 * not a loss (an unknown INCR applied, or a client retry applied one twice).
 *
 * A SET is acknowledged with WAIT when it is ok, asked for WAIT, and WAIT
 * reported at least `waitReplicasAsked` replicas; `lostWithWait` counts
 * those among the lost (Principle 4 promises it stays 0 under any single
 * failure).
 *
 * Without a final read (no final state, or the read failed) nothing can be
 * measured: the counts are 0 and `unmeasurable` says why. Keys with
 * acknowledged writes but no final value are skipped the same way.
 */
export function lostWrites(operations: readonly Operation[], final: FinalState | undefined, options: LostWritesOptions): LostWritesResult {
  const waitAsked = options.waitReplicasAsked ?? 1;
  const acknowledged = operations.filter((operation) => operation.outcome === "ok" && operation.f !== "get");
  const acknowledgedWithWait = acknowledged.filter((operation) => ackedWithWait(operation, waitAsked)).length;
  const result: LostWritesResult = { acknowledged: acknowledged.length, acknowledgedWithWait, lost: 0, lostWithWait: 0, examples: [] };
  const whyUnreadable = unreadableReason(final);
  if (whyUnreadable !== undefined) return { ...result, unmeasurable: whyUnreadable };
  const values = final!.values;
  const lost: Loss[] = [];
  const unread: string[] = [];
  for (const history of registerHistories(operations).values()) {
    if (history.okSets.length === 0) continue;
    if (!(history.key in values)) unread.push(history.key);
    else lost.push(...lostSets(history, values[history.key]!, waitAsked));
  }
  for (const [key, increments] of counterHistories(operations)) {
    if (!(key in values)) unread.push(key);
    else lost.push(...lostIncrements(key, increments, values[key]!));
  }
  result.lost = lost.reduce((sum, loss) => sum + loss.writes, 0);
  result.lostWithWait = lost.filter((loss) => loss.write.wait).length;
  result.examples = examples(lost);
  if (unread.length > 0) {
    result.unmeasurable = `no final value was read for ${plural(unread.length, "written key")} (${listed(unread, UNREAD_KEYS_NAMED_MAX)}): their writes were not checked`;
  }
  return result;
}

/** A LostWrite, and how many writes it stands for: one SET, or a counter's missing increments. */
interface Loss {
  write: LostWrite;
  writes: number;
}

function ackedWithWait(operation: Operation, waitAsked: number): boolean {
  return operation.f === "set" && operation.outcome === "ok" && operation.wait && operation.waitReplicas !== undefined && operation.waitReplicas >= waitAsked;
}

function unreadableReason(final: FinalState | undefined): string | undefined {
  if (final === undefined) return "the run recorded no final state (the final heal did not finish), so the keys were never read at the end";
  if (final.valuesUnreadable !== undefined) return `the final read of the keys failed: ${final.valuesUnreadable}`;
  return undefined;
}

/** The acknowledged SETs of one key that the final value shows lost (rules 1–3 above). */
function lostSets(history: RegisterHistory, final: string | number | null, waitAsked: number): Loss[] {
  const finalWriter = typeof final === "string" ? history.setsByValue.get(final) : undefined;
  // Rules 1 and 2: nothing acknowledged survives a missing key or a value nobody wrote.
  const isLost = (set: Operation) => finalWriter === undefined || definitelyPrecedes(finalWriter, set);
  return history.okSets.filter(isLost).map((set) => ({
    write: { key: history.key, value: set.written ?? "", acknowledgedAtMs: set.completeMs!, wait: ackedWithWait(set, waitAsked), finalValue: final },
    writes: 1,
  }));
}

interface CounterAcks {
  acked: number;
  largestResult: number;
  lastAckMs: number;
}

/** Per counter key: how many INCRs were acknowledged, the largest counter one returned, and when the last was. */
function counterHistories(operations: readonly Operation[]): Map<string, CounterAcks> {
  const byKey = new Map<string, CounterAcks>();
  for (const operation of operations) {
    if (operation.f !== "incr" || operation.outcome !== "ok") continue;
    const counter = byKey.get(operation.key) ?? { acked: 0, largestResult: 0, lastAckMs: 0 };
    counter.acked += 1;
    const result = Number(operation.result);
    if (Number.isFinite(result)) counter.largestResult = Math.max(counter.largestResult, result);
    counter.lastAckMs = Math.max(counter.lastAckMs, operation.completeMs ?? 0);
    byKey.set(operation.key, counter);
  }
  return byKey;
}

/** A counter's lost increments as one LostWrite whose value says how many ("3 increments"). */
function lostIncrements(key: string, counter: CounterAcks, final: string | number | null): Loss[] {
  // A missing key is a counter at 0; a value that is no number has kept none of the increments.
  const finalNumber = final === null ? 0 : Number(final);
  const kept = Number.isFinite(finalNumber) ? finalNumber : 0;
  const missing = Math.max(0, counter.acked - kept, counter.largestResult - kept);
  if (missing === 0) return [];
  const write = { key, value: `${missing} increment${missing === 1 ? "" : "s"}`, acknowledgedAtMs: counter.lastAckMs, wait: false, finalValue: final };
  return [{ write, writes: missing }];
}

/** WAIT-acknowledged losses first (they break the promise), then in the order they were acknowledged. */
function examples(lost: readonly Loss[]): LostWrite[] {
  const writes = lost.map((loss) => loss.write);
  return writes.sort((a, b) => Number(b.wait) - Number(a.wait) || a.acknowledgedAtMs - b.acknowledgedAtMs).slice(0, LOST_EXAMPLES_MAX);
}
