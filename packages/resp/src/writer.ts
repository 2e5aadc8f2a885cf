/**
 * ReplyWriter encodes replies straight into a one-byte (latin1) string, the
 * same representation the keyspace uses for binary-safe values, so a GET
 * reply is two concatenations and the runtime turns the whole turn's output
 * into one socket write. The protocol (RESP2 or RESP3) is a property of the
 * connection: HELLO switches it, and every structured reply adapts.
 */
export type Protocol = 2 | 3;

export class ReplyWriter {
  /** Encoded replies not yet taken by the runtime. */
  out = "";
  protocol: Protocol = 2;
  /**
   * Error replies written so far. Comparing it before and after a command
   * tells whether the command replied with an error without reading `out`:
   * `out` is a rope of concatenations, and reading a character from it
   * flattens the whole rope (quadratic over a pipeline).
   */
  errorReplies = 0;

  take(): string {
    const out = this.out;
    this.out = "";
    return out;
  }

  get pendingBytes(): number {
    return this.out.length;
  }

  raw(encoded: string): void {
    this.out += encoded;
  }

  ok(): void {
    this.out += "+OK\r\n";
  }

  simple(text: string): void {
    this.out += "+" + text + "\r\n";
  }

  /**
   * `message` is the whole error line after '-', for example `ERR syntax
   * error`. Errors often quote what the client sent, so CR and LF are
   * blanked as Redis's addReplyErrorFormat does, and the reply stays one line.
   */
  error(message: string): void {
    this.errorReplies++;
    this.out += "-" + oneLine(message) + "\r\n";
  }

  integer(value: number | bigint): void {
    this.out += ":" + value + "\r\n";
  }

  bulk(value: string): void {
    this.out += "$" + value.length + "\r\n" + value + "\r\n";
  }

  /** The nil of a missing string: `$-1` in RESP2, `_` in RESP3. */
  nullBulk(): void {
    this.out += this.protocol === 2 ? "$-1\r\n" : "_\r\n";
  }

  /** The nil of a missing aggregate (BLPOP timeout, EXEC abort): `*-1` in RESP2, `_` in RESP3. */
  nullArray(): void {
    this.out += this.protocol === 2 ? "*-1\r\n" : "_\r\n";
  }

  arrayHeader(length: number): void {
    this.out += "*" + length + "\r\n";
  }

  /** A map of `pairs` entries: RESP2 has no map type and sends a flat array. */
  mapHeader(pairs: number): void {
    this.out += (this.protocol === 2 ? "*" + pairs * 2 : "%" + pairs) + "\r\n";
  }

  setHeader(length: number): void {
    this.out += (this.protocol === 2 ? "*" : "~") + length + "\r\n";
  }

  pushHeader(length: number): void {
    this.out += (this.protocol === 2 ? "*" : ">") + length + "\r\n";
  }

  bulkArray(values: readonly string[]): void {
    let out = "*" + values.length + "\r\n";
    for (const value of values) out += "$" + value.length + "\r\n" + value + "\r\n";
    this.out += out;
  }

  /** An array whose elements may be missing (MGET): missing ones are nulls. */
  nullableBulkArray(values: readonly (string | undefined | null)[]): void {
    this.arrayHeader(values.length);
    for (const value of values) {
      if (value === undefined || value === null) this.nullBulk();
      else this.bulk(value);
    }
  }

  /** A double: a bulk string in RESP2, `,` in RESP3, formatted as Redis 7.0 does. */
  double(value: number): void {
    const text = formatDouble(value);
    if (this.protocol === 2) this.bulk(text);
    else this.out += "," + text + "\r\n";
  }

  boolean(value: boolean): void {
    if (this.protocol === 2) this.out += value ? ":1\r\n" : ":0\r\n";
    else this.out += value ? "#t\r\n" : "#f\r\n";
  }

  /** A number too big for an integer reply, as decimal digits: `(` in RESP3, a bulk in RESP2. */
  bigNumber(digits: string): void {
    if (this.protocol === 2) this.bulk(digits);
    else this.out += "(" + digits + "\r\n";
  }

  /** Verbatim text (INFO, CLIENT LIST in RESP3): a plain bulk in RESP2. */
  verbatim(text: string, format = "txt"): void {
    if (this.protocol === 2) this.bulk(text);
    else this.out += "=" + (text.length + 4) + "\r\n" + format + ":" + text + "\r\n";
  }
}

/**
 * Redis's addReplyErrorFormat: CR and LF at either end are trimmed, those
 * inside become spaces.
 */
function oneLine(message: string): string {
  if (!message.includes("\r") && !message.includes("\n")) return message;
  return message.replace(/^[\r\n]+|[\r\n]+$/g, "").replace(/[\r\n]/g, " ");
}

/**
 * Formats a double the way Redis 7.0's addReplyDouble does: `%.17g`, with
 * `inf`, `-inf` and `nan` spelled as Redis spells them.
 */
export function formatDouble(value: number): string {
  return formatG(value, 17);
}

