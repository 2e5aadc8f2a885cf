import { type PlacedNode, type Topology } from "@shardline/core";
import { addNode, down, isNodeProcess, LaunchError, readRunState, removeNode, restartNode, signalNode, up, type LaunchedNode } from "../local/launcher.js";
import { BackendError, FaultFailed, UnsupportedFault, type Backend, type BackendNode } from "./backend.js";

/** How long a graceful stop may take before the run says so. */
const STOP_GRACE_MS = 10_000;

export interface LocalBackendOptions {
  runDirectory: string;
  /** Bound on forming the cluster. */
  startTimeoutMs: number;
  /** Leave the cluster running after the run (for a look at it). */
  keep: boolean;
  log(line: string): void;
}

/**
 * The default backend: the scenario's topology as local shardline-node
 * processes, started with the same launcher as `shardline up`, every fault
 * a signal to a process the runner owns.
 */
export class LocalBackend implements Backend {
  readonly kind = "local";
  private readonly paused = new Set<string>();

  private constructor(
    readonly topology: Topology,
    private readonly options: LocalBackendOptions,
  ) {}

  static async start(topology: Topology, options: LocalBackendOptions): Promise<LocalBackend> {
    try {
      await up(topology, { runDirectory: options.runDirectory, timeoutMs: options.startTimeoutMs, log: options.log });
    } catch (error) {
      if (error instanceof LaunchError) throw new BackendError(error.message);
      throw error;
    }
    return new LocalBackend(topology, options);
  }

  private get launched(): LaunchedNode[] {
    return readRunState(this.options.runDirectory)?.nodes ?? [];
  }

  private node(name: string): LaunchedNode {
    const node = this.launched.find((n) => n.name === name);
    if (node === undefined) throw new FaultFailed(`no node named ${name} in this cluster`);
    return node;
  }

  nodes(): BackendNode[] {
    return this.launched.map(({ name, shard, availabilityZone, initialRole, host, port, busPort }) => ({ name, shard, availabilityZone, initialRole, host, port, busPort }));
  }

  seeds(): { host: string; port: number }[] {
    return this.launched.map(({ host, port }) => ({ host, port }));
  }

  natMap(): undefined {
    return undefined;
  }

  async kill(name: string): Promise<void> {
    const node = this.signal(name, "SIGKILL");
    this.paused.delete(name);
    await waitForExit(node.pid, 5000, name);
  }

  async stop(name: string): Promise<void> {
    const node = this.signal(name, "SIGTERM");
    // A paused node acts on SIGTERM only once it runs.
    if (this.paused.delete(name)) process.kill(node.pid, "SIGCONT");
    await waitForExit(node.pid, STOP_GRACE_MS, name);
  }

  async pause(name: string): Promise<void> {
    this.signal(name, "SIGSTOP");
    this.paused.add(name);
  }

  async resume(name: string): Promise<void> {
    this.signal(name, "SIGCONT");
    this.paused.delete(name);
  }

  async restart(name: string): Promise<void> {
    if (isNodeProcess(this.node(name).pid)) throw new FaultFailed(`${name} is still running: restart follows a kill or a stop`);
    await this.wrap(() => restartNode(this.options.runDirectory, name));
  }

  isRunning(name: string): boolean {
    return isNodeProcess(this.node(name).pid);
  }

  isPaused(name: string): boolean {
    return this.paused.has(name);
  }

  async startNewNode(shard: number, zone: string): Promise<BackendNode> {
    const launched = this.launched;
    const members = launched.filter((n) => n.shard === shard);
    const member = Math.max(0, ...members.map((n) => n.member)) + 1;
    const port = Math.max(...launched.map((n) => n.port)) + 1;
    const busPort = port + this.topology.busPortOffset;
    if (busPort > 65535) throw new UnsupportedFault(`no port left for a new node: its bus port would be ${busPort}`);
    const placed: PlacedNode = {
      name: `${this.topology.name}-${String(shard).padStart(4, "0")}-${String(member).padStart(3, "0")}`,
      shard,
      member,
      initialRole: "replica",
      availabilityZone: zone,
      host: this.topology.host,
      port,
      busPort,
      slotRanges: [],
    };
    const node = await this.wrap(() => addNode(this.options.runDirectory, placed));
    return { name: node.name, shard, availabilityZone: zone, initialRole: "replica", host: node.host, port: node.port, busPort: node.busPort };
  }

  async removeNode(name: string): Promise<void> {
    this.paused.delete(name);
    await this.wrap(() => removeNode(this.options.runDirectory, name));
  }

  async recoverAll(): Promise<string[]> {
    const done: string[] = [];
    for (const name of [...this.paused]) {
      await this.resume(name);
      done.push(`resumed ${name}`);
    }
    for (const node of this.launched) {
      if (isNodeProcess(node.pid)) continue;
      await this.restart(node.name);
      done.push(`restarted ${node.name}`);
    }
    return done;
  }

  async close(): Promise<void> {
    if (this.options.keep) {
      this.options.log(`the cluster keeps running: 'shardline status --run-dir ${this.options.runDirectory}' shows it, 'shardline down --run-dir ${this.options.runDirectory}' stops it`);
      return;
    }
    await down(this.options.runDirectory, this.options.log);
  }

  private signal(name: string, signal: "SIGKILL" | "SIGTERM" | "SIGSTOP" | "SIGCONT"): LaunchedNode {
    try {
      return signalNode(this.options.runDirectory, name, signal);
    } catch (error) {
      if (error instanceof LaunchError) throw new FaultFailed(error.message);
      throw error;
    }
  }

  private async wrap<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof LaunchError) throw new FaultFailed(error.message);
      throw error;
    }
  }
}

async function waitForExit(pid: number, timeoutMs: number, name: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isNodeProcess(pid)) {
    if (Date.now() > deadline) throw new FaultFailed(`${name} (pid ${pid}) did not exit within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
