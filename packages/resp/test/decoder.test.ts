import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_PROTOCOL_LIMITS, QueryBufferLimitError, RequestDecoder, STRING_BYTES_MAX, parseLongLong } from "../src/index.js";
import { bytewise, decode, decodeChunks, decoderWith, encodeCommand, latin1, splitAt, type Decoded } from "./support.js";

const PING = "*1\r\n$4\r\nPING\r\n";
const KiB = 1024;

/**
 * Inputs with what Redis 7.0.15 makes of them, captured from a real server
 * over raw sockets (test/resp.differential.test.ts replays them side by
 * side). `waits` means no command and no error: Redis keeps reading.
 */
const REDIS_CASES: [name: string, input: string, expected: Decoded][] = [
  ["a multibulk", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n", { commands: [["SET", "k", "v"]] }],
  ["*0 is skipped", "*0\r\n" + PING, { commands: [["PING"]] }],
  ["*-1 is skipped", "*-1\r\n" + PING, { commands: [["PING"]] }],
  ["any negative count is skipped", "*-5\r\n" + PING, { commands: [["PING"]] }],
  ["LLONG_MIN is a valid (skipped) count", "*-9223372036854775808\r\n" + PING, { commands: [["PING"]] }],
  ["below LLONG_MIN", "*-9223372036854775809\r\n", { commands: [], error: "invalid multibulk length" }],
  ["count with +", "*+1\r\n" + "$4\r\nPING\r\n", { commands: [], error: "invalid multibulk length" }],
  ["count with a leading space", "* 1\r\n", { commands: [], error: "invalid multibulk length" }],
  ["count with a trailing space", "*1 \r\n", { commands: [], error: "invalid multibulk length" }],
  ["count with a leading zero", "*01\r\n", { commands: [], error: "invalid multibulk length" }],
  ["count -0", "*-0\r\n", { commands: [], error: "invalid multibulk length" }],
  ["non-numeric count", "*abc\r\n", { commands: [], error: "invalid multibulk length" }],
  ["empty count", "*\r\n", { commands: [], error: "invalid multibulk length" }],
  ["INT_MAX count waits for arguments", "*2147483647\r\n", { commands: [] }],
  ["count above INT_MAX", "*2147483648\r\n", { commands: [], error: "invalid multibulk length" }],
  ["count above LLONG_MAX", "*9223372036854775808\r\n", { commands: [], error: "invalid multibulk length" }],
  ["negative bulk length", "*1\r\n$-1\r\n", { commands: [], error: "invalid bulk length" }],
  ["bulk length -0", "*1\r\n$-0\r\n", { commands: [], error: "invalid bulk length" }],
  ["bulk length with +", "*1\r\n$+4\r\nPING\r\n", { commands: [], error: "invalid bulk length" }],
  ["bulk length with a space", "*1\r\n$ 4\r\nPING\r\n", { commands: [], error: "invalid bulk length" }],
  ["bulk length with a leading zero", "*1\r\n$04\r\nPING\r\n", { commands: [], error: "invalid bulk length" }],
  ["bulk length of 20 nines", "*1\r\n$99999999999999999999\r\n", { commands: [], error: "invalid bulk length" }],
  ["bulk length LLONG_MAX", "*1\r\n$9223372036854775807\r\n", { commands: [], error: "invalid bulk length" }],
  ["bulk length over proto-max-bulk-len", "*1\r\n$536870913\r\n", { commands: [], error: "invalid bulk length" }],
  ["an error after earlier commands", PING + PING + "*x\r\n" + PING, { commands: [["PING"], ["PING"]], error: "invalid multibulk length" }],
  ["empty bulk", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", { commands: [["ECHO", ""]] }],
  ["empty command name", "*1\r\n$0\r\n\r\n", { commands: [[""]] }],
  ["bytes after a bulk are not checked", "*1\r\n$4\r\nPINGxx" + PING, { commands: [["PING"], ["PING"]] }],
  ["the byte after a header CR is not checked", "*1\rX$4\r\nPING\r\n", { commands: [["PING"]] }],
  ["nor after a bulk header CR", "*1\r\n$4\rXPINGzz", { commands: [["PING"]] }],
  ["a header ended by CR alone eats the next byte", "*1\r$4\r\nPING\r\n", { commands: [], error: "expected '$', got '4'" }],
  ["a bulk marker that is not $", "*1\r\nX\r\n", { commands: [], error: "expected '$', got 'X'" }],
  ["CR as bulk marker is shown as a space", "*1\r\n\r\n", { commands: [], error: "expected '$', got ' '" }],
  ["LF as bulk marker is shown as a space", "*1\r\n\n\r\n", { commands: [], error: "expected '$', got ' '" }],
  ["a high byte as bulk marker", "*1\r\n\xff\r\n", { commands: [], error: "expected '$', got '\xff'" }],
  ["an array header in place of a bulk", "*2\r\n$4\r\nECHO\r\n*0\r\n", { commands: [], error: "expected '$', got '*'" }],
  ["the marker is checked only once the line is complete", "*1\r\nX", { commands: [] }],
  ["LF-only multibulk lines wait for a CR", "*1\n$4\nPING\n", { commands: [] }],
  ["LF-only count line runs into the next CR", "*1\n$4\r\nPING\r\n", { commands: [], error: "invalid multibulk length" }],
  ["a NUL hides the count's CR", "*1\0\r\n" + "$4\r\nPING\r\n", { commands: [] }],
  ["a NUL hides the bulk header's CR", "*1\r\n$4\0\r\nPING\r\n", { commands: [] }],
  ["NUL inside bulk data is data", "*1\r\n$4\r\nPI\0G\r\n", { commands: [["PI\0G"]] }],
  ["an incomplete bulk waits", "*1\r\n$4\r\nPING", { commands: [] }],
  ["a bulk without its second trailing byte waits", "*1\r\n$4\r\nPING\r", { commands: [] }],
  ["inline with LF", "PING\n", { commands: [["PING"]] }],
  ["inline with CRLF", "PING\r\n", { commands: [["PING"]] }],
  ["inline with blanks around", "  PING  \r\n", { commands: [["PING"]] }],
  ["blank inline lines are skipped", "\r\n\r\nPING\r\n", { commands: [["PING"]] }],
  ["a blank line after a multibulk", PING + "\r\n", { commands: [["PING"]] }],
  ["quoted inline", '"PING"\r\n', { commands: [["PING"]] }],
  ["a closing quote followed by a letter", '"PING"x\r\n', { commands: [], error: "unbalanced quotes in request" }],
  ["an unterminated quote", '"PI\r\n', { commands: [], error: "unbalanced quotes in request" }],
  ["an error after an inline command", PING + 'ECHO "x\r\n', { commands: [["PING"]], error: "unbalanced quotes in request" }],
  ["hex and letter escapes", 'ECHO "a\\x41\\n"\r\n', { commands: [["ECHO", "aA\n"]] }],
  ["\\x without hex digits is x", 'ECHO "\\xZZ"\r\n', { commands: [["ECHO", "xZZ"]] }],
  ["\\x with one hex digit", 'ECHO "\\x4g"\r\n', { commands: [["ECHO", "x4g"]] }],
  ["\\x at the end of a quote", 'ECHO "\\x4"\r\n', { commands: [["ECHO", "x4"]] }],
  ["backslash escapes in quotes", 'ECHO "a\\\\b\\q"\r\n', { commands: [["ECHO", "a\\bq"]] }],
  ["an escaped quote", 'ECHO "\\""\r\n', { commands: [["ECHO", '"']] }],
  ["an escaped closing quote leaves it open", 'ECHO "a\\"\r\n', { commands: [], error: "unbalanced quotes in request" }],
  ["empty double quotes", 'ECHO ""\r\n', { commands: [["ECHO", ""]] }],
  ["empty single quotes", "ECHO ''\r\n", { commands: [["ECHO", ""]] }],
  ["an escaped single quote", "ECHO 'a\\'b'\r\n", { commands: [["ECHO", "a'b"]] }],
  ["quotes inside a bare word", 'ECHO a"b c"d\r\n', { commands: [], error: "unbalanced quotes in request" }],
  ["adjacent quoted words", 'ECHO "a""b"\r\n', { commands: [], error: "unbalanced quotes in request" }],
  ["\\v inside a bare word is kept", "ECHO a\vb\r\n", { commands: [["ECHO", "a\vb"]] }],
  ["a leading \\v is a blank", "ECHO \va\r\n", { commands: [["ECHO", "a"]] }],
  ["\\f alone is a blank", "ECHO \f\r\n", { commands: [["ECHO"]] }],
  ["\\v after a closing quote separates", 'ECHO "a"\vb\r\n', { commands: [["ECHO", "a", "b"]] }],
  ["tab after a closing quote separates", 'ECHO "a"\tb\r\n', { commands: [["ECHO", "a", "b"]] }],
  ["high bytes pass through", 'ECHO "\xe9\\xff"\r\n', { commands: [["ECHO", "\xe9\xff"]] }],
  ["only one CR is stripped", "ECHO a\r\r\n", { commands: [["ECHO", "a"]] }],
  ["a CR inside an inline line separates", "ECHO a\rb\n", { commands: [["ECHO", "a", "b"]] }],
  ["a NUL hides the inline LF", "ECHO \0\r\n", { commands: [] }],
  ["a leading NUL", "\0PING\r\n", { commands: [] }],
];

/** Long-line cases around PROTO_INLINE_MAX_SIZE (64 KiB). */
const LONG_LINE_CASES: [name: string, input: string, expected: Decoded][] = [
  ["an inline line of 64 KiB with its CR", "ECHO " + "a".repeat(64 * KiB - 6) + "\r\n", { commands: [["ECHO", "a".repeat(64 * KiB - 6)]] }],
  ["an inline line one byte longer", "ECHO " + "a".repeat(64 * KiB - 5) + "\r\n", { commands: [], error: "too big inline request" }],
  ["a count line of 64 KiB", "*" + "0".repeat(64 * KiB - 1) + "\r\n", { commands: [], error: "invalid multibulk length" }],
  ["a count line one byte longer", "*" + "0".repeat(64 * KiB) + "\r\n", { commands: [], error: "too big mbulk count string" }],
  ["64 KiB without LF waits", "a".repeat(64 * KiB), { commands: [] }],
  ["64 KiB + 1 without LF", "a".repeat(64 * KiB + 1), { commands: [], error: "too big inline request" }],
  ["an inline line far over 64 KiB", "ECHO " + "a".repeat(200 * KiB) + "\r\n", { commands: [], error: "too big inline request" }],
  ["a count line of 64 KiB without CR waits", "*" + "1".repeat(64 * KiB - 1), { commands: [] }],
  ["a count line over 64 KiB without CR", "*" + "1".repeat(64 * KiB), { commands: [], error: "too big mbulk count string" }],
  ["a count line far over 64 KiB", "*" + "1".repeat(200 * KiB) + "\r\n", { commands: [], error: "too big mbulk count string" }],
  ["a count line with LF ends only", "*1\n" + "x".repeat(70_000) + "\n", { commands: [], error: "too big mbulk count string" }],
  ["a bulk header over 64 KiB without CR", "*1\r\n$" + "1".repeat(64 * KiB), { commands: [], error: "too big bulk count string" }],
  ["a NUL-stalled line errs past 64 KiB", "*1\0" + "x".repeat(64 * KiB), { commands: [], error: "too big mbulk count string" }],
  ["a NUL-stalled inline line errs past 64 KiB", "GET \0" + "x".repeat(64 * KiB), { commands: [], error: "too big inline request" }],
];

describe("RequestDecoder: Redis 7.0 framing", () => {
  for (const [name, input, expected] of [...REDIS_CASES, ...LONG_LINE_CASES]) {
    it(name, () => {
      expect(decode(input)).toEqual(expected);
    });
  }

  it("gives the same result however short cases are split, down to single bytes", () => {
    for (const [name, input, expected] of REDIS_CASES) {
      const bytes = latin1(input);
      expect(decodeChunks(bytewise(bytes)), `${name}, byte by byte`).toEqual(expected);
      for (let offset = 1; offset < bytes.length; offset++) {
        expect(decodeChunks(splitAt(bytes, [offset])), `${name}, split at ${offset}`).toEqual(expected);
      }
    }
  });

  it("gives the same result for long lines split in 1000-byte and 16 KiB chunks", () => {
    for (const [name, input, expected] of LONG_LINE_CASES) {
      const bytes = latin1(input);
      for (const size of [1000, 16 * KiB]) {
        const offsets: number[] = [];
        for (let offset = size; offset < bytes.length; offset += size) offsets.push(offset);
        expect(decodeChunks(splitAt(bytes, offsets)), `${name}, chunks of ${size}`).toEqual(expected);
      }
    }
  });

  it("decodes a pipeline of mixed multibulk and inline commands in order", () => {
    const input = encodeCommand(["SET", "a", "1"]) + "GET a\r\n" + encodeCommand(["DEL", "a", "b"]) + "\n" + "PING\n" + encodeCommand(["ECHO", "x\r\ny"]);
    const expected = [["SET", "a", "1"], ["GET", "a"], ["DEL", "a", "b"], ["PING"], ["ECHO", "x\r\ny"]];
    expect(decode(input).commands).toEqual(expected);
    expect(decodeChunks(bytewise(latin1(input))).commands).toEqual(expected);
  });

  it("returns binary arguments one char per byte", () => {
    const all = Buffer.alloc(256);
    for (let byte = 0; byte < 256; byte++) all[byte] = byte;
    const bytes = Buffer.concat([latin1("*2\r\n$3\r\nSET\r\n$256\r\n"), all, latin1("\r\n")]);
    const [command] = decodeChunks([bytes]).commands;
    expect(Buffer.from(command![1]!, "latin1")).toEqual(all);
  });

  it("returns arguments of every length from 0 to 40 bytes intact", () => {
    const args = Array.from({ length: 41 }, (_, length) => Array.from({ length }, (_, i) => String.fromCharCode((i * 37 + length) % 256)).join(""));
    expect(decode(encodeCommand(args)).commands).toEqual([args]);
  });
});

describe("parseLongLong (Redis string2ll)", () => {
  const parse = (text: string) => parseLongLong(latin1(text), 0, text.length);
  it("accepts canonical decimals within a C long long", () => {
    expect(parse("0")).toBe(0);
    expect(parse("7")).toBe(7);
    expect(parse("-12")).toBe(-12);
    expect(parse("9007199254740991")).toBe(9007199254740991);
    expect(parse("9223372036854775807")).toBe(2 ** 63);
    expect(parse("-9223372036854775808")).toBe(-9223372036854775808);
  });
  it("refuses everything else", () => {
    for (const text of ["", "-", "+1", " 1", "1 ", "01", "-0", "00", "1a", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "123456789012345678901", "1.5", "1e3"]) {
      expect(parse(text), JSON.stringify(text)).toBeNaN();
    }
  });
});

describe("RequestDecoder: authentication limits", () => {
  const unauthenticated = () => {
    const decoder = new RequestDecoder();
    decoder.authenticated = false;
    return decoder;
  };

  it("accepts up to 10 arguments and 16384-byte bulks before AUTH", () => {
    expect(decode("*10\r\n", unauthenticated())).toEqual({ commands: [] });
    expect(decode("*1\r\n$16384\r\n", unauthenticated())).toEqual({ commands: [] });
    const args = Array.from({ length: 10 }, () => "x".repeat(16384));
    expect(decode(encodeCommand(args), unauthenticated()).commands).toEqual([args]);
  });

  it("refuses more, with Redis's texts", () => {
    expect(decode("*11\r\n", unauthenticated())).toEqual({ commands: [], error: "unauthenticated multibulk length" });
    expect(decode("*1\r\n$16385\r\n", unauthenticated())).toEqual({ commands: [], error: "unauthenticated bulk length" });
  });

  it("checks validity before the unauthenticated bounds, as Redis does", () => {
    expect(decode("*abc\r\n", unauthenticated()).error).toBe("invalid multibulk length");
    expect(decode("*1\r\n$-1\r\n", unauthenticated()).error).toBe("invalid bulk length");
    expect(decode("*1\r\n$x\r\n", unauthenticated()).error).toBe("invalid bulk length");
  });

  it("applies the flag as it stands when each command is parsed", () => {
    const decoder = unauthenticated();
    decoder.push(latin1(encodeCommand(["AUTH", "pw"]) + "*11\r\n"));
    expect(decoder.next()).toEqual(["AUTH", "pw"]);
    decoder.authenticated = true;
    expect(decoder.next()).toBeUndefined();
    decoder.push(latin1("$1\r\na\r\n".repeat(11)));
    expect(decoder.next()).toHaveLength(11);
    decoder.authenticated = false;
    decoder.push(latin1("*11\r\n"));
    expect(() => decoder.next()).toThrow("Protocol error: unauthenticated multibulk length");
  });

  it("does not bound inline commands beyond the line length", () => {
    const args = Array.from({ length: 20 }, (_, i) => "a" + i);
    expect(decode(args.join(" ") + "\r\n", unauthenticated()).commands).toEqual([args]);
  });
});

describe("RequestDecoder: limits", () => {
  it("refuses a bulk over proto-max-bulk-len, read live from the limits object", () => {
    const limits = { ...DEFAULT_PROTOCOL_LIMITS };
    const decoder = new RequestDecoder(limits);
    decoder.push(latin1("*1\r\n$2000000\r\n"));
    expect(decoder.next()).toBeUndefined();
    const changed = { ...DEFAULT_PROTOCOL_LIMITS };
    const later = new RequestDecoder(changed);
    changed.bulkBytesMax = 1024 * 1024;
    expect(decode("*1\r\n$1048576\r\n", later)).toEqual({ commands: [] });
    expect(decode("*1\r\n$1048577\r\n", new RequestDecoder(changed))).toEqual({ commands: [], error: "invalid bulk length" });
  });

  it("refuses bulks V8 cannot hold as one string, whatever proto-max-bulk-len says", () => {
    const decoder = decoderWith({ bulkBytesMax: 2 ** 40, queryBufferBytesMax: 2 ** 41 });
    expect(decode(`*1\r\n$${STRING_BYTES_MAX}\r\n`, decoder)).toEqual({ commands: [] });
    const over = decoderWith({ bulkBytesMax: 2 ** 40, queryBufferBytesMax: 2 ** 41 });
    expect(decode(`*1\r\n$${STRING_BYTES_MAX + 1}\r\n`, over)).toEqual({ commands: [], error: "invalid bulk length" });
  });

  it("refuses a push that would pass client-query-buffer-limit, before copying it", () => {
    const decoder = decoderWith({ queryBufferBytesMax: 1000 });
    decoder.push(latin1("*2\r\n$4\r\nECHO\r\n$2000\r\n"));
    expect(decoder.next()).toBeUndefined();
    decoder.push(Buffer.alloc(996, 120));
    const error = captureLimitError(() => decoder.push(Buffer.alloc(1, 120)));
    // "ECHO" (4 bytes, decoded) + 997 bytes of the awaited bulk.
    expect(error.bufferedBytes).toBe(1001);
    // The connection is being closed: later input is dropped, nothing is decoded.
    decoder.push(latin1(PING));
    expect(decoder.next()).toBeUndefined();
    expect(decoder.heldBytes).toBe(0);
  });

  it("counts pending input of a client that is not being pulled (blocked)", () => {
    const decoder = decoderWith({ queryBufferBytesMax: 100 });
    for (let i = 0; i < 7; i++) decoder.push(latin1(PING));
    expect(decoder.bufferedBytes).toBe(98);
    captureLimitError(() => decoder.push(latin1(PING)));
  });

  it("counts arguments already decoded of the command in progress", () => {
    const decoder = decoderWith({ queryBufferBytesMax: 10_000 });
    decoder.push(latin1("*3\r\n$4\r\nMSET\r\n$6000\r\n" + "a".repeat(6000) + "\r\n"));
    expect(decoder.next()).toBeUndefined();
    expect(decoder.bufferedBytes).toBe(0);
    expect(decoder.heldBytes).toBe(6004);
    captureLimitError(() => decoder.push(latin1("$6000\r\n" + "b".repeat(5000))));
  });

  it("holds a big bulk within the limit while it arrives, then refuses past it", () => {
    const limit = 4 * 1024 * 1024;
    const decoder = decoderWith({ queryBufferBytesMax: limit });
    decoder.push(latin1("*2\r\n$4\r\nECHO\r\n$10000000\r\n"));
    expect(decoder.next()).toBeUndefined();
    const chunk = Buffer.alloc(64 * KiB, 121);
    let pushed = 0;
    let refused: QueryBufferLimitError | undefined;
    try {
      for (;;) {
        decoder.push(chunk);
        pushed += chunk.length;
        expect(decoder.next()).toBeUndefined();
        expect(decoder.heldBytes).toBe(pushed + 4);
      }
    } catch (error) {
      if (!(error instanceof QueryBufferLimitError)) throw error;
      refused = error;
    }
    expect(refused!.bufferedBytes).toBeGreaterThan(limit);
    expect(pushed).toBeLessThanOrEqual(limit);
    expect(pushed + chunk.length).toBeGreaterThan(limit - 4);
  });
});

function captureLimitError(action: () => void): QueryBufferLimitError {
  try {
    action();
  } catch (error) {
    if (error instanceof QueryBufferLimitError) return error;
    throw error;
  }
  throw new Error("expected a QueryBufferLimitError");
}

describe("RequestDecoder: errors stick", () => {
  it("throws the same error on every later call and ignores more input", () => {
    const decoder = new RequestDecoder();
    decoder.push(latin1("*x\r\n"));
    expect(() => decoder.next()).toThrow("Protocol error: invalid multibulk length");
    decoder.push(latin1(PING));
    expect(() => decoder.next()).toThrow("Protocol error: invalid multibulk length");
    expect(decoder.heldBytes).toBe(0);
  });
});

describe("RequestDecoder: large values and memory", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("assembles a 100 MB bulk from 64 KiB chunks in linear time, copying no chunk", () => {
    const size = 100 * 1024 * 1024;
    const copy = vi.spyOn(Buffer.prototype, "copy");
    const decoder = new RequestDecoder();
    const startedMs = performance.now();
    decoder.push(latin1(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${size}\r\n`));
    expect(decoder.next()).toBeUndefined();
    const chunk = Buffer.alloc(64 * KiB, 122);
    let command: string[] | undefined;
    for (let sent = 0; sent < size; sent += chunk.length) {
      decoder.push(chunk);
      command = decoder.next();
      expect(decoder.heldBytes).toBe(sent + chunk.length + 4);
    }
    expect(command).toBeUndefined();
    decoder.push(latin1("\r\n" + PING));
    command = decoder.next();
    const elapsedMs = performance.now() - startedMs;
    expect(command![2]!.length).toBe(size);
    expect(command![2]!.charCodeAt(size - 1)).toBe(122);
    expect(decoder.next()).toEqual(["PING"]);
    expect(copy).not.toHaveBeenCalled();
    // Linear work is a few hundred milliseconds; re-buffering per chunk would be minutes.
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it("copies a big bulk dripped in small pieces a bounded number of times", () => {
    const size = 1024 * 1024;
    const copy = vi.spyOn(Buffer.prototype, "copy");
    const bytes = latin1(`*2\r\n$4\r\nECHO\r\n$${size}\r\n` + "d".repeat(size) + "\r\n");
    const offsets: number[] = [];
    for (let offset = 100; offset < bytes.length; offset += 100) offsets.push(offset);
    const result = decodeChunks(splitAt(bytes, offsets));
    expect(result.commands[0]![1]!.length).toBe(size);
    let copiedBytes = 0;
    copy.mock.calls.forEach((call, index) => {
      const source = copy.mock.contexts[index] as Buffer;
      copiedBytes += ((call[3] as number | undefined) ?? source.length) - ((call[2] as number | undefined) ?? 0);
    });
    expect(copiedBytes).toBeGreaterThan(0);
    expect(copiedBytes).toBeLessThan(2 * bytes.length);
  });

  it("drops its reference to the last chunk once everything is consumed", () => {
    const decoder = new RequestDecoder();
    decoder.push(latin1(PING));
    expect(decoder.next()).toEqual(["PING"]);
    expect(decoder.next()).toBeUndefined();
    expect((decoder as unknown as { buffer: Buffer }).buffer.length).toBe(0);
    expect(decoder.heldBytes).toBe(0);
  });

  it("keeps a small staging buffer for reuse and drops a big one when drained", () => {
    const decoder = new RequestDecoder();
    const staging = () => (decoder as unknown as { staging: Buffer | undefined }).staging;
    const big = latin1(encodeCommand(["ECHO", "e".repeat(20_000)]));
    decodeChunks(splitAt(big, [10, 15_000]), decoder);
    expect(staging()).toBeUndefined();
    decodeChunks(splitAt(latin1(PING + PING), [3, 20]), decoder);
    expect(staging()!.length).toBeLessThanOrEqual(16 * KiB);
  });

  it("scans a slowly arriving long line once, not once per chunk", () => {
    const decoder = new RequestDecoder();
    const line = "ECHO " + "a".repeat(60_000) + "\r\n";
    const startedMs = performance.now();
    const result = decodeChunks(bytewise(latin1(line)), decoder);
    expect(result.commands[0]![1]!.length).toBe(60_000);
    // Rescanning from the line start on each of 60k pushes would be ~1.8e9 byte steps.
    expect(performance.now() - startedMs).toBeLessThan(5_000);
  });
});
