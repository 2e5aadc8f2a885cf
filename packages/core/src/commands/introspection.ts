import type { ReplyWriter } from "@shardline/resp";
import { CommandError } from "../errors.js";
import { parseInteger } from "../util/parse.js";
import type { CommandTable } from "./registry.js";
import type { ArgumentDoc, CommandFlag, CommandSpec, KeySpec } from "./spec.js";

/**
 * COMMAND INFO, COMMAND DOCS and COMMAND GETKEYS, written from the command
 * table alone, so every family's commands are described the way Redis 7.0
 * describes them without a second list.
 */

/** Command flags in the order Redis prints them; flags Redis hides (may_replicate, sentinel...) are left out. */
const FLAG_ORDER: readonly CommandFlag[] = [
  "write",
  "readonly",
  "denyoom",
  "module",
  "admin",
  "pubsub",
  "noscript",
  "blocking",
  "loading",
  "stale",
  "skip_monitor",
  "skip_slowlog",
  "asking",
  "fast",
  "no_auth",
  "no_mandatory_keys",
  "no_async_loading",
  "no_multi",
  "movablekeys",
  "allow_busy",
];

/** Key-spec flags in Redis's order; the four access kinds are upper case, the rest lower case. */
const KEY_FLAG_ORDER = ["RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete", "variable_flags"];

function normalizeKeyFlag(flag: string): string {
  return flag.length === 2 ? flag.toUpperCase() : flag.toLowerCase();
}

function orderedKeyFlags(flags: readonly string[]): string[] {
  const present = new Set(flags.map(normalizeKeyFlag));
  return KEY_FLAG_ORDER.filter((flag) => present.has(flag));
}

/**
 * Finds a command by the name COMMAND INFO/DOCS take: `get`, or `config|get`
 * for a subcommand (Redis's lookupCommandBySds, strict: exactly one or two
 * parts, any case).
 */
export function commandByFullName(table: CommandTable, fullName: string): CommandSpec | undefined {
  const parts = fullName.split("|");
  if (parts.length > 2) return undefined;
  const container = table.get(parts[0]!);
  if (container === undefined || parts.length === 1) return container;
  const wanted = container.name + "|" + parts[1]!.toLowerCase();
  return container.subcommands?.find((sub) => sub.name === wanted);
}

/** Finds the command an argument vector runs (COMMAND GETKEYS): the container's subcommand when it has them. */
export function commandForArguments(table: CommandTable, args: readonly string[]): CommandSpec | undefined {
  const spec = table.get(args[0]!);
  if (spec === undefined || args.length === 1 || spec.subcommands === undefined) return spec;
  const wanted = spec.name + "|" + args[1]!.toLowerCase();
  return spec.subcommands.find((sub) => sub.name === wanted);
}

// ---------------------------------------------------------------- COMMAND INFO

/** One command's 10-element COMMAND INFO entry, or a null for an unknown name. */
export function writeCommandInfo(w: ReplyWriter, spec: CommandSpec | undefined): void {
  if (spec === undefined) {
    w.nullBulk();
    return;
  }
  w.arrayHeader(10);
  w.bulk(spec.name);
  w.integer(spec.arity);
  const flags = FLAG_ORDER.filter((flag) => spec.flags.includes(flag));
  w.setHeader(flags.length);
  for (const flag of flags) w.simple(flag);
  w.integer(spec.firstKey);
  w.integer(spec.lastKey);
  w.integer(spec.step);
  w.setHeader(spec.acl.length);
  for (const category of spec.acl) w.simple("@" + category);
  const tips = spec.tips ?? [];
  w.setHeader(tips.length);
  for (const tip of tips) w.bulk(tip);
  const keySpecs = spec.keySpecs ?? [];
  w.setHeader(keySpecs.length);
  for (const keySpec of keySpecs) writeKeySpec(w, keySpec);
  if (spec.subcommands === undefined) {
    w.setHeader(0);
    return;
  }
  w.arrayHeader(spec.subcommands.length);
  for (const sub of spec.subcommands) writeCommandInfo(w, sub);
}

