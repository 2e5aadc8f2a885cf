import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc16, keyHashSlot, SLOT_COUNT } from "../src/cluster/slots.js";

describe("hash slots", () => {
  it("computes CRC16/XMODEM's check value", () => {
    expect(crc16("123456789")).toBe(0x31c3);
  });

  it("matches the slots a real Redis 7 cluster reports", () => {
    expect(keyHashSlot("somekey")).toBe(11058);
    expect(keyHashSlot("foo{hash_tag}")).toBe(2515);
    expect(keyHashSlot("bar{hash_tag}")).toBe(2515);
    // From test/fixtures/captures/redirects.resp2 and replica-reads-and-writes.resp2.
    expect(keyHashSlot("a")).toBe(15495);
    expect(keyHashSlot("{x}nokey")).toBe(16287);
  });

  it("follows Redis's hash tag rules", () => {
    expect(keyHashSlot("foo{}{bar}")).toBe(crc16("foo{}{bar}") % SLOT_COUNT);
    expect(keyHashSlot("foo{{bar}}zap")).toBe(crc16("{bar") % SLOT_COUNT);
    expect(keyHashSlot("foo{bar}{zap}")).toBe(crc16("bar") % SLOT_COUNT);
    expect(keyHashSlot("{user1000}.following")).toBe(keyHashSlot("{user1000}.followers"));
    expect(keyHashSlot("no-close{brace")).toBe(crc16("no-close{brace") % SLOT_COUNT);
  });

  it("hashes binary keys byte by byte", () => {
    expect(keyHashSlot("\xff\x00\x80")).toBe(crc16("\xff\x00\x80") % SLOT_COUNT);
  });

  it("puts keys sharing a tag in one slot, whatever surrounds the tag", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((t) => !t.includes("}")), fc.string().filter((s) => !s.includes("{")), fc.string(), (tag, prefix, suffix) => {
        const slot = keyHashSlot(`${prefix}{${tag}}${suffix}`);
        expect(slot).toBe(keyHashSlot(`{${tag}}`));
        expect(slot).toBeGreaterThanOrEqual(0);
        expect(slot).toBeLessThan(SLOT_COUNT);
      }),
    );
  });
});
