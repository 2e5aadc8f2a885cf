import { placeNodes, type PlacedNode, type Topology } from "@shardline/core";
import { Document } from "yaml";
import { CONTAINER_NODE_FILES, containerNodeExtras, nodeArguments } from "../local/node-arguments.js";
import { planNetwork, type NetworkPlan } from "./addresses.js";
import { CLI_IN_IMAGE, HEALTH_CHECK_IN_IMAGE, NODE_BINARY_IN_IMAGE } from "./paths.js";

/** The one image every service runs (nodes, init, runner), built from the repository's Dockerfile. */
export const COMPOSE_IMAGE = "shardline:local";
/** The project's network, as the services name it. */
export const NETWORK_NAME = "cluster";
/**
 * The compose network's default subnet. Any fixed choice can collide with a
 * network the machine already has (Docker then says "Pool overlaps"); then
 * regenerate with `shardline compose --subnet`.
 */
export const DEFAULT_SUBNET = "10.213.0.0/24";
export const INIT_SERVICE = "init";
export const RUNNER_SERVICE = "runner";
/** The profile the runner sits under: plain `docker compose up` starts the cluster only. */
export const RUNNER_PROFILE = "scenario";
/** The scenario the runner service runs, relative to the repository root. */
export const RUNNER_SCENARIO = "scenarios/kill-primary.yaml";
export const REPORTS_IN_CONTAINER = "/reports";
/** How long `shardline form` in the init service waits for the nodes to answer and the cluster to report ok. */
export const FORM_TIMEOUT_MS = 60_000;
/** Bound on one health check inside the container; compose's own timeout is above it, so the program's message is what is recorded. */
export const HEALTH_CHECK_TIMEOUT_MS = 2000;

/**
 * Health checks: a node is healthy once its cluster reports ok, which is
 * only after init formed it, so the start period covers start-up and
 * forming. Every check starts a Node.js process, so they are not frequent.
 */
const HEALTH_CHECK = { interval: "5s", timeout: "5s", retries: 3, start_period: "60s" } as const;

/** Container logs are JSON files on the Docker host; without a bound they grow as long as the cluster runs. */
const LOGGING = { driver: "json-file", options: { "max-size": "10m", "max-file": "3" } } as const;

export interface ComposeOptions {
  /** The compose network's subnet (IPv4 CIDR); the nodes' fixed addresses come from it. */
  subnet: string;
  /** The repository root as seen from the compose file's directory ("." for the file at the root). */
  buildContext: string;
  /** The topology file as a path inside the repository (the image holds it), or undefined for the default topology. */
  topologyFile: string | undefined;
}

export const DEFAULT_COMPOSE_OPTIONS: Readonly<ComposeOptions> = Object.freeze({ subnet: DEFAULT_SUBNET, buildContext: ".", topologyFile: undefined });

/**
 * docker-compose.yml for a topology (DESIGN.md, principle 6): one service
 * per node, named and reachable by the node's name, running the same node
 * binary with the same nodeArguments the local launcher uses, plus what a
 * container needs; an init service that forms the cluster; and a runner
 * service (profile "scenario") that runs a scenario against it. The same
 * topology and options give the same bytes.
 */
export function composeFile(topology: Topology, options: Partial<ComposeOptions> = {}): string {
  const settings: ComposeOptions = { ...DEFAULT_COMPOSE_OPTIONS, ...options };
  const document = new Document(escapeInterpolation(composeDocument(topology, settings)), { version: "1.1", aliasDuplicateObjects: false });
  document.commentBefore = header(topology, settings);
  // YAML 1.1 quoting: strings that a YAML 1.1 reader would take for booleans or numbers ("no", "yes") are quoted, so every reader agrees.
  return document.toString({ lineWidth: 0 });
}

/**
 * Compose reads `$NAME` and `${NAME}` in any value as a variable of the
 * environment it runs in, and `$$` as one `$`. Every `$` here is meant
 * literally (a shell's "$@", a secret with a `$` in it), so each is doubled.
 */
