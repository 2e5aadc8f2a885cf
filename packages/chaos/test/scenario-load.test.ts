import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_TOPOLOGY } from "@shardline/core";
import { loadScenario, parseScenario, ScenarioError } from "../src/scenario/index.js";

const SCENARIOS_DIR = fileURLToPath(new URL("../../../scenarios/", import.meta.url));
const FILE = "scenarios/bad.yaml";

/** The ScenarioError parsing `text` throws; fails the test when it parses. */
function errorOf(text: string, options?: Parameters<typeof parseScenario>[2]): ScenarioError {
  try {
    parseScenario(text, FILE, options);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error(`expected an error for:\n${text}`);
}

const lines = (...rows: string[]): string => rows.join("\n") + "\n";

describe("the ready scenarios", () => {
  const files = readdirSync(SCENARIOS_DIR).filter((name) => name.endsWith(".yaml"));

  it("are the ten the project ships", () => {
    expect(files.sort()).toEqual([
      "az-isolation.yaml",
      "az-power-loss.yaml",
      "double-failure.yaml",
      "kill-primary.yaml",
      "manual-failover.yaml",
      "pause-primary.yaml",
      "primary-blackhole.yaml",
      "replica-lag-then-failover.yaml",
      "rolling-restart.yaml",
      "test-failover.yaml",
    ]);
  });

  it.each(files)("%s loads on the default topology with the standard workload and a check of WAIT-acknowledged writes", (name) => {
    const scenario = loadScenario(join(SCENARIOS_DIR, name));
    expect(scenario.name).toBe(name.replace(/\.yaml$/, ""));
    expect(scenario.description.length).toBeGreaterThan(20);
    expect(scenario.topology).toEqual({ ...DEFAULT_TOPOLOGY });
    expect(scenario.durationMs).toBeGreaterThanOrEqual(20_000);
    expect(scenario.durationMs).toBeLessThanOrEqual(40_000);
    expect(scenario.workload.ratePerSecond).toBe(2000);
    expect(scenario.workload.wait).toEqual({ replicas: 1, timeoutMs: 200, every: 10 });
    expect(scenario.timeline.length).toBeGreaterThan(0);
    expect(scenario.expect.lostAcknowledgedWaitWrites).toBe(0);
    expect(scenario.expect.failovers).toBeDefined();
  });

  it("take well under ten minutes of workload together", () => {
    const totalMs = files.reduce((sum, name) => sum + loadScenario(join(SCENARIOS_DIR, name)).durationMs, 0);
    expect(totalMs).toBeLessThan(6 * 60_000);
  });

  it("kill-primary reads as the brief's example", () => {
    const scenario = loadScenario(join(SCENARIOS_DIR, "kill-primary.yaml"));
    expect(scenario.timeline).toEqual([
      { atMs: 5000, fault: { do: "kill", target: { kind: "primary-of-shard", shard: 1 } }, line: 14 },
      { atMs: 20_000, fault: { do: "restart", target: { kind: "same" } }, line: 15 },
    ]);
    expect(scenario.expect).toEqual({
      maxUnavailableMs: 2000,
      lostAcknowledgedWrites: undefined,
      lostAcknowledgedWaitWrites: 0,
      promoted: "least-lagged",
      convergedWithinMs: 5000,
      staleReads: undefined,
      impossibleReads: 0,
      splitBrain: "none",
      failovers: [1, 1],
    });
  });

  it("rolling-restart restarts all nine nodes and fails each primary over gracefully first", () => {
    const { timeline } = loadScenario(join(SCENARIOS_DIR, "rolling-restart.yaml"));
    const stopped = timeline.flatMap((step) => (step.fault.do === "stop" && step.fault.target.kind === "node" ? [step.fault.target.name] : []));
    expect(new Set(stopped).size).toBe(9);
    expect(timeline.filter((step) => step.fault.do === "failover" && step.fault.mode === "default")).toHaveLength(3);
    expect(timeline.filter((step) => step.fault.do === "restart")).toHaveLength(9);
  });
});

describe("defaults", () => {
  it("fill every field of an empty scenario", () => {
    expect(parseScenario("{}\n", "scenarios/quiet.yaml")).toEqual({
      name: "quiet",
      description: "",
      file: "scenarios/quiet.yaml",
      seed: undefined,
      topology: { ...DEFAULT_TOPOLOGY },
      workload: {
        client: "ioredis-cluster",
        ratePerSecond: 2000,
        clients: 4,
        concurrency: 8,
        keys: 10_000,
        mix: { set: 0.5, get: 0.4, incr: 0.1 },
        wait: undefined,
        commandTimeoutMs: 1000,
        reads: "primary",
      },
      timeline: [],
      chaos: undefined,
      expect: {
        maxUnavailableMs: undefined,
        lostAcknowledgedWrites: undefined,
        lostAcknowledgedWaitWrites: undefined,
        promoted: undefined,
        convergedWithinMs: undefined,
        staleReads: undefined,
        impossibleReads: 0,
        splitBrain: "none",
        failovers: undefined,
      },
      durationMs: 20_000,
      settleTimeoutMs: 60_000,
    });
  });

  it("run the workload 10 s past the last fault when there is no duration", () => {
    expect(parseScenario(lines("timeline:", "  - {at: 30s, do: kill, target: any-primary}"), FILE).durationMs).toBe(40_000);
    expect(parseScenario(lines("chaos: {faults: [kill], start: 5s, duration: 40s}"), FILE).durationMs).toBe(55_000);
  });

  it("fill each kind of step, and the wait, mix and chaos defaults", () => {
    const scenario = parseScenario(
      lines(
        "workload: {wait: {}, mix: {set: 3, get: 1}, rate: '500'}",
        "timeline:",
        "  - {at: 1s, do: partition, target: az az-a}",
        "  - {at: 2s, do: partition, target: az az-a, peers: az az-b}",
        "  - {at: 3s, do: latency, target: any-replica, delay: 20ms}",
        "  - {at: 4s, do: az-isolation, zone: az-c}",
        "  - {at: 5s, do: failover, target: replica-of-shard 2}",
        "  - {at: 6s, do: add-replica, shard: 3}",
        "  - {at: 7s, do: heal}",
        "chaos: {faults: [latency, loss]}",
        "expect: {failovers: [0, 2], maxUnavailableMs: 1.5s}",
      ),
      FILE,
    );
    expect(scenario.workload.wait).toEqual({ replicas: 1, timeoutMs: 200, every: 10 });
    expect(scenario.workload.mix).toEqual({ set: 0.75, get: 0.25, incr: 0 });
    expect(scenario.workload.ratePerSecond).toBe(500);
    expect(scenario.timeline.map((step) => step.fault)).toEqual([
      { do: "partition", target: { kind: "az", zone: "az-a" }, peers: undefined, channels: ["bus", "replication", "client"], direction: "both" },
      // Between two sets of nodes there is no client traffic, so the default leaves it out.
      { do: "partition", target: { kind: "az", zone: "az-a" }, peers: { kind: "az", zone: "az-b" }, channels: ["bus", "replication"], direction: "both" },
      { do: "latency", target: { kind: "any-replica" }, peers: undefined, channels: ["bus", "replication", "client"], direction: "both", delayMs: 20, jitterMs: 0 },
      { do: "az-isolation", zone: "az-c", clients: true },
      { do: "failover", target: { kind: "replica-of-shard", shard: 2, pick: "any" }, mode: "default" },
      { do: "add-replica", shard: 3, zone: undefined },
      { do: "heal", target: undefined },
    ]);
    expect(scenario.chaos).toEqual({
      faults: ["latency", "loss"],
      targets: [{ kind: "any-primary" }, { kind: "any-replica" }],
      startMs: 5000,
      intervalMs: 10_000,
      durationMs: 30_000,
      delayMs: 100,
      jitterMs: 0,
      probability: 0.1,
    });
    expect(scenario.expect.failovers).toEqual([0, 2]);
    expect(scenario.expect.maxUnavailableMs).toBe(1500);
  });
});

describe("the timeline", () => {
  it("reads every target form", () => {
    const targets = ["primary-of-shard 1", "replica-of-shard 2", "best-replica-of-shard 3", "worst-replica-of-shard 1", "any-primary", "any-replica", "node default-0002-003", "az az-b", "same", "all"];
    const text = lines("timeline:", ...targets.map((target, index) => `  - {at: ${index}s, do: kill, target: ${target}}`));
    expect(parseScenario(text, FILE).timeline.map((step) => (step.fault as { target: unknown }).target)).toEqual([
      { kind: "primary-of-shard", shard: 1 },
      { kind: "replica-of-shard", shard: 2, pick: "any" },
      { kind: "replica-of-shard", shard: 3, pick: "best" },
      { kind: "replica-of-shard", shard: 1, pick: "worst" },
      { kind: "any-primary" },
      { kind: "any-replica" },
      { kind: "node", name: "default-0002-003" },
      { kind: "az", zone: "az-b" },
      { kind: "same" },
      { kind: "all" },
    ]);
  });

  it("sorts steps by time, keeping the file's order for equal times, and keeps each step's line", () => {
    const text = lines(
      "timeline:",
      "  - {at: 20s, do: restart, target: same}",
      "  - {at: 5s, do: kill, target: primary-of-shard 1}",
      "  - {at: 5s, do: pause, target: primary-of-shard 2}",
    );
    const steps = parseScenario(text, FILE).timeline;
    expect(steps.map((step) => [step.atMs, step.fault.do, step.line])).toEqual([
      [5000, "kill", 3],
      [5000, "pause", 4],
      [20_000, "restart", 2],
    ]);
  });
});

describe("durations", () => {
  it.each([
    ["250ms", 250],
    ["5s", 5000],
    ["1.5s", 1500],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["0", 0],
    ["750", 750],
    [750, 750],
    ["0.25s", 250],
  ])("%s is %i ms", (text, ms) => {
    const value = typeof text === "number" ? String(text) : `'${text}'`;
    expect(parseScenario(lines(`settleTimeout: 1s`, "timeline:", `  - {at: ${value}, do: kill, target: any-primary}`), FILE).timeline[0]!.atMs).toBe(ms);
  });
});

describe("mistakes", () => {
  it.each<[string, string, string]>([
    [
      "an unknown field, with the closest name",
      lines("name: typo", "expect:", "  maxUnavailable: 2000"),
      "scenarios/bad.yaml:3:3: expect.maxUnavailable: unknown field (did you mean maxUnavailableMs?); allowed: maxUnavailableMs, lostAcknowledgedWrites, lostAcknowledgedWaitWrites, promoted, convergedWithinMs, staleReads, impossibleReads, splitBrain, failovers",
    ],
    [
      "an unknown top-level field",
      lines("name: typo", "timelines: []"),
      "scenarios/bad.yaml:2:1: timelines: unknown field (did you mean timeline?); allowed: name, description, seed, topology, duration, settleTimeout, workload, timeline, chaos, expect",
    ],
    [
      "a field another kind of step takes",
      lines("timeline:", "  - {at: 5s, do: partition, target: any-primary, delay: 5ms}"),
      "scenarios/bad.yaml:2:50: timeline[0].delay: partition takes no delay; allowed: at, do, target, peers, channels, direction",
    ],
    [
      "a misspelt field of a step",
      lines("timeline:", "  - {at: 5s, do: kill, taget: any-primary}"),
      "scenarios/bad.yaml:2:24: timeline[0].taget: unknown field (did you mean target?); allowed: at, do, target",
    ],
    [
      "a kind of step that does not exist",
      lines("timeline:", "  - {at: 5s, do: kil, target: any-primary}"),
      "scenarios/bad.yaml:2:18: timeline[0].do: 'kil': must be one of kill, stop, pause, resume, restart, partition, blackhole, latency, loss, heal, az-power-loss, az-isolation, failover, test-failover, add-replica, remove-replica (did you mean kill?)",
    ],
    [
      "a target that is not one",
      lines("timeline:", "  - {at: 5s, do: kill, target: primary-of shard 1}"),
      "scenarios/bad.yaml:2:32: timeline[0].target: 'primary-of shard 1': not a target (did you mean primary-of-shard?); targets are primary-of-shard N, replica-of-shard N, best-replica-of-shard N, worst-replica-of-shard N, any-primary, any-replica, node NAME, az ZONE, same, all",
    ],
    [
      "a shard out of range",
      lines("timeline:", "  - {at: 5s, do: kill, target: primary-of-shard 1}", "  - {at: 6s, do: kill, target: primary-of-shard 9}"),
      "scenarios/bad.yaml:3:32: timeline[1].target: 'primary-of-shard 9': the topology has shards 1 to 3",
    ],
    [
      "a shard out of range in a smaller topology",
      lines("topology: {shards: 2}", "timeline:", "  - {at: 5s, do: test-failover, shard: 3}"),
      "scenarios/bad.yaml:3:40: timeline[0].shard: 3: the topology has shards 1 to 2",
    ],
    [
      "an unknown zone",
      lines("timeline:", "  - {at: 5s, do: az-power-loss, zone: az-d}"),
      "scenarios/bad.yaml:2:39: timeline[0].zone: 'az-d': no such zone (did you mean az-a?); the topology's zones are az-a, az-b, az-c",
    ],
    [
      "an unknown zone in a target",
      lines("timeline:", "  - {at: 5s, do: partition, target: az eu-west-1a}"),
      "scenarios/bad.yaml:2:37: timeline[0].target: 'az eu-west-1a': no such zone; the topology's zones are az-a, az-b, az-c",
    ],
    [
      "an unknown node",
      lines("timeline:", "  - {at: 5s, do: kill, target: node default-0001-009}"),
      "scenarios/bad.yaml:2:32: timeline[0].target: 'node default-0001-009': no such node (did you mean default-0001-001?); the topology's nodes are named <name>-<shard>-<member>, from default-0001-001 to default-0003-003",
    ],
    [
      "same with nothing before it (in time)",
      lines("timeline:", "  - {at: 20s, do: restart, target: same}", "  - {at: 30s, do: kill, target: any-primary}"),
      "scenarios/bad.yaml:2:36: timeline[0].target: 'same': means the nodes of the latest earlier step with a target, but no step before this one (at 20s) has a target",
    ],
    [
      "a duration with a unit that does not exist",
      lines("duration: 5 sec"),
      "scenarios/bad.yaml:1:11: duration: '5 sec': unknown unit 'sec'; durations take ms, s, m, h, e.g. 500ms, 5s, 2m",
    ],
    ["a negative duration", lines("timeline:", "  - {at: -5s, do: kill, target: any-primary}"), "scenarios/bad.yaml:2:10: timeline[0].at: '-5s': must not be negative"],
    [
      "a duration that is not a number",
      lines("settleTimeout: soon"),
      "scenarios/bad.yaml:1:16: settleTimeout: 'soon': must be a duration like 500ms, 5s, 1.5s or 2m (a bare number is milliseconds)",
    ],
    ["NaN as a duration", lines("settleTimeout: .nan"), "scenarios/bad.yaml:1:16: settleTimeout: NaN: must be a duration like 500ms, 5s, 1.5s or 2m (a bare number is milliseconds)"],
    [
      "a step after the workload ends",
      lines("duration: 10s", "timeline:", "  - {at: 15s, do: kill, target: any-primary}"),
      "scenarios/bad.yaml:3:10: timeline[0].at: '15s': the workload ends at 10s (duration): move the step earlier or lengthen the duration",
    ],
    ["a rate in words", lines("workload:", "  rate: 2000 per second"), "scenarios/bad.yaml:2:9: workload.rate: '2000 per second': give operations per second, e.g. 2000/s"],
    ["a rate of 0", lines("workload: {rate: 0/s}"), "scenarios/bad.yaml:1:18: workload.rate: '0/s': must be more than 0 and at most 100000/s"],
    [
      "a mix of zeros",
      lines("workload:", "  mix: {set: 0, get: 0}"),
      "scenarios/bad.yaml:2:8: workload.mix: the shares are all 0: give at least one of set, get, incr a share above 0, e.g. {set: 0.5, get: 0.5}",
    ],
    [
      "a loss probability of 0",
      lines("timeline:", "  - {at: 5s, do: loss, target: any-primary, probability: 0}"),
      "scenarios/bad.yaml:2:58: timeline[0].probability: 0: must be more than 0 and at most 1",
    ],
    ["a latency without its delay", lines("timeline:", "  - {at: 5s, do: latency, target: any-primary}"), "scenarios/bad.yaml:2:5: timeline[0]: latency needs delay: 200ms"],
    ["a latency over a minute", lines("timeline:", "  - {at: 5s, do: latency, target: any-primary, delay: 2m}"), "scenarios/bad.yaml:2:55: timeline[0].delay: '2m': must be at most 1m"],
    ["bad YAML", lines("name: x", "timeline: [{at: 5s"), "scenarios/bad.yaml:3:1: not valid YAML: Flow map in block collection must be sufficiently indented and end with a }"],
    ["a key given twice", lines("name: x", "name: y"), "scenarios/bad.yaml:2:1: not valid YAML: Map keys must be unique"],
    [
      "a list where a mapping belongs",
      lines("workload:", "  - rate: 2000"),
      "scenarios/bad.yaml:2:3: workload: must be a mapping of fields, e.g. {rate: 2000/s, clients: 4}, not a list",
    ],
    [
      "a mapping where a list belongs",
      lines("timeline: {at: 5s, do: kill}"),
      "scenarios/bad.yaml:1:11: timeline: must be a list, e.g. [{at: 5s, do: kill, target: primary-of-shard 1}], not a mapping",
    ],
    [
      "a field with no value",
      lines("timeline:", "  - at: 5s", "    do: kill", "    target:"),
      "scenarios/bad.yaml:4:12: timeline[0].target: must be a target, one of primary-of-shard N, replica-of-shard N, best-replica-of-shard N, worst-replica-of-shard N, any-primary, any-replica, node NAME, az ZONE, same, all; but it is empty",
    ],
    [
      "a topology core refuses",
      lines("name: x", "topology:", "  replicasPerShard: 3"),
      "scenarios/bad.yaml:3:21: topology.replicasPerShard: 3 replicas need 4 availability zones (one per member of a shard), but only 3 are listed: add zones or lower replicasPerShard",
    ],
    [
      "a misspelt topology field",
      lines("topology: {shard: 2}"),
      "scenarios/bad.yaml:1:12: topology.shard: unknown field (did you mean shards?); allowed: name, availabilityZones, shards, replicasPerShard, host, basePort, busPortOffset, nodeTimeoutMs, requireFullCoverage, secret, nodeConfig",
    ],
    [
      "a failover aimed at a primary",
      lines("timeline:", "  - {at: 5s, do: failover, target: any-primary}"),
      "scenarios/bad.yaml:2:36: timeline[0].target: 'any-primary': failover acts on a replica; use replica-of-shard N, best-replica-of-shard N, worst-replica-of-shard N, any-replica, node NAME, same",
    ],
    [
      "client traffic between two nodes",
      lines("timeline:", "  - {at: 5s, do: partition, target: az az-a, peers: az az-b, channels: [client]}"),
      "scenarios/bad.yaml:2:72: timeline[0].channels: client traffic never flows between two nodes: with peers, use bus and/or replication (leave peers out to cut clients off)",
    ],
    [
      "a WAIT expectation without WAIT",
      lines("expect:", "  lostAcknowledgedWaitWrites: 0"),
      "scenarios/bad.yaml:2:3: expect.lostAcknowledgedWaitWrites: no write is acknowledged by WAIT unless the workload sends one: add workload.wait, e.g. {replicas: 1, timeout: 200ms, every: 10}, or check lostAcknowledgedWrites",
    ],
    [
      "WAIT for more replicas than a shard has",
      lines("workload: {wait: {replicas: 3}}"),
      "scenarios/bad.yaml:1:29: workload.wait.replicas: 3: must be a whole number from 1 to 2",
    ],
    [
      "a WAIT timeout past the command timeout",
      lines("workload: {wait: {timeout: 2s}}"),
      "scenarios/bad.yaml:1:28: workload.wait.timeout: WAIT's timeout (2000ms) must be shorter than workload.commandTimeout (1000ms), or no WAIT would return its count",
    ],
    ["failovers as a bad range", lines("expect: {failovers: [3, 1]}"), "scenarios/bad.yaml:1:21: expect.failovers: [3, 1]: the range is [min, max], with min at most max"],
    ["a seed too large", lines("seed: 4294967296"), "scenarios/bad.yaml:1:7: seed: 4294967296: must be a whole number from 0 to 4294967295"],
    ["same in a chaos schedule", lines("chaos: {faults: [kill], targets: [same]}"), "scenarios/bad.yaml:1:35: chaos.targets[0]: 'same' refers to an earlier timeline step, which a random schedule does not have: name the targets"],
    ["an empty file", "", "scenarios/bad.yaml:1:1: a scenario file is a mapping of fields, e.g. {name: kill-primary, timeline: [{at: 5s, do: kill, target: primary-of-shard 1}]}, but this one holds nothing"],
  ])("%s", (_what, text, message) => {
    const error = errorOf(text);
    expect(error.message).toBe(message);
    const [, line, column] = /^[^:]+:(\d+):(\d+): /.exec(message)!;
    expect([error.file, error.line, error.column]).toEqual([FILE, Number(line), Number(column)]);
  });

  it("gives the error's parts as fields", () => {
    const error = errorOf(lines("name: x", "timeline:", "  - {at: 5s, do: kill, target: primary-of-shard 1}", "  - {at: 6s, do: kill, target: primary-of-shard 9}"));
    expect(error).toBeInstanceOf(ScenarioError);
    expect({ file: error.file, line: error.line, column: error.column, path: error.path, detail: error.detail }).toEqual({
      file: FILE,
      line: 4,
      column: 32,
      path: "timeline[1].target",
      detail: "'primary-of-shard 9': the topology has shards 1 to 3",
    });
  });

  it("refuses a file name that is no scenario name unless the file names itself", () => {
    expect(() => parseScenario("{}", "scenarios/Kill Primary.yaml")).toThrow(
      "scenarios/Kill Primary.yaml:1:1: the file name 'Kill Primary' is not a scenario name (1-40 lowercase letters, digits or '-'): rename the file or add a name field, e.g. name: kill-primary",
    );
    expect(parseScenario("name: kill-primary", "scenarios/Kill Primary.yaml").name).toBe("kill-primary");
  });
});

describe("topology files named by a scenario", () => {
  const directory = mkdtempSync(join(tmpdir(), "shardline-scenario-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("are read relative to the scenario file", () => {
    writeFileSync(join(directory, "small.yaml"), lines("name: small", "availabilityZones: [az-a, az-b]", "shards: 2", "replicasPerShard: 1"));
    writeFileSync(join(directory, "uses-small.yaml"), lines("topology: small.yaml", "timeline:", "  - {at: 5s, do: kill, target: node small-0002-002}"));
    const scenario = loadScenario(join(directory, "uses-small.yaml"));
    expect(scenario.topology).toMatchObject({ name: "small", shards: 2, replicasPerShard: 1, availabilityZones: ["az-a", "az-b"] });
    expect(scenario.timeline[0]!.fault).toEqual({ do: "kill", target: { kind: "node", name: "small-0002-002" } });
  });

  it("that do not exist are named with the path tried", () => {
    const readFile = (): string => {
      throw Object.assign(new Error("no such file"), { code: "ENOENT" });
    };
    expect(errorOf(lines("name: x", "topology: ../topologies/missing.yaml"), { readFile }).message).toBe(
      "scenarios/bad.yaml:2:11: topology: '../topologies/missing.yaml': cannot read the topology file topologies/missing.yaml (ENOENT): the path is relative to the scenario file",
    );
  });

  it("that core refuses are named with their own line, and the scenario that loaded them", () => {
    const readFile = (path: string): string => {
      expect(path).toBe("scenarios/big.yaml");
      return lines("name: big", "replicasPerShard: 3");
    };
    const error = errorOf(lines("name: x", "topology: big.yaml"), { readFile });
    expect(error.message).toBe(
      "scenarios/big.yaml:2:19: replicasPerShard: 3 replicas need 4 availability zones (one per member of a shard), but only 3 are listed: add zones or lower replicasPerShard (the topology of scenarios/bad.yaml:2:11)",
    );
    expect([error.file, error.line, error.path]).toEqual(["scenarios/big.yaml", 2, "replicasPerShard"]);
  });

  it("refuse a scenario target the smaller topology does not have", () => {
    const readFile = (): string => lines("shards: 1", "replicasPerShard: 0");
    expect(errorOf(lines("topology: one.yaml", "timeline:", "  - {at: 1s, do: kill, target: replica-of-shard 1}"), { readFile }).message).toBe(
      "scenarios/bad.yaml:3:32: timeline[0].target: 'replica-of-shard 1': the topology has no replicas (replicasPerShard: 0)",
    );
  });
});

describe("loadScenario", () => {
  it("says so, with the path, when the file cannot be read", () => {
    expect(() => loadScenario("/nonexistent/kill-primary.yaml")).toThrow("/nonexistent/kill-primary.yaml: cannot read the scenario file (ENOENT): check the path");
  });
});
