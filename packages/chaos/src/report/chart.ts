import type { ErrorKind } from "../model/history.js";
import type { Report, TimelineBucket, TimelineData } from "../model/report.js";
import { escapeHtml, truncated } from "./escape.js";
import { CHART_COLORS, MARKER_LANE_PX, MARKER_LANES, chartGeometry, panelOf, type ChartGeometry, type ChartPanel } from "./scale.js";

/**
 * Points per line at most: about one per pixel of the plot. A longer run's
 * buckets are merged in equal groups, so an hour-long run draws as many
 * points as a ten-minute one and the file stays small.
 */
export const CHART_POINTS_MAX = 600;
/** Markers drawn at most; a chaos schedule of thousands of faults keeps its list in the report's tables. */
export const CHART_MARKERS_MAX = 400;
/** Error series drawn one per kind when the run saw at most this many kinds; otherwise failed and unknown. */
const ERROR_KINDS_CHARTED_MAX = 5;
const MARKER_LABEL_CHARACTERS_MAX = 44;
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

type Fault = Report["faults"][number];

/**
 * The run's timeline as one inline SVG: throughput, errors, latency and the
 * primaries' band stacked over a shared x axis (seconds from the workload's
 * start), with a vertical line at each fault, heal and failover across all
 * of them and the faults' spans shaded. Static: nothing needs JavaScript;
 * hovering a marker or a band segment shows its full text.
 */
export function renderChart(timeline: TimelineData, faults: readonly Fault[], durationMs: number): string {
  const geometry = chartGeometry(timeline, durationMs);
  const series = downsample(timeline, CHART_POINTS_MAX);
  const parts = [
    `<svg class="timeline" viewBox="0 0 ${geometry.widthPx} ${geometry.heightPx}" width="${geometry.widthPx}" height="${geometry.heightPx}" role="img" aria-label="Timeline of the run" font-family="${escapeHtml(FONT)}" font-size="11">`,
    ...geometry.panels.map((panel) => frame(geometry, panel)),
    ...timeGrid(geometry),
    ...faultSpans(geometry, faults),
    ...throughputPanel(geometry, series),
    ...errorsPanel(geometry, series),
    ...latencyPanel(geometry, series),
    ...primariesPanel(geometry, timeline),
    ...markers(geometry, timeline.markers),
    ...geometry.panels.map((panel) => panelTitle(geometry, panel)),
    ...legends(geometry, series),
    ...timeAxis(geometry),
    "</svg>",
  ];
  return parts.join("\n");
}

/** Buckets merged in equal groups so that at most `pointsMax` remain: counts summed, p50 averaged by count, p99 and max the worst. */
export function downsample(timeline: TimelineData, pointsMax: number): { bucketMs: number; buckets: TimelineBucket[] } {
  const group = Math.max(1, Math.ceil(timeline.buckets.length / pointsMax));
  if (group === 1) return { bucketMs: timeline.bucketMs, buckets: timeline.buckets };
  const merged: TimelineBucket[] = [];
  for (let start = 0; start < timeline.buckets.length; start += group) merged.push(mergeBuckets(timeline.buckets.slice(start, start + group)));
  return { bucketMs: timeline.bucketMs * group, buckets: merged };
}

function mergeBuckets(buckets: readonly TimelineBucket[]): TimelineBucket {
  const shards = new Map<number, TimelineBucket["shards"][number]>();
  const errorsByKind: Partial<Record<ErrorKind, number>> = {};
  for (const bucket of buckets) {
    for (const [kind, count] of Object.entries(bucket.errorsByKind) as [ErrorKind, number][]) errorsByKind[kind] = (errorsByKind[kind] ?? 0) + count;
    for (const figures of bucket.shards) {
      const sum = shards.get(figures.shard);
      if (sum === undefined) {
        shards.set(figures.shard, { ...figures });
        continue;
      }
      const countBefore = sum.ok + sum.failed + sum.unknown;
      const count = figures.ok + figures.failed + figures.unknown;
      sum.latencyP50Ms = countBefore + count > 0 ? (sum.latencyP50Ms * countBefore + figures.latencyP50Ms * count) / (countBefore + count) : 0;
      sum.latencyP99Ms = Math.max(sum.latencyP99Ms, figures.latencyP99Ms);
      sum.latencyMaxMs = Math.max(sum.latencyMaxMs, figures.latencyMaxMs);
      sum.ok += figures.ok;
      sum.failed += figures.failed;
      sum.unknown += figures.unknown;
    }
  }
  return { tMs: buckets[0]!.tMs, shards: [...shards.values()].sort((a, b) => a.shard - b.shard), errorsByKind };
}

