import { DEFAULT_PROTOCOL_LIMITS, STRING_BYTES_MAX, type ProtocolLimits } from "./limits.js";

/**
 * A request the client framed wrongly. `reason` is the text after
 * `ERR Protocol error: `, exactly as Redis words it; the connection is closed
 * after the error reply, as Redis does.
 */
export class ProtocolError extends Error {
  constructor(readonly reason: string) {
    super("Protocol error: " + reason);
  }
}

/** The client exceeded `client-query-buffer-limit`: Redis closes it without a reply. */
export class QueryBufferLimitError extends Error {
  constructor(readonly bufferedBytes: number) {
    super("query buffer limit exceeded");
  }
}

const NUL = 0;
const LF = 10;
const CR = 13;
const DOLLAR = 36;
const ASTERISK = 42;
const MINUS = 45;
const DIGIT_0 = 48;
const DIGIT_1 = 49;
const DIGIT_9 = 57;

/**
 * Redis's PROTO_MBULK_BIG_ARG: a bulk at least this long that has not fully
 * arrived is collected piece by piece as its bytes come, so it is copied once
 * (O(n)) instead of being re-buffered on every read.
 */
const BIG_BULK_BYTES = 32 * 1024;
/**
 * The smallest piece of a big bulk converted at once. A client dripping a
 * big bulk a few bytes at a time is buffered until a piece this large is
 * ready, so per-piece overhead stays negligible against the bytes held. It
 * is half the staging buffer kept, so dripping never outgrows that buffer.
 */
const BULK_PIECE_BYTES_MIN = 8 * 1024;
/**
 * Staging buffers up to this size are kept for reuse once drained (Redis
 * keeps a PROTO_IOBUF_LEN query buffer per client); larger ones are dropped
 * so an idle client holds no memory for an old burst.
 */
const STAGING_BYTES_KEPT = 16 * 1024;
/** Redis's string2ll refuses strings of LONG_STR_SIZE (21) bytes or more. */
const LONG_LONG_CHARS_MAX = 20;
/** Digits of LLONG_MAX (and of -LLONG_MIN, which ends in 8). */
const LONG_LONG_MAX_DIGITS = "9223372036854775807";
const LONG_LONG_MIN_DIGITS = "9223372036854775808";
/** Decimal integers of up to 15 digits are exact in a double whatever their digits. */
const SAFE_DIGITS = 15;

const EMPTY = Buffer.alloc(0);
/** Placeholder between commands; every multibulk header starts a fresh array. Frozen: a stray push throws. */
const NO_ARGUMENTS = Object.freeze([]) as unknown as string[];

interface Latin1SlicingBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
}

/**
 * Node's Buffer has carried a direct latin1 slicer since its first release;
 * it skips the encoding lookup and argument checks of `toString`, which
 * matters on the per-argument path. Fall back to `toString` if it is gone.
 */
const nativeSliceLatin1: (buffer: Buffer, start: number, end: number) => string =
  typeof (Buffer.prototype as Partial<Latin1SlicingBuffer>).latin1Slice === "function"
    ? (buffer, start, end) => (buffer as Latin1SlicingBuffer).latin1Slice(start, end)
    : (buffer, start, end) => buffer.toString("latin1", start, end);

/**
 * The bytes [start, end) as a one-byte string, one char per byte. Strings
 * of up to 16 bytes (command names, typical keys, small values) are built by
 * one String.fromCharCode call with explicit arguments, about twice as fast
 * as a call into Buffer's C++ slicer; the cases are written out because
 * spreading or `apply` would cost more than they save.
 */
function sliceLatin1(b: Buffer, s: number, end: number): string {
  const f = String.fromCharCode;
  switch (end - s) {
    case 0:
      return "";
    case 1:
      return f(b[s]!);
    case 2:
      return f(b[s]!, b[s + 1]!);
    case 3:
      return f(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    case 9:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!);
    case 10:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!);
    case 11:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!);
    case 12:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!);
    case 13:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!);
    case 14:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!);
    case 15:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!);
    case 16:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!);
    default:
      return nativeSliceLatin1(b, s, end);
  }
}

