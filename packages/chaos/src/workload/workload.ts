import type { Random } from "@shardline/core";
import { classifyError } from "../model/classify.js";
import type { CompleteEntry, ErrorKind, Outcome } from "../model/history.js";
import type { WorkloadSpec } from "../model/scenario.js";
import type { ClusterClientAdapter, ClusterClientFactory, NatMap, SeedAddress, WaitOutcome } from "./adapter.js";
import { REAL_TIMERS, wallClockMs, type Timers } from "./clock.js";
import { createIoredisAdapter } from "./ioredis-adapter.js";
import { createNodeRedisAdapter } from "./node-redis-adapter.js";
import { OperationPlanner, type PlannedOperation } from "./operations.js";
import type { HistoryCounters, HistoryRecorder } from "./recorder.js";
import { OpenLoopSchedule } from "./schedule.js";

/** Bound on connecting every client before the run starts. */
export const CONNECT_TIMEOUT_MS = 10_000;
/**
 * How long past the client library's own timeout (set to commandTimeoutMs)
 * the workload's timer waits before it records an operation unknown itself:
 * long enough that the client's own timeout, with its own error text, wins
 * whenever the client has one, so the history says what the client saw.
 */
export const CLIENT_TIMEOUT_GRACE_MS = 50;
/** What stop() waits beyond an operation's own bound for replies still in flight. */
export const STOP_MARGIN_MS = 500;
/** Shortest pause between two scheduling steps: above 500 operations per second a step issues several. */
const TICK_MIN_MS = 2;
/** A client's `error` events are logged at most this often (the rest are counted into the next line). */
const ERROR_LOG_INTERVAL_MS = 1000;

/** A workload that cannot run; the message says what happened and what to do. */
export class WorkloadError extends Error {}

export interface WorkloadOptions {
  spec: WorkloadSpec;
  /** Startup nodes for the cluster clients. */
  seeds: readonly SeedAddress[];
  natMap?: NatMap;
  /** The run's seeded source; each client forks its own from it, in order. */
  random: Random;
  recorder: HistoryRecorder;
  /** Wall-clock ms with a fraction (default: performance.timeOrigin + performance.now()). */
  now?: () => number;
  timers?: Timers;
  /** Where client errors go, at a bounded rate; nothing is logged without it. */
  log?: (line: string) => void;
  /** Builds the client instances (default: from spec.client); tests pass fakes. */
  createClient?: ClusterClientFactory;
  connectTimeoutMs?: number;
}

/** The progress line's figures. */
export interface WorkloadProgress extends HistoryCounters {
  /** Schedule slots dropped because the workload had fallen more than a second behind. */
  skipped: number;
  /** True once the history bound was reached and the workload stopped issuing. */
  truncated: boolean;
}

interface OpenOperation extends PlannedOperation {
  id: number;
  client: number;
  timer: unknown;
}

interface ClientState {
  index: number;
  adapter: ClusterClientAdapter;
  planner: OperationPlanner;
  open: Map<number, OpenOperation>;
}

/**
 * Drives the cluster through `spec.clients` independent cluster clients on
 * an open-loop schedule (schedule.ts), each keeping at most
 * `spec.concurrency` operations in flight, and records every operation's
 * invocation and its one completion. An operation that has not completed
 * within its bound (commandTimeoutMs, plus the WAIT timeout for a SET with
 * WAIT, plus CLIENT_TIMEOUT_GRACE_MS) is recorded unknown then, whether or
 * not the client library noticed; a late reply is ignored.
 */
export class Workload {
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly clients: ClientState[] = [];
  private schedule: OpenLoopSchedule | undefined;
  private nextId = 0;
  private nextClient = 0;
  private running = false;
  private stopped = false;
  private tickTimer: unknown = undefined;
  private drained: (() => void) | undefined;
  private startedAt: number | undefined;
  private stoppedAt: number | undefined;

  constructor(private readonly options: WorkloadOptions) {
    const { spec } = options;
    if (!(Number.isInteger(spec.clients) && spec.clients >= 1)) throw new WorkloadError(`the workload needs at least one client (clients ${spec.clients})`);
    if (!(Number.isInteger(spec.concurrency) && spec.concurrency >= 1)) throw new WorkloadError(`each client needs room for at least one operation in flight (concurrency ${spec.concurrency})`);
    if (!(spec.commandTimeoutMs > 0)) throw new WorkloadError(`commandTimeoutMs must be positive (${spec.commandTimeoutMs})`);
    if (options.seeds.length === 0) throw new WorkloadError("the workload has no seed address to reach the cluster at");
    this.now = options.now ?? wallClockMs;
    this.timers = options.timers ?? REAL_TIMERS;
    const createClient = options.createClient ?? defaultFactory(spec);
    for (let index = 0; index < spec.clients; index++) {
      const planner = new OperationPlanner(index, spec, options.random.fork());
      const adapter = createClient({
        index,
        seeds: options.seeds,
        natMap: options.natMap,
        commandTimeoutMs: spec.commandTimeoutMs,
        reads: spec.reads,
        slotsRefreshIntervalMs: spec.slotsRefreshIntervalMs,
        onError: errorLogger(index, this.now, options.log),
      });
      this.clients.push({ index, adapter, planner, open: new Map() });
    }
  }

