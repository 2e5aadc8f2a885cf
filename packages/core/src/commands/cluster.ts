import { clusterInfoText, clusterNodesLine, writeClusterNodes, writeClusterShards, writeClusterSlots } from "../cluster/render.js";
import { keyHashSlot, SLOT_COUNT } from "../cluster/slots.js";
import type { ClusterState } from "../cluster/state.js";
import type { ClusterMode } from "../engine/cluster-mode.js";
import type { CommandContext } from "../engine/context.js";
import { CommandError, Errors } from "../errors.js";
import { parseInteger, requireInteger } from "../util/parse.js";
import type { CommandFlag, CommandSpec } from "./spec.js";

const DISABLED = "ERR This instance has cluster support disabled";

function clusterOf(ctx: CommandContext): ClusterMode {
  const cluster = ctx.engine.cluster;
  if (cluster === undefined) throw new CommandError(DISABLED);
  return cluster;
}

function stateOf(ctx: CommandContext): ClusterState {
  return clusterOf(ctx).state;
}

/** A slot argument, or Redis's "Invalid or out of range slot". */
function slotArgument(text: string, error = "ERR Invalid or out of range slot"): number {
  const slot = parseInteger(text);
  if (slot === undefined || slot < 0 || slot >= SLOT_COUNT) throw new CommandError(error);
  return slot;
}

function knownNode(state: ClusterState, id: string, error = `ERR Unknown node ${id}`) {
  const node = state.node(id);
  if (node === undefined) throw new CommandError(error);
  return node;
}

/** Slots named one by one (ADDSLOTS/DELSLOTS) or as start/end pairs (the RANGE forms), each once. */
function slotsFromArguments(args: readonly string[], ranges: boolean): number[] {
  const slots: number[] = [];
  if (ranges) {
    for (let i = 2; i < args.length; i += 2) {
      const start = slotArgument(args[i]!);
      const end = slotArgument(args[i + 1]!);
      if (start > end) throw new CommandError(`ERR start slot number ${start} is greater than end slot number ${end}`);
      for (let slot = start; slot <= end; slot++) slots.push(slot);
    }
  } else {
    for (const text of args.slice(2)) slots.push(slotArgument(text));
  }
  const seen = new Set<number>();
  for (const slot of slots) {
    if (seen.has(slot)) throw new CommandError(`ERR Slot ${slot} specified multiple times`);
    seen.add(slot);
  }
  return slots;
}

function addSlots(ctx: CommandContext, ranges: boolean): void {
  const state = stateOf(ctx);
  const slots = slotsFromArguments(ctx.args, ranges);
  for (const slot of slots) if (state.slotOwner(slot) !== undefined) throw new CommandError(`ERR Slot ${slot} is already busy`);
  state.addSlots(slots);
  ctx.reply.ok();
}

function deleteSlots(ctx: CommandContext, ranges: boolean): void {
  const state = stateOf(ctx);
  const slots = slotsFromArguments(ctx.args, ranges);
  for (const slot of slots) if (state.slotOwner(slot) === undefined) throw new CommandError(`ERR Slot ${slot} is already unassigned`);
  state.deleteSlots(slots);
  ctx.reply.ok();
}

function meet(ctx: CommandContext): void {
  const state = stateOf(ctx);
  const [, , ip, portText, busPortText] = ctx.args as [string, string, string, string, string | undefined];
  if (ctx.args.length > 5) throw new CommandError(Errors.syntax);
  const port = parseInteger(portText);
  if (port === undefined) throw new CommandError(`ERR Invalid TCP base port specified: ${portText}`);
  let busPort = port + 10000;
  if (busPortText !== undefined) {
    const parsed = parseInteger(busPortText);
    if (parsed === undefined) throw new CommandError(`ERR Invalid TCP bus port specified: ${busPortText}`);
    busPort = parsed;
  }
  if (!isIpAddress(ip) || port <= 0 || port > 65535 || busPort <= 0 || busPort > 65535) {
    throw new CommandError(`ERR Invalid node address specified: ${ip}:${portText}`);
  }
  state.meet(ip, port, busPort, ctx.nowMs);
  ctx.reply.ok();
}

