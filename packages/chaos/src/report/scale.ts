import type { TimelineData } from "../model/report.js";

/**
 * The chart's layout, in SVG user units (the SVG is drawn 1:1 in CSS pixels
 * when the page is wide enough). Exported so that a test can find on a
 * screenshot where the renderer put a given second.
 */
export const CHART_WIDTH_PX = 1200;
export const PLOT_LEFT_PX = 76;
export const PLOT_RIGHT_PX = CHART_WIDTH_PX - 24;
/** Marker labels sit in lanes above the first panel, so that close markers do not overwrite each other. */
export const MARKER_LANES = 3;
export const MARKER_LANE_PX = 15;
const TOP_PADDING_PX = 6;
/** Above each plot: its title and legend. */
const PANEL_TITLE_PX = 30;
const X_AXIS_PX = 40;
const PRIMARY_ROW_PX = 24;
/**
 * Shards drawn one by one; a cluster with more (ElastiCache allows 500)
 * would turn the chart into noise and the file into megabytes. The rest are
 * in report.json and in the report's tables.
 */
export const SHARDS_CHARTED_MAX = 12;

/** Colors the chart uses, exported for the screenshot test. The shard colors avoid the markers' red, green and blue. */
export const CHART_COLORS = {
  /** Used by nothing else on the page, so a screenshot test can find the plots by it. */
  plotBackground: "#f5f7fb",
  fault: "#dc2626",
  heal: "#16a34a",
  failover: "#2563eb",
  shards: ["#0f766e", "#7c3aed", "#d97706", "#db2777", "#4d7c0f", "#0891b2", "#57534e", "#9a3412"],
  errors: ["#f97316", "#6366f1", "#64748b", "#c026d3", "#eab308", "#a8a29e", "#0e7490"],
  nodes: ["#c7d2fe", "#fde68a", "#a7f3d0", "#fbcfe8", "#ddd6fe", "#fed7aa"],
} as const;

export type PanelName = "throughput" | "errors" | "latency" | "primaries";

export interface ChartPanel {
  name: PanelName;
  title: string;
  /** The plot area (inside the axes). */
  topPx: number;
  heightPx: number;
}

export interface ChartGeometry {
  widthPx: number;
  heightPx: number;
  plotLeftPx: number;
  plotRightPx: number;
  /** Top of the marker label lanes; the marker lines run from their bottom to the last panel's. */
  markerLanesTopPx: number;
  panels: ChartPanel[];
  /** The x axis runs from 0 to this many ms after the workload's start. */
  domainEndMs: number;
  /** Shards drawn (at most SHARDS_CHARTED_MAX). */
  shards: number[];
  /** ms from the workload's start → x in the SVG. */
  xOfMs: (tMs: number) => number;
}

/** A linear map of [0, domainEndMs] onto [leftPx, rightPx]; times outside are clamped to the edges. */
export function timeScale(domainEndMs: number, leftPx: number, rightPx: number): (tMs: number) => number {
  const span = Math.max(1, domainEndMs);
  return (tMs) => leftPx + (Math.min(span, Math.max(0, tMs)) / span) * (rightPx - leftPx);
}

/** Where everything goes for this timeline; `durationMs` is the workload's planned duration. */
export function chartGeometry(timeline: TimelineData, durationMs: number): ChartGeometry {
  const shards = chartedShards(timeline);
  const domainEndMs = domainEnd(timeline, durationMs);
  const heights: [PanelName, string, number][] = [
    ["throughput", "Successful operations per second, by shard", 170],
    ["errors", "Failed and unknown operations per second", 110],
    ["latency", "Latency p99 (solid) and p50 (dashed), by shard, log scale", 160],
    ["primaries", "Primary of each shard", Math.max(1, shards.length) * PRIMARY_ROW_PX],
  ];
  const panels: ChartPanel[] = [];
  let y = TOP_PADDING_PX + MARKER_LANES * MARKER_LANE_PX;
  for (const [name, title, heightPx] of heights) {
    y += PANEL_TITLE_PX;
    panels.push({ name, title, topPx: y, heightPx });
    y += heightPx;
  }
  return {
    widthPx: CHART_WIDTH_PX,
    heightPx: y + X_AXIS_PX,
    plotLeftPx: PLOT_LEFT_PX,
    plotRightPx: PLOT_RIGHT_PX,
    markerLanesTopPx: TOP_PADDING_PX,
    panels,
    domainEndMs,
    shards,
    xOfMs: timeScale(domainEndMs, PLOT_LEFT_PX, PLOT_RIGHT_PX),
  };
}

function chartedShards(timeline: TimelineData): number[] {
  const all = new Set<number>(timeline.primaries.map((entry) => entry.shard));
  for (const bucket of timeline.buckets) for (const figures of bucket.shards) all.add(figures.shard);
  return [...all].sort((a, b) => a - b).slice(0, SHARDS_CHARTED_MAX);
}

/** Long enough for the workload, every bucket, marker and primary segment; at least a second. */
function domainEnd(timeline: TimelineData, durationMs: number): number {
  let endMs = Math.max(1000, durationMs, timeline.buckets.length * timeline.bucketMs);
  for (const marker of timeline.markers) endMs = Math.max(endMs, marker.tMs);
  for (const entry of timeline.primaries) for (const segment of entry.segments) endMs = Math.max(endMs, segment.toMs);
  return endMs;
}

export function panelOf(geometry: ChartGeometry, name: PanelName): ChartPanel {
  return geometry.panels.find((panel) => panel.name === name)!;
}
