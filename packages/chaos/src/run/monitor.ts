import IORedis from "ioredis";
import type { BackendNode } from "../backends/backend.js";
import { parseClusterNodes, parseInfo } from "../cluster/node-client.js";
import { parseEventReports, type EventReport } from "../cluster/events.js";
import type { NodeSample, WriteTerm } from "../model/observations.js";

const Redis = IORedis.default ?? IORedis;
type Connection = InstanceType<typeof Redis>;

/** How often every node is asked about itself: fast enough to see a failover's steps (it takes about 1.5 s). */
const POLL_INTERVAL_MS = 200;
/** A node that has not answered a poll by then counts as unreachable for that poll. */
const POLL_TIMEOUT_MS = 400;
/** Every this many polls, the node's own records (SHARDLINE WRITES and EVENTS) are read too. */
const RECORDS_EVERY_POLLS = 5;
/** Samples kept at most: nine nodes polled five times a second for over an hour. */
const SAMPLES_MAX = 200_000;

/**
 * Watches every node while a scenario runs, independently of the workload's
 * client: role, primary, slots, config epoch, cluster state and replication
 * offset five times a second, and each node's own records of the writes it
 * accepted and of the cluster events it saw (read repeatedly, because a node
 * that is killed takes its records with it). It talks to each node over its
 * own connection with a short timeout, so a frozen or blackholed node costs
 * one missed sample, never a stuck monitor.
 */
export class Monitor {
  private readonly connections = new Map<string, Connection>();
  private readonly inFlight = new Set<string>();
  private readonly latestByNode = new Map<string, NodeSample>();
  private readonly lastAnsweredByNode = new Map<string, NodeSample>();
  private readonly terms = new Map<string, WriteTerm>();
  private readonly eventReports = new Map<string, EventReport>();
  readonly samples: NodeSample[] = [];
  /** Node id to name, from every CLUSTER NODES seen. */
  readonly names = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private polls = 0;
  private truncated = false;

  constructor(
    private nodes: BackendNode[],
    private readonly now: () => number,
  ) {}

  /** Polls once (so the view is known before anything else happens), then keeps polling. */
  async start(): Promise<void> {
    await this.pollAll();
    this.timer = setInterval(() => void this.pollAll(), POLL_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const connection of this.connections.values()) connection.disconnect();
    this.connections.clear();
  }

  /** A node joined the cluster (add-replica) or left it (remove-replica). */
  setNodes(nodes: BackendNode[]): void {
    for (const [name, connection] of this.connections) {
      if (!nodes.some((n) => n.name === name)) {
        connection.disconnect();
        this.connections.delete(name);
      }
    }
    this.nodes = nodes;
  }

  get samplesTruncated(): boolean {
    return this.truncated;
  }

  latest(name: string): NodeSample | undefined {
    return this.latestByNode.get(name);
  }

  /** The node's last answer, however old (its role then). */
  lastAnswered(name: string): NodeSample | undefined {
    return this.lastAnsweredByNode.get(name);
  }

  idOf(name: string): string | undefined {
    for (const [id, known] of this.names) if (known === name) return id;
    return undefined;
  }

  writeTerms(): WriteTerm[] {
    return [...this.terms.values()];
  }

  events(): EventReport[] {
    return [...this.eventReports.values()];
  }

  /** Every node's records, read now (at the end of a run, after the final heal). */
  async readRecords(): Promise<void> {
    await Promise.all(this.nodes.map((node) => this.readNodeRecords(node).catch(() => undefined)));
  }

  /** INFO errorstats of every node that answers, with its run id (a restarted node starts counting again). */
  async errorStats(): Promise<Map<string, { runId: string; counts: Record<string, number> }>> {
    const result = new Map<string, { runId: string; counts: Record<string, number> }>();
    await Promise.all(
      this.nodes.map(async (node) => {
        try {
          const connection = this.connection(node);
          const [server, errors] = await Promise.all([connection.call("INFO", "server"), connection.call("INFO", "errorstats")]);
          const counts: Record<string, number> = {};
          for (const [field, value] of Object.entries(parseInfo(String(errors)))) {
            const match = /^errorstat_(.+)$/.exec(field);
            if (match) counts[match[1]!] = Number(/count=(\d+)/.exec(value)?.[1] ?? 0);
          }
          result.set(node.name, { runId: parseInfo(String(server)).run_id ?? "", counts });
        } catch {
          // A node that does not answer has no figures to add.
        }
      }),
    );
    return result;
  }