function writeKeySpec(w: ReplyWriter, keySpec: KeySpec): void {
  w.mapHeader(keySpec.notes === undefined ? 3 : 4);
  if (keySpec.notes !== undefined) {
    w.bulk("notes");
    w.bulk(keySpec.notes);
  }
  w.bulk("flags");
  const flags = orderedKeyFlags(keySpec.flags);
  w.setHeader(flags.length);
  for (const flag of flags) w.simple(flag);
  w.bulk("begin_search");
  w.mapHeader(2);
  w.bulk("type");
  const begin = keySpec.beginSearch;
  w.bulk(begin.type);
  w.bulk("spec");
  if (begin.type === "index") {
    writeIntegerMap(w, [["index", begin.index]]);
  } else if (begin.type === "keyword") {
    w.mapHeader(2);
    w.bulk("keyword");
    w.bulk(begin.keyword);
    w.bulk("startfrom");
    w.integer(begin.startFrom);
  } else {
    w.mapHeader(0);
  }
  w.bulk("find_keys");
  w.mapHeader(2);
  w.bulk("type");
  const find = keySpec.findKeys;
  w.bulk(find.type);
  w.bulk("spec");
  if (find.type === "range") {
    writeIntegerMap(w, [["lastkey", find.lastKey], ["keystep", find.keyStep], ["limit", find.limit]]);
  } else if (find.type === "keynum") {
    writeIntegerMap(w, [["keynumidx", find.keyNumIndex], ["firstkey", find.firstKey], ["keystep", find.keyStep]]);
  } else {
    w.mapHeader(0);
  }
}

function writeIntegerMap(w: ReplyWriter, entries: readonly [string, number][]): void {
  w.mapHeader(entries.length);
  for (const [name, value] of entries) {
    w.bulk(name);
    w.integer(value);
  }
}

// ---------------------------------------------------------------- COMMAND DOCS

/** One command's COMMAND DOCS map (Redis 7.0's addReplyCommandDocs: no display_text yet). */
export function writeCommandDocs(w: ReplyWriter, spec: CommandSpec): void {
  const fields =
    3 +
    (spec.complexity !== undefined ? 1 : 0) +
    (spec.docFlags !== undefined && spec.docFlags.length > 0 ? 1 : 0) +
    (spec.deprecatedSince !== undefined ? 1 : 0) +
    (spec.replacedBy !== undefined ? 1 : 0) +
    (spec.history !== undefined && spec.history.length > 0 ? 1 : 0) +
    (spec.arguments !== undefined && spec.arguments.length > 0 ? 1 : 0) +
    (spec.subcommands !== undefined ? 1 : 0);
  w.mapHeader(fields);
  w.bulk("summary");
  w.bulk(spec.summary);
  w.bulk("since");
  w.bulk(spec.since);
  w.bulk("group");
  w.bulk(spec.group);
  if (spec.complexity !== undefined) {
    w.bulk("complexity");
    w.bulk(spec.complexity);
  }
  if (spec.docFlags !== undefined && spec.docFlags.length > 0) {
    w.bulk("doc_flags");
    w.setHeader(spec.docFlags.length);
    for (const flag of spec.docFlags) w.simple(flag);
  }
  if (spec.deprecatedSince !== undefined) {
    w.bulk("deprecated_since");
    w.bulk(spec.deprecatedSince);
  }
  if (spec.replacedBy !== undefined) {
    w.bulk("replaced_by");
    w.bulk(spec.replacedBy);
  }
  if (spec.history !== undefined && spec.history.length > 0) {
    w.bulk("history");
    w.setHeader(spec.history.length);
    for (const [version, change] of spec.history) {
      w.arrayHeader(2);
      w.bulk(version);
      w.bulk(change);
    }
  }
  if (spec.arguments !== undefined && spec.arguments.length > 0) {
    w.bulk("arguments");
    writeArguments(w, spec.arguments);
  }
  if (spec.subcommands !== undefined) {
    w.bulk("subcommands");
    w.mapHeader(spec.subcommands.length);
    for (const sub of spec.subcommands) {
      w.bulk(sub.name);
      writeCommandDocs(w, sub);
    }
  }
}

function writeArguments(w: ReplyWriter, args: readonly ArgumentDoc[]): void {
  w.arrayHeader(args.length);
  for (const arg of args) {
    const nested = arg.type === "oneof" || arg.type === "block";
    const fields =
      2 +
      (arg.keySpecIndex !== undefined ? 1 : 0) +
      (arg.token !== undefined ? 1 : 0) +
      (arg.summary !== undefined ? 1 : 0) +
      (arg.since !== undefined ? 1 : 0) +
      (arg.deprecatedSince !== undefined ? 1 : 0) +
      (arg.flags !== undefined && arg.flags.length > 0 ? 1 : 0) +
      (nested ? 1 : 0);
    w.mapHeader(fields);
    w.bulk("name");
    w.bulk(arg.name);
    w.bulk("type");
    w.bulk(arg.type);
    if (arg.keySpecIndex !== undefined) {
      w.bulk("key_spec_index");
      w.integer(arg.keySpecIndex);
    }
    if (arg.token !== undefined) {
      w.bulk("token");
      w.bulk(arg.token);
    }
    if (arg.summary !== undefined) {
      w.bulk("summary");
      w.bulk(arg.summary);
    }
    if (arg.since !== undefined) {
      w.bulk("since");
      w.bulk(arg.since);
    }
    if (arg.deprecatedSince !== undefined) {
      w.bulk("deprecated_since");
      w.bulk(arg.deprecatedSince);
    }
    if (arg.flags !== undefined && arg.flags.length > 0) {
      w.bulk("flags");
      w.setHeader(arg.flags.length);
      for (const flag of arg.flags) w.simple(flag);
    }
    if (nested) {
      w.bulk("arguments");
      writeArguments(w, arg.arguments ?? []);
    }
  }
}

