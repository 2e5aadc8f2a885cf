import { loadScenario, ScenarioError } from "../scenario/index.js";
import { runScenario, type RunResult } from "./runner.js";

/** What `shardline scenario run` takes besides the file, as typed (checked here). */
export interface RunFileFlags {
  attach?: string;
  seed?: string;
  out?: string;
  basePort?: string;
  runDir?: string;
  keep?: boolean;
}

/** Where the command writes: lines to stdout, the progress line to stderr (rewritten in place on a terminal). */
export interface RunFileOutput {
  line(text: string): void;
  progress(text: string): void;
}

/** A flag that cannot be used, with what is allowed. */
export class RunFlagError extends Error {}

/**
 * `shardline scenario run FILE`: loads and checks the scenario file, runs
 * it, and returns the exit status (0 every expectation holds, 1 one does
 * not, 2 the run could not decide — a broken file included). Ctrl-C stops
 * the run cleanly: the workload stops, every fault is healed and a local
 * cluster is stopped; a second Ctrl-C leaves at once.
 */
export async function runScenarioFile(file: string, flags: RunFileFlags, output: RunFileOutput): Promise<number> {
  let scenario;
  try {
    scenario = loadScenario(file);
  } catch (error) {
    if (error instanceof ScenarioError) {
      output.line(`shardline: ${error.message}`);
      output.line("See scenarios/README.md for every field of a scenario file.");
      return 2;
    }
    throw error;
  }
  const abort = new AbortController();
  const interrupted = () => {
    if (abort.signal.aborted) {
      output.line("interrupted again: leaving now; 'shardline down --run-dir <the run directory>' stops nodes left behind");
      process.exit(130);
    }
    output.line("interrupted: stopping the workload, healing every fault and stopping the cluster (Ctrl-C again to leave at once)");
    abort.abort();
  };
  process.on("SIGINT", interrupted);
  process.on("SIGTERM", interrupted);
  let result: RunResult;
  try {
    result = await runScenario(scenario, {
      seed: integerFlag(flags.seed, "--seed", 0, 2 ** 32 - 1),
      attach: flags.attach === undefined ? undefined : address(flags.attach),
      outDirectory: flags.out,
      runDirectory: flags.runDir,
      basePort: integerFlag(flags.basePort, "--base-port", 1, 65535),
      keep: flags.keep,
      log: (text) => output.line(text),
      progress: (text) => output.progress(text),
      signal: abort.signal,
    });
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
  return abort.signal.aborted ? 130 : result.exitCode;
}

function integerFlag(text: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new RunFlagError(`${flag} takes a whole number from ${min} to ${max}, got '${text}'`);
  return value;
}

function address(text: string): { host: string; port: number } {
  const match = /^(.+):(\d+)$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65535) throw new RunFlagError(`--attach takes a node's address as host:port (its client port, e.g. 127.0.0.1:7000), got '${text}'`);
  return { host: match[1]!.replace(/^\[(.*)\]$/, "$1"), port };
}