function isIpAddress(text: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255);
  return /^[0-9a-fA-F:]+$/.test(text) && text.includes(":");
}

function replicate(ctx: CommandContext): void {
  const state = stateOf(ctx);
  const target = knownNode(state, ctx.args[2]!);
  if (target.myself) throw new CommandError("ERR Can't replicate myself");
  if (target.role !== "primary") throw new CommandError("ERR I can only replicate a master, not a replica.");
  if (state.myself.role === "primary" && (state.myself.slots.size > 0 || ctx.engine.dbs[0]!.size > 0)) {
    throw new CommandError("ERR To set a master the node must be empty and without assigned slots.");
  }
  state.replicate(target.id);
  ctx.reply.ok();
}

function forget(ctx: CommandContext): void {
  const state = stateOf(ctx);
  const id = ctx.args[2]!;
  const node = knownNode(state, id);
  if (node.myself) throw new CommandError("ERR I tried hard but I can't forget myself...");
  if (state.myself.role === "replica" && state.myself.primaryId === id) throw new CommandError("ERR Can't forget my master!");
  state.forget(id, ctx.nowMs);
  ctx.reply.ok();
}

function setConfigEpoch(ctx: CommandContext): void {
  const state = stateOf(ctx);
  const text = ctx.args[2]!;
  const epoch = parseInteger(text);
  if (epoch === undefined || epoch < 0) throw new CommandError(`ERR Invalid config epoch specified: ${text}`);
  if (state.nodes.length > 1) throw new CommandError("ERR The user can assign a config epoch only when the node does not know any other node.");
  if (state.myself.configEpoch !== 0) throw new CommandError("ERR Node config epoch is already non-zero");
  state.setConfigEpoch(epoch);
  ctx.reply.ok();
}

function setSlot(ctx: CommandContext): void {
  const state = stateOf(ctx);
  if (state.myself.role !== "primary") throw new CommandError("ERR Please use SETSLOT only with masters.");
  const slot = slotArgument(ctx.args[2]!);
  const action = ctx.args[3]!.toLowerCase();
  const invalid = "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP";
  if (action === "stable") {
    if (ctx.args.length !== 4) throw new CommandError(invalid);
    state.setSlotStable(slot);
    return ctx.reply.ok();
  }
  if (ctx.args.length !== 5 || !["migrating", "importing", "node"].includes(action)) throw new CommandError(invalid);
  const id = ctx.args[4]!;
  if (action === "migrating") {
    if (state.slotOwner(slot) !== state.myself) throw new CommandError(`ERR I'm not the owner of hash slot ${slot}`);
    const target = knownNode(state, id, `ERR I don't know about node ${id}`);
    if (target.role !== "primary") throw new CommandError("ERR Target node is not a master");
    state.setSlotMigrating(slot, id);
  } else if (action === "importing") {
    if (state.slotOwner(slot) === state.myself) throw new CommandError(`ERR I'm already the owner of hash slot ${slot}`);
    const source = knownNode(state, id, `ERR I don't know about node ${id}`);
    if (source.role !== "primary") throw new CommandError("ERR Target node is not a master");
    state.setSlotImporting(slot, id);
  } else {
    const target = knownNode(state, id);
    if (target.role !== "primary") throw new CommandError("ERR Target node is not a master");
    const keys = ctx.engine.dbs[0]!.slotKeys?.count(slot) ?? 0;
    if (state.slotOwner(slot) === state.myself && !target.myself && keys > 0) {
      throw new CommandError(`ERR Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`);
    }
    state.setSlotNode(slot, id);
  }
  ctx.reply.ok();
}

