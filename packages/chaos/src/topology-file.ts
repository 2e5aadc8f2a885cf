import { readFileSync } from "node:fs";
import { DEFAULT_TOPOLOGY, topologyFrom, TopologyError, type Topology } from "@shardline/core";
import { parseDocument } from "yaml";

/** A topology file that cannot be used; the message names the file and what to fix. */
export class TopologyFileError extends Error {}

/** Reads a YAML or JSON topology file (defaults fill what it omits); no path gives the default cluster. */
export function loadTopology(path: string | undefined): Topology {
  if (path === undefined) return { ...DEFAULT_TOPOLOGY, availabilityZones: [...DEFAULT_TOPOLOGY.availabilityZones], nodeConfig: {} };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new TopologyFileError(`${path}: cannot read the topology file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const line = first.linePos?.[0];
    throw new TopologyFileError(`${path}${line ? `:${line.line}:${line.col}` : ""}: not valid YAML or JSON: ${first.message.split("\n")[0]}`);
  }
  try {
    return topologyFrom(document.toJS());
  } catch (error) {
    if (error instanceof TopologyError) {
      const line = lineOf(text, error.field);
      throw new TopologyFileError(`${path}${line ? `:${line}` : ""}: ${error.message}`);
    }
    throw error;
  }
}

function lineOf(text: string, field: string): number | undefined {
  const index = text.split("\n").findIndex((line) => new RegExp(`^\\s*"?${field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?\\s*:`).test(line));
  return index < 0 ? undefined : index + 1;
}
