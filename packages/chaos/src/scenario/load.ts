import { readFileSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join } from "node:path";
import type { Topology } from "@shardline/core";
import type { ChaosSpec, Scenario, TimelineStep } from "../model/scenario.js";
import { readChaos } from "./chaos.js";
import { badValue, describeValue, FieldError, formatPath, formatPlace, ScenarioError } from "./errors.js";
import { readExpectations } from "./expect.js";
import { DEFAULT_SCENARIO_TIMES, SCENARIO_LIMITS } from "./limits.js";
import { parseYamlSource, type YamlSource } from "./source.js";
import { readTimeline } from "./timeline.js";
import { defaultTopology, isMapping, readTopology, topologyFacts } from "./topology.js";
import { formatDurationMs, readDuration, readInteger, readMapping, readString, type Field } from "./values.js";
import { readWorkload } from "./workload.js";

export const SCENARIO_FIELDS = ["name", "description", "seed", "topology", "duration", "settleTimeout", "workload", "timeline", "chaos", "expect"] as const;

/** Scenario names follow topology names: they name run directories and reports. */
const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

export interface ParseScenarioOptions {
  /** Reads a topology file the scenario names (default: readFileSync as UTF-8); tests pass their own. */
  readFile?(path: string): string;
}

/**
 * Reads a scenario file's text into a Scenario with every default filled
 * in. `file` names it in errors and resolves a `topology` path. Throws
 * ScenarioError naming file:line:col, the field and what is allowed.
 */
export function parseScenario(text: string, file: string, options: ParseScenarioOptions = {}): Scenario {
  const source = parseYamlSource(text);
  if (source.syntaxError !== undefined) {
    const { line = 0, column = 0 } = source.syntaxError.place ?? {};
    throw new ScenarioError(file, line, column, "", `not valid YAML: ${source.syntaxError.message}`);
  }
  try {
    return scenarioFrom(source, file, options.readFile ?? ((path) => readFileSync(path, "utf8")));
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    const { line, column } = source.locate(error.path, error.part);
    throw new ScenarioError(file, line, column, formatPath(error.path), error.detail);
  }
}

/** Reads and parses a scenario file; a file that cannot be read says so with its path. */
export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ScenarioError(path, 0, 0, "", `cannot read the scenario file (${reason}): check the path`);
  }
  return parseScenario(text, path);
}

function scenarioFrom(source: YamlSource, file: string, readFile: (path: string) => string): Scenario {
  const example = "{name: kill-primary, timeline: [{at: 5s, do: kill, target: primary-of-shard 1}]}";
  if (!isMapping(source.data)) throw new FieldError([], `a scenario file is a mapping of fields, e.g. ${example}, but this one holds ${describeValue(source.data)}`);
  const fields = readMapping({ value: source.data, path: [] }, SCENARIO_FIELDS, example);
  const topology = fields.topology === undefined ? defaultTopology() : scenarioTopology(fields.topology, file, source, readFile);
  const facts = topologyFacts(topology);
  const workload = readWorkload(fields.workload, facts);
  const timeline = fields.timeline === undefined ? { steps: [], atFields: [] } : readTimeline(fields.timeline, facts, (path) => source.locate(path, "value").line);
  const chaos = fields.chaos === undefined ? undefined : readChaos(fields.chaos, facts);
  const settleTimeoutMs =
    fields.settleTimeout === undefined ? DEFAULT_SCENARIO_TIMES.settleTimeoutMs : readDuration(fields.settleTimeout, { minMs: 1000, maxMs: SCENARIO_LIMITS.settleTimeoutMsMax });
  const expect = readExpectations(fields.expect, workload);
  if (expect.convergedWithinMs !== undefined && expect.convergedWithinMs > settleTimeoutMs) {
    throw new FieldError(["expect", "convergedWithinMs"], `${expect.convergedWithinMs}ms is longer than settleTimeout (${formatDurationMs(settleTimeoutMs)}), the longest the runner waits for convergence: raise settleTimeout`);
  }
  return {
    name: scenarioName(fields.name, file),
    description: fields.description === undefined ? "" : readString(fields.description, "Kill the primary of shard 1 under load").trim(),
    file,
    seed: fields.seed === undefined ? undefined : readInteger(fields.seed, 0, SCENARIO_LIMITS.seedMax),
    topology,
    workload,
    timeline: timeline.steps,
    chaos,
    expect,
    durationMs: scenarioDuration(fields.duration, timeline, chaos, fields.chaos),
    settleTimeoutMs,
  };
}

