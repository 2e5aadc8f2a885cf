import { describe, expect, it } from "vitest";
import { progressLine, PROGRESS_COLUMNS_MAX } from "../src/report/progress.js";
import { renderSummary } from "../src/report/summary.js";
import { syntheticRun, undecidedReport } from "./report-fixtures.js";

describe("renderSummary", () => {
  it("lists every expectation with PASS or FAIL and its figure, in aligned columns", () => {
    const report = syntheticRun().report;
    const lines = renderSummary(report).split("\n");
    const header = lines.findIndex((line) => line.startsWith("EXPECTATION"));
    expect(header).toBeGreaterThan(0);
    const rows = lines.slice(header + 1, header + 1 + report.expectations.length);
    const resultColumn = lines[header]!.indexOf("RESULT");
    const actualColumn = lines[header]!.indexOf("ACTUAL");
    report.expectations.forEach((expectation, index) => {
      const row = rows[index]!;
      expect(row.startsWith(expectation.name)).toBe(true);
      expect(row.slice(resultColumn, resultColumn + 4)).toBe(expectation.pass ? "PASS" : "FAIL");
      expect(row.slice(actualColumn).startsWith(expectation.actual)).toBe(true);
    });
    expect(rows[1]).toContain("by 1: r:… acknowledged at +4.97 s is gone");
  });

  it("gives the verdict, the operations, the failovers and where the files are", () => {
    const text = renderSummary(syntheticRun().report);
    expect(text.split("\n")[0]).toBe("kill-primary: FAIL  (seed 42, 30.0 s, local backend)");
    expect(text).toMatch(/^operations +9,000: 8,8\d\d ok, \d+ failed, \d+ unknown; 300 ops\/s \(ioredis-cluster, 4 clients\)$/m);
    expect(text).toMatch(/^failovers +shard 1: default-0001-001 -> default-0001-002 at \+6\.5 s, 1500 ms after kill default-0001-001 \(primary of shard 1\)$/m);
    expect(text).toMatch(/^report +\/tmp\/run\/report\.html$/m);
    expect(text).toContain("/tmp/run/history.jsonl");
    expect(text).toMatch(/^replay +shardline scenario run scenarios\/kill-primary\.yaml --seed 42$/m);
  });

  it("has no color codes unless asked, and colors PASS, FAIL and the verdict when asked", () => {
    const report = syntheticRun().report;
    expect(renderSummary(report)).not.toContain("\u001b[");
    const colored = renderSummary(report, { color: true });
    expect(colored).toContain("\u001b[32mPASS");
    expect(colored).toContain("\u001b[31mFAIL");
    expect(colored).toContain("\u001b[1m\u001b[31mFAIL\u001b[0m");
    // With the codes taken out it is the plain summary, so the columns stay aligned.
    const ansiCode = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, "g");
    expect(colored.replace(ansiCode, "")).toBe(renderSummary(report));
  });

  it("says why an undecided run could not decide", () => {
    const text = renderSummary(undecidedReport());
    expect(text).toContain("kill-primary: UNDECIDED");
    expect(text).toContain("could not decide: the cluster never reached cluster_state:ok within 60000 ms");
    expect(text).toContain("no expectation was judged");
    expect(text).not.toContain("failovers");
  });

  it("warns of faults that did not happen", () => {
    const report = syntheticRun().report;
    const faults = [{ ...report.faults[0]!, unsupported: "the attach backend cannot kill processes" }];
    expect(renderSummary({ ...report, faults })).toMatch(/^warning +timeline\[0\] kill default-0001-001 \(primary of shard 1\): the attach backend cannot kill processes$/m);
  });
});

describe("progressLine", () => {
  const state = { elapsedMs: 12_000, durationMs: 30_000, opsPerSecond: 1987.4, errors: 3, unknown: 0, fault: "kill default-0001-001 (primary of shard 1)" };

  it("shows time, rate, errors and the fault in effect", () => {
    expect(progressLine(state)).toBe("[ 12.0s / 30.0s]  1987 ops/s  errors 3  unknown 0  fault: kill default-0001-001 (primary of shard 1)");
    expect(progressLine({ ...state, elapsedMs: 5000, fault: undefined })).toBe("[  5.0s / 30.0s]  1987 ops/s  errors 3  unknown 0");
  });

  it("fits 120 columns, cutting the fault's text", () => {
    const long = progressLine({ ...state, fault: `partition ${"default-0001-001 ".repeat(20)}` });
    expect(long).toHaveLength(PROGRESS_COLUMNS_MAX);
    expect(long.endsWith("…")).toBe(true);
    expect(long.startsWith("[ 12.0s / 30.0s]  1987 ops/s  errors 3  unknown 0  fault: partition default-0001-001")).toBe(true);
    const wide = progressLine({ elapsedMs: 3_599_000, durationMs: 3_600_000, opsPerSecond: 123_456, errors: 98_765, unknown: 4321, fault: "x".repeat(500) });
    expect(wide.length).toBeLessThanOrEqual(PROGRESS_COLUMNS_MAX);
  });

  it("keeps to one line whatever the fault's text holds", () => {
    expect(progressLine({ ...state, fault: "kill\ndefault-0001-001\t(primary)" })).toBe("[ 12.0s / 30.0s]  1987 ops/s  errors 3  unknown 0  fault: kill default-0001-001 (primary)");
  });
});
