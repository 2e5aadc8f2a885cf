import { Random } from "@shardline/core";
import { describe, expect, it } from "vitest";
import { pairOperations, type CompleteEntry, type InvokeEntry } from "../src/model/history.js";
import type { WorkloadSpec } from "../src/model/scenario.js";
import type { ClusterClientAdapter, ClusterClientOptions, WaitOutcome } from "../src/workload/adapter.js";
import type { Timers } from "../src/workload/clock.js";
import { HistoryRecorder } from "../src/workload/recorder.js";
import { CLIENT_TIMEOUT_GRACE_MS, Workload, WorkloadError } from "../src/workload/workload.js";

const START_MS = 1_700_000_000_000;

/** Virtual time: timers fire in order as `advance` moves the clock, with the promises they settle run in between. */
class FakeClock implements Timers {
  nowMs = START_MS;
  private sequence = 0;
  private readonly pending = new Map<number, { atMs: number; sequence: number; callback: () => void }>();

  readonly now = (): number => this.nowMs;

  set(callback: () => void, delayMs: number): unknown {
    const sequence = this.sequence++;
    this.pending.set(sequence, { atMs: this.nowMs + Math.max(0, delayMs), sequence, callback });
    return sequence;
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get timerCount(): number {
    return this.pending.size;
  }

  async advance(ms: number): Promise<void> {
    const endMs = this.nowMs + ms;
    await settle();
    for (;;) {
      const next = [...this.pending.values()].filter((t) => t.atMs <= endMs).sort((a, b) => a.atMs - b.atMs || a.sequence - b.sequence)[0];
      if (next === undefined) break;
      this.pending.delete(next.sequence);
      this.nowMs = Math.max(this.nowMs, next.atMs);
      next.callback();
      await settle();
    }
    this.nowMs = endMs;
    await settle();
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

type Mode = "instant" | "hang";

/** A client whose replies the test decides: at once, or never until released. */
class FakeClient implements ClusterClientAdapter {
  mode: Mode = "instant";
  error: Error | undefined;
  closed = false;
  maxInFlight = 0;
  readonly sent: { f: string; key: string; value?: string; wait?: boolean }[] = [];
  private inFlight = 0;
  private readonly held: (() => void)[] = [];
  private counter = 0;

  constructor(readonly options: ClusterClientOptions) {}

  connect(): Promise<void> {
    return Promise.resolve();
  }

  set(key: string, value: string): Promise<void> {
    this.sent.push({ f: "set", key, value });
    return this.reply(undefined);
  }

  setWithWait(key: string, value: string, replicas: number): Promise<WaitOutcome> {
    this.sent.push({ f: "set", key, value, wait: true });
    return this.reply({ waitReplicas: replicas });
  }

  get(key: string): Promise<string | null> {
    this.sent.push({ f: "get", key });
    return this.reply(null);
  }

  incr(key: string): Promise<number> {
    this.sent.push({ f: "incr", key });
    return this.reply(++this.counter);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Replies to every held operation now (after their timeouts, these replies must be ignored). */
  release(): void {
    for (const resume of this.held.splice(0)) resume();
  }

  private reply<T>(value: T): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<T>((resolve, reject) => {
      const answer = () => {
        this.inFlight--;
        if (this.error !== undefined) reject(this.error);
        else resolve(value);
      };
      if (this.mode === "instant") queueMicrotask(answer);
      else this.held.push(answer);
    });
  }
}

const SPEC: WorkloadSpec = {
  client: "ioredis-cluster",
  ratePerSecond: 200,
  clients: 2,
  concurrency: 8,
  keys: 100,
  mix: { set: 0.5, get: 0.4, incr: 0.1 },
  wait: { replicas: 1, timeoutMs: 200, every: 4 },
  commandTimeoutMs: 1000,
  reads: "primary",
};

interface Harness {
  clock: FakeClock;
  clients: FakeClient[];
  recorder: HistoryRecorder;
  workload: Workload;
  invokes(): InvokeEntry[];
  completions(): CompleteEntry[];
}

function harness(spec: Partial<WorkloadSpec> = {}, options: { seed?: number; recorder?: HistoryRecorder; log?: (line: string) => void } = {}): Harness {
  const clock = new FakeClock();
  const clients: FakeClient[] = [];
  const recorder = options.recorder ?? new HistoryRecorder();
  const workload = new Workload({
    spec: { ...SPEC, ...spec },
    seeds: [{ host: "127.0.0.1", port: 7000 }],
    random: new Random(options.seed ?? 1),
    recorder,
    now: clock.now,
    timers: clock,
    ...(options.log === undefined ? {} : { log: options.log }),
    createClient: (clientOptions) => {
      const client = new FakeClient(clientOptions);
      clients.push(client);
      return client;
    },
  });
  return {
    clock,
    clients,
    recorder,
    workload,
    invokes: () => recorder.entries().filter((e): e is InvokeEntry => e.type === "invoke"),
    completions: () => recorder.entries().filter((e): e is CompleteEntry => e.type === "ok" || e.type === "fail" || e.type === "unknown"),
  };
}

/** stop() waits on the fake clock for operations in flight: move it on until stop() is done. */
async function stop(h: Harness): Promise<void> {
  let done = false;
  const stopped = h.workload.stop().then(() => {
    done = true;
  });
  // Bounded: stop() waits at most commandTimeoutMs plus the WAIT timeout and a margin.
  for (let steps = 0; !done && steps < 100; steps++) await h.clock.advance(100);
  await stopped;
}

/** Every invocation has exactly one completion, after it, with its client, kind and key. */
function expectPaired(h: Harness): void {
  const invokes = h.invokes();
  const completions = h.completions();
  expect(completions.length).toBe(invokes.length);
  const byId = new Map(completions.map((c) => [c.id, c]));
  expect(byId.size).toBe(completions.length);
  for (const invoke of invokes) {
    const done = byId.get(invoke.id);
    expect(done, `operation ${invoke.id} has no completion`).toBeDefined();
    expect([done!.client, done!.f, done!.key]).toEqual([invoke.client, invoke.f, invoke.key]);
    expect(done!.timeMs).toBeGreaterThanOrEqual(invoke.timeMs);
  }
}

describe("Workload on a fake clock", () => {
  it("issues ratePerSecond operations over a simulated second, spread over the clients", async () => {
    const h = harness({ ratePerSecond: 200 });
    await h.workload.start();
    await h.clock.advance(1000);
    // Slot 0 at the start through slot 200 at +1000 ms.
    expect(h.invokes().length).toBe(201);
    const perClient = h.clients.map((c) => c.sent.length);
    expect(perClient[0]! + perClient[1]!).toBe(201);
    expect(Math.abs(perClient[0]! - perClient[1]!)).toBeLessThanOrEqual(1);
    await stop(h);
    expectPaired(h);
    expect(h.completions().every((c) => c.type === "ok")).toBe(true);
  });

  it("holds every client to `concurrency` operations in flight", async () => {
    const h = harness({ ratePerSecond: 1000, clients: 3, concurrency: 4, commandTimeoutMs: 10_000 });
    for (const client of h.clients) client.mode = "hang";
    await h.workload.start();
    await h.clock.advance(500);
    expect(h.invokes().length).toBe(12);
    expect(h.clients.map((c) => c.maxInFlight)).toEqual([4, 4, 4]);
    expect(h.workload.progress().open).toBe(12);
    await stop(h);
  });

  it("after an outage longer than a second, skips the missed slots instead of bursting", async () => {
    const h = harness({ ratePerSecond: 100, clients: 1, concurrency: 2, commandTimeoutMs: 3000, wait: undefined });
    h.clients[0]!.mode = "hang";
    await h.workload.start();
    const timedOutMs = 3000 + CLIENT_TIMEOUT_GRACE_MS;
    await h.clock.advance(timedOutMs - 1);
    expect(h.invokes().length).toBe(2);
    h.clients[0]!.mode = "instant";
    // The two hung operations time out now; the schedule is three seconds behind.
    await h.clock.advance(101);
    const late = h.invokes().filter((e) => e.timeMs >= START_MS + timedOutMs - 1);
    expect(late.length).toBeGreaterThanOrEqual(10);
    expect(late.length).toBeLessThanOrEqual(12);
    expect(h.workload.progress().skipped).toBeGreaterThan(280);
    await h.clock.advance(900);
    expect(h.invokes().filter((e) => e.timeMs >= START_MS + timedOutMs - 1).length).toBeLessThanOrEqual(102);
    await stop(h);
    expectPaired(h);
  });

  it("records an operation with no reply within commandTimeoutMs as unknown timeout, and ignores its late reply", async () => {
    const h = harness({ ratePerSecond: 10, clients: 1, concurrency: 1, commandTimeoutMs: 500, mix: { set: 0, get: 1, incr: 0 } });
    h.clients[0]!.mode = "hang";
    await h.workload.start();
    // The client's own timeout is meant to come first; the workload's own bound allows it a grace.
    await h.clock.advance(500 + CLIENT_TIMEOUT_GRACE_MS - 1);
    expect(h.completions()).toHaveLength(0);
    await h.clock.advance(1);
    expect(h.completions()).toHaveLength(1);
    expect(h.completions()[0]).toMatchObject({ type: "unknown", errorKind: "timeout", id: 0 });
    expect(h.completions()[0]!.error).toMatch(new RegExp(`no reply within ${500 + CLIENT_TIMEOUT_GRACE_MS} ms`));
    h.clients[0]!.release();
    await h.clock.advance(0);
    expect(h.completions().filter((c) => c.id === 0)).toHaveLength(1);
    await stop(h);
    expectPaired(h);
  });

  it("gives a SET with WAIT its WAIT timeout on top of commandTimeoutMs", async () => {
    const h = harness({ ratePerSecond: 10, clients: 1, concurrency: 1, commandTimeoutMs: 500, mix: { set: 1, get: 0, incr: 0 }, wait: { replicas: 1, timeoutMs: 300, every: 1 } });
    h.clients[0]!.mode = "hang";
    await h.workload.start();
    await h.clock.advance(800 + CLIENT_TIMEOUT_GRACE_MS - 1);
    expect(h.completions()).toHaveLength(0);
    await h.clock.advance(1);
    expect(h.completions()[0]).toMatchObject({ type: "unknown", errorKind: "timeout", value: "0-1" });
    await stop(h);
  });

  it("sorts client errors with classifyError: refusals fail, lost replies are unknown", async () => {
    const h = harness({ ratePerSecond: 100, clients: 2, concurrency: 1, wait: undefined });
    h.clients[0]!.error = new Error("MOVED 3999 127.0.0.1:7001");
    h.clients[1]!.error = new Error("Connection is closed.");
    await h.workload.start();
    await h.clock.advance(100);
    await stop(h);
    const completions = h.completions();
    expect(completions.filter((c) => c.client === 0).every((c) => c.type === "fail" && c.errorKind === "MOVED")).toBe(true);
    expect(completions.filter((c) => c.client === 1).every((c) => c.type === "unknown" && c.errorKind === "connection")).toBe(true);
    expect(completions.find((c) => c.client === 0)!.error).toBe("MOVED 3999 127.0.0.1:7001");
    expect(completions.length).toBeGreaterThan(5);
  });

  it("records what each operation returned: GET's value, INCR's count, the SET's value and WAIT's replicas", async () => {
    const h = harness({ ratePerSecond: 500, clients: 1, concurrency: 8, wait: { replicas: 2, timeoutMs: 100, every: 2 } });
    await h.workload.start();
    await h.clock.advance(200);
    await stop(h);
    const operations = pairOperations(h.recorder.entries());
    const sets = operations.filter((o) => o.f === "set");
    expect(sets.length).toBeGreaterThan(10);
    sets.forEach((set, index) => {
      expect(set.wait).toBe((index + 1) % 2 === 0);
      expect(set.waitReplicas).toBe(set.wait ? 2 : undefined);
    });
    expect(h.clients[0]!.sent.filter((s) => s.wait === true).length).toBe(sets.filter((s) => s.wait).length);
    expect(operations.filter((o) => o.f === "get").every((o) => o.result === null)).toBe(true);
    expect(operations.filter((o) => o.f === "incr").map((o) => o.result)).toEqual(operations.filter((o) => o.f === "incr").map((_, i) => i + 1));
  });

  it("writes a value unique in the run with every SET", async () => {
    const h = harness({ ratePerSecond: 2000, clients: 4, concurrency: 8, keys: 5 });
    await h.workload.start();
    await h.clock.advance(1000);
    await stop(h);
    const values = h.invokes().flatMap((e) => (e.f === "set" ? [e.value!] : []));
    expect(values.length).toBeGreaterThan(800);
    expect(new Set(values).size).toBe(values.length);
  });

  it("replays each client's operations from the seed, whatever the timing", async () => {
    async function run(seed: number, rate: number): Promise<string[][]> {
      const h = harness({ ratePerSecond: rate, clients: 3 }, { seed });
      await h.workload.start();
      await h.clock.advance(1000);
      await stop(h);
      return [0, 1, 2].map((client) => h.invokes().filter((e) => e.client === client).slice(0, 50).map((e) => `${e.f} ${e.key} ${e.value ?? ""} ${e.wait ?? ""}`));
    }
    const first = await run(9, 300);
    expect(first.every((sequence) => sequence.length === 50)).toBe(true);
    expect(await run(9, 600)).toEqual(first);
    expect(await run(10, 300)).not.toEqual(first);
  });

  it("stop() completes every invocation exactly once, closes every client, and issues nothing after", async () => {
    const h = harness({ ratePerSecond: 400, clients: 2, concurrency: 8, commandTimeoutMs: 1000 });
    await h.workload.start();
    await h.clock.advance(100);
    for (const client of h.clients) client.mode = "hang";
    await h.clock.advance(100);
    expect(h.workload.progress().open).toBe(16);
    const stopped = h.workload.stop();
    await h.clock.advance(2000);
    await stopped;
    expectPaired(h);
    expect(h.clients.every((c) => c.closed)).toBe(true);
    const invoked = h.invokes().length;
    for (const client of h.clients) client.release();
    await h.clock.advance(2000);
    expect(h.invokes().length).toBe(invoked);
    expectPaired(h);
    expect(h.clock.timerCount).toBe(0);
    expect(h.completions().filter((c) => c.type === "unknown")).toHaveLength(16);
  });

  it("stops issuing when the history is full and says so", async () => {
    const h = harness({ ratePerSecond: 1000 }, { recorder: new HistoryRecorder(100) });
    await h.workload.start();
    await h.clock.advance(1000);
    expect(h.workload.progress().truncated).toBe(true);
    await stop(h);
    expectPaired(h);
    expect(h.recorder.entries().length).toBeLessThanOrEqual(100);
    expect(h.invokes().length).toBeGreaterThanOrEqual(49);
  });

  it("logs client errors at a bounded rate, and only when given a log function", async () => {
    const lines: string[] = [];
    const h = harness({}, { log: (line) => lines.push(line) });
    for (let i = 0; i < 50; i++) h.clients[1]!.options.onError(new Error("connect ECONNREFUSED 127.0.0.1:7003"));
    await h.clock.advance(1500);
    h.clients[1]!.options.onError(new Error("connect ECONNREFUSED 127.0.0.1:7003"));
    expect(lines).toEqual(["workload client 1: connect ECONNREFUSED 127.0.0.1:7003", "workload client 1: connect ECONNREFUSED 127.0.0.1:7003 (and 49 more errors since the last line)"]);
    const quiet = harness();
    expect(() => quiet.clients[0]!.options.onError(new Error("boom"))).not.toThrow();
  });

  it("refuses to start when a client cannot connect, closing every client, with what to do", async () => {
    const h = harness();
    h.clients[1]!.connect = () => Promise.reject(new Error("None of startup nodes is available"));
    await expect(h.workload.start()).rejects.toThrow(WorkloadError);
    await expect(h.workload.start()).rejects.toThrow(/starts once/);
    expect(h.clients.every((c) => c.closed)).toBe(true);
    const fresh = harness();
    fresh.clients[0]!.connect = () => Promise.reject(new Error("None of startup nodes is available"));
    await expect(fresh.workload.start()).rejects.toThrow(/could not connect to the cluster at 127\.0\.0\.1:7000: None of startup nodes is available; check that the cluster is up/);
  });
});
