import type { CommandContext } from "../engine/context.js";

/** Command flags as COMMAND INFO reports them (Redis 7 spelling). */
export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "module"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "skip_slowlog"
  | "asking"
  | "fast"
  | "no_auth"
  | "may_replicate"
  | "sentinel"
  | "only_sentinel"
  | "no_mandatory_keys"
  | "protected"
  | "no_async_loading"
  | "no_multi"
  | "movablekeys"
  | "allow_busy";

/**
 * A command is data: routing, ACL categories, COMMAND INFO/DOCS/GETKEYS,
 * MULTI queueing and replication all read this one table. Nothing keeps a
 * second list of commands.
 */
export interface CommandSpec {
  /** Lowercase; a subcommand is named `container|sub`, e.g. `config|get`. */
  name: string;
  /** Exact argument count including the name when positive; a minimum when negative (Redis convention). */
  arity: number;
  flags: readonly CommandFlag[];
  /** Key positions (1-based over args), Redis's legacy triple; 0,0,0 for keyless commands. */
  firstKey: number;
  /** Last key position; -1 means the last argument, -2 the one before... */
  lastKey: number;
  step: number;
  /**
   * For commands whose keys cannot be described by the triple (ZUNIONSTORE's
   * numkeys, LMPOP, SORT...): returns the indexes of the keys in `args`.
   * Called only after the arity check passed. Throwing CommandError is allowed
   * when the arguments are malformed.
   */
  keys?: (args: readonly string[]) => number[];
  /** ACL categories without '@', e.g. ["write", "string", "slow"]. */
  acl: readonly string[];
  /** COMMAND DOCS: group (string, generic, list...), since, summary, complexity. */
  group: string;
  since: string;
  summary: string;
  complexity?: string;
  /** COMMAND DOCS history: [version, what changed] pairs, oldest first. */
  history?: readonly (readonly [string, string])[];
  /** COMMAND DOCS doc_flags, e.g. ["deprecated"]. */
  docFlags?: readonly ("deprecated" | "syscmd")[];
  /** COMMAND DOCS deprecated_since and replaced_by, present on deprecated commands. */
  deprecatedSince?: string;
  replacedBy?: string;
  /** COMMAND INFO tips, e.g. ["nondeterministic_output", "request_policy:all_shards"]. */
  tips?: readonly string[];
  /** Redis 7 key specifications, as COMMAND INFO reports them. */
  keySpecs?: readonly KeySpec[];
  /** COMMAND DOCS arguments (optional: redis-cli uses them for hints only). */
  arguments?: readonly ArgumentDoc[];
  /** Container commands (CONFIG, CLIENT...) list their subcommands here. */
  subcommands?: readonly CommandSpec[];
  /** Absent only on containers, which dispatch to a subcommand. */
  handler?: (ctx: CommandContext) => void;
}

/** The positions of the keys of a command invocation, following its spec. */
export function keyPositions(spec: CommandSpec, args: readonly string[]): number[] {
  if (spec.keys) return spec.keys(args);
  if (spec.firstKey === 0) return [];
  const last = spec.lastKey < 0 ? args.length + spec.lastKey : spec.lastKey;
  const positions: number[] = [];
  for (let i = spec.firstKey; i <= last && i < args.length; i += spec.step) positions.push(i);
  return positions;
}

/** A Redis 7 key specification (COMMAND INFO element 9). */
export interface KeySpec {
  /** e.g. ["RW", "ACCESS", "UPDATE"]. */
  flags: readonly string[];
  beginSearch:
    | { type: "index"; index: number }
    | { type: "keyword"; keyword: string; startFrom: number }
    | { type: "unknown" };
  findKeys:
    | { type: "range"; lastKey: number; keyStep: number; limit: number }
    | { type: "keynum"; keyNumIndex: number; firstKey: number; keyStep: number }
    | { type: "unknown" };
  notes?: string;
}

/** One argument in COMMAND DOCS. */
export interface ArgumentDoc {
  name: string;
  type: "string" | "integer" | "double" | "key" | "pattern" | "unix-time" | "pure-token" | "oneof" | "block";
  displayText?: string;
  keySpecIndex?: number;
  token?: string;
  summary?: string;
  since?: string;
  flags?: readonly ("optional" | "multiple" | "multiple_token")[];
  deprecatedSince?: string;
  arguments?: readonly ArgumentDoc[];
}
