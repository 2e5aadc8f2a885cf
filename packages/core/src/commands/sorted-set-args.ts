import { CommandError, Errors } from "../errors.js";
import type { LexBound, LexRange, ScoreRange } from "../keyspace/types/zset.js";
import { parseInt64 } from "../util/parse.js";

/**
 * Argument parsing for the sorted-set commands, with Redis 7.0's exact
 * acceptance rules. Redis reads numbers with three different C functions
 * here, and clients can tell them apart:
 *
 *  - scores, increments and weights go through getDoubleFromObject: strtod
 *    over the whole argument, no leading space, no NaN, and no ERANGE (so
 *    `1e400` and `1e-400` are refused, `inf` and `0x1p3` accepted);
 *  - range bounds (ZRANGEBYSCORE, ZCOUNT...) go through zslParseRange: a
 *    bare strtod that allows leading spaces, an empty string (0) and
 *    out-of-range values (`1e400` is inf), refusing only NaN and leftovers;
 *  - indexes, offsets and counts go through string2ll.
 */

const SPACES = " \t\n\v\f\r";
const INFINITY_PREFIX = /^(?:infinity|inf)/i;
const NAN_PREFIX = /^nan(?:\([0-9A-Za-z_]*\))?/i;
const HEX_PREFIX = /^0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?[0-9]+))?/;
const DECIMAL_PREFIX = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;

/** What C's strtod makes of a string from `start`: the value, where it stopped, and ERANGE. */
interface Strtod {
  value: number;
  /** Index just past the number; `start` when nothing was converted. */
  end: number;
  /** errno == ERANGE with a result of ±HUGE_VAL or 0 (overflow, or underflow to zero). */
  outOfRange: boolean;
}

function strtod(text: string, start: number): Strtod {
  let i = start;
  while (i < text.length && SPACES.includes(text[i]!)) i++;
  let negative = false;
  if (text[i] === "+" || text[i] === "-") {
    negative = text[i] === "-";
    i++;
  }
  const rest = text.slice(i);
  const sign = negative ? -1 : 1;
  let match = INFINITY_PREFIX.exec(rest);
  if (match !== null) return { value: sign * Infinity, end: i + match[0].length, outOfRange: false };
  match = NAN_PREFIX.exec(rest);
  if (match !== null) return { value: NaN, end: i + match[0].length, outOfRange: false };
  match = HEX_PREFIX.exec(rest);
  if (match !== null) return hexadecimal(match, sign, i);
  match = DECIMAL_PREFIX.exec(rest);
  if (match === null) return { value: 0, end: start, outOfRange: false };
  const magnitude = Number(match[0]);
  const value = sign * magnitude;
  const underflow = magnitude === 0 && /[1-9]/.test(match[0].replace(/[eE].*$/, ""));
  return { value, end: i + match[0].length, outOfRange: magnitude === Infinity || underflow };
}

/** A C99 hexadecimal float (`0x1.8p3`): mantissa digits scaled by a power of two. */
function hexadecimal(match: RegExpExecArray, sign: number, at: number): Strtod {
  const [text, whole, fraction = "", onlyFraction, exponentText = "0"] = match;
  const digits = onlyFraction !== undefined ? onlyFraction : whole! + fraction;
  const fractionLength = onlyFraction !== undefined ? onlyFraction.length : fraction.length;
  const mantissa = Number(BigInt("0x" + digits));
  let exponent = Math.max(-1e5, Math.min(1e5, Number(exponentText))) - 4 * fractionLength;
  let value = mantissa;
  // Scale in steps so no intermediate power of two overflows or underflows on its own.
  while (exponent > 0 && value !== 0 && value !== Infinity) {
    const step = Math.min(exponent, 1000);
    value *= 2 ** step;
    exponent -= step;
  }
  while (exponent < 0 && value !== 0) {
    const step = Math.max(exponent, -1000);
    value *= 2 ** step;
    exponent -= step;
  }
  const outOfRange = value === Infinity || (value === 0 && mantissa !== 0);
  return { value: sign * value, end: at + text!.length, outOfRange };
}

/**
 * A score, increment or weight as getDoubleFromObject reads it; undefined
 * when Redis would refuse it.
 */
export function parseScore(text: string): number | undefined {
  if (text.length === 0 || SPACES.includes(text[0]!)) return undefined;
  const parsed = strtod(text, 0);
  if (parsed.end !== text.length || parsed.outOfRange || Number.isNaN(parsed.value)) return undefined;
  return parsed.value;
}

