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

const CR = 13;
const LF = 10;
/** Bulks above this size are assembled once, from a list of chunks. */
const LARGE_BULK_BYTES = 64 * 1024;

/**
 * Incremental request decoder for the server side: RESP multibulk arrays of
 * bulk strings as clients send them, and inline commands as telnet and
 * redis-cli's inline mode send them. Arguments come out as one-byte (latin1)
 * strings, binary-safe.
 *
 * It is a pull decoder: the caller pushes bytes and takes commands one at a
 * time with `next()`, so a client blocked by BLPOP simply stops being pulled
 * and its later pipelined commands wait, as in Redis.
 */
export class RequestDecoder {
  /** Before AUTH succeeds Redis caps multibulk and bulk lengths far lower. */
  authenticated = true;
  private buffer: Buffer = Buffer.alloc(0);
  private position = 0;
  /** Chunks of a large bulk that has not fully arrived, kept apart to avoid O(n^2) copying. */
  private pendingChunks: Buffer[] = [];
  private pendingBytes = 0;
  /** Progress through the multibulk being read. */
  private multibulkRemaining = 0;
  private bulkLength = -1;
  private args: string[] = [];

  constructor(public limits: ProtocolLimits = DEFAULT_PROTOCOL_LIMITS) {}

  /** Bytes received and not yet consumed by a complete command. */
  get bufferedBytes(): number {
    return this.buffer.length - this.position + this.pendingBytes;
  }

  push(chunk: Buffer): void {
    const awaitingLargeBulk =
      this.bulkLength > LARGE_BULK_BYTES && this.buffer.length - this.position < this.bulkLength + 2;
    if (this.pendingBytes > 0 || awaitingLargeBulk) {
      // Awaiting a large bulk: keep chunks aside until it is complete.
      this.pendingChunks.push(chunk);
      this.pendingBytes += chunk.length;
    } else if (this.position >= this.buffer.length && this.pendingBytes === 0) {
      this.buffer = chunk;
      this.position = 0;
    } else {
      this.coalesce(chunk);
    }
    if (this.bufferedBytes > this.limits.queryBufferBytesMax) {
      throw new QueryBufferLimitError(this.bufferedBytes);
    }
  }

  private coalesce(extra?: Buffer): void {
    const parts: Buffer[] = [];
    if (this.position < this.buffer.length) parts.push(this.buffer.subarray(this.position));
    parts.push(...this.pendingChunks);
    if (extra) parts.push(extra);
    this.buffer = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.position = 0;
    this.pendingChunks = [];
    this.pendingBytes = 0;
  }

  /**
   * The next complete command, or undefined when more bytes are needed.
   * Empty inline lines are skipped. Throws ProtocolError on malformed input.
   */
  next(): string[] | undefined {
    for (;;) {
      if (this.pendingBytes > 0) {
        if (this.bufferedBytes < this.bulkLength + 2) return undefined;
        this.coalesce();
      }
      if (this.multibulkRemaining === 0) {
        if (this.position >= this.buffer.length) return undefined;
        if (this.buffer[this.position] === 42 /* '*' */) {
          const header = this.readLine("too big mbulk count string");
          if (header === undefined) return undefined;
          const count = parseLength(header, 1);
          const max = this.authenticated ? this.limits.multibulkLengthMax : this.limits.unauthenticatedMultibulkLengthMax;
          if (count === undefined || count > max) {
            throw new ProtocolError(this.authenticated ? "invalid multibulk length" : "unauthenticated multibulk length");
          }
          if (count <= 0) continue; // `*0` and `*-1` are ignored, as Redis does.
          this.multibulkRemaining = count;
          this.args = [];
        } else {
          const inline = this.readInline();
          if (inline === undefined) return undefined;
          if (inline.length === 0) continue;
          return inline;
        }
      }
      const command = this.readMultibulkArguments();
      if (command === undefined) return undefined;
      return command;
    }
  }

