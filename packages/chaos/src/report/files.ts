import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import type { HistoryEntry } from "../model/history.js";
import type { Report } from "../model/report.js";
import { redactedTopology } from "./format.js";
import { renderHtml } from "./html.js";

/** History lines written per write call: the file is streamed out in chunks of this many, never built whole in memory. */
const HISTORY_LINES_PER_WRITE = 4096;

/** Where writeReportFiles puts a run's files in `directory`; the runner may fill `report.files` from it first. */
export function reportFiles(directory: string): Report["files"] {
  return {
    json: path.join(directory, "report.json"),
    html: path.join(directory, "report.html"),
    history: path.join(directory, "history.jsonl"),
  };
}

/**
 * Writes a run's report.json, report.html and history.jsonl into
 * `directory` (made if missing) and returns where they are. The paths are
 * always `reportFiles(directory)`: the files written carry those paths in
 * `files` whatever the report said, so the JSON, the page's links and the
 * summary agree. The topology's secrets (the bus secret, requirepass) are
 * redacted, since these files are made to be shared. Each file is written
 * beside its place and renamed, so a reader never sees half a report.
 */
export function writeReportFiles(report: Report, history: readonly HistoryEntry[], directory: string): Report["files"] {
  mkdirSync(directory, { recursive: true });
  const files = reportFiles(directory);
  const shared: Report = { ...report, topology: redactedTopology(report.topology), files };
  writeAtomically(files.history, (fd) => writeHistory(fd, history));
  writeAtomically(files.json, (fd) => writeSync(fd, `${JSON.stringify(shared, null, 2)}\n`));
  writeAtomically(files.html, (fd) => writeSync(fd, renderHtml(shared)));
  return files;
}

function writeAtomically(file: string, write: (fd: number) => void): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, "w");
  try {
    write(fd);
    closeSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  renameSync(temporary, file);
}

/** One JSON object a line, in order. */
function writeHistory(fd: number, history: readonly HistoryEntry[]): void {
  for (let start = 0; start < history.length; start += HISTORY_LINES_PER_WRITE) {
    const chunk = history.slice(start, start + HISTORY_LINES_PER_WRITE).map((entry) => JSON.stringify(entry));
    writeSync(fd, `${chunk.join("\n")}\n`);
  }
}
