import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeCommand, ReplicationBacklog } from "../src/replication/backlog.js";

describe("replication stream and backlog", () => {
  it("encodes commands as RESP multibulk, so offsets count the same bytes Redis counts", () => {
    expect(encodeCommand(["SET", "k", "v"])).toBe("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
    expect(encodeCommand(["SELECT", "0"]).length).toBe(23);
  });

  it("serves any offset it still holds and refuses older ones", () => {
    const backlog = new ReplicationBacklog(10, 100);
    backlog.append("abcdef");
    backlog.append("ghijkl");
    expect(backlog.endOffset).toBe(112);
    expect(backlog.covers(106)).toBe(true);
    expect(backlog.since(106)).toBe("ghijkl");
    expect(backlog.since(110)).toBe("kl");
    expect(backlog.since(112)).toBe("");
    backlog.append("mnopqr");
    // "abcdef" went: 12 bytes remain, at least the capacity.
    expect(backlog.covers(105)).toBe(false);
    expect(backlog.firstByteOffset).toBe(107);
    expect(backlog.since(106)).toBe("ghijklmnopqr");
    expect(backlog.covers(119)).toBe(false);
  });

  it("always holds at least min(capacity, stream) bytes and returns exactly the stream's tail", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 50 }), (capacity, chunks) => {
        const backlog = new ReplicationBacklog(capacity, 0);
        let stream = "";
        for (const chunk of chunks) {
          backlog.append(chunk);
          stream += chunk;
          expect(backlog.endOffset).toBe(stream.length);
          expect(backlog.historyBytes).toBeGreaterThanOrEqual(Math.min(capacity, stream.length));
          const from = backlog.firstByteOffset - 1;
          expect(backlog.since(from)).toBe(stream.slice(from));
        }
      }),
    );
  });
});