// ---------------------------------------------------------------- COMMAND GETKEYS

/** A key found in an argument vector, with the flags of the key spec that found it. */
export interface FoundKey {
  position: number;
  flags: string[];
}

/**
 * Whether a command takes keys at all (Redis's doesCommandHaveKeys): a
 * key-finding function, a key spec that is not a "fake key" (not_key, like
 * SPUBLISH's shard channel), or the legacy key triple.
 */
export function commandHasKeys(spec: CommandSpec): boolean {
  if (spec.keys !== undefined) return true;
  if (spec.keySpecs !== undefined && spec.keySpecs.length > 0) return spec.keySpecs.some((ks) => !hasKeyFlag(ks, "not_key"));
  return spec.firstKey > 0;
}

function hasKeyFlag(keySpec: KeySpec, flag: string): boolean {
  return keySpec.flags.some((f) => normalizeKeyFlag(f) === flag);
}

/**
 * The keys of a command invocation, as Redis's getKeysFromCommandWithSpecs
 * finds them: by walking the key specs when they describe the command fully
 * (none marked variable_flags), falling back to the command's own
 * key-finding function when a spec is incomplete or cannot be followed.
 * Returns undefined when the arguments do not hold the keys they promise
 * (Redis: "Invalid arguments specified for command").
 */
export function findKeys(spec: CommandSpec, args: readonly string[]): FoundKey[] | undefined {
  const keySpecs = spec.keySpecs ?? [];
  const usable = keySpecs.some((ks) => !hasKeyFlag(ks, "not_key"));
  const variable = keySpecs.some((ks) => hasKeyFlag(ks, "variable_flags"));
  if (usable && !(variable && spec.keys !== undefined)) {
    const found = keysFromSpecs(keySpecs, args);
    if (found !== undefined) return variable ? withVariableFlags(spec, args, found) : found;
  }
  if (spec.keys !== undefined) return keysFromFunction(spec, args);
  if (keySpecs.length === 0 && spec.firstKey > 0) return keysFromTriple(spec, args);
  return undefined;
}

/**
 * Key specs marked variable_flags only bound what a key may undergo; Redis
 * computes the flags of such a command line in its getkeys function. These
 * are those functions for the commands that have them (setGetKeys,
 * bitfieldGetKeys); any other command gets its spec's flags without the
 * marker.
 */
const VARIABLE_KEY_FLAGS: Record<string, (args: readonly string[]) => string[]> = {
  set: (args) => (args.slice(3).some((arg) => arg.toLowerCase() === "get") ? ["RW", "access", "update"] : ["OW", "update"]),
  bitfield: (args) => (bitfieldReadOnly(args) ? ["RO", "access"] : ["RW", "access", "update"]),
};

function bitfieldReadOnly(args: readonly string[]): boolean {
  for (let i = 2; i < args.length; i++) {
    const remaining = args.length - i - 1;
    const word = args[i]!.toLowerCase();
    if (word === "get" && remaining >= 2) i += 2;
    else if (word === "overflow" && remaining >= 1) i += 1;
    else return false;
  }
  return true;
}

function withVariableFlags(spec: CommandSpec, args: readonly string[], found: FoundKey[]): FoundKey[] {
  const computed = VARIABLE_KEY_FLAGS[spec.name]?.(args);
  return found.map((key) => ({
    position: key.position,
    flags: computed ?? key.flags.filter((flag) => flag !== "variable_flags"),
  }));
}

