import type { CommandContext } from "../engine/context.js";
import type { SubscriptionKind } from "../engine/pubsub.js";
import { CommandError } from "../errors.js";
import { writeHelp } from "./connection.js";
import type { CommandSpec } from "./spec.js";

/**
 * Pub/sub commands: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and
 * the PUBSUB introspection family, with Redis 7.0.15's replies. Messages go
 * through the engine's PubSubRegistry; each receiving client is marked for
 * output so the runtime writes its push frames in the same turn.
 */

function subscribeAll(ctx: CommandContext, kind: SubscriptionKind): void {
  for (const name of ctx.args.slice(1)) ctx.engine.pubsub.join(ctx.client, kind, name);
}

/** Without arguments, leaves every subscription of the kind (one confirmation each, or one with a nil name). */
function unsubscribeAll(ctx: CommandContext, kind: SubscriptionKind): void {
  const { engine, client, args } = ctx;
  if (args.length === 1) engine.pubsub.leaveAll(client, kind);
  else for (const name of args.slice(1)) engine.pubsub.leave(client, kind, name);
}

function subscribeCommand(ctx: CommandContext): void {
  subscribeAll(ctx, "channel");
}

function unsubscribeCommand(ctx: CommandContext): void {
  unsubscribeAll(ctx, "channel");
}

function psubscribeCommand(ctx: CommandContext): void {
  subscribeAll(ctx, "pattern");
}

function punsubscribeCommand(ctx: CommandContext): void {
  unsubscribeAll(ctx, "pattern");
}

/** SSUBSCRIBE cannot run inside EXEC (Redis denies it to clients that may not block, unlike SUBSCRIBE). */
function ssubscribeCommand(ctx: CommandContext): void {
  if (ctx.client.executingMulti) throw new CommandError("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
  subscribeAll(ctx, "shard");
}

function sunsubscribeCommand(ctx: CommandContext): void {
  unsubscribeAll(ctx, "shard");
}

/**
 * PUBLISH channel message: delivered to channel then pattern subscribers;
 * replies how many received it. A standalone node sends PUBLISH to its
 * replicas too, as Redis does (in cluster mode the bus carries it).
 */
function publishCommand(ctx: CommandContext): void {
  const { engine, args } = ctx;
  const receivers = engine.pubsub.publish(args[1]!, args[2]!, (client) => engine.markOutput(client));
  if (!engine.config.boolean("cluster-enabled")) ctx.propagate([...args]);
  ctx.reply.integer(receivers);
}

function spublishCommand(ctx: CommandContext): void {
  const { engine, args } = ctx;
  const receivers = engine.pubsub.publishShard(args[1]!, args[2]!, (client) => engine.markOutput(client));
  if (!engine.config.boolean("cluster-enabled")) ctx.propagate([...args]);
  ctx.reply.integer(receivers);
}

// ---------------------------------------------------------------- PUBSUB

const PUBSUB_HELP = [
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
];

/** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: active channels (at least one subscriber). */
function writeActiveChannels(ctx: CommandContext, kind: "channel" | "shard"): void {
  if (ctx.args.length > 3) {
    throw new CommandError(`ERR unknown subcommand or wrong number of arguments for '${ctx.args[1]!.slice(0, 128)}'. Try PUBSUB HELP.`);
  }
  ctx.reply.bulkArray(ctx.engine.pubsub.activeChannels(kind, ctx.args[2]));
}

/** PUBSUB NUMSUB / SHARDNUMSUB [channel ...]: a flat array of channel, count (an array even in RESP3, as Redis). */
function writeSubscriberCounts(ctx: CommandContext, kind: "channel" | "shard"): void {
  const channels = ctx.args.slice(2);
  ctx.reply.arrayHeader(channels.length * 2);
  for (const channel of channels) {
    ctx.reply.bulk(channel);
    ctx.reply.integer(ctx.engine.pubsub.subscriberCount(kind, channel));
  }
}

function pubsubChannelsCommand(ctx: CommandContext): void {
  writeActiveChannels(ctx, "channel");
}

function pubsubShardchannelsCommand(ctx: CommandContext): void {
  writeActiveChannels(ctx, "shard");
}

function pubsubNumsubCommand(ctx: CommandContext): void {
  writeSubscriberCounts(ctx, "channel");
}

function pubsubShardnumsubCommand(ctx: CommandContext): void {
  writeSubscriberCounts(ctx, "shard");
}

/** PUBSUB NUMPAT: distinct patterns with at least one subscriber. */
function pubsubNumpatCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.engine.pubsub.patterns.size);
}

function pubsubHelpCommand(ctx: CommandContext): void {
  writeHelp(ctx, PUBSUB_HELP);
}