/**
 * C's `%.<precision>g` as glibc prints it: `precision` significant digits,
 * rounded from the exact binary value half to even; exponent notation when
 * the decimal exponent is below -4 or at least `precision`; trailing zeros
 * removed; `inf`, `-inf`, `nan`, `-0`.
 */
export function formatG(value: number, precision: number): string {
  if (!(precision >= 1 && precision <= 100 && Number.isInteger(precision))) {
    throw new RangeError(`formatG: precision ${precision} is not an integer in [1, 100]`);
  }
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (Number.isNaN(value)) return "nan";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  // Integers that fit the precision print exactly, as JavaScript prints them.
  if (Number.isSafeInteger(value) && Math.abs(value) < 10 ** precision) return String(value);
  const negative = value < 0;
  const rounded = roundedDigits(negative ? -value : value, precision);
  const body = layoutG(trimTrailingZeros(rounded.digits), rounded.exponent, precision);
  return negative ? "-" + body : body;
}

interface DecimalDigits {
  /** Significant digits, the first one non-zero. */
  digits: string;
  /** The value is digits[0].digits[1..] × 10^exponent. */
  exponent: number;
}

/**
 * `magnitude` (positive, finite) rounded to `precision` significant digits
 * as glibc rounds: from the exact binary value, exact ties to even.
 *
 * toExponential is exact but breaks exact ties upwards. So the value is
 * first rounded to precision + 1 digits; unless that last digit is 5, no
 * precision-digit midpoint lies between it and the exact value, and
 * rounding it again gives the right answer. When it is 5 the exact
 * expansion (BigInt) tells a true tie from a value merely near one.
 */
function roundedDigits(magnitude: number, precision: number): DecimalDigits {
  if (precision >= 100) return splitExponential(magnitude.toExponential(precision - 1));
  const longer = splitExponential(magnitude.toExponential(precision));
  const dropped = longer.digits.charCodeAt(precision) - 48;
  if (dropped === 5) {
    const exact = exactDigits(magnitude);
    if (exact.digits.length === precision + 1) return roundHalfEven(exact, precision);
    return splitExponential(magnitude.toExponential(precision - 1));
  }
  const kept = { digits: longer.digits.slice(0, precision), exponent: longer.exponent };
  return dropped > 5 ? incrementLastDigit(kept) : kept;
}

/** Splits toExponential's output ("1.25e+2") into digits ("125") and exponent (2). */
function splitExponential(text: string): DecimalDigits {
  const e = text.indexOf("e");
  const mantissa = text.slice(0, e);
  const digits = mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa;
  return { digits, exponent: Number(text.slice(e + 1)) };
}

const float64 = new Float64Array(1);
const float64Bits = new BigUint64Array(float64.buffer);

/** The exact decimal expansion of a positive finite double (every double has a finite one). */
function exactDigits(magnitude: number): DecimalDigits {
  float64[0] = magnitude;
  const bits = float64Bits[0]!;
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
  const binaryExponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075;
  let digits: string;
  let exponent: number;
  if (binaryExponent >= 0) {
    digits = (mantissa << BigInt(binaryExponent)).toString();
    exponent = digits.length - 1;
  } else {
    // m × 2^-j = m × 5^j × 10^-j.
    const shift = -binaryExponent;
    digits = (mantissa * 5n ** BigInt(shift)).toString();
    exponent = digits.length - 1 - shift;
  }
  return { digits: trimTrailingZeros(digits), exponent };
}

/** Rounds an exact tie (precision + 1 digits ending in 5) to `precision` digits, half to even. */
function roundHalfEven(exact: DecimalDigits, precision: number): DecimalDigits {
  const kept = { digits: exact.digits.slice(0, precision), exponent: exact.exponent };
  return (kept.digits.charCodeAt(precision - 1) - 48) % 2 === 0 ? kept : incrementLastDigit(kept);
}

/** Adds one unit in the last place; 99..9 becomes 10..0 at the next power of ten. */
function incrementLastDigit(value: DecimalDigits): DecimalDigits {
  const digits = value.digits;
  let index = digits.length - 1;
  while (index >= 0 && digits.charCodeAt(index) === 57) index--;
  if (index < 0) return { digits: "1" + "0".repeat(digits.length - 1), exponent: value.exponent + 1 };
  const bumped = String.fromCharCode(digits.charCodeAt(index) + 1);
  return { digits: digits.slice(0, index) + bumped + "0".repeat(digits.length - 1 - index), exponent: value.exponent };
}

/** Places the decimal point or writes the exponent, as %g does (digits carry no trailing zeros). */
function layoutG(digits: string, exponent: number, precision: number): string {
  if (exponent < -4 || exponent >= precision) {
    const mantissa = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    const magnitude = Math.abs(exponent);
    return mantissa + (exponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" + magnitude : String(magnitude));
  }
  if (exponent < 0) return "0." + "0".repeat(-exponent - 1) + digits;
  if (digits.length <= exponent + 1) return digits + "0".repeat(exponent + 1 - digits.length);
  return digits.slice(0, exponent + 1) + "." + digits.slice(exponent + 1);
}

function trimTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  return end === digits.length ? digits : digits.slice(0, end);
}