export function escapeInterpolation<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("$", "$$$$") as T;
  if (Array.isArray(value)) return value.map((item) => escapeInterpolation(item)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeInterpolation(item)])) as T;
  }
  return value;
}

/** The compose file as data, in the order it is written, before escapeInterpolation. */
export function composeDocument(topology: Topology, options: ComposeOptions): Record<string, unknown> {
  const nodes = placeNodes(topology);
  const network = planNetwork(options.subnet, nodes.length);
  const services: Record<string, unknown> = {};
  for (const [index, node] of nodes.entries()) services[node.name] = nodeService(topology, node, network.nodeAddresses[index]!, options);
  services[INIT_SERVICE] = initService(topology, nodes, options);
  services[RUNNER_SERVICE] = runnerService(topology, nodes[0]!, options);
  return { name: `shardline-${topology.name}`, services, networks: { [NETWORK_NAME]: networkDefinition(network) } };
}

/** The command a node's container runs: the launcher's command line with the container's files and extras. */
export function nodeCommand(topology: Topology, node: PlacedNode, address: string): string[] {
  return ["node", NODE_BINARY_IN_IMAGE, ...nodeArguments(topology, node, CONTAINER_NODE_FILES, containerNodeExtras(node, address))];
}

function imageSettings(options: ComposeOptions): Record<string, unknown> {
  return {
    image: COMPOSE_IMAGE,
    // Every service builds the same image under one name; `build` makes `up` rebuild from the checkout (cached) rather than look for it in a registry.
    build: { context: options.buildContext, dockerfile: "Dockerfile" },
    pull_policy: "build",
    // Node.js must not be PID 1: the kernel ignores a SIGKILL that PID 1 sends itself, and the runner kills nodes through their control links that way.
    init: true,
  };
}

/**
 * How long a restarted node container waits before its node starts: long
 * enough for the cluster to fail over first. A node keeps no data across a
 * restart (no snapshots by default), and a primary back before its
 * replicas took over would still own its slots, and they would resync from
 * its empty dataset: Redis's warning against auto-restarting instances
 * without persistence. Failure detection takes the node timeout, the
 * election at most twice more (Redis's failover auth timeout); 3 s covers
 * gossip and the election's delay.
 */
export function restartDelayMs(topology: Topology): number {
  return 2 * topology.nodeTimeoutMs + 3000;
}

/**
 * The node container's entrypoint, before its command: on a first start
 * (no nodes file yet) it runs the command at once; after a restart (a kill
 * or stop) it first waits restartDelayMs, as ElastiCache takes a while to
 * replace a failed node, which then joins as a replica.
 */
export function nodeEntrypoint(topology: Topology): string[] {
  const seconds = Math.ceil(restartDelayMs(topology) / 1000);
  const script = [
    `if [ -e ${CONTAINER_NODE_FILES.nodesFile} ]; then`,
    `echo "restarted: waiting ${seconds} s before starting, so that the cluster fails over first"; sleep ${seconds};`,
    `fi; exec "$@"`,
  ].join(" ");
  return ["sh", "-c", script, "shardline-node"];
}

function nodeService(topology: Topology, node: PlacedNode, address: string, options: ComposeOptions): Record<string, unknown> {
  return {
    ...imageSettings(options),
    hostname: node.name,
    // A killed or stopped node comes back (after nodeEntrypoint's wait), with its nodes file, which the container keeps.
    restart: "unless-stopped",
    entrypoint: nodeEntrypoint(topology),
    command: nodeCommand(topology, node, address),
    // Published on the host's loopback only: the nodes take no password and allow DEBUG.
    ports: [`127.0.0.1:${node.port}:${node.port}`, `127.0.0.1:${node.busPort}:${node.busPort}`],
    networks: { [NETWORK_NAME]: { ipv4_address: address } },
    labels: {
      "com.shardline.cluster": topology.name,
      "com.shardline.node": node.name,
      "com.shardline.availability-zone": node.availabilityZone,
      "com.shardline.shard": String(node.shard),
      "com.shardline.member": String(node.member),
      "com.shardline.initial-role": node.initialRole,
    },
    healthcheck: {
      test: ["CMD", "node", HEALTH_CHECK_IN_IMAGE, "--port", String(node.port), "--timeout", String(HEALTH_CHECK_TIMEOUT_MS)],
      ...HEALTH_CHECK,
    },
    logging: LOGGING,
  };
}