function shardColor(geometry: ChartGeometry, shard: number): string {
  const index = Math.max(0, geometry.shards.indexOf(shard));
  return CHART_COLORS.shards[index % CHART_COLORS.shards.length]!;
}

/** Titles and legends are drawn over the marker lines, with a white halo so that a line never strikes through them. */
const HALO = `stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"`;

function panelTitle(geometry: ChartGeometry, panel: ChartPanel): string {
  return `<text x="${geometry.plotLeftPx}" y="${panel.topPx - 9}" font-size="13" font-weight="600" fill="#1e293b" ${HALO}>${escapeHtml(panel.title)}</text>`;
}

function frame(geometry: ChartGeometry, panel: ChartPanel): string {
  const width = geometry.plotRightPx - geometry.plotLeftPx;
  return [
    `<rect x="${geometry.plotLeftPx}" y="${panel.topPx}" width="${width}" height="${panel.heightPx}" fill="${CHART_COLORS.plotBackground}"/>`,
    `<rect x="${geometry.plotLeftPx - 0.5}" y="${panel.topPx - 0.5}" width="${width + 1}" height="${panel.heightPx + 1}" fill="none" stroke="#cbd5e1"/>`,
  ].join("");
}

/** A step of 1, 2 or 5 times a power of ten, so that about `count` steps cover `max`. */
export function niceStep(max: number, count: number): number {
  const rough = Math.max(max, Number.MIN_VALUE) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const multiple = [1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10;
  return multiple * power;
}

/** From 0 to a round value a little above the largest, so that the largest is never drawn on the frame. */
function linearAxis(maxValue: number): { top: number; ticks: number[] } {
  if (!(maxValue > 0)) return { top: 1, ticks: [0, 1] };
  const step = niceStep(maxValue * 1.08, 4);
  const top = Math.ceil((maxValue * 1.08) / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(value);
  return { top, ticks };
}

/** Seconds between x ticks: a round number giving at most about 12 ticks. */
function timeTickMs(domainEndMs: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600].map((s) => s * 1000);
  return steps.find((step) => domainEndMs / step <= 12) ?? 43_200_000;
}

function timeGrid(geometry: ChartGeometry): string[] {
  const step = timeTickMs(geometry.domainEndMs);
  const lines: string[] = [];
  for (let tMs = step; tMs < geometry.domainEndMs; tMs += step) {
    const x = round(geometry.xOfMs(tMs));
    for (const panel of geometry.panels) lines.push(`<line x1="${x}" x2="${x}" y1="${panel.topPx}" y2="${panel.topPx + panel.heightPx}" stroke="#e2e8f0"/>`);
  }
  return lines;
}

function timeAxis(geometry: ChartGeometry): string[] {
  const last = geometry.panels[geometry.panels.length - 1]!;
  const y = last.topPx + last.heightPx;
  const step = timeTickMs(geometry.domainEndMs);
  const labels: string[] = [];
  for (let tMs = 0; tMs <= geometry.domainEndMs + 1; tMs += step) {
    const x = round(geometry.xOfMs(tMs));
    labels.push(`<line x1="${x}" x2="${x}" y1="${y}" y2="${y + 4}" stroke="#64748b"/><text x="${x}" y="${y + 16}" text-anchor="middle" fill="#475569">${formatSeconds(tMs)}</text>`);
  }
  const middle = round((geometry.plotLeftPx + geometry.plotRightPx) / 2);
  labels.push(`<text x="${middle}" y="${y + 33}" text-anchor="middle" fill="#475569">seconds from the workload's start</text>`);
  return labels;
}

function formatSeconds(tMs: number): string {
  const seconds = tMs / 1000;
  if (seconds >= 120 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

function yAxis(geometry: ChartGeometry, ticks: { value: number; y: number; label: string }[]): string[] {
  return ticks.map(({ y, label }) => {
    const at = round(y);
    return `<line x1="${geometry.plotLeftPx}" x2="${geometry.plotRightPx}" y1="${at}" y2="${at}" stroke="#e2e8f0"/><text x="${geometry.plotLeftPx - 6}" y="${at + 4}" text-anchor="end" fill="#475569">${escapeHtml(label)}</text>`;
  });
}

function legend(geometry: ChartGeometry, panel: ChartPanel, items: { label: string; color: string }[]): string {
  const parts: string[] = [];
  let x = geometry.plotRightPx;
  for (const item of [...items].reverse()) {
    x -= textWidthPx(item.label) + 30;
    parts.push(`<rect x="${round(x)}" y="${panel.topPx - 18}" width="12" height="10" rx="2" fill="${item.color}"/><text x="${round(x + 16)}" y="${panel.topPx - 9}" fill="#334155" ${HALO}>${escapeHtml(item.label)}</text>`);
  }
  return parts.join("");
}

function legends(geometry: ChartGeometry, series: { buckets: TimelineBucket[] }): string[] {
  const shards = geometry.shards.map((shard) => ({ label: `shard ${shard}`, color: shardColor(geometry, shard) }));
  return [
    legend(geometry, panelOf(geometry, "throughput"), shards),
    legend(geometry, panelOf(geometry, "errors"), errorSeries(series.buckets).map((stack) => ({ label: stack.label, color: stack.color }))),
    legend(geometry, panelOf(geometry, "latency"), shards),
  ];
}

/**
 * Width of a label in the 11 px sans-serif font, estimated per character
 * class (capitals and wide letters take more), for fitting text without
 * measuring it.
 */
export function textWidthPx(text: string): number {
  let width = 0;
  for (const character of text) {
    if (/[MW@]/.test(character)) width += 9.5;
    else if (/[A-Z]/.test(character)) width += 7.6;
    else if (/[mw]/.test(character)) width += 8.8;
    else if (/[iljtf.,:;'|! ()-]/.test(character)) width += 3.6;
    else width += 6.3;
  }
  return width;
}

/**
 * A step line: each bucket's value held flat across the bucket, so a drop
 * shows where it happened (a line through the buckets' centres would start
 * falling half a bucket before the fault). Broken where a value is undefined.
 */
function stepPath(steps: { fromX: number; toX: number; y: number | undefined }[]): string {
  let path = "";
  let drawing = false;
  for (const { fromX, toX, y } of steps) {
    if (y === undefined) {
      drawing = false;
      continue;
    }
    path += drawing ? `V${round(y)}H${round(toX)}` : `M${round(fromX)} ${round(y)}H${round(toX)}`;
    drawing = true;
  }
  return path;
}

function stepsOf(geometry: ChartGeometry, series: { bucketMs: number; buckets: TimelineBucket[] }, yOf: (bucket: TimelineBucket) => number | undefined): { fromX: number; toX: number; y: number | undefined }[] {
  return series.buckets.map((bucket) => ({ fromX: geometry.xOfMs(bucket.tMs), toX: geometry.xOfMs(bucket.tMs + series.bucketMs), y: yOf(bucket) }));
}

function throughputPanel(geometry: ChartGeometry, series: { bucketMs: number; buckets: TimelineBucket[] }): string[] {
  const panel = panelOf(geometry, "throughput");
  const seconds = series.bucketMs / 1000;
  const rate = (bucket: TimelineBucket, shard: number) => (bucket.shards.find((figures) => figures.shard === shard)?.ok ?? 0) / seconds;
  const max = Math.max(0, ...series.buckets.flatMap((bucket) => geometry.shards.map((shard) => rate(bucket, shard))));
  const axis = linearAxis(max);
  const yOf = (value: number) => panel.topPx + panel.heightPx - (value / axis.top) * panel.heightPx;
  const parts = yAxis(geometry, axis.ticks.map((value) => ({ value, y: yOf(value), label: `${compact(value)}` })));
  for (const shard of geometry.shards) {
    const path = stepPath(stepsOf(geometry, series, (bucket) => yOf(rate(bucket, shard))));
    if (path !== "") parts.push(`<path d="${path}" fill="none" stroke="${shardColor(geometry, shard)}" stroke-width="2" stroke-linejoin="round"/>`);
  }
  parts.push(unitLabel(panel, "ops/s"));
  return parts;
}

function unitLabel(panel: ChartPanel, unit: string): string {
  return `<text x="14" y="${round(panel.topPx + panel.heightPx / 2)}" transform="rotate(-90 14 ${round(panel.topPx + panel.heightPx / 2)})" text-anchor="middle" fill="#64748b">${escapeHtml(unit)}</text>`;
}

interface ErrorSeries {
  label: string;
  color: string;
  countOf: (bucket: TimelineBucket) => number;
}

/** One series per error kind when there are few, plus what no kind explains; else failed and unknown. */
function errorSeries(buckets: readonly TimelineBucket[]): ErrorSeries[] {
  const failed = (bucket: TimelineBucket) => bucket.shards.reduce((sum, figures) => sum + figures.failed, 0);
  const unknown = (bucket: TimelineBucket) => bucket.shards.reduce((sum, figures) => sum + figures.unknown, 0);
  const kinds = [...new Set(buckets.flatMap((bucket) => Object.keys(bucket.errorsByKind) as ErrorKind[]))].sort();
  const colors = CHART_COLORS.errors;
  if (kinds.length === 0 || kinds.length > ERROR_KINDS_CHARTED_MAX) {
    return [
      { label: "failed", color: colors[0], countOf: failed },
      { label: "unknown", color: colors[1], countOf: unknown },
    ];
  }
  const byKind = kinds.map((kind, index) => ({ label: kind, color: colors[index % colors.length]!, countOf: (bucket: TimelineBucket) => bucket.errorsByKind[kind] ?? 0 }));
  const classified = (bucket: TimelineBucket) => kinds.reduce((sum, kind) => sum + (bucket.errorsByKind[kind] ?? 0), 0);
  const rest = (bucket: TimelineBucket) => Math.max(0, failed(bucket) + unknown(bucket) - classified(bucket));
  const anyRest = buckets.some((bucket) => rest(bucket) > 0);
  return anyRest ? [...byKind, { label: "no error kind", color: colors[colors.length - 1]!, countOf: rest }] : byKind;
}

/** Stacked bars, one per bucket. */
function errorsPanel(geometry: ChartGeometry, series: { bucketMs: number; buckets: TimelineBucket[] }): string[] {
  const panel = panelOf(geometry, "errors");
  const seconds = series.bucketMs / 1000;
  const stacks = errorSeries(series.buckets);
  const totals = series.buckets.map((bucket) => stacks.reduce((sum, stack) => sum + stack.countOf(bucket), 0) / seconds);
  const axis = linearAxis(Math.max(0, ...totals));
  const heightOf = (value: number) => (value / axis.top) * panel.heightPx;
  const parts = yAxis(geometry, axis.ticks.map((value) => ({ value, y: panel.topPx + panel.heightPx - heightOf(value), label: compact(value) })));
  for (const bucket of series.buckets) {
    const left = geometry.xOfMs(bucket.tMs);
    const right = geometry.xOfMs(bucket.tMs + series.bucketMs);
    const width = Math.max(0.5, right - left - (right - left > 3 ? 1 : 0));
    let base = panel.topPx + panel.heightPx;
    for (const stack of stacks) {
      const height = heightOf(stack.countOf(bucket) / seconds);
      if (height <= 0) continue;
      base -= height;
      parts.push(`<rect x="${round(left)}" y="${round(base)}" width="${round(width)}" height="${round(height)}" fill="${stack.color}"/>`);
    }
  }
  parts.push(unitLabel(panel, "ops/s"));
  return parts;
}

/** Log scale from a power of ten at or below the fastest p50 to one at or above the slowest p99. */
function logAxis(values: readonly number[]): { lowMs: number; highMs: number } {
  const positive = values.filter((value) => value > 0);
  const lowMs = 10 ** Math.floor(Math.log10(Math.max(0.01, Math.min(1, ...positive))));
  // A little headroom, so that a run of timeouts at exactly 1 s is not drawn on the frame.
  const highMs = 10 ** Math.ceil(Math.log10(Math.max(lowMs * 10, ...positive.map((value) => value * 1.2))));
  return { lowMs, highMs };
}

function latencyPanel(geometry: ChartGeometry, series: { bucketMs: number; buckets: TimelineBucket[] }): string[] {
  const panel = panelOf(geometry, "latency");
  const figuresOf = (bucket: TimelineBucket, shard: number) => bucket.shards.find((figures) => figures.shard === shard && figures.ok + figures.failed + figures.unknown > 0);
  const values = series.buckets.flatMap((bucket) => geometry.shards.flatMap((shard) => {
    const figures = figuresOf(bucket, shard);
    return figures === undefined ? [] : [figures.latencyP50Ms, figures.latencyP99Ms];
  }));
  const { lowMs, highMs } = logAxis(values);
  const decades = Math.log10(highMs / lowMs);
  const yOf = (valueMs: number) => panel.topPx + panel.heightPx - (Math.log10(Math.max(lowMs, valueMs) / lowMs) / decades) * panel.heightPx;
  const ticks: { value: number; y: number; label: string }[] = [];
  for (let valueMs = lowMs; valueMs <= highMs * 1.001; valueMs *= 10) ticks.push({ value: valueMs, y: yOf(valueMs), label: formatLatency(valueMs) });
  const parts = yAxis(geometry, ticks);
  for (const shard of geometry.shards) {
    const color = shardColor(geometry, shard);
    for (const [field, dash] of [["latencyP99Ms", ""], ["latencyP50Ms", ` stroke-dasharray="4 3" opacity="0.75"`]] as const) {
      const path = stepPath(stepsOf(geometry, series, (bucket) => {
        const figures = figuresOf(bucket, shard);
        return figures === undefined ? undefined : yOf(figures[field]);
      }));
      if (path !== "") parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="1.5"${dash}/>`);
    }
  }
  return parts;
}

function formatLatency(valueMs: number): string {
  if (valueMs >= 1000) return `${compact(valueMs / 1000)} s`;
  return `${valueMs < 1 ? Number(valueMs.toPrecision(1)) : compact(valueMs)} ms`;
}

function primariesPanel(geometry: ChartGeometry, timeline: TimelineData): string[] {
  const panel = panelOf(geometry, "primaries");
  const rowPx = panel.heightPx / Math.max(1, geometry.shards.length);
  const parts: string[] = [];
  geometry.shards.forEach((shard, row) => {
    const top = panel.topPx + row * rowPx;
    parts.push(`<text x="${geometry.plotLeftPx - 6}" y="${round(top + rowPx / 2 + 4)}" text-anchor="end" fill="#475569">shard ${shard}</text>`);
    const segments = timeline.primaries.find((entry) => entry.shard === shard)?.segments ?? [];
    const names = [...new Set(segments.map((segment) => segment.node))].sort();
    for (const segment of segments) {
      const left = geometry.xOfMs(segment.fromMs);
      const width = Math.max(1, geometry.xOfMs(segment.toMs) - left);
      const color = CHART_COLORS.nodes[names.indexOf(segment.node) % CHART_COLORS.nodes.length]!;
      const label = fittedLabel(segment.node, width - 8);
      const tooltip = `${segment.node}: primary of shard ${shard} from ${formatSeconds(round(segment.fromMs))} to ${formatSeconds(round(segment.toMs))}`;
      parts.push(
        `<g><title>${escapeHtml(tooltip)}</title><rect x="${round(left)}" y="${round(top + 3)}" width="${round(width)}" height="${round(rowPx - 6)}" rx="3" fill="${color}" stroke="#ffffff"/>` +
          (label === "" ? "" : `<text x="${round(left + 5)}" y="${round(top + rowPx / 2 + 4)}" fill="#1e293b">${escapeHtml(label)}</text>`) +
          "</g>",
      );
    }
  });
  if (geometry.shards.length === 0) parts.push(`<text x="${geometry.plotLeftPx + 8}" y="${panel.topPx + 16}" fill="#64748b">no primaries were sampled</text>`);
  return parts;
}

/** The node name if it fits, else its last part ("0001-002" of "default-0001-002", then "002"), else nothing. */
function fittedLabel(name: string, widthPx: number): string {
  const parts = name.split("-");
  const candidates = [name, parts.slice(-2).join("-"), parts[parts.length - 1] ?? ""];
  return candidates.find((candidate) => textWidthPx(candidate) <= widthPx) ?? "";
}

/** The spans between each fault and its heal (or the end), shaded across every panel. */
function faultSpans(geometry: ChartGeometry, faults: readonly Fault[]): string[] {
  const parts: string[] = [];
  for (const span of faultIntervals(faults, geometry.domainEndMs)) {
    const left = geometry.xOfMs(span.fromMs);
    const width = geometry.xOfMs(span.toMs) - left;
    if (width <= 0) continue;
    for (const panel of geometry.panels) parts.push(`<rect x="${round(left)}" y="${panel.topPx}" width="${round(width)}" height="${panel.heightPx}" fill="${CHART_COLORS.fault}" opacity="0.07"/>`);
  }
  return parts;
}

/**
 * Faults that last until something undoes them, and what does: a process
 * is back when restarted, a paused one when resumed, network faults when
 * healed. A failover or a replica added is over when it is done.
 */
const UNDONE_BY: Readonly<Record<string, readonly string[]>> = {
  kill: ["restart"],
  stop: ["restart"],
  "az-power-loss": ["restart"],
  pause: ["resume", "restart"],
  partition: ["heal"],
  blackhole: ["heal"],
  latency: ["heal"],
  loss: ["heal"],
  "az-isolation": ["heal"],
};

/**
 * Pairs each lasting fault with the first later entry that undoes it: one
 * of the right kind naming any of its targets (a heal naming none heals
 * every network fault), or the final heal. Unpaired faults last until
 * `endMs`; faults that did not happen (unsupported, failed) are not shaded.
 */
export function faultIntervals(faults: readonly Fault[], endMs: number): { fromMs: number; toMs: number }[] {
  const ordered = [...faults].sort((a, b) => a.tMs - b.tMs);
  const spans: { fromMs: number; toMs: number }[] = [];
  ordered.forEach((fault, index) => {
    const undoers = UNDONE_BY[fault.do];
    if (undoers === undefined || fault.unsupported !== undefined || fault.error !== undefined) return;
    const undoes = (later: Fault) =>
      later.step === "final-heal" || (undoers.includes(later.do) && (later.targets.length === 0 || later.targets.some((target) => fault.targets.includes(target))));
    const end = ordered.slice(index + 1).find(undoes);
    spans.push({ fromMs: fault.tMs, toMs: end?.tMs ?? endMs });
  });
  return spans;
}

function markerColor(kind: TimelineData["markers"][number]["kind"]): string {
  return kind === "fault" ? CHART_COLORS.fault : kind === "heal" ? CHART_COLORS.heal : CHART_COLORS.failover;
}

/** A line across every panel at each marker, its label in the first lane where it fits. */
function markers(geometry: ChartGeometry, all: TimelineData["markers"]): string[] {
  const last = geometry.panels[geometry.panels.length - 1]!;
  const top = geometry.markerLanesTopPx + MARKER_LANES * MARKER_LANE_PX;
  const bottom = last.topPx + last.heightPx;
  const laneEndsPx = new Array<number>(MARKER_LANES).fill(-Infinity);
  const parts: string[] = [];
  for (const marker of all.slice(0, CHART_MARKERS_MAX)) {
    const x = Math.round(geometry.xOfMs(marker.tMs));
    const color = markerColor(marker.kind);
    const tooltip = `${formatSeconds(round(marker.tMs))}: ${marker.label}`;
    const label = truncated(marker.label, MARKER_LABEL_CHARACTERS_MAX);
    const widthPx = textWidthPx(label) * 1.08;
    // Labels start at their line and run right; near the right edge they end at it instead.
    const anchorEnd = x + widthPx > geometry.widthPx - 4;
    const leftPx = anchorEnd ? x - widthPx - 3 : x + 3;
    const lane = laneEndsPx.findIndex((endPx) => endPx < leftPx - 6);
    const baselinePx = geometry.markerLanesTopPx + (MARKER_LANES - Math.max(0, lane)) * MARKER_LANE_PX - 3;
    // The line reaches up to its label, so that a label in an upper lane is seen to belong to it.
    const lineTopPx = lane >= 0 ? baselinePx - 10 : top;
    parts.push(`<g><title>${escapeHtml(tooltip)}</title><line x1="${x}" x2="${x}" y1="${lineTopPx}" y2="${bottom}" stroke="${color}" stroke-width="2"/>`);
    if (lane >= 0) {
      laneEndsPx[lane] = leftPx + widthPx;
      parts.push(`<text x="${anchorEnd ? x - 3 : x + 3}" y="${baselinePx}"${anchorEnd ? ` text-anchor="end"` : ""} fill="${color}" font-weight="600">${escapeHtml(label)}</text>`);
    }
    parts.push("</g>");
  }
  return parts;
}

/** 1250 → "1250", 12500 → "12.5k", 0.5 → "0.5". */
function compact(value: number): string {
  if (value >= 10_000) return `${Number((value / 1000).toFixed(1))}k`;
  return `${Number(value.toFixed(value >= 10 ? 0 : 2))}`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
