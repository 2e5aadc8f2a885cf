#!/usr/bin/env node
import { resolve } from "node:path";
import { TopologyError } from "@shardline/core";
import { Command, Option } from "commander";
import {
  composeCommand,
  DEFAULT_COMPOSE_OUTPUT,
  DEFAULT_SUBNET,
  down,
  formCommand,
  gatherEvents,
  gatherStatus,
  LaunchError,
  loadScenario,
  loadTopology,
  readRunState,
  renderEvents,
  renderStatus,
  RunFlagError,
  runScenarioFile,
  ScenarioError,
  testFailover,
  TestFailoverError,
  TopologyFileError,
  up,
} from "@shardline/chaos";

const program = new Command();
program.name("shardline").description("A Redis-compatible multi-AZ cluster simulator for failure testing").showHelpAfterError();

const runDirectoryOption = () => new Option("--run-dir <dir>", "where pid files, nodes files and logs live").default(".shardline/default");

program
  .command("up")
  .description("start a cluster as local processes and wait until every node reports cluster_state:ok")
  .option("-t, --topology <file>", "topology file (YAML or JSON); default: 3 AZs, 3 shards, 1 primary + 2 replicas, ports 7000-7008")
  .addOption(runDirectoryOption())
  .option("--timeout <ms>", "how long to wait for the cluster to form", "60000")
  .option("--foreground", "stay attached and stop every node on Ctrl-C")
  .action(async (options: { topology?: string; runDir: string; timeout: string; foreground?: boolean }) => {
    const topology = loadTopology(options.topology);
    const runDirectory = options.runDir === ".shardline/default" ? `.shardline/${topology.name}` : options.runDir;
    const state = await up(topology, { runDirectory, timeoutMs: Number(options.timeout), log: (line) => console.log(line) });
    console.log(`cluster '${topology.name}' is up: cluster_state:ok on all ${state.nodes.length} nodes\n`);
    console.log(renderStatus(await gatherStatus(state)));
    console.log(`\nconnect: redis-cli -c -p ${state.nodes[0]!.port}    stop: shardline down${runDirectory === ".shardline/default" ? "" : ` --run-dir ${runDirectory}`}`);
    if (options.foreground) {
      console.log("running in the foreground: Ctrl-C stops every node");
      await new Promise<void>((done) => {
        const stop = () => void down(runDirectory, (line) => console.log(line)).then(() => done());
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      console.log("stopped");
    }
  });

program
  .command("down")
  .description("stop every node 'shardline up' started")
  .addOption(runDirectoryOption())
  .action(async (options: { runDir: string }) => {
    const stopped = await down(options.runDir, (line) => console.log(line));
    console.log(stopped === 0 ? `no running cluster in ${resolve(options.runDir)}` : `stopped ${stopped} nodes`);
  });

program
  .command("status")
  .description("show every node by availability zone: address, role, slots, epoch, health")
  .addOption(runDirectoryOption())
  .option("--json", "print JSON instead of a table")
  .option("--events", "also list the cluster's events: failures detected, elections, failovers, recoveries")
  .action(async (options: { runDir: string; json?: boolean; events?: boolean }) => {
    const state = readRunState(resolve(options.runDir));
    if (state === undefined) throw new LaunchError(`no cluster started from ${resolve(options.runDir)}: start one with 'shardline up'`);
    const statuses = await gatherStatus(state);
    const events = options.events ? await gatherEvents(state) : undefined;
    if (options.json) console.log(JSON.stringify({ cluster: state.topology.name, nodes: statuses, ...(events ? { events } : {}) }, null, 2));
    else console.log(renderStatus(statuses) + (events ? "\n\n" + renderEvents(events) : ""));
  });

program
  .command("failover")
  .description("ElastiCache TestFailover on one shard: its least-lagged replica takes over, then the old primary recovers as a replica")
  .requiredOption("--shard <n>", "the shard (node group) number, as 'shardline status' shows it")
  .addOption(runDirectoryOption())
  .option("--timeout <ms>", "how long the failover and recovery may take", "30000")
  .action(async (options: { shard: string; runDir: string; timeout: string }) => {
    const state = readRunState(resolve(options.runDir));
    if (state === undefined) throw new LaunchError(`no cluster started from ${resolve(options.runDir)}: start one with 'shardline up'`);
    const shard = Number(options.shard);
    if (!Number.isInteger(shard) || shard < 1) throw new LaunchError(`--shard takes a shard number (1, 2, ...), got '${options.shard}'`);
    await testFailover(state, shard, Number(options.timeout), (event) => console.log(`${new Date(event.atMs).toISOString()}  ${event.message}`));
  });

const commandOutput = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };

program
  .command("compose")
  .description("write docker-compose.yml for a topology: one container per node, an init service that forms the cluster, a scenario runner")
  .option("-t, --topology <file>", "topology file (YAML or JSON) inside the repository; default: the default cluster")
  .option("-o, --output <file>", "the compose file to write", DEFAULT_COMPOSE_OUTPUT)
  .option("--subnet <cidr>", "IPv4 subnet of the compose network; the nodes get fixed addresses in it", DEFAULT_SUBNET)
  .option("--check", "write nothing; exit 1 when the file differs from what would be written")
  .action((options: { topology?: string; output: string; subnet: string; check?: boolean }) => {
    process.exitCode = composeCommand({ topologyPath: options.topology, outputPath: options.output, check: options.check === true, subnet: options.subnet }, commandOutput);
  });

program
  .command("form")
  .description("form a cluster from running blank nodes of a topology (docker compose's init service runs it); harmless on a formed cluster")
  .option("-t, --topology <file>", "topology file (YAML or JSON); default: the default cluster")
  .option("--timeout <ms>", "how long to wait for the nodes to answer and the cluster to report ok", "60000")
  .option("--host <host...>", "where the nodes answer: one host for all, or one per node in port order (names are resolved); default: the topology's host")
  .action(async (options: { topology?: string; timeout: string; host?: string[] }) => {
    process.exitCode = await formCommand({ topologyPath: options.topology, timeoutMs: Number(options.timeout), hosts: options.host ?? [] }, commandOutput);
  });

const scenario = program.command("scenario").description("chaos scenarios: run one against a cluster, or check scenario files");

scenario
  .command("run")
  .description("start the scenario's cluster (or attach to a running one), drive its workload, inject its faults, check what clients saw and write the reports; exit 0 when every expectation holds, 1 when one fails, 2 when the run could not decide")
  .argument("<file>", "scenario file (YAML), e.g. scenarios/kill-primary.yaml")
  .option("--attach <host:port>", "run against a running cluster (a node's client port) instead of starting local processes")
  .option("--seed <n>", "the seed of every random choice (the run prints it); the same seed replays the same schedule")
  .option("--out <dir>", "where report.json, report.html and history.jsonl go (default .shardline/reports/<scenario>-<time>)")
  .option("--base-port <port>", "first client port of the local cluster, instead of the topology's basePort")
  .option("--run-dir <dir>", "the local cluster's run directory (default .shardline/scenario-<scenario>)")
  .option("--keep", "leave the local cluster running after the run")
  .action(async (file: string, options: { attach?: string; seed?: string; out?: string; basePort?: string; runDir?: string; keep?: boolean }) => {
    const terminal = process.stderr.isTTY === true;
    let shown = 0;
    process.exitCode = await runScenarioFile(file, options, {
      line: (text) => {
        if (terminal && shown > 0) process.stderr.write("\r\x1b[2K");
        shown = 0;
        console.log(text);
      },
      progress: (text) => {
        // On a terminal the line is rewritten in place; in a log (CI), one line every 5 s is enough.
        if (terminal) process.stderr.write(`\r\x1b[2K${text}`);
        else if (shown % 5 === 0) process.stderr.write(`${text}\n`);
        shown++;
      },
    });
    if (terminal && shown > 0) process.stderr.write("\r\x1b[2K");
  });

scenario
  .command("check")
  .description("load and check scenario files without running them; exit 2 naming the file, line and field of the first mistake in each")
  .argument("<files...>", "scenario files")
  .action((files: string[]) => {
    let broken = 0;
    for (const file of files) {
      try {
        const loaded = loadScenario(file);
        console.log(`${file}: ok (${loaded.name}: ${loaded.timeline.length} step(s)${loaded.chaos ? " and a chaos schedule" : ""} over ${loaded.durationMs / 1000} s)`);
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        console.error(`shardline: ${error.message}`);
        broken++;
      }
    }
    process.exitCode = broken === 0 ? 0 : 2;
  });

program.parseAsync().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    if (error instanceof LaunchError || error instanceof TopologyFileError || error instanceof TopologyError || error instanceof RunFlagError || error instanceof TestFailoverError) {
      console.error(`shardline: ${error.message}`);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