/** CLUSTER FAILOVER [FORCE|TAKEOVER], sent to a replica (see ClusterState.startManualFailover). */
function failover(ctx: CommandContext): void {
  const state = stateOf(ctx);
  let mode: "default" | "force" | "takeover" = "default";
  if (ctx.args.length === 3) {
    const option = ctx.args[2]!.toLowerCase();
    if (option !== "force" && option !== "takeover") throw new CommandError(Errors.syntax);
    mode = option;
  } else if (ctx.args.length > 3) {
    throw new CommandError(Errors.syntax);
  }
  if (state.myself.role !== "replica") throw new CommandError("ERR You should send CLUSTER FAILOVER to a replica");
  const primary = state.myself.primaryId === undefined ? undefined : state.node(state.myself.primaryId);
  if (primary === undefined) throw new CommandError("ERR I'm a replica but my master is unknown to me");
  if (mode === "default" && (primary.failed || !primary.linkConnected)) {
    throw new CommandError("ERR Master is down or failed, please use CLUSTER FAILOVER FORCE");
  }
  state.startManualFailover(mode, ctx.nowMs);
  ctx.reply.ok();
}

function reset(ctx: CommandContext): void {
  const state = stateOf(ctx);
  let hard = false;
  if (ctx.args.length === 3) {
    const mode = ctx.args[2]!.toLowerCase();
    if (mode !== "hard" && mode !== "soft") throw new CommandError(Errors.syntax);
    hard = mode === "hard";
  } else if (ctx.args.length > 3) {
    throw new CommandError(Errors.syntax);
  }
  if (state.myself.role === "primary" && ctx.engine.dbs[0]!.size > 0) {
    throw new CommandError("ERR CLUSTER RESET can't be called with master nodes containing keys");
  }
  state.reset(hard, ctx.nowMs);
  ctx.reply.ok();
}

function replicas(ctx: CommandContext): void {
  const state = stateOf(ctx);
  const primary = knownNode(state, ctx.args[2]!);
  if (primary.role !== "primary") throw new CommandError("ERR The specified node is not a master");
  const lines = state.nodes.filter((n) => n.role === "replica" && n.primaryId === primary.id).map((n) => clusterNodesLine(state, n));
  ctx.reply.arrayHeader(lines.length);
  for (const line of lines) ctx.reply.bulk(line);
}

/** CLUSTER LINKS: every bus link, outbound ("to") and inbound ("from"), as Redis 7.0 lists them. */
function links(ctx: CommandContext): void {
  const state = stateOf(ctx);
  const entries: [direction: string, nodeId: string, createdMs: number][] = [];
  for (const node of state.nodes) if (!node.myself && node.linkConnected) entries.push(["to", node.id, state.linkCreatedMs(node.id)]);
  for (const { nodeId, createdMs } of state.inboundLinks.values()) if (state.node(nodeId) !== undefined) entries.push(["from", nodeId, createdMs]);
  ctx.reply.arrayHeader(entries.length);
  for (const [direction, nodeId, createdMs] of entries) {
    ctx.reply.mapHeader(6);
    ctx.reply.bulk("direction");
    ctx.reply.bulk(direction);
    ctx.reply.bulk("node");
    ctx.reply.bulk(nodeId);
    ctx.reply.bulk("create-time");
    ctx.reply.integer(Math.floor(createdMs));
    ctx.reply.bulk("events");
    ctx.reply.bulk("r");
    ctx.reply.bulk("send-buffer-allocated");
    ctx.reply.integer(0);
    ctx.reply.bulk("send-buffer-used");
    ctx.reply.integer(0);
  }
}

