import { describe, expect, it } from "vitest";
import { parseBenchArguments, PIPELINE16_REQUEST_FACTOR, UsageError } from "../bench/lib/options.mjs";
import { evaluateRow, goalLines, median, renderTable, renderThroughputTable, slowestRow, summarizeSide } from "../bench/lib/report.mjs";
import { benchmarkKey, encodeCommand, parseInfo, parseReply, ReplyError } from "../bench/lib/resp-client.mjs";
import { benchmarkFailure, parseBenchmarkCsv, requestsFor, THROUGHPUT_TESTS } from "../bench/lib/throughput.mjs";

const TEST_NAMES = THROUGHPUT_TESTS.map((test) => test.name);

// Captured from redis-benchmark 7.0.15: -t set,get,lrange_100,mset --csv.
const CSV_7_0 = [
  '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"',
  '"SET","97560.98","0.341","0.024","0.279","0.679","1.199","2.991"',
  '"GET","129032.26","0.224","0.072","0.207","0.351","0.671","1.679"',
  '"LPUSH (needed to benchmark LRANGE)","137931.03","0.200","0.056","0.191","0.303","0.383","0.703"',
  '"LRANGE_100 (first 100 elements)","99502.48","0.288","0.112","0.255","0.463","0.815","2.159"',
  '"MSET (10 keys)","150375.94","0.192","0.056","0.183","0.279","0.447","0.807"',
  "",
].join("\n");

function row(test: string, pipeline: number, redis: number[], shardline: number[], shardlineError?: string) {
  return evaluateRow({ test, pipeline, redis: summarizeSide(redis, undefined), shardline: summarizeSide(shardline, shardlineError) });
}

describe("redis-benchmark CSV", () => {
  it("reads every row of the 7.0 format by its full test name", () => {
    const rows = parseBenchmarkCsv(CSV_7_0);
    expect(Object.keys(rows)).toEqual(["SET", "GET", "LPUSH (needed to benchmark LRANGE)", "LRANGE_100 (first 100 elements)", "MSET (10 keys)"]);
    expect(rows["GET"]).toEqual({ rps: 129032.26, p50LatencyMs: 0.207, p99LatencyMs: 0.671 });
  });

  it("has a row name for every measured test that the 7.0 output uses", () => {
    const rows = parseBenchmarkCsv(CSV_7_0);
    for (const name of ["SET", "GET", "LRANGE_100", "MSET"]) {
      const test = THROUGHPUT_TESTS.find((candidate) => candidate.name === name)!;
      expect(rows[test.row], name).toBeDefined();
    }
  });

  it("explains a failure with the server's error, not the CONFIG warning", () => {
    const stderr = "WARNING: Could not fetch server CONFIG\nError from server: ERR unknown command 'LPUSH', with args beginning with: 'mylist' 'VXK' \n";
    expect(benchmarkFailure(stderr)).toBe("Error from server: ERR unknown command 'LPUSH', with args beginning with: 'mylist' 'VXK'");
    expect(benchmarkFailure("Could not connect to Redis at 127.0.0.1:1: Connection refused\n")).toBe("Could not connect to Redis at 127.0.0.1:1: Connection refused");
    expect(benchmarkFailure("")).toBe("redis-benchmark failed without a message");
  });

  it("scales requests by pipeline and test weight", () => {
    const set = THROUGHPUT_TESTS.find((test) => test.name === "SET")!;
    const lrange = THROUGHPUT_TESTS.find((test) => test.name === "LRANGE_100")!;
    expect(requestsFor(100_000, set, 1)).toBe(100_000);
    expect(requestsFor(100_000, set, 16)).toBe(100_000 * PIPELINE16_REQUEST_FACTOR);
    expect(requestsFor(100_000, lrange, 1)).toBe(20_000);
    expect(requestsFor(1, lrange, 1)).toBe(1);
  });
});

