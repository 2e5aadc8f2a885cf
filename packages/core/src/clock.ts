/**
 * The core's only view of time. The process runtime backs it with the wall
 * clock; the simulator with a virtual one. Milliseconds since the Unix epoch,
 * with a fractional part (microseconds) where the runtime has one.
 */
export interface Clock {
  nowMs(): number;
}

/** A clock that only moves when told to: for tests and the simulator. */
export class ManualClock implements Clock {
  constructor(private currentMs = 1_700_000_000_000) {}
  nowMs(): number {
    return this.currentMs;
  }
  advance(ms: number): void {
    this.currentMs += ms;
  }
  set(ms: number): void {
    this.currentMs = ms;
  }
}
