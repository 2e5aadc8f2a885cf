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
