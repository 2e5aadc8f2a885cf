/**
 * Reports of a chaos run: the per-second timeline, the self-contained HTML
 * page with its SVG chart, the terminal summary, the live progress line and
 * the files a run leaves (report.json, report.html, history.jsonl).
 * Everything but files.ts and screenshot.ts is pure.
 */
export { buildTimeline, isHealEntry, percentile, TIMELINE_BUCKET_MS, TIMELINE_BUCKETS_MAX } from "./timeline.js";
export { primarySegments } from "./primaries.js";
export { renderHtml, FAULT_ROWS_MAX } from "./html.js";
export { renderChart, downsample, faultIntervals, CHART_POINTS_MAX, CHART_MARKERS_MAX } from "./chart.js";
export { chartGeometry, timeScale, CHART_COLORS, SHARDS_CHARTED_MAX, type ChartGeometry, type ChartPanel, type PanelName } from "./scale.js";
export { renderSummary, type SummaryOptions } from "./summary.js";
export { progressLine, PROGRESS_COLUMNS_MAX, type ProgressState } from "./progress.js";
export { reportFiles, writeReportFiles } from "./files.js";
export { chromiumAvailable, screenshotPage, CHROMIUM_PROGRAM, type ScreenshotOptions } from "./screenshot.js";
