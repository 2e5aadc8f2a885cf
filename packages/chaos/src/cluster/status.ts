import { command, parseClusterNodes, parseInfo } from "./node-client.js";
import { isNodeProcess, type RunState } from "../local/launcher.js";

/** One node as `shardline status` reports it. */
export interface NodeStatus {
  name: string;
  availabilityZone: string;
  address: string;
  shard: number;
  pid: number;
  /** running: answers; unreachable: process alive, no answer; stopped: no process. */
  process: "running" | "unreachable" | "stopped";
  id: string | undefined;
  role: "primary" | "replica" | undefined;
  primaryName: string | undefined;
  slots: string;
  configEpoch: number | undefined;
  clusterState: string | undefined;
  /** Flags this node sees on itself or that peers report (fail, fail?). */
  flags: string[];
}

/** Asks every node of a run about itself. */
export async function gatherStatus(state: RunState): Promise<NodeStatus[]> {
  const byAddress = new Map(state.nodes.map((n) => [`${n.host}:${n.port}`, n]));
  const idToName = new Map<string, string>();
  const statuses = await Promise.all(
    state.nodes.map(async (node): Promise<NodeStatus> => {
      const base: NodeStatus = {
        name: node.name,
        availabilityZone: node.availabilityZone,
        address: `${node.host}:${node.port}`,
        shard: node.shard,
        pid: node.pid,
        process: isNodeProcess(node.pid) ? "unreachable" : "stopped",
        id: undefined,
        role: undefined,
        primaryName: undefined,
        slots: "",
        configEpoch: undefined,
        clusterState: undefined,
        flags: [],
      };
      if (base.process === "stopped") return base;
      try {
        const lines = parseClusterNodes(String(await command(node.host, node.port, "CLUSTER", "NODES")));
        const info = parseInfo(String(await command(node.host, node.port, "CLUSTER", "INFO")));
        for (const line of lines) {
          const peer = byAddress.get(line.address);
          if (peer) idToName.set(line.id, peer.name);
        }
        const me = lines.find((l) => l.flags.includes("myself"))!;
        return {
          ...base,
          process: "running",
          id: me.id,
          role: me.flags.includes("master") ? "primary" : "replica",
          primaryName: me.primaryId,
          slots: me.slots.join(" "),
          configEpoch: me.configEpoch,
          clusterState: info.cluster_state,
          flags: me.flags.filter((f) => f !== "myself" && f !== "master" && f !== "slave"),
        };
      } catch {
        return base;
      }
    }),
  );
  for (const status of statuses) if (status.primaryName) status.primaryName = idToName.get(status.primaryName) ?? status.primaryName;
  return statuses;
}

/** A table grouped by availability zone. */
export function renderStatus(statuses: readonly NodeStatus[]): string {
  const rows = [...statuses]
    .sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone) || a.name.localeCompare(b.name))
    .map((s) => [
      s.availabilityZone,
      s.name,
      s.address,
      s.role ?? "-",
      String(s.shard),
      s.role === "replica" ? `of ${s.primaryName ?? "?"}` : s.slots || "-",
      s.configEpoch === undefined ? "-" : String(s.configEpoch),
      s.process === "running" ? `${s.clusterState === "ok" ? "ok" : "cluster " + s.clusterState}${s.flags.length ? " " + s.flags.join(",") : ""}` : s.process,
    ]);
  const header = ["AZ", "NODE", "ADDRESS", "ROLE", "SHARD", "SLOTS", "EPOCH", "HEALTH"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [format(header), ...rows.map(format)].join("\n");
}
