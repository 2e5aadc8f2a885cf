import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The browser `npm run setup` installs (Debian's chromium package). */
export const CHROMIUM_PROGRAM = "chromium";

/**
 * Flags for a headless Chromium on a machine without a display or a network:
 * no sandbox (tests run as root), no GPU, and none of the background
 * connections (updates, sync, QUIC) that a closed network refuses, which
 * otherwise slow every start. Scrollbars are hidden and the scale fixed at
 * 1 so that a screenshot's pixels are the page's CSS pixels.
 */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--hide-scrollbars",
  "--force-device-scale-factor=1",
];

export function chromiumAvailable(): boolean {
  return spawnSync("sh", ["-c", `command -v ${CHROMIUM_PROGRAM}`], { stdio: "ignore" }).status === 0;
}

export interface ScreenshotOptions {
  widthPx?: number;
  heightPx?: number;
  /** The browser is killed past this (default 60 s): a screenshot of a static page takes a few seconds. */
  timeoutMs?: number;
}

const DEFAULT_SCREENSHOT_OPTIONS = { widthPx: 1400, heightPx: 2000, timeoutMs: 60_000 };
/** Lines of the browser's stderr kept for an error message. */
const STDERR_LINES_KEPT = 20;

/**
 * Opens `htmlPath` in headless Chromium and saves the window (widthPx ×
 * heightPx from the top of the page) as a PNG at `pngPath`. Chromium runs
 * in a process group of its own with a fresh profile directory; both are
 * gone when this returns, whether it succeeded, failed or timed out.
 */
export async function screenshotPage(htmlPath: string, pngPath: string, options: ScreenshotOptions = {}): Promise<void> {
  const { widthPx, heightPx, timeoutMs } = { ...DEFAULT_SCREENSHOT_OPTIONS, ...options };
  if (!chromiumAvailable()) throw new Error(`${CHROMIUM_PROGRAM} is not on PATH: run npm run setup (it installs Debian's chromium package), or install Chromium by hand`);
  const profile = mkdtempSync(path.join(os.tmpdir(), "shardline-chromium-"));
  const output = path.resolve(pngPath);
  rmSync(output, { force: true });
  try {
    const flags = [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, `--window-size=${widthPx},${heightPx}`, `--screenshot=${output}`, pathToFileURL(path.resolve(htmlPath)).href];
    const stderr = await runBrowser(flags, timeoutMs);
    if (!existsSync(output)) throw new Error(`${CHROMIUM_PROGRAM} exited without writing ${output}; its last messages:\n${stderr}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Runs the browser to its exit; resolves with the tail of its stderr, rejects on a timeout or a failed start. */
function runBrowser(flags: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // detached: its own process group, so the renderer and GPU helpers it forks die with it on a timeout.
    const child = spawn(CHROMIUM_PROGRAM, flags, { stdio: ["ignore", "ignore", "pipe"], detached: true });
    const lines: string[] = [];
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      lines.push(...text.split("\n").filter((line) => line.trim() !== ""));
      lines.splice(0, Math.max(0, lines.length - STDERR_LINES_KEPT));
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`${CHROMIUM_PROGRAM} took longer than ${timeoutMs} ms to take the screenshot and was killed; its last messages:\n${lines.join("\n")}`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${CHROMIUM_PROGRAM}: ${error.message}`));
    });
    child.once("close", () => {
      clearTimeout(timer);
      // Helpers that outlived the browser's main process would hold the profile directory open.
      killGroup();
      resolve(lines.join("\n"));
    });
  });
}
