import { globMatch } from "../util/glob.js";

/**
 * A configuration parameter: its Redis name, how its text is parsed and what
 * it defaults to. CONFIG GET/SET, the node's command line and its config file
 * all read this one table.
 */
export interface ConfigParameter {
  name: string;
  /** Older names (`slave-priority` for `replica-priority`); CONFIG GET lists them as entries of their own, as Redis does. */
  aliases?: readonly string[];
  kind: "boolean" | "integer" | "memory" | "enum" | "string" | "list";
  default: string;
  /** For enums, the accepted words, in the order Redis lists them in its error. */
  values?: readonly string[];
  /** Inclusive bounds of integer and memory parameters (bigint where a C bound exceeds 2**53). */
  min?: number | bigint;
  max?: number | bigint;
  /** Memory parameters that also take a percentage (`maxmemory-clients 10%`). */
  percent?: boolean;
  /** Settable only at start-up (command line, config file). */
  immutable?: boolean;
  /** Refused by CONFIG SET unless enable-protected-configs allows it (Redis's PROTECTED_CONFIG). */
  protected?: boolean;
  /**
   * For parameters with their own syntax (`save`, `client-output-buffer-limit`,
   * `notify-keyspace-events`...): turns user text into the canonical text
   * CONFIG GET shows, or throws ConfigError with Redis's reason.
   */
  parse?: (text: string, current: string) => string;
  /** Adjusts an accepted canonical value (Redis clamps `hz` to 1..500). */
  adjust?: (value: string) => string;
  /** Extra validation of the canonical value; returns an error reason or undefined. */
  validate?: (value: string) => string | undefined;
}

/** A CONFIG SET or start-up value was refused; `reason` is Redis's wording. */
export class ConfigError extends Error {
  constructor(
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(`${parameter}: ${reason}`);
  }
}

/** CONFIG SET refused the whole request; `message` is the complete error line Redis sends. */
export class ConfigSetError extends Error {}

const MEMORY_UNITS: Record<string, bigint> = {
  "": 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
};

const ULLONG_MAX = 2n ** 64n - 1n;

/**
 * Parses a Redis memory value (`100mb`, `1GB`, `4096`) as Redis's memtoull
 * does: digits then an optional unit, no sign, no fraction. Undefined when
 * malformed or beyond 64 bits.
 */
