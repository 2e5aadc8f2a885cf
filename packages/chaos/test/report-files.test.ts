import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Report } from "../src/model/report.js";
import { reportFiles, writeReportFiles } from "../src/report/files.js";
import { syntheticRun } from "./report-fixtures.js";

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), "shardline-report-"));
  directories.push(directory);
  return directory;
}

describe("writeReportFiles", () => {
  it("writes report.json, report.html and history.jsonl into a new directory, with matching paths", () => {
    const run = syntheticRun();
    const directory = path.join(temporaryDirectory(), "runs", "kill-primary-42");
    const files = writeReportFiles(run.report, run.history, directory);
    expect(files).toEqual(reportFiles(directory));
    expect(files.html).toBe(path.join(directory, "report.html"));
    expect(readdirSync(directory).sort()).toEqual(["history.jsonl", "report.html", "report.json"]);

    const json = JSON.parse(readFileSync(files.json, "utf8")) as Report;
    expect(json.files).toEqual(files);
    expect(json.expectations).toEqual(run.report.expectations);
    expect(json.timeline).toEqual(run.report.timeline);
    expect(json.verdict).toBe("fail");

    const html = readFileSync(files.html, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`href="report.json"`);
  });

  it("writes the history one JSON object a line, in order", () => {
    const run = syntheticRun();
    const files = writeReportFiles(run.report, run.history, temporaryDirectory());
    const text = readFileSync(files.history, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(run.history.length);
    expect(lines.map((line) => JSON.parse(line))).toEqual(run.history);
  });

  it("writes an empty history file for a run without history", () => {
    const files = writeReportFiles(syntheticRun().report, [], temporaryDirectory());
    expect(readFileSync(files.history, "utf8")).toBe("");
  });

  it("keeps the cluster's secrets out of every file", () => {
    const run = syntheticRun();
    const files = writeReportFiles(run.report, run.history, temporaryDirectory());
    for (const file of [files.json, files.html]) {
      const text = readFileSync(file, "utf8");
      expect(text).not.toContain("hunter2");
      expect(text).not.toContain("bus-secret-value");
    }
    expect((JSON.parse(readFileSync(files.json, "utf8")) as Report).topology.nodeConfig).toEqual({ requirepass: "(redacted)" });
  });

  it("replaces files of an earlier run and leaves no temporary file", () => {
    const run = syntheticRun();
    const directory = temporaryDirectory();
    writeReportFiles(run.report, run.history, directory);
    writeReportFiles({ ...run.report, verdict: "pass" }, run.history.slice(0, 2), directory);
    expect(readdirSync(directory).sort()).toEqual(["history.jsonl", "report.html", "report.json"]);
    expect((JSON.parse(readFileSync(path.join(directory, "report.json"), "utf8")) as Report).verdict).toBe("pass");
    expect(readFileSync(path.join(directory, "history.jsonl"), "utf8").trimEnd().split("\n")).toHaveLength(2);
    expect(existsSync(path.join(directory, "report.json.tmp"))).toBe(false);
  });
});
