import type { Random } from "@shardline/core";
import type { ChaosSpec, FaultSpec, Scenario, TargetSpec } from "../model/scenario.js";
import type { PlannedStep } from "./faults.js";

/**
 * Every fault of a run, in time order: the timeline's steps, then the chaos
 * schedule drawn from the seed. The same scenario and seed give the same
 * plan: the same faults at the same times against the same target
 * descriptions (which node `any-primary` is depends on the cluster then,
 * and is drawn from the same seeded stream).
 */
export function planSteps(scenario: Scenario, random: Random): PlannedStep[] {
  const steps: PlannedStep[] = [];
  let previousWithTarget: string | undefined;
  scenario.timeline.forEach((step, index) => {
    const label = `timeline[${index}]`;
    steps.push({ label, atMs: step.atMs, fault: step.fault, sameAs: previousWithTarget, resumeAfterMs: undefined });
    if (targetOf(step.fault) !== undefined) previousWithTarget = label;
  });
  if (scenario.chaos !== undefined) steps.push(...chaosSteps(scenario.chaos, scenario.topology.availabilityZones, scenario.topology.shards, random));
  steps.sort((a, b) => a.atMs - b.atMs);
  for (const step of steps) if (step.fault.do === "pause") step.resumeAfterMs = resumeDelayMs(step, steps, scenario.durationMs);
  return steps;
}

/**
 * The chaos schedule: from `startMs`, every other interval a fault drawn
 * from the list hits a target drawn from the list, and one interval later it
 * is undone (a killed or stopped node restarted, a paused one resumed,
 * links healed), so at most one chaos fault is in force at a time.
 */
export function chaosSteps(chaos: ChaosSpec, zones: readonly string[], shards: number, random: Random): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const endMs = chaos.startMs + chaos.durationMs;
  for (let atMs = chaos.startMs, index = 0; atMs + chaos.intervalMs <= endMs; atMs += 2 * chaos.intervalMs, index += 2) {
    const kind = chaos.faults[random.int(chaos.faults.length)]!;
    const target = chaos.targets[random.int(chaos.targets.length)]!;
    const zone = zones[random.int(zones.length)]!;
    const fault = chaosFault(kind, target, zone, chaos, 1 + random.int(shards));
    const label = `chaos[${index}]`;
    steps.push({ label, atMs, fault, sameAs: undefined, resumeAfterMs: undefined });
    const undo = undoOf(fault, zone);
    if (undo !== undefined) steps.push({ label: `chaos[${index + 1}]`, atMs: atMs + chaos.intervalMs, fault: undo, sameAs: label, resumeAfterMs: undefined });
  }
  return steps;
}

function chaosFault(kind: ChaosSpec["faults"][number], target: TargetSpec, zone: string, chaos: ChaosSpec, shard: number): FaultSpec {
  const scope = { target, peers: undefined, channels: ["bus", "replication", "client"] as const, direction: "both" as const };
  switch (kind) {
    case "kill":
    case "stop":
    case "pause":
      return { do: kind, target };
    case "partition":
    case "blackhole":
      return { do: kind, ...scope, channels: [...scope.channels] };
    case "latency":
      return { do: "latency", ...scope, channels: [...scope.channels], delayMs: chaos.delayMs, jitterMs: chaos.jitterMs };
    case "loss":
      return { do: "loss", ...scope, channels: [...scope.channels], probability: chaos.probability };
    case "az-isolation":
      return { do: "az-isolation", zone, clients: false };
    case "az-power-loss":
      return { do: "az-power-loss", zone };
    case "failover":
      // A manual failover is asked of a replica: one of a shard drawn from the seed.
      return { do: "failover", target: { kind: "replica-of-shard", shard, pick: "any" }, mode: "default" };
  }
}

function undoOf(fault: FaultSpec, zone: string): FaultSpec | undefined {
  switch (fault.do) {
    case "kill":
    case "stop":
      return { do: "restart", target: { kind: "same" } };
    case "pause":
      return { do: "resume", target: { kind: "same" } };
    case "partition":
    case "blackhole":
    case "latency":
    case "loss":
      return { do: "heal", target: { kind: "same" } };
    case "az-isolation":
      return { do: "heal", target: { kind: "az", zone } };
    case "az-power-loss":
      return { do: "restart", target: { kind: "az", zone } };
    default:
      return undefined;
  }
}

function targetOf(fault: FaultSpec): TargetSpec | undefined {
  return "target" in fault ? fault.target : undefined;
}

/**
 * When a pause ends, from the pause: at the next resume of the same target
 * (`same` right after it, or the same target spelled again), else at the
 * end of the run, when the final heal resumes everything.
 */
function resumeDelayMs(pause: PlannedStep, steps: readonly PlannedStep[], durationMs: number): number {
  const target = targetOf(pause.fault);
  const resume = steps.find(
    (step) =>
      step.atMs >= pause.atMs &&
      step.fault.do === "resume" &&
      (step.sameAs === pause.label || JSON.stringify(step.fault.target) === JSON.stringify(target)),
  );
  return Math.max(0, (resume?.atMs ?? durationMs) - pause.atMs);
}
