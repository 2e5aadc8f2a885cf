import type { CommandSpec } from "./spec.js";

export const CONNECTION_COMMANDS: CommandSpec[] = [
  {
    name: "ping",
    arity: -1,
    flags: ["fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["fast", "connection"],
    group: "connection",
    since: "1.0.0",
    summary: "Returns the server's liveliness response.",
    complexity: "O(1)",
    handler(ctx) {
      const { args, reply, client } = ctx;
      if (args.length > 2) {
        reply.error("ERR wrong number of arguments for 'ping' command");
        return;
      }
      if (client.protocol === 2 && client.subscriptionCount > 0) {
        reply.arrayHeader(2);
        reply.bulk("pong");
        reply.bulk(args[1] ?? "");
        return;
      }
      if (args.length === 2) reply.bulk(args[1]!);
      else reply.simple("PONG");
    },
  },
];
