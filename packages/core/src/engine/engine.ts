import { ProtocolError, QueryBufferLimitError, type ProtocolLimits } from "@shardline/resp";
import type { Clock } from "../clock.js";
import { ALL_COMMANDS, CommandTable, subcommandOf } from "../commands/registry.js";
import { keyPositions, type CommandSpec } from "../commands/spec.js";
import { Constants } from "../constants.js";
import { CommandError, Errors } from "../errors.js";
import { Database, type ServerDeletionReason } from "../keyspace/database.js";
import { Ledger } from "../keyspace/ledger.js";
import type { Random } from "../random.js";
import { Client, type ConnectionInfo } from "./client.js";
import { ConfigStore } from "./config.js";
import { CommandContext } from "./context.js";
import { performEvictions } from "./eviction.js";
import { PARAMETERS } from "./parameters.js";
import { PubSubRegistry } from "./pubsub.js";
import { ServerStats } from "./stats.js";

/** Facts about the process that only the runtime knows, shown by INFO server. */
export interface ProcessFacts {
  pid: number;
  tcpPort: number;
  executable: string;
  configFile: string;
  os: string;
  archBits: number;
  nodeVersion: string;
}

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogSink = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** Listener for the write stream a primary sends to replicas (the replication issue builds on it). */
export type PropagationListener = (dbId: number, commands: readonly string[][]) => void;

export interface EngineOptions {
  clock: Clock;
  random: Random;
  /** Start-up configuration: command-line flags and config file, in order. */
  config?: Iterable<readonly [string, string]>;
  process?: Partial<ProcessFacts>;
  log?: LogSink;
}

/** Commands a client may run while inside MULTI without being queued. */
const MULTI_CONTROL = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);
/** Commands a RESP2 client may run while subscribed. */
const SUBSCRIBED_ALLOWED = new Set(["subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe", "ping", "quit", "reset"]);

/**
 * The sans-IO node: it takes bytes from clients, the time (through the
 * injected Clock) and randomness (through the injected Random), and produces
 * bytes for clients. It never touches a socket or a timer: the runtime calls
 * `receive` with input, `wake` at `nextWakeMs()`, `tick` hz times a second,
 * and after each of these writes out `takeOutput()`.
 */
export class Engine {
  readonly clock: Clock;
  readonly random: Random;
  readonly config: ConfigStore;
  readonly ledger = new Ledger();
  readonly dbs: Database[];
  readonly commands = new CommandTable(ALL_COMMANDS);
  readonly clients = new Map<number, Client>();
  readonly stats = new ServerStats();
  readonly pubsub = new PubSubRegistry();
  readonly process: ProcessFacts;
  readonly runId: string;
  readonly startedAtMs: number;
  readonly log: LogSink;
  /** The time of the event being handled, read once per event as Redis caches mstime. */
  nowMs: number;
  /** Server-initiated deletions (expiry, eviction), which are not the command's own changes. */
  private serverDeletions = 0;
  private nextClientId = 1;
  private readonly pendingOutput = new Set<Client>();
  /** Blocked clients by `${dbId}\0${key}`, in the order they blocked (served first come, first served). */
  private readonly blockedByKey = new Map<string, Client[]>();
  private readonly blockedClients = new Set<Client>();
  private readonly readyKeys = new Set<string>();
  /** WATCHing clients by `${dbId}\0${key}`. */
  private readonly watchers = new Map<string, Set<Client>>();
  private readonly propagationListeners: PropagationListener[] = [];
  private protocolLimits: ProtocolLimits;

