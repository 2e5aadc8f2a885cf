import type { FinalState } from "../model/observations.js";
import type { ConvergenceResult } from "../model/report.js";

/**
 * Convergence after the final heal: converged when every node agreed on
 * slots and roles with equal digests (`convergedAtMs` is set), within
 * `convergedAtMs − healedAtMs`; the problems are those the runner saw at
 * the bound. No final state at all (the heal itself never finished) is not
 * converged, and says so.
 */
export function convergence(final: FinalState | undefined): ConvergenceResult {
  if (final === undefined) return { converged: false, withinMs: undefined, problems: ["the run recorded no final state: the final heal did not finish"] };
  const converged = final.convergedAtMs !== undefined;
  return {
    converged,
    withinMs: converged ? final.convergedAtMs! - final.healedAtMs : undefined,
    problems: [...final.problems],
  };
}
