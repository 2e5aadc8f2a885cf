import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join, resolve } from "node:path";
import { placeNodes, type PlacedNode, type Topology } from "@shardline/core";
import { NODE_BIN_PATH } from "@shardline/server";
import { command } from "../cluster/node-client.js";
import { nodeArguments } from "./node-arguments.js";
import { ClusterFormError, formCluster, waitUntilOk } from "../cluster/form.js";

/** What `shardline up` left behind for `status` and `down`: the topology and each node's pid. */
export interface RunState {
  topology: Topology;
  nodes: LaunchedNode[];
  startedAt: string;
}

/** A node `up` started, with what it takes to start it again. */
export interface LaunchedNode extends PlacedNode {
  pid: number;
  directory: string;
  logFile: string;
  /** The node's command line after the Node.js executable. */
  args: string[];
}

/** A launch that cannot go on; the message says what happened and what to do. */
export class LaunchError extends Error {}

export interface UpOptions {
  runDirectory: string;
  /** Bound on waiting for the cluster to form and report ok. */
  timeoutMs: number;
  log: (line: string) => void;
}

export function runStatePath(runDirectory: string): string {
  return join(runDirectory, "cluster.json");
}

export function readRunState(runDirectory: string): RunState | undefined {
  const path = runStatePath(runDirectory);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as RunState;
}

/** Whether `pid` is alive and is a shardline node (not a recycled pid). */
export function isNodeProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "latin1").includes(NODE_BIN_PATH);
  } catch {
    return true;
  }
}

/**
 * Starts every node of the topology as a local process and forms the
 * cluster the way an operator would (CLUSTER ADDSLOTSRANGE, SET-CONFIG-EPOCH,
 * MEET, REPLICATE), then waits until every node reports cluster_state:ok.
 * On any failure it stops what it started.
 */
export async function up(topology: Topology, options: UpOptions): Promise<RunState> {
  const runDirectory = resolve(options.runDirectory);
  const existing = readRunState(runDirectory);
  if (existing && existing.nodes.some((n) => isNodeProcess(n.pid))) {
    throw new LaunchError(`cluster '${existing.topology.name}' is already running from ${runDirectory}: run 'shardline status' to see it or 'shardline down' to stop it`);
  }
  const placed = placeNodes(topology);
  await checkPortsFree(placed);
  mkdirSync(runDirectory, { recursive: true });
  const state: RunState = { topology, nodes: [], startedAt: new Date().toISOString() };
  try {
    for (const node of placed) state.nodes.push(startNode(topology, node, runDirectory));
    writeFileSync(runStatePath(runDirectory), JSON.stringify(state, null, 2));
    options.log(`started ${state.nodes.length} nodes; logs in ${runDirectory}`);
    const deadline = Date.now() + options.timeoutMs;
    await Promise.all(state.nodes.map((node) => waitUntilServing(node, deadline)));
    await formCluster(state.nodes, deadline, options.log);
    await waitUntilOk(state.nodes, deadline);
    return state;
  } catch (error) {
    await down(runDirectory, () => {});
    if (error instanceof ClusterFormError) throw new LaunchError(`${error.message}; node logs are in ${runDirectory}`);
    throw error;
  }
}

async function checkPortsFree(nodes: readonly PlacedNode[]): Promise<void> {
  for (const node of nodes) {
    for (const [port, what] of [
      [node.port, "client port"],
      [node.busPort, "bus port"],
    ] as const) {
      if (!(await portFree(node.host, port))) {
        throw new LaunchError(
          `port ${port} (${what} of ${node.name}) on ${node.host} is already in use: stop whatever holds it ('shardline down' stops a cluster started by 'shardline up'), or choose another basePort in a topology file`,
        );
      }
    }
  }
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = net.createServer();
    server.once("error", () => resolvePort(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolvePort(true)));
  });
}

function startNode(topology: Topology, node: PlacedNode, runDirectory: string): LaunchedNode {
  const directory = join(runDirectory, node.name);
  mkdirSync(directory, { recursive: true });
  const nodesFile = join(directory, "nodes.conf");
  rmSync(nodesFile, { force: true });
  const logFile = join(runDirectory, `${node.name}.log`);
  const args = [NODE_BIN_PATH, ...nodeArguments(topology, node, { directory, nodesFile, logFile })];
  return { ...node, pid: spawnNode(node.name, args, runDirectory), directory, logFile, args };
}

/** Spawns a node process detached from the launcher, its stdout and stderr appended to `<name>.out`. */
function spawnNode(name: string, args: string[], runDirectory: string): number {
  const output = openSync(join(runDirectory, `${name}.out`), "a");
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", output, output] });
  closeSync(output);
  child.unref();
  if (child.pid === undefined) throw new LaunchError(`could not start ${name}: the node process did not spawn`);
  return child.pid;
}

/**
 * Starts a stopped node of a running cluster again with its original command
 * line: it comes back with its identity, slots and epochs from its nodes
 * file, as a restarted Redis Cluster node does. Resolves once it answers PING.
 */
