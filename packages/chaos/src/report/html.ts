import type { CheckResults, Report } from "../model/report.js";
import { renderChart } from "./chart.js";
import { escapeHtml } from "./escape.js";
import { count, duration, offset, redactedTopology, replayCommand, startOf, verdictWord, wallClock } from "./format.js";
import { CHART_COLORS } from "./scale.js";
import { STYLE } from "./style.js";

/** Rows of the faults table at most; a long chaos schedule keeps the rest in report.json and history.jsonl. */
export const FAULT_ROWS_MAX = 300;
/** Rows of any other list (wire error codes, nodes' problems) at most. */
const LIST_ROWS_MAX = 100;

/** Already-escaped HTML, as opposed to text that a helper must escape. */
interface Html {
  html: string;
}
type Cell = string | number | Html;

const html = (markup: string): Html => ({ html: markup });

function cell(value: Cell): string {
  if (typeof value === "number") return count(value);
  return typeof value === "string" ? escapeHtml(value) : value.html;
}

/** A table; `numeric` names the columns aligned right. */
function table(headers: readonly string[], rows: readonly Cell[][], options: { numeric?: readonly number[]; rowClass?: (row: number) => string } = {}): string {
  const numeric = new Set(options.numeric ?? []);
  const head = headers.map((header, column) => `<th${numeric.has(column) ? ` class="num"` : ""}>${escapeHtml(header)}</th>`).join("");
  const body = rows
    .map((row, index) => {
      const rowClass = options.rowClass?.(index) ?? "";
      const cells = row.map((value, column) => `<td${numeric.has(column) ? ` class="num"` : ""}>${cell(value)}</td>`).join("");
      return `<tr${rowClass === "" ? "" : ` class="${rowClass}"`}>${cells}</tr>`;
    })
    .join("\n");
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

function paragraph(text: string, className = ""): string {
  return `<p${className === "" ? "" : ` class="${className}"`}>${escapeHtml(text)}</p>`;
}

function badge(pass: boolean): Html {
  return html(`<span class="badge ${pass ? "pass" : "fail"}">${pass ? "PASS" : "FAIL"}</span>`);
}

function code(text: string): Html {
  return html(`<code>${escapeHtml(text)}</code>`);
}

/** "and 12 more in report.json", when a list was cut. */
function more(total: number, shown: number, where: string): string {
  return total > shown ? paragraph(`… and ${count(total - shown)} more in ${where}.`, "note") : "";
}

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no
 * script, font, image or link to anything but the run's own files beside
 * it, so it opens from file:// offline and can be attached to a ticket.
 * Every piece of text from the scenario, the cluster or the client is
 * escaped. It renders whatever the run got to: an undecided run without
 * checks or timeline shows why, and the sections it has.
 */
export function renderHtml(report: Report): string {
  const title = `${report.scenario.name}: ${verdictWord(report.verdict)}`;
  const body = [
    header(report),
    keyFigures(report),
    expectationsSection(report),
    timelineSection(report),
    faultsSection(report),
    checksSections(report.checks, report),
    topologySection(report),
    replaySection(report),
  ].join("\n");
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(`shardline · ${title}`)}</title>`,
    `<style>${STYLE}</style></head>`,
    `<body><main>`,
    body,
    `<footer>${escapeHtml(`shardline chaos report · ${report.scenario.name} · seed ${report.seed} · ${report.startedAt}`)}</footer>`,
    `</main></body></html>`,
    "",
  ].join("\n");
}

function header(report: Report): string {
  const verdict = report.verdict;
  const facts: [string, string][] = [
    ["started", report.startedAt],
    ["finished", report.finishedAt],
    ["workload", `${duration(report.workload.durationMs)} with ${report.workload.client}, ${report.workload.clients} clients, up to ${count(report.workload.ratePerSecond)} ops/s`],
    ["backend", report.backend],
    ["seed", String(report.seed)],
  ];
  if (report.scenario.file !== "") facts.push(["scenario file", report.scenario.file]);
  const reason = report.undecidedReason === undefined ? "" : `<p class="undecided-reason">${escapeHtml(`The run could not decide: ${report.undecidedReason}`)}</p>`;
  return [
    `<header class="hero ${verdict}">`,
    `<div class="hero-text"><div class="eyebrow">shardline chaos scenario</div><h1>${escapeHtml(report.scenario.name)}</h1>`,
    report.scenario.description === "" ? "" : paragraph(report.scenario.description, "description"),
    `</div><div class="verdict ${verdict}">${verdictWord(verdict)}</div>`,
    `</header>`,
    reason,
    `<dl class="facts">${facts.map(([name, value]) => `<div><dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd></div>`).join("")}</dl>`,
  ].join("\n");
}

function keyFigures(report: Report): string {
  const { workload, checks } = report;
  const figures: [string, string, string][] = [
    ["operations", count(workload.operations), ""],
    ["ok", count(workload.ok), workload.ok > 0 ? "good" : ""],
    ["failed", count(workload.failed), workload.failed > 0 ? "warn" : ""],
    ["unknown", count(workload.unknown), workload.unknown > 0 ? "warn" : ""],
    ["ops/s", count(workload.opsPerSecond), ""],
  ];
  if (checks !== undefined) {
    figures.push(["longest unavailable", duration(checks.availability.maxUnavailableMs), ""]);
    figures.push(["failovers", count(checks.failovers.length), ""]);
    figures.push(["lost writes", count(checks.lostWrites.lost), checks.lostWrites.lost > 0 ? "bad" : "good"]);
  }
  const cards = figures.map(([name, value, tone]) => `<div class="figure ${tone}"><div class="value">${escapeHtml(value)}</div><div class="name">${escapeHtml(name)}</div></div>`);
  return `<div class="figures">${cards.join("")}</div>`;
}

function expectationsSection(report: Report): string {
  if (report.expectations.length === 0) return section("expectations", "Expectations", paragraph("No expectation was judged.", "note"));
  const rows = report.expectations.map((expectation): Cell[] => [code(expectation.name), expectation.expected, expectation.actual, badge(expectation.pass), expectation.detail]);
  return section("expectations", "Expectations", table(["expectation", "expected", "actual", "result", "detail"], rows, { rowClass: (row) => (report.expectations[row]!.pass ? "" : "failed") }));
}

function timelineSection(report: Report): string {
  if (report.timeline === undefined) return section("timeline", "Timeline", paragraph("No timeline: the workload did not run.", "note"));
  const chart = renderChart(report.timeline, report.faults, report.workload.durationMs);
  const swatch = (color: string, label: string) => `<span class="key"><span class="line" style="background:${color}"></span>${escapeHtml(label)}</span>`;
  const keys = [swatch(CHART_COLORS.fault, "fault"), swatch(CHART_COLORS.heal, "heal, restart or resume"), swatch(CHART_COLORS.failover, "failover completed"), `<span class="key"><span class="span-swatch"></span>fault in effect</span>`];
  const note = report.timeline.buckets.length === 0 ? paragraph("The workload completed no operation.", "note") : "";
  return section("timeline", "Timeline", `${note}<div class="chart">${chart}</div><div class="chart-keys">${keys.join("")}<span class="hint">Hover a line or a band for its details.</span></div>`);
}

function faultsSection(report: Report): string {
  if (report.faults.length === 0) return section("faults", "Faults", paragraph("The run injected no fault.", "note"));
  const shown = report.faults.slice(0, FAULT_ROWS_MAX);
  const rows = shown.map((fault, index): Cell[] => {
    const problem = fault.unsupported !== undefined ? `not supported here: ${fault.unsupported}` : fault.error !== undefined ? `failed: ${fault.error}` : "";
    return [index + 1, offset(fault.tMs), code(fault.step), fault.description, problem === "" ? html(`<span class="ok">done</span>`) : html(`<span class="warning">⚠ ${escapeHtml(problem)}</span>`)];
  });
  const problems = report.faults.filter((fault) => fault.unsupported !== undefined || fault.error !== undefined).length;
  const warning = problems > 0 ? `<div class="callout warn">${escapeHtml(`${problems} of ${report.faults.length} fault steps did not happen as written: the figures below are for the faults that did.`)}</div>` : "";
  const body = warning + table(["#", "at", "step", "what", "outcome"], rows, { numeric: [0], rowClass: (row) => (shown[row]!.unsupported !== undefined || shown[row]!.error !== undefined ? "warned" : "") });
  return section("faults", "Faults", body + more(report.faults.length, shown.length, "report.json"));
}

function checksSections(checks: CheckResults | undefined, report: Report): string {
  if (checks === undefined) {
    const why = report.undecidedReason === undefined ? "" : `: ${report.undecidedReason}`;
    return section("checks", "What the checks found", paragraph(`Nothing was measured${why}.`, "note"));
  }
  const startMs = startOf(report);
  return [failoversSection(checks, startMs), availabilitySection(checks, startMs), errorsSection(checks), lostWritesSection(checks, startMs), readsSection(checks, startMs), splitBrainSection(checks, startMs), convergenceSection(checks)].join("\n");
}

function failoversSection(checks: CheckResults, startMs: number | undefined): string {
  if (checks.failovers.length === 0) return section("failovers", "Failovers", paragraph("No failover happened.", "note"));
  const rows = checks.failovers.map((failover): Cell[] => {
    const since = failover.sinceFaultMs === undefined ? "no fault caused it" : `${duration(failover.sinceFaultMs)} after ${failover.causedBy ?? "a fault"}`;
    const rank = failover.lagRank === undefined ? `unknown${failover.lagRankUnknownReason === undefined ? "" : `: ${failover.lagRankUnknownReason}`}` : failover.lagRank === 0 ? "0 (least-lagged)" : `${failover.lagRank} ahead of it`;
    const offsets = Object.entries(failover.offsets)
      .map(([node, value]) => (node === failover.to ? `<strong>${escapeHtml(node)}: ${count(value)}</strong>` : `${escapeHtml(node)}: ${count(value)}`))
      .join("<br>");
    return [failover.shard, html(`${escapeHtml(failover.from)} <span class="arrow">→</span> <strong>${escapeHtml(failover.to)}</strong>`), wallClock(failover.atMs, startMs), since, rank, html(offsets === "" ? "—" : offsets), failover.manual ? "manual" : "automatic"];
  });
  return section("failovers", "Failovers", table(["shard", "from → to", "at", "time since the fault", "lag rank", "replication offsets", "kind"], rows, { numeric: [0] }));
}

function availabilitySection(checks: CheckResults, startMs: number | undefined): string {
  const rows = checks.availability.shards.map((shard): Cell[] => {
    const longest = shard.longest;
    const window = longest === undefined ? "—" : `${wallClock(longest.fromMs, startMs)} to ${wallClock(longest.toMs, startMs)}${longest.resumed ? "" : " (writes never resumed)"}`;
    return [shard.shard, shard.writesOk, shard.writesFailed, shard.writesUnknown, longest === undefined ? "—" : duration(longest.durationMs), window];
  });
  const lead = paragraph(`The longest time one shard's writes did not succeed: ${duration(checks.availability.maxUnavailableMs)}.`);
  return section("availability", "Availability per shard", lead + table(["shard", "writes ok", "failed", "unknown", "longest without a successful write", "when"], rows, { numeric: [0, 1, 2, 3, 4] }));
}

