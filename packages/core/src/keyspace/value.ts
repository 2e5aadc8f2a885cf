import type { Ledger } from "./ledger.js";

/** The Redis type name TYPE reports for each kind of value. */
export type TypeName = "string" | "hash" | "list" | "set" | "zset";

/**
 * An aggregate value (hash, list, set, sorted set). Strings are stored as
 * plain one-byte JavaScript strings, which keeps a million small keys cheap.
 *
 * Every aggregate reports each mutation to the shared Ledger (bytes changed
 * and one change), so used_memory, maxmemory and the dispatcher's dirty count
 * stay right without the keyspace re-measuring anything.
 */
export interface Aggregate {
  readonly type: Exclude<TypeName, "string">;
  /** Number of elements; a key whose aggregate reaches 0 is deleted. */
  readonly length: number;
  /** Estimated bytes held, including the object itself. */
  readonly bytes: number;
  /**
   * The ledger mutations are reported to. The Database sets it when the value
   * is stored under a key and clears it when the key goes; a value being
   * built (SUNIONSTORE's result, a COPY) is detached and reports nothing
   * until stored, so nothing is counted twice.
   */
  ledger: Ledger | undefined;
  /** A detached deep copy (COPY, full-sync snapshots). */
  clone(): Aggregate;
}

export type Value = string | Aggregate;

export function typeOf(value: Value): TypeName {
  return typeof value === "string" ? "string" : value.type;
}
