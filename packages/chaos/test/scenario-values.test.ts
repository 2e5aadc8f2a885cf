import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closestName, FieldError, formatDurationMs, parseDuration, parseRate } from "../src/scenario/index.js";

describe("parseDuration", () => {
  it("reads the units a scenario file may use, and bare milliseconds", () => {
    expect(["250ms", "5s", "1.5s", "2m", "1h", "90", " 3 s ", ".5s"].map((text) => parseDuration(text, "at"))).toEqual([250, 5000, 1500, 120_000, 3_600_000, 90, 3000, 500]);
    expect(parseDuration(1200, "at")).toBe(1200);
  });

  it.each([
    ["5 sec", "at: '5 sec': unknown unit 'sec'; durations take ms, s, m, h, e.g. 500ms, 5s, 2m"],
    ["5S", "at: '5S': unknown unit 'S'; durations take ms, s, m, h, e.g. 500ms, 5s, 2m"],
    ["-1s", "at: '-1s': must not be negative"],
    ["", "at: '': must be a duration like 500ms, 5s, 1.5s or 2m (a bare number is milliseconds)"],
    ["1e3", "at: '1e3': must be a duration like 500ms, 5s, 1.5s or 2m (a bare number is milliseconds)"],
    ["0.5ms", "at: '0.5ms': durations are counted in whole milliseconds"],
  ])("refuses %j", (text, message) => {
    expect(() => parseDuration(text, "at")).toThrow(new FieldError(["at"], message.slice("at: ".length)));
    expect(() => parseDuration(text, "at")).toThrow(message);
  });

  it("refuses numbers that are not durations", () => {
    expect(() => parseDuration(Number.NaN, "delay")).toThrow("delay: NaN: must be a duration like 500ms");
    expect(() => parseDuration(-3, "delay")).toThrow("delay: -3: must not be negative");
    expect(() => parseDuration(Number.POSITIVE_INFINITY, "delay")).toThrow("delay: Infinity: must be a duration");
  });

  it("keeps to its bounds", () => {
    expect(() => parseDuration("61s", "delay", { maxMs: 60_000 })).toThrow("delay: '61s': must be at most 1m");
    expect(() => parseDuration("0", "interval", { minMs: 100 })).toThrow("interval: '0': must be at least 100ms");
  });

  it("reads back what formatDurationMs writes", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 * 3_600_000 }), (ms) => parseDuration(formatDurationMs(ms), "at") === ms));
  });
});

describe("parseRate", () => {
  it("reads 2000, '2000' and '2000/s'", () => {
    expect([2000, "2000", "2000/s", "2000 / s", "0.5/s"].map((text) => parseRate(text, "rate"))).toEqual([2000, 2000, 2000, 2000, 0.5]);
  });

  it("refuses rates in other units or words", () => {
    expect(() => parseRate("2000/m", "rate")).toThrow("rate: '2000/m': give operations per second, e.g. 2000/s");
    expect(() => parseRate("-5/s", "rate")).toThrow("rate: '-5/s': give operations per second, e.g. 2000/s");
    expect(() => parseRate(0, "rate")).toThrow("rate: 0: must be more than 0");
  });
});

describe("closestName", () => {
  const names = ["maxUnavailableMs", "lostAcknowledgedWrites", "lostAcknowledgedWaitWrites", "failovers"];

  it("suggests a near name, a name written short, and nothing for a word unlike any", () => {
    expect(closestName("maxUnavailable", names)).toBe("maxUnavailableMs");
    expect(closestName("failover", names)).toBe("failovers");
    expect(closestName("LostAcknowledgedWrite", names)).toBe("lostAcknowledgedWrites");
    expect(closestName("lostAck", names)).toBeUndefined();
    expect(closestName("latency", names)).toBeUndefined();
  });
});
