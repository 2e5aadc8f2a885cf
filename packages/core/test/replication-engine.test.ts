import { describe, expect, it } from "vitest";
import type { PrimaryFrame, ReplicaFrame } from "../src/replication/frames.js";
import { startSession, type Session } from "./support/server-session.js";

/** A primary and a replica engine joined by an in-memory replication link. */
function pair(config: [string, string][] = []) {
  const primary = startSession([["enable-debug-command", "yes"], ...config], 1);
  const replica = startSession([["enable-debug-command", "yes"], ...config], 2);
  const pump = () => {
    for (let round = 0; round < 1000; round++) {
      primary.engine.replication.flush();
      replica.engine.replication.flush();
      const fromPrimary = primary.engine.replication.takeEffects();
      const fromReplica = replica.engine.replication.takeEffects();
      if (fromPrimary.length === 0 && fromReplica.length === 0) return;
      for (const effect of fromReplica) {
        if (effect.kind === "connectPrimary") replica.engine.replication.primaryLinkUp();
        else if (effect.kind === "sendToPrimary") primary.engine.replication.onReplicaFrame(1, structuredClone(effect.frame) as ReplicaFrame);
      }
      for (const effect of fromPrimary) {
        if (effect.kind === "sendToReplica") {
          const problem = replica.engine.replication.onPrimaryFrame(structuredClone(effect.frame) as PrimaryFrame);
          if (problem) throw new Error(problem);
        }
      }
    }
    throw new Error("replication did not settle");
  };
  const advance = (ms: number) => {
    for (const session of [primary, replica]) {
      session.clock.advance(ms);
      session.engine.tick();
    }
    pump();
  };
  replica.engine.replication.core.replicateFrom({ nodeId: "primary", ip: "127.0.0.1", port: 6379, busPort: 16379 });
  replica.engine.tick();
  pump();
  return { primary, replica, pump, advance };
}

const digest = (session: Session) => session.connect().send("DEBUG", "DIGEST");

describe("replication between two engines", () => {
  it("replicates every data type, transactions and server-side rewrites to an equal digest", () => {
    const { primary, replica, pump } = pair();
    const c = primary.connect();
    c.send("SET", "s", "v", "EX", "100");
    c.send("INCRBYFLOAT", "f", "0.1");
    c.send("HSET", "h", "a", "1", "b", "2");
    c.send("RPUSH", "l", "1", "2", "3");
    c.send("SADD", "set", "x", "y", "z");
    c.send("SPOP", "set");
    c.send("ZADD", "z", "1.5", "m", "-2", "n");
    c.send("MULTI");
    c.send("INCR", "counter");
    c.send("LPOP", "l");
    c.send("EXEC");
    c.send("SELECT", "3");
    c.send("SET", "other-db", "1");
    pump();
    expect(digest(replica)).toBe(digest(primary));
    expect(digest(primary)).not.toBe("+" + "0".repeat(40) + "\r\n");
    expect(replica.engine.replication.offset).toBe(primary.engine.replication.offset);
  });

  it("refuses client writes on the replica with READONLY, and serves reads", () => {
    const { primary, replica, pump } = pair();
    primary.connect().send("SET", "k", "v");
    pump();
    const r = replica.connect();
    expect(r.send("SET", "k", "other")).toBe("-READONLY You can't write against a read only replica.\r\n");
    expect(r.send("GET", "k")).toBe("$1\r\nv\r\n");
  });

  it("hides an expired key on the replica but deletes it only when the primary's DEL arrives", () => {
    const { primary, replica, advance } = pair([["hz", "1"]]);
    primary.connect().send("SET", "k", "v", "PX", "50");
    advance(10);
    replica.clock.advance(100);
    const r = replica.connect();
    expect(r.send("GET", "k")).toBe("$-1\r\n");
    expect(replica.engine.dbs[0]!.peek("k")).toBe("v");
    primary.clock.advance(100);
    expect(primary.connect().send("GET", "k")).toBe("$-1\r\n");
    advance(0);
    expect(replica.engine.dbs[0]!.peek("k")).toBeUndefined();
    expect(digest(replica)).toBe(digest(primary));
  });

  it("does not evict on the replica even over maxmemory (replica-ignore-maxmemory)", () => {
    const { primary, replica, pump } = pair();
    const c = primary.connect();
    for (let i = 0; i < 200; i++) c.send("SET", `key:${i}`, "x".repeat(100));
    pump();
    const r = replica.connect();
    expect(r.send("CONFIG", "SET", "maxmemory-policy", "allkeys-random")).toBe("+OK\r\n");
    expect(r.send("CONFIG", "SET", "maxmemory", "1")).toBe("+OK\r\n");
    r.send("GET", "key:1");
    expect(replica.engine.dbs[0]!.size).toBe(200);
    expect(digest(replica)).toBe(digest(primary));
  });

  it("WAIT counts the replica once it acknowledges the client's write", () => {
    const { primary, pump } = pair();
    const c = primary.connect();
    c.send("SET", "k", "v");
    expect(c.send("WAIT", "1", "0")).toBe("");
    pump();
    expect(c.take()).toBe(":1\r\n");
    expect(c.send("WAIT", "1", "100")).toBe(":1\r\n");
  });
});

describe("snapshots of a dataset", () => {
  it("round-trips every type, expiries and the replication version", async () => {
    const { loadDataset, takeDataset } = await import("../src/engine/persistence.js");
    const { primary, replica, pump } = pair();
    const c = primary.connect();
    c.send("SET", "s", "v", "PX", "100000");
    c.send("HSET", "h", "a", "1");
    c.send("RPUSH", "l", "x", "y");
    c.send("SADD", "set", "m");
    c.send("ZADD", "z", "0.1", "a", "inf", "b");
    c.send("SELECT", "2");
    c.send("SET", "elsewhere", "1");
    pump();
    const dataset = structuredClone(takeDataset(replica.engine));
    expect(dataset.offset).toBe(primary.engine.replication.offset);
    const restored = startSession([["enable-debug-command", "yes"]], 9);
    expect(loadDataset(restored.engine, dataset)).toBe(6);
    expect(digest(restored)).toBe(digest(primary));
    expect(restored.engine.replication.core.replicationId).toBe(primary.engine.replication.core.replicationId);
    expect(restored.engine.replication.offset).toBe(primary.engine.replication.offset);
    expect(restored.engine.dbs[0]!.getExpire("s")).toBe(primary.engine.dbs[0]!.getExpire("s"));
  });
});