  constructor(options: EngineOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.log = options.log ?? (() => {});
    this.nowMs = this.clock.nowMs();
    this.startedAtMs = this.nowMs;
    this.runId = this.random.hex(40);
    this.config = new ConfigStore(PARAMETERS);
    for (const [name, value] of options.config ?? []) this.config.set(name, value, true);
    this.process = {
      pid: 0,
      tcpPort: this.config.number("port"),
      executable: "",
      configFile: "",
      os: "",
      archBits: 64,
      nodeVersion: "",
      ...options.process,
    };
    const hooks = {
      deletesExpiredKeys: () => true,
      keyRemovedByServer: (db: Database, key: string, reason: ServerDeletionReason) => this.keyRemovedByServer(db, key, reason),
    };
    this.dbs = [];
    for (let id = 0; id < this.config.number("databases"); id++) {
      const db = new Database(id, this.ledger, hooks);
      db.random = this.random;
      this.dbs.push(db);
    }
    this.protocolLimits = { ...Constants };
    this.config.watch("proto-max-bulk-len", (v) => (this.protocolLimits.bulkBytesMax = Number(v)));
    this.config.watch("client-query-buffer-limit", (v) => (this.protocolLimits.queryBufferBytesMax = Number(v)));
    this.config.watch("maxmemory-policy", (policy) => {
      const tracking = policy.endsWith("-lru") ? "lru" : policy.endsWith("-lfu") ? "lfu" : "none";
      for (const db of this.dbs) if (db.accessTracking !== tracking) db.setAccessTracking(tracking);
    });
  }

  // ---------------------------------------------------------------- clients

  /** A new connection; returns its client, or undefined (after writing the error) when maxclients is reached. */
  connect(connection: ConnectionInfo): Client {
    this.nowMs = this.clock.nowMs();
    const client = new Client(this.nextClientId++, connection, this.nowMs, this.protocolLimits, this.config.get("requirepass") !== "");
    this.stats.totalConnectionsReceived++;
    if (this.clients.size >= this.config.number("maxclients")) {
      this.stats.rejectedConnections++;
      client.writer.error("ERR max number of clients reached");
      client.closeAfterReply = true;
      this.pendingOutput.add(client);
      return client;
    }
    this.clients.set(client.id, client);
    return client;
  }