const HELP_LINES = [
  "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ADDSLOTS <slot> [<slot> ...]",
  "    Assign slots to current node.",
  "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
  "    Assign slots which are between <start-slot> and <end-slot> to current node.",
  "BUMPEPOCH",
  "    Advance the cluster config epoch.",
  "COUNT-FAILURE-REPORTS <node-id>",
  "    Return number of failure reports for <node-id>.",
  "COUNTKEYSINSLOT <slot>",
  "    Return the number of keys in <slot>.",
  "DELSLOTS <slot> [<slot> ...]",
  "    Delete slots information from current node.",
  "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
  "    Delete slots information which are between <start-slot> and <end-slot> from current node.",
  "FAILOVER [FORCE|TAKEOVER]",
  "    Promote current replica node to being a master.",
  "FORGET <node-id>",
  "    Remove a node from the cluster.",
  "GETKEYSINSLOT <slot> <count>",
  "    Return key names stored by current node in a slot.",
  "FLUSHSLOTS",
  "    Delete current node own slots information.",
  "INFO",
  "    Return information about the cluster.",
  "KEYSLOT <key>",
  "    Return the hash slot for <key>.",
  "MEET <ip> <port> [<bus-port>]",
  "    Connect nodes into a working cluster.",
  "MYID",
  "    Return the node id.",
  "MYSHARDID",
  "    Return the node's shard id.",
  "NODES",
  "    Return cluster configuration seen by node. Output format:",
  "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
  "REPLICATE <node-id>",
  "    Configure current node as replica to <node-id>.",
  "RESET [HARD|SOFT]",
  "    Reset current node (default: soft).",
  "SET-CONFIG-EPOCH <epoch>",
  "    Set config epoch of current node.",
  "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
  "    Set slot state.",
  "REPLICAS <node-id>",
  "    Return <node-id> replicas.",
  "SAVECONFIG",
  "    Force saving cluster configuration on disk.",
  "SLOTS",
  "    Return information about slots range mappings. Each range is made of:",
  "    start, end, master and replicas IP addresses, ports and ids",
  "SHARDS",
  "    Return information about slot range mappings and the nodes associated with them.",
  "LINKS",
  "    Return information about all network links between this node and its peers.",
  "    Output format is an array where each array element is a map containing attributes of a link",
  "HELP",
  "    Prints this help.",
];

const ADMIN: readonly CommandFlag[] = ["admin", "stale", "no_async_loading"];
const ADMIN_ACL = ["admin", "slow", "dangerous"];

function sub(
  name: string,
  arity: number,
  flags: readonly CommandFlag[],
  acl: readonly string[],
  summary: string,
  complexity: string,
  handler: (ctx: CommandContext) => void,
  extra: Partial<CommandSpec> = {},
): CommandSpec {
  return { name: `cluster|${name}`, arity, flags, firstKey: 0, lastKey: 0, step: 0, acl, group: "cluster", since: "3.0.0", summary, complexity, handler, ...extra };
}

const nondeterministic = { tips: ["nondeterministic_output"] } as const;

/**
 * SHARDLINE EVENTS [count]: the cluster events this node saw (failure
 * detected, election started, failover completed, node recovered), oldest
 * first, each as [ms since the epoch, type, node id, detail]. shardline's
 * own command: Redis has nothing like it.
 */
function events(ctx: CommandContext): void {
  const all = stateOf(ctx).events;
  let count = all.length;
  if (ctx.args.length === 3) {
    count = requireInteger(ctx.args[2]!);
    if (count < 0) throw new CommandError("ERR count must be positive");
  } else if (ctx.args.length > 3) {
    throw new CommandError(Errors.syntax);
  }
  const shown = all.slice(Math.max(0, all.length - count));
  ctx.reply.arrayHeader(shown.length);
  for (const event of shown) {
    ctx.reply.arrayHeader(4);
    ctx.reply.integer(Math.floor(event.atMs));
    ctx.reply.bulk(event.type);
    ctx.reply.bulk(event.nodeId);
    ctx.reply.bulk(event.detail);
  }
}

/**
 * SHARDLINE WRITES: the spans of client writes this node accepted as a
 * primary, each as [config epoch, slot ranges ("0-5460 ..."), first write
 * ms, last write ms, writes], oldest first. A chaos runner compares them
 * across nodes to find split brain.
 */
