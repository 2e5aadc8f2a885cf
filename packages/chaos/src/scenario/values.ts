import { badValue, describeValue, FieldError, notValue, type Path } from "./errors.js";

/**
 * Leaf readers of scenario values. Each takes a value and its path, returns
 * the value in the runner's terms (durations in ms, rates per second) or
 * throws a FieldError saying what is allowed. They are pure.
 */

/** A value of a parsed file and where it sits. */
export interface Field {
  value: unknown;
  path: Path;
}

/** The value under `key` of a mapping field. */
export function child(field: Field, key: string | number, value: unknown): Field {
  return { value, path: [...field.path, key] };
}

/** Multipliers of the duration units a file may use. */
const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(-?)(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Zµ]*)$/;
const DURATION_EXAMPLE = "a duration like 500ms, 5s, 1.5s or 2m (a bare number is milliseconds)";

/** Bounds of a duration, in ms, inclusive. */
export interface DurationBounds {
  minMs?: number;
  maxMs?: number;
}

/**
 * "250ms", "5s", "1.5s", "2m", "1h", or a bare number of milliseconds, as
 * whole milliseconds. Negatives, NaN, fractions of a millisecond and units
 * it does not know are refused, naming the units that exist.
 */
export function readDuration(field: Field, bounds: DurationBounds = {}): number {
  const ms = durationMsOf(field);
  const { minMs = 0, maxMs = Number.MAX_SAFE_INTEGER } = bounds;
  if (ms < minMs) throw new FieldError(field.path, `${describeValue(field.value)}: must be at least ${formatDurationMs(minMs)}`);
  if (ms > maxMs) throw new FieldError(field.path, `${describeValue(field.value)}: must be at most ${formatDurationMs(maxMs)}`);
  return ms;
}

function durationMsOf(field: Field): number {
  const { value, path } = field;
  if (typeof value === "number") return wholeMs(value, value, path);
  if (typeof value !== "string") throw new FieldError(path, `must be ${DURATION_EXAMPLE}, ${notValue(value)}`);
  const match = DURATION.exec(value.trim());
  if (match === null) throw new FieldError(path, `${describeValue(value)}: must be ${DURATION_EXAMPLE}`);
  const [, sign, amount, unit] = match as unknown as [string, string, string, string];
  const multiplier = unit === "" ? 1 : DURATION_UNITS_MS[unit];
  if (multiplier === undefined) {
    throw new FieldError(path, `${describeValue(value)}: unknown unit '${unit}'; durations take ${Object.keys(DURATION_UNITS_MS).join(", ")}, e.g. 500ms, 5s, 2m`);
  }
  const magnitude = Number(amount) * multiplier;
  return wholeMs(sign === "-" ? -magnitude : magnitude, value, path);
}

function wholeMs(ms: number, value: unknown, path: Path): number {
  if (!Number.isFinite(ms)) throw new FieldError(path, `${describeValue(value)}: must be ${DURATION_EXAMPLE}`);
  if (ms < 0) throw new FieldError(path, `${describeValue(value)}: must not be negative`);
  // 1.5s is 1500 ms exactly; only sub-millisecond amounts are refused, after floating-point noise is rounded away.
  const rounded = Math.round(ms);
  if (Math.abs(ms - rounded) > 1e-6) throw new FieldError(path, `${describeValue(value)}: durations are counted in whole milliseconds`);
  return rounded;
}

/** Parses a duration for code outside the loader; `field` names it in the error. */
export function parseDuration(text: string | number, field: string, bounds: DurationBounds = {}): number {
  return readDuration({ value: text, path: [field] }, bounds);
}

