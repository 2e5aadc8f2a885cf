import type { ReplyWriter } from "@shardline/resp";
import type { CommandSpec } from "../commands/spec.js";
import { CommandError, Errors } from "../errors.js";
import type { Database } from "../keyspace/database.js";
import type { Aggregate, Value } from "../keyspace/value.js";
import type { Random } from "../random.js";
import type { Client } from "./client.js";
import type { Engine } from "./engine.js";

/**
 * Everything a command handler sees. Handlers write their reply through
 * `reply`, throw CommandError for errors clients should see, and call
 * `propagate` when what replicas must apply differs from what the client sent
 * (SPOP becomes SREM, EXPIRE becomes PEXPIREAT, INCRBYFLOAT becomes SET...).
 */
export class CommandContext {
  /** Commands to propagate instead of the client's own, when set. */
  propagated: string[][] | undefined;
  /** Set by block(): the client waits instead of getting a reply now. */
  blockedOn: { keys: string[]; deadlineMs: number; timeoutReply?: (client: Client) => void } | undefined;

  constructor(
    readonly engine: Engine,
    readonly client: Client,
    readonly spec: CommandSpec,
    readonly args: string[],
    readonly nowMs: number,
    /** True when the engine re-runs a blocked command because one of its keys changed. */
    readonly retryingBlocked = false,
  ) {}

  get db(): Database {
    return this.engine.dbs[this.client.dbId]!;
  }

  get reply(): ReplyWriter {
    return this.client.writer;
  }

  get random(): Random {
    return this.engine.random;
  }

  /** A key read by a read command: counts keyspace_hits / keyspace_misses as Redis does. */
  lookupRead(key: string): Value | undefined {
    const value = this.db.lookup(key, this.nowMs);
    if (value === undefined) this.engine.stats.keyspaceMisses++;
    else this.engine.stats.keyspaceHits++;
    return value;
  }

  /** A key looked up in order to change it (no hit/miss counting). */
  lookupWrite(key: string): Value | undefined {
    return this.db.lookup(key, this.nowMs);
  }

  /** The string at `key`, undefined when missing; WRONGTYPE otherwise. */
  readString(key: string): string | undefined {
    const value = this.lookupRead(key);
    if (value !== undefined && typeof value !== "string") throw new CommandError(Errors.wrongType);
    return value;
  }

  /** The aggregate of type `type` at `key` (read path); WRONGTYPE for any other type. */
  readAggregate<T extends Aggregate>(key: string, type: T["type"]): T | undefined {
    return expectAggregate<T>(this.lookupRead(key), type);
  }

  /** The aggregate of type `type` at `key` (write path); WRONGTYPE for any other type. */
  writeAggregate<T extends Aggregate>(key: string, type: T["type"]): T | undefined {
    return expectAggregate<T>(this.lookupWrite(key), type);
  }

  /** Replaces the client's command, for replicas, with these commands (may be called repeatedly). */
  propagate(args: string[]): void {
    (this.propagated ??= []).push(args);
  }

  /**
   * Blocks the client on `keys` until one of them changes or `timeoutMs`
   * passes (0 = forever). The handler must not reply when it blocks. Inside
   * MULTI a blocking command cannot wait: the caller gets the timeout reply,
   * a null array unless `timeoutReply` writes another (WAIT's count).
   */
  block(keys: string[], timeoutMs: number, timeoutReply?: (client: Client) => void): void {
    if (this.client.executingMulti) {
      if (timeoutReply) timeoutReply(this.client);
      else this.reply.nullArray();
      return;
    }
    this.blockedOn = { keys, deadlineMs: timeoutMs === 0 ? Infinity : this.nowMs + timeoutMs, timeoutReply };
  }
}

export function expectAggregate<T extends Aggregate>(value: Value | undefined, type: T["type"]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" || value.type !== type) throw new CommandError(Errors.wrongType);
  return value as T;
}