  private readMultibulkArguments(): string[] | undefined {
    while (this.multibulkRemaining > 0) {
      if (this.bulkLength < 0) {
        if (this.position >= this.buffer.length) return undefined;
        const marker = this.buffer[this.position]!;
        if (marker !== 36 /* '$' */) {
          throw new ProtocolError(`expected '$', got '${String.fromCharCode(marker)}'`);
        }
        const header = this.readLine("too big bulk count string");
        if (header === undefined) return undefined;
        const length = parseLength(header, 1);
        const max = this.authenticated
          ? Math.min(this.limits.bulkBytesMax, STRING_BYTES_MAX)
          : this.limits.unauthenticatedBulkBytesMax;
        if (length === undefined || length < 0 || length > max) {
          throw new ProtocolError(this.authenticated ? "invalid bulk length" : "unauthenticated bulk length");
        }
        this.bulkLength = length;
      }
      if (this.bufferedBytes < this.bulkLength + 2) return undefined;
      if (this.pendingBytes > 0) this.coalesce();
      const start = this.position;
      const end = start + this.bulkLength;
      this.args.push(this.buffer.toString("latin1", start, end));
      // Redis does not check the CRLF after a bulk; it skips two bytes.
      this.position = end + 2;
      this.bulkLength = -1;
      this.multibulkRemaining--;
    }
    const args = this.args;
    this.args = [];
    return args;
  }

  /** Reads a header line like `*3` or `$5`; undefined when the CRLF has not arrived. */
  private readLine(tooBigReason: string): string | undefined {
    const newline = this.buffer.indexOf(CR, this.position);
    if (newline < 0 || newline + 1 >= this.buffer.length) {
      if (this.buffer.length - this.position > this.limits.inlineBytesMax) throw new ProtocolError(tooBigReason);
      return undefined;
    }
    if (newline - this.position > this.limits.inlineBytesMax) throw new ProtocolError(tooBigReason);
    const line = this.buffer.toString("latin1", this.position, newline);
    this.position = newline + 2;
    return line;
  }

  private readInline(): string[] | undefined {
    const newline = this.buffer.indexOf(LF, this.position);
    if (newline < 0) {
      if (this.buffer.length - this.position > this.limits.inlineBytesMax) {
        throw new ProtocolError("too big inline request");
      }
      return undefined;
    }
    let end = newline;
    if (end > this.position && this.buffer[end - 1] === CR) end--;
    const line = this.buffer.toString("latin1", this.position, end);
    this.position = newline + 1;
    const args = splitInlineArguments(line);
    if (args === undefined) throw new ProtocolError("unbalanced quotes in request");
    return args;
  }
}

/** Parses the number after a `*` or `$` marker; undefined unless it is a plain decimal. */
function parseLength(line: string, from: number): number | undefined {
  const text = line.slice(from);
  if (!/^-?\d{1,19}$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" };

/**
 * Splits an inline command line the way Redis's sdssplitargs does: spaces
 * separate arguments, double quotes allow escapes (`\n`, `\xHH`...), single
 * quotes allow `\'`, and a closing quote must be followed by a space.
 * Returns undefined for unbalanced quotes.
 */
export function splitInlineArguments(line: string): string[] | undefined {
  const args: string[] = [];
  let index = 0;
  const length = line.length;
  const isSpace = (c: string | undefined) => c === " " || c === "\n" || c === "\r" || c === "\t" || c === "\v" || c === "\f";
  for (;;) {
    while (index < length && isSpace(line[index])) index++;
    if (index >= length) return args;
    let current = "";
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      const c = line[index];
      if (inDouble) {
        if (c === undefined) return undefined;
        if (c === "\\" && line[index + 1] === "x" && isHex(line[index + 2]) && isHex(line[index + 3])) {
          current += String.fromCharCode(parseInt(line.slice(index + 2, index + 4), 16));
          index += 3;
        } else if (c === "\\" && index + 1 < length) {
          index++;
          const escaped = line[index]!;
          current += ESCAPES[escaped] ?? escaped;
        } else if (c === '"') {
          if (index + 1 < length && !isSpace(line[index + 1])) return undefined;
          inDouble = false;
          index++;
          break;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (c === undefined) return undefined;
        if (c === "\\" && line[index + 1] === "'") {
          index++;
          current += "'";
        } else if (c === "'") {
          if (index + 1 < length && !isSpace(line[index + 1])) return undefined;
          inSingle = false;
          index++;
          break;
        } else {
          current += c;
        }
      } else {
        if (c === undefined || isSpace(c)) break;
        if (c === '"') inDouble = true;
        else if (c === "'") inSingle = true;
        else current += c;
      }
      index++;
    }
    args.push(current);
  }
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}