  /** When the schedule started (after every client connected); undefined before start(). */
  get startedAtMs(): number | undefined {
    return this.startedAt;
  }

  get stoppedAtMs(): number | undefined {
    return this.stoppedAt;
  }

  /** Connects every client, then starts issuing. On a failure to connect it closes them all and throws. */
  async start(): Promise<void> {
    if (this.startedAt !== undefined || this.stopped) throw new WorkloadError("a workload starts once");
    const timeoutMs = this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    try {
      await Promise.all(this.clients.map((client) => client.adapter.connect(timeoutMs)));
    } catch (error) {
      await this.closeClients();
      this.stopped = true;
      const seeds = this.options.seeds.map((seed) => `${seed.host}:${seed.port}`).join(", ");
      throw new WorkloadError(
        `the workload's ${this.options.spec.client} clients could not connect to the cluster at ${seeds}: ${describe(error)}; check that the cluster is up and reachable from here (shardline status)`,
      );
    }
    this.startedAt = this.now();
    this.schedule = new OpenLoopSchedule(this.startedAt, this.options.spec.ratePerSecond);
    this.running = true;
    this.pump();
  }

  /**
   * Stops issuing, waits for the operations in flight (at most their bound
   * plus STOP_MARGIN_MS), records every one still open as unknown, and
   * closes every client. Every invocation has exactly one completion after it.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.running = false;
    if (this.tickTimer !== undefined) this.timers.clear(this.tickTimer);
    this.tickTimer = undefined;
    await this.drain(this.operationBoundMs(true) + STOP_MARGIN_MS);
    for (const client of this.clients) {
      for (const operation of [...client.open.values()]) this.finishTimedOut(operation, "the workload stopped with the operation still in flight");
    }
    this.stoppedAt = this.now();
    await this.closeClients();
  }

  progress(): WorkloadProgress {
    const counters = this.options.recorder.counters(this.now());
    return { ...counters, skipped: this.schedule?.skipped ?? 0, truncated: this.options.recorder.truncated };
  }

  /** Issues every due operation a client has room for, then arms the timer for the next one. */
  private pump(): void {
    const schedule = this.schedule;
    if (!this.running || schedule === undefined) return;
    const nowMs = this.now();
    // Bounded: each pass takes a slot or leaves, and due() never exceeds a second's worth of slots.
    while (schedule.due(nowMs) > 0) {
      const client = this.freeClient();
      if (client === undefined) break;
      if (!this.issue(client, nowMs)) return;
      schedule.take();
    }
    this.armTick(nowMs);
  }

  /** The next client, round robin, with room for one more operation in flight. */
  private freeClient(): ClientState | undefined {
    for (let tried = 0; tried < this.clients.length; tried++) {
      const client = this.clients[this.nextClient]!;
      this.nextClient = (this.nextClient + 1) % this.clients.length;
      if (client.open.size < this.options.spec.concurrency) return client;
    }
    return undefined;
  }

  /** When every client is full, a completion calls pump(); otherwise the timer wakes for the next slot. */
  private armTick(nowMs: number): void {
    if (this.tickTimer !== undefined || this.freeClientCount() === 0) return;
    const delayMs = Math.max(TICK_MIN_MS, this.schedule!.nextDueMs() - nowMs);
    this.tickTimer = this.timers.set(() => {
      this.tickTimer = undefined;
      this.pump();
    }, delayMs);
  }

  private freeClientCount(): number {
    return this.clients.filter((client) => client.open.size < this.options.spec.concurrency).length;
  }

  /** Records the invocation and sends the operation; false when the history is full and the workload must stop issuing. */
  private issue(client: ClientState, nowMs: number): boolean {
    const planned = client.planner.next();
    const id = this.nextId++;
    const invoked = this.options.recorder.invoke({
      type: "invoke",
      id,
      client: client.index,
      f: planned.f,
      key: planned.key,
      ...(planned.value === undefined ? {} : { value: planned.value }),
      ...(planned.wait ? { wait: true } : {}),
      timeMs: nowMs,
    });
    if (!invoked) {
      this.running = false;
      return false;
    }
    const operation: OpenOperation = { ...planned, id, client: client.index, timer: undefined };
    client.open.set(id, operation);
    const boundMs = this.operationBoundMs(planned.wait);
    operation.timer = this.timers.set(() => this.finishTimedOut(operation, `no reply within ${boundMs} ms`), boundMs);
    this.sendSafely(client.adapter, operation).then(
      (result) => this.finish(operation, "ok", result, undefined),
      (error: unknown) => this.finishFailed(operation, error),
    );
    return true;
  }

