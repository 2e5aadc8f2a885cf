import type { FaultAction, FaultRule, Random } from "@shardline/core";
import { FaultFailed, UnsupportedFault, type Backend, type BackendNode } from "../backends/backend.js";
import type { Controls } from "../backends/controls.js";
import { command, parseClusterNodes } from "../cluster/node-client.js";
import { testFailover } from "../cluster/test-failover.js";
import type { FaultEntry } from "../model/history.js";
import type { Channel, FaultSpec, NetworkScope } from "../model/scenario.js";
import type { Monitor } from "./monitor.js";
import { primaryOf, resolveTarget, type ClusterView, type ResolvedTarget } from "./targets.js";

/** One fault to carry out, as the runner planned it from the timeline or the chaos schedule. */
export interface PlannedStep {
  /** "timeline[2]", "chaos[5]": names the step in the history and the report. */
  label: string;
  /** From the workload's start. */
  atMs: number;
  fault: FaultSpec;
  /** The step whose targets `same` means (the previous one in its own list). */
  sameAs: string | undefined;
  /** For a pause: when its resume comes, from the pause (a backend that freezes instead of signalling needs it). */
  resumeAfterMs: number | undefined;
}

/** How long a control request (CLUSTER FAILOVER, a MEET...) may take. */
const CONTROL_TIMEOUT_MS = 30_000;

/** A network fault in force: the nodes it is about, and the rules it put on each node. */
interface NetworkStep {
  targets: Set<string>;
  rules: Map<string, FaultRule[]>;
}

/**
 * Carries out faults: process faults through the backend, network faults as
 * rules on the nodes' own links (every node plays its part over its control
 * link), control faults as the commands an operator would send. It keeps the
 * network rules each node should have, so a node that restarts gets them
 * back, and every fault becomes a FaultEntry of the history, with what it
 * resolved to, or why it could not be done.
 */
export class FaultExecutor {
  private readonly resolved = new Map<string, ResolvedTarget>();
  private readonly network = new Map<string, NetworkStep>();

  constructor(
    private readonly backend: Backend,
    private readonly controls: Controls,
    private readonly monitor: Monitor,
    private readonly random: Random,
    private readonly record: (entry: FaultEntry) => void,
    private readonly now: () => number,
    /** How long rules stay in force on a node without being set again (a dead runner's faults expire). */
    private readonly rulesTtlMs: number,
  ) {}

  /** Whether any network fault is in force now (for the progress line). */
  get networkFaults(): number {
    return this.network.size;
  }

  private view(): ClusterView {
    return {
      nodes: this.backend.nodes(),
      shards: this.backend.topology.shards,
      lastAnswered: (name) => this.monitor.lastAnswered(name),
      latest: (name) => this.monitor.latest(name),
    };
  }

  async execute(step: PlannedStep): Promise<FaultEntry> {
    const entry: FaultEntry = { type: "fault", timeMs: this.now(), step: step.label, do: step.fault.do, targets: [], description: step.fault.do };
    try {
      const { targets, description } = await this.carryOut(step);
      entry.targets = targets;
      entry.description = description;
    } catch (error) {
      if (error instanceof UnsupportedFault) entry.unsupported = error.message;
      else if (error instanceof FaultFailed) entry.error = error.message;
      else entry.error = (error as Error).message ?? String(error);
      entry.description = `${step.fault.do}: ${entry.unsupported ?? entry.error}`;
    }
    this.record(entry);
    return entry;
  }

  private target(step: PlannedStep, spec: Parameters<typeof resolveTarget>[0]): ResolvedTarget {
    const previous = step.sameAs === undefined ? undefined : this.resolved.get(step.sameAs);
    const target = resolveTarget(spec, this.view(), this.random, previous);
    this.resolved.set(step.label, target);
    return target;
  }