/**
 * Forms the cluster once the node containers run. It waits on
 * service_started, not service_healthy: a node is healthy only once the
 * cluster is formed, so waiting for health would wait for itself.
 */
function initService(topology: Topology, nodes: readonly PlacedNode[], options: ComposeOptions): Record<string, unknown> {
  const topologyArguments = options.topologyFile === undefined ? [] : ["--topology", options.topologyFile];
  const dependencies: Record<string, unknown> = {};
  for (const node of nodes) dependencies[node.name] = { condition: "service_started" };
  return {
    ...imageSettings(options),
    restart: "no",
    command: ["node", CLI_IN_IMAGE, "form", ...topologyArguments, "--timeout", String(FORM_TIMEOUT_MS), "--host", ...nodes.map((node) => node.name)],
    depends_on: dependencies,
    networks: [NETWORK_NAME],
    labels: { "com.shardline.cluster": topology.name },
    logging: LOGGING,
  };
}

/**
 * Runs a scenario against the cluster once init has formed it. It sits
 * under a profile: a scenario kills nodes, so plain `docker compose up`
 * must not start one; `docker compose run --rm runner` does, starting the
 * cluster first. It runs as root because Docker creates a missing
 * ./reports owned by root, where the image's own user could not write.
 */
function runnerService(topology: Topology, seed: PlacedNode, options: ComposeOptions): Record<string, unknown> {
  return {
    ...imageSettings(options),
    profiles: [RUNNER_PROFILE],
    user: "root",
    restart: "no",
    command: ["node", CLI_IN_IMAGE, "scenario", "run", RUNNER_SCENARIO, "--attach", `${seed.name}:${seed.port}`, "--out", REPORTS_IN_CONTAINER],
    volumes: [`./reports:${REPORTS_IN_CONTAINER}`],
    depends_on: { [INIT_SERVICE]: { condition: "service_completed_successfully" } },
    networks: [NETWORK_NAME],
    labels: { "com.shardline.cluster": topology.name },
    logging: LOGGING,
  };
}

function networkDefinition(network: NetworkPlan): Record<string, unknown> {
  return {
    driver: "bridge",
    ipam: { config: [{ subnet: network.subnet, ip_range: network.dynamicRange, gateway: network.gateway }] },
  };
}

function header(topology: Topology, options: ComposeOptions): string {
  const nodes = placeNodes(topology);
  const first = nodes[0]!;
  const last = nodes[nodes.length - 1]!;
  const source = options.topologyFile === undefined ? "the default topology" : `the topology in ${options.topologyFile}`;
  const regenerate = options.topologyFile === undefined ? "npx shardline compose" : `npx shardline compose --topology ${options.topologyFile}`;
  const address = planNetwork(options.subnet, nodes.length).nodeAddresses[0]!;
  return [
    ` Generated by \`shardline compose\` from ${source}; do not edit.`,
    ` Regenerate with \`${regenerate}\`; a test keeps the two equal.`,
    "",
    ` docker compose up -d              ${nodes.length} nodes; init forms the cluster, then exits`,
    " docker compose run --rm runner    runs " + RUNNER_SCENARIO + ", writes the report to ./reports",
    " docker compose down               stops the cluster and forgets it",
    "",
    ` Each node announces its fixed address on the network (${first.name}: ${address}) and`,
    ` publishes its client and bus ports (${first.port}-${last.port}, ${first.busPort}-${last.busPort}) on 127.0.0.1.`,
    " On Linux the host reaches the announced addresses directly: redis-cli -c -p " + first.port + " works.",
    " Elsewhere (Docker Desktop) map them, e.g. ioredis Cluster's natMap:",
    ` { "${address}:${first.port}": { host: "127.0.0.1", port: ${first.port} }, ... } for every node.`,
  ].join("\n");
}
