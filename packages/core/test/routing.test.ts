import { describe, expect, it } from "vitest";
import { route, RoutingErrors, type RouteQuery, type RoutingView } from "../src/cluster/routing.js";
import { keyHashSlot } from "../src/cluster/slots.js";

/** Three primaries A, B, C owning 0-5460, 5461-10922, 10923-16383, seen from `myId`. */
function view(myId: string, overrides: Partial<RoutingView> = {}, migrating = new Map<number, string>(), importing = new Map<number, string>()): RoutingView {
  return {
    myId,
    myPrimaryId: undefined,
    stateOk: true,
    allowReadsWhenDown: false,
    slotOwnerId: (slot) => (slot <= 5460 ? "A" : slot <= 10922 ? "B" : "C"),
    migratingTo: (slot) => migrating.get(slot),
    importingFrom: (slot) => importing.get(slot),
    ...overrides,
  };
}

function query(keys: string[], overrides: Partial<RouteQuery> = {}): RouteQuery {
  return { keys, isWrite: false, commandAsking: false, clientAsking: false, clientReadOnly: false, isPubSub: false, keyExists: () => true, ...overrides };
}

// Slots: "a" = 15495 (C), "somekey" = 11058 (C), "{x}nokey" = 16287 (C); find keys on A and B.
const keyOnA = "foo{hash_tag}"; // 2515
const keyOnC = "a";

describe("cluster routing (getNodeByQuery)", () => {
  it("serves keyless commands locally, even when the cluster is down", () => {
    expect(route(view("A", { stateOk: false }), query([]))).toEqual({ kind: "serve" });
  });

  it("serves keys of its own slots and redirects others with MOVED", () => {
    expect(route(view("A"), query([keyOnA]))).toEqual({ kind: "serve" });
    expect(route(view("A"), query([keyOnC]))).toEqual({ kind: "moved", slot: 15495, nodeId: "C" });
  });

  it("refuses keys of different slots with CROSSSLOT, and allows repeated or tagged keys", () => {
    expect(route(view("A"), query(["a", "b"]))).toEqual({ kind: "error", message: RoutingErrors.crossSlot });
    expect(route(view("A"), query([keyOnA, "bar{hash_tag}", keyOnA]))).toEqual({ kind: "serve" });
  });

  it("answers CLUSTERDOWN for unassigned slots", () => {
    expect(route(view("A", { slotOwnerId: () => undefined }), query(["k"]))).toEqual({ kind: "error", message: RoutingErrors.unbound });
  });

  it("refuses everything while down, or only writes with cluster-allow-reads-when-down", () => {
    expect(route(view("A", { stateOk: false }), query([keyOnA]))).toEqual({ kind: "error", message: RoutingErrors.down });
    const readsAllowed = view("A", { stateOk: false, allowReadsWhenDown: true });
    expect(route(readsAllowed, query([keyOnA]))).toEqual({ kind: "serve" });
    expect(route(readsAllowed, query([keyOnA], { isWrite: true }))).toEqual({ kind: "error", message: RoutingErrors.downReadOnly });
  });

  it("lets a replica serve reads of its primary's slots only on READONLY connections", () => {
    const replicaOfC = view("R", { myPrimaryId: "C" });
    expect(route(replicaOfC, query([keyOnC]))).toEqual({ kind: "moved", slot: 15495, nodeId: "C" });
    expect(route(replicaOfC, query([keyOnC], { clientReadOnly: true }))).toEqual({ kind: "serve" });
    expect(route(replicaOfC, query([keyOnC], { clientReadOnly: true, isWrite: true }))).toEqual({ kind: "moved", slot: 15495, nodeId: "C" });
    expect(route(replicaOfC, query([keyOnA], { clientReadOnly: true }))).toEqual({ kind: "moved", slot: 2515, nodeId: "A" });
  });

  it("while migrating: serves present keys, ASKs for missing ones, TRYAGAIN for a mix", () => {
    const slot = keyHashSlot(keyOnA);
    const migrating = view("A", {}, new Map([[slot, "B"]]));
    expect(route(migrating, query([keyOnA]))).toEqual({ kind: "serve" });
    expect(route(migrating, query([keyOnA], { keyExists: () => false }))).toEqual({ kind: "ask", slot, nodeId: "B" });
    const mixed = query([keyOnA, "bar{hash_tag}"], { keyExists: (k) => k === keyOnA });
    expect(route(migrating, mixed)).toEqual({ kind: "error", message: RoutingErrors.tryAgain });
  });

  it("while importing: serves only after ASKING, with TRYAGAIN for multi-key requests missing keys", () => {
    const slot = keyHashSlot(keyOnA);
    const importing = view("B", {}, new Map(), new Map([[slot, "A"]]));
    expect(route(importing, query([keyOnA]))).toEqual({ kind: "moved", slot, nodeId: "A" });
    expect(route(importing, query([keyOnA], { clientAsking: true, keyExists: () => false }))).toEqual({ kind: "serve" });
    const multi = query([keyOnA, "bar{hash_tag}"], { clientAsking: true, keyExists: (k) => k === keyOnA });
    expect(route(importing, multi)).toEqual({ kind: "error", message: RoutingErrors.tryAgain });
  });
});
