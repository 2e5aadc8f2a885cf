/**
 * Time as the workload reads it. Every history entry carries wall-clock ms
 * with a fraction since the epoch, the clock the nodes' own records use, so
 * the two line up. `performance.timeOrigin` is read once: adding the
 * monotonic `performance.now()` to it keeps the clock from stepping when
 * the system clock is adjusted during a run.
 */
const TIME_ORIGIN_MS = performance.timeOrigin;

export function wallClockMs(): number {
  return TIME_ORIGIN_MS + performance.now();
}

/** Timers the workload arms; injected so a test can drive them from a fake clock. */
export interface Timers {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  set: (callback, delayMs) => setTimeout(callback, delayMs),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
