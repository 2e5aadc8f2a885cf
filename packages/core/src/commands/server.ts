import { ConfigSetError } from "../engine/config.js";
import type { CommandContext } from "../engine/context.js";
import { infoText, selectedSections } from "../engine/info.js";
import { CommandError, Errors } from "../errors.js";
import { globMatch } from "../util/glob.js";
import { writeHelp } from "./connection.js";
import { commandByFullName, commandForArguments, commandHasKeys, findKeys, writeCommandDocs, writeCommandInfo } from "./introspection.js";
import type { CommandSpec } from "./spec.js";

/**
 * Server commands: DBSIZE, FLUSHDB, FLUSHALL, TIME, INFO, the CONFIG family
 * and the COMMAND family, with Redis 7.0.15's replies and error texts.
 */

function dbsizeCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.db.size);
}

/** FLUSHDB / FLUSHALL take an optional ASYNC or SYNC; shardline frees synchronously either way. */
function checkFlushMode(ctx: CommandContext): void {
  const { args } = ctx;
  if (args.length > 2) throw new CommandError(Errors.syntax);
  if (args.length === 2) {
    const mode = args[1]!.toLowerCase();
    if (mode !== "sync" && mode !== "async") throw new CommandError(Errors.syntax);
  }
}

/**
 * Empties one database. WATCHers of its keys are invalidated first (the
 * engine needs the keys to know which), and the command always reaches
 * replicas, even when the database was already empty, as Redis forces it.
 */
function flushDatabase(ctx: CommandContext, dbId: number): void {
  ctx.engine.databaseEmptying(dbId);
  ctx.engine.dbs[dbId]!.flush();
}

function flushdbCommand(ctx: CommandContext): void {
  checkFlushMode(ctx);
  flushDatabase(ctx, ctx.client.dbId);
  ctx.propagate([...ctx.args]);
  ctx.reply.ok();
}

function flushallCommand(ctx: CommandContext): void {
  checkFlushMode(ctx);
  for (const db of ctx.engine.dbs) flushDatabase(ctx, db.id);
  ctx.propagate([...ctx.args]);
  ctx.reply.ok();
}

/** TIME: [unix seconds, microseconds], both as bulk strings, from the event's time. */
function timeCommand(ctx: CommandContext): void {
  const micros = Math.floor(ctx.nowMs * 1000);
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(String(Math.floor(micros / 1_000_000)));
  ctx.reply.bulk(String(micros % 1_000_000));
}

function infoCommand(ctx: CommandContext): void {
  ctx.reply.verbatim(infoText(ctx.engine, selectedSections(ctx.args.slice(1))));
}

// ---------------------------------------------------------------- CONFIG

const CONFIG_HELP = [
  "GET <pattern>",
  "    Return parameters matching the glob-like <pattern> and their values.",
  "SET <directive> <value>",
  "    Set the configuration <directive> to <value>.",
  "RESETSTAT",
  "    Reset statistics reported by the INFO command.",
  "REWRITE",
  "    Rewrite the configuration file.",
];

function configGetCommand(ctx: CommandContext): void {
  const found = ctx.engine.config.lookup(ctx.args.slice(2));
  ctx.reply.mapHeader(found.length);
  for (const [name, value] of found) {
    ctx.reply.bulk(name);
    ctx.reply.bulk(value);
  }
}

/**
 * Protected parameters (dir, dbfilename) are settable only when
 * enable-protected-configs allows it: `yes`, or `local` for a client on the
 * loopback interface.
 */
function protectedAllowed(ctx: CommandContext): boolean {
  const setting = ctx.engine.config.get("enable-protected-configs");
  if (setting === "yes") return true;
  if (setting !== "local") return false;
  const address = ctx.client.connection.address;
  return address.startsWith("127.") || address.startsWith("[::1]") || address.startsWith("::1");
}

/** CONFIG SET name value [name value ...]: all or nothing. */
function configSetCommand(ctx: CommandContext): void {
  const { args } = ctx;
  if (args.length % 2 !== 0) throw new CommandError(Errors.syntax);
  const pairs: [string, string][] = [];
  for (let i = 2; i < args.length; i += 2) pairs.push([args[i]!, args[i + 1]!]);
  try {
    ctx.engine.config.setMany(pairs, protectedAllowed(ctx));
  } catch (error) {
    if (error instanceof ConfigSetError) throw new CommandError(error.message);
    throw error;
  }
  ctx.reply.ok();
}

function configResetstatCommand(ctx: CommandContext): void {
  ctx.engine.stats.reset();
  ctx.reply.ok();
}