/** 1500 -> "1.5s", 200 -> "200ms", 120000 -> "2m": the way a file would write it. */
export function formatDurationMs(ms: number): string {
  if (ms >= 3_600_000 && ms % 60_000 === 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const RATE = /^(\d+(?:\.\d+)?)\s*(?:\/\s*s)?$/;

/** Operations per second: 2000, "2000" or "2000/s"; above 0 and at most `max`. */
export function readRate(field: Field, max: number): number {
  const { value, path } = field;
  const perSecond = typeof value === "number" ? value : typeof value === "string" && RATE.test(value.trim()) ? Number(RATE.exec(value.trim())![1]) : NaN;
  if (!Number.isFinite(perSecond)) throw new FieldError(path, badValue(value, `give operations per second, e.g. 2000/s`));
  if (perSecond <= 0 || perSecond > max) throw new FieldError(path, `${describeValue(value)}: must be more than 0 and at most ${max}/s`);
  return perSecond;
}

/** Parses a rate for code outside the loader (`--rate 500/s`). */
export function parseRate(text: string | number, field: string, max = Number.MAX_SAFE_INTEGER): number {
  return readRate({ value: text, path: [field] }, max);
}

export function readInteger(field: Field, min: number, max: number): number {
  const { value, path } = field;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new FieldError(path, badValue(value, `must be a whole number from ${min} to ${max}`));
  }
  return value;
}

/** A number in [min, max], or in (min, max] when `minExclusive`. */
export function readNumber(field: Field, min: number, max: number, minExclusive = false): number {
  const { value, path } = field;
  const low = minExclusive ? `more than ${min}` : `at least ${min}`;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new FieldError(path, badValue(value, `must be a number ${low} and at most ${max}`));
  if (value < min || (minExclusive && value === min) || value > max) throw new FieldError(path, `${describeValue(value)}: must be ${low} and at most ${max}`);
  return value;
}

export function readString(field: Field, example: string): string {
  if (typeof field.value !== "string" || field.value.trim() === "") throw new FieldError(field.path, `must be text, e.g. ${example}, ${notValue(field.value)}`);
  return field.value;
}

export function readBoolean(field: Field): boolean {
  if (typeof field.value !== "boolean") throw new FieldError(field.path, `must be true or false, ${notValue(field.value)}`);
  return field.value;
}

/** One of `choices`, suggesting the closest when the value is near one. */
export function readChoice<C extends string>(field: Field, choices: readonly C[]): C {
  const { value, path } = field;
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as C;
  const near = typeof value === "string" ? closestName(value, choices) : undefined;
  throw new FieldError(path, badValue(value, `must be one of ${choices.join(", ")}${near === undefined ? "" : ` (did you mean ${near}?)`}`));
}

/** The items of a list field, each with its path; `maxItems` bounds what a file may list. */
export function readList(field: Field, example: string, maxItems: number): Field[] {
  const { value, path } = field;
  if (!Array.isArray(value)) throw new FieldError(path, `must be a list, e.g. ${example}, ${notValue(value)}`);
  if (value.length > maxItems) throw new FieldError(path, `${value.length} items: at most ${maxItems}`);
  return value.map((item, index) => ({ value: item, path: [...path, index] }));
}

/**
 * The fields of a mapping, each with its path. Unknown fields are refused,
 * naming the allowed ones and the closest to the typo, because a misspelt
 * field that passed silently would make a scenario check nothing.
 */
export function readMapping<K extends string>(field: Field, allowed: readonly K[], example: string): Partial<Record<K, Field>> {
  const { value, path } = field;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FieldError(path, `must be a mapping of fields, e.g. ${example}, ${notValue(value)}`);
  }
  const fields: Partial<Record<K, Field>> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!(allowed as readonly string[]).includes(key)) throw new FieldError([...path, key], unknownFieldDetail(key, allowed), "key");
    fields[key as K] = { value: item, path: [...path, key] };
  }
  return fields;
}

/** "unknown field (did you mean maxUnavailableMs?); allowed: ..." */
export function unknownFieldDetail(key: string, allowed: readonly string[]): string {
  const near = closestName(key, allowed);
  return `unknown field${near === undefined ? "" : ` (did you mean ${near}?)`}; allowed: ${allowed.join(", ")}`;
}

/**
 * The allowed name nearest to `word` by edit distance, ignoring case, when
 * it is near enough to be a typo (at most a third of the word's length, and
 * at least 2 edits allowed); else the one name that starts with the word;
 * otherwise undefined.
 */
export function closestName(word: string, names: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  if (bestDistance <= limit) return best;
  // A field written short ("replicas" for replicasPerShard) is far by edit distance but plainly meant.
  const lower = word.toLowerCase();
  const prefixed = word.length >= 3 ? names.filter((name) => name.toLowerCase().startsWith(lower)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Levenshtein distance, in O(a * b) time with one row; names are short, and words over 100 characters are not typos of them. */
function editDistance(a: string, b: string): number {
  if (a.length > 100 || b.length > 100) return Infinity;
  let row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    row = next;
  }
  return row[b.length]!;
}