  /** Bytes arrived from a client: decode and run every complete command. */
  receive(client: Client, chunk: Buffer): void {
    this.nowMs = this.clock.nowMs();
    this.stats.totalNetInputBytes += chunk.length;
    client.lastInteractionMs = this.nowMs;
    try {
      client.decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof QueryBufferLimitError)) throw error;
      this.log("warn", "closing client that reached max query buffer length", { client: client.id, bytes: error.bufferedBytes });
      client.closeNow = true;
      this.pendingOutput.add(client);
      return;
    }
    this.processInput(client);
  }

  /** The connection closed (either side): forget everything about the client. */
  disconnect(client: Client): void {
    this.unblock(client);
    this.unwatchAll(client);
    this.pubsub.removeClient(client);
    this.clients.delete(client.id);
    this.pendingOutput.delete(client);
  }

  /** Clients with output to write or a close to carry out; the runtime writes each with one socket write. */
  takeOutput(): Client[] {
    if (this.pendingOutput.size === 0) return [];
    const clients = [...this.pendingOutput];
    this.pendingOutput.clear();
    for (const client of clients) this.stats.totalNetOutputBytes += client.writer.pendingBytes;
    return clients;
  }

  /** Marks a client as having output (pub/sub deliveries, unblocked replies...). */
  markOutput(client: Client): void {
    const limit = client.subscriptionCount > 0 ? Constants.pubsubOutputBufferBytesMax : Constants.outputBufferBytesMax;
    if (client.writer.pendingBytes > limit && !client.closeNow) {
      this.log("warn", "closing client that exceeded its output buffer limit", { client: client.id, bytes: client.writer.pendingBytes });
      client.closeNow = true;
    }
    this.pendingOutput.add(client);
  }

  /** Runs commands from the client's input until it runs dry, blocks or closes. */
  private processInput(client: Client): void {
    while (client.blocked === undefined && !client.closeAfterReply && !client.closeNow) {
      let args: string[] | undefined;
      try {
        args = client.decoder.next();
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        client.writer.error("ERR " + error.message);
        this.stats.error("ERR");
        client.closeAfterReply = true;
        this.log("info", "protocol error from client", { client: client.id, reason: error.reason });
        break;
      }
      if (args === undefined) break;
      this.execute(client, args);
    }
    if (client.writer.pendingBytes > 0 || client.closeAfterReply || client.closeNow) this.markOutput(client);
  }

  // ---------------------------------------------------------------- dispatch

  /**
   * Runs one command from a client with every check Redis makes first, in
   * Redis's order: lookup and arity, authentication, memory, pub/sub
   * context, MULTI queueing. Then serves clients its writes unblocked.
   */
  execute(client: Client, args: string[]): void {
    let spec = this.commands.get(args[0]!);
    if (spec === undefined) {
      const rest = args.slice(1, 32).map((a) => `'${a.slice(0, 128)}' `).join("");
      return this.reject(client, undefined, `ERR unknown command '${args[0]!.slice(0, 128)}', with args beginning with: ${rest}`);
    }
    if (spec.subcommands) {
      const sub = subcommandOf(spec, args);
      if (sub === undefined) {
        if (args.length < 2) return this.reject(client, spec, Errors.wrongArity(spec.name));
        return this.reject(client, spec, `ERR unknown subcommand '${args[1]!.slice(0, 128)}'. Try ${spec.name.toUpperCase()} HELP.`);
      }
      spec = sub;
    }
    if ((spec.arity > 0 && args.length !== spec.arity) || args.length < -spec.arity) {
      return this.reject(client, spec, Errors.wrongArity(spec.name));
    }
    if (!client.authenticated && !spec.flags.includes("no_auth")) {
      return this.reject(client, spec, Errors.noAuth);
    }
    if (spec.flags.includes("denyoom") && !this.makeRoomForWrite(client)) {
      return this.reject(client, spec, Errors.oom);
    }
    if (client.protocol === 2 && client.subscriptionCount > 0 && !SUBSCRIBED_ALLOWED.has(spec.name)) {
      return this.reject(
        client,
        spec,
        `ERR Can't execute '${spec.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      );
    }
    if (client.multi !== undefined && !MULTI_CONTROL.has(spec.name)) {
      if (spec.flags.includes("no_multi")) {
        return this.reject(client, spec, "ERR Command not allowed inside a transaction");
      }
      if (client.multi.queue.length >= Constants.multiQueueLengthMax) {
        return this.reject(client, spec, "ERR Too many commands queued in this transaction");
      }
      client.multi.queue.push({ spec, args });
      client.writer.simple("QUEUED");
      return;
    }
    this.call(client, spec, args);
    if (this.readyKeys.size > 0) this.serveReadyKeys();
  }

  /** A command refused before it ran: an error reply, and a pending MULTI is doomed. */
  private reject(client: Client, spec: CommandSpec | undefined, message: string): void {
    if (client.multi !== undefined) client.multi.aborted = true;
    if (spec !== undefined) this.stats.command(spec.name).rejectedCalls++;
    this.stats.error(message);
    client.writer.error(message);
  }

  /**
   * Runs a command's handler and everything that follows a change: WATCHed
   * keys are touched, clients blocked on its keys become ready, and the
   * change is propagated. Returns the context (for EXEC and blocked retries).
   */
  call(client: Client, spec: CommandSpec, args: string[], retryingBlocked = false): CommandContext {
    const changesBefore = this.ledger.changes - this.serverDeletions;
    const outputBefore = client.writer.out.length;
    const ctx = new CommandContext(this, client, spec, args, this.nowMs, retryingBlocked);
    const stats = this.stats.command(spec.name);
    const startedMs = this.clock.nowMs();
    try {
      spec.handler!(ctx);
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      client.writer.error(error.message);
      this.stats.error(error.message);
      stats.failedCalls++;
    }
    if (ctx.blockedOn === undefined) {
      stats.calls++;
      stats.usec += Math.round((this.clock.nowMs() - startedMs) * 1000);
      this.stats.totalCommandsProcessed++;
    } else if (!retryingBlocked) {
      this.block(client, spec, args, ctx.blockedOn.keys, ctx.blockedOn.deadlineMs);
    }
    client.lastCommand = spec.name;
    if (this.ledger.changes - this.serverDeletions !== changesBefore && spec.flags.includes("write")) {
      const db = client.dbId;
      for (const position of keyPositions(spec, args)) this.keyChanged(db, args[position]!);
      this.propagate(db, ctx.propagated ?? [args]);
    } else if (ctx.propagated !== undefined) {
      this.propagate(client.dbId, ctx.propagated);
    }
    if (client.replyMode !== "on") {
      client.writer.out = client.writer.out.slice(0, outputBefore);
      if (client.replyMode === "skip" && spec.name !== "client|reply") client.replyMode = "on";
    }
    return ctx;
  }

  // ---------------------------------------------------------------- changes

  /** A key's value changed: WATCHers are invalidated and blocked clients get a chance. */
  keyChanged(dbId: number, key: string): void {
    const compound = dbId + "\0" + key;
    const watchers = this.watchers.get(compound);
    if (watchers !== undefined) for (const client of watchers) client.casDirty = true;
    if (this.blockedByKey.has(compound)) this.readyKeys.add(compound);
  }

  /** Every WATCHed key of a database is invalidated (FLUSHDB, FLUSHALL). */
  databaseChanged(dbId: number): void {
    const prefix = dbId + "\0";
    for (const [compound, clients] of this.watchers) {
      if (compound.startsWith(prefix)) for (const client of clients) client.casDirty = true;
    }
  }

  onPropagate(listener: PropagationListener): void {
    this.propagationListeners.push(listener);
  }

  /** Sends commands to whoever replicates this node's writes. */
  propagate(dbId: number, commands: readonly string[][]): void {
    for (const listener of this.propagationListeners) listener(dbId, commands);
  }

  private keyRemovedByServer(db: Database, key: string, reason: ServerDeletionReason): void {
    this.serverDeletions++;
    if (reason === "expired") this.stats.expiredKeys++;
    else this.stats.evictedKeys++;
    this.keyChanged(db.id, key);
    this.propagate(db.id, [["DEL", key]]);
  }

  /** A key was evicted for maxmemory: counted and propagated like an expiry. */
  keyEvicted(db: Database, key: string): void {
    this.keyRemovedByServer(db, key, "evicted");
  }

  /** Evicts keys per maxmemory-policy until the dataset fits; false when it cannot (OOM). */
  private makeRoomForWrite(client: Client): boolean {
    const maxBytes = this.config.number("maxmemory");
    if (maxBytes === 0 || this.ledger.bytes <= maxBytes) return true;
    void client;
    return performEvictions(this, maxBytes);
  }

  // ---------------------------------------------------------------- WATCH

  watch(client: Client, key: string): void {
    const compound = client.dbId + "\0" + key;
    if (client.watched.has(compound)) return;
    client.watched.add(compound);
    let set = this.watchers.get(compound);
    if (set === undefined) this.watchers.set(compound, (set = new Set()));
    set.add(client);
  }

  unwatchAll(client: Client): void {
    for (const compound of client.watched) {
      const set = this.watchers.get(compound);
      set?.delete(client);
      if (set?.size === 0) this.watchers.delete(compound);
    }
    client.watched.clear();
    client.casDirty = false;
  }

  // ---------------------------------------------------------------- blocking

  private block(client: Client, spec: CommandSpec, args: string[], keys: string[], deadlineMs: number): void {
    client.blocked = { spec, args, dbId: client.dbId, keys, deadlineMs };
    for (const key of new Set(keys)) {
      const compound = client.dbId + "\0" + key;
      let waiting = this.blockedByKey.get(compound);
      if (waiting === undefined) this.blockedByKey.set(compound, (waiting = []));
      waiting.push(client);
    }
    this.blockedClients.add(client);
  }

  /** Releases a blocked client's registrations (served, timed out, unblocked or gone). */
  unblock(client: Client): void {
    const blocked = client.blocked;
    if (blocked === undefined) return;
    client.blocked = undefined;
    this.blockedClients.delete(client);
    for (const key of new Set(blocked.keys)) {
      const compound = blocked.dbId + "\0" + key;
      const waiting = this.blockedByKey.get(compound);
      if (waiting === undefined) continue;
      const index = waiting.indexOf(client);
      if (index >= 0) waiting.splice(index, 1);
      if (waiting.length === 0) this.blockedByKey.delete(compound);
    }
  }

  /**
   * Re-runs the commands of clients blocked on keys that changed, first
   * blocked first served. A retried command either replies (the client is
   * released and its pipelined input resumes) or blocks again. Serving may
   * make more keys ready (BLMOVE pushes), so it loops until none are.
   */
  private serveReadyKeys(): void {
    const resumed: Client[] = [];
    while (this.readyKeys.size > 0) {
      const ready = [...this.readyKeys];
      this.readyKeys.clear();
      for (const compound of ready) {
        const waiting = this.blockedByKey.get(compound);
        if (waiting === undefined) continue;
        for (const client of [...waiting]) {
          const blocked = client.blocked;
          if (blocked === undefined) continue;
          client.dbId = blocked.dbId;
          const ctx = this.call(client, blocked.spec, blocked.args, true);
          if (ctx.blockedOn === undefined) {
            this.unblock(client);
            this.markOutput(client);
            resumed.push(client);
          }
        }
      }
    }
    for (const client of resumed) this.processInput(client);
  }

  /** Releases a blocked client with its timeout reply (or an error, for CLIENT UNBLOCK ERROR). */
  releaseBlocked(client: Client, error?: string): void {
    if (client.blocked === undefined) return;
    const spec = client.blocked.spec;
    this.unblock(client);
    if (error === undefined) client.writer.nullArray();
    else client.writer.error(error);
    this.stats.command(spec.name).calls++;
    this.markOutput(client);
    this.processInput(client);
  }

  // ---------------------------------------------------------------- time

  /** The earliest time the runtime must call `wake` (a blocked client's deadline), if any. */
  nextWakeMs(): number | undefined {
    let earliest = Infinity;
    for (const client of this.blockedClients) earliest = Math.min(earliest, client.blocked!.deadlineMs);
    return earliest === Infinity ? undefined : earliest;
  }

  /** Times out blocked clients whose deadline has passed. */
  wake(): void {
    this.nowMs = this.clock.nowMs();
    for (const client of [...this.blockedClients]) {
      if (client.blocked !== undefined && client.blocked.deadlineMs <= this.nowMs) this.releaseBlocked(client);
    }
  }

  /**
   * The periodic tick (hz times a second): blocked timeouts, idle client
   * timeouts and active expiry within its time budget.
   */
  tick(): void {
    this.wake();
    this.closeIdleClients();
    this.activeExpireCycle();
  }

  private closeIdleClients(): void {
    const timeoutSeconds = this.config.number("timeout");
    if (timeoutSeconds === 0) return;
    for (const client of this.clients.values()) {
      if (client.blocked !== undefined || client.subscriptionCount > 0) continue;
      if (this.nowMs - client.lastInteractionMs > timeoutSeconds * 1000) {
        client.closeNow = true;
        this.pendingOutput.add(client);
      }
    }
  }

  private activeExpireCycle(): void {
    const budgetMs = (1000 / this.config.number("hz")) * (Constants.activeExpireCycleBudgetPercent / 100);
    const started = this.clock.nowMs();
    for (const db of this.dbs) {
      if (db.expires.size === 0) continue;
      for (;;) {
        const [sampled, expired] = db.activeExpireSample(this.nowMs, this.random, Constants.activeExpireSamplesPerPass);
        if (sampled === 0 || expired * 4 <= sampled) break;
        if (this.clock.nowMs() - started > budgetMs) return;
      }
    }
  }
}
