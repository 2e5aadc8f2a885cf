import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ReplyWriter, formatDouble, formatG, type Protocol } from "../src/index.js";

function written(protocol: Protocol, write: (writer: ReplyWriter) => void): string {
  const writer = new ReplyWriter();
  writer.protocol = protocol;
  write(writer);
  return writer.take();
}

/** [what, write, RESP2 bytes, RESP3 bytes], per the RESP3 specification and Redis 7.0's addReply* functions. */
const SHAPES: [string, (writer: ReplyWriter) => void, string, string][] = [
  ["ok", (w) => w.ok(), "+OK\r\n", "+OK\r\n"],
  ["simple string", (w) => w.simple("PONG"), "+PONG\r\n", "+PONG\r\n"],
  ["error", (w) => w.error("ERR syntax error"), "-ERR syntax error\r\n", "-ERR syntax error\r\n"],
  ["integer", (w) => w.integer(-42), ":-42\r\n", ":-42\r\n"],
  ["bigint integer", (w) => w.integer(-9223372036854775808n), ":-9223372036854775808\r\n", ":-9223372036854775808\r\n"],
  ["bulk", (w) => w.bulk("a\r\nb"), "$4\r\na\r\nb\r\n", "$4\r\na\r\nb\r\n"],
  ["empty bulk", (w) => w.bulk(""), "$0\r\n\r\n", "$0\r\n\r\n"],
  ["binary bulk counts bytes", (w) => w.bulk("\xff\x00"), "$2\r\n\xff\x00\r\n", "$2\r\n\xff\x00\r\n"],
  ["null bulk", (w) => w.nullBulk(), "$-1\r\n", "_\r\n"],
  ["null array", (w) => w.nullArray(), "*-1\r\n", "_\r\n"],
  ["array header", (w) => w.arrayHeader(3), "*3\r\n", "*3\r\n"],
  ["empty array", (w) => w.arrayHeader(0), "*0\r\n", "*0\r\n"],
  ["map header", (w) => w.mapHeader(2), "*4\r\n", "%2\r\n"],
  ["set header", (w) => w.setHeader(3), "*3\r\n", "~3\r\n"],
  ["push header", (w) => w.pushHeader(3), "*3\r\n", ">3\r\n"],
  ["bulk array", (w) => w.bulkArray(["a", "", "bc"]), "*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n", "*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n"],
  ["nullable bulk array", (w) => w.nullableBulkArray(["a", undefined, null]), "*3\r\n$1\r\na\r\n$-1\r\n$-1\r\n", "*3\r\n$1\r\na\r\n_\r\n_\r\n"],
  ["double", (w) => w.double(3.14159265359), "$18\r\n3.1415926535900001\r\n", ",3.1415926535900001\r\n"],
  ["integral double", (w) => w.double(3), "$1\r\n3\r\n", ",3\r\n"],
  ["inf", (w) => w.double(Infinity), "$3\r\ninf\r\n", ",inf\r\n"],
  ["-inf", (w) => w.double(-Infinity), "$4\r\n-inf\r\n", ",-inf\r\n"],
  ["nan", (w) => w.double(NaN), "$3\r\nnan\r\n", ",nan\r\n"],
  ["true", (w) => w.boolean(true), ":1\r\n", "#t\r\n"],
  ["false", (w) => w.boolean(false), ":0\r\n", "#f\r\n"],
  ["big number", (w) => w.bigNumber("1234567999999999999999999999999999999"), "$37\r\n1234567999999999999999999999999999999\r\n", "(1234567999999999999999999999999999999\r\n"],
  ["verbatim", (w) => w.verbatim("This is a verbatim\nstring"), "$25\r\nThis is a verbatim\nstring\r\n", "=29\r\ntxt:This is a verbatim\nstring\r\n"],
  ["markdown verbatim", (w) => w.verbatim("# x", "mkd"), "$3\r\n# x\r\n", "=7\r\nmkd:# x\r\n"],
];

describe("ReplyWriter shapes", () => {
  for (const [what, write, resp2, resp3] of SHAPES) {
    it(`${what} in RESP2 and RESP3`, () => {
      expect(written(2, write)).toBe(resp2);
      expect(written(3, write)).toBe(resp3);
    });
  }

  it("keeps an error to one line, as addReplyErrorFormat does", () => {
    expect(written(2, (w) => w.error("ERR unknown command 'FOO', with args beginning with: 'a\r\nb' "))).toBe(
      "-ERR unknown command 'FOO', with args beginning with: 'a  b' \r\n",
    );
    expect(written(2, (w) => w.error("\r\nERR x\n"))).toBe("-ERR x\r\n");
  });

  it("counts error replies", () => {
    const writer = new ReplyWriter();
    writer.ok();
    writer.error("ERR a");
    writer.bulk("-not an error");
    writer.error("WRONGTYPE b");
    expect(writer.errorReplies).toBe(2);
  });

  it("accumulates replies until taken, and counts pending bytes", () => {
    const writer = new ReplyWriter();
    writer.ok();
    writer.integer(1);
    expect(writer.pendingBytes).toBe(9);
    expect(writer.take()).toBe("+OK\r\n:1\r\n");
    expect(writer.take()).toBe("");
    expect(writer.pendingBytes).toBe(0);
  });
});

interface PrintfFixture {
  cases: [precision: number, bits: string, text: string][];
}

describe("formatG against glibc printf", () => {
  const fixture = JSON.parse(readFileSync(new URL("./fixtures/printf-g.json", import.meta.url), "utf8")) as PrintfFixture;
  const float64 = new Float64Array(1);
  const bits = new BigUint64Array(float64.buffer);

  it(`matches %.*g for ${fixture.cases.length} doubles, exact rounding ties included`, () => {
    const mismatches: string[] = [];
    for (const [precision, hex, text] of fixture.cases) {
      bits[0] = BigInt("0x" + hex);
      const actual = formatG(float64[0]!, precision);
      if (actual !== text) mismatches.push(`%.${precision}g of ${float64[0]}: ${actual}, glibc ${text}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("rounds exact ties to even, as glibc does and toExponential does not", () => {
    expect(formatDouble(1000000000000000.25)).toBe("1000000000000000.2");
    expect(formatDouble(1000000000000000.75)).toBe("1000000000000000.8");
    expect(formatDouble(2 ** -25)).toBe("2.9802322387695312e-08");
    expect(formatG(0.125, 2)).toBe("0.12");
    expect(formatG(0.375, 2)).toBe("0.38");
    expect(formatG(9.5, 1)).toBe("1e+01");
    expect(formatG(8.5, 1)).toBe("8");
  });

  it("spells the special values as Redis does", () => {
    expect(formatDouble(0)).toBe("0");
    expect(formatDouble(-0)).toBe("-0");
    expect(formatDouble(Infinity)).toBe("inf");
    expect(formatDouble(-Infinity)).toBe("-inf");
    expect(formatDouble(NaN)).toBe("nan");
    expect(formatDouble(0.1)).toBe("0.10000000000000001");
    expect(formatDouble(1e17)).toBe("1e+17");
    expect(formatDouble(123456789012345680)).toBe("1.2345678901234568e+17");
    expect(formatDouble(5e-324)).toBe("4.9406564584124654e-324");
  });

  it("refuses a precision printf would not take from us", () => {
    expect(() => formatG(1, 0)).toThrow(RangeError);
    expect(() => formatG(1, 1.5)).toThrow(RangeError);
  });
});
