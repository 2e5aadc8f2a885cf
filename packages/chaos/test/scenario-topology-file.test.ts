import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_TOPOLOGY } from "@shardline/core";
import { loadTopology, parseTopology, TopologyFileError } from "../src/topology-file.js";

const lines = (...rows: string[]): string => rows.join("\n") + "\n";

function errorOf(text: string): TopologyFileError {
  try {
    parseTopology(text, "topology.yaml");
  } catch (error) {
    if (error instanceof TopologyFileError) return error;
    throw error;
  }
  throw new Error(`expected an error for:\n${text}`);
}

describe("topology files", () => {
  const directory = mkdtempSync(join(tmpdir(), "shardline-topology-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("give the default cluster without a path, as a copy the caller may change", () => {
    const topology = loadTopology(undefined);
    expect(topology).toEqual({ ...DEFAULT_TOPOLOGY });
    topology.availabilityZones.push("az-d");
    expect(DEFAULT_TOPOLOGY.availabilityZones).toHaveLength(3);
  });

  it("read YAML and JSON, defaults filling what they omit", () => {
    const yamlPath = join(directory, "small.yaml");
    writeFileSync(yamlPath, lines("name: small", "availabilityZones: [az-a, az-b]", "shards: 2", "replicasPerShard: 1", "nodeConfig: { maxmemory: 100mb }"));
    expect(loadTopology(yamlPath)).toEqual({ ...DEFAULT_TOPOLOGY, name: "small", availabilityZones: ["az-a", "az-b"], shards: 2, replicasPerShard: 1, nodeConfig: { maxmemory: "100mb" } });
    const jsonPath = join(directory, "small.json");
    writeFileSync(jsonPath, JSON.stringify({ shards: 1, basePort: 7100 }, null, 2));
    expect(loadTopology(jsonPath)).toMatchObject({ name: "default", shards: 1, basePort: 7100 });
  });

  it("say so, with the path, when the file cannot be read", () => {
    const path = join(directory, "missing.yaml");
    expect(() => loadTopology(path)).toThrow(`${path}: cannot read the topology file (ENOENT)`);
    expect(() => loadTopology(path)).toThrow(TopologyFileError);
  });

  it.each<[string, string, string]>([
    [
      "a value core refuses, at the value",
      lines("name: big", "replicasPerShard: 3"),
      "topology.yaml:2:19: replicasPerShard: 3 replicas need 4 availability zones (one per member of a shard), but only 3 are listed: add zones or lower replicasPerShard",
    ],
    [
      "the field's real line, not a comment that mentions it",
      lines("# shards: keep this at 3 or fewer", "name: big", "shards: 0"),
      "topology.yaml:3:9: shards: must be a whole number from 1 to 500, got 0",
    ],
    [
      "an unknown field, at the key, with the closest name",
      lines("name: small", "replicas: 1"),
      "topology.yaml:2:1: replicas: unknown field (did you mean replicasPerShard?); allowed: name, availabilityZones, shards, replicasPerShard, host, basePort, busPortOffset, nodeTimeoutMs, requireFullCoverage, secret, nodeConfig",
    ],
    [
      "a field in JSON",
      '{\n  "name": "x",\n  "nodeTimeoutMs": 5\n}\n',
      "topology.yaml:3:20: nodeTimeoutMs: must be a whole number from 100 to 3600000, got 5",
    ],
    ["bad YAML, with yaml's place", lines("name: x", "shards: [1"), "topology.yaml:3:1: not valid YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    ["a list instead of a mapping", lines("- shards: 3"), "topology.yaml:1:1: a topology file is a mapping of fields, e.g. {shards: 3, replicasPerShard: 2}, but this one holds a list"],
  ])("name %s", (_what, text, message) => {
    const error = errorOf(text);
    expect(error.message).toBe(message);
    const [, line, column] = /^topology\.yaml:(\d+):(\d+): /.exec(message)!;
    expect([error.file, error.line, error.column]).toEqual(["topology.yaml", Number(line), Number(column)]);
  });

  it("carry the field that is wrong", () => {
    expect(errorOf(lines("name: big", "replicasPerShard: 3")).field).toBe("replicasPerShard");
  });
});