function errorsSection(checks: CheckResults): string {
  const { errors } = checks;
  const kinds = Object.entries(errors.byKind).sort(([, a], [, b]) => (b ?? 0) - (a ?? 0));
  const wire = Object.entries(errors.wire).sort(([, a], [, b]) => b - a);
  const clientTable = kinds.length === 0 ? paragraph("No operation ended in an error.", "note") : table(["kind", "operations"], kinds.map(([kind, value]): Cell[] => [code(kind), value ?? 0]), { numeric: [1] });
  const wireTable = wire.length === 0 ? paragraph("The nodes sent no error reply.", "note") : table(["error code", "replies"], wire.slice(0, LIST_ROWS_MAX).map(([name, value]): Cell[] => [code(name), value]), { numeric: [1] });
  const lead = paragraph(`${count(errors.failed)} operations failed (certainly not applied) and ${count(errors.unknown)} ended unknown (perhaps applied), after the client's own retries.`);
  return section(
    "errors",
    "Errors by kind",
    `${lead}<div class="columns"><div><h3>What the client saw</h3>${clientTable}</div><div><h3>What the nodes replied (INFO errorstats)</h3>${wireTable}${more(wire.length, LIST_ROWS_MAX, "report.json")}</div></div>`,
  );
}

function lostWritesSection(checks: CheckResults, startMs: number | undefined): string {
  const lost = checks.lostWrites;
  const lead = paragraph(
    `${count(lost.lost)} of ${count(lost.acknowledged)} acknowledged writes are gone at the end; ${count(lost.lostWithWait)} of the ${count(lost.acknowledgedWithWait)} that WAIT confirmed.`,
    lost.lost > 0 ? "bad-text" : "",
  );
  const unmeasurable = lost.unmeasurable === undefined ? "" : `<div class="callout warn">${escapeHtml(`Lost writes could not be fully measured: ${lost.unmeasurable}. The counts are a lower bound.`)}</div>`;
  const examples =
    lost.examples.length === 0
      ? ""
      : `<h3>Examples</h3>${table(
          ["key", "acknowledged value", "acknowledged at", "WAIT", "value at the end"],
          lost.examples.map((write): Cell[] => [code(write.key), code(write.value), wallClock(write.acknowledgedAtMs, startMs), write.wait ? "yes" : "no", code(write.finalValue === null ? "(no key)" : String(write.finalValue))]),
        )}`;
  return section("lost-writes", "Lost writes", unmeasurable + lead + examples);
}

