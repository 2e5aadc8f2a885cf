import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { LogSink } from "@shardline/core";
import { ClusterDriver } from "./cluster-driver.js";
import { CONTROL_PATH, ControlLinks } from "./control-link.js";
import { REPLICATION_PATH, ReplicationLinks } from "./replication-links.js";
import type { NodeRuntime } from "./runtime.js";

/** Largest cluster bus frame accepted: a header, 2 KiB of slots and bounded gossip fit many times over. */
const BUS_FRAME_BYTES_MAX = 1024 * 1024;
/** Default per-link send queue bound when `cluster-link-sendbuf-limit` is 0 (Redis: unlimited). */
const BUS_SEND_BUFFER_BYTES_DEFAULT = 64 * 1024 * 1024;

/** Where the nodes file lives: `cluster-config-file`, relative to `dir` as Redis (which chdirs to `dir`) reads it. */
export function nodesFilePath(dir: string | undefined, configFile: string | undefined): string {
  return resolve(dir ?? ".", configFile ?? "nodes.conf");
}

/** The nodes file's content, or undefined for a node starting its first life. */
export function readNodesFile(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** A cluster bus port that cannot be opened, with what to do about it. */
export class BusListenError extends Error {}

/**
 * Starts the cluster bus of a node in cluster mode: listens on the bus port
 * and carries out the cluster layer's effects after every event. Returns
 * the driver (to close it on shutdown), or undefined when cluster mode is off.
 */
export async function startClusterBus(runtime: NodeRuntime, nodesFile: string, log: LogSink): Promise<{ close(): Promise<void> } | undefined> {
  const cluster = runtime.engine.cluster;
  if (cluster === undefined) return undefined;
  const config = runtime.engine.config;
  const busPort = config.number("cluster-port") || config.number("port") + 10000;
  const host = config.get("bind").split(" ")[0]!.replace(/^-/, "");
  const sendBufferLimit = config.number("cluster-link-sendbuf-limit");
  // The replication and control links need the driver's bus, and the bus hands them its /replication and /control links.
  const late: { links?: ReplicationLinks; control?: ControlLinks } = {};
  const driver = new ClusterDriver(cluster, {
    onPathLink: (path, socket, remoteIp) => {
      if (path === REPLICATION_PATH) return late.links?.acceptReplica(socket, remoteIp);
      if (path === CONTROL_PATH) return late.control?.accept(socket, remoteIp);
      return undefined;
    },
    network: runtime.network,
    host,
    busPort,
    secret: config.get("cluster-secret"),
    nodesFile,
    frameBytesMax: BUS_FRAME_BYTES_MAX,
    sendBufferBytesMax: sendBufferLimit > 0 ? sendBufferLimit : BUS_SEND_BUFFER_BYTES_DEFAULT,
    nowMs: () => runtime.engine.clock.nowMs(),
    log: (level, message, fields) => log(level, message, fields),
  });
  try {
    await driver.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BusListenError(
      code === "EADDRINUSE"
        ? `cluster bus port ${busPort} on ${host} is already in use. Stop the process holding it, or choose another with --cluster-port.`
        : `cannot listen on cluster bus port ${host}:${busPort}: ${(error as Error).message}`,
    );
  }
  const replicationLinks = new ReplicationLinks(
    runtime.engine.replication,
    driver.bus,
    runtime.network,
    () => replicaBufferBytesMax(config.get("client-output-buffer-limit")),
    () => runtime.notify(),
    log,
  );
  late.links = replicationLinks;
  const control = new ControlLinks(runtime.engine.faults, runtime.network, driver.bus, () => runtime.notify(), log);
  late.control = control;
  runtime.turnHooks.push(() => driver.flush(), () => replicationLinks.flush());
  driver.flush();
  log("info", "cluster bus listening", { host, busPort, myid: cluster.state.myId });
  return {
    async close() {
      control.close();
      replicationLinks.close();
      await driver.close();
    },
  };
}

/** The hard limit of `client-output-buffer-limit replica` (Redis default 256mb), bounding a replica link's queue. */
function replicaBufferBytesMax(setting: string): number {
  const match = /(?:replica|slave)\s+(\d+)/.exec(setting);
  const bytes = match ? Number(match[1]) : 0;
  return bytes > 0 ? bytes : 256 * 1024 * 1024;
}