  private async pollAll(): Promise<void> {
    this.polls++;
    const withRecords = this.polls % RECORDS_EVERY_POLLS === 1;
    await Promise.all(this.nodes.map((node) => this.poll(node, withRecords)));
  }

  private async poll(node: BackendNode, withRecords: boolean): Promise<void> {
    if (this.inFlight.has(node.name)) return;
    this.inFlight.add(node.name);
    const timeMs = this.now();
    try {
      const connection = this.connection(node);
      const [nodesText, replication, clusterInfo] = await Promise.all([
        connection.call("CLUSTER", "NODES"),
        connection.call("INFO", "replication"),
        connection.call("CLUSTER", "INFO"),
      ]);
      this.record(this.sample(node, timeMs, String(nodesText), parseInfo(String(replication)), parseInfo(String(clusterInfo))));
      if (withRecords) await this.readNodeRecords(node);
    } catch {
      this.record({ timeMs, node: node.name, reachable: false });
    } finally {
      this.inFlight.delete(node.name);
    }
  }

  private sample(node: BackendNode, timeMs: number, nodesText: string, replication: Record<string, string>, clusterInfo: Record<string, string>): NodeSample {
    const lines = parseClusterNodes(nodesText);
    for (const line of lines) {
      const known = this.nodes.find((n) => `${n.host}:${n.port}` === line.address);
      if (known !== undefined) this.names.set(line.id, known.name);
    }
    const myself = lines.find((line) => line.flags.includes("myself"));
    if (myself !== undefined) this.names.set(myself.id, node.name);
    const isPrimary = myself?.flags.includes("master") ?? replication.role === "master";
    const offset = Number(isPrimary ? replication.master_repl_offset : replication.slave_repl_offset);
    return {
      timeMs,
      node: node.name,
      reachable: true,
      role: isPrimary ? "primary" : "replica",
      primary: myself?.primaryId === undefined ? undefined : (this.names.get(myself.primaryId) ?? myself.primaryId),
      slots: myself === undefined ? [] : parseSlotRanges(myself.slots),
      configEpoch: myself?.configEpoch,
      clusterStateOk: clusterInfo.cluster_state === "ok",
      replicationOffset: Number.isFinite(offset) ? offset : undefined,
      linkUp: isPrimary ? undefined : replication.master_link_status === "up",
    };
  }

  private record(sample: NodeSample): void {
    this.latestByNode.set(sample.node, sample);
    if (sample.reachable) this.lastAnsweredByNode.set(sample.node, sample);
    if (this.samples.length >= SAMPLES_MAX) {
      this.truncated = true;
      return;
    }
    this.samples.push(sample);
  }

  private async readNodeRecords(node: BackendNode): Promise<void> {
    const connection = this.connection(node);
    const [writes, events] = await Promise.all([connection.call("SHARDLINE", "WRITES"), connection.call("SHARDLINE", "EVENTS")]);
    for (const [configEpoch, slots, firstWriteMs, lastWriteMs, count] of writes as [number, string, number, number, number][]) {
      // A term is known by its node, epoch and first write; a later read of it has its newer end.
      this.terms.set(`${node.name}/${configEpoch}/${firstWriteMs}`, { node: node.name, configEpoch, slots: parseSlotRanges(slots.split(" ")), firstWriteMs, lastWriteMs, writes: count });
    }
    for (const report of parseEventReports(events, node.name)) {
      this.eventReports.set(`${report.reporter}/${report.atMs}/${report.type}/${report.nodeId}`, report);
    }
  }

  private connection(node: BackendNode): Connection {
    let connection = this.connections.get(node.name);
    if (connection === undefined) {
      connection = new Redis({
        host: node.host,
        port: node.port,
        connectTimeout: POLL_TIMEOUT_MS * 2,
        commandTimeout: POLL_TIMEOUT_MS,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        // Keep trying, quickly: a restarted node should be seen as soon as it listens.
        retryStrategy: () => 100,
        lazyConnect: false,
      });
      connection.on("error", () => {});
      this.connections.set(node.name, connection);
    }
    return connection;
  }
}

/** CLUSTER NODES slot fields ("0-5460", "7", "[93->-id]" migration markers left out) as inclusive ranges. */
export function parseSlotRanges(fields: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const field of fields) {
    if (field === "" || field.startsWith("[")) continue;
    const [start, end] = field.split("-");
    ranges.push([Number(start), Number(end ?? start)]);
  }
  return ranges;
}
