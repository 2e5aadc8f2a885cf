import type { CommandSpec } from "./spec.js";

export const STRING_COMMANDS: CommandSpec[] = [
  {
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["read", "string", "fast"],
    group: "string",
    since: "1.0.0",
    summary: "Returns the string value of a key.",
    complexity: "O(1)",
    handler(ctx) {
      const value = ctx.readString(ctx.args[1]!);
      if (value === undefined) ctx.reply.nullBulk();
      else ctx.reply.bulk(value);
    },
  },
  {
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    acl: ["write", "string", "slow"],
    group: "string",
    since: "1.0.0",
    summary: "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
    complexity: "O(1)",
    handler(ctx) {
      ctx.db.set(ctx.args[1]!, ctx.args[2]!);
      ctx.reply.ok();
    },
  },
];
