/** How late the schedule may run before the slots it missed are dropped. */
export const SCHEDULE_LAG_MAX_MS = 1000;

/**
 * An open-loop schedule: operation k of the run is due at
 * `startMs + k * 1000 / ratePerSecond`, whether or not earlier ones have
 * completed, as independent application requests arrive. The workload
 * takes slots as its in-flight limit allows.
 *
 * When the oldest slot not taken is more than SCHEDULE_LAG_MAX_MS late (an
 * outage: operations hang until they time out, the in-flight limit holds
 * every client, nothing is issued), the missed slots are dropped and the
 * schedule goes on from now. Issuing them later in one catch-up burst would
 * measure our own burst rather than the cluster: a recovering shard would
 * see a load spike no real application sends, and latency figures after
 * the outage would be the burst's. Shorter lags (a slow tick, a GC pause)
 * are caught up, so the rate holds over a second.
 */
export class OpenLoopSchedule {
  private nextSlot = 0;
  private skippedCount = 0;
  private readonly intervalMs: number;

  constructor(
    readonly startMs: number,
    readonly ratePerSecond: number,
    readonly lagMaxMs: number = SCHEDULE_LAG_MAX_MS,
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`the workload's rate must be positive (ratePerSecond ${ratePerSecond})`);
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Slots dropped so far because the schedule had fallen too far behind. */
  get skipped(): number {
    return this.skippedCount;
  }

  /** Slots taken so far. */
  get taken(): number {
    return this.nextSlot;
  }

  /** When slot `slot` is due. */
  dueAtMs(slot: number): number {
    return this.startMs + slot * this.intervalMs;
  }

  /** When the next slot not taken is due (it may be in the past). */
  nextDueMs(): number {
    return this.dueAtMs(this.nextSlot);
  }

  /**
   * Slots due by `nowMs` and not taken yet. First drops the missed slots
   * when the oldest of them is more than lagMaxMs late, keeping only the
   * one due most recently.
   */
  due(nowMs: number): number {
    const lastDue = Math.floor((nowMs - this.startMs) / this.intervalMs);
    if (lastDue < this.nextSlot) return 0;
    if (nowMs - this.dueAtMs(this.nextSlot) > this.lagMaxMs) {
      this.skippedCount += lastDue - this.nextSlot;
      this.nextSlot = lastDue;
    }
    return lastDue + 1 - this.nextSlot;
  }

  /** Takes the oldest due slot: its operation is being issued. */
  take(): void {
    this.nextSlot++;
  }
}