  /** An operation's client-side bound: a SET with WAIT may also block for the WAIT timeout. */
  private operationBoundMs(wait: boolean): number {
    const waitMs = wait ? (this.options.spec.wait?.timeoutMs ?? 0) : 0;
    return this.options.spec.commandTimeoutMs + waitMs + CLIENT_TIMEOUT_GRACE_MS;
  }

  /** A client that throws instead of rejecting still yields exactly one completion. */
  private sendSafely(adapter: ClusterClientAdapter, operation: OpenOperation): Promise<OperationResult> {
    try {
      return this.send(adapter, operation);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private send(adapter: ClusterClientAdapter, operation: OpenOperation): Promise<OperationResult> {
    const waitSpec = this.options.spec.wait;
    switch (operation.f) {
      case "set":
        if (operation.wait && waitSpec !== undefined) return adapter.setWithWait(operation.key, operation.value!, waitSpec.replicas, waitSpec.timeoutMs);
        return adapter.set(operation.key, operation.value!).then(() => ({ waitReplicas: undefined }));
      case "get":
        return adapter.get(operation.key);
      case "incr":
        return adapter.incr(operation.key);
    }
  }

  private finishFailed(operation: OpenOperation, error: unknown): void {
    const classified = classifyError(error);
    this.finish(operation, classified.outcome, undefined, { message: classified.message, kind: classified.kind });
  }

  private finishTimedOut(operation: OpenOperation, why: string): void {
    // The text is what classifyError reads as a timeout, so these sort with the clients' own.
    this.finishFailed(operation, new Error(`timed out: ${why} (the workload's own bound)`));
  }

  /** Records the one completion of an open operation; a second (a reply after its timeout) is ignored. */
  private finish(operation: OpenOperation, outcome: Outcome, result: OperationResult | undefined, error: { message: string; kind: ErrorKind } | undefined): void {
    const client = this.clients[operation.client]!;
    if (!client.open.delete(operation.id)) return;
    this.timers.clear(operation.timer);
    this.options.recorder.complete(completion(operation, outcome, result, error, this.now()));
    if (this.drained !== undefined && this.openCount() === 0) this.drained();
    this.pump();
  }

  private openCount(): number {
    return this.clients.reduce((total, client) => total + client.open.size, 0);
  }

  /** Resolves when nothing is in flight, or after `timeoutMs`. */
  private drain(timeoutMs: number): Promise<void> {
    if (this.openCount() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.timers.set(() => {
        this.drained = undefined;
        resolve();
      }, timeoutMs);
      this.drained = () => {
        this.drained = undefined;
        this.timers.clear(timer);
        resolve();
      };
    });
  }

  private async closeClients(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.adapter.close().catch(() => {})));
  }
}

type OperationResult = WaitOutcome | string | number | null;

/** The completion entry of an operation (pure). */
function completion(
  operation: OpenOperation,
  outcome: Outcome,
  result: OperationResult | undefined,
  error: { message: string; kind: ErrorKind } | undefined,
  timeMs: number,
): CompleteEntry {
  const entry: CompleteEntry = { type: outcome, id: operation.id, client: operation.client, f: operation.f, key: operation.key, timeMs };
  if (operation.f === "set") {
    entry.value = operation.value;
    const waitReplicas = (result as WaitOutcome | undefined)?.waitReplicas;
    if (operation.wait && waitReplicas !== undefined) entry.waitReplicas = waitReplicas;
  } else if (outcome === "ok") {
    entry.value = result as string | number | null;
  }
  if (error !== undefined) {
    entry.error = error.message;
    entry.errorKind = error.kind;
  }
  return entry;
}

function defaultFactory(spec: WorkloadSpec): ClusterClientFactory {
  return spec.client === "node-redis-cluster" ? createNodeRedisAdapter : createIoredisAdapter;
}

/**
 * A client's error listener: logs at most one line per ERROR_LOG_INTERVAL_MS,
 * counting the errors it held back into the next line; without a log
 * function it only swallows them (they must not crash the process).
 */
function errorLogger(client: number, now: () => number, log: ((line: string) => void) | undefined): (error: unknown) => void {
  if (log === undefined) return () => {};
  let lastLoggedMs = -Infinity;
  let heldBack = 0;
  return (error) => {
    const nowMs = now();
    if (nowMs - lastLoggedMs < ERROR_LOG_INTERVAL_MS) {
      heldBack++;
      return;
    }
    const more = heldBack === 0 ? "" : ` (and ${heldBack} more errors since the last line)`;
    lastLoggedMs = nowMs;
    heldBack = 0;
    log(`workload client ${client}: ${describe(error)}${more}`);
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
