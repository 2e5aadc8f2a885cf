import { randomInt } from "node:crypto";
import { join, resolve } from "node:path";
import { placeNodes, Random, splitSlots, type Topology } from "@shardline/core";
import { AttachBackend } from "../backends/attach.js";
import { BackendError, type Backend } from "../backends/backend.js";
import { Controls } from "../backends/controls.js";
import { LocalBackend } from "../backends/local.js";
import { mergeEvents } from "../cluster/events.js";
import { judge, runChecks } from "../check/index.js";
import { pairOperations, type FaultEntry } from "../model/history.js";
import type { FinalState, Observations } from "../model/observations.js";
import type { Report, Verdict } from "../model/report.js";
import type { Scenario } from "../model/scenario.js";
import { buildTimeline, progressLine, renderSummary, writeReportFiles } from "../report/index.js";
import { HistoryRecorder, readFinalValues, touchedKeys, wallClockMs, Workload, WorkloadError } from "../workload/index.js";
import { waitForConvergence } from "./converge.js";
import { FaultExecutor } from "./faults.js";
import { Monitor } from "./monitor.js";
import { planSteps } from "./plan.js";

export interface RunOptions {
  /** Overrides the scenario's seed (`--seed`); neither: one is drawn and printed. */
  seed?: number;
  /** Run against this running cluster instead of starting one (`--attach host:port`). */
  attach?: { host: string; port: number };
  /** Where report.json, report.html and history.jsonl go; default .shardline/reports/<scenario>-<time>. */
  outDirectory?: string;
  /** The local backend's run directory; default .shardline/scenario-<scenario>. */
  runDirectory?: string;
  /** Overrides the topology's basePort (tests run scenarios on free ports). */
  basePort?: number;
  /** Leave a local cluster running after the run. */
  keep?: boolean;
  /** Lines for people (what happens, where the files are). */
  log(line: string): void;
  /** The live progress line, once a second. */
  progress?(line: string): void;
  /** Aborts the run (Ctrl-C): the workload stops, every fault is healed, a local cluster is stopped. */
  signal?: AbortSignal;
}

export interface RunResult {
  report: Report;
  /** 0: every expectation holds; 1: one does not; 2: the run could not decide. */
  exitCode: 0 | 1 | 2;
}

/** Bound on the cluster settling before the workload starts: every node ok and known. */
const READY_TIMEOUT_MS = 30_000;
/** Rules outlive the run by this much at most if the runner dies. */
const RULES_TTL_MARGIN_MS = 120_000;
const PROGRESS_INTERVAL_MS = 1000;

