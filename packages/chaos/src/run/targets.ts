import { splitSlots, type Random } from "@shardline/core";
import type { BackendNode } from "../backends/backend.js";
import { FaultFailed } from "../backends/backend.js";
import type { TargetSpec } from "../model/scenario.js";
import type { NodeSample } from "../model/observations.js";

/** What target resolution knows of the cluster right now. */
export interface ClusterView {
  nodes: readonly BackendNode[];
  shards: number;
  /** The node's last answer to the monitor (undefined: it never answered). */
  lastAnswered(name: string): NodeSample | undefined;
  /** Its latest poll, answered or not. */
  latest(name: string): NodeSample | undefined;
}

/** Nodes a target resolved to, and how to say who they are ("primary of shard 1"). */
export interface ResolvedTarget {
  names: string[];
  what: string;
}

/**
 * Resolves a target against the cluster as the monitor last saw it, so
 * `primary-of-shard 1` is whoever is shard 1's primary now, not at the
 * start. Random picks come from the scenario's seeded Random. `previous` is
 * what `same` means.
 */
export function resolveTarget(spec: TargetSpec, view: ClusterView, random: Random, previous: ResolvedTarget | undefined): ResolvedTarget {
  switch (spec.kind) {
    case "primary-of-shard": {
      const primary = primaryOf(view, spec.shard);
      return { names: [primary], what: `primary of shard ${spec.shard}` };
    }
    case "replica-of-shard": {
      const replicas = replicasOf(view, spec.shard);
      if (replicas.length === 0) throw new FaultFailed(`shard ${spec.shard} has no replica that answers now`);
      const offset = (name: string) => view.lastAnswered(name)?.replicationOffset ?? -1;
      const sorted = [...replicas].sort((a, b) => offset(b) - offset(a) || a.localeCompare(b));
      const name = spec.pick === "best" ? sorted[0]! : spec.pick === "worst" ? sorted[sorted.length - 1]! : sorted[random.int(sorted.length)]!;
      const adjective = spec.pick === "best" ? "least-lagged " : spec.pick === "worst" ? "most-lagged " : "";
      return { names: [name], what: `${adjective}replica of shard ${spec.shard}` };
    }
    case "any-primary": {
      const shard = 1 + random.int(view.shards);
      return { names: [primaryOf(view, shard)], what: `primary of shard ${shard}` };
    }
    case "any-replica": {
      const replicas = view.nodes.filter((node) => view.lastAnswered(node.name)?.role === "replica" && answering(view, node.name));
      if (replicas.length === 0) throw new FaultFailed("no replica answers now");
      const node = replicas[random.int(replicas.length)]!;
      return { names: [node.name], what: `replica of shard ${node.shard}` };
    }
    case "node":
      if (!view.nodes.some((node) => node.name === spec.name)) throw new FaultFailed(`no node named ${spec.name}`);
      return { names: [spec.name], what: roleOf(view, spec.name) };
    case "az": {
      const names = view.nodes.filter((node) => node.availabilityZone === spec.zone).map((node) => node.name);
      if (names.length === 0) throw new FaultFailed(`no node in availability zone ${spec.zone}`);
      return { names, what: `every node of ${spec.zone}` };
    }
    case "same":
      if (previous === undefined) throw new FaultFailed("'same' has no earlier target to refer to");
      return previous;
    case "all":
      return { names: view.nodes.map((node) => node.name), what: "every node" };
  }
}

/**
 * The node that serves shard `shard`'s slots as a primary, by the monitor's
 * latest answers; where two claim them (a partition), the newer config epoch.
 */
export function primaryOf(view: ClusterView, shard: number): string {
  const [start, end] = splitSlots(view.shards)[shard - 1] ?? [-1, -1];
  let best: NodeSample | undefined;
  for (const node of view.nodes) {
    const sample = view.lastAnswered(node.name);
    if (sample?.role !== "primary" || !(sample.slots ?? []).some(([from, to]) => from <= end && to >= start)) continue;
    if (best === undefined || (sample.configEpoch ?? 0) > (best.configEpoch ?? 0)) best = sample;
  }
  if (best === undefined) throw new FaultFailed(`no primary of shard ${shard} is known now`);
  return best.node;
}

/** The replicas of a shard that answer now. */
export function replicasOf(view: ClusterView, shard: number): string[] {
  return view.nodes.filter((node) => node.shard === shard && view.lastAnswered(node.name)?.role === "replica" && answering(view, node.name)).map((node) => node.name);
}

function answering(view: ClusterView, name: string): boolean {
  return view.latest(name)?.reachable === true;
}

function roleOf(view: ClusterView, name: string): string {
  const node = view.nodes.find((n) => n.name === name)!;
  const role = view.lastAnswered(name)?.role;
  return role === undefined ? `shard ${node.shard}` : `${role} of shard ${node.shard}`;
}
