import { command, parseClusterNodes, parseInfo } from "../cluster/node-client.js";
import type { NodeStatus } from "../cluster/status.js";
import { isNodeProcess, type RunState } from "./launcher.js";

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
