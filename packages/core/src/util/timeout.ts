import { parseLongDouble, type LongDouble } from "./long-double.js";
import { CommandError, Errors } from "../errors.js";

/**
 * Blocking timeouts in seconds (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP,
 * BZPOPMIN...), read exactly as Redis 7.0 on x86-64 reads them, errors
 * included. Redis parses the text with strtold into an 80-bit x87 long
 * double, multiplies by 1000.0 in that precision, and casts to a 64-bit
 * integer of milliseconds:
 *
 *   1. The text must be all of a strtold number: decimal or hexadecimal
 *      (`0x1p3`), `inf`/`infinity` in any case; no spaces, no NaN, under
 *      5120 characters. A value that overflows the long double range, or
 *      underflows to zero, is refused too.
 *   2. The product is rounded up (ceill), so `0.0001` is 1 ms and
 *      `-0.0001` is 0 ms (block forever). Because the arithmetic is 80-bit,
 *      `-0.001` is -0.99999... ms, rounded up to 0, where a double would
 *      say -1.
 *   3. A product of 2^63 ms or more (and infinity) does not fit: the x87
 *      conversion yields INT64_MIN, so Redis says the timeout is negative.
 *
 * The long double parsing (strtold, exactly rounded) is the one INCRBYFLOAT
 * uses; this module adds the x87 multiplication and the conversion, so every
 * reply matches. Plain small integers take a fast path.
 */

const SIGNIFICAND_BITS = 64;
const INT64_LIMIT = 1n << 63n;
const SMALL_INTEGER = /^[0-9]{1,9}$/;

/**
 * The timeout in milliseconds (0 = block forever), or a CommandError with
 * Redis's words: "timeout is not a float or out of range" or "timeout is
 * negative".
 */
export function parseBlockingTimeoutMs(text: string): number {
  if (SMALL_INTEGER.test(text)) return Number(text) * 1000;
  const seconds = parseLongDouble(text);
  if (seconds === undefined) throw new CommandError(Errors.timeoutNotFloat);
  if ("infinite" in seconds) throw new CommandError(Errors.timeoutNegative);
  if (seconds.mantissa === 0n) return 0;
  const product = multiply(seconds, 1000n);
  let milliseconds = truncate(product);
  if (milliseconds >= INT64_LIMIT) throw new CommandError(Errors.timeoutNegative);
  if (seconds.negative && milliseconds > 0n) throw new CommandError(Errors.timeoutNegative);
  // ceill: a positive fraction of a millisecond rounds up; a negative one towards zero (-0.999 ms is 0).
  if (!seconds.negative && hasFraction(product)) milliseconds += 1n;
  return Number(milliseconds);
}

/**
 * |value| * factor rounded to a 64-bit significand, ties to even (the x87
 * FMUL). The exponent may pass the format's range: truncate() then reports
 * the value as too large, which is what an overflow to infinity gives too.
 */
function multiply(value: LongDouble, factor: bigint): LongDouble {
  const product = value.mantissa * factor;
  const shift = Math.max(0, bitLength(product) - SIGNIFICAND_BITS);
  if (shift === 0) return { negative: false, mantissa: product, exponent: value.exponent };
  const shiftBits = BigInt(shift);
  let mantissa = product >> shiftBits;
  const remainder = product - (mantissa << shiftBits);
  const half = 1n << (shiftBits - 1n);
  if (remainder > half || (remainder === half && (mantissa & 1n) === 1n)) mantissa += 1n;
  return { negative: false, mantissa, exponent: value.exponent + shift };
}

/** The integer part (towards zero) of a non-negative value; INT64_LIMIT stands for anything of 2^63 or more. */
function truncate(value: LongDouble): bigint {
  if (bitLength(value.mantissa) + value.exponent > 64) return INT64_LIMIT;
  return value.exponent >= 0 ? value.mantissa << BigInt(value.exponent) : value.mantissa >> BigInt(-value.exponent);
}

/** Whether a non-negative value has a fractional part. */
function hasFraction(value: LongDouble): boolean {
  if (value.exponent >= 0) return false;
  const shift = BigInt(-value.exponent);
  return (value.mantissa & ((1n << shift) - 1n)) !== 0n;
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}