  private async carryOut(step: PlannedStep): Promise<{ targets: string[]; description: string }> {
    const fault = step.fault;
    switch (fault.do) {
      case "kill":
      case "stop":
      case "pause":
      case "resume":
      case "restart": {
        const target = this.target(step, fault.target);
        const notes = await Promise.all(target.names.map((name) => this.processFault(fault.do, name, step.resumeAfterMs)));
        const note = notes.find((text) => text !== undefined);
        return { targets: target.names, description: `${fault.do} ${list(target.names)} (${target.what})${note === undefined ? "" : `: ${note}`}` };
      }
      case "az-power-loss": {
        const target = this.target(step, { kind: "az", zone: fault.zone });
        await Promise.all(target.names.map((name) => this.backend.kill(name)));
        return { targets: target.names, description: `power loss in ${fault.zone}: killed ${list(target.names)}` };
      }
      case "partition":
      case "blackhole":
      case "latency":
      case "loss":
        return this.networkFault(step, fault, actionOf(fault));
      case "az-isolation":
        return this.networkFault(
          step,
          { target: { kind: "az", zone: fault.zone }, peers: { kind: "all" }, channels: fault.clients ? ["bus", "replication", "client"] : ["bus", "replication"], direction: "both" },
          { kind: "partition" },
          `${fault.zone} isolated from the other zones${fault.clients ? " and from clients" : ""}`,
        );
      case "heal":
        return this.heal(step, fault.target === undefined ? undefined : this.target(step, fault.target));
      case "failover": {
        const target = this.target(step, fault.target);
        const name = target.names[0]!;
        const node = this.node(name);
        const args = fault.mode === "default" ? [] : [fault.mode.toUpperCase()];
        const reply = await this.control(node, "CLUSTER", "FAILOVER", ...args);
        if (reply !== "OK") throw new FaultFailed(`CLUSTER FAILOVER ${args.join(" ")} on ${name} answered ${String(reply)}`);
        return { targets: [name], description: `CLUSTER FAILOVER${args.length ? " " + args[0] : ""} on ${name} (${target.what})` };
      }
      case "test-failover": {
        const result = await testFailover({ topology: this.backend.topology, nodes: this.backend.nodes() }, fault.shard, CONTROL_TIMEOUT_MS, () => {});
        return {
          targets: [result.formerPrimary.name, result.newPrimary.name],
          description: `test failover of shard ${fault.shard}: ${result.formerPrimary.name} to ${result.newPrimary.name}`,
        };
      }
      case "add-replica":
        return this.addReplica(fault.shard, fault.zone);
      case "remove-replica": {
        const target = this.target(step, fault.target);
        const name = target.names[0]!;
        return this.removeReplica(name, target.what);
      }
    }
  }

  private async processFault(kind: "kill" | "stop" | "pause" | "resume" | "restart", name: string, resumeAfterMs: number | undefined): Promise<string | void> {
    switch (kind) {
      case "kill":
        return this.backend.kill(name);
      case "stop":
        return this.backend.stop(name);
      case "pause":
        return this.backend.pause(name, resumeAfterMs);
      case "resume":
        return this.backend.resume(name);
      case "restart": {
        const note = await this.backend.restart(name);
        // Rules live in the process: a restarted node gets back those still in force.
        await this.applyRules([name]);
        return note;
      }
    }
  }

  /**
   * A network fault between the target and its peers (every other node and
   * every client, unless the step names peers), in the step's direction
   * relative to the target. Each target node plays it on its own links: a
   * rule about the peer nodes' ids for the bus and replication, and one about
   * every client for client traffic.
   */
  private async networkFault(step: PlannedStep, scope: NetworkScope, action: FaultAction, what?: string): Promise<{ targets: string[]; description: string }> {
    const target = this.target(step, scope.target);
    const inTarget = new Set(target.names);
    const peerNames =
      scope.peers === undefined || scope.peers.kind === "all"
        ? this.backend.nodes().map((node) => node.name)
        : resolveTarget(scope.peers, this.view(), this.random, undefined).names;
    const peerIds = peerNames.filter((name) => !inTarget.has(name)).map((name) => this.monitor.idOf(name)).filter((id): id is string => id !== undefined);
    const nodeChannels = scope.channels.filter((channel): channel is Exclude<Channel, "client"> => channel !== "client");
    const clients = scope.channels.includes("client") && scope.peers === undefined;
    const rules = new Map<string, FaultRule[]>();
    for (const name of target.names) {
      const own: FaultRule[] = [];
      if (nodeChannels.length > 0 && peerIds.length > 0) own.push({ id: step.label, peers: peerIds, channels: nodeChannels, direction: scope.direction, action });
      if (clients) own.push({ id: `${step.label}/clients`, peers: "*", channels: ["client"], direction: scope.direction, action });
      rules.set(name, own);
    }
    this.network.set(step.label, { targets: inTarget, rules });
    await this.applyRules(target.names);
    const peers = scope.peers === undefined ? (clients ? "everything else" : "every other node") : resolveTarget(scope.peers, this.view(), this.random, undefined).what;
    const direction = scope.direction === "both" ? "" : scope.direction === "out" ? ", outgoing only" : ", incoming only";
    return { targets: target.names, description: what ?? `${describeAction(action)} between ${list(target.names)} (${target.what}) and ${peers} on ${scope.channels.join("+")}${direction}` };
  }

  private async heal(step: PlannedStep, target: ResolvedTarget | undefined): Promise<{ targets: string[]; description: string }> {
    const affected = new Set<string>();
    for (const [label, network] of this.network) {
      if (target !== undefined && !target.names.some((name) => network.targets.has(name))) continue;
      for (const name of network.rules.keys()) affected.add(name);
      this.network.delete(label);
    }
    await this.applyRules([...affected]);
    this.resolved.set(step.label, { names: [...affected], what: "healed" });
    return { targets: [...affected], description: affected.size === 0 ? "heal: no network fault was in force" : `heal the links of ${list([...affected])}` };
  }