/**
 * Incremental request decoder for the server side: RESP multibulk arrays of
 * bulk strings as clients send them, and inline commands as telnet and
 * redis-cli's inline mode send them. It follows Redis 7.0's
 * processMultibulkBuffer and processInlineBuffer (networking.c) byte for
 * byte: the same protocol errors under the same conditions, the same
 * leniencies (the two bytes after a bulk are skipped unchecked, `*0` and
 * `*-1` are ignored), and the same blind spots (a NUL byte hides a line end,
 * as strchr does). Arguments come out as one-byte (latin1) strings,
 * binary-safe.
 *
 * It is a pull decoder: the caller pushes bytes and takes commands one at a
 * time with `next()`, so a client blocked by BLPOP simply stops being pulled
 * and its later pipelined commands wait, as in Redis.
 *
 * Memory: the decoder holds unparsed bytes, the pieces of a big bulk still
 * arriving, and the arguments already decoded of the command in progress.
 * `push` refuses (QueryBufferLimitError) as soon as their sum would pass
 * `client-query-buffer-limit`, so that sum is its bound.
 */
export class RequestDecoder {
  /**
   * False until the client authenticates when a password is required:
   * Redis then caps multibulk counts at 10 and bulk lengths at 16384.
   * The engine updates it on AUTH, HELLO AUTH and RESET.
   */
  authenticated = true;
  /** Bytes are read from buffer[position, end). */
  private buffer: Buffer = EMPTY;
  private position = 0;
  private end = 0;
  /** A buffer this decoder owns, into which bytes are copied when a command spans pushes. */
  private staging: Buffer | undefined;
  /** Bytes from the current line's start known to hold no terminator, so a retry resumes there. */
  private lineScannedBytes = 0;
  /** Arguments still expected by the multibulk in progress (0: between commands). */
  private multibulkRemaining = 0;
  /** Length of the bulk whose data is awaited, -1 while its `$` header is awaited. */
  private bulkLength = -1;
  /** The part of a big bulk received so far (a rope of pieces), and its length. */
  private bulkPrefix = "";
  private bulkPrefixBytes = 0;
  private args: string[] = NO_ARGUMENTS;
  /** Bytes in `args`: they count against the query buffer limit until the command is taken. */
  private argsBytes = 0;
  /** Once framing is lost nothing more is decoded, as Redis stops reading the client. */
  private failure: ProtocolError | undefined;
  /** Set when the query buffer limit was passed: the connection is being closed, input is dropped. */
  private refused = false;

  /** `limits` is read live, so CONFIG SET changes apply to connected clients at once. */
  constructor(public limits: ProtocolLimits = DEFAULT_PROTOCOL_LIMITS) {}

  /** Bytes received and not yet part of a decoded argument (Redis's `qbuf`). */
  get bufferedBytes(): number {
    return this.end - this.position + this.bulkPrefixBytes;
  }

  /** Everything the decoder holds for the client: what the query buffer limit bounds. */
  get heldBytes(): number {
    return this.end - this.position + this.bulkPrefixBytes + this.argsBytes;
  }

  /**
   * Adds bytes from the client. Throws QueryBufferLimitError, before
   * copying anything, when the client would pass `client-query-buffer-limit`;
   * the caller closes the connection without a reply, as Redis does.
   *
   * The decoder reads straight from `chunk` until it is consumed, without
   * copying it: the caller hands it over and must not modify it afterwards
   * (socket chunks are never reused by Node).
   */
  push(chunk: Buffer): void {
    if (this.failure !== undefined || this.refused || chunk.length === 0) return;
    const heldBytes = this.heldBytes + chunk.length;
    if (heldBytes > this.limits.queryBufferBytesMax) {
      this.refused = true;
      this.release();
      throw new QueryBufferLimitError(heldBytes);
    }
    if (this.position >= this.end) {
      // Nothing is pending: decode straight from the chunk, no copy.
      this.buffer = chunk;
      this.position = 0;
      this.end = chunk.length;
    } else {
      this.append(chunk);
    }
  }

  /**
   * The next complete command, or undefined when more bytes are needed.
   * Empty inline lines and `*0` / `*-1` headers are skipped, as Redis does.
   * Throws ProtocolError on malformed input, and again on every later call.
   */
  next(): string[] | undefined {
    if (this.failure !== undefined) throw this.failure;
    const command = this.decode();
    // Hold no reference to a consumed chunk while waiting for the next one.
    if (command === undefined && this.position >= this.end) this.drained();
    return command;
  }