/**
 * Runs one scenario: starts (or attaches to) its cluster, watches every
 * node, drives the workload, carries out every fault at its time, then
 * stops the workload, heals everything (all processes up, all links
 * restored), waits for the cluster to converge, reads back every key,
 * checks what the clients saw against the scenario's expectations and
 * writes the reports. The exit code gates CI: 0 pass, 1 fail, 2 undecided.
 */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunResult> {
  const seed = options.seed ?? scenario.seed ?? randomInt(2 ** 32);
  const random = new Random(seed);
  const planRandom = random.fork();
  const faultRandom = random.fork();
  const workloadRandom = random.fork();
  const topology: Topology = { ...scenario.topology, ...(options.basePort === undefined ? {} : { basePort: options.basePort }) };
  const now = wallClockMs;
  const startedAt = new Date(now()).toISOString();
  const stamp = startedAt.replace(/[:.]/g, "-").replace(/Z$/, "");
  const outDirectory = resolve(options.outDirectory ?? join(".shardline", "reports", `${scenario.name}-${stamp}`));
  const files = { json: join(outDirectory, "report.json"), html: join(outDirectory, "report.html"), history: join(outDirectory, "history.jsonl") };
  const steps = planSteps(scenario, planRandom);
  options.log(`scenario ${scenario.name}: seed ${seed} (the same run again: --seed ${seed}); ${steps.length} fault step(s) over ${seconds(scenario.durationMs)}`);

  const base = (): Omit<Report, "verdict" | "checks" | "expectations" | "timeline"> => ({
    scenario: { name: scenario.name, description: scenario.description, file: scenario.file },
    seed,
    backend: options.attach === undefined ? "local" : "attach",
    startedAt,
    finishedAt: new Date(now()).toISOString(),
    topology,
    nodes: placedNodes(topology),
    workload: { client: scenario.workload.client, ratePerSecond: scenario.workload.ratePerSecond, clients: scenario.workload.clients, durationMs: scenario.durationMs, operations: 0, ok: 0, failed: 0, unknown: 0, opsPerSecond: 0 },
    faults: [],
    files,
  });
  const undecided = (reason: string): RunResult => {
    const report: Report = { ...base(), checks: undefined, expectations: [], verdict: "undecided", undecidedReason: reason, timeline: undefined };
    writeReportFiles(report, [], outDirectory);
    options.log(renderSummary(report));
    return { report, exitCode: 2 };
  };

  const controls = new Controls(topology.secret);
  let backend: Backend;
  try {
    backend =
      options.attach === undefined
        ? await LocalBackend.start(topology, {
            runDirectory: resolve(options.runDirectory ?? join(".shardline", `scenario-${scenario.name}`)),
            startTimeoutMs: 60_000,
            keep: options.keep === true,
            log: options.log,
          })
        : await AttachBackend.discover(options.attach, topology, controls);
  } catch (error) {
    controls.close();
    if (error instanceof BackendError) return undecided(`the cluster could not be started or found: ${error.message}`);
    throw error;
  }
  const recorder = new HistoryRecorder();
  const monitor = new Monitor([...backend.nodes()], now);
  let workload: Workload | undefined;
  let progressTimer: NodeJS.Timeout | undefined;
  try {
    await monitor.start();
    const ready = await waitUntilReady(backend, monitor, now);
    if (ready !== undefined) return undecided(ready);
    options.log(`cluster ready: ${backend.nodes().length} nodes (${backend.kind === "local" ? "local processes" : "attached"}); workload ${scenario.workload.ratePerSecond}/s through ${scenario.workload.client} for ${seconds(scenario.durationMs)}`);
    const errorsBefore = await monitor.errorStats();
    const executor = new FaultExecutor(backend, controls, monitor, faultRandom, (entry) => recorder.fault(entry), now, scenario.durationMs + scenario.settleTimeoutMs + RULES_TTL_MARGIN_MS);
    workload = new Workload({ spec: scenario.workload, seeds: backend.seeds(), natMap: backend.natMap(), random: workloadRandom, recorder, now, log: options.log });
    try {
      await workload.start();
    } catch (error) {
      if (error instanceof WorkloadError) return undecided(error.message);
      throw error;
    }
    const workloadStartMs = workload.startedAtMs!;
    let currentFault: string | undefined;
    progressTimer = setInterval(() => {
      const counters = recorder.counters(now());
      options.progress?.(
        progressLine({ elapsedMs: now() - workloadStartMs, durationMs: scenario.durationMs, opsPerSecond: counters.completedLastSecond, errors: counters.failed, unknown: counters.unknown, fault: currentFault }),
      );
    }, PROGRESS_INTERVAL_MS);
    for (const step of steps) {
      if (!(await sleepUntil(workloadStartMs + step.atMs, now, options.signal))) break;
      const entry = await executor.execute(step);
      currentFault = describeCurrent(entry, executor, currentFault);
      options.log(`${seconds(entry.timeMs - workloadStartMs, 1).padStart(7)}  ${step.label}: ${entry.description}${entry.unsupported ? "  [UNSUPPORTED]" : entry.error ? "  [FAILED]" : ""}`);
    }
    await sleepUntil(workloadStartMs + scenario.durationMs, now, options.signal);
    clearInterval(progressTimer);
    progressTimer = undefined;
    await workload.stop();
    const workloadEndMs = now();
    if (options.signal?.aborted) {
      await executor.healEverything().catch(() => []);
      return undecided("the run was interrupted");
    }

    options.log("workload stopped; final heal: every process up, every link restored");
    const healed = await finalHeal(executor, recorder, now);
    const healedAtMs = now();
    const { convergedAtMs, check } = await waitForConvergence(backend.nodes(), topology.shards, scenario.settleTimeoutMs, now);
    options.log(convergedAtMs === undefined ? `the cluster did not converge within ${seconds(scenario.settleTimeoutMs)}: ${check.problems.slice(0, 3).join("; ")}` : `converged ${seconds(convergedAtMs - healedAtMs, 1)} after the heal${healed.length ? ` (${healed.join(", ")})` : ""}`);
    const final = await finalState(scenario, backend, recorder, healedAtMs, convergedAtMs, check, options.log);
    await monitor.readRecords();
    const errorsAfter = await monitor.errorStats();
    await monitor.stop();

    const entries = recorder.entries();
    const operations = pairOperations(entries);
    const faults = entries.filter((entry): entry is FaultEntry => entry.type === "fault");
    const observations: Observations = {
      shardOfSlot: shardOfSlot(topology.shards),
      nodes: backend.nodes().map(({ name, shard, availabilityZone, initialRole }) => ({ name, shard, availabilityZone, initialRole })),
      samples: monitor.samples,
      writeTerms: monitor.writeTerms(),
      events: mergeEvents(monitor.events(), monitor.names),
      final,
      workloadStartMs,
      workloadEndMs,
    };
    const results = runChecks(operations, faults, observations, { waitReplicasAsked: scenario.workload.wait?.replicas, wireErrors: wireErrorDeltas(errorsBefore, errorsAfter) });
    const judged = judge(scenario.expect, results);
    const counters = recorder.counters(now());
    const undecidedReason = whyUndecided(recorder, monitor, faults);
    // A failed expectation stands whatever else went wrong; a pass counts only if every fault really happened.
    const verdict: Verdict = judged.verdict === "fail" ? "fail" : undecidedReason !== undefined ? "undecided" : "pass";
    const report: Report = {
      ...base(),
      workload: {
        ...base().workload,
        operations: operations.length,
        ok: counters.ok,
        failed: counters.failed,
        unknown: operations.length - counters.ok - counters.failed,
        opsPerSecond: Math.round((operations.length / Math.max(1, workloadEndMs - workloadStartMs)) * 1000),
      },
      faults: faults.map((fault) => ({ tMs: fault.timeMs - workloadStartMs, step: fault.step, do: fault.do, targets: fault.targets, description: fault.description, unsupported: fault.unsupported, error: fault.error })),
      checks: results,
      expectations: judged.expectations,
      verdict,
      ...(verdict === "undecided" ? { undecidedReason } : {}),
      timeline: buildTimeline(operations, faults, observations),
    };
    writeReportFiles(report, entries, outDirectory);
    options.log(renderSummary(report));
    return { report, exitCode: verdict === "pass" ? 0 : verdict === "fail" ? 1 : 2 };
  } finally {
    if (progressTimer !== undefined) clearInterval(progressTimer);
    await workload?.stop().catch(() => undefined);
    await monitor.stop();
    controls.close();
    await backend.close();
  }
}