/** Redis's getKeysUsingKeySpecs; undefined for an invalid or incomplete spec. */
function keysFromSpecs(keySpecs: readonly KeySpec[], args: readonly string[]): FoundKey[] | undefined {
  const found: FoundKey[] = [];
  for (const keySpec of keySpecs) {
    if (hasKeyFlag(keySpec, "not_key")) continue;
    const first = searchBegin(keySpec, args);
    if (first === undefined) return undefined;
    if (first === 0) continue;
    const range = keyRange(keySpec, args, first);
    if (range === undefined) return undefined;
    const [start, last, step] = range;
    if (last >= args.length || last < start || start >= args.length) return undefined;
    const flags = orderedKeyFlags(keySpec.flags);
    for (let i = start; i <= last; i += step) found.push({ position: i, flags });
    if (hasKeyFlag(keySpec, "incomplete")) return undefined;
  }
  return found;
}

/** Where a key spec's keys start: an index, just after a keyword (0 when absent), or undefined (unknown). */
function searchBegin(keySpec: KeySpec, args: readonly string[]): number | undefined {
  const begin = keySpec.beginSearch;
  if (begin.type === "index") return begin.index;
  if (begin.type !== "keyword") return undefined;
  const forward = begin.startFrom > 0;
  const startIndex = forward ? begin.startFrom : args.length + begin.startFrom;
  const endIndex = forward ? args.length - 1 : 1;
  const keyword = begin.keyword.toLowerCase();
  // As Redis, the walk stops before the end index: a keyword there would have no key after it.
  for (let i = startIndex; i !== endIndex; i = startIndex <= endIndex ? i + 1 : i - 1) {
    if (i >= args.length || i < 1) break;
    if (args[i]!.toLowerCase() === keyword) return i + 1;
  }
  return 0;
}

/** [first, last, step] of the keys after `first`, or undefined when the spec cannot be followed. */
function keyRange(keySpec: KeySpec, args: readonly string[], first: number): [number, number, number] | undefined {
  const find = keySpec.findKeys;
  if (find.type === "range") {
    if (find.lastKey >= 0) return [first, first + find.lastKey, find.keyStep];
    if (find.limit === 0) return [first, args.length + find.lastKey, find.keyStep];
    return [first, first + (Math.floor((args.length - first) / find.limit) + find.lastKey), find.keyStep];
  }
  if (find.type === "keynum") {
    const countIndex = first + find.keyNumIndex;
    if (countIndex >= args.length) return undefined;
    const count = parseInteger(args[countIndex]!);
    if (count === undefined || count < 0) return undefined;
    const start = first + find.firstKey;
    return [start, start + count - 1, find.keyStep];
  }
  return undefined;
}

/**
 * Keys from the command's own function. The flags of each come from the
 * key spec that could have found it (its begin index or keyword), else from
 * the last spec that cannot be followed statically; markers that only
 * describe the spec (incomplete, variable_flags) are dropped.
 */
function keysFromFunction(spec: CommandSpec, args: readonly string[]): FoundKey[] | undefined {
  let positions: number[];
  try {
    positions = spec.keys!(args);
  } catch (error) {
    if (error instanceof CommandError) return undefined;
    throw error;
  }
  if (positions.some((p) => !Number.isInteger(p) || p < 1 || p >= args.length)) return undefined;
  const keySpecs = spec.keySpecs ?? [];
  return positions.map((position) => ({ position, flags: flagsForPosition(keySpecs, args, position) }));
}

function flagsForPosition(keySpecs: readonly KeySpec[], args: readonly string[], position: number): string[] {
  let fallback: KeySpec | undefined;
  for (const keySpec of keySpecs) {
    if (hasKeyFlag(keySpec, "not_key")) continue;
    const first = searchBegin(keySpec, args);
    const range = first === undefined || first === 0 ? undefined : keyRange(keySpec, args, first);
    if (range !== undefined && position >= range[0] && position <= range[1] && (position - range[0]) % range[2] === 0) {
      return stripMarkers(keySpec);
    }
    if (first === undefined || keySpec.findKeys.type === "unknown") fallback = keySpec;
  }
  return fallback === undefined ? [] : stripMarkers(fallback);
}

function stripMarkers(keySpec: KeySpec): string[] {
  return orderedKeyFlags(keySpec.flags).filter((flag) => flag !== "incomplete" && flag !== "variable_flags");
}

function keysFromTriple(spec: CommandSpec, args: readonly string[]): FoundKey[] | undefined {
  const last = spec.lastKey < 0 ? args.length + spec.lastKey : spec.lastKey;
  if (spec.firstKey >= args.length || last >= args.length) return undefined;
  const found: FoundKey[] = [];
  for (let i = spec.firstKey; i <= last; i += spec.step) found.push({ position: i, flags: [] });
  return found;
}