  /** Sets on each node the union of the rules of every network fault in force. */
  private async applyRules(names: string[]): Promise<void> {
    await Promise.all(
      names.map(async (name) => {
        const rules = [...this.network.values()].flatMap((network) => network.rules.get(name) ?? []);
        const control = await this.controls.of(this.node(name));
        if (rules.length === 0) await control.clearFaults();
        else await control.setFaults(rules, this.rulesTtlMs);
      }),
    );
  }

  /** The final heal: every rule cleared everywhere, every process up. Says what it did. */
  async healEverything(): Promise<string[]> {
    const done = await this.backend.recoverAll();
    this.network.clear();
    for (const node of this.backend.nodes()) {
      try {
        await (await this.controls.of(node)).clearFaults();
      } catch (error) {
        done.push(`could not clear the faults of ${node.name}: ${(error as Error).message}`);
      }
    }
    return done;
  }

  private async addReplica(shard: number, zone: string | undefined): Promise<{ targets: string[]; description: string }> {
    const members = this.backend.nodes().filter((node) => node.shard === shard);
    if (members.length === 0) throw new FaultFailed(`no shard ${shard}`);
    const chosenZone = zone ?? leastUsedZone(this.backend.topology.availabilityZones, members);
    const primary = this.node(primaryOf(this.view(), shard));
    const primaryId = this.monitor.idOf(primary.name);
    if (primaryId === undefined) throw new FaultFailed(`the id of ${primary.name} is not known yet`);
    const node = await this.backend.startNewNode(shard, chosenZone);
    await this.control(node, "CLUSTER", "MEET", primary.host, String(primary.port), String(primary.busPort));
    const expected = this.backend.nodes().length;
    const deadline = this.now() + CONTROL_TIMEOUT_MS;
    for (;;) {
      const lines = parseClusterNodes(String(await this.control(node, "CLUSTER", "NODES")));
      if (lines.length >= expected && !lines.some((line) => line.flags.includes("handshake"))) break;
      if (this.now() > deadline) throw new FaultFailed(`${node.name} did not learn the cluster within ${CONTROL_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.control(node, "CLUSTER", "REPLICATE", primaryId);
    this.monitor.setNodes([...this.backend.nodes()]);
    return { targets: [node.name], description: `add replica ${node.name} to shard ${shard} in ${chosenZone}, replicating ${primary.name}` };
  }

  private async removeReplica(name: string, what: string): Promise<{ targets: string[]; description: string }> {
    if (this.monitor.lastAnswered(name)?.role !== "replica") throw new FaultFailed(`${name} is not a replica now (${what}): only replicas are removed`);
    const id = this.monitor.idOf(name);
    if (id === undefined) throw new FaultFailed(`the id of ${name} is not known`);
    // As redis-cli --cluster del-node: every other node forgets it, then it stops.
    for (const node of this.backend.nodes()) {
      if (node.name === name) continue;
      await this.control(node, "CLUSTER", "FORGET", id).catch(() => undefined);
    }
    await this.backend.removeNode(name);
    this.monitor.setNodes([...this.backend.nodes()]);
    return { targets: [name], description: `remove replica ${name} (${what})` };
  }

  private node(name: string): BackendNode {
    const node = this.backend.nodes().find((n) => n.name === name);
    if (node === undefined) throw new FaultFailed(`no node named ${name}`);
    return node;
  }

  private async control(node: BackendNode, ...args: string[]): Promise<unknown> {
    try {
      return await command(node.host, node.port, ...args);
    } catch (error) {
      throw new FaultFailed(`${args.slice(0, 2).join(" ")} on ${node.name}: ${(error as Error).message}`);
    }
  }
}

function actionOf(fault: Extract<FaultSpec, { do: "partition" | "blackhole" | "latency" | "loss" }>): FaultAction {
  switch (fault.do) {
    case "partition":
      return { kind: "partition" };
    case "blackhole":
      return { kind: "blackhole" };
    case "latency":
      return { kind: "latency", delayMs: fault.delayMs, jitterMs: fault.jitterMs };
    case "loss":
      return { kind: "loss", probability: fault.probability };
  }
}

function describeAction(action: FaultAction): string {
  switch (action.kind) {
    case "partition":
      return "partition";
    case "blackhole":
      return "blackhole";
    case "latency":
      return `latency ${action.delayMs} ms${action.jitterMs > 0 ? ` ± ${action.jitterMs} ms` : ""}`;
    case "loss":
      return `loss ${Math.round(action.probability * 1000) / 10}%`;
  }
}

/** The zone with the fewest members of the shard (the first such in the topology's order): where ElastiCache would place a new replica. */
function leastUsedZone(zones: readonly string[], members: readonly BackendNode[]): string {
  let best = zones[0]!;
  let fewest = Infinity;
  for (const zone of zones) {
    const count = members.filter((node) => node.availabilityZone === zone).length;
    if (count < fewest) {
      best = zone;
      fewest = count;
    }
  }
  return best;
}

function list(names: readonly string[]): string {
  return names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
}
