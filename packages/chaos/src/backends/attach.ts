import { placeNodes, splitSlots, type Topology } from "@shardline/core";
import { command } from "../cluster/node-client.js";
import { BackendError, FaultFailed, UnsupportedFault, type Backend, type BackendNode } from "./backend.js";
import type { Controls } from "./controls.js";

/** How long the final heal waits for a node that is not answering (a container restarting it, say). */
const RECOVER_WAIT_MS = 30_000;

/**
 * A cluster that is already running (docker compose's, or one started with
 * `shardline up`), found from one seed node. Its processes are not the
 * runner's: kill and stop go through each node's control link (the node
 * ends itself), a pause is a freeze of the node's event loop for the time
 * the scenario pauses it, and what needs a process started (restart, a new
 * replica) is reported as unsupported. Whatever restarts nodes there (a
 * container's restart policy) is waited for at the final heal.
 */
export class AttachBackend implements Backend {
  readonly kind = "attach";
  private readonly frozenUntilMs = new Map<string, number>();
  private readonly ended = new Set<string>();

  private constructor(
    readonly topology: Topology,
    private readonly found: BackendNode[],
    private readonly controls: Controls,
  ) {}

  /**
   * Asks the seed for the cluster's shards (CLUSTER SHARDS) and names every
   * node as the topology's placement names it: by announced hostname when a
   * node has one (docker compose announces node names), else by port.
   */
  static async discover(seed: { host: string; port: number }, topology: Topology, controls: Controls): Promise<AttachBackend> {
    let reply: unknown;
    try {
      reply = await command(seed.host, seed.port, "CLUSTER", "SHARDS");
    } catch (error) {
      throw new BackendError(`cannot attach to ${seed.host}:${seed.port}: ${(error as Error).message}. Is the cluster running, and is that one of its nodes' client port?`);
    }
    const placed = placeNodes(topology);
    const ranges = splitSlots(topology.shards);
    const nodes: BackendNode[] = [];
    for (const shard of reply as unknown[][]) {
      const fields = pairs(shard);
      const slots = (fields.get("slots") as number[] | undefined) ?? [];
      for (const entry of (fields.get("nodes") as unknown[][] | undefined) ?? []) {
        const node = pairs(entry);
        const port = Number(node.get("port"));
        const hostname = String(node.get("hostname") ?? "");
        const match = placed.find((p) => p.name === hostname) ?? placed.find((p) => p.port === port);
        const shardNumber = match?.shard ?? (slots.length > 0 ? ranges.findIndex(([start, end]) => slots[0]! >= start && slots[0]! <= end) + 1 : 0);
        const host = String(node.get("ip") ?? seed.host);
        nodes.push({
          name: match?.name ?? `${host}:${port}`,
          shard: shardNumber,
          availabilityZone: String(node.get("availability-zone") ?? match?.availabilityZone ?? ""),
          initialRole: node.get("role") === "master" ? "primary" : "replica",
          host,
          port,
          busPort: match === undefined ? port + topology.busPortOffset : match.busPort,
        });
      }
    }
    if (nodes.length === 0) throw new BackendError(`${seed.host}:${seed.port} knows no cluster nodes: is cluster mode on and the cluster formed?`);
    return new AttachBackend(topology, nodes.sort((a, b) => a.name.localeCompare(b.name)), controls);
  }

  nodes(): BackendNode[] {
    return this.found;
  }

  seeds(): { host: string; port: number }[] {
    return this.found.map(({ host, port }) => ({ host, port }));
  }

  natMap(): undefined {
    return undefined;
  }

  async kill(name: string): Promise<void> {
    await this.exit(name, "SIGKILL");
  }

  async stop(name: string): Promise<void> {
    await this.exit(name, "SIGTERM");
  }

  async pause(name: string, resumeAfterMs: number | undefined): Promise<void> {
    if (resumeAfterMs === undefined) {
      throw new UnsupportedFault("the attach backend pauses a node by freezing its event loop for a known time, and this pause has no resume step for it");
    }
    await (await this.controls.of(this.node(name))).freeze(resumeAfterMs);
    this.frozenUntilMs.set(name, Date.now() + resumeAfterMs);
  }

  async resume(name: string): Promise<void> {
    // The freeze was for exactly the pause's length: it ends by itself; wait for it.
    const untilMs = this.frozenUntilMs.get(name) ?? 0;
    this.frozenUntilMs.delete(name);
    if (Date.now() < untilMs) await new Promise((resolve) => setTimeout(resolve, untilMs - Date.now()));
  }

  /**
   * The attach backend cannot start a process; whatever runs the cluster may
   * (docker compose restarts a node's container). So a restart waits for the
   * node to answer again, and says so; a node that never does is a failure.
   */
  async restart(name: string): Promise<string> {
    const node = this.node(name);
    const startedMs = Date.now();
    const deadline = startedMs + RECOVER_WAIT_MS;
    while (!(await answers(node))) {
      if (Date.now() > deadline) throw new FaultFailed(`${name} did not come back within ${RECOVER_WAIT_MS} ms, and the attach backend cannot start processes: start it again yourself`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    this.ended.delete(name);
    return `not started by the runner: waited ${((Date.now() - startedMs) / 1000).toFixed(1)} s for whatever runs the cluster to bring it back`;
  }

  isRunning(): undefined {
    return undefined;
  }

  isPaused(name: string): boolean {
    return (this.frozenUntilMs.get(name) ?? 0) > Date.now();
  }

  async startNewNode(): Promise<BackendNode> {
    throw new UnsupportedFault("the attach backend cannot start a new node");
  }

  async removeNode(name: string): Promise<void> {
    await this.exit(name, "SIGTERM");
  }

  async recoverAll(): Promise<string[]> {
    const done: string[] = [];
    for (const name of [...this.frozenUntilMs.keys()]) {
      await this.resume(name);
      done.push(`waited for ${name} to thaw`);
    }
    for (const name of [...this.ended]) {
      const node = this.node(name);
      const deadline = Date.now() + RECOVER_WAIT_MS;
      while (!(await answers(node))) {
        if (Date.now() > deadline) throw new FaultFailed(`${name} did not come back within ${RECOVER_WAIT_MS} ms: the attach backend cannot restart it; start it again and rerun`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      this.ended.delete(name);
      done.push(`${name} answers again`);
    }
    return done;
  }

  async close(): Promise<void> {}

  private node(name: string): BackendNode {
    const node = this.found.find((n) => n.name === name);
    if (node === undefined) throw new FaultFailed(`no node named ${name} in the attached cluster`);
    return node;
  }

  private async exit(name: string, signal: "SIGKILL" | "SIGTERM"): Promise<void> {
    await (await this.controls.of(this.node(name))).exit(signal);
    this.ended.add(name);
  }
}

/** A RESP2 map reply (flat [key, value, ...]) as a Map. */
function pairs(flat: unknown[]): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(String(flat[i]), flat[i + 1]);
  return map;
}

async function answers(node: BackendNode): Promise<boolean> {
  try {
    return (await command(node.host, node.port, "PING")) === "PONG";
  } catch {
    return false;
  }
}
