import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { down, up, type RunState } from "@shardline/chaos";
import { DEFAULT_TOPOLOGY, type Topology } from "@shardline/core";
import { freePortRange } from "./processes.js";

/** Bus ports sit 1000 above client ports so a whole test cluster stays below the ephemeral range. */
export const TEST_BUS_OFFSET = 1000;

export interface TestCluster {
  runDirectory: string;
  topology: Topology;
  state: RunState;
  /** Stops every node and removes the run directory. */
  stop(): Promise<void>;
}

/**
 * The default nine-node, three-AZ cluster, started by the same launcher as
 * `shardline up`, on a free port range, in a temporary run directory.
 */
export async function startTestCluster(name: string, overrides: Partial<Topology> = {}): Promise<TestCluster> {
  const runDirectory = mkdtempSync(join(tmpdir(), `shardline-${name}-`));
  const topology: Topology = {
    ...DEFAULT_TOPOLOGY,
    availabilityZones: [...DEFAULT_TOPOLOGY.availabilityZones],
    nodeConfig: {},
    name,
    basePort: await freePortRange(9, TEST_BUS_OFFSET),
    busPortOffset: TEST_BUS_OFFSET,
    ...overrides,
  };
  const state = await up(topology, { runDirectory, timeoutMs: 60_000, log: () => {} });
  return {
    runDirectory,
    topology,
    state,
    async stop() {
      await down(runDirectory, () => {});
      rmSync(runDirectory, { recursive: true, force: true });
    },
  };
}
