import type { FaultEntry, Operation } from "../model/history.js";
import type { Observations } from "../model/observations.js";
import type { CheckResults } from "../model/report.js";
import { availability } from "./availability.js";
import { convergence } from "./convergence.js";
import { errors } from "./errors.js";
import { failovers } from "./failovers.js";
import { lostWrites } from "./lost-writes.js";
import { reads } from "./reads.js";
import { splitBrain } from "./split-brain.js";

export { availability, shardAvailability, type AvailabilityInputs } from "./availability.js";
export { convergence } from "./convergence.js";
export { errors } from "./errors.js";
export { causeOf, failovers, lagRank, parseTakeover, promotions, type FailoverInputs } from "./failovers.js";
export { judge } from "./judge.js";
export { LOST_EXAMPLES_MAX, lostWrites, type LostWritesOptions } from "./lost-writes.js";
export { BAD_READ_EXAMPLES_MAX, reads } from "./reads.js";
export { conflict, splitBrain } from "./split-brain.js";

/** What the runner knows that the history and observations do not carry. */
export interface CheckOptions {
  /** Replicas the scenario's WAIT asks for (`workload.wait.replicas`); undefined when it asks none. */
  waitReplicasAsked?: number;
  /** Error replies the nodes sent during the run, by error code (INFO errorstats deltas); the runner reads them. */
  wireErrors?: Record<string, number>;
}

/**
 * Every checker over one run: pure, no I/O. `operations` are the history's
 * paired operations (`pairOperations`), `faults` its fault entries.
 */
export function runChecks(operations: readonly Operation[], faults: readonly FaultEntry[], observations: Observations, options: CheckOptions = {}): CheckResults {
  return {
    availability: availability(operations, observations),
    errors: errors(operations, options.wireErrors ?? {}),
    lostWrites: lostWrites(operations, observations.final, { waitReplicasAsked: options.waitReplicasAsked }),
    reads: reads(operations, observations.workloadStartMs),
    splitBrain: splitBrain(observations.writeTerms),
    failovers: failovers(faults, observations),
    convergence: convergence(observations.final),
    startMs: observations.workloadStartMs,
  };
}
