import { globMatch } from "../util/glob.js";

/**
 * A configuration parameter: its Redis name, how its text is parsed and what
 * it defaults to. CONFIG GET/SET, the node's command line and its config file
 * all read this one table.
 */
export interface ConfigParameter {
  name: string;
  aliases?: readonly string[];
  kind: "boolean" | "integer" | "memory" | "enum" | "string" | "list";
  default: string;
  /** For enums, the accepted words. */
  values?: readonly string[];
  min?: number;
  max?: number;
  /** Settable only at start-up (command line, config file). */
  immutable?: boolean;
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

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

/** Parses a Redis memory value (`100mb`, `1gb`, `4096`); undefined when malformed. */
export function parseMemory(text: string): number | undefined {
  const match = /^(-?\d+)([a-z]*)$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = MEMORY_UNITS[match[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const value = Number(match[1]) * unit;
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Parameter values, validated on every change, with listeners for the parts of the engine that care. */
export class ConfigStore {
  private readonly parameters = new Map<string, ConfigParameter>();
  private readonly values = new Map<string, string>();
  private readonly listeners = new Map<string, ((value: string) => void)[]>();

  constructor(definitions: readonly ConfigParameter[]) {
    for (const definition of definitions) this.define(definition);
  }

  define(definition: ConfigParameter): void {
    this.parameters.set(definition.name, definition);
    for (const alias of definition.aliases ?? []) this.parameters.set(alias, definition);
    this.values.set(definition.name, this.canonical(definition, definition.default));
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
    const definition = this.parameters.get(name.toLowerCase());
    if (!definition) throw new ConfigError(name, "Unknown option");
    if (definition.immutable && !atStartup) throw new ConfigError(definition.name, "can't set immutable config");
    const value = this.canonical(definition, text);
    const problem = definition.validate?.(value);
    if (problem !== undefined) throw new ConfigError(definition.name, problem);
    this.values.set(definition.name, value);
    for (const listener of this.listeners.get(definition.name) ?? []) listener(value);
  }

  /** Calls `listener` now and whenever the parameter changes. */
  watch(name: string, listener: (value: string) => void): void {
    const definition = this.parameters.get(name)!;
    const list = this.listeners.get(definition.name) ?? [];
    list.push(listener);
    this.listeners.set(definition.name, list);
    listener(this.values.get(definition.name)!);
  }

  /** Canonical names and values matching a CONFIG GET glob pattern (aliases match too). */
  match(pattern: string): [string, string][] {
    const found = new Map<string, string>();
    for (const [name, definition] of this.parameters) {
      if (globMatch(pattern.toLowerCase(), name, true)) found.set(name, this.values.get(definition.name)!);
    }
    return [...found];
  }

  names(): string[] {
    return [...new Set([...this.parameters.values()].map((p) => p.name))];
  }

  private canonical(definition: ConfigParameter, text: string): string {
    switch (definition.kind) {
      case "boolean": {
        const lower = text.toLowerCase();
        if (lower !== "yes" && lower !== "no") throw new ConfigError(definition.name, "argument must be 'yes' or 'no'");
        return lower;
      }
      case "integer": {
        if (!/^-?\d+$/.test(text.trim())) throw new ConfigError(definition.name, "argument couldn't be parsed into an integer");
        return String(this.bounded(definition, Number(text)));
      }
      case "memory": {
        const bytes = parseMemory(text);
        if (bytes === undefined) throw new ConfigError(definition.name, "argument must be a memory value");
        return String(this.bounded(definition, bytes));
      }
      case "enum": {
        const lower = text.toLowerCase();
        if (!definition.values!.includes(lower)) throw new ConfigError(definition.name, "argument(s) must be one of the following: " + definition.values!.join(", "));
        return lower;
      }
      case "string":
      case "list":
        return text;
    }
  }

  private bounded(definition: ConfigParameter, value: number): number {
    const min = definition.min ?? -Infinity;
    const max = definition.max ?? Infinity;
    if (value < min || value > max) {
      throw new ConfigError(definition.name, `argument must be between ${definition.min} and ${definition.max} inclusive`);
    }
    return value;
  }
}
