import type { Expectations } from "../model/scenario.js";
import type { CheckResults, ExpectationResult, FailoverFact, LostWrite } from "../model/report.js";
import { listed, ms, plural, shown, sinceStart } from "./format.js";

/** Examples a failure's detail names, at most (the report lists the rest). */
const DETAIL_EXAMPLES_MAX = 3;

/**
 * Holds the results against the scenario's expectations: one result per
 * expectation that is set (an undefined one is measured but not judged),
 * plus the safety checks that always hold unless relaxed: no impossible
 * read (at most `impossibleReads`), no split brain (unless "allowed"), and
 * convergence after the final heal (within `convergedWithinMs`, or at all
 * within the settle bound when it is undefined). An expectation that could
 * not be measured (lost writes without a final read) fails, and says so.
 * The verdict is "fail" when any result fails.
 */
export function judge(expect: Expectations, results: CheckResults): { expectations: ExpectationResult[]; verdict: "pass" | "fail" } {
  const at = (timeMs: number) => sinceStart(timeMs, results.startMs);
  const expectations: ExpectationResult[] = [];
  if (expect.maxUnavailableMs !== undefined) expectations.push(judgeUnavailable(expect.maxUnavailableMs, results, at));
  if (expect.lostAcknowledgedWrites !== undefined) expectations.push(judgeLost("lostAcknowledgedWrites", expect.lostAcknowledgedWrites, results, false, at));
  if (expect.lostAcknowledgedWaitWrites !== undefined) expectations.push(judgeLost("lostAcknowledgedWaitWrites", expect.lostAcknowledgedWaitWrites, results, true, at));
  if (expect.promoted !== undefined) expectations.push(judgePromoted(results.failovers, at));
  expectations.push(judgeConvergence(expect.convergedWithinMs, results));
  if (expect.staleReads !== undefined) expectations.push(judgeReads("staleReads", expect.staleReads, results.reads.stale, results, at));
  expectations.push(judgeReads("impossibleReads", expect.impossibleReads, results.reads.impossible, results, at));
  expectations.push(judgeSplitBrain(expect.splitBrain, results, at));
  if (expect.failovers !== undefined) expectations.push(judgeFailoverCount(expect.failovers, results.failovers, at));
  return { expectations, verdict: expectations.every((e) => e.pass) ? "pass" : "fail" };
}

type At = (timeMs: number) => string;

function judgeUnavailable(limitMs: number, results: CheckResults, at: At): ExpectationResult {
  const worst = results.availability.shards.reduce<(typeof results.availability.shards)[number] | undefined>(
    (w, s) => ((s.longest?.durationMs ?? 0) > (w?.longest?.durationMs ?? 0) ? s : w),
    undefined,
  );
  const actualMs = results.availability.maxUnavailableMs;
  const pass = actualMs <= limitMs;
  const window = worst?.longest;
  const where = worst === undefined || window === undefined ? "" : ` (shard ${worst.shard})`;
  const when = window === undefined ? "" : `: shard ${worst!.shard} took no write from ${at(window.fromMs)} to ${at(window.toMs)}${window.resumed ? "" : ", and writes had not resumed when the workload ended"}`;
  return { name: "maxUnavailableMs", expected: `≤ ${ms(limitMs)}`, actual: `${ms(actualMs)}${where}`, pass, detail: pass ? "" : `over by ${ms(actualMs - limitMs)}${when}` };
}

function judgeLost(name: string, limit: number, results: CheckResults, withWait: boolean, at: At): ExpectationResult {
  const lost = results.lostWrites;
  const count = withWait ? lost.lostWithWait : lost.lost;
  const of = withWait ? `${lost.acknowledgedWithWait} acknowledged with WAIT` : `${lost.acknowledged} acknowledged`;
  const expected = `≤ ${limit} lost`;
  if (lost.unmeasurable !== undefined) {
    return { name, expected, actual: `${count} lost of ${of}, not all measured`, pass: false, detail: `could not be measured: ${lost.unmeasurable}` };
  }
  const pass = count <= limit;
  const examples = lost.examples.filter((write) => !withWait || write.wait).map((write) => describeLost(write, at));
  const detail = pass ? "" : `${count} lost (${count - limit} over): ${listed(examples, DETAIL_EXAMPLES_MAX)}`;
  return { name, expected, actual: `${count} lost of ${of}`, pass, detail };
}

function describeLost(write: LostWrite, at: At): string {
  const what = /^\d+ increments?$/.test(write.value) ? write.value : `value ${write.value}`;
  return `${write.key} (${what}, acknowledged at ${at(write.acknowledgedAtMs)}${write.wait ? " with WAIT" : ""}; final ${shown(write.finalValue)})`;
}

