import type { Random } from "../random.js";

/**
 * Redis's approximated LFU (evict.c): each key has an 8-bit logarithmic
 * access counter and the time, in minutes modulo 2**16, it was last
 * accessed. An access first decays the counter by one per `lfu-decay-time`
 * minutes elapsed, then increments it with probability 1 / ((counter -
 * LFU_INIT_VAL) * lfu-log-factor + 1), so a counter of 255 stands for about
 * a million hits at the default factor of 10.
 */

/** A new key starts here so it is not evicted before it had a chance to be used. */
export const LFU_INIT_VAL = 5;
export const LFU_COUNTER_MAX = 255;
/** The access time wraps like Redis's 16-bit minute clock. */
const MINUTES_MODULO = 65536;

/** Redis's LFUGetTimeInMinutes. */
export function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60_000) % MINUTES_MODULO;
}

/** Minutes since `lastMinutes`, across one wrap of the 16-bit clock (LFUTimeElapsed). */
export function lfuElapsedMinutes(lastMinutes: number, nowMs: number): number {
  const now = lfuMinutes(nowMs);
  return now >= lastMinutes ? now - lastMinutes : MINUTES_MODULO - lastMinutes + now;
}

/** The counter with decay applied for the time since `lastMinutes` (LFUDecrAndReturn). */
export function lfuDecayed(counter: number, lastMinutes: number, nowMs: number, decayMinutes: number): number {
  if (decayMinutes === 0) return counter;
  const periods = Math.floor(lfuElapsedMinutes(lastMinutes, nowMs) / decayMinutes);
  return periods > counter ? 0 : counter - periods;
}

/** One logarithmic increment (LFULogIncr); `random` decides, so runs replay from their seed. */
export function lfuIncrement(counter: number, logFactor: number, random: Random): number {
  if (counter >= LFU_COUNTER_MAX) return LFU_COUNTER_MAX;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  const probability = 1 / (base * logFactor + 1);
  return random.float() < probability ? counter + 1 : counter;
}

/** The LFU settings an access needs, read from `lfu-log-factor` and `lfu-decay-time`. */
export interface LfuSettings {
  logFactor: number;
  decayMinutes: number;
}

/** The counter after one access at `nowMs` (Redis's updateLFU): decay, then increment. */
export function lfuAccess(counter: number, lastMinutes: number, nowMs: number, settings: LfuSettings, random: Random): number {
  return lfuIncrement(lfuDecayed(counter, lastMinutes, nowMs, settings.decayMinutes), settings.logFactor, random);
}
