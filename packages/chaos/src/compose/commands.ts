import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { TopologyError, type Topology } from "@shardline/core";
import { ClusterFormError, formTopology } from "../cluster/form.js";
import { loadTopology, TopologyFileError } from "../topology-file.js";
import { SubnetError } from "./addresses.js";
import { composeFile, DEFAULT_SUBNET, INIT_SERVICE, RUNNER_PROFILE, RUNNER_SERVICE } from "./compose-file.js";
import { REPOSITORY_ROOT } from "./paths.js";

/** Where a command writes: `out` for what it did, `err` for what went wrong and what to do. */
export interface CommandOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const DEFAULT_COMPOSE_OUTPUT = "docker-compose.yml";

export interface ComposeCommandOptions {
  /** A topology file (YAML or JSON) inside the repository; undefined for the default topology. */
  topologyPath: string | undefined;
  /** The compose file to write or check. */
  outputPath: string;
  /** Compare instead of writing. */
  check: boolean;
  subnet: string;
}

/** A command's inputs that cannot work; the message says what to change. */
class CommandError extends Error {}

/**
 * `shardline compose`: writes the compose file generated from a topology,
 * or with `check` compares the file with it (exit 1 when they differ).
 * Returns the exit status.
 */
export function composeCommand(options: ComposeCommandOptions, output: CommandOutput): number {
  try {
    const topology = loadTopology(options.topologyPath);
    const text = composeFile(topology, {
      subnet: options.subnet,
      buildContext: buildContextFor(options.outputPath),
      topologyFile: options.topologyPath === undefined ? undefined : topologyInRepository(options.topologyPath),
    });
    return options.check ? checkFile(options, text, output) : writeFile(options, topology, text, output);
  } catch (error) {
    if (!(error instanceof CommandError || error instanceof SubnetError || error instanceof TopologyFileError || error instanceof TopologyError)) throw error;
    output.err(`shardline: ${error.message}`);
    return 1;
  }
}

function writeFile(options: ComposeCommandOptions, topology: Topology, text: string, output: CommandOutput): number {
  try {
    writeFileSync(options.outputPath, text);
  } catch (error) {
    throw new CommandError(`cannot write ${options.outputPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): choose a writable path with --output`);
  }
  const nodes = topology.shards * (topology.replicasPerShard + 1);
  output.out(`wrote ${options.outputPath}: ${nodes} nodes of cluster '${topology.name}', ${INIT_SERVICE} (forms it), ${RUNNER_SERVICE} (profile ${RUNNER_PROFILE}), network ${options.subnet}`);
  const isDefault = resolve(options.outputPath) === resolve(DEFAULT_COMPOSE_OUTPUT);
  output.out(`start it: docker compose ${isDefault ? "" : `-f ${options.outputPath} `}up -d`);
  return 0;
}

function checkFile(options: ComposeCommandOptions, text: string, output: CommandOutput): number {
  const regenerate = regenerateCommand(options);
  if (!existsSync(options.outputPath)) {
    output.err(`shardline: ${options.outputPath} does not exist: run '${regenerate}' to write it`);
    return 1;
  }
  const existing = readFileSync(options.outputPath, "utf8");
  if (existing === text) {
    output.out(`${options.outputPath} is up to date`);
    return 0;
  }
  const line = firstDifferentLine(existing, text);
  output.err(`shardline: ${options.outputPath} differs from what 'shardline compose' generates, first at line ${line}: run '${regenerate}' to regenerate it (do not edit it by hand)`);
  return 1;
}

/** The 1-based number of the first line where the two texts differ. */
export function firstDifferentLine(a: string, b: string): number {
  const linesA = a.split("\n");
  const linesB = b.split("\n");
  let index = 0;
  while (index < linesA.length && index < linesB.length && linesA[index] === linesB[index]) index++;
  return index + 1;
}

function regenerateCommand(options: ComposeCommandOptions): string {
  return [
    "npx shardline compose",
    ...(options.topologyPath === undefined ? [] : [`--topology ${options.topologyPath}`]),
    ...(resolve(options.outputPath) === resolve(DEFAULT_COMPOSE_OUTPUT) ? [] : [`--output ${options.outputPath}`]),
    ...(options.subnet === DEFAULT_SUBNET ? [] : [`--subnet ${options.subnet}`]),
  ].join(" ");
}

/** The repository root as seen from the compose file's directory: compose resolves the build context from there. */
function buildContextFor(outputPath: string): string {
  const path = relative(dirname(resolve(outputPath)), REPOSITORY_ROOT);
  return path === "" ? "." : path.split(sep).join("/");
}

/** The topology file as a path inside the repository: the image holds the repository, and the init service reads the topology there. */
function topologyInRepository(topologyPath: string): string {
  const path = relative(REPOSITORY_ROOT, resolve(topologyPath));
  if (path.startsWith("..") || isAbsolute(path)) {
    throw new CommandError(`${topologyPath} is outside the repository (${REPOSITORY_ROOT}): the image holds only the repository, where the init service reads the topology; move the file into it`);
  }
  return path.split(sep).join("/");
}

export interface FormCommandOptions {
  topologyPath: string | undefined;
  timeoutMs: number;
  /** See FormTopologyOptions.hosts. */
  hosts: readonly string[];
}

/**
 * `shardline form`: forms the topology's cluster from running blank nodes
 * (harmless on a cluster already formed) and waits for cluster_state:ok.
 * Returns the exit status.
 */
export async function formCommand(options: FormCommandOptions, output: CommandOutput): Promise<number> {
  try {
    if (!Number.isInteger(options.timeoutMs) || options.timeoutMs < 1) throw new CommandError("--timeout takes a whole number of milliseconds, e.g. --timeout 60000");
    const topology = loadTopology(options.topologyPath);
    const result = await formTopology(topology, { hosts: options.hosts, timeoutMs: options.timeoutMs, log: output.out });
    output.out(`cluster '${topology.name}' ${result.formed ? "is formed" : "was already formed"}: cluster_state:ok on all ${result.nodes} nodes`);
    return 0;
  } catch (error) {
    if (!(error instanceof CommandError || error instanceof ClusterFormError || error instanceof TopologyFileError || error instanceof TopologyError)) throw error;
    output.err(`shardline: ${error.message}`);
    return 1;
  }
}
