import type { CommandContext } from "../engine/context.js";
import { CommandError } from "../errors.js";
import { LFU_INIT_VAL } from "../keyspace/database.js";
import type { Value } from "../keyspace/value.js";
import { parseInt64 } from "../util/parse.js";
import { lookupNoTouch } from "./keys-support.js";
import type { CommandSpec } from "./spec.js";

/**
 * OBJECT ENCODING/REFCOUNT/IDLETIME/FREQ/HELP. shardline keeps values in its
 * own structures, so the encoding is the one Redis 7.0 would have chosen:
 * aggregates that track it report their own `encoding` (the sorted set does,
 * following zset-max-listpack-*); strings are classified from their bytes.
 */

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT: strings up to 44 bytes live in the object header. */
const EMBSTR_BYTES_MAX = 44;
/** Redis's OBJ_SHARED_INTEGERS: 0..9999 are shared objects when eviction does not need per-key LRU/LFU data. */
const SHARED_INTEGERS = 10000;
/** Redis's OBJ_SHARED_REFCOUNT (INT_MAX): what REFCOUNT reports for a shared object. */
const SHARED_REFCOUNT = 2147483647;

/**
 * What tryObjectEncoding makes of a string: `int` when it is a 64-bit
 * integer of at most 20 characters, `embstr` up to 44 bytes, `raw` above.
 * Redis also reports `raw` for short strings that APPEND or SETRANGE grew in
 * place; shardline does not track that history and reports by content.
 */
export function stringEncoding(value: string): "int" | "embstr" | "raw" {
  if (value.length <= 20 && parseInt64(value) !== undefined) return "int";
  return value.length <= EMBSTR_BYTES_MAX ? "embstr" : "raw";
}

/**
 * The encoding of an aggregate: its own `encoding` when its class tracks one,
 * otherwise Redis 7.0's default for the type (lists are always quicklists in
 * 7.0; small hashes and sorted sets are listpacks up to 128 entries).
 */
function aggregateEncoding(value: Exclude<Value, string>): string {
  const tracked = (value as { encoding?: unknown }).encoding;
  if (typeof tracked === "string") return tracked;
  switch (value.type) {
    case "list":
      return "quicklist";
    case "hash":
      return value.length <= 128 ? "listpack" : "hashtable";
    case "zset":
      return value.length <= 128 ? "listpack" : "skiplist";
    case "set":
      return "hashtable";
  }
}

function encodingOf(value: Value): string {
  return typeof value === "string" ? stringEncoding(value) : aggregateEncoding(value);
}

/** The policy is one of the LRU or LFU ones (Redis's MAXMEMORY_FLAG_LRU / _LFU). */
function policyFamily(ctx: CommandContext): "lru" | "lfu" | "other" {
  const policy = ctx.engine.config.get("maxmemory-policy");
  return policy.endsWith("-lfu") ? "lfu" : policy.endsWith("-lru") ? "lru" : "other";
}

/** The value of the key named by OBJECT's argument, or the null reply when it is missing. */
function objectValue(ctx: CommandContext): Value | undefined {
  const value = lookupNoTouch(ctx, ctx.args[2]!);
  if (value === undefined) ctx.reply.nullBulk();
  return value;
}

function objectEncodingCommand(ctx: CommandContext): void {
  const value = objectValue(ctx);
  if (value !== undefined) ctx.reply.bulk(encodingOf(value));
}

/**
 * Small integers are shared objects in Redis (so REFCOUNT says INT_MAX)
 * unless maxmemory is set with an LRU/LFU policy, which needs one object per
 * key to keep its access data.
 */
function objectRefcountCommand(ctx: CommandContext): void {
  const value = objectValue(ctx);
  if (value === undefined) return;
  const sharing = ctx.engine.config.number("maxmemory") === 0 || policyFamily(ctx) === "other";
  const small = typeof value === "string" && stringEncoding(value) === "int" && isSharedInteger(value);
  ctx.reply.integer(sharing && small ? SHARED_REFCOUNT : 1);
}

function isSharedInteger(text: string): boolean {
  const n = Number(text);
  return n >= 0 && n < SHARED_INTEGERS;
}

/**
 * Idle seconds from the LRU access record. shardline records accesses only
 * while an LRU policy is selected (so plain keys stay small); a key with no
 * record has not been read since the server started or the policy changed,
 * and is reported idle since the server started, the most it can have been.
 */