  private decode(): string[] | undefined {
    for (;;) {
      if (this.multibulkRemaining === 0) {
        if (this.position >= this.end) return undefined;
        if (this.buffer[this.position] !== ASTERISK) {
          const args = this.readInline();
          if (args === undefined) return undefined;
          if (args.length > 0) return args;
          continue;
        }
        if (!this.readMultibulkHeader()) return undefined;
        if (this.multibulkRemaining === 0) continue;
      }
      return this.readArguments();
    }
  }

  /**
   * Reads `*<count>\r\n`. False when the line has not fully arrived. Sets
   * multibulkRemaining, which stays 0 for the counts Redis ignores (<= 0).
   */
  private readMultibulkHeader(): boolean {
    const start = this.position;
    const lineEnd = this.findLineEnd(start, CR, "too big mbulk count string");
    if (lineEnd < 0) return false;
    const count = parseLongLong(this.buffer, start + 1, lineEnd);
    if (Number.isNaN(count) || count > this.limits.multibulkLengthMax) this.fail("invalid multibulk length");
    if (!this.authenticated && count > this.limits.unauthenticatedMultibulkLengthMax) {
      this.fail("unauthenticated multibulk length");
    }
    // Redis skips the two bytes after the CR without looking at the second.
    this.position = lineEnd + 2;
    if (count > 0) {
      this.multibulkRemaining = count;
      this.args = [];
      this.argsBytes = 0;
    }
    return true;
  }

  /** Reads bulks until the multibulk is complete (returns it) or the bytes run out (undefined). */
  private readArguments(): string[] | undefined {
    while (this.multibulkRemaining > 0) {
      if (this.bulkLength < 0 && !this.readBulkHeader()) return undefined;
      const length = this.bulkLength;
      const start = this.position;
      let arg: string;
      if (this.bulkPrefixBytes === 0 && this.end - start >= length + 2) {
        arg = sliceLatin1(this.buffer, start, start + length);
        // Redis does not check the CRLF after a bulk either: it skips two bytes.
        this.position = start + length + 2;
      } else if (length >= BIG_BULK_BYTES) {
        const big = this.readBigBulk();
        if (big === undefined) return undefined;
        arg = big;
      } else {
        return undefined;
      }
      this.args.push(arg);
      this.argsBytes += length;
      this.bulkLength = -1;
      this.multibulkRemaining--;
    }
    const args = this.args;
    this.args = NO_ARGUMENTS;
    this.argsBytes = 0;
    return args;
  }

  /** Reads `$<length>\r\n` into bulkLength; false when the line has not fully arrived. */
  private readBulkHeader(): boolean {
    const start = this.position;
    const lineEnd = this.findLineEnd(start, CR, "too big bulk count string");
    if (lineEnd < 0) return false;
    // Redis looks at the marker only once the whole line is there.
    const marker = this.buffer[start]!;
    if (marker !== DOLLAR) {
      // Redis blanks CR and LF in error texts so the reply stays one line.
      const shown = marker === CR || marker === LF ? " " : String.fromCharCode(marker);
      this.fail(`expected '$', got '${shown}'`);
    }
    const length = parseLongLong(this.buffer, start + 1, lineEnd);
    if (Number.isNaN(length) || length < 0 || length > Math.min(this.limits.bulkBytesMax, STRING_BYTES_MAX)) {
      this.fail("invalid bulk length");
    }
    if (!this.authenticated && length > this.limits.unauthenticatedBulkBytesMax) this.fail("unauthenticated bulk length");
    this.position = lineEnd + 2;
    this.bulkLength = length;
    return true;
  }

  /**
   * Collects a big bulk as its bytes arrive: whole pieces are converted to
   * strings and joined (a rope, flattened once by V8 when first read), so
   * the bulk is copied once and the chunks it came in are released at once.
   * Returns the bulk, with position past the two bytes after it, once they
   * have all arrived.
   */
  private readBigBulk(): string | undefined {
    const missing = this.bulkLength - this.bulkPrefixBytes;
    const available = this.end - this.position;
    if (missing > 0) {
      const take = Math.min(available, missing);
      if (take < missing && take < BULK_PIECE_BYTES_MIN) return undefined;
      this.bulkPrefix += sliceLatin1(this.buffer, this.position, this.position + take);
      this.bulkPrefixBytes += take;
      this.position += take;
      if (take < missing) return undefined;
    }
    if (this.end - this.position < 2) return undefined;
    const bulk = this.bulkPrefix;
    this.position += 2;
    this.bulkPrefix = "";
    this.bulkPrefixBytes = 0;
    return bulk;
  }

