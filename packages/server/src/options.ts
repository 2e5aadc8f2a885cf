import { readFileSync } from "node:fs";
import { splitInlineArguments } from "@shardline/resp";

/**
 * Start-up configuration of a node, as redis-server takes it: an optional
 * config file (one `name value...` per line, `#` comments) followed by
 * `--name value` flags, later ones winning. Returns the pairs in order.
 */
export interface NodeOptions {
  configFile: string | undefined;
  pairs: [string, string][];
}

export class UsageError extends Error {}

export function parseNodeArguments(argv: readonly string[]): NodeOptions {
  const pairs: [string, string][] = [];
  let configFile: string | undefined;
  let i = 0;
  if (argv[0] !== undefined && !argv[0].startsWith("--")) {
    configFile = argv[0];
    pairs.push(...readConfigFile(configFile));
    i = 1;
  }
  while (i < argv.length) {
    const flag = argv[i]!;
    if (!flag.startsWith("--") || flag.length === 2) throw new UsageError(`expected an option like --port 7000, got '${flag}'`);
    const values: string[] = [];
    i++;
    while (i < argv.length && !argv[i]!.startsWith("--")) values.push(argv[i++]!);
    pairs.push([flag.slice(2).toLowerCase(), values.join(" ")]);
  }
  return { configFile, pairs };
}

export function readConfigFile(path: string): [string, string][] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  const pairs: [string, string][] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const words = splitInlineArguments(line);
    if (words === undefined || words.length === 0) throw new UsageError(`${path}:${index + 1}: unbalanced quotes`);
    pairs.push([words[0]!.toLowerCase(), words.slice(1).join(" ")]);
  });
  return pairs;
}
