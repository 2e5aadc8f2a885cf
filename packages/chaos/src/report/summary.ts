import type { Report } from "../model/report.js";
import { count, duration, replayCommand, startOf, verdictWord, wallClock } from "./format.js";

export interface SummaryOptions {
  /** ANSI colors for PASS, FAIL and the verdict (for a TTY); off by default. */
  color?: boolean;
}

const ANSI = { green: "\u001b[32m", red: "\u001b[31m", yellow: "\u001b[33m", bold: "\u001b[1m", reset: "\u001b[0m" };
/** Failovers listed one a line at most; the rest are counted. */
const FAILOVER_LINES_MAX = 10;

/**
 * What the runner prints at the end: the verdict, every expectation with
 * PASS or FAIL and its figure in aligned columns, then the few lines people
 * look for (operations, failovers, where the files are, how to replay).
 */
export function renderSummary(report: Report, options: SummaryOptions = {}): string {
  const paint = (text: string, ...codes: (keyof typeof ANSI)[]) => (options.color === true ? `${codes.map((name) => ANSI[name]).join("")}${text}${ANSI.reset}` : text);
  const verdictColor = report.verdict === "pass" ? "green" : report.verdict === "fail" ? "red" : "yellow";
  const lines = [`${report.scenario.name}: ${paint(verdictWord(report.verdict), "bold", verdictColor)}  (seed ${report.seed}, ${duration(report.workload.durationMs)}, ${report.backend} backend)`];
  if (report.undecidedReason !== undefined) lines.push(`could not decide: ${report.undecidedReason}`);
  lines.push("", ...expectationLines(report, paint), "", ...keyLines(report));
  return `${lines.join("\n")}\n`;
}

type Paint = (text: string, ...codes: (keyof typeof ANSI)[]) => string;

function expectationLines(report: Report, paint: Paint): string[] {
  if (report.expectations.length === 0) return ["no expectation was judged"];
  const rows = report.expectations.map((expectation) => [expectation.name, expectation.expected, expectation.actual, expectation.pass ? "PASS" : "FAIL", expectation.detail]);
  const header = ["EXPECTATION", "EXPECTED", "ACTUAL", "RESULT", "DETAIL"];
  // Widths come from the plain text, so color codes never misalign the columns.
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[], painted: (column: number, padded: string) => string) => {
    // Trailing empty cells are dropped and the last cell is not padded, so no line ends in blanks.
    let columns = row.length;
    while (columns > 1 && row[columns - 1] === "") columns -= 1;
    return row
      .slice(0, columns)
      .map((value, column) => painted(column, column === columns - 1 ? value : value.padEnd(widths[column]!)))
      .join("  ");
  };
  return [
    format(header, (_, padded) => paint(padded, "bold")),
    ...rows.map((row) => format(row, (column, padded) => (column === 3 ? paint(padded, row[3] === "PASS" ? "green" : "red") : padded))),
  ];
}

function keyLines(report: Report): string[] {
  const { workload } = report;
  const figures: [string, string][] = [
    ["operations", `${count(workload.operations)}: ${count(workload.ok)} ok, ${count(workload.failed)} failed, ${count(workload.unknown)} unknown; ${count(workload.opsPerSecond)} ops/s (${workload.client}, ${workload.clients} clients)`],
  ];
  const checks = report.checks;
  if (checks !== undefined) {
    figures.push(["unavailable", `longest ${duration(checks.availability.maxUnavailableMs)} without a successful write on one shard`]);
    figures.push(...failoverLines(report));
    figures.push(["lost writes", `${count(checks.lostWrites.lost)} of ${count(checks.lostWrites.acknowledged)} acknowledged${checks.lostWrites.unmeasurable === undefined ? "" : ` (at least: ${checks.lostWrites.unmeasurable})`}`]);
  }
  const unsupported = report.faults.filter((fault) => fault.unsupported !== undefined || fault.error !== undefined);
  for (const fault of unsupported.slice(0, FAILOVER_LINES_MAX)) figures.push(["warning", `${fault.step} ${fault.description}: ${fault.unsupported ?? fault.error}`]);
  figures.push(["report", report.files.html], ["", report.files.json], ["", report.files.history]);
  const replay = replayCommand(report);
  figures.push(["replay", replay ?? `built in code; seed ${report.seed}`]);
  const width = Math.max(...figures.map(([name]) => name.length));
  return figures.filter(([, value]) => value !== "").map(([name, value]) => `${name.padEnd(width)}  ${value}`);
}

function failoverLines(report: Report): [string, string][] {
  const failovers = report.checks?.failovers ?? [];
  if (failovers.length === 0) return [["failovers", "none"]];
  const startMs = startOf(report);
  const lines = failovers.slice(0, FAILOVER_LINES_MAX).map((failover, index): [string, string] => {
    const cause = failover.sinceFaultMs === undefined ? (failover.manual ? "manual" : "no fault caused it") : `${duration(failover.sinceFaultMs)} after ${failover.causedBy ?? "a fault"}`;
    return [index === 0 ? "failovers" : "", `shard ${failover.shard}: ${failover.from} -> ${failover.to} at ${wallClock(failover.atMs, startMs)}, ${cause}`];
  });
  if (failovers.length > FAILOVER_LINES_MAX) lines.push(["", `and ${failovers.length - FAILOVER_LINES_MAX} more (report.json)`]);
  return lines;
}
