import { readFileSync } from "node:fs";
import type { Topology } from "@shardline/core";
import { FieldError, formatPath, formatPlace } from "./scenario/errors.js";
import { parseYamlSource } from "./scenario/source.js";
import { defaultTopology, readTopology } from "./scenario/topology.js";

/**
 * A topology file that cannot be used; the message names the file, line,
 * column and field, and what to fix. line and column are 0 when unknown.
 */
export class TopologyFileError extends Error {
  constructor(
    message: string,
    readonly file = "",
    readonly line = 0,
    readonly column = 0,
    readonly field = "",
  ) {
    super(message);
    this.name = "TopologyFileError";
  }
}

/** Reads a YAML or JSON topology file (defaults fill what it omits); no path gives the default cluster. */
export function loadTopology(path: string | undefined): Topology {
  if (path === undefined) return defaultTopology();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new TopologyFileError(`${path}: cannot read the topology file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, path);
  }
  return parseTopology(text, path);
}

/**
 * A topology from the text of a topology file; `file` names it in errors.
 * Lines come from the YAML parser's node ranges, so the message points at
 * the value (or, for an unknown field, the key) that is wrong.
 */
export function parseTopology(text: string, file: string): Topology {
  const source = parseYamlSource(text);
  if (source.syntaxError !== undefined) {
    const { line = 0, column = 0 } = source.syntaxError.place ?? {};
    throw new TopologyFileError(`${formatPlace(file, line, column)}: not valid YAML or JSON: ${source.syntaxError.message}`, file, line, column);
  }
  try {
    return readTopology({ value: source.data, path: [] });
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    const { line, column } = source.locate(error.path, error.part);
    throw new TopologyFileError(`${formatPlace(file, line, column)}: ${error.message}`, file, line, column, formatPath(error.path));
  }
}
