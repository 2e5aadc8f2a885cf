/** How the checkers write times and lists for people; pure. */

/** A time as seconds from the workload's start, the way the report shows it: "+6.2 s". */
export function sinceStart(timeMs: number, startMs: number | undefined): string {
  if (startMs === undefined) return new Date(timeMs).toISOString();
  const seconds = (timeMs - startMs) / 1000;
  return `${seconds < 0 ? "-" : "+"}${Math.abs(seconds).toFixed(1)} s`;
}

/** Whole milliseconds: "1312 ms". */
export function ms(durationMs: number): string {
  return `${Math.round(durationMs)} ms`;
}

/** "1 failover", "3 failovers". */
export function plural(count: number, noun: string, nounPlural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nounPlural}`;
}

/** A value as a report shows it: null as "null", strings bare. */
export function shown(value: string | number | null | undefined): string {
  if (value === undefined) return "unread";
  return value === null ? "null" : String(value);
}

/** The first `shownMax` items joined, with "and N more" for the rest. */
export function listed(items: readonly string[], shownMax: number): string {
  const head = items.slice(0, shownMax).join("; ");
  const rest = items.length - shownMax;
  return rest > 0 ? `${head}; and ${rest} more` : head;
}