/**
 * Why a run whose expectations all hold still cannot pass: a fault it was
 * meant to cause did not happen (unsupported by the backend, or it went
 * wrong), or its records hit their bounds and it cannot be judged whole.
 */
function whyUndecided(recorder: HistoryRecorder, monitor: Monitor, faults: readonly FaultEntry[]): string | undefined {
  if (recorder.truncated || monitor.samplesTruncated) return "the history or the monitor's samples reached their bound: the run was too long to judge whole";
  const missed = faults.filter((fault) => fault.unsupported !== undefined || fault.error !== undefined);
  if (missed.length === 0) return undefined;
  const list = missed.slice(0, 3).map((fault) => `${fault.step} (${fault.unsupported ?? fault.error})`);
  return `${missed.length} fault(s) did not happen as planned, so the scenario was not what it describes: ${list.join("; ")}${missed.length > 3 ? "; ..." : ""}`;
}

/** Waits until every node answers, reports cluster_state:ok and its id is known (fault rules name peers by id). */
async function waitUntilReady(backend: Backend, monitor: Monitor, now: () => number): Promise<string | undefined> {
  const deadline = now() + READY_TIMEOUT_MS;
  for (;;) {
    const missing = backend.nodes().filter((node) => monitor.latest(node.name)?.clusterStateOk !== true || monitor.idOf(node.name) === undefined);
    if (missing.length === 0) return undefined;
    if (now() > deadline) return `the cluster was not ready within ${seconds(READY_TIMEOUT_MS)}: ${missing.map((n) => n.name).join(", ")} not answering with cluster_state:ok`;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every process up, every link restored, recorded in the history as the run's last fault entry. */
async function finalHeal(executor: FaultExecutor, recorder: HistoryRecorder, now: () => number): Promise<string[]> {
  const entry: FaultEntry = { type: "fault", timeMs: now(), step: "final-heal", do: "heal", targets: [], description: "final heal: every process up, every link restored" };
  let done: string[] = [];
  try {
    done = await executor.healEverything();
    if (done.length > 0) entry.description += ` (${done.join(", ")})`;
  } catch (error) {
    entry.error = (error as Error).message;
  }
  recorder.fault(entry);
  return done;
}

async function finalState(scenario: Scenario, backend: Backend, recorder: HistoryRecorder, healedAtMs: number, convergedAtMs: number | undefined, check: { problems: string[]; primaries: Record<number, string> }, log: (line: string) => void): Promise<FinalState> {
  const keys = touchedKeys(recorder.entries());
  let values: FinalState["values"] = {};
  const problems = [...check.problems];
  try {
    values = await readFinalValues(keys, backend.seeds(), backend.natMap(), { timeoutMs: Math.max(10_000, scenario.settleTimeoutMs) });
  } catch (error) {
    problems.push(`the final read of ${keys.length} keys failed: ${(error as Error).message}`);
    log(problems[problems.length - 1]!);
    return { healedAtMs, convergedAtMs, problems, primaries: check.primaries, values: {}, valuesUnreadable: problems[problems.length - 1]! };
  }
  return { healedAtMs, convergedAtMs, problems, primaries: check.primaries, values };
}

/** Error replies the nodes sent during the run: INFO errorstats after minus before, per node (a restarted node counts from its restart). */
function wireErrorDeltas(before: Map<string, { runId: string; counts: Record<string, number> }>, after: Map<string, { runId: string; counts: Record<string, number> }>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const [node, end] of after) {
    const start = before.get(node);
    const sameProcess = start !== undefined && start.runId === end.runId;
    for (const [code, count] of Object.entries(end.counts)) {
      const delta = count - (sameProcess ? (start.counts[code] ?? 0) : 0);
      if (delta > 0) total[code] = (total[code] ?? 0) + delta;
    }
  }
  return total;
}

function shardOfSlot(shards: number): (slot: number) => number {
  const ranges = splitSlots(shards);
  return (slot) => ranges.findIndex(([start, end]) => slot >= start && slot <= end) + 1;
}

function placedNodes(topology: Topology): Report["nodes"] {
  return placeNodes(topology).map((node) => ({ name: node.name, shard: node.shard, availabilityZone: node.availabilityZone, initialRole: node.initialRole, address: `${node.host}:${node.port}` }));
}

/** What the progress line shows as the fault in force: the latest fault, until a step undoes faults. */
function describeCurrent(entry: FaultEntry, executor: FaultExecutor, shown: string | undefined): string | undefined {
  if (entry.do === "restart" || entry.do === "resume") return undefined;
  if (entry.do === "heal") return executor.networkFaults === 0 ? undefined : shown;
  return entry.description;
}

/** Sleeps until wall-clock `atMs`; false when aborted first. */
async function sleepUntil(atMs: number, now: () => number, signal: AbortSignal | undefined): Promise<boolean> {
  while (now() < atMs) {
    if (signal?.aborted) return false;
    await new Promise((r) => setTimeout(r, Math.min(100, Math.max(1, atMs - now()))));
  }
  return !signal?.aborted;
}

function seconds(ms: number, digits = 0): string {
  return `${(ms / 1000).toFixed(digits)} s`;
}