  /**
   * Reads an inline command line (ended by LF, or CRLF) and splits it like
   * sdssplitargs. Undefined when the line has not fully arrived; an empty
   * array for a blank line.
   */
  private readInline(): string[] | undefined {
    const start = this.position;
    const newline = this.findLineEnd(start, LF, "too big inline request");
    if (newline < 0) return undefined;
    const lineEnd = newline > start && this.buffer[newline - 1] === CR ? newline - 1 : newline;
    const line = sliceLatin1(this.buffer, start, lineEnd);
    this.position = newline + 1;
    const args = splitInlineArguments(line);
    if (args === undefined) this.fail("unbalanced quotes in request");
    return args;
  }

  /**
   * Where the line starting at `start` ends: the index of its `terminator`
   * (CR for headers, LF for inline commands) when the line may be parsed,
   * -1 to wait for more bytes. Redis finds line ends with strchr, so a NUL
   * byte hides any terminator after it and the client waits until the line
   * is too long. For a CR, the byte after it must also have arrived.
   *
   * A line longer than `inlineBytesMax` (64 KiB) is refused with
   * `tooBigReason`. Redis applies that bound to the unparsed bytes after
   * each read(2) that finds no terminator, so for lines between 64 KiB and
   * about 80 KiB its verdict depends on read sizes; here it depends only on
   * the line, whatever the chunking.
   */
  private findLineEnd(start: number, terminator: number, tooBigReason: string): number {
    const buffer = this.buffer;
    const end = this.end;
    let index = start + this.lineScannedBytes;
    while (index < end) {
      const byte = buffer[index]!;
      if (byte === terminator || byte === NUL) break;
      index++;
    }
    const lineBytes = this.limits.inlineBytesMax;
    if (index >= end || buffer[index] === NUL) {
      if (end - start > lineBytes) this.fail(tooBigReason);
      this.lineScannedBytes = index - start;
      return -1;
    }
    if (index - start > lineBytes) this.fail(tooBigReason);
    if (terminator === CR && index + 1 >= end) {
      this.lineScannedBytes = index - start;
      return -1;
    }
    this.lineScannedBytes = 0;
    return index;
  }

  /** Keeps buffer[position, end) and appends `chunk` in the staging buffer, growing it geometrically. */
  private append(chunk: Buffer): void {
    const pending = this.end - this.position;
    const needed = pending + chunk.length;
    const staging = this.staging;
    if (this.buffer === staging && staging.length - this.end >= chunk.length) {
      chunk.copy(staging, this.end);
      this.end += chunk.length;
      return;
    }
    let target: Buffer;
    if (staging !== undefined && staging.length >= needed) {
      target = staging;
    } else {
      // Doubling keeps appends amortised O(1); the query buffer limit caps the size.
      const capacity = Math.max(STAGING_BYTES_KEPT, Math.min(needed * 2, Math.max(needed, this.limits.queryBufferBytesMax)));
      target = Buffer.allocUnsafe(capacity);
    }
    // copy() has memmove semantics, so compacting within the staging buffer is safe.
    this.buffer.copy(target, 0, this.position, this.end);
    chunk.copy(target, pending);
    this.staging = target;
    this.buffer = target;
    this.position = 0;
    this.end = needed;
  }

  /** Everything was consumed: drop references to the last chunk and to an oversized staging buffer. */
  private drained(): void {
    this.buffer = EMPTY;
    this.position = 0;
    this.end = 0;
    if (this.staging !== undefined && this.staging.length > STAGING_BYTES_KEPT) this.staging = undefined;
  }

  /** Frees what the decoder holds; used once the connection is being closed. */
  private release(): void {
    this.drained();
    this.staging = undefined;
    this.args = NO_ARGUMENTS;
    this.argsBytes = 0;
    this.bulkPrefix = "";
    this.bulkPrefixBytes = 0;
  }

  private fail(reason: string): never {
    this.failure = new ProtocolError(reason);
    this.release();
    throw this.failure;
  }
}

/**
 * Redis's string2ll over buffer[from, to): the value when the bytes are a
 * canonical decimal long long (no sign but `-`, no leading zeros, no spaces,
 * at most 20 characters, in range), NaN otherwise. Values past 2^53 come
 * back as the nearest double; callers compare them with much smaller limits.
 */