/**
 * CONFIG REWRITE: Redis rewrites its config file. The core cannot write
 * files, and a node started without one answers as Redis does; with one,
 * the error says what to do instead.
 */
function configRewriteCommand(ctx: CommandContext): void {
  const { process: facts } = ctx.engine;
  const file = facts.configFile;
  if (file === "") throw new CommandError("ERR The server is running without a config file");
  throw new CommandError(`ERR CONFIG REWRITE is not supported by shardline; edit ${file} and restart the node to keep a setting`);
}

function configHelpCommand(ctx: CommandContext): void {
  writeHelp(ctx, CONFIG_HELP);
}

// ---------------------------------------------------------------- COMMAND

const COMMAND_HELP = [
  "(no subcommand)",
  "    Return details about all Redis commands.",
  "COUNT",
  "    Return the total number of commands in this Redis server.",
  "LIST",
  "    Return a list of all commands in this Redis server.",
  "INFO [<command-name> ...]",
  "    Return details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "DOCS [<command-name> ...]",
  "    Return documentation details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "GETKEYS <full-command>",
  "    Return the keys from a full Redis command.",
  "GETKEYSANDFLAGS <full-command>",
  "    Return the keys and the access flags from a full Redis command.",
];

/** The ACL categories Redis 7.0 knows (COMMAND LIST FILTERBY ACLCAT takes them without '@'). */
const ACL_CATEGORIES = new Set([
  "keyspace",
  "read",
  "write",
  "set",
  "sortedset",
  "list",
  "hash",
  "string",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "admin",
  "fast",
  "slow",
  "blocking",
  "dangerous",
  "connection",
  "transaction",
  "scripting",
]);

/** COMMAND with no subcommand: every command's INFO entry. */
function commandCommand(ctx: CommandContext): void {
  writeAllCommandInfo(ctx);
}

function writeAllCommandInfo(ctx: CommandContext): void {
  const table = ctx.engine.commands;
  ctx.reply.arrayHeader(table.size);
  for (const spec of table.all()) writeCommandInfo(ctx.reply, spec);
}

function commandCountCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.engine.commands.size);
}

function commandInfoCommand(ctx: CommandContext): void {
  if (ctx.args.length === 2) {
    writeAllCommandInfo(ctx);
    return;
  }
  const names = ctx.args.slice(2);
  ctx.reply.arrayHeader(names.length);
  for (const name of names) writeCommandInfo(ctx.reply, commandByFullName(ctx.engine.commands, name));
}

/** COMMAND DOCS [name ...]: a map of the commands found; unknown names are left out. */
function commandDocsCommand(ctx: CommandContext): void {
  const table = ctx.engine.commands;
  const specs: CommandSpec[] = [];
  if (ctx.args.length === 2) {
    specs.push(...table.all());
  } else {
    for (const name of ctx.args.slice(2)) {
      const spec = commandByFullName(table, name);
      if (spec !== undefined) specs.push(spec);
    }
  }
  ctx.reply.mapHeader(specs.length);
  for (const spec of specs) {
    ctx.reply.bulk(spec.name);
    writeCommandDocs(ctx.reply, spec);
  }
}

/** The filter of COMMAND LIST FILTERBY: which commands (and subcommands) to name. */
function listFilter(ctx: CommandContext): (spec: CommandSpec) => boolean {
  const args = ctx.args;
  if (args.length === 2) return () => true;
  if (args.length !== 5 || args[2]!.toLowerCase() !== "filterby") throw new CommandError(Errors.syntax);
  const value = args[4]!;
  switch (args[3]!.toLowerCase()) {
    case "module":
      // shardline has no modules.
      return () => false;
    case "aclcat": {
      const category = value.toLowerCase();
      if (!ACL_CATEGORIES.has(category)) return () => false;
      return (spec) => spec.acl.includes(category);
    }
    case "pattern":
      return (spec) => globMatch(value, spec.name, true);
    default:
      throw new CommandError(Errors.syntax);
  }
}

function commandListCommand(ctx: CommandContext): void {
  const include = listFilter(ctx);
  const names: string[] = [];
  for (const spec of ctx.engine.commands.all()) {
    if (include(spec)) names.push(spec.name);
    for (const sub of spec.subcommands ?? []) if (include(sub)) names.push(sub.name);
  }
  ctx.reply.bulkArray(names);
}

/**
 * COMMAND GETKEYS / GETKEYSANDFLAGS <command...>: the keys Redis would find
 * in that command line (the command must exist, take keys, and have a valid
 * argument count).
 */