describe("bench options", () => {
  it("has a full default run and a quick one, explicit options winning in any order", () => {
    const full = parseBenchArguments([], TEST_NAMES);
    expect(full).toMatchObject({ repeat: 3, requests: 100_000, clients: 50, memoryKeys: 1_000_000, memory: true, throughput: true, tests: TEST_NAMES });
    expect(parseBenchArguments(["--quick"], TEST_NAMES)).toMatchObject({ repeat: 1, requests: 20_000, memoryKeys: 300_000 });
    expect(parseBenchArguments(["--repeat", "5", "--quick"], TEST_NAMES)).toMatchObject({ repeat: 5, requests: 20_000 });
  });

  it("takes tests in any case and keeps the table's order", () => {
    expect(parseBenchArguments(["--tests", "mset,set"], TEST_NAMES).tests).toEqual(["SET", "MSET"]);
  });

  it("refuses unknown options, unknown tests and numbers out of bounds with a message that says what is wrong", () => {
    expect(() => parseBenchArguments(["--fast"], TEST_NAMES)).toThrow(new UsageError("unknown option '--fast'"));
    expect(() => parseBenchArguments(["--tests", "SET,XADD"], TEST_NAMES)).toThrow(/unknown test 'XADD' \(known: SET,GET/);
    expect(() => parseBenchArguments(["--repeat", "0"], TEST_NAMES)).toThrow("--repeat must be between 1 and 50, got 0");
    expect(() => parseBenchArguments(["--requests", "1e6"], TEST_NAMES)).toThrow("--requests needs a whole number, got '1e6'");
    expect(() => parseBenchArguments(["--repeat"], TEST_NAMES)).toThrow("--repeat needs a whole number, got nothing");
    expect(() => parseBenchArguments(["--out"], TEST_NAMES)).toThrow("--out needs a file name");
  });
});

describe("bench verdicts", () => {
  it("takes the median of odd and even sample counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it("judges SET and GET against their goals at the boundary, and no other test", () => {
    expect(row("SET", 1, [100], [70]).goal).toEqual({ minRatio: 0.7, met: true });
    expect(row("SET", 1, [100], [69.9]).goal).toEqual({ minRatio: 0.7, met: false });
    expect(row("GET", 16, [100], [40]).goal).toEqual({ minRatio: 0.4, met: true });
    expect(row("INCR", 1, [100], [10]).goal).toBeUndefined();
  });

  it("prints a ratio just under a goal so that it does not read as the goal", () => {
    const justUnder = row("GET", 1, [100_000], [69_690]);
    expect(goalLines([justUnder], undefined)).toEqual(["GET P1: shardline/redis 0.697, goal >= 0.70: MISSED"]);
  });

  it("gives a failed row no ratio and counts it as a missed goal", () => {
    const failed = row("GET", 1, [100], [], "ERR unknown command 'GET'");
    expect(failed.ratio).toBeUndefined();
    expect(failed.goal).toEqual({ minRatio: 0.7, met: false });
    expect(goalLines([failed], undefined)).toEqual(["GET P1: shardline/redis no ratio (ERR unknown command 'GET'), goal >= 0.70: MISSED"]);
  });

  it("names the row where shardline is slowest relative to redis", () => {
    const rows = [row("SET", 1, [100], [80]), row("LPUSH", 16, [100], [30]), row("GET", 1, [100], [], "boom")];
    expect(slowestRow(rows)?.test).toBe("LPUSH");
  });

  it("aligns table columns, and lets an error cell span the columns it replaces", () => {
    const text = renderTable(["a", "bb", "c"], [["xyz", "1", "2"], ["q", "an error wider than the columns"]], [false, true, true]);
    expect(text.split("\n")).toEqual(["a    bb  c", "---  --  -", "xyz   1  2", "q    an error wider than the columns"]);
    const table = renderThroughputTable([row("SET", 1, [1000], [800]), row("LPUSH", 16, [2000], [], "ERR unknown command")]);
    expect(table).toContain("SET    P1              1,000              800            0.800  >= 0.70 met");
    expect(table).toContain("LPUSH  P16             2,000  shardline error: ERR unknown command");
  });
});

describe("bench RESP client parsing", () => {
  const parse = (text: string) => parseReply(Buffer.from(text, "latin1"), 0);

  it("parses every RESP2 reply kind and says when a reply is incomplete", () => {
    expect(parse("+OK\r\n")).toEqual({ value: "OK", end: 5 });
    expect(parse("-ERR no\r\n")?.value).toEqual(new ReplyError("ERR no"));
    expect(parse(":42\r\n")?.value).toBe(42);
    expect(parse("$-1\r\n")?.value).toBeNull();
    expect(parse("*2\r\n$1\r\na\r\n*1\r\n:1\r\n")?.value).toEqual(["a", [1]]);
    expect(parse("$5\r\nab")).toBeUndefined();
    expect(parse("*2\r\n$1\r\na\r\n")).toBeUndefined();
    expect(parse("+OK")).toBeUndefined();
    expect(() => parse("!oops\r\n")).toThrow("not a RESP2 reply");
  });

  it("keeps binary bytes of bulk strings", () => {
    expect(parse("$3\r\n\u00ff\r\n\r\n")?.value).toBe("\u00ff\r\n");
  });

  it("encodes commands by byte length and names keys as redis-benchmark does", () => {
    expect(encodeCommand(["SET", "k", "\u00e9"])).toBe("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n\u00e9\r\n");
    expect(benchmarkKey(42)).toBe("key:000000000042");
  });

  it("reads INFO fields across sections", () => {
    expect(parseInfo("# Memory\r\nused_memory:1024\r\nused_memory_human:1.00K\r\n\r\n# Stats\r\nx:a:b\r\n")).toEqual({ used_memory: "1024", used_memory_human: "1.00K", x: "a:b" });
  });
});
