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

  /** `message` is the whole error line after '-', for example `ERR syntax error`. */
  error(message: string): void {
    this.out += "-" + message + "\r\n";
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

  /** Verbatim text (INFO, CLIENT LIST in RESP3): a plain bulk in RESP2. */
  verbatim(text: string, format = "txt"): void {
    if (this.protocol === 2) this.bulk(text);
    else this.out += "=" + (text.length + 4) + "\r\n" + format + ":" + text + "\r\n";
  }
}

/**
 * Formats a double the way Redis 7.0's addReplyDouble does: `%.17g`, with
 * `inf`, `-inf` and `nan` spelled as Redis spells them.
 */
export function formatDouble(value: number): string {
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (Number.isNaN(value)) return "nan";
  return formatG(value, 17);
}

/** C's `%.<precision>g`: fixed or exponent notation, trailing zeros removed. */
export function formatG(value: number, precision: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const exponentForm = value.toExponential(precision - 1);
  const exponent = Number(exponentForm.slice(exponentForm.indexOf("e") + 1));
  if (exponent < -4 || exponent >= precision) {
    const [mantissa, exp] = exponentForm.split("e") as [string, string];
    const trimmed = trimZeros(mantissa);
    const sign = exp.startsWith("-") ? "-" : "+";
    const digits = exp.replace(/^[+-]/, "");
    return trimmed + "e" + sign + (digits.length < 2 ? "0" + digits : digits);
  }
  return trimZeros(value.toFixed(Math.max(0, precision - 1 - exponent)));
}

function trimZeros(text: string): string {
  if (!text.includes(".")) return text;
  return text.replace(/\.?0+$/, "");
}
