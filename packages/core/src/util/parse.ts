import { CommandError, Errors } from "../errors.js";

const INTEGER = /^(?:0|-?[1-9][0-9]*)$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * Parses a signed 64-bit integer as Redis's string2ll does: no sign other than
 * '-', no leading zeros, no spaces. Returns undefined when it is not one, or
 * when it does not fit a safe JavaScript integer (see parseInt64).
 */
export function parseInteger(text: string): number | undefined {
  if (text.length === 0 || text.length > 20 || !INTEGER.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Like parseInteger, but the full signed 64-bit range, as a bigint. */
export function parseInt64(text: string): bigint | undefined {
  if (text.length === 0 || text.length > 20 || !INTEGER.test(text)) return undefined;
  const value = BigInt(text);
  return value > INT64_MAX || value < INT64_MIN ? undefined : value;
}

/** parseInteger, or the given error (Redis's "not an integer" by default). */
export function requireInteger(text: string, error: string = Errors.notInteger): number {
  const value = parseInteger(text);
  if (value === undefined) throw new CommandError(error);
  return value;
}

/** parseInt64 or Redis's "not an integer" error. */
export function requireInt64(text: string): bigint {
  const value = parseInt64(text);
  if (value === undefined) throw new CommandError(Errors.notInteger);
  return value;
}

const FLOAT = /^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity)$/i;

/**
 * Parses a double as Redis's string2d does (strtod over the whole string):
 * decimal and exponent forms, `inf`/`-inf`; no spaces, no NaN. Returns
 * undefined when it is not one.
 */
export function parseDouble(text: string): number | undefined {
  if (text.length === 0 || !FLOAT.test(text)) return undefined;
  const lower = text.toLowerCase();
  if (lower.endsWith("inf") || lower.endsWith("infinity")) return lower.startsWith("-") ? -Infinity : Infinity;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

export function requireDouble(text: string, error: string = Errors.notFloat): number {
  const value = parseDouble(text);
  if (value === undefined) throw new CommandError(error);
  return value;
}

export { INT64_MAX, INT64_MIN };
