/** The live line fits a 120-column terminal; the fault's text is cut to make it fit. */
export const PROGRESS_COLUMNS_MAX = 120;

export interface ProgressState {
  elapsedMs: number;
  durationMs: number;
  opsPerSecond: number;
  errors: number;
  unknown: number;
  /** The fault in effect, in words; undefined when none is. */
  fault: string | undefined;
}

/** `[ 12.0s / 30.0s]  1987 ops/s  errors 3  unknown 0  fault: kill default-0001-001 (primary of shard 1)`, at most 120 columns. */
export function progressLine(state: ProgressState): string {
  const total = seconds(state.durationMs);
  const elapsed = seconds(state.elapsedMs).padStart(total.length);
  const figures = `[ ${elapsed} / ${total}] ${String(Math.round(state.opsPerSecond)).padStart(5)} ops/s  errors ${Math.round(state.errors)}  unknown ${Math.round(state.unknown)}`;
  const line = state.fault === undefined ? figures : `${figures}  fault: ${oneLine(state.fault)}`;
  return line.length <= PROGRESS_COLUMNS_MAX ? line : `${line.slice(0, PROGRESS_COLUMNS_MAX - 1)}…`;
}

function seconds(durationMs: number): string {
  return `${(Math.max(0, durationMs) / 1000).toFixed(1)}s`;
}

/** A fault text with a line break or a tab would break the line that is redrawn in place. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