export function parseLongLong(buffer: Uint8Array, from: number, to: number): number {
  const length = to - from;
  if (length <= 0 || length > LONG_LONG_CHARS_MAX) return NaN;
  let index = from;
  const negative = buffer[index] === MINUS;
  if (negative && ++index === to) return NaN;
  let byte = buffer[index]!;
  if (byte === DIGIT_0) return length === 1 ? 0 : NaN;
  if (byte < DIGIT_1 || byte > DIGIT_9) return NaN;
  let value = byte - DIGIT_0;
  for (index++; index < to; index++) {
    byte = buffer[index]!;
    if (byte < DIGIT_0 || byte > DIGIT_9) return NaN;
    value = value * 10 + (byte - DIGIT_0);
  }
  const digits = to - from - (negative ? 1 : 0);
  if (digits > SAFE_DIGITS) {
    if (digits >= LONG_LONG_MAX_DIGITS.length && !fitsLongLong(buffer, to - digits, to, negative)) return NaN;
    // Digit-by-digit accumulation loses precision here; Number() rounds once, correctly.
    value = Number(String.fromCharCode(...buffer.subarray(to - digits, to)));
  }
  return negative ? -value : value;
}

/** Whether a 19- or 20-digit magnitude fits a C long long (with its sign). */
function fitsLongLong(buffer: Uint8Array, from: number, to: number, negative: boolean): boolean {
  const limit = negative ? LONG_LONG_MIN_DIGITS : LONG_LONG_MAX_DIGITS;
  if (to - from !== limit.length) return false;
  for (let index = 0; index < limit.length; index++) {
    const byte = buffer[from + index]!;
    const bound = limit.charCodeAt(index);
    if (byte !== bound) return byte < bound;
  }
  return true;
}

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" };

/** C isspace in the C locale. */
function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";
}

/** What ends an unquoted argument in sdssplitargs: not \v or \f, which C's isspace would accept. */
function endsBareArgument(c: string | undefined): boolean {
  return c === undefined || c === " " || c === "\n" || c === "\r" || c === "\t" || c === "\0";
}

function isHexDigit(c: string | undefined): boolean {
  if (c === undefined || c.length !== 1) return false;
  const code = c.charCodeAt(0);
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/**
 * Splits a command line exactly as Redis's sdssplitargs does (inline
 * commands, config files): blanks (C isspace) separate arguments; an
 * unquoted argument ends at space, tab, CR or LF; double quotes allow `\xHH`
 * and `\n \r \t \b \a` escapes (any other escaped character stands for
 * itself); single quotes allow only `\'`; a closing quote must be followed
 * by a blank or the end. The line is a C string to Redis, so a NUL ends it.
 * Returns undefined for unbalanced quotes, as sdssplitargs returns NULL.
 */
export function splitInlineArguments(line: string): string[] | undefined {
  const nul = line.indexOf("\0");
  const length = nul < 0 ? line.length : nul;
  const args: string[] = [];
  let index = 0;
  for (;;) {
    while (index < length && isSpace(line[index])) index++;
    if (index >= length) return args;
    let current = "";
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = index < length ? line[index] : undefined;
      const following = index + 1 < length ? line[index + 1] : undefined;
      if (inDouble) {
        if (c === "\\" && following === "x" && isHexDigit(line[index + 2]) && isHexDigit(line[index + 3])) {
          current += String.fromCharCode(parseInt(line.slice(index + 2, index + 4), 16));
          index += 3;
        } else if (c === "\\" && following !== undefined) {
          index++;
          current += ESCAPES[following] ?? following;
        } else if (c === '"') {
          if (following !== undefined && !isSpace(following)) return undefined;
          done = true;
        } else if (c === undefined) {
          return undefined;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (c === "\\" && following === "'") {
          index++;
          current += "'";
        } else if (c === "'") {
          if (following !== undefined && !isSpace(following)) return undefined;
          done = true;
        } else if (c === undefined) {
          return undefined;
        } else {
          current += c;
        }
      } else if (endsBareArgument(c)) {
        done = true;
      } else if (c === '"') {
        inDouble = true;
      } else if (c === "'") {
        inSingle = true;
      } else {
        current += c;
      }
      if (index < length) index++;
    }
    args.push(current);
  }
}
