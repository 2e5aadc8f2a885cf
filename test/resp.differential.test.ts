import { ReplyWriter } from "@shardline/resp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisPair } from "./support/differential.js";
import { redisServerAvailable, skipReason, startRedisServer, type Spawned } from "./support/processes.js";
import { RawConnection } from "./support/raw-client.js";

/**
 * The request framing of shardline-node against a real redis-server: the
 * same bytes (well formed, malformed, split, oversized) go to both on fresh
 * connections, and both must answer the same bytes and both close the
 * connection, or both keep it open.
 */

const PING = "*1\r\n$4\r\nPING\r\n";
const KiB = 1024;

/** What a server did with some input: every byte it wrote until it went quiet, and whether it closed. */
interface Outcome {
  replies: string;
  closed: boolean;
}

/** Quiet period after which a server that neither answered nor closed is taken to be waiting for more input. */
const QUIET_MS = 1500;

/** Sends `parts` on a fresh connection (a pause between parts, so they arrive as separate reads) and records the outcome. */
async function exchange(port: number, parts: readonly string[]): Promise<Outcome> {
  const connection = await RawConnection.connect(port);
  try {
    for (const [index, part] of parts.entries()) {
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, 30));
      connection.write(part);
    }
    let replies = "";
    for (;;) {
      try {
        replies += await connection.readReply(QUIET_MS);
      } catch {
        break;
      }
    }
    // A close right after the last reply may still be on its way.
    const closed = connection.isClosed || (await connection.waitClosed(100));
    return { replies, closed };
  } finally {
    connection.close();
  }
}