function writeKeys(ctx: CommandContext, withFlags: boolean): void {
  const target = ctx.args.slice(2);
  const spec = commandForArguments(ctx.engine.commands, target);
  if (spec === undefined) throw new CommandError("ERR Invalid command specified");
  if (!commandHasKeys(spec)) throw new CommandError("ERR The command has no key arguments");
  if ((spec.arity > 0 && spec.arity !== target.length) || target.length < -spec.arity) {
    throw new CommandError("ERR Invalid number of arguments specified for command");
  }
  const keys = findKeys(spec, target) ?? [];
  if (keys.length === 0 && !spec.flags.includes("no_mandatory_keys")) throw new CommandError("ERR Invalid arguments specified for command");
  ctx.reply.arrayHeader(keys.length);
  for (const key of keys) {
    if (!withFlags) {
      ctx.reply.bulk(target[key.position]!);
      continue;
    }
    ctx.reply.arrayHeader(2);
    ctx.reply.bulk(target[key.position]!);
    ctx.reply.setHeader(key.flags.length);
    for (const flag of key.flags) ctx.reply.simple(flag);
  }
}

function commandGetkeysCommand(ctx: CommandContext): void {
  writeKeys(ctx, false);
}

function commandGetkeysandflagsCommand(ctx: CommandContext): void {
  writeKeys(ctx, true);
}

function commandHelpCommand(ctx: CommandContext): void {
  writeHelp(ctx, COMMAND_HELP);
}

