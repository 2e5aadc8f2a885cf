import type { CommandContext } from "../engine/context.js";
import { CommandError, Errors } from "../errors.js";
import type { CommandSpec } from "./spec.js";

/**
 * Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH, with Redis 7.0.15's
 * semantics. The engine queues commands between MULTI and EXEC (and dooms
 * the transaction when one is refused); EXEC runs them through the engine's
 * call, so each is counted, touches WATCHed keys and wakes blocked clients
 * like any command, and their writes reach replicas as one MULTI ... EXEC.
 */

function multiCommand(ctx: CommandContext): void {
  if (ctx.client.multi !== undefined) throw new CommandError("ERR MULTI calls can not be nested");
  ctx.client.multi = { queue: [], aborted: false };
  ctx.reply.ok();
}

/**
 * EXEC: EXECABORT when a queued command was refused, a nil reply when a
 * WATCHed key changed (or expired) since WATCH, otherwise an array with the
 * reply of each queued command. Blocking commands inside do not block.
 */
function execCommand(ctx: CommandContext): void {
  const { client, engine } = ctx;
  const multi = client.multi;
  if (multi === undefined) throw new CommandError("ERR EXEC without MULTI");
  if (engine.watchedKeyExpired(client)) client.casDirty = true;
  const dirty = client.casDirty;
  client.multi = undefined;
  engine.unwatchAll(client);
  if (multi.aborted) throw new CommandError(Errors.execAbort);
  if (dirty) {
    ctx.reply.nullArray();
    return;
  }
  ctx.reply.arrayHeader(multi.queue.length);
  client.executingMulti = true;
  engine.beginTransactionPropagation();
  try {
    for (const queued of multi.queue) engine.call(client, queued.spec, queued.args);
  } finally {
    client.executingMulti = false;
    engine.endTransactionPropagation();
  }
}

function discardCommand(ctx: CommandContext): void {
  if (ctx.client.multi === undefined) throw new CommandError("ERR DISCARD without MULTI");
  ctx.client.multi = undefined;
  ctx.engine.unwatchAll(ctx.client);
  ctx.reply.ok();
}

/** WATCH key...: refused inside MULTI; a client already dirty has nothing to gain from more keys. */
function watchCommand(ctx: CommandContext): void {
  const { client, engine } = ctx;
  if (client.multi !== undefined) throw new CommandError("ERR WATCH inside MULTI is not allowed");
  if (!client.casDirty) for (const key of ctx.args.slice(1)) engine.watch(client, key);
  ctx.reply.ok();
}

function unwatchCommand(ctx: CommandContext): void {
  ctx.engine.unwatchAll(ctx.client);
  ctx.reply.ok();
}

/* Command metadata below is what Redis 7.0.15 reports in COMMAND INFO and COMMAND DOCS. */
export const TRANSACTION_COMMANDS: CommandSpec[] = [
  {
    name: "multi",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "transaction"],
    group: "transactions",
    since: "1.2.0",
    summary: "Mark the start of a transaction block",
    complexity: "O(1)",
    handler: multiCommand,
  },
  {
    name: "exec",
    arity: 1,
    flags: ["noscript", "loading", "stale", "skip_slowlog"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["slow", "transaction"],
    group: "transactions",
    since: "1.2.0",
    summary: "Execute all commands issued after MULTI",
    complexity: "Depends on commands in the transaction",
    handler: execCommand,
  },
  {
    name: "discard",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "transaction"],
    group: "transactions",
    since: "2.0.0",
    summary: "Discard all commands issued after MULTI",
    complexity: "O(N), when N is the number of queued commands",
    handler: discardCommand,
  },
  {
    name: "watch",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    acl: ["fast", "transaction"],
    group: "transactions",
    since: "2.2.0",
    summary: "Watch the given keys to determine execution of the MULTI/EXEC block",
    complexity: "O(1) for every key.",
    keySpecs: [
      { flags: ["RO"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, flags: ["multiple"] },
    ],
    handler: watchCommand,
  },
  {
    name: "unwatch",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "transaction"],
    group: "transactions",
    since: "2.2.0",
    summary: "Forget about all watched keys",
    complexity: "O(1)",
    handler: unwatchCommand,
  },
];
