import type { CommandContext } from "../engine/context.js";
import { CommandError } from "../errors.js";
import type { Database } from "../keyspace/database.js";
import type { HashValue } from "../keyspace/types/hash.js";
import type { ListValue } from "../keyspace/types/list.js";
import type { SetValue } from "../keyspace/types/set.js";
import type { SortedSetValue } from "../keyspace/types/zset.js";
import { sha1, toHex } from "../util/sha1.js";
import { parseInteger, requireInteger } from "../util/parse.js";
import type { CommandSpec } from "./spec.js";

const WAIT_ON_REPLICA =
  "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.";

/**
 * WAIT numreplicas timeout: blocks until `numreplicas` replicas acknowledged
 * this client's last write, or `timeout` ms pass (0: forever); replies how
 * many did. Asks every replica for an ACK at once, as Redis's GETACK.
 */
function wait(ctx: CommandContext): void {
  const replication = ctx.engine.replication;
  if (replication.isReplica) throw new CommandError(WAIT_ON_REPLICA);
  const wanted = requireInteger(ctx.args[1]!);
  const timeoutMs = parseInteger(ctx.args[2]!);
  if (timeoutMs === undefined) throw new CommandError("ERR timeout is not an integer or out of range");
  if (timeoutMs < 0) throw new CommandError("ERR timeout is negative");
  const acknowledged = replication.core.acknowledgedCount(ctx.client.writeOffset);
  if (acknowledged >= wanted || ctx.client.executingMulti) {
    ctx.reply.integer(acknowledged);
    return;
  }
  replication.core.requestAcks();
  ctx.block([], timeoutMs, (client) => client.writer.integer(replication.core.acknowledgedCount(client.writeOffset)));
}

/** ROLE, as Redis 7 shapes it for a primary and for a replica. */
function role(ctx: CommandContext): void {
  const core = ctx.engine.replication.core;
  const reply = ctx.reply;
  const primary = core.primary;
  if (primary === undefined) {
    reply.arrayHeader(3);
    reply.bulk("master");
    reply.integer(core.offset);
    const online = [...core.replicas.values()].filter((r) => r.state === "online");
    reply.arrayHeader(online.length);
    for (const replica of online) {
      reply.arrayHeader(3);
      reply.bulk(replica.ip);
      reply.bulk(String(replica.port));
      reply.bulk(String(replica.ackOffset));
    }
    return;
  }
  reply.arrayHeader(5);
  reply.bulk("slave");
  reply.bulk(primary.ip);
  reply.integer(primary.port);
  reply.bulk(primary.state);
  reply.integer(core.offset);
}

/** Hex of 20 zero bytes: the digest of an empty dataset, as Redis shows it. */
const EMPTY_DIGEST = "0".repeat(40);

/**
 * A digest of one key: its name, type, value in a canonical order (fields of
 * hashes and members of sets sorted, since their order is not part of the
 * data) and its expiry. Equal datasets give equal digests on any node.
 */
export function keyDigest(db: Database, key: string): Uint8Array | undefined {
  const value = db.peek(key);
  if (value === undefined) return undefined;
  const parts: string[] = [key];
  if (typeof value === "string") {
    parts.push("string", value);
  } else {
    parts.push(value.type);
    switch (value.type) {
      case "hash":
        for (const [field, fieldValue] of [...(value as HashValue).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) parts.push(field, fieldValue);
        break;
      case "list":
        parts.push(...(value as ListValue).toArray());
        break;
      case "set":
        parts.push(...[...(value as SetValue).values()].sort());
        break;
      case "zset":
        (value as SortedSetValue).walk(0, false, (member, score) => {
          parts.push(member, String(score));
          return true;
        });
        break;
    }
  }
  parts.push(String(db.getExpire(key) ?? -1));
  return sha1(parts.map((part) => part.length + ":" + part).join(","));
}

/** The dataset digest: the XOR of every key's digest with its database number, so order does not matter. */
function datasetDigest(ctx: CommandContext): string {
  const total = new Uint8Array(20);
  let keys = 0;
  for (const db of ctx.engine.dbs) {
    for (const key of db.data.keys()) {
      const digest = keyDigest(db, key);
      if (digest === undefined) continue;
      keys++;
      const salted = sha1(db.id + ":" + toHex(digest));
      for (let i = 0; i < 20; i++) total[i]! ^= salted[i]!;
    }
  }
  return keys === 0 ? EMPTY_DIGEST : toHex(total);
}

const DEBUG_HELP = [
  "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DIGEST",
  "    Output a hex signature representing the current DB content.",
  "DIGEST-VALUE <key> [<key> ...]",
  "    Output a hex signature of the values of all the specified keys.",
  "HELP",
  "    Print this help.",
];

/**
 * DEBUG, gated like Redis 7's by `enable-debug-command` (no, yes, or local:
 * loopback clients only). shardline implements the digest subcommands, which
 * scenarios use to prove replicas equal their primary.
 */
function debug(ctx: CommandContext): void {
  const allowed = ctx.engine.config.get("enable-debug-command");
  const address = ctx.client.connection.address;
  const local = address.startsWith("127.") || address.startsWith("[::1]") || address.startsWith("::1") || address === "primary";
  if (allowed === "no" || (allowed === "local" && !local)) {
    throw new CommandError(
      'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
    );
  }
  const sub = ctx.args[1]!.toLowerCase();
  if (sub === "digest" && ctx.args.length === 2) {
    ctx.reply.simple(datasetDigest(ctx));
  } else if (sub === "digest-value" && ctx.args.length >= 2) {
    const keys = ctx.args.slice(2);
    ctx.reply.arrayHeader(keys.length);
    for (const key of keys) {
      const digest = keyDigest(ctx.db, key);
      ctx.reply.simple(digest === undefined ? EMPTY_DIGEST : toHex(digest));
    }
  } else if (sub === "help" && ctx.args.length === 2) {
    ctx.reply.arrayHeader(DEBUG_HELP.length);
    for (const line of DEBUG_HELP) ctx.reply.simple(line);
  } else {
    throw new CommandError(`ERR unknown subcommand or wrong number of arguments for '${ctx.args[1]!.slice(0, 128)}'. Try DEBUG HELP.`);
  }
}

export const REPLICATION_COMMANDS: CommandSpec[] = [
  {
    name: "wait",
    arity: 3,
    flags: ["noscript"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["slow", "connection"],
    group: "generic",
    since: "3.0.0",
    summary: "Wait for the synchronous replication of all the write commands sent in the context of the current connection",
    complexity: "O(1)",
    tips: ["request_policy:all_shards", "response_policy:agg_min"],
    arguments: [
      { name: "numreplicas", type: "integer" },
      { name: "timeout", type: "integer" },
    ],
    handler: wait,
  },
  {
    name: "role",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["admin", "fast", "dangerous"],
    group: "server",
    since: "2.8.12",
    summary: "Return the role of the instance in the context of replication",
    complexity: "O(1)",
    handler: role,
  },
  {
    name: "debug",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    acl: ["admin", "slow", "dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "A container for debugging commands",
    complexity: "Depends on subcommand.",
    docFlags: ["syscmd"],
    handler: debug,
  },
];