function readsSection(checks: CheckResults, startMs: number | undefined): string {
  const { reads } = checks;
  const lead = paragraph(`${count(reads.reads)} reads checked: ${count(reads.stale)} stale, ${count(reads.impossible)} impossible (a value never written).`, reads.impossible > 0 ? "bad-text" : "");
  const examples =
    reads.examples.length === 0
      ? ""
      : `<h3>Examples</h3>${table(
          ["kind", "key", "read at", "value read", "why"],
          reads.examples.map((read): Cell[] => [read.kind ?? "", code(read.key), wallClock(read.readAtMs, startMs), code(read.value === null ? "(no key)" : read.value), read.why]),
        )}`;
  return section("reads", "Reads", lead + examples);
}

function splitBrainSection(checks: CheckResults, startMs: number | undefined): string {
  const windows = checks.splitBrain.windows;
  if (windows.length === 0) return section("split-brain", "Split brain", paragraph("No two nodes accepted writes for the same slot at the same time.", "good-text"));
  const ranges = (slots: [number, number][]) => slots.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(", ");
  const rows = windows.map((window): Cell[] => [ranges(window.slots), `${window.nodes[0]} and ${window.nodes[1]}`, wallClock(window.fromMs, startMs), wallClock(window.toMs, startMs), duration(window.toMs - window.fromMs)]);
  return section("split-brain", "Split brain", `<div class="callout bad">${escapeHtml(`${windows.length} windows in which two nodes accepted writes for the same slots.`)}</div>${table(["slots", "nodes", "from", "to", "for"], rows, { numeric: [4] })}`);
}