/** Inputs whose outcome does not depend on how the server's reads split them. */
const FRAMING_CASES: [name: string, parts: string[]][] = [
  ["pipelined multibulk", [PING + PING + "*2\r\n$4\r\nECHO\r\n$3\r\na\r\nb\r\n"]],
  ["*0, *-1 and *-5 are skipped", ["*0\r\n*-1\r\n*-5\r\n" + PING]],
  ["LLONG_MIN count", ["*-9223372036854775808\r\n" + PING]],
  ["below LLONG_MIN", ["*-9223372036854775809\r\n"]],
  ["count with +", ["*+1\r\n$4\r\nPING\r\n"]],
  ["count with spaces", ["* 1\r\n"]],
  ["count with a trailing space", ["*1 \r\n"]],
  ["count with a leading zero", ["*01\r\n"]],
  ["count -0", ["*-0\r\n"]],
  ["count abc", ["*abc\r\n"]],
  ["empty count", ["*\r\n"]],
  ["INT_MAX count", ["*2147483647\r\n"]],
  ["count above INT_MAX", ["*2147483648\r\n"]],
  ["count above LLONG_MAX", ["*9223372036854775808\r\n"]],
  ["bulk length -1", ["*1\r\n$-1\r\n"]],
  ["bulk length -0", ["*1\r\n$-0\r\n"]],
  ["bulk length +4", ["*1\r\n$+4\r\nPING\r\n"]],
  ["bulk length with a space", ["*1\r\n$ 4\r\nPING\r\n"]],
  ["bulk length 04", ["*1\r\n$04\r\nPING\r\n"]],
  ["bulk length of 20 digits", ["*1\r\n$99999999999999999999\r\n"]],
  ["bulk length LLONG_MAX", ["*1\r\n$9223372036854775807\r\n"]],
  ["bulk length over proto-max-bulk-len", ["*1\r\n$536870913\r\n"]],
  ["error after pipelined commands", [PING + PING + "*x\r\n" + PING]],
  ["empty bulk argument", ["*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"]],
  ["trailing bulk bytes are not checked", ["*1\r\n$4\r\nPINGxx" + PING]],
  ["the byte after a header CR is not checked", ["*1\rX$4\r\nPING\r\n"]],
  ["nor after a bulk header CR", ["*1\r\n$4\rXPINGzz"]],
  ["CR-only header eats the next byte", ["*1\r$4\r\nPING\r\n"]],
  ["bulk marker X", ["*1\r\nX\r\n"]],
  ["bulk marker CR", ["*1\r\n\r\n"]],
  ["bulk marker LF", ["*1\r\n\n\r\n"]],
  ["bulk marker 0xff", ["*1\r\n\xff\r\n"]],
  ["array header in place of a bulk", ["*2\r\n$4\r\nECHO\r\n*0\r\n"]],
  ["marker without its line end", ["*1\r\nX"]],
  ["LF-only lines", ["*1\n$4\nPING\n"]],
  ["LF-only count line runs into the next CR", ["*1\n$4\r\nPING\r\n"]],
  ["NUL before the count's CR", ["*1\0\r\n$4\r\nPING\r\n"]],
  ["NUL before a bulk header's CR", ["*1\r\n$4\0\r\nPING\r\n"]],
  ["NUL inside bulk data", ["*2\r\n$4\r\nECHO\r\n$4\r\nPI\0G\r\n"]],
  ["incomplete bulk", ["*1\r\n$4\r\nPING"]],
  ["bulk missing its second trailing byte", ["*1\r\n$4\r\nPING\r"]],
  ["split everywhere", ["*", "2\r", "\n$4", "\r\nEC", "HO\r\n$", "3\r\nab", "c\r", "\n"]],
  ["inline LF", ["PING\n"]],
  ["inline CRLF", ["PING\r\n"]],
  ["inline blanks", ["  PING  \r\n"]],
  ["blank lines", ["\r\n\r\n\n" + PING + "\r\n"]],
  ["quoted command", ['"PING"\r\n']],
  ["closing quote then a letter", ['"PING"x\r\n']],
  ["unterminated quote", ['"PI\r\n']],
  ["inline error after a command", [PING + 'ECHO "x\r\n']],
  ["hex and letter escapes", ['ECHO "a\\x41\\n\\t\\r\\b\\a"\r\n']],
  ["\\x without hex", ['ECHO "\\xZZ"\r\n']],
  ["\\x with one hex digit", ['ECHO "\\x4g"\r\n']],
  ["\\x at the quote's end", ['ECHO "\\x4"\r\n']],
  ["escaped backslash and q", ['ECHO "a\\\\b\\q"\r\n']],
  ["escaped quote", ['ECHO "\\""\r\n']],
  ["escaped closing quote", ['ECHO "a\\"\r\n']],
  ["empty quotes", ['ECHO ""\r\n', "ECHO ''\r\n"]],
  ["single quote escapes", ["ECHO 'a\\'b\\n'\r\n"]],
  ["quotes inside a word", ['ECHO a"b c"d\r\n']],
  ["adjacent quotes", ['ECHO "a""b"\r\n']],
  ["\\v inside a word", ["ECHO a\vb\r\n"]],
  ["leading \\v", ["ECHO \va\r\n"]],
  ["\\f alone", ["ECHO \f\r\n"]],
  ["\\v after a closing quote", ['ECHO "a"\vb\r\n']],
  ["high bytes inline", ['ECHO "\xe9\\xff"\r\n']],
  ["two CRs", ["ECHO a\r\r\n"]],
  ["a CR inside a line", ["ECHO a\rb\n"]],
  ["NUL in an inline line", ["ECHO \0\r\n"]],
  ["leading NUL", ["\0PING\r\n"]],
  ["inline line of 64 KiB", ["ECHO " + "a".repeat(64 * KiB - 6) + "\r\n"]],
  ["64 KiB without LF", ["a".repeat(64 * KiB)]],
  ["64 KiB + 1 without LF", ["a".repeat(64 * KiB + 1)]],
  ["inline line of 200 KB", ["ECHO " + "a".repeat(200_000) + "\r\n"]],
  ["count line of 64 KiB without CR", ["*" + "1".repeat(64 * KiB - 1)]],
  ["count line over 64 KiB without CR", ["*" + "1".repeat(64 * KiB)]],
  ["count line of 64 KiB with CR", ["*" + "0".repeat(64 * KiB - 1) + "\r\n"]],
  ["count line of 200 KB", ["*" + "1".repeat(200_000) + "\r\n"]],
  ["LF-only count line over 64 KiB", ["*1\n" + "x".repeat(70_000) + "\n"]],
  ["bulk header over 64 KiB without CR", ["*1\r\n$" + "1".repeat(64 * KiB)]],
  ["bulk header of 200 KB", ["*1\r\n$" + "1".repeat(200_000) + "\r\n"]],
  ["NUL-stalled line past 64 KiB", ["*1\0" + "x".repeat(64 * KiB)]],
  ["a 1 MB bulk in pieces", ["*2\r\n$4\r\nECHO\r\n$1000000\r\n" + "b".repeat(300_000), "c".repeat(400_000), "d".repeat(300_000) + "\r\n" + PING]],
];

