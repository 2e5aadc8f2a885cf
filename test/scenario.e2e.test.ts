import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadScenario, runScenario, type Report } from "@shardline/chaos";
import { afterAll, describe, expect, it } from "vitest";
import { startTestCluster, TEST_BUS_OFFSET, type TestCluster } from "./support/cluster.js";
import { freePortRange } from "./support/processes.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "packages/cli/bin/shardline.js");

const scratch = mkdtempSync(join(tmpdir(), "shardline-scenarios-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the shardline command as a user does; killed (and reported) if it outlives the bound. */
function shardline(args: string[], timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGINT"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** shardline-node processes still running on a client port of the range. */
function nodesOnPorts(base: number, count: number): number {
  const flags = Array.from({ length: count }, (_, i) => `--port ${base + i} `);
  const processes = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n");
  return processes.filter((args) => args.includes("packages/server/dist/bin.js") && flags.some((flag) => args.includes(flag))).length;
}

function readReport(directory: string): Report {
  return JSON.parse(readFileSync(join(directory, "report.json"), "utf8")) as Report;
}

describe("shardline scenario run", () => {
  it("runs scenarios/kill-primary.yaml: a replica takes over, no WAIT-acknowledged write is lost, the cluster converges, and the reports are written", async () => {
    const scenario = loadScenario(join(ROOT, "scenarios/kill-primary.yaml"));
    // The scenario's timing goal (2 s) is the benchmark's to measure (npm run bench, failover phase);
    // on a CI machine running other tests at once, the test checks that writes resume, and everything else as written.
    scenario.expect.maxUnavailableMs = 10_000;
    scenario.topology = { ...scenario.topology, basePort: await freePortRange(9, TEST_BUS_OFFSET), busPortOffset: TEST_BUS_OFFSET };
    const out = join(scratch, "kill-primary");
    const lines: string[] = [];
    const { report, exitCode } = await runScenario(scenario, { outDirectory: out, runDirectory: join(scratch, "run-kill-primary"), log: (line) => lines.push(line), seed: 7 });
    expect(exitCode, lines.join("\n")).toBe(0);
    expect(report.verdict).toBe("pass");
    expect(report.expectations.map((e) => [e.name, e.pass])).toEqual([
      ["maxUnavailableMs", true],
      ["lostAcknowledgedWaitWrites", true],
      ["promoted", true],
      ["convergedWithinMs", true],
      ["impossibleReads", true],
      ["splitBrain", true],
      ["failovers", true],
    ]);
    const [failover] = report.checks!.failovers;
    expect(failover).toMatchObject({ shard: 1, from: "default-0001-001", lagRank: 0, manual: false });
    // Through detection, not at once: a killed peer is suspected once its last word is a node timeout old, and
    // that word can be half a node timeout old at the kill; the election waits at least a quarter more.
    expect(failover!.sinceFaultMs).toBeGreaterThan(scenario.topology.nodeTimeoutMs / 2);
    expect(report.workload.ok).toBeGreaterThan(20_000);
    expect(report.faults.map((f) => f.step)).toEqual(["timeline[0]", "timeline[1]", "final-heal"]);
    expect(lines.some((line) => line.includes("seed 7"))).toBe(true);
    const saved = readReport(out);
    expect(saved.verdict).toBe("pass");
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("<svg");
    expect(html).toContain("kill default-0001-001");
    const history = readFileSync(join(out, "history.jsonl"), "utf8").trim().split("\n");
    expect(history.length).toBeGreaterThan(2 * report.workload.operations);
    expect(history.filter((line) => line.includes('"type":"fault"'))).toHaveLength(3);
    expect(nodesOnPorts(scenario.topology.basePort, 9)).toBe(0);
  }, 150_000);

  it("fails with exit status 1 when an expectation cannot hold, saying which and by how much", async () => {
    const file = join(scratch, "impossible.yaml");
    writeFileSync(
      file,
      [
        "description: A kill with an availability goal no failover can meet.",
        "duration: 9s",
        "workload: {rate: 500/s, wait: {replicas: 1, timeout: 200ms, every: 10}}",
        "timeline:",
        "  - {at: 2s, do: kill, target: primary-of-shard 2}",
        "  - {at: 6s, do: restart, target: same}",
        "expect:",
        "  maxUnavailableMs: 1",
        "  lostAcknowledgedWaitWrites: 0",
      ].join("\n"),
    );
    const base = await freePortRange(9, 10_000);
    const out = join(scratch, "impossible");
    const result = await shardline(["scenario", "run", file, "--base-port", String(base), "--out", out, "--run-dir", join(scratch, "run-impossible")], 120_000);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/impossible: FAIL/);
    expect(result.stdout).toMatch(/maxUnavailableMs\s+≤ 1 ms\s+\d+ ms \(shard 2\)\s+FAIL\s+over by \d+ ms/);
    expect(result.stdout).toMatch(/lostAcknowledgedWaitWrites\s+≤ 0 lost\s+0 lost of \d+ acknowledged with WAIT\s+PASS/);
    expect(readReport(out).verdict).toBe("fail");
    expect(nodesOnPorts(base, 9)).toBe(0);
  }, 150_000);

  it("refuses a broken scenario file with exit status 2, naming the file, line, field and what is allowed, and starts nothing", async () => {
    const file = join(scratch, "broken.yaml");
    writeFileSync(file, ["duration: 10s", "timeline:", "  - {at: 2s, do: kill, target: primary-of-shard 9}"].join("\n"));
    const result = await shardline(["scenario", "run", file], 30_000);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`${file}:3:`);
    expect(result.stdout).toMatch(/timeline\[0\]\.target: 'primary-of-shard 9'.*shards 1 to 3/);
    expect(existsSync(join(ROOT, ".shardline", "scenario-broken"))).toBe(false);
  }, 40_000);
});

describe("shardline scenario run --attach", () => {
  let cluster: TestCluster | undefined;

  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it("runs a seeded chaos schedule against a running cluster through the nodes' control links, and reports what the backend cannot do", async () => {
    cluster = await startTestCluster("attached");
    const file = join(scratch, "attached.yaml");
    writeFileSync(
      file,
      [
        "description: Chaos on a cluster the runner did not start.",
        `topology: {name: attached, basePort: ${cluster.topology.basePort}, busPortOffset: ${TEST_BUS_OFFSET}}`,
        "duration: 14s",
        "workload: {rate: 400/s, slotsRefreshInterval: 1s}",
        "timeline:",
        "  - {at: 1s, do: latency, target: replica-of-shard 2, delay: 50ms, channels: [replication]}",
        "  - {at: 3s, do: heal}",
        "  - {at: 4s, do: add-replica, shard: 1}",
        "chaos: {faults: [partition, blackhole, pause], targets: [any-replica], start: 5s, interval: 1500ms, duration: 6s}",
        "expect: {lostAcknowledgedWrites: 0, failovers: 0}",
      ].join("\n"),
    );
    const out = join(scratch, "attached");
    const seed = cluster.state.nodes[0]!;
    const result = await shardline(["scenario", "run", file, "--attach", `${seed.host}:${seed.port}`, "--seed", "11", "--out", out], 120_000);
    const report = readReport(out);
    // Expectations hold, but a fault the backend could not cause leaves the run undecided, never passed.
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(report.backend).toBe("attach");
    expect(report.verdict).toBe("undecided");
    expect(report.expectations.every((e) => e.pass)).toBe(true);
    expect(report.undecidedReason).toMatch(/timeline\[2\] \(the attach backend cannot start a new node\)/);
    const done = report.faults.filter((f) => f.unsupported === undefined && f.error === undefined).map((f) => f.do);
    expect(done).toEqual(expect.arrayContaining(["latency", "heal"]));
    expect(report.faults.filter((f) => f.step.startsWith("chaos[")).length).toBe(4);
    expect(report.faults.find((f) => f.step === "timeline[0]")!.description).toMatch(/latency 50 ms between attached-000\d-00\d \(replica of shard 2\)/);
    // The attached cluster is left running, healed and converged.
    expect(report.checks!.convergence.converged).toBe(true);
  }, 150_000);
});