/** The file's `name`, else the file's name without its extension ("scenario" for text with no file). */
function scenarioName(field: Field | undefined, file: string): string {
  if (field !== undefined) {
    const name = readString(field, "kill-primary");
    if (!NAME.test(name)) throw new FieldError(field.path, `${describeValue(name)}: must be 1-40 lowercase letters, digits or '-', starting with a letter or digit`);
    return name;
  }
  if (file === "") return "scenario";
  const fromFile = basename(file, extname(file));
  if (!NAME.test(fromFile)) {
    throw new FieldError([], `the file name '${fromFile}' is not a scenario name (1-40 lowercase letters, digits or '-'): rename the file or add a name field, e.g. name: kill-primary`);
  }
  return fromFile;
}

/**
 * How long the workload runs: the file's `duration`, which every step and
 * the chaos schedule must fit in; else 10 s past the last fault, at least 20 s.
 */
function scenarioDuration(field: Field | undefined, timeline: { steps: TimelineStep[]; atFields: Field[] }, chaos: ChaosSpec | undefined, chaosField: Field | undefined): number {
  const chaosEndMs = chaos === undefined ? 0 : chaos.startMs + chaos.durationMs;
  const lastFaultMs = Math.max(timeline.steps.at(-1)?.atMs ?? 0, chaosEndMs);
  if (field === undefined) return Math.min(SCENARIO_LIMITS.durationMsMax, Math.max(DEFAULT_SCENARIO_TIMES.durationMsMin, lastFaultMs + DEFAULT_SCENARIO_TIMES.tailMs));
  const durationMs = readDuration(field, { minMs: 1000, maxMs: SCENARIO_LIMITS.durationMsMax });
  timeline.steps.forEach((step, index) => {
    if (step.atMs >= durationMs) {
      const at = timeline.atFields[index]!;
      throw new FieldError(at.path, `${describeValue(at.value)}: the workload ends at ${formatDurationMs(durationMs)} (duration): move the step earlier or lengthen the duration`);
    }
  });
  if (chaos !== undefined && chaosEndMs > durationMs) {
    throw new FieldError(chaosField!.path, `the schedule runs to ${formatDurationMs(chaosEndMs)} (start + duration), past the workload's end at ${formatDurationMs(durationMs)}: shorten it or lengthen the scenario's duration`);
  }
  return durationMs;
}

/**
 * `topology`: a mapping of fields over the default, or the path of a
 * topology file relative to the scenario file. Errors inside that file name
 * that file's line, and the scenario that loaded it.
 */
function scenarioTopology(field: Field, file: string, source: YamlSource, readFile: (path: string) => string): Topology {
  if (typeof field.value !== "string") {
    if (!isMapping(field.value)) throw new FieldError(field.path, badValue(field.value, `must be a mapping of topology fields (e.g. {nodeTimeoutMs: 1000}) or the path of a topology file`));
    return readTopology(field);
  }
  const path = isAbsolute(field.value) ? field.value : join(dirname(file), field.value);
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new FieldError(field.path, `${describeValue(field.value)}: cannot read the topology file ${path} (${reason}): the path is relative to the scenario file`);
  }
  const from = source.locate(field.path, "value");
  return topologyFile(text, path, `the topology of ${formatPlace(file, from.line, from.column)}`);
}

/** A topology file named by a scenario: its errors carry its own file:line:col, and say which scenario loaded it. */
function topologyFile(text: string, path: string, loadedBy: string): Topology {
  const source = parseYamlSource(text);
  if (source.syntaxError !== undefined) {
    const { line = 0, column = 0 } = source.syntaxError.place ?? {};
    throw new ScenarioError(path, line, column, "", `not valid YAML or JSON: ${source.syntaxError.message} (${loadedBy})`);
  }
  try {
    return readTopology({ value: source.data, path: [] });
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    const { line, column } = source.locate(error.path, error.part);
    throw new ScenarioError(path, line, column, formatPath(error.path), `${error.detail} (${loadedBy})`);
  }
}