function objectIdletimeCommand(ctx: CommandContext): void {
  const value = objectValue(ctx);
  if (value === undefined) return;
  const family = policyFamily(ctx);
  if (family === "lfu") {
    throw new CommandError(
      "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    );
  }
  if (family === "other") {
    throw new CommandError(
      "ERR idle time is tracked only under an LRU maxmemory-policy; select one first, e.g. CONFIG SET maxmemory-policy allkeys-lru",
    );
  }
  const nowSeconds = Math.floor(ctx.nowMs / 1000);
  const lastAccessSeconds = ctx.db.access?.get(ctx.args[2]!) ?? Math.floor(ctx.engine.startedAtMs / 1000);
  ctx.reply.integer(Math.max(0, nowSeconds - lastAccessSeconds));
}

function objectFreqCommand(ctx: CommandContext): void {
  const value = objectValue(ctx);
  if (value === undefined) return;
  if (policyFamily(ctx) !== "lfu") {
    throw new CommandError(
      "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    );
  }
  ctx.reply.integer(ctx.db.access?.get(ctx.args[2]!) ?? LFU_INIT_VAL);
}

const OBJECT_HELP = [
  "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
  "HELP",
  "    Prints this help.",
];

function objectHelpCommand(ctx: CommandContext): void {
  ctx.reply.arrayHeader(OBJECT_HELP.length);
  for (const line of OBJECT_HELP) ctx.reply.simple(line);
}

/* The metadata below is what Redis 7.0.15 reports in COMMAND INFO and COMMAND DOCS. */
export const OBJECT_COMMAND: CommandSpec = {
  name: "object",
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  acl: ["slow"],
  group: "generic",
  since: "2.2.3",
  summary: "A container for object introspection commands",
  complexity: "Depends on subcommand.",
  subcommands: [
    {
      name: "object|idletime",
      arity: 3,
      flags: ["readonly"],
      firstKey: 2,
      lastKey: 2,
      step: 1,
      acl: ["keyspace", "read", "slow"],
      group: "generic",
      since: "2.2.3",
      summary: "Get the time since a Redis object was last accessed",
      complexity: "O(1)",
      tips: ["nondeterministic_output"],
      keySpecs: [
        { flags: ["RO"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      ],
      arguments: [
        { name: "key", type: "key", keySpecIndex: 0 },
      ],
      handler: objectIdletimeCommand,
    },
    {
      name: "object|freq",
      arity: 3,
      flags: ["readonly"],
      firstKey: 2,
      lastKey: 2,
      step: 1,
      acl: ["keyspace", "read", "slow"],
      group: "generic",
      since: "4.0.0",
      summary: "Get the logarithmic access frequency counter of a Redis object",
      complexity: "O(1)",
      tips: ["nondeterministic_output"],
      keySpecs: [
        { flags: ["RO"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      ],
      arguments: [
        { name: "key", type: "key", keySpecIndex: 0 },
      ],
      handler: objectFreqCommand,
    },
    {
      name: "object|help",
      arity: 2,
      flags: ["loading", "stale"],
      firstKey: 0,
      lastKey: 0,
      step: 0,
      acl: ["keyspace", "slow"],
      group: "generic",
      since: "6.2.0",
      summary: "Show helpful text about the different subcommands",
      complexity: "O(1)",
      handler: objectHelpCommand,
    },
    {
      name: "object|encoding",
      arity: 3,
      flags: ["readonly"],
      firstKey: 2,
      lastKey: 2,
      step: 1,
      acl: ["keyspace", "read", "slow"],
      group: "generic",
      since: "2.2.3",
      summary: "Inspect the internal encoding of a Redis object",
      complexity: "O(1)",
      tips: ["nondeterministic_output"],
      keySpecs: [
        { flags: ["RO"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      ],
      arguments: [
        { name: "key", type: "key", keySpecIndex: 0 },
      ],
      handler: objectEncodingCommand,
    },
    {
      name: "object|refcount",
      arity: 3,
      flags: ["readonly"],
      firstKey: 2,
      lastKey: 2,
      step: 1,
      acl: ["keyspace", "read", "slow"],
      group: "generic",
      since: "2.2.3",
      summary: "Get the number of references to the value of the key",
      complexity: "O(1)",
      tips: ["nondeterministic_output"],
      keySpecs: [
        { flags: ["RO"], beginSearch: { type: "index", index: 2 }, findKeys: { type: "range", lastKey: 0, keyStep: 1, limit: 0 } },
      ],
      arguments: [
        { name: "key", type: "key", keySpecIndex: 0 },
      ],
      handler: objectRefcountCommand,
    },
  ],
};