export async function restartNode(runDirectory: string, name: string, timeoutMs = 10_000): Promise<LaunchedNode> {
  const { state, node, directory } = findNode(runDirectory, name);
  if (isNodeProcess(node.pid)) throw new LaunchError(`${name} is still running (pid ${node.pid})`);
  node.pid = spawnNode(name, node.args, directory);
  writeFileSync(runStatePath(directory), JSON.stringify(state, null, 2));
  await waitUntilServing(node, Date.now() + timeoutMs);
  return node;
}

/** Sends a signal to a running node of the cluster (kill -9, a graceful stop, a pause or its end). */
export function signalNode(runDirectory: string, name: string, signal: "SIGKILL" | "SIGTERM" | "SIGSTOP" | "SIGCONT"): LaunchedNode {
  const node = findNode(runDirectory, name).node;
  if (!isNodeProcess(node.pid)) throw new LaunchError(`${name} is not running: there is no process to send ${signal} to`);
  process.kill(node.pid, signal);
  return node;
}

/**
 * Starts a node that is not part of the topology's placement (a replica
 * added to a running cluster), blank, and records it in the run state so
 * status, restart and down know it. Joining it to the cluster is the
 * caller's (CLUSTER MEET, CLUSTER REPLICATE).
 */
export async function addNode(runDirectory: string, node: PlacedNode, timeoutMs = 10_000): Promise<LaunchedNode> {
  const directory = resolve(runDirectory);
  const state = readRunState(directory);
  if (state === undefined) throw new LaunchError(`no cluster started from ${directory}`);
  if (state.nodes.some((n) => n.name === node.name || n.port === node.port)) throw new LaunchError(`the cluster of ${directory} already has a node named ${node.name} or on port ${node.port}`);
  await checkPortsFree([node]);
  const launched = startNode(state.topology, node, directory);
  state.nodes.push(launched);
  writeFileSync(runStatePath(directory), JSON.stringify(state, null, 2));
  await waitUntilServing(launched, Date.now() + timeoutMs);
  return launched;
}

/** Stops a node (SIGTERM, SIGKILL after the grace period) and drops it from the run state. */
export async function removeNode(runDirectory: string, name: string, graceMs = 5000): Promise<void> {
  const { state, node, directory } = findNode(runDirectory, name);
  if (isNodeProcess(node.pid)) {
    process.kill(node.pid, "SIGTERM");
    process.kill(node.pid, "SIGCONT");
    const deadline = Date.now() + graceMs;
    while (isNodeProcess(node.pid) && Date.now() < deadline) await sleep(50);
    if (isNodeProcess(node.pid)) process.kill(node.pid, "SIGKILL");
    while (isNodeProcess(node.pid)) await sleep(20);
  }
  rmSync(join(node.directory, "nodes.conf"), { force: true });
  state.nodes = state.nodes.filter((n) => n !== node);
  writeFileSync(runStatePath(directory), JSON.stringify(state, null, 2));
}

function findNode(runDirectory: string, name: string): { state: RunState; node: LaunchedNode; directory: string } {
  const directory = resolve(runDirectory);
  const state = readRunState(directory);
  const node = state?.nodes.find((n) => n.name === name);
  if (state === undefined || node === undefined) throw new LaunchError(`no node named ${name} in the cluster of ${directory}`);
  return { state, node, directory };
}

async function waitUntilServing(node: LaunchedNode, deadline: number): Promise<void> {
  for (;;) {
    try {
      if ((await command(node.host, node.port, "PING")) === "PONG") return;
    } catch {
      // Not listening yet.
    }
    if (!isNodeProcess(node.pid)) {
      const out = readTail(join(node.directory, "..", `${node.name}.out`));
      throw new LaunchError(`${node.name} (port ${node.port}) exited during start-up:\n${out}`);
    }
    if (Date.now() > deadline) throw new LaunchError(`${node.name} did not answer PING on port ${node.port} in time; see ${node.logFile}`);
    await sleep(50);
  }
}

function readTail(path: string): string {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "(no output)";
  }
}

/**
 * Stops every node `up` started: SIGTERM, then SIGKILL for any still alive
 * after the grace period. Forgets the cluster's nodes files so the next `up`
 * starts fresh; logs stay.
 */
export async function down(runDirectory: string, log: (line: string) => void, graceMs = 5000): Promise<number> {
  const state = readRunState(resolve(runDirectory));
  if (state === undefined) return 0;
  const alive = state.nodes.filter((n) => isNodeProcess(n.pid));
  for (const node of alive) {
    process.kill(node.pid, "SIGTERM");
    // A node paused with SIGSTOP acts on the SIGTERM only once it runs again.
    process.kill(node.pid, "SIGCONT");
  }
  const deadline = Date.now() + graceMs;
  while (alive.some((n) => isNodeProcess(n.pid)) && Date.now() < deadline) await sleep(50);
  for (const node of alive.filter((n) => isNodeProcess(n.pid))) {
    log(`${node.name} did not stop within ${graceMs} ms; killing it`);
    process.kill(node.pid, "SIGKILL");
  }
  while (alive.some((n) => isNodeProcess(n.pid))) await sleep(20);
  for (const node of state.nodes) rmSync(join(node.directory, "nodes.conf"), { force: true });
  rmSync(runStatePath(resolve(runDirectory)), { force: true });
  return alive.length;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