function writes(ctx: CommandContext): void {
  clusterOf(ctx);
  const terms = ctx.engine.writeTerms.terms;
  ctx.reply.arrayHeader(terms.length);
  for (const term of terms) {
    ctx.reply.arrayHeader(5);
    ctx.reply.integer(term.configEpoch);
    ctx.reply.bulk(term.slots.map(([start, end]) => (start === end ? `${start}` : `${start}-${end}`)).join(" "));
    ctx.reply.integer(Math.floor(term.firstWriteMs));
    ctx.reply.integer(Math.floor(term.lastWriteMs));
    ctx.reply.integer(term.writes);
  }
}

/**
 * SHARDLINE FAULTS: the network faults this node's runtime is playing, as
 * set by a chaos runner over the bus's control link; each as [id, action,
 * direction, channels, peers].
 */
function faults(ctx: CommandContext): void {
  const rules = ctx.engine.faults.rules;
  ctx.reply.arrayHeader(rules.length);
  for (const rule of rules) {
    const { action } = rule;
    ctx.reply.arrayHeader(5);
    ctx.reply.bulk(rule.id);
    ctx.reply.bulk(action.kind === "latency" ? `latency ${action.delayMs}ms jitter ${action.jitterMs}ms` : action.kind === "loss" ? `loss ${action.probability}` : action.kind);
    ctx.reply.bulk(rule.direction);
    ctx.reply.bulk(rule.channels.join(","));
    ctx.reply.bulk(rule.peers === "*" ? "*" : rule.peers.join(","));
  }
}

/** A SHARDLINE subcommand that only reads this node's own records. */
function shardlineSub(name: string, summary: string, complexity: string, handler: (ctx: CommandContext) => void): CommandSpec {
  return { name: `shardline|${name}`, arity: name === "events" ? -2 : 2, flags: ["stale", "loading"], firstKey: 0, lastKey: 0, step: 0, acl: ["slow"], group: "cluster", since: "7.0.0", summary, complexity, tips: ["nondeterministic_output"], handler };
}