export function requireScore(text: string, error: string = Errors.notFloat): number {
  const score = parseScore(text);
  if (score === undefined) throw new CommandError(error);
  return score;
}

/**
 * One end of a score range: `(` makes it exclusive; the rest is a bare
 * strtod that must stop at the end of the argument (or at a NUL byte, where
 * C stops reading).
 */
function parseScoreBound(text: string): { value: number; exclusive: boolean } | undefined {
  const exclusive = text[0] === "(";
  const start = exclusive ? 1 : 0;
  const parsed = strtod(text, start);
  if (Number.isNaN(parsed.value)) return undefined;
  if (parsed.end !== text.length && text[parsed.end] !== "\0") return undefined;
  return { value: parsed.value, exclusive };
}

/** ZRANGEBYSCORE-style bounds, or "ERR min or max is not a float". */
export function requireScoreRange(minText: string, maxText: string): ScoreRange {
  const min = parseScoreBound(minText);
  const max = parseScoreBound(maxText);
  if (min === undefined || max === undefined) throw new CommandError(Errors.minMaxNotFloat);
  return { min: min.value, max: max.value, minExclusive: min.exclusive, maxExclusive: max.exclusive };
}

/**
 * One end of a lexicographic range (Redis's zslParseLexRangeItem): `-` and
 * `+` alone (C compares the next byte with NUL, so `+\0...` counts too),
 * `[member` or `(member`.
 */
function parseLexBound(text: string): LexBound | undefined {
  switch (text[0]) {
    case "+":
    case "-":
      if (text.length > 1 && text[1] !== "\0") return undefined;
      return { infinity: text[0] === "+" ? 1 : -1, value: "", exclusive: true };
    case "(":
      return { infinity: 0, value: text.slice(1), exclusive: true };
    case "[":
      return { infinity: 0, value: text.slice(1), exclusive: false };
    default:
      return undefined;
  }
}

/** ZRANGEBYLEX-style bounds, or "ERR min or max not valid string range item". */
export function requireLexRange(minText: string, maxText: string): LexRange {
  const min = parseLexBound(minText);
  const max = parseLexBound(maxText);
  if (min === undefined || max === undefined) throw new CommandError(Errors.minMaxNotValidString);
  return { min, max };
}

/**
 * A C `long` as getLongFromObjectOrReply reads it (string2ll). Values past
 * 2^53 lose precision as JavaScript numbers, which no caller can observe:
 * they are only compared with lengths, far below.
 */
export function requireLong(text: string, error: string = Errors.notInteger): number {
  const value = parseInt64(text);
  if (value === undefined) throw new CommandError(error);
  return Number(value);
}

/**
 * getRangeLongFromObjectOrReply: a long within [min, max]. With a custom
 * message Redis uses it for both "not an integer" and "out of range".
 */
export function requireLongInRange(text: string, min: number, max: number, message?: string): number {
  const value = parseInt64(text);
  if (value === undefined) throw new CommandError(message ?? Errors.notInteger);
  const number = Number(value);
  if (number < min || number > max) {
    throw new CommandError(message ?? `ERR value is out of range, value must between ${min} and ${max}`);
  }
  return number;
}

/**
 * getPositiveLongFromObjectOrReply: a long >= 0. Redis passes its "must be
 * positive" text as the message, so it is also the error for a non-integer.
 */
export function requireNonNegativeLong(text: string, message: string = Errors.notPositive): number {
  const value = parseInt64(text);
  if (value === undefined || value < 0n) throw new CommandError(message);
  return Number(value);
}

/**
 * A SCAN cursor as parseScanCursorOrReply reads it: strtoul over the whole
 * argument (so `+5`, and `-1` wrapping to 2^64-1, are accepted) with no
 * leading space and no overflow. Returned as a number; every cursor beyond
 * a set's size means "start from the top", so precision does not matter.
 */
export function requireScanCursor(text: string): number {
  if ((text.length > 0 && SPACES.includes(text[0]!)) || !/^[+-]?[0-9]*$/.test(text)) throw new CommandError("ERR invalid cursor");
  const digits = text.replace(/^[+-]/, "");
  if (digits.length === 0) {
    // strtoul converts nothing: only the empty argument ends at its NUL.
    if (text.length > 0) throw new CommandError("ERR invalid cursor");
    return 0;
  }
  const magnitude = BigInt(digits);
  if (magnitude > 0xffffffffffffffffn) throw new CommandError("ERR invalid cursor");
  const value = text[0] === "-" && magnitude !== 0n ? 0x10000000000000000n - magnitude : magnitude;
  return Number(value);
}
