/**
 * INCRBYFLOAT does its arithmetic in a C `long double`, which on x86-64 (where
 * Redis runs) is the x87 80-bit extended format: a 64-bit mantissa and a
 * 15-bit exponent. It parses with strtold, adds, and prints with `%.17Lf`
 * before trimming zeros. A JavaScript double cannot reproduce that (10.5 +
 * 0.1 would print 10.59999999999999964 at 17 decimals), so this module
 * emulates the format exactly with BigInt: every value is
 * (-1)^negative × mantissa × 2^exponent with mantissa < 2^64, every operation
 * rounds to nearest, ties to even, as the x87 unit and glibc do.
 */

/** A finite extended-precision value. Zero is mantissa 0 (the sign is kept for -0). */
export interface LongDouble {
  negative: boolean;
  mantissa: bigint;
  exponent: number;
}

/** What parsing a string gives: a finite value, an infinity, or nothing (not a number Redis accepts). */
export type ParsedLongDouble = LongDouble | { infinite: true; negative: boolean } | undefined;

const MANTISSA_BITS = 64;
/** The exponent of the least significant bit of the smallest subnormal (2^-16445). */
const LSB_EXPONENT_MIN = -16445;
/** Values at or above 2^16384 overflow to infinity. */
const MAGNITUDE_BITS_MAX = 16384;
/** Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses longer input. */
export const LONG_DOUBLE_CHARS_MAX = 5 * 1024;
/**
 * Decimal magnitudes outside these bounds certainly overflow (above ~1.19e4932)
 * or underflow to zero (below ~3.6e-4951); checking them first keeps the
 * BigInt powers of ten bounded whatever exponent a client writes.
 */
const DECIMAL_MAGNITUDE_MAX = 4934;
const DECIMAL_MAGNITUDE_MIN = -4953;
const BINARY_MAGNITUDE_MIN = -16447;

const DECIMAL = /^([+-]?)(?:([0-9]+)\.?([0-9]*)|\.([0-9]+))(?:[eE]([+-]?)([0-9]+))?$/;
const HEX = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?)([0-9]+))?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;

/**
 * Parses as Redis's string2ld does: strtold over the whole string (decimal,
 * hexadecimal and inf forms; no spaces, no NaN, nothing left over), refusing
 * overflow to ±HUGE_VAL and underflow to zero.
 */
export function parseLongDouble(text: string): ParsedLongDouble {
  if (text.length === 0 || text.length >= LONG_DOUBLE_CHARS_MAX) return undefined;
  const decimal = DECIMAL.exec(text);
  if (decimal !== null) {
    const [, sign, intDigits, fracDigits, onlyFrac, expSign, expDigits] = decimal;
    const digits = onlyFrac !== undefined ? onlyFrac : intDigits! + fracDigits!;
    const fractionLength = onlyFrac !== undefined ? onlyFrac.length : fracDigits!.length;
    return fromDecimal(sign === "-", digits, exponentValue(expSign, expDigits) - fractionLength);
  }
  const hex = HEX.exec(text);
  if (hex !== null) {
    const [, sign, intDigits, fracDigits, onlyFrac, expSign, expDigits] = hex;
    const digits = onlyFrac !== undefined ? onlyFrac : intDigits! + fracDigits!;
    const fractionLength = onlyFrac !== undefined ? onlyFrac.length : fracDigits!.length;
    return fromBinary(sign === "-", BigInt("0x" + digits), exponentValue(expSign, expDigits) - 4 * fractionLength);
  }
  const infinity = INFINITY.exec(text);
  if (infinity !== null) return { infinite: true, negative: infinity[1] === "-" };
  return undefined;
}

/**
 * An exponent as written, clamped to ±1e9: anything that large already
 * decides overflow or underflow, and the clamp keeps later arithmetic exact.
 */
function exponentValue(sign: string | undefined, digits: string | undefined): number {
  if (digits === undefined) return 0;
  const trimmed = digits.replace(/^0+/, "");
  const magnitude = trimmed.length > 9 ? 1e9 : Number(trimmed || "0");
  return sign === "-" ? -magnitude : magnitude;
}

/** digits × 10^exponent10, correctly rounded. */
function fromDecimal(negative: boolean, digits: string, exponent10: number): ParsedLongDouble {
  const significand = BigInt(digits);
  if (significand === 0n) return { negative, mantissa: 0n, exponent: 0 };
  const magnitude = significand.toString().length + exponent10;
  if (magnitude > DECIMAL_MAGNITUDE_MAX) return undefined;
  if (magnitude < DECIMAL_MAGNITUDE_MIN) return undefined;
  if (exponent10 >= 0) return finiteOrUndefined(round(negative, significand * 10n ** BigInt(exponent10), 0, false));
  const divisor = 10n ** BigInt(-exponent10);
  // Enough quotient bits for the mantissa plus guard and round bits; the
  // remainder becomes the sticky bit.
  const shift = Math.max(0, MANTISSA_BITS + 2 + bitLength(divisor) - bitLength(significand));
  const numerator = significand << BigInt(shift);
  const quotient = numerator / divisor;
  const sticky = quotient * divisor !== numerator;
  return finiteOrUndefined(round(negative, quotient, -shift, sticky));
}