/* Command metadata below is what Redis 7.0.15 reports in COMMAND INFO and COMMAND DOCS. */
export const PUBSUB_COMMANDS: CommandSpec[] = [
  {
    name: "subscribe",
    arity: -2,
    flags: ["pubsub", "noscript", "loading", "stale"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["pubsub", "slow"],
    group: "pubsub",
    since: "2.0.0",
    summary: "Listen for messages published to the given channels",
    complexity: "O(N) where N is the number of channels to subscribe to.",
    arguments: [
      { name: "channel", type: "string", flags: ["multiple"] },
    ],
    handler: subscribeCommand,
  },
  {
    name: "unsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["pubsub", "slow"],
    group: "pubsub",
    since: "2.0.0",
    summary: "Stop listening for messages posted to the given channels",
    complexity: "O(N) where N is the number of clients already subscribed to a channel.",
    arguments: [
      { name: "channel", type: "string", flags: ["optional", "multiple"] },
    ],
    handler: unsubscribeCommand,
  },
  {
    name: "psubscribe",
    arity: -2,
    flags: ["pubsub", "noscript", "loading", "stale"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["pubsub", "slow"],
    group: "pubsub",
    since: "2.0.0",
    summary: "Listen for messages published to channels matching the given patterns",
    complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
    arguments: [
      { name: "pattern", type: "block", flags: ["multiple"], arguments: [
        { name: "pattern", type: "pattern" },
      ] },
    ],
    handler: psubscribeCommand,
  },
  {
    name: "punsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["pubsub", "slow"],
    group: "pubsub",
    since: "2.0.0",
    summary: "Stop listening for messages posted to channels matching the given patterns",
    complexity: "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
    arguments: [
      { name: "pattern", type: "pattern", flags: ["optional", "multiple"] },
    ],
    handler: punsubscribeCommand,
  },
  {
    name: "publish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["pubsub", "fast"],
    group: "pubsub",
    since: "2.0.0",
    summary: "Post a message to a channel",
    complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
    arguments: [
      { name: "channel", type: "string" },
      { name: "message", type: "string" },
    ],
    handler: publishCommand,
  },
  {
    name: "pubsub",
    arity: -2,
    flags: [],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["slow"],
    group: "pubsub",
    since: "2.8.0",
    summary: "A container for Pub/Sub commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "pubsub|channels",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["pubsub", "slow"],
        group: "pubsub",
        since: "2.8.0",
        summary: "List active channels",
        complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
        arguments: [
          { name: "pattern", type: "pattern", flags: ["optional"] },
        ],
        handler: pubsubChannelsCommand,
      },
      {
        name: "pubsub|help",
        arity: 2,
        flags: ["loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow"],
        group: "pubsub",
        since: "6.2.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        handler: pubsubHelpCommand,
      },
      {
        name: "pubsub|numpat",
        arity: 2,
        flags: ["pubsub", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["pubsub", "slow"],
        group: "pubsub",
        since: "2.8.0",
        summary: "Get the count of unique patterns pattern subscriptions",
        complexity: "O(1)",
        handler: pubsubNumpatCommand,
      },
      {
        name: "pubsub|numsub",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["pubsub", "slow"],
        group: "pubsub",
        since: "2.8.0",
        summary: "Get the count of subscribers for channels",
        complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
        arguments: [
          { name: "channel", type: "string", flags: ["optional", "multiple"] },
        ],
        handler: pubsubNumsubCommand,
      },
      {
        name: "pubsub|shardchannels",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["pubsub", "slow"],
        group: "pubsub",
        since: "7.0.0",
        summary: "List active shard channels",
        complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
        arguments: [
          { name: "pattern", type: "pattern", flags: ["optional"] },
        ],
        handler: pubsubShardchannelsCommand,
      },
      {
        name: "pubsub|shardnumsub",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["pubsub", "slow"],
        group: "pubsub",
        since: "7.0.0",
        summary: "Get the count of subscribers for shard channels",
        complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
        arguments: [
          { name: "shardchannel", type: "string", flags: ["optional", "multiple"] },
        ],
        handler: pubsubShardnumsubCommand,
      },
    ],
  },
  {
    name: "ssubscribe",
    arity: -2,
    flags: ["pubsub", "noscript", "loading", "stale"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["pubsub", "slow"],
    group: "pubsub",
    since: "7.0.0",
    summary: "Listen for messages published to the given shard channels",
    complexity: "O(N) where N is the number of shard channels to subscribe to.",
    keySpecs: [
      { flags: ["not_key"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "shardchannel", type: "string", flags: ["multiple"] },
    ],
    handler: ssubscribeCommand,
  },
  {
    name: "sunsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["pubsub", "slow"],
    group: "pubsub",
    since: "7.0.0",
    summary: "Stop listening for messages posted to the given shard channels",
    complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
    keySpecs: [
      { flags: ["not_key"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "shardchannel", type: "string", flags: ["optional", "multiple"] },
    ],
    handler: sunsubscribeCommand,
  },
  {
    name: "spublish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["pubsub", "fast"],
    group: "pubsub",
    since: "7.0.0",
    summary: "Post a message to a shard channel",
    complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
    keySpecs: [
      { flags: ["not_key"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "shardchannel", type: "string" },
      { name: "message", type: "string" },
    ],
    handler: spublishCommand,
  },
];
