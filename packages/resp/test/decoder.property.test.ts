import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { QueryBufferLimitError, RequestDecoder, splitInlineArguments } from "../src/index.js";
import { decodeChunks, encodeCommand, latin1, splitAt } from "./support.js";

/** A binary-safe argument: any bytes, mostly short, sometimes past the big-bulk threshold. */
const argument = fc.oneof(
  { weight: 20, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)), maxLength: 24 }) },
  { weight: 1, arbitrary: fc.integer({ min: 30_000, max: 100_000 }).map((n) => "\xab".repeat(n)) },
);
const command = fc.array(argument, { minLength: 1, maxLength: 6 });

/** Cut points for `length` bytes: any number of them, anywhere, including none. */
function chunkings(length: number): fc.Arbitrary<number[]> {
  return fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 40 }).map((cuts) => cuts.filter((cut) => cut < length).sort((a, b) => a - b));
}

/**
 * Encodes a command as an inline line when its arguments allow it: plain
 * printable words without quotes, and not starting with `*`, which would
 * make the line a multibulk header.
 */
function inlineWords(args: readonly string[]): string | undefined {
  const plain = args.every((arg) => /^[!#-&(-~]+$/.test(arg)) && !args[0]!.startsWith("*");
  return plain ? args.join(" ") + "\r\n" : undefined;
}

describe("RequestDecoder properties", () => {
  it("decodes any commands, however the bytes are chunked, back to the same arguments", () => {
    fc.assert(
      fc.property(
        fc.array(command, { minLength: 1, maxLength: 8 }).chain((commands) => {
          const bytes = latin1(commands.map((args) => inlineWords(args) ?? encodeCommand(args)).join(""));
          return fc.tuple(fc.constant(commands), fc.constant(bytes), chunkings(bytes.length));
        }),
        ([commands, bytes, cuts]) => {
          expect(decodeChunks(splitAt(bytes, cuts))).toEqual({ commands });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("makes the same of arbitrary bytes whatever the chunking, and fails only with protocol errors", () => {
    // Bytes drawn mostly from RESP's own alphabet so that headers, lengths and quotes occur often.
    const alphabet = ["*", "$", "\r", "\n", "\r\n", "0", "1", "2", "3", "-", " ", '"', "'", "\\", "x", "a", "\0", "\v", "PING", "$3\r\n", "*2\r\n"];
    const noise = fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((parts) => latin1(parts.join("")));
    fc.assert(
      fc.property(
        noise.chain((bytes) => fc.tuple(fc.constant(bytes), chunkings(bytes.length))),
        ([bytes, cuts]) => {
          const whole = decodeChunks([bytes]);
          expect(decodeChunks(splitAt(bytes, cuts))).toEqual(whole);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("splits quoted inline arguments back to what was quoted", () => {
    const quote = (arg: string) => '"' + [...arg].map((c) => "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0")).join("") + '"';
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)), maxLength: 12 }), { minLength: 1, maxLength: 5 }), (args) => {
        expect(splitInlineArguments(args.map(quote).join(" "))).toEqual(args);
      }),
    );
  });

  it("keeps what it holds within the query buffer limit, whatever arrives", () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 4 }), fc.integer({ min: 16, max: 4096 }), (commands, limit) => {
        const bytes = latin1(commands.map(encodeCommand).join(""));
        const decoder = new RequestDecoder({ ...new RequestDecoder().limits, queryBufferBytesMax: limit });
        for (let offset = 0; offset < bytes.length; offset += 100) {
          try {
            decoder.push(bytes.subarray(offset, offset + 100));
          } catch (error) {
            if (error instanceof QueryBufferLimitError) return;
            throw error;
          }
          expect(decoder.heldBytes).toBeLessThanOrEqual(limit);
          while (decoder.next() !== undefined);
        }
      }),
      { numRuns: 200 },
    );
  });
});