/* Command metadata below is what Redis 7.0.15 reports in COMMAND INFO and COMMAND DOCS. */
export const SERVER_COMMANDS: CommandSpec[] = [
  {
    name: "dbsize",
    arity: 1,
    flags: ["readonly", "fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["keyspace", "read", "fast"],
    group: "server",
    since: "1.0.0",
    summary: "Return the number of keys in the selected database",
    complexity: "O(1)",
    tips: ["request_policy:all_shards", "response_policy:agg_sum"],
    handler: dbsizeCommand,
  },
  {
    name: "flushdb",
    arity: -1,
    flags: ["write"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["keyspace", "write", "slow", "dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Remove all keys from the current database",
    complexity: "O(N) where N is the number of keys in the selected database",
    history: [["4.0.0", "Added the `ASYNC` flushing mode modifier."], ["6.2.0", "Added the `SYNC` flushing mode modifier."]],
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
    arguments: [
      { name: "async", type: "oneof", flags: ["optional"], arguments: [
        { name: "async", type: "pure-token", token: "ASYNC", since: "4.0.0" },
        { name: "sync", type: "pure-token", token: "SYNC", since: "6.2.0" },
      ] },
    ],
    handler: flushdbCommand,
  },
  {
    name: "flushall",
    arity: -1,
    flags: ["write"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["keyspace", "write", "slow", "dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Remove all keys from all databases",
    complexity: "O(N) where N is the total number of keys in all databases",
    history: [["4.0.0", "Added the `ASYNC` flushing mode modifier."], ["6.2.0", "Added the `SYNC` flushing mode modifier."]],
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
    arguments: [
      { name: "async", type: "oneof", flags: ["optional"], arguments: [
        { name: "async", type: "pure-token", token: "ASYNC", since: "4.0.0" },
        { name: "sync", type: "pure-token", token: "SYNC", since: "6.2.0" },
      ] },
    ],
    handler: flushallCommand,
  },
  {
    name: "time",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast"],
    group: "server",
    since: "2.6.0",
    summary: "Return the current server time",
    complexity: "O(1)",
    tips: ["nondeterministic_output"],
    handler: timeCommand,
  },
  {
    name: "info",
    arity: -1,
    flags: ["loading", "stale"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["slow", "dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Get information and statistics about the server",
    complexity: "O(1)",
    history: [["7.0.0", "Added support for taking multiple section arguments."]],
    tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
    arguments: [
      { name: "section", type: "string", flags: ["optional", "multiple"] },
    ],
    handler: infoCommand,
  },
  {
    name: "config",
    arity: -2,
    flags: [],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["slow"],
    group: "server",
    since: "2.0.0",
    summary: "A container for server configuration commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "config|get",
        arity: -3,
        flags: ["admin", "noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["admin", "slow", "dangerous"],
        group: "server",
        since: "2.0.0",
        summary: "Get the values of configuration parameters",
        complexity: "O(N) when N is the number of configuration parameters provided",
        history: [["7.0.0", "Added the ability to pass multiple pattern parameters in one call"]],
        arguments: [
          { name: "parameter", type: "block", flags: ["multiple"], arguments: [
            { name: "parameter", type: "string" },
          ] },
        ],
        handler: configGetCommand,
      },
      {
        name: "config|help",
        arity: 2,
        flags: ["loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow"],
        group: "server",
        since: "5.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        handler: configHelpCommand,
      },
      {
        name: "config|resetstat",
        arity: 2,
        flags: ["admin", "noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["admin", "slow", "dangerous"],
        group: "server",
        since: "2.0.0",
        summary: "Reset the stats returned by INFO",
        complexity: "O(1)",
        handler: configResetstatCommand,
      },
      {
        name: "config|rewrite",
        arity: 2,
        flags: ["admin", "noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["admin", "slow", "dangerous"],
        group: "server",
        since: "2.8.0",
        summary: "Rewrite the configuration file with the in memory configuration",
        complexity: "O(1)",
        handler: configRewriteCommand,
      },
      {
        name: "config|set",
        arity: -4,
        flags: ["admin", "noscript", "loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["admin", "slow", "dangerous"],
        group: "server",
        since: "2.0.0",
        summary: "Set configuration parameters to the given values",
        complexity: "O(N) when N is the number of configuration parameters provided",
        history: [["7.0.0", "Added the ability to set multiple parameters in one call."]],
        tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
        arguments: [
          { name: "parameter_value", type: "block", flags: ["multiple"], arguments: [
            { name: "parameter", type: "string" },
            { name: "value", type: "string" },
          ] },
        ],
        handler: configSetCommand,
      },
    ],
  },
  {
    name: "command",
    arity: -1,
    flags: ["loading", "stale"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["slow", "connection"],
    group: "server",
    since: "2.8.13",
    summary: "Get array of Redis command details",
    complexity: "O(N) where N is the total number of Redis commands",
    tips: ["nondeterministic_output_order"],
    handler: commandCommand,
    subcommands: [
      {
        name: "command|count",
        arity: 2,
        flags: ["loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "server",
        since: "2.8.13",
        summary: "Get total number of Redis commands",
        complexity: "O(1)",
        handler: commandCountCommand,
      },
      {
        name: "command|docs",
        arity: -2,
        flags: ["loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "server",
        since: "7.0.0",
        summary: "Get array of specific Redis command documentation",
        complexity: "O(N) where N is the number of commands to look up",
        tips: ["nondeterministic_output_order"],
        arguments: [
          { name: "command-name", type: "string", flags: ["optional", "multiple"] },
        ],
        handler: commandDocsCommand,
      },
      {
        name: "command|getkeys",
        arity: -4,
        flags: ["loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "server",
        since: "2.8.13",
        summary: "Extract keys given a full Redis command",
        complexity: "O(N) where N is the number of arguments to the command",
        handler: commandGetkeysCommand,
      },
      {
        name: "command|getkeysandflags",
        arity: -4,
        flags: ["loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "server",
        since: "7.0.0",
        summary: "Extract keys and access flags given a full Redis command",
        complexity: "O(N) where N is the number of arguments to the command",
        handler: commandGetkeysandflagsCommand,
      },
      {
        name: "command|help",
        arity: 2,
        flags: ["loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "server",
        since: "5.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        handler: commandHelpCommand,
      },
      {
        name: "command|info",
        arity: -2,
        flags: ["loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "server",
        since: "2.8.13",
        summary: "Get array of specific Redis command details, or all when no argument is given.",
        complexity: "O(N) where N is the number of commands to look up",
        history: [["7.0.0", "Allowed to be called with no argument to get info on all commands."]],
        tips: ["nondeterministic_output_order"],
        arguments: [
          { name: "command-name", type: "string", flags: ["optional", "multiple"] },
        ],
        handler: commandInfoCommand,
      },
      {
        name: "command|list",
        arity: -2,
        flags: ["loading", "stale"],
        firstKey: 0,
        lastKey: 0,
        step: 0,
        acl: ["slow", "connection"],
        group: "server",
        since: "7.0.0",
        summary: "Get an array of Redis command names",
        complexity: "O(N) where N is the total number of Redis commands",
        tips: ["nondeterministic_output_order"],
        arguments: [
          { name: "filterby", type: "oneof", token: "FILTERBY", flags: ["optional"], arguments: [
            { name: "module-name", type: "string", token: "MODULE" },
            { name: "category", type: "string", token: "ACLCAT" },
            { name: "pattern", type: "pattern", token: "PATTERN" },
          ] },
        ],
        handler: commandListCommand,
      },
    ],
  },
];
