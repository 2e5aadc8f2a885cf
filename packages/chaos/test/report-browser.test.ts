import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../src/report/html.js";
import { CHART_COLORS, chartGeometry, type ChartGeometry } from "../src/report/scale.js";
import { chromiumAvailable, screenshotPage } from "../src/report/screenshot.js";
import { FAILOVER_AT_MS, KILL_AT_MS, syntheticRun } from "./report-fixtures.js";

/** Prints why the browser test skips, as test/support/processes.ts does for Redis. */
function skipReason(available: boolean): boolean {
  if (!available) console.warn("skipping: chromium is not installed (npm run setup installs Debian's chromium package)");
  return !available;
}

type Rgb = [number, number, number];

function rgb(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** A decoded screenshot and what the test asks of its pixels. */
class Screenshot {
  constructor(private readonly png: PNG) {}

  pixel(x: number, y: number): Rgb {
    const offset = (y * this.png.width + x) * 4;
    return [this.png.data[offset]!, this.png.data[offset + 1]!, this.png.data[offset + 2]!];
  }

  /** Within `tolerance` (Euclidean, in RGB) of the color: antialiased edges blend, the line's core does not. */
  near(x: number, y: number, color: Rgb, tolerance: number): boolean {
    const [r, g, b] = this.pixel(x, y);
    return Math.hypot(r - color[0], g - color[1], b - color[2]) <= tolerance;
  }

  /** The bounding box of every pixel of exactly this color. */
  boundsOf(color: Rgb): { left: number; right: number; top: number; bottom: number } | undefined {
    let bounds: { left: number; right: number; top: number; bottom: number } | undefined;
    for (let y = 0; y < this.png.height; y += 1) {
      for (let x = 0; x < this.png.width; x += 1) {
        if (!this.near(x, y, color, 0)) continue;
        bounds ??= { left: x, right: x, top: y, bottom: y };
        bounds = { left: Math.min(bounds.left, x), right: Math.max(bounds.right, x), top: Math.min(bounds.top, y), bottom: Math.max(bounds.bottom, y) };
      }
    }
    return bounds;
  }

  /** How many pixels of column x, rows top..bottom, are near the color. */
  columnCount(x: number, top: number, bottom: number, color: Rgb, tolerance: number): number {
    let found = 0;
    for (let y = top; y <= bottom; y += 1) if (this.near(x, y, color, tolerance)) found += 1;
    return found;
  }

  /** How many pixels of the rectangle are near the color. */
  areaCount(area: { left: number; right: number; top: number; bottom: number }, color: Rgb, tolerance: number): number {
    let found = 0;
    for (let y = area.top; y <= area.bottom; y += 1) for (let x = area.left; x <= area.right; x += 1) if (this.near(x, y, color, tolerance)) found += 1;
    return found;
  }
}

/**
 * Maps the renderer's SVG coordinates to screenshot pixels. The plots'
 * background color is used for nothing else on the page, so the box of its
 * pixels is the plots' box: from it, the offset and the scale (1 at this
 * window width, but the page may shrink the chart on a narrow one).
 */
function pixelMap(screenshot: Screenshot, geometry: ChartGeometry) {
  const plots = screenshot.boundsOf(rgb(CHART_COLORS.plotBackground));
  expect(plots, "the chart's plot areas are on the screenshot").toBeDefined();
  const scale = (plots!.right + 1 - plots!.left) / (geometry.plotRightPx - geometry.plotLeftPx);
  const firstTopPx = geometry.panels[0]!.topPx;
  return {
    plots: plots!,
    scale,
    x: (svgX: number) => plots!.left + (svgX - geometry.plotLeftPx) * scale,
    y: (svgY: number) => plots!.top + (svgY - firstTopPx) * scale,
  };
}

/** The column near `expectedX` with the most pixels of the color, and how many. */
function strongestColumn(screenshot: Screenshot, expectedX: number, rows: { top: number; bottom: number }, color: Rgb): { x: number; count: number } {
  let best = { x: -1, count: -1 };
  for (let x = Math.round(expectedX) - 12; x <= Math.round(expectedX) + 12; x += 1) {
    const found = screenshot.columnCount(x, rows.top, rows.bottom, color, 40);
    if (found > best.count) best = { x, count: found };
  }
  return best;
}

describe.skipIf(skipReason(chromiumAvailable()))("the HTML report in headless Chromium", () => {
  let directory = "";
  let screenshot: Screenshot;
  let geometry: ChartGeometry;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), "shardline-report-browser-"));
    const { report } = syntheticRun();
    const page = path.join(directory, "report.html");
    writeFileSync(page, renderHtml(report));
    const png = path.join(directory, "report.png");
    await screenshotPage(page, png, { widthPx: 1400, heightPx: 2000, timeoutMs: 60_000 });
    screenshot = new Screenshot(PNG.sync.read(readFileSync(png)));
    geometry = chartGeometry(report.timeline!, report.workload.durationMs);
  }, 90_000);

  afterAll(() => {
    if (directory !== "") rmSync(directory, { recursive: true, force: true });
  });

  it("draws the throughput panel with each shard's line in its color", () => {
    const map = pixelMap(screenshot, geometry);
    const panel = geometry.panels.find((candidate) => candidate.name === "throughput")!;
    const area = { left: map.plots.left, right: map.plots.right, top: Math.round(map.y(panel.topPx)), bottom: Math.round(map.y(panel.topPx + panel.heightPx)) - 1 };
    for (const shard of [0, 1, 2]) {
      const color = rgb(CHART_COLORS.shards[shard]!);
      // A 2 px line across the plot is a couple of thousand pixels; text or a legend swatch alone is far fewer.
      expect(screenshot.areaCount(area, color, 30), `shard ${shard + 1}'s line (${CHART_COLORS.shards[shard]})`).toBeGreaterThan(800);
    }
  });

  it("draws the kill as a red line across the panels at 5 s, and the failover as a blue one at 6.5 s", () => {
    const map = pixelMap(screenshot, geometry);
    const rows = { top: map.plots.top, bottom: map.plots.bottom };
    const heightPx = rows.bottom - rows.top;
    for (const [name, atMs, color] of [["fault", KILL_AT_MS, CHART_COLORS.fault], ["failover", FAILOVER_AT_MS, CHART_COLORS.failover]] as const) {
      const expectedX = map.x(geometry.xOfMs(atMs));
      const found = strongestColumn(screenshot, expectedX, rows, rgb(color));
      expect(Math.abs(found.x - expectedX), `the ${name} marker's column`).toBeLessThanOrEqual(2);
      expect(found.count, `the ${name} marker runs across the panels`).toBeGreaterThan(heightPx * 0.8);
    }
  });

  it("draws no marker where nothing happened", () => {
    const map = pixelMap(screenshot, geometry);
    const rows = { top: map.plots.top, bottom: map.plots.bottom };
    const quietX = map.x(geometry.xOfMs(12_000));
    expect(strongestColumn(screenshot, quietX, rows, rgb(CHART_COLORS.fault)).count).toBeLessThan((rows.bottom - rows.top) * 0.2);
  });
});