function convergenceSection(checks: CheckResults): string {
  const { convergence } = checks;
  const lead = convergence.converged
    ? paragraph(`Every node agreed on slots and roles, with equal data digests, ${convergence.withinMs === undefined ? "after the final heal" : `${duration(convergence.withinMs)} after the final heal`}.`, "good-text")
    : paragraph("The cluster did not converge within the bound after the final heal.", "bad-text");
  const problems = convergence.problems.length === 0 ? "" : `<ul>${convergence.problems.slice(0, LIST_ROWS_MAX).map((problem) => `<li>${escapeHtml(problem)}</li>`).join("")}</ul>${more(convergence.problems.length, LIST_ROWS_MAX, "report.json")}`;
  return section("convergence", "Convergence", lead + problems);
}

function topologySection(report: Report): string {
  const topology = redactedTopology(report.topology);
  const zones = [...new Set([...topology.availabilityZones, ...report.nodes.map((node) => node.availabilityZone)])];
  const columns = zones.map((zone) => {
    const nodes = report.nodes.filter((node) => node.availabilityZone === zone).sort((a, b) => a.shard - b.shard || a.name.localeCompare(b.name));
    const cards = nodes.map((node) => `<li class="node ${node.initialRole}"><strong>${escapeHtml(node.name)}</strong><span>shard ${node.shard} · ${escapeHtml(node.initialRole)} at the start</span><span class="address">${escapeHtml(node.address)}</span></li>`);
    return `<div class="zone"><h3>${escapeHtml(zone)}</h3><ul>${cards.join("") || "<li class=\"note\">no node</li>"}</ul></div>`;
  });
  const config = Object.entries(topology.nodeConfig).map(([name, value]) => `${name} ${value}`);
  const lead = paragraph(
    `${topology.name}: ${topology.shards} shards of one primary and ${topology.replicasPerShard} replicas over ${topology.availabilityZones.length} availability zones; cluster-node-timeout ${topology.nodeTimeoutMs} ms; require-full-coverage ${topology.requireFullCoverage ? "yes" : "no"}${config.length > 0 ? `; ${config.join(", ")}` : ""}.`,
  );
  return section("topology", "Topology", `${lead}<div class="zones">${columns.join("")}</div>`);
}

function replaySection(report: Report): string {
  const command = replayCommand(report);
  const replay =
    command === undefined
      ? paragraph(`This scenario was built in code, not loaded from a file; run it again with seed ${report.seed} to make the same random choices.`)
      : `<p>To run the same scenario with the same random choices (workload, targets, chaos schedule):</p><pre>${escapeHtml(command)}</pre>`;
  const links = [
    ["report.json", report.files.json, "every figure of this report"],
    ["history.jsonl", report.files.history, "every operation and fault, one JSON object a line"],
  ].map(([label, file, what]) => `<li><a href="${escapeHtml(file === "" ? label! : relativeTo(report.files.html, file!))}">${escapeHtml(label!)}</a> — ${escapeHtml(what!)}</li>`);
  return section("replay", "Seed, replay and files", `${replay}<ul class="files">${links.join("")}</ul>`);
}

/** `file` as a link from the page at `page`: its bare name when both sit in the same directory (as writeReportFiles puts them). */
export function relativeTo(page: string, file: string): string {
  const directoryOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf("/")));
  const name = file.slice(file.lastIndexOf("/") + 1);
  if (directoryOf(page) === directoryOf(file)) return encodeURI(name);
  return encodeURI(file);
}