export const CLUSTER_COMMANDS: CommandSpec[] = [
  {
    name: "shardline",
    arity: -2,
    flags: [],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["slow"],
    group: "cluster",
    since: "7.0.0",
    summary: "A container for shardline's own commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      shardlineSub("events", "Cluster events this node saw: failures, elections, failovers, recoveries", "O(N) where N is the number of events returned", events),
      shardlineSub("writes", "Spans of client writes this node accepted as a primary, by configuration", "O(N) where N is the number of spans", writes),
      shardlineSub("faults", "The network faults this node is playing", "O(N) where N is the number of rules", faults),
    ],
  },
  {
    name: "cluster",
    arity: -2,
    flags: [],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["slow"],
    group: "cluster",
    since: "3.0.0",
    summary: "A container for cluster commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      sub("addslots", -3, ADMIN, ADMIN_ACL, "Assign new hash slots to receiving node", "O(N) where N is the total number of hash slot arguments", (ctx) => addSlots(ctx, false)),
      sub("addslotsrange", -4, ADMIN, ADMIN_ACL, "Assign new hash slots to receiving node", "O(N) where N is the total number of the slots between the start slot and end slot arguments.", (ctx) => {
        if (ctx.args.length % 2 === 1) throw new CommandError(Errors.wrongArity("cluster|addslotsrange"));
        addSlots(ctx, true);
      }, { since: "7.0.0" }),
      sub("bumpepoch", 2, ADMIN, ADMIN_ACL, "Advance the cluster config epoch", "O(1)", (ctx) => {
        const { bumped, epoch } = stateOf(ctx).bumpEpoch();
        ctx.reply.simple(`${bumped ? "BUMPED" : "STILL"} ${epoch}`);
      }, nondeterministic),
      sub("count-failure-reports", 3, ["admin", "stale"], ADMIN_ACL, "Return the number of failure reports active for a given node", "O(N) where N is the number of failure reports", (ctx) => {
        const state = stateOf(ctx);
        knownNode(state, ctx.args[2]!);
        ctx.reply.integer(state.failureReportCount(ctx.args[2]!, ctx.nowMs));
      }, nondeterministic),
      sub("countkeysinslot", 3, ["stale"], ["slow"], "Return the number of local keys in the specified hash slot", "O(1)", (ctx) => {
        clusterOf(ctx);
        const slot = slotArgument(ctx.args[2]!, "ERR Invalid slot");
        ctx.reply.integer(ctx.engine.dbs[0]!.slotKeys?.count(slot) ?? 0);
      }),
      sub("delslots", -3, ADMIN, ADMIN_ACL, "Set hash slots as unbound in receiving node", "O(N) where N is the total number of hash slot arguments", (ctx) => deleteSlots(ctx, false)),
      sub("delslotsrange", -4, ADMIN, ADMIN_ACL, "Set hash slots as unbound in receiving node", "O(N) where N is the total number of the slots between the start slot and end slot arguments.", (ctx) => {
        if (ctx.args.length % 2 === 1) throw new CommandError(Errors.wrongArity("cluster|delslotsrange"));
        deleteSlots(ctx, true);
      }, { since: "7.0.0" }),
      sub("flushslots", 2, ADMIN, ADMIN_ACL, "Delete a node's own slots information", "O(1)", (ctx) => {
        const state = stateOf(ctx);
        if (ctx.engine.dbs[0]!.size > 0) throw new CommandError("ERR DB must be empty to perform CLUSTER FLUSHSLOTS.");
        state.deleteSlots(state.myself.slots.ranges().flatMap(([s, e]) => Array.from({ length: e - s + 1 }, (_, i) => s + i)));
        ctx.reply.ok();
      }),
      sub("failover", -2, ADMIN, ADMIN_ACL, "Forces a replica to perform a manual failover of its master.", "O(1)", failover),
      sub("forget", 3, ADMIN, ADMIN_ACL, "Remove a node from the nodes table", "O(1)", forget),
      sub("getkeysinslot", 4, ["stale"], ["slow"], "Return local key names in the specified hash slot", "O(log(N)) where N is the number of requested keys", (ctx) => {
        clusterOf(ctx);
        const slotText = requireInteger(ctx.args[2]!);
        const count = requireInteger(ctx.args[3]!);
        if (slotText < 0 || slotText >= SLOT_COUNT || count < 0) throw new CommandError("ERR Invalid slot or number of keys");
        ctx.reply.bulkArray(ctx.engine.dbs[0]!.slotKeys?.keys(slotText, count) ?? []);
      }, nondeterministic),
      sub("help", 2, ["loading", "stale"], ["slow"], "Show helpful text about the different subcommands", "O(1)", (ctx) => {
        ctx.reply.arrayHeader(HELP_LINES.length);
        for (const line of HELP_LINES) ctx.reply.simple(line);
      }, { since: "5.0.0" }),
      sub("info", 2, ["stale"], ["slow"], "Provides info about Redis Cluster node state", "O(1)", (ctx) => {
        ctx.reply.verbatim(clusterInfoText(stateOf(ctx)));
      }, nondeterministic),
      sub("keyslot", 3, ["stale"], ["slow"], "Returns the hash slot of the specified key", "O(N) where N is the number of bytes in the key", (ctx) => {
        clusterOf(ctx);
        ctx.reply.integer(keyHashSlot(ctx.args[2]!));
      }),
      sub("links", 2, ["stale"], ["slow"], "Returns a list of all TCP links to and from peer nodes in cluster", "O(N) where N is the total number of Cluster nodes", links, { since: "7.0.0", ...nondeterministic }),
      sub("meet", -4, ADMIN, ADMIN_ACL, "Force a node cluster to handshake with another node", "O(1)", meet, { history: [["4.0.0", "Added the optional `cluster_bus_port` argument."]] }),
      sub("myid", 2, ["stale"], ["slow"], "Return the node id", "O(1)", (ctx) => ctx.reply.bulk(stateOf(ctx).myId)),
      sub("myshardid", 2, ["stale"], ["slow"], "Return the node shard id", "O(1)", (ctx) => ctx.reply.bulk(stateOf(ctx).myShardId), { since: "7.2.0", ...nondeterministic }),
      sub("nodes", 2, ["stale"], ["slow"], "Get Cluster config for the node", "O(N) where N is the total number of Cluster nodes", (ctx) => writeClusterNodes(stateOf(ctx), ctx.reply), nondeterministic),
      sub("replicas", 3, ["admin", "stale"], ADMIN_ACL, "List replica nodes of the specified master node", "O(1)", replicas, { since: "5.0.0", ...nondeterministic }),
      sub("replicate", 3, ADMIN, ADMIN_ACL, "Reconfigure a node as a replica of the specified master node", "O(1)", replicate),
      sub("reset", -2, ["admin", "noscript", "stale"], ADMIN_ACL, "Reset a Redis Cluster node", "O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.", reset),
      sub("saveconfig", 2, ADMIN, ADMIN_ACL, "Forces the node to save cluster state on disk", "O(1)", (ctx) => {
        stateOf(ctx).saveConfig();
        ctx.reply.ok();
      }),
      sub("set-config-epoch", 3, ADMIN, ADMIN_ACL, "Set the configuration epoch in a new node", "O(1)", setConfigEpoch),
      sub("setslot", -4, ADMIN, ADMIN_ACL, "Bind a hash slot to a specific node", "O(1)", setSlot),
      sub("shards", 2, ["stale"], ["slow"], "Get array of cluster slots to node mappings", "O(N) where N is the total number of cluster nodes", (ctx) => writeClusterShards(stateOf(ctx), ctx.reply), { since: "7.0.0", ...nondeterministic }),
      sub("slaves", 3, ["admin", "stale"], ADMIN_ACL, "List replica nodes of the specified master node", "O(1)", replicas, { docFlags: ["deprecated"], deprecatedSince: "5.0.0", replacedBy: "`CLUSTER REPLICAS`", ...nondeterministic }),
      sub("slots", 2, ["stale"], ["slow"], "Get array of Cluster slot to node mappings", "O(N) where N is the total number of Cluster nodes", (ctx) => writeClusterSlots(stateOf(ctx), ctx.reply), {
        docFlags: ["deprecated"],
        deprecatedSince: "7.0.0",
        replacedBy: "`CLUSTER SHARDS`",
        history: [["4.0.0", "Added node IDs."], ["7.0.0", "Added additional networking metadata field."]],
        ...nondeterministic,
      }),
    ],
  },
  {
    name: "readonly",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "connection"],
    group: "cluster",
    since: "3.0.0",
    summary: "Enables read queries for a connection to a cluster replica node",
    complexity: "O(1)",
    handler(ctx) {
      clusterOf(ctx);
      ctx.client.readOnlyMode = true;
      ctx.reply.ok();
    },
  },
  {
    name: "readwrite",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "connection"],
    group: "cluster",
    since: "3.0.0",
    summary: "Disables read queries for a connection to a cluster replica node",
    complexity: "O(1)",
    handler(ctx) {
      clusterOf(ctx);
      ctx.client.readOnlyMode = false;
      ctx.reply.ok();
    },
  },
  {
    name: "asking",
    arity: 1,
    flags: ["fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "connection"],
    group: "cluster",
    since: "3.0.0",
    summary: "Sent by cluster clients after an -ASK redirect",
    complexity: "O(1)",
    handler(ctx) {
      clusterOf(ctx);
      ctx.client.asking = true;
      ctx.reply.ok();
    },
  },
];
