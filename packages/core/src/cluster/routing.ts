import { keyHashSlot } from "./slots.js";

/**
 * What the cluster layer decides about a command before it runs, following
 * Redis 7.0's getNodeByQuery:
 *  - serve: run it here;
 *  - moved / ask: redirect the client (`-MOVED slot host:port`, `-ASK ...`);
 *  - error: one of Redis's cluster errors, verbatim.
 */
export type RouteDecision =
  | { kind: "serve" }
  | { kind: "moved"; slot: number; nodeId: string }
  | { kind: "ask"; slot: number; nodeId: string }
  | { kind: "error"; message: string };

export const RoutingErrors = {
  crossSlot: "CROSSSLOT Keys in request don't hash to the same slot",
  tryAgain: "TRYAGAIN Multiple keys request during rehashing of slot",
  down: "CLUSTERDOWN The cluster is down",
  downReadOnly: "CLUSTERDOWN The cluster is down and only accepts read commands",
  unbound: "CLUSTERDOWN Hash slot not served",
} as const;

/** The parts of the cluster state routing reads; the cluster state implements it. */
export interface RoutingView {
  readonly myId: string;
  /** The primary this node replicates, when it is a replica. */
  readonly myPrimaryId: string | undefined;
  /** Whether the cluster state is ok (cluster_state:ok). */
  readonly stateOk: boolean;
  /** `cluster-allow-reads-when-down`. */
  readonly allowReadsWhenDown: boolean;
  /** The primary serving `slot`, or undefined when unassigned. */
  slotOwnerId(slot: number): string | undefined;
  /** The node this node is migrating `slot` to (CLUSTER SETSLOT MIGRATING), if any. */
  migratingTo(slot: number): string | undefined;
  /** The node this node is importing `slot` from (CLUSTER SETSLOT IMPORTING), if any. */
  importingFrom(slot: number): string | undefined;
}

export interface RouteQuery {
  /** The command's keys (for EXEC, the keys of every queued command). */
  keys: readonly string[];
  /** The command (or, for EXEC, any queued command) writes. */
  isWrite: boolean;
  /** The command carries the `asking` flag (RESTORE-ASKING). */
  commandAsking: boolean;
  /** The connection sent ASKING (one-shot). */
  clientAsking: boolean;
  /** The connection sent READONLY. */
  clientReadOnly: boolean;
  /** PUBLISH-like: replicas may serve it like a read. */
  isPubSub: boolean;
  /** Whether `key` exists here; asked only while the slot is migrating or importing. */
  keyExists(key: string): boolean;
}

/** Decides where a command runs. Keyless commands are always served locally. */
export function route(view: RoutingView, query: RouteQuery): RouteDecision {
  let slot = -1;
  let owner: string | undefined;
  let firstKey: string | undefined;
  let migrating = false;
  let importing = false;
  let multipleKeys = false;
  let missingKeys = 0;
  let existingKeys = 0;
  for (const key of query.keys) {
    const keySlot = keyHashSlot(key);
    if (firstKey === undefined) {
      firstKey = key;
      slot = keySlot;
      owner = view.slotOwnerId(slot);
      if (owner === undefined) return { kind: "error", message: RoutingErrors.unbound };
      if (owner === view.myId && view.migratingTo(slot) !== undefined) migrating = true;
      else if (view.importingFrom(slot) !== undefined) importing = true;
    } else {
      if (keySlot !== slot) return { kind: "error", message: RoutingErrors.crossSlot };
      if (!multipleKeys && key !== firstKey) multipleKeys = true;
    }
    if ((migrating || importing) && !query.isPubSub) {
      if (query.keyExists(key)) existingKeys++;
      else missingKeys++;
    }
  }
  if (owner === undefined) return { kind: "serve" };
  if (!view.stateOk) {
    if (!view.allowReadsWhenDown) return { kind: "error", message: RoutingErrors.down };
    if (query.isWrite) return { kind: "error", message: RoutingErrors.downReadOnly };
  }
  if (migrating && missingKeys > 0) {
    if (existingKeys > 0) return { kind: "error", message: RoutingErrors.tryAgain };
    return { kind: "ask", slot, nodeId: view.migratingTo(slot)! };
  }
  if (importing && (query.clientAsking || query.commandAsking)) {
    if (multipleKeys && missingKeys > 0) return { kind: "error", message: RoutingErrors.tryAgain };
    return { kind: "serve" };
  }
  if ((query.clientReadOnly || query.isPubSub) && !query.isWrite && view.myPrimaryId !== undefined && view.myPrimaryId === owner) {
    return { kind: "serve" };
  }
  return owner === view.myId ? { kind: "serve" } : { kind: "moved", slot, nodeId: owner };
}
