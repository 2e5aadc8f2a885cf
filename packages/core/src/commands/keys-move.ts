import type { CommandContext } from "../engine/context.js";
import { CommandError, Errors } from "../errors.js";
import { parseInteger } from "../util/parse.js";
import type { CommandSpec } from "./spec.js";

/** A database index argument: Redis's "not an integer" or "out of range" error. */
function databaseIndex(ctx: CommandContext, text: string, notInteger: string): number {
  const id = parseInteger(text);
  if (id === undefined) throw new CommandError(notInteger);
  if (id < 0 || id >= ctx.engine.dbs.length) throw new CommandError(Errors.invalidDbIndex);
  return id;
}

/** MOVE key db: moves a key with its TTL unless the target database has it. */
function move(ctx: CommandContext): void {
  if (ctx.engine.cluster !== undefined) throw new CommandError("ERR MOVE is not allowed in cluster mode");
  const key = ctx.args[1]!;
  const targetId = databaseIndex(ctx, ctx.args[2]!, Errors.notInteger);
  if (targetId === ctx.client.dbId) throw new CommandError("ERR source and destination objects are the same");
  const value = ctx.lookupWrite(key);
  const target = ctx.engine.dbs[targetId]!;
  if (value === undefined || target.exists(key, ctx.nowMs)) {
    ctx.reply.integer(0);
    return;
  }
  const expireAtMs = ctx.db.getExpire(key);
  ctx.db.delete(key);
  target.set(key, value);
  if (expireAtMs !== undefined) target.setExpire(key, expireAtMs);
  ctx.engine.keyChanged(targetId, key);
  ctx.reply.integer(1);
}

/** SWAPDB a b: clients connected to one database see the other's data from now on. */
function swapdb(ctx: CommandContext): void {
  if (ctx.engine.cluster !== undefined) throw new CommandError("ERR SWAPDB is not allowed in cluster mode");
  const first = databaseIndex(ctx, ctx.args[1]!, "ERR invalid first DB index");
  const second = databaseIndex(ctx, ctx.args[2]!, "ERR invalid second DB index");
  ctx.engine.swapDatabases(first, second);
  ctx.reply.ok();
}

export const MOVE_COMMANDS: CommandSpec[] = [
  {
    name: "move",
    arity: 3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["keyspace", "write", "fast"],
    group: "generic",
    since: "1.0.0",
    summary: "Move a key to another database",
    complexity: "O(1)",
    keySpecs: [{ flags: ["RW", "access", "update"], beginSearch: { type: "index", index: 1 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "db", type: "integer" },
    ],
    handler: move,
  },
  {
    name: "swapdb",
    arity: 3,
    flags: ["write", "fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["keyspace", "write", "fast", "dangerous"],
    group: "server",
    since: "4.0.0",
    summary: "Swaps two Redis databases",
    complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
    arguments: [
      { name: "index1", type: "integer" },
      { name: "index2", type: "integer" },
    ],
    handler: swapdb,
  },
];
