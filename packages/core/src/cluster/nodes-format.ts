import { SlotSet, type ClusterNode } from "./topology.js";

/** A line of CLUSTER NODES (or of a nodes file) that is not well formed. */
export class NodesFormatError extends Error {}

/**
 * Parses one CLUSTER NODES line back into a node, as Redis's
 * clusterLoadConfig reads nodes.conf. Migration markers (`[slot->-id]`) are
 * returned apart because they belong to the cluster state, not the node.
 */
export function parseClusterNodesLine(line: string): { node: ClusterNode; migrating: [number, string][]; importing: [number, string][] } {
  const fields = line.trim().split(" ");
  if (fields.length < 8) throw new NodesFormatError(`expected at least 8 fields, got ${fields.length}: ${line}`);
  const [id, address, flagText, primary, pingSent, pongReceived, epoch, link] = fields as [string, string, string, string, string, string, string, string];
  if (!/^[0-9a-f]{40}$/.test(id)) throw new NodesFormatError(`bad node id '${id}'`);
  const match = /^(.*):(\d+)@(\d+)(?:,(.*))?$/.exec(address);
  if (!match) throw new NodesFormatError(`bad address '${address}' (expected ip:port@busport[,hostname])`);
  const flags = new Set(flagText.split(","));
  const slots = new SlotSet();
  const migrating: [number, string][] = [];
  const importing: [number, string][] = [];
  for (const token of fields.slice(8)) {
    const marker = /^\[(\d+)-([<>])-([0-9a-f]{40})\]$/.exec(token);
    if (marker) {
      (marker[2] === ">" ? migrating : importing).push([Number(marker[1]), marker[3]!]);
      continue;
    }
    const range = /^(\d+)(?:-(\d+))?$/.exec(token);
    if (!range) throw new NodesFormatError(`bad slot range '${token}'`);
    const start = Number(range[1]);
    const end = range[2] === undefined ? start : Number(range[2]);
    if (start > end || end >= 16384) throw new NodesFormatError(`slot range '${token}' out of 0-16383`);
    for (let slot = start; slot <= end; slot++) slots.add(slot);
  }
  const node: ClusterNode = {
    id,
    ip: match[1]!,
    port: Number(match[2]),
    busPort: Number(match[3]),
    hostname: match[4] ?? "",
    shardId: "",
    availabilityZone: "",
    role: flags.has("master") ? "primary" : flags.has("slave") ? "replica" : "unknown",
    primaryId: primary === "-" ? undefined : primary,
    myself: flags.has("myself"),
    suspected: flags.has("fail?"),
    failed: flags.has("fail"),
    handshake: flags.has("handshake"),
    noAddress: flags.has("noaddr"),
    noFailover: flags.has("nofailover"),
    pingSentMs: Number(pingSent),
    pongReceivedMs: Number(pongReceived),
    configEpoch: Number(epoch),
    linkConnected: link === "connected",
    replicationOffset: 0,
    slots,
  };
  return { node, migrating, importing };
}
