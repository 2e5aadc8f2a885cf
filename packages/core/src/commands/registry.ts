import { CLUSTER_COMMANDS } from "./cluster.js";
import { CONNECTION_COMMANDS } from "./connection.js";
import { HASH_COMMANDS } from "./hashes.js";
import { KEY_COMMANDS } from "./keys.js";
import { MOVE_COMMANDS } from "./keys-move.js";
import { REPLICATION_COMMANDS } from "./replication.js";
import { LIST_COMMANDS } from "./lists.js";
import { PUBSUB_COMMANDS } from "./pubsub.js";
import { SERVER_COMMANDS } from "./server.js";
import { SET_COMMANDS } from "./sets.js";
import { SORTED_SET_COMMANDS } from "./sorted-sets.js";
import type { CommandSpec } from "./spec.js";
import { STRING_COMMANDS } from "./strings.js";
import { TRANSACTION_COMMANDS } from "./transactions.js";

/** Every command this node knows, by lowercase name. */
/** Spellings remembered by CommandTable.get (bounds a client sending every case of every name). */
const AS_SENT_MAX = 4096;

export class CommandTable {
  private readonly byName = new Map<string, CommandSpec>();
  private readonly asSent = new Map<string, CommandSpec>();

  constructor(specs: readonly CommandSpec[]) {
    for (const spec of specs) {
      if (this.byName.has(spec.name)) throw new Error(`command ${spec.name} is defined twice`);
      this.byName.set(spec.name, spec);
    }
  }

  /** Looks a command up by the name a client sent (any case). */
  /**
   * Looks a command up by the name a client sent (any case). Names as sent
   * ("SET", "set", "Set") are remembered, a bounded number of them, so the
   * hot path does not lowercase on every command.
   */
  get(name: string): CommandSpec | undefined {
    const spec = this.byName.get(name) ?? this.asSent.get(name);
    if (spec !== undefined) return spec;
    const found = this.byName.get(name.toLowerCase());
    if (found !== undefined && this.asSent.size < AS_SENT_MAX) this.asSent.set(name, found);
    return found;
  }

  all(): IterableIterator<CommandSpec> {
    return this.byName.values();
  }

  get size(): number {
    return this.byName.size;
  }
}

export const ALL_COMMANDS: readonly CommandSpec[] = [
  ...CONNECTION_COMMANDS,
  ...SERVER_COMMANDS,
  ...TRANSACTION_COMMANDS,
  ...PUBSUB_COMMANDS,
  ...KEY_COMMANDS,
  ...MOVE_COMMANDS,
  ...STRING_COMMANDS,
  ...HASH_COMMANDS,
  ...LIST_COMMANDS,
  ...SET_COMMANDS,
  ...SORTED_SET_COMMANDS,
  ...CLUSTER_COMMANDS,
  ...REPLICATION_COMMANDS,
];

/** Finds the subcommand spec of a container for `args` (args[1] is the subcommand name). */
export function subcommandOf(container: CommandSpec, args: readonly string[]): CommandSpec | undefined {
  if (!container.subcommands || args.length < 2) return undefined;
  const wanted = container.name + "|" + args[1]!.toLowerCase();
  return container.subcommands.find((sub) => sub.name === wanted);
}
