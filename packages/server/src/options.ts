import { readFileSync } from "node:fs";
import { ConfigError, ConfigStore, Engine, Random, type ConfigParameter } from "@shardline/core";
import { splitInlineArguments } from "@shardline/resp";
import { RUNTIME_PARAMETERS } from "./runtime-parameters.js";

/**
 * One start-up setting and where it came from, so an error can point at the
 * flag (`--maxmemory`) or the config file line (`node.conf:3`) to fix.
 */
export interface Setting {
  name: string;
  value: string;
  origin: string;
}

/**
 * Start-up configuration of a node, as redis-server takes it: an optional
 * config file (one `name value...` per line, `#` comments) followed by
 * `--name value` flags, later ones winning.
 */
export interface NodeOptions {
  configFile: string | undefined;
  settings: Setting[];
  /** `--help` or `-h` was given: print the usage and exit 0. */
  help: boolean;
  /** `--version` or `-v` was given: print the version and exit 0. */
  version: boolean;
}

/** The command line or a config file is wrong; the message says where and what to do. */
export class UsageError extends Error {}

let nodeParameterTable: readonly ConfigParameter[] | undefined;

/**
 * Every parameter a node accepts at start-up: the engine's own table (read
 * from an engine, so the two cannot drift) and the runtime's.
 */
export function nodeParameters(): readonly ConfigParameter[] {
  if (nodeParameterTable === undefined) {
    const config = new Engine({ clock: { nowMs: () => 0 }, random: new Random(1) }).config;
    const engineParameters = config.names().map((name) => config.parameter(name)!);
    nodeParameterTable = [...engineParameters, ...RUNTIME_PARAMETERS.filter((parameter) => !config.has(parameter.name))];
  }
  return nodeParameterTable;
}

/**
 * Parses `[config-file] [--name value...]`. A flag takes every following
 * word up to the next `--flag` as its value (`--save 900 1 300 10`), as
 * redis-server does; `--name` alone means the empty value.
 */
export function parseNodeArguments(argv: readonly string[]): NodeOptions {
  const options: NodeOptions = { configFile: undefined, settings: [], help: false, version: false };
  let index = 0;
  if (argv[0] !== undefined && !argv[0].startsWith("-")) {
    options.configFile = argv[0];
    options.settings.push(...readConfigFile(argv[0]));
    index = 1;
  }
  while (index < argv.length) {
    const flag = argv[index]!;
    index++;
    if (flag === "--help" || flag === "-h") {
      options.help = true;
      continue;
    }
    if (flag === "--version" || flag === "-v") {
      options.version = true;
      continue;
    }
    if (!flag.startsWith("--") || flag.length === 2) {
      const hint = index === 1 ? "" : " (a config file, if any, must come first)";
      throw new UsageError(`expected an option like --port 7000, got '${flag}'${hint}`);
    }
    const values: string[] = [];
    while (index < argv.length && !argv[index]!.startsWith("--")) values.push(argv[index++]!);
    options.settings.push({ name: flag.slice(2).toLowerCase(), value: values.join(" "), origin: flag });
  }
  return options;
}

/**
 * Reads a Redis-style config file: `name value...` per line, arguments split
 * (and unquoted) the way redis-server splits them, `#` starting a comment.
 */
export function readConfigFile(path: string): Setting[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new UsageError(`cannot read config file '${path}': ${reason}. Pass the path of a readable file, or no file at all.`);
  }
  const settings: Setting[] = [];
  text.split(/\r?\n/).forEach((raw, lineIndex) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const origin = `${path}:${lineIndex + 1}`;
    const words = splitInlineArguments(line);
    if (words === undefined || words.length === 0) throw new UsageError(`${origin}: unbalanced quotes in '${line}'`);
    const name = words[0]!.toLowerCase();
    if (name === "include") throw new UsageError(`${origin}: 'include' is not supported; put every setting in one file`);
    settings.push({ name, value: words.slice(1).join(" "), origin });
  });
  return settings;
}

/**
 * Checks every setting against the parameter table before anything starts,
 * so a typo stops the node with a message naming the option and what it
 * accepts instead of failing half-way through start-up.
 */
export function validateSettings(settings: readonly Setting[], parameters: readonly ConfigParameter[] = nodeParameters()): void {
  const store = new ConfigStore(parameters);
  for (const setting of settings) {
    if (!store.has(setting.name)) {
      const suggestion = closestName(setting.name, store.names());
      const hint = suggestion === undefined ? "" : ` (did you mean '${suggestion}'?)`;
      throw new UsageError(`${setting.origin}: unknown option '${setting.name}'${hint}.`);
    }
    try {
      store.set(setting.name, setting.value, true);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new UsageError(`${setting.origin}: bad value for '${error.parameter}': ${error.reason}`);
    }
  }
}

/** The last value given for a parameter, or its default. */
export function settingValue(settings: readonly Setting[], name: string): string {
  const found = settings.findLast((setting) => setting.name === name);
  if (found !== undefined) return found.value;
  const parameter = nodeParameters().find((candidate) => candidate.name === name);
  if (parameter === undefined) throw new Error(`no parameter named ${name}`);
  return parameter.default;
}

/** A known name within two edits of `name`, for "did you mean" hints. */
function closestName(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of names) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** `--help`: generated from the parameter table, so it lists exactly what the node accepts. */
export function usageText(): string {
  const lines = nodeParameters().map((p) => {
    const fixed = p.immutable ? ", start-up only" : "";
    return `  --${p.name} ${kindHint(p)}  (default ${JSON.stringify(p.default)}${fixed})`;
  });
  return [
    "Usage: shardline-node [config-file] [--name value ...]",
    "",
    "Runs one Redis 7.0-compatible node. Options are Redis configuration parameters;",
    "a config file takes the same names, one `name value` per line, and flags given",
    "after it win. CONFIG GET * on a running node shows the values in effect.",
    "",
    "Examples:",
    "  shardline-node --port 7000",
    "  shardline-node --port 7000 --requirepass s3cret --maxmemory 100mb --maxmemory-policy allkeys-lru",
    "  shardline-node ./node.conf --port 7001 --logfile /tmp/node-7001.log",
    "",
    "Options:",
    ...lines,
    "  --help, -h  print this text",
    "  --version, -v  print the version",
    "",
    "Exit status: 0 after a clean shutdown (SIGTERM, SIGINT); 1 when the node cannot",
    "start (port in use, address not available, log file not writable); 2 for a bad",
    "option, value or config file; 70 when it crashes (a bug: the log has the stack).",
  ].join("\n");
}

function kindHint(parameter: ConfigParameter): string {
  switch (parameter.kind) {
    case "boolean":
      return "<yes|no>";
    case "integer":
      return "<integer>";
    case "memory":
      return "<bytes|kb|mb|gb>";
    case "enum":
      return `<${parameter.values!.join("|")}>`;
    case "string":
    case "list":
      return "<text>";
  }
}