function judgePromoted(failovers: readonly FailoverFact[], at: At): ExpectationResult {
  const automatic = failovers.filter((f) => !f.manual);
  const expected = "least-lagged replica promoted";
  if (automatic.length === 0) return { name: "promoted", expected, actual: "no automatic failover", pass: true, detail: "" };
  const behind = automatic.filter((f) => f.lagRank !== undefined && f.lagRank > 0);
  const undecided = automatic.filter((f) => f.lagRank === undefined);
  const leastLagged = automatic.length - behind.length - undecided.length;
  const pass = behind.length === 0 && undecided.length === 0;
  const problems = [
    ...behind.map((f) => `shard ${f.shard}: ${f.to} promoted at ${at(f.atMs)} with ${plural(f.lagRank!, "replica")} further ahead (offsets ${offsetsOf(f)})`),
    ...undecided.map((f) => `shard ${f.shard}: ${f.to} promoted at ${at(f.atMs)} undecided, the run could not show it: ${f.lagRankUnknownReason ?? "its lag is unknown"}`),
  ];
  return { name: "promoted", expected, actual: `${leastLagged} of ${plural(automatic.length, "automatic failover")} least-lagged`, pass, detail: listed(problems, DETAIL_EXAMPLES_MAX) };
}

function offsetsOf(failover: FailoverFact): string {
  return Object.entries(failover.offsets)
    .map(([node, offset]) => `${node} ${offset}`)
    .join(", ");
}

function judgeConvergence(limitMs: number | undefined, results: CheckResults): ExpectationResult {
  const { converged, withinMs, problems } = results.convergence;
  const expected = limitMs === undefined ? "converged" : `≤ ${ms(limitMs)}`;
  const actual = converged ? ms(withinMs ?? 0) : "not converged";
  const whyNot = `did not converge within the settle bound${problems.length > 0 ? `: ${listed(problems, DETAIL_EXAMPLES_MAX)}` : ""}`;
  if (!converged) return { name: "convergedWithinMs", expected, actual, pass: false, detail: whyNot };
  const pass = limitMs === undefined || (withinMs ?? 0) <= limitMs;
  return { name: "convergedWithinMs", expected, actual, pass, detail: pass ? "" : `over by ${ms((withinMs ?? 0) - limitMs!)}` };
}

function judgeReads(name: "staleReads" | "impossibleReads", limit: number, count: number, results: CheckResults, at: At): ExpectationResult {
  const pass = count <= limit;
  const kind = name === "staleReads" ? "stale" : "impossible";
  const examples = results.reads.examples.filter((read) => read.kind === kind).map((read) => `${read.key} at ${at(read.readAtMs)}: ${read.why}`);
  const detail = pass ? "" : `${count} ${kind} (${count - limit} over): ${listed(examples, DETAIL_EXAMPLES_MAX)}`;
  return { name, expected: `≤ ${limit}`, actual: `${count} of ${plural(results.reads.reads, "read")}`, pass, detail };
}

function judgeSplitBrain(allowed: "none" | "allowed", results: CheckResults, at: At): ExpectationResult {
  const windows = results.splitBrain.windows;
  const pass = allowed === "allowed" || windows.length === 0;
  const described = windows.map((w) => `${w.nodes[0]} and ${w.nodes[1]} both took writes for slots ${slotsText(w.slots)} from ${at(w.fromMs)} to ${at(w.toMs)}`);
  return {
    name: "splitBrain",
    expected: allowed === "allowed" ? "allowed" : "none",
    actual: plural(windows.length, "window"),
    pass,
    detail: pass ? "" : listed(described, DETAIL_EXAMPLES_MAX),
  };
}

function slotsText(slots: readonly [number, number][]): string {
  return slots.map(([first, last]) => (first === last ? `${first}` : `${first}-${last}`)).join(", ");
}

function judgeFailoverCount([min, max]: [number, number], failovers: readonly FailoverFact[], at: At): ExpectationResult {
  const count = failovers.length;
  const pass = count >= min && count <= max;
  const expected = min === max ? `exactly ${plural(min, "failover")}` : `${min}–${max} failovers`;
  const seen = failovers.map((f) => `shard ${f.shard} ${f.from} → ${f.to} at ${at(f.atMs)}${f.manual ? " (manual)" : ""}`);
  const by = count > max ? `${count - max} more than allowed` : `${min - count} fewer than required`;
  const detail = pass ? "" : `${by}${seen.length > 0 ? `: ${listed(seen, DETAIL_EXAMPLES_MAX)}` : ""}`;
  return { name: "failovers", expected, actual: plural(count, "failover"), pass, detail };
}
