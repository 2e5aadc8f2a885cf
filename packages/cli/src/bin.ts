#!/usr/bin/env node
import { resolve } from "node:path";
import { TopologyError } from "@shardline/core";
import { Command, Option } from "commander";
import { down, gatherEvents, gatherStatus, LaunchError, loadTopology, readRunState, renderEvents, renderStatus, testFailover, TopologyFileError, up } from "@shardline/chaos";

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

program.parseAsync().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    if (error instanceof LaunchError || error instanceof TopologyFileError || error instanceof TopologyError) {
      console.error(`shardline: ${error.message}`);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
