import type { Report, Verdict } from "../model/report.js";

/** "PASS", "FAIL", "UNDECIDED". */
export function verdictWord(verdict: Verdict): string {
  return verdict.toUpperCase();
}

/** A duration for people: whole ms below ten seconds ("850 ms"), then tenths of seconds ("12.3 s"), then of minutes. */
export function duration(durationMs: number): string {
  if (!Number.isFinite(durationMs)) return "?";
  if (Math.abs(durationMs) < 10_000) return `${Math.round(durationMs)} ms`;
  if (Math.abs(durationMs) < 600_000) return `${(durationMs / 1000).toFixed(1)} s`;
  return `${(durationMs / 60_000).toFixed(1)} min`;
}

/** Seconds from the workload's start, as the timeline shows them: "+6.2 s". */
export function offset(tMs: number): string {
  return `${tMs < 0 ? "-" : "+"}${(Math.abs(tMs) / 1000).toFixed(1)} s`;
}

/** A wall-clock time as an offset from the workload's start when the report knows the start, else as an ISO time. */
export function wallClock(timeMs: number, startMs: number | undefined): string {
  if (startMs === undefined || !Number.isFinite(startMs)) return new Date(timeMs).toISOString();
  return offset(timeMs - startMs);
}

/** 1234567 → "1,234,567". */
export function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** The workload's start in wall-clock ms, where the report can tell it. */
export function startOf(report: Report): number | undefined {
  return report.checks?.startMs;
}

/** The command that runs the same scenario with the same random choices, quoted for a POSIX shell. */
export function replayCommand(report: Report): string | undefined {
  if (report.scenario.file === "") return undefined;
  return `shardline scenario run ${shellQuoted(report.scenario.file)} --seed ${report.seed}`;
}

export function shellQuoted(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Configuration names whose values are secrets: the report shows that they are set, not what they are. */
const SECRET_NAME = /pass|secret|auth|token|key/i;

/** The topology without its secrets (the cluster bus secret, requirepass and the like), fit to share. */
export function redactedTopology(topology: Report["topology"]): Report["topology"] {
  const nodeConfig = Object.fromEntries(Object.entries(topology.nodeConfig ?? {}).map(([name, value]) => [name, SECRET_NAME.test(name) ? "(redacted)" : value]));
  return { ...topology, secret: topology.secret === "" ? "" : "(redacted)", nodeConfig };
}
