import { describe, expect, it } from "vitest";
import type { Report, TimelineData } from "../src/model/report.js";
import { downsample, faultIntervals } from "../src/report/chart.js";
import { renderHtml } from "../src/report/html.js";
import { syntheticRun, undecidedReport } from "./report-fixtures.js";

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

/** Any reference to something outside the page: a remote src/href, a stylesheet or script link, a CSS import or url(). */
const EXTERNAL = /(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\/|<link\b|<script\b|@import|url\(/i;

function hostileReport(): Report {
  const report = syntheticRun().report;
  return {
    ...report,
    scenario: { name: `evil ${HOSTILE}`, description: `description ${HOSTILE} & "quotes"`, file: "scenarios/it's here.yaml" },
    faults: [{ ...report.faults[0]!, description: `kill ${HOSTILE}`, unsupported: `cannot ${HOSTILE}` }, report.faults[1]!],
    expectations: [{ name: "maxUnavailableMs", expected: "<= 5000 ms", actual: HOSTILE, pass: false, detail: HOSTILE }],
    timeline: { ...report.timeline!, markers: [{ tMs: 5000, label: HOSTILE, kind: "fault" }] },
  };
}

describe("renderHtml", () => {
  it("escapes every text from the scenario, the faults and the checks", () => {
    const page = renderHtml(hostileReport());
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).toContain("evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page).toContain("&amp; &quot;quotes&quot;");
    // The replay command quotes the file name for the shell, escaped for HTML.
    expect(page).toContain("shardline scenario run &#39;scenarios/it&#39;\\&#39;&#39;s here.yaml&#39; --seed 42");
  });

  it("refers to nothing outside the page but the run's own files, relatively", () => {
    const page = renderHtml(syntheticRun().report);
    expect(page).not.toMatch(EXTERNAL);
    expect(page).not.toMatch(/https?:/i);
    expect(page).toContain(`href="report.json"`);
    expect(page).toContain(`href="history.jsonl"`);
    expect(page).toContain("<svg");
  });

  it("shows the verdict, every expectation and the sections a user looks for", () => {
    const report = syntheticRun().report;
    const page = renderHtml(report);
    expect(page).toMatch(/<div class="verdict fail">FAIL<\/div>/);
    for (const expectation of report.expectations) expect(page).toContain(`<code>${expectation.name}</code>`);
    expect(page.match(/class="badge pass">PASS/g)).toHaveLength(4);
    expect(page.match(/class="badge fail">FAIL/g)).toHaveLength(1);
    for (const id of ["timeline", "faults", "failovers", "availability", "errors", "lost-writes", "reads", "split-brain", "convergence", "topology", "replay"]) expect(page).toContain(`<section id="${id}">`);
    expect(page).toContain("default-0001-001 <span class=\"arrow\">→</span> <strong>default-0001-002</strong>");
    expect(page).toContain("1500 ms after kill default-0001-001 (primary of shard 1)");
    expect(page).toContain("shardline scenario run scenarios/kill-primary.yaml --seed 42");
  });

  it("never shows the cluster's secrets", () => {
    const page = renderHtml(syntheticRun().report);
    expect(page).not.toContain("hunter2");
    expect(page).not.toContain("bus-secret-value");
    expect(page).toContain("requirepass (redacted)");
  });

  it("shows an unsupported fault in the warning style", () => {
    const page = renderHtml(hostileReport());
    expect(page).toContain(`<tr class="warned">`);
    expect(page).toContain(`<span class="warning">⚠ not supported here: cannot &lt;script&gt;`);
    expect(page).toContain("1 of 2 fault steps did not happen as written");
  });

  it("renders an undecided run without checks, timeline or operations", () => {
    const page = renderHtml(undecidedReport());
    expect(page).toContain(`<div class="verdict undecided">UNDECIDED</div>`);
    expect(page).toContain("The run could not decide: the cluster never reached cluster_state:ok within 60000 ms");
    expect(page).toContain("No timeline: the workload did not run.");
    expect(page).toContain("No expectation was judged.");
    expect(page).not.toContain("<svg");
  });

  it("renders a timeline without operations or markers", () => {
    const report = undecidedReport();
    const empty: TimelineData = { bucketMs: 1000, buckets: [], primaries: [{ shard: 1, segments: [] }], markers: [] };
    const page = renderHtml({ ...report, timeline: empty, workload: { ...report.workload, durationMs: 0 } });
    expect(page).toContain("<svg");
    expect(page).toContain("The workload completed no operation.");
    expect(page).not.toMatch(/NaN|Infinity|undefined/);
  });

  it("has no NaN, Infinity or undefined anywhere in a full report", () => {
    expect(renderHtml(syntheticRun().report)).not.toMatch(/NaN|Infinity|undefined/);
  });

  it("stays within a few MB for an hour of a six-shard cluster with a fault every 10 s", () => {
    const report = syntheticRun().report;
    const shards = [1, 2, 3, 4, 5, 6];
    const buckets = Array.from({ length: 3600 }, (_, second) => ({
      tMs: second * 1000,
      shards: shards.map((shard) => ({ shard, ok: 1900 + ((second * shard) % 97), failed: second % 10 === 0 ? 20 : 0, unknown: second % 10 === 1 ? 3 : 0, latencyP50Ms: 0.6 + (second % 7) / 10, latencyP99Ms: 3 + (second % 13), latencyMaxMs: 40 })),
      errorsByKind: second % 10 === 0 ? { CLUSTERDOWN: 120 } : {},
    }));
    const markers = Array.from({ length: 720 }, (_, index) => ({ tMs: index * 5000, label: `${index % 2 === 0 ? "kill" : "restart"} default-000${1 + (index % 6)}-001`, kind: index % 2 === 0 ? ("fault" as const) : ("heal" as const) }));
    const faults = markers.map((marker, index) => ({ tMs: marker.tMs, step: `chaos[${index}]`, do: marker.kind === "fault" ? "kill" : "restart", targets: [`default-000${1 + (Math.floor(index / 2) % 6)}-001`], description: marker.label }));
    const timeline: TimelineData = { bucketMs: 1000, buckets, primaries: shards.map((shard) => ({ shard, segments: [{ fromMs: 0, toMs: 3_600_000, node: `default-000${shard}-001` }] })), markers };
    const page = renderHtml({ ...report, timeline, faults, workload: { ...report.workload, durationMs: 3_600_000 } });
    expect(page.length).toBeLessThan(3_000_000);
    expect(page).toContain("and 420 more in report.json");
  });
});

describe("the chart's helpers", () => {
  it("merges buckets in equal groups to at most the points asked for, keeping the counts", () => {
    const buckets = Array.from({ length: 1000 }, (_, second) => ({ tMs: second * 1000, shards: [{ shard: 1, ok: 10, failed: 1, unknown: 0, latencyP50Ms: second % 2 === 0 ? 1 : 3, latencyP99Ms: second === 500 ? 900 : 5, latencyMaxMs: 9 }], errorsByKind: { timeout: 1 } }));
    const merged = downsample({ bucketMs: 1000, buckets, primaries: [], markers: [] }, 400);
    expect(merged.bucketMs).toBe(3000);
    expect(merged.buckets).toHaveLength(334);
    expect(merged.buckets[0]!.shards[0]).toMatchObject({ ok: 30, failed: 3, latencyP50Ms: (1 * 11 + 3 * 11 + 1 * 11) / 33, latencyP99Ms: 5 });
    expect(merged.buckets[166]!.shards[0]!.latencyP99Ms).toBe(900);
    expect(merged.buckets[0]!.errorsByKind).toEqual({ timeout: 3 });
  });

  it("shades from each lasting fault to the heal that undoes it", () => {
    const fault = (tMs: number, action: string, targets: string[], step = "timeline") => ({ tMs, step, do: action, targets, description: action });
    const spans = faultIntervals(
      [
        fault(5000, "kill", ["a"]),
        fault(6000, "partition", ["b"]),
        fault(8000, "failover", ["c"]),
        fault(9000, "heal", []),
        fault(10_000, "latency", ["e"], "timeline[4]"),
        fault(12_000, "pause", ["d"]),
        fault(14_000, "unknown-thing", ["f"]),
        fault(20_000, "restart", ["a"]),
        fault(25_000, "stop", ["g"]),
        fault(28_000, "heal", [], "final-heal"),
      ],
      30_000,
    );
    expect(spans).toEqual([
      { fromMs: 5000, toMs: 20_000 },
      { fromMs: 6000, toMs: 9000 },
      { fromMs: 10_000, toMs: 28_000 },
      { fromMs: 12_000, toMs: 28_000 },
      { fromMs: 25_000, toMs: 28_000 },
    ]);
    expect(faultIntervals([fault(1000, "pause", ["d"])], 30_000)).toEqual([{ fromMs: 1000, toMs: 30_000 }]);
  });
});
