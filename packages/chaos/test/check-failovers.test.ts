import { describe, expect, it } from "vitest";
import { failovers, parseTakeover } from "../src/check/index.js";
import type { FaultEntry } from "../src/model/history.js";
import type { ClusterEventRecord, NodeSample } from "../src/model/observations.js";
import { observations } from "./check-fixtures.js";

const P = "default-0001-001";
const R2 = "default-0001-002";
const R3 = "default-0001-003";

const fault = (timeMs: number, kind: string, targets: string[], extra: Partial<FaultEntry> = {}): FaultEntry => ({
  type: "fault",
  timeMs,
  step: "timeline[0]",
  do: kind,
  targets,
  description: `${kind} ${targets.join(", ")}`,
  ...extra,
});
const event = (atMs: number, type: string, node: string, detail: string): ClusterEventRecord => ({ atMs, type, node, detail, seenBy: [node] });
const promoted = (atMs: number, to = R2, from = P, epoch = 4) => event(atMs, "failover-completed", to, `took over from ${from} in epoch ${epoch}`);
const replica = (timeMs: number, node: string, replicationOffset: number, extra: Partial<NodeSample> = {}): NodeSample => ({ timeMs, node, reachable: true, role: "replica", primary: P, replicationOffset, ...extra });

describe("failovers", () => {
  it("ties a promotion to the fault on the old primary, and ranks the new primary by the offsets after the fault", () => {
    const samples = [replica(4800, R2, 500), replica(4800, R3, 900), replica(5200, R2, 1000), replica(5200, R3, 900)];
    const facts = failovers([fault(5000, "kill", [P], { description: "kill default-0001-001 (primary of shard 1)" })], observations({ samples, events: [promoted(6500)] }));
    expect(facts).toEqual([
      {
        shard: 1,
        from: P,
        to: R2,
        atMs: 6500,
        causedBy: "timeline[0]: kill default-0001-001 (primary of shard 1)",
        sinceFaultMs: 1500,
        lagRank: 0,
        offsets: { [R2]: 1000, [R3]: 900 },
        manual: false,
      },
    ]);
  });

  it("counts the siblings that were further ahead", () => {
    const samples = [replica(5200, R2, 800), replica(5200, R3, 900)];
    expect(failovers([fault(5000, "kill", [P])], observations({ samples, events: [promoted(6500)] }))[0]).toMatchObject({ lagRank: 1, offsets: { [R2]: 800, [R3]: 900 } });
  });

  it("falls back to the last samples before the fault, and never uses samples after the promotion", () => {
    const samples = [replica(4000, R2, 700), replica(4000, R3, 600), replica(7000, R3, 5000), replica(7000, R2, 100, { role: "primary", primary: undefined })];
    expect(failovers([fault(5000, "kill", [P])], observations({ samples, events: [promoted(6500)] }))[0]).toMatchObject({ lagRank: 0, offsets: { [R2]: 700, [R3]: 600 } });
  });

  it("leaves out a sibling that was down at the promotion, and nodes replicating another primary", () => {
    const samples = [replica(5200, R2, 800), replica(5200, R3, 900), { timeMs: 6000, node: R3, reachable: false }, replica(5200, "default-0002-002", 99_999, { primary: "default-0002-001" })];
    expect(failovers([fault(5000, "kill", [P, R3])], observations({ samples, events: [promoted(6500)] }))[0]).toMatchObject({ lagRank: 0, offsets: { [R2]: 800 } });
  });

  it("is unknown, and says why, without samples or without the new primary's offset", () => {
    const none = failovers([], observations({ events: [promoted(6500)] }))[0]!;
    expect([none.lagRank, none.lagRankUnknownReason, none.offsets]).toEqual([undefined, "the run took no samples of the nodes", {}]);
    const noOwn = failovers([], observations({ samples: [replica(5200, R3, 900)], events: [promoted(6500)] }))[0]!;
    expect(noOwn.lagRank).toBeUndefined();
    expect(noOwn.lagRankUnknownReason).toMatch(/no replication offset of default-0001-002/);
  });

  it("takes a whole-zone fault whose targets include the old primary as the cause", () => {
    const facts = failovers([fault(5000, "az-power-loss", [P, "default-0002-003"])], observations({ events: [promoted(6200)] }));
    expect(facts[0]).toMatchObject({ sinceFaultMs: 1200, manual: false });
  });

  it("never blames a heal, a restart, a resume, an unsupported or failed fault, a fault after the promotion, or one on another node", () => {
    const faults = [
      fault(1000, "kill", ["default-0002-001"]),
      fault(2000, "heal", [P]),
      fault(3000, "restart", [P]),
      fault(3500, "resume", [P]),
      fault(4000, "pause", [P], { unsupported: "cannot pause an attached node" }),
      fault(4500, "kill", [P], { error: "no such process" }),
      fault(7000, "kill", [P]),
    ];
    expect(failovers(faults, observations({ events: [promoted(6500)] }))[0]).toMatchObject({ causedBy: undefined, sinceFaultMs: undefined });
  });

  it("takes the latest of several faults on the old primary", () => {
    const faults = [fault(1000, "latency", [P], { step: "timeline[0]" }), fault(5000, "pause", [P], { step: "timeline[1]" })];
    expect(failovers(faults, observations({ events: [promoted(6500)] }))[0]!.causedBy).toMatch(/^timeline\[1\]/);
  });

  it("marks a promotion manual when its election said so, or when a failover fault caused it", () => {
    const election = event(6000, "election-started", R2, "epoch 4, rank 0, manual");
    expect(failovers([], observations({ events: [election, promoted(6500)] }))[0]!.manual).toBe(true);
    const automatic = event(6000, "election-started", R2, "epoch 4, rank 0");
    expect(failovers([], observations({ events: [automatic, promoted(6500)] }))[0]!.manual).toBe(false);
    const viaFault = failovers([fault(6000, "failover", [R2])], observations({ events: [promoted(6500)] }))[0]!;
    expect([viaFault.manual, viaFault.sinceFaultMs]).toEqual([true, 500]);
    expect(failovers([fault(6000, "test-failover", [P, R2])], observations({ events: [promoted(6500)] }))[0]!.manual).toBe(true);
  });

  it("counts a promotion reported again by a node that learnt of it late once", () => {
    const events = [promoted(6500), promoted(12_000), promoted(20_000, R3, R2, 5)];
    expect(failovers([], observations({ events })).map((f) => [f.from, f.to, f.atMs])).toEqual([
      [P, R2, 6500],
      [R2, R3, 20_000],
    ]);
  });

  it("finds the old primary in the samples when the event could not name it", () => {
    const samples: NodeSample[] = [{ timeMs: 4000, node: P, reachable: true, role: "primary", slots: [[0, 5460]] }];
    const facts = failovers([], observations({ samples, events: [event(6500, "failover-completed", R2, "took over from 3f9a01bc in epoch 4")] }));
    expect(facts[0]).toMatchObject({ shard: 1, from: P });
  });
});

describe("parseTakeover", () => {
  it("reads the old primary and the epoch, and tolerates details without them", () => {
    expect(parseTakeover("took over from default-0001-001 in epoch 7")).toEqual({ from: "default-0001-001", epoch: 7 });
    expect(parseTakeover("Took over from default-0001-001.")).toEqual({ from: "default-0001-001", epoch: undefined });
    expect(parseTakeover("promoted")).toEqual({ from: undefined, epoch: undefined });
  });
});