export function parseMemoryBig(text: string): bigint | undefined {
  // Like memtoull: no digits reads as 0, and strtoull saturates at 2**64-1 before the unit is applied.
  const match = /^(\d*)([a-z]*)$/i.exec(text);
  if (!match || match[1]!.length > 128) return undefined;
  const unit = MEMORY_UNITS[match[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const digits = match[1] === "" ? 0n : BigInt(match[1]!);
  const saturated = digits > ULLONG_MAX ? ULLONG_MAX : digits;
  return saturated > ULLONG_MAX / unit ? undefined : saturated * unit;
}

/** parseMemoryBig as a number, undefined when it does not fit a safe integer. */
export function parseMemory(text: string): number | undefined {
  const value = parseMemoryBig(text.trim());
  if (value === undefined || value > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(value);
}

/** Redis's string2ll acceptance: optional '-', no leading zeros or '+', at most 20 characters. */
const LONG_LONG = /^(?:0|-?[1-9][0-9]*)$/;
const LLONG_MIN = -(2n ** 63n);
const LLONG_MAX = 2n ** 63n - 1n;

/**
 * Parameter values, validated on every change, with listeners for the parts
 * of the engine (and runtime) that act on them.
 */
export class ConfigStore {
  /** Every name a parameter answers to (canonical and aliases), lowercase. */
  private readonly parameters = new Map<string, ConfigParameter>();
  private readonly values = new Map<string, string>();
  private readonly listeners = new Map<string, ((value: string) => void)[]>();

  constructor(definitions: readonly ConfigParameter[]) {
    for (const definition of definitions) this.define(definition);
  }

  define(definition: ConfigParameter): void {
    this.parameters.set(definition.name, definition);
    for (const alias of definition.aliases ?? []) this.parameters.set(alias, definition);
    // Defaults are written in canonical form in the table (a test checks each parses to itself).
    this.values.set(definition.name, definition.default);
  }

  has(name: string): boolean {
    return this.parameters.has(name.toLowerCase());
  }

  parameter(name: string): ConfigParameter | undefined {
    return this.parameters.get(name.toLowerCase());
  }

  /** The canonical text of a parameter, as CONFIG GET shows it. */
  get(name: string): string {
    const definition = this.parameters.get(name.toLowerCase());
    if (!definition) throw new Error(`unknown config parameter ${name}`);
    return this.values.get(definition.name)!;
  }

  number(name: string): number {
    return Number(this.get(name));
  }

  boolean(name: string): boolean {
    return this.get(name) === "yes";
  }

  /**
   * Sets a parameter from user text. Throws ConfigError with Redis's reason
   * (for example "argument must be a memory value") when it is not valid.
   */
  set(name: string, text: string, atStartup = false): void {
    const lower = name.toLowerCase();
    const definition = this.parameters.get(lower);
    if (!definition) throw new ConfigError(name, "Unknown option");
    if (definition.immutable && !atStartup) throw new ConfigError(definition.name, "can't set immutable config");
    this.apply([[definition, this.canonical(definition, lower, text)]]);
  }

  /**
   * CONFIG SET with Redis 7's rules: every pair is checked before any is
   * applied, so either all change or none does. The first unknown name,
   * immutable or protected parameter, or duplicate stops the request; then
   * each value is parsed in order. Throws ConfigSetError with the exact
   * error line Redis sends.
   */
  setMany(pairs: readonly (readonly [string, string])[], protectedAllowed: boolean): void {
    const chosen: [ConfigParameter, string, string][] = [];
    let unknown: string | undefined;
    let refusal: string | undefined;
    for (const [typed, text] of pairs) {
      const lower = typed.toLowerCase();
      const definition = this.parameters.get(lower);
      if (definition === undefined) {
        if (unknown === undefined && refusal === undefined) unknown = typed;
        continue;
      }
      if (unknown !== undefined || refusal !== undefined) continue;
      if (definition.immutable || (definition.protected && !protectedAllowed)) {
        const why = definition.immutable ? "can't set immutable config" : "can't set protected config";
        refusal = failure(typed, why);
        continue;
      }
      if (chosen.some(([, entry]) => entry === lower)) {
        refusal = failure(typed, "duplicate parameter");
        continue;
      }
      chosen.push([definition, lower, text]);
    }
    if (unknown !== undefined) throw new ConfigSetError(`ERR Unknown option or number of arguments for CONFIG SET - '${unknown}'`);
    if (refusal !== undefined) throw new ConfigSetError(refusal);
    const changes: [ConfigParameter, string][] = [];
    for (const [definition, entry, text] of chosen) {
      try {
        changes.push([definition, this.canonical(definition, entry, text)]);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        throw new ConfigSetError(failure(error.parameter, error.reason));
      }
    }
    this.apply(changes);
  }

  /** Calls `listener` now and whenever the parameter changes. */
  watch(name: string, listener: (value: string) => void): void {
    const definition = this.parameters.get(name)!;
    const list = this.listeners.get(definition.name) ?? [];
    list.push(listener);
    this.listeners.set(definition.name, list);
    listener(this.values.get(definition.name)!);
  }

  /**
   * CONFIG GET for several arguments, as Redis 7 answers it: an argument
   * without glob characters is an exact (case-insensitive) name and is
   * reported as typed; a pattern matches every name and alias. Each entry
   * is reported once.
   */
  lookup(patterns: readonly string[]): [string, string][] {
    const found = new Map<string, [string, string]>();
    for (const pattern of patterns) {
      if (!/[[*?]/.test(pattern)) {
        const lower = pattern.toLowerCase();
        const definition = this.parameters.get(lower);
        if (definition !== undefined && !found.has(lower)) found.set(lower, [pattern, this.values.get(definition.name)!]);
        continue;
      }
      for (const [name, value] of this.match(pattern)) if (!found.has(name)) found.set(name, [name, value]);
    }
    return [...found.values()];
  }

  /** Names (canonical and aliases) and values matching a glob pattern, case-insensitively. */
  match(pattern: string): [string, string][] {
    const found: [string, string][] = [];
    for (const [name, definition] of this.parameters) {
      if (globMatch(pattern, name, true)) found.push([name, this.values.get(definition.name)!]);
    }
    return found;
  }

  names(): string[] {
    return [...new Set([...this.parameters.values()].map((p) => p.name))];
  }

  private apply(changes: readonly [ConfigParameter, string][]): void {
    for (const [definition, value] of changes) this.values.set(definition.name, value);
    for (const [definition, value] of changes) {
      for (const listener of this.listeners.get(definition.name) ?? []) listener(value);
    }
  }

  /** The canonical text of `text` for a parameter, or ConfigError naming `entry` (the name the user reached it by). */
  private canonical(definition: ConfigParameter, entry: string, text: string): string {
    let value: string;
    try {
      value = parseValue(definition, text, this.values.get(definition.name) ?? definition.default);
    } catch (error) {
      if (error instanceof ConfigReason) throw new ConfigError(entry, error.message);
      throw error;
    }
    const problem = definition.validate?.(value);
    if (problem !== undefined) throw new ConfigError(entry, problem);
    return definition.adjust ? definition.adjust(value) : value;
  }
}

/** A parse hook's refusal: the reason only; the store adds the parameter name. */
export class ConfigReason extends Error {}

function failure(name: string, reason: string): string {
  return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
}

function parseValue(definition: ConfigParameter, text: string, current: string): string {
  if (definition.parse) return definition.parse(text, current);
  switch (definition.kind) {
    case "boolean": {
      const lower = text.toLowerCase();
      if (lower !== "yes" && lower !== "no") throw new ConfigReason("argument must be 'yes' or 'no'");
      return lower;
    }
    case "integer": {
      if (text.length > 20 || !LONG_LONG.test(text)) throw new ConfigReason("argument couldn't be parsed into an integer");
      const value = BigInt(text);
      if (value < LLONG_MIN || value > LLONG_MAX) throw new ConfigReason("argument couldn't be parsed into an integer");
      return String(bounded(definition, value));
    }
    case "memory":
      return parseMemoryParameter(definition, text);
    case "enum": {
      const lower = text.toLowerCase();
      if (!definition.values!.includes(lower)) {
        throw new ConfigReason("argument(s) must be one of the following: " + definition.values!.join(", "));
      }
      return lower;
    }
    case "string":
    case "list":
      return text;
  }
}

function parseMemoryParameter(definition: ConfigParameter, text: string): string {
  const bytes = parseMemoryBig(text);
  if (bytes !== undefined) return String(bounded(definition, bytes));
  if (definition.percent && /^(?:0|[1-9][0-9]*)%$/.test(text) && text.length <= 21) {
    const percent = BigInt(text.slice(0, -1));
    // Redis stores a percentage as its negative and checks it against the lower bound.
    const min = definition.min === undefined ? undefined : BigInt(definition.min);
    if (min !== undefined && -percent < min) throw new ConfigReason(`percentage argument must be less or equal to ${-min}`);
    return percent + "%";
  }
  throw new ConfigReason(definition.percent ? "argument must be a memory or percent value" : "argument must be a memory value");
}

function bounded(definition: ConfigParameter, value: bigint): bigint {
  const min = definition.min === undefined ? undefined : BigInt(definition.min);
  const max = definition.max === undefined ? undefined : BigInt(definition.max);
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    throw new ConfigReason(`argument must be between ${min ?? LLONG_MIN} and ${max ?? LLONG_MAX} inclusive`);
  }
  return value;
}