/** significand × 2^exponent2 (hexadecimal input), correctly rounded. */
function fromBinary(negative: boolean, significand: bigint, exponent2: number): ParsedLongDouble {
  if (significand === 0n) return { negative, mantissa: 0n, exponent: 0 };
  const magnitude = bitLength(significand) + exponent2;
  if (magnitude > MAGNITUDE_BITS_MAX || magnitude < BINARY_MAGNITUDE_MIN) return undefined;
  return finiteOrUndefined(round(negative, significand, exponent2, false));
}

/** strtold's ERANGE results (±HUGE_VAL, or a non-zero input that became zero) are refused by Redis. */
function finiteOrUndefined(value: LongDouble | undefined): LongDouble | undefined {
  if (value === undefined || value.mantissa === 0n) return undefined;
  return value;
}

/**
 * Rounds the exact value (-1)^negative × (n + sticky·ε) × 2^exponent to the
 * extended format, to nearest with ties to even; undefined on overflow.
 */
function round(negative: boolean, n: bigint, exponent: number, sticky: boolean): LongDouble | undefined {
  const bits = bitLength(n);
  const lsbExponent = Math.max(exponent + bits - MANTISSA_BITS, LSB_EXPONENT_MIN);
  const drop = lsbExponent - exponent;
  let mantissa = n;
  let resultExponent = exponent;
  if (drop > 0) {
    const dropBits = BigInt(drop);
    mantissa = n >> dropBits;
    const remainder = n - (mantissa << dropBits);
    const half = 1n << (dropBits - 1n);
    if (remainder > half || (remainder === half && (sticky || (mantissa & 1n) === 1n))) mantissa += 1n;
    resultExponent = lsbExponent;
  }
  if (mantissa !== 0n && bitLength(mantissa) + resultExponent > MAGNITUDE_BITS_MAX) return undefined;
  return { negative, mantissa, exponent: resultExponent };
}

/** a + b in extended precision; undefined when the sum overflows to infinity. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | undefined {
  if (a.mantissa === 0n && b.mantissa === 0n) return { negative: a.negative && b.negative, mantissa: 0n, exponent: 0 };
  if (a.mantissa === 0n) return b;
  if (b.mantissa === 0n) return a;
  const exponent = Math.min(a.exponent, b.exponent);
  const aScaled = a.mantissa << BigInt(a.exponent - exponent);
  const bScaled = b.mantissa << BigInt(b.exponent - exponent);
  const sum = (a.negative ? -aScaled : aScaled) + (b.negative ? -bScaled : bScaled);
  // An exact zero sum is +0 in round-to-nearest.
  if (sum === 0n) return { negative: false, mantissa: 0n, exponent: 0 };
  return round(sum < 0n, sum < 0n ? -sum : sum, exponent, false);
}

const DECIMALS = 17;
const DECIMALS_SCALE = 10n ** BigInt(DECIMALS);

/**
 * Formats as Redis's ld2string in LD_STR_HUMAN mode: `%.17Lf` (fixed point,
 * 17 decimals, rounded to nearest even on the exact binary value as glibc
 * does), trailing zeros and a trailing point removed, and "-0" written "0".
 */
export function formatLongDouble(value: LongDouble): string {
  let scaled: bigint;
  if (value.exponent >= 0) {
    scaled = (value.mantissa << BigInt(value.exponent)) * DECIMALS_SCALE;
  } else {
    const dropBits = BigInt(-value.exponent);
    const numerator = value.mantissa * DECIMALS_SCALE;
    scaled = numerator >> dropBits;
    const remainder = numerator - (scaled << dropBits);
    const half = 1n << (dropBits - 1n);
    if (remainder > half || (remainder === half && (scaled & 1n) === 1n)) scaled += 1n;
  }
  const digits = scaled.toString().padStart(DECIMALS + 1, "0");
  const integerPart = digits.slice(0, digits.length - DECIMALS);
  const fraction = digits.slice(digits.length - DECIMALS).replace(/0+$/, "");
  const text = (value.negative ? "-" : "") + integerPart + (fraction.length > 0 ? "." + fraction : "");
  return text === "-0" ? "0" : text;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}