/** Before AUTH (requirepass set): Redis's lower bounds, and their interplay with AUTH and RESET. */
const AUTH_CASES: [name: string, parts: string[]][] = [
  ["10 arguments before AUTH", ["*10\r\n"]],
  ["11 arguments before AUTH", ["*11\r\n"]],
  ["invalid count before AUTH", ["*abc\r\n"]],
  ["16384-byte bulk before AUTH", ["*1\r\n$16384\r\n"]],
  ["16385-byte bulk before AUTH", ["*1\r\n$16385\r\n"]],
  ["-1 bulk before AUTH", ["*1\r\n$-1\r\n"]],
  ["AUTH lifts the bounds for the next command", ["*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*11\r\n"]],
  ["AUTH lifts the bulk bound", ["*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*1\r\n$16385\r\n"]],
  ["a wrong password keeps them", ["*2\r\n$4\r\nAUTH\r\n$2\r\nxx\r\n*11\r\n"]],
  ["RESET restores them", ["*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*1\r\n$5\r\nRESET\r\n*11\r\n"]],
];

/**
 * With client-query-buffer-limit 1mb: Redis closes without a reply once a
 * client holds more. proto-max-bulk-len is 2mb so the oversized bulk is
 * legal and only the buffer limit can stop it (a rejected header would race
 * its error reply against the RST of closing a socket with unread input).
 */
const LIMIT_CASES: [name: string, parts: string[]][] = [
  ["a bulk larger than the query buffer limit", ["*2\r\n$4\r\nECHO\r\n$1500000\r\n" + "x".repeat(1_500_000) + "\r\n"]],
  ["a bulk within the limit", ["*2\r\n$4\r\nECHO\r\n$900000\r\n" + "x".repeat(900_000) + "\r\n"]],
  ["many small commands in one write", [PING.repeat(20_000)]],
  ["bulk over proto-max-bulk-len 2mb", ["*1\r\n$2097153\r\n"]],
  ["bulk at proto-max-bulk-len 2mb", ["*1\r\n$2097152\r\n"]],
];

async function compareCases(pair: RedisPair, cases: [string, string[]][]): Promise<void> {
  // Each case uses fresh connections; running them side by side keeps the quiet periods from adding up.
  const outcomes = await Promise.all(
    cases.map(async ([name, parts]) => {
      const [redis, shardline] = await Promise.all([exchange(pair.redis.port, parts), exchange(pair.shardline.port, parts)]);
      return { name, redis, shardline };
    }),
  );
  const differences = outcomes
    .filter(({ redis, shardline }) => redis.closed !== shardline.closed || redis.replies !== shardline.replies)
    .map(({ name, redis, shardline }) => `${name}: redis ${summarize(redis)}, shardline ${summarize(shardline)}`);
  expect(differences).toEqual([]);
}

/** An outcome in one line, long replies shortened. */
function summarize(outcome: Outcome): string {
  const replies = outcome.replies.length > 120 ? outcome.replies.slice(0, 60) + `...(${outcome.replies.length} bytes)` : outcome.replies;
  return JSON.stringify(replies) + (outcome.closed ? " and closed" : " and open");
}

describe.skipIf(skipReason(redisServerAvailable, "redis-server"))("RESP framing: shardline-node against redis-server", () => {
  let pair: RedisPair;
  let authPair: RedisPair;
  let limitPair: RedisPair;
  beforeAll(async () => {
    [pair, authPair, limitPair] = await Promise.all([
      RedisPair.start(),
      RedisPair.start(["--requirepass", "pw"]),
      RedisPair.start(["--client-query-buffer-limit", "1mb", "--proto-max-bulk-len", "2mb"]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([pair?.stop(), authPair?.stop(), limitPair?.stop()]);
  });

  it("frames well formed, malformed and oversized requests as Redis does", async () => {
    await compareCases(pair, FRAMING_CASES);
  });

  it("applies the unauthenticated bounds as Redis does", async () => {
    await compareCases(authPair, AUTH_CASES);
  });

  it("enforces client-query-buffer-limit and proto-max-bulk-len as Redis does", async () => {
    await compareCases(limitPair, LIMIT_CASES);
  });
});

/**
 * Every RESP3 shape the writer produces against the canonical examples
 * Redis's DEBUG PROTOCOL sends, in RESP2 and after HELLO 3.
 */
describe.skipIf(skipReason(redisServerAvailable, "redis-server"))("ReplyWriter against redis-server DEBUG PROTOCOL", () => {
  let redis: Spawned;
  beforeAll(async () => {
    redis = await startRedisServer(["--enable-debug-command", "yes"]);
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** DEBUG PROTOCOL <type> and how Redis builds that reply (debug.c), written with ReplyWriter. */
  const SHAPES: [type: string, write: (writer: ReplyWriter) => void][] = [
    ["string", (w) => w.bulk("Hello World")],
    ["integer", (w) => w.integer(12345)],
    ["double", (w) => w.double(3.141)],
    ["bignum", (w) => w.bigNumber("1234567999999999999999999999999999999")],
    ["null", (w) => w.nullBulk()],
    ["array", (w) => [w.arrayHeader(3), w.integer(0), w.integer(1), w.integer(2)]],
    ["set", (w) => [w.setHeader(3), w.integer(0), w.integer(1), w.integer(2)]],
    ["map", (w) => [w.mapHeader(3), ...[0, 1, 2].flatMap((j) => [w.integer(j), w.boolean(j === 1)])]],
    ["true", (w) => w.boolean(true)],
    ["false", (w) => w.boolean(false)],
    ["verbatim", (w) => w.verbatim("This is a verbatim\nstring")],
  ];

  /** RESP3 only: Redis refuses push replies to RESP2 clients, and follows the push with a normal reply. */
  const PUSH: [string, (writer: ReplyWriter) => void] = [
    "push",
    (w) => [w.pushHeader(2), w.bulk("server-cpu-usage"), w.integer(42), w.bulk("Some real reply following the push reply")],
  ];

  for (const protocol of [2, 3] as const) {
    it(`writes every DEBUG PROTOCOL shape as Redis does in RESP${protocol}`, async () => {
      const connection = await RawConnection.connect(redis.port);
      try {
        if (protocol === 3) await connection.command("HELLO", "3");
        for (const [type, write] of protocol === 3 ? [...SHAPES, PUSH] : SHAPES) {
          connection.write(`*3\r\n$5\r\nDEBUG\r\n$8\r\nPROTOCOL\r\n$${type.length}\r\n${type}\r\n`);
          let expected = await connection.readReply();
          if (type === "push") expected += await connection.readReply();
          const writer = new ReplyWriter();
          writer.protocol = protocol;
          write(writer);
          expect(writer.take(), `DEBUG PROTOCOL ${type}`).toBe(expected);
        }
      } finally {
        connection.close();
      }
    });
  }
});
