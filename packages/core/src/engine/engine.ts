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
import { ClusterMode, SHARDLINE_CLUSTER_PARAMETERS } from "./cluster-mode.js";
import { ReplicationMode } from "./replication-mode.js";
import { CommandContext } from "./context.js";
import { performEvictions } from "./eviction.js";
import { outputBufferLimits, PARAMETERS, type OutputBufferLimit } from "./parameters.js";
import { PubSubRegistry } from "./pubsub.js";
import { ServerStats, type CommandStats } from "./stats.js";
import { WriteTerms } from "./write-terms.js";
import { NetworkFaults } from "../faults/network-faults.js";

/** CPU and memory figures of the process, in Redis's INFO units; only the runtime can measure them. */
export interface ResourceUsage {
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  /** Resident set size of the whole process. */
  rssBytes: number;
}

/** Facts about the process that only the runtime knows, shown by INFO server, memory and cpu. */
export interface ProcessFacts {
  pid: number;
  tcpPort: number;
  executable: string;
  configFile: string;
  os: string;
  archBits: number;
  nodeVersion: string;
  /** Physical memory of the machine (INFO total_system_memory); 0 when unknown. */
  totalSystemMemoryBytes?: number;
  /**
   * Measures the process when INFO asks (the runtime passes process.cpuUsage
   * and memoryUsage; the simulator passes nothing and INFO reports zeros).
   * Called only from INFO, so it never affects what the core decides.
   */
  resourceUsage?: () => ResourceUsage;
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
  /** Cluster mode: the nodes file's content when it exists (the node's identity, slots and epochs). */
  clusterNodesFile?: string;
  process?: Partial<ProcessFacts>;
  log?: LogSink;
}

/** Commands a client may run while inside MULTI without being queued. */
const MULTI_CONTROL = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);
/**
 * Commands CLIENT PAUSE WRITE holds besides those flagged write: Redis's
 * may_replicate commands (the flag is hidden from COMMAND INFO, so the
 * command table may not carry it).
 */
const MAY_REPLICATE = new Set(["publish", "spublish", "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "pfcount", "wait"]);
/** Commands Redis still accepts inside MULTI when out of memory (queueing anything else could grow without bound). */
const MULTI_OOM_ALLOWED = new Set(["exec", "discard", "quit", "reset"]);
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
  /** Present when `cluster-enabled yes`: slots, routing and the cluster bus's state. */
  readonly cluster: ClusterMode | undefined;
  /** This node's replication, as a primary (stream, backlog, replicas) or as a replica of one. */
  readonly replication: ReplicationMode;
  /** The network faults the runtime plays on this node's links (set by a chaos runner, read by SHARDLINE FAULTS). */
  readonly faults = new NetworkFaults();
  /** Spans of client writes this node accepted as a primary (SHARDLINE WRITES): split-brain evidence. */
  readonly writeTerms = new WriteTerms();
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
  /** While EXEC runs, its propagated writes are collected here and sent as one MULTI ... EXEC. */
  private propagationBatch: [number, string[][]][] | undefined;
  /** CLIENT PAUSE: which commands wait, and until when. */
  pause: { mode: "all" | "write"; endMs: number } | undefined;
  private readonly postponedClients = new Set<Client>();
  /** Clients released from a block (CLIENT UNBLOCK, timeouts) whose pipelined input resumes after the current event. */
  private readonly resumable = new Set<Client>();
  private outputLimits: Record<"normal" | "slave" | "pubsub", OutputBufferLimit>;
  /** `latency-tracking`: whether calls feed the per-command latency histograms. */
  private latencyTracking = true;
  /** `maxmemory`, read on every command; 0 means no limit. */
  private maxmemoryBytes = 0;
  private protocolLimits: ProtocolLimits;

  constructor(options: EngineOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.log = options.log ?? (() => {});
    this.nowMs = this.clock.nowMs();
    this.startedAtMs = this.nowMs;
    this.runId = this.random.hex(40);
    this.config = new ConfigStore([...PARAMETERS, ...SHARDLINE_CLUSTER_PARAMETERS]);
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
      // A replica waits for its primary's DEL instead of expiring keys itself.
      expiryMode: () => this.replication?.expiryMode() ?? "delete",
      keyRemovedByServer: (db: Database, key: string, reason: ServerDeletionReason) => this.keyRemovedByServer(db, key, reason),
    };
    this.dbs = [];
    for (let id = 0; id < this.config.number("databases"); id++) {
      const db = new Database(id, this.ledger, hooks);
      db.random = this.random;
      db.clock = () => this.nowMs;
      this.dbs.push(db);
    }
    this.replication = new ReplicationMode(this);
    this.cluster = this.config.boolean("cluster-enabled") ? new ClusterMode(this, options.clusterNodesFile) : undefined;
    this.cluster?.resumeRole();
    this.protocolLimits = { ...Constants };
    this.config.watch("proto-max-bulk-len", (v) => (this.protocolLimits.bulkBytesMax = Number(v)));
    this.config.watch("client-query-buffer-limit", (v) => (this.protocolLimits.queryBufferBytesMax = Number(v)));
    this.config.watch("maxmemory-policy", (policy) => {
      const tracking = policy.endsWith("-lru") ? "lru" : policy.endsWith("-lfu") ? "lfu" : "none";
      for (const db of this.dbs) if (db.accessTracking !== tracking) db.setAccessTracking(tracking);
    });
    const updateLfu = () => {
      const settings = { logFactor: this.config.number("lfu-log-factor"), decayMinutes: this.config.number("lfu-decay-time") };
      for (const db of this.dbs) db.lfu = settings;
    };
    this.config.watch("lfu-log-factor", updateLfu);
    this.config.watch("lfu-decay-time", updateLfu);
    this.outputLimits = outputBufferLimits(this.config.get("client-output-buffer-limit"));
    this.config.watch("client-output-buffer-limit", (value) => (this.outputLimits = outputBufferLimits(value)));
    this.config.watch("latency-tracking", (value) => (this.latencyTracking = value === "yes"));
    // Lowering maxmemory evicts at once, as Redis's CONFIG SET maxmemory does.
    this.config.watch("maxmemory", (value) => {
      this.maxmemoryBytes = Number(value);
      if (this.maxmemoryBytes > 0 && this.ledger.bytes > this.maxmemoryBytes) this.evictForMaxmemory();
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
    this.stats.totalReadsProcessed++;
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
    this.resumeReleased();
  }

  /** The connection closed (either side): forget everything about the client. */
  disconnect(client: Client): void {
    this.unblock(client);
    this.unwatchAll(client);
    this.pubsub.removeClient(client);
    this.clients.delete(client.id);
    this.pendingOutput.delete(client);
    this.resumable.delete(client);
    this.postponedClients.delete(client);
    client.postponed = undefined;
  }

  /**
   * Closes another client at once, without flushing its pending output, as
   * Redis's freeClient does for CLIENT KILL. The runtime destroys the socket;
   * the client is gone from CLIENT LIST immediately.
   */
  kill(client: Client): void {
    client.closeNow = true;
    this.disconnect(client);
    this.pendingOutput.add(client);
  }

  /** Clients with output to write or a close to carry out; the runtime writes each with one socket write. */
  takeOutput(): Client[] {
    if (this.pendingOutput.size === 0) return [];
    const clients = [...this.pendingOutput];
    this.pendingOutput.clear();
    for (const client of clients) {
      this.stats.totalNetOutputBytes += client.writer.pendingBytes;
      if (client.writer.pendingBytes > 0) this.stats.totalWritesProcessed++;
    }
    return clients;
  }

  /**
   * The hard output limit of a client's class (client-output-buffer-limit:
   * normal or pubsub), never above Constants' absolute bound; 0 in the
   * configuration means "no limit" and so the absolute bound.
   */
  outputBufferLimitBytes(client: Client): number {
    const pubsub = client.subscriptionCount > 0;
    const configured = (pubsub ? this.outputLimits.pubsub : this.outputLimits.normal).hardBytes;
    const absolute = pubsub ? Constants.pubsubOutputBufferBytesMax : Constants.outputBufferBytesMax;
    return configured === 0 ? absolute : Math.min(configured, absolute);
  }

  /** Marks a client as having output (pub/sub deliveries, unblocked replies...). */
  markOutput(client: Client): void {
    // Like Redis, whose limits count only what overflows a client's fixed 16 KiB reply buffer.
    const limit = this.outputBufferLimitBytes(client) + Constants.replyBufferBytes;
    if (client.writer.pendingBytes > limit && !client.closeNow) {
      this.log("warn", "closing client that exceeded its output buffer limit", { client: client.id, bytes: client.writer.pendingBytes });
      client.closeNow = true;
    }
    this.pendingOutput.add(client);
  }

  /** Runs commands from the client's input until it runs dry, blocks or closes. */
  private processInput(client: Client): void {
    while (client.blocked === undefined && client.postponed === undefined && !client.closeAfterReply && !client.closeNow) {
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
   * Runs one command from a client with every check Redis makes first, then
   * serves clients its writes unblocked. CLIENT REPLY OFF/SKIP drop whatever
   * the command would have answered, errors included.
   */
  execute(client: Client, args: string[]): void {
    const outputBefore = client.writer.out.length;
    const spec = this.dispatch(client, args);
    this.applyReplyMode(client, outputBefore, spec);
    // ASKING lasts for one command (a whole transaction inside MULTI), as Redis's resetClient does.
    if (spec?.name !== "asking" && client.multi === undefined) client.asking = false;
    if (this.readyKeys.size > 0) this.serveReadyKeys();
  }

  /**
   * The checks of Redis's processCommand, in its order: lookup and arity,
   * authentication, MULTI-forbidden commands, memory, pub/sub context, MULTI
   * queueing; then the call. Returns the command looked up, if any. As in
   * Redis, the client's last command (CLIENT LIST `cmd=`) is set at lookup,
   * before anything can refuse it.
   */
  private dispatch(client: Client, args: string[]): CommandSpec | undefined {
    let spec = this.commands.get(args[0]!);
    client.lastCommand = "NULL";
    if (spec === undefined) {
      const rest = args.slice(1, 32).map((a) => `'${a.slice(0, 128)}' `).join("");
      this.reject(client, undefined, `ERR unknown command '${args[0]!.slice(0, 128)}', with args beginning with: ${rest}`);
      return undefined;
    }
    if (spec.subcommands && args.length >= 2) {
      const sub = subcommandOf(spec, args);
      if (sub === undefined) {
        this.reject(client, undefined, `ERR unknown subcommand '${args[1]!.slice(0, 128)}'. Try ${args[0]!.toUpperCase()} HELP.`);
        return undefined;
      }
      spec = sub;
    }
    client.lastCommand = spec.name;
    const refusal = this.refusal(client, spec, args);
    if (refusal !== undefined) {
      this.reject(client, spec, refusal.message, refusal.redirect);
      return spec;
    }
    if (this.pausedFor(client, spec)) {
      client.postponed = args;
      this.postponedClients.add(client);
      return spec;
    }
    if (client.multi !== undefined && !MULTI_CONTROL.has(spec.name)) {
      if (client.multi.queue.length >= Constants.multiQueueLengthMax) {
        this.reject(client, spec, "ERR Too many commands queued in this transaction");
        return spec;
      }
      client.multi.queue.push({ spec, args });
      client.writer.simple("QUEUED");
      return spec;
    }
    this.call(client, spec, args);
    this.evictAfterCommand();
    return spec;
  }

  /**
   * Redis evicts only before commands, so the dataset may sit over maxmemory
   * between a write and the next command. shardline also evicts right after
   * a command that left it over, so memory never stays over the limit while
   * the node is idle; the keys chosen are the ones the next command would
   * have evicted, and replicas get the write before its evictions either way.
   */
  private evictAfterCommand(): void {
    if (this.maxmemoryBytes !== 0 && this.ledger.bytes > this.maxmemoryBytes) this.evictForMaxmemory();
  }

  /**
   * Why Redis would refuse to run (or queue) this command now, or undefined.
   * A cluster redirection is marked: Redis sends it as it is, even for EXEC.
   */
  private refusal(client: Client, spec: CommandSpec, args: readonly string[]): { message: string; redirect?: boolean } | undefined {
    if ((spec.arity > 0 && args.length !== spec.arity) || args.length < -spec.arity) return { message: Errors.wrongArity(spec.name) };
    if (!client.authenticated && !spec.flags.includes("no_auth")) return { message: Errors.noAuth };
    if (this.cluster !== undefined) {
      const redirect = this.cluster.redirect(client, spec, args);
      if (redirect !== undefined) {
        // A redirected EXEC discards the transaction; other commands doom it (reject flags it).
        if (spec.name === "exec") {
          client.multi = undefined;
          this.unwatchAll(client);
        }
        return { message: redirect, redirect: true };
      }
    }
    if (client.multi !== undefined && spec.flags.includes("no_multi")) return { message: "ERR Command not allowed inside a transaction" };
    if (!this.memoryAllows(client, spec)) return { message: Errors.oom };
    const replicationRefusal = this.replication.refusal(client, spec);
    if (replicationRefusal !== undefined) return { message: replicationRefusal };
    if (client.protocol === 2 && client.subscriptionCount > 0 && !SUBSCRIBED_ALLOWED.has(spec.name)) {
      return { message: `ERR Can't execute '${spec.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context` };
    }
    return undefined;
  }

  /**
   * A command refused before it ran: an error reply, and a pending MULTI is
   * doomed. A refused EXEC discards the transaction at once and says why, as
   * Redis's execCommandAbort does (dropping the generic "ERR " prefix); a
   * cluster redirection of EXEC is sent as it is.
   */
  private reject(client: Client, spec: CommandSpec | undefined, message: string, redirect = false): void {
    if (client.multi !== undefined) client.multi.aborted = true;
    if (spec !== undefined) this.stats.command(spec.name).rejectedCalls++;
    if (spec?.name === "exec" && !redirect) {
      client.multi = undefined;
      this.unwatchAll(client);
      message = "EXECABORT Transaction discarded because of: " + (message.startsWith("ERR ") ? message.slice(4) : message);
    }
    this.stats.error(message);
    client.writer.error(message);
  }

  /** CLIENT REPLY OFF drops replies; SKIP drops the next command's reply, then turns replies back on. */
  private applyReplyMode(client: Client, outputBefore: number, spec: CommandSpec | undefined): void {
    if (client.replyMode === "on") return;
    client.writer.out = client.writer.out.slice(0, outputBefore);
    if (client.replyMode === "skip" && spec?.name !== "client|reply") client.replyMode = "on";
  }

  /**
   * Runs a command's handler and everything that follows a change: WATCHed
   * keys are touched, clients blocked on its keys become ready, and the
   * change is propagated. Counts the call for INFO commandstats and
   * latencystats. Returns the context (for EXEC and blocked retries).
   */
  call(client: Client, spec: CommandSpec, args: string[], retryingBlocked = false): CommandContext {
    const changesBefore = this.ledger.changes - this.serverDeletions;
    const ctx = new CommandContext(this, client, spec, args, this.nowMs, retryingBlocked);
    const startedMs = this.clock.nowMs();
    const isWrite = spec.flags.includes("write");
    let threw = false;
    if (isWrite) this.replication.beforeWrite(client.dbId, spec, args);
    try {
      spec.handler!(ctx);
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      threw = true;
      client.writer.error(error.message);
      this.stats.error(error.message);
    }
    // Looked up after the handler: CONFIG RESETSTAT clears the table and, as in Redis, counts itself afterwards.
    const stats = this.stats.command(spec.name);
    if (threw) stats.failedCalls++;
    if (ctx.blockedOn === undefined) {
      this.countCall(stats, startedMs);
    } else if (!retryingBlocked) {
      this.block(client, spec, args, ctx.blockedOn.keys, ctx.blockedOn.deadlineMs, ctx.blockedOn.timeoutReply);
    }
    // A client's write that ran here (not the primary's stream, id 0, which a replica applies).
    if (isWrite && this.cluster !== undefined && !threw && client.id !== 0 && ctx.blockedOn === undefined) {
      const myself = this.cluster.state.myself;
      this.writeTerms.record(this.nowMs, myself.configEpoch, myself.slots);
    }
    if (isWrite && this.ledger.changes - this.serverDeletions !== changesBefore) {
      const db = client.dbId;
      for (const position of keyPositions(spec, args)) this.keyChanged(db, args[position]!);
      this.propagate(db, ctx.propagated ?? [args]);
      client.writeOffset = this.replication.offset;
    } else if (ctx.propagated !== undefined) {
      this.propagate(client.dbId, ctx.propagated);
      client.writeOffset = this.replication.offset;
    }
    return ctx;
  }

  private countCall(stats: CommandStats, startedMs: number): void {
    const usec = Math.round((this.clock.nowMs() - startedMs) * 1000);
    stats.calls++;
    stats.usec += usec;
    if (this.latencyTracking) stats.latency.record(usec);
    this.stats.totalCommandsProcessed++;
  }

  // ---------------------------------------------------------------- changes

  /**
   * A key's value changed: WATCHers are invalidated and blocked clients get a
   * chance. A key that was already expired when WATCHed and is now simply
   * gone is no logical change (Redis's touchWatchedKey).
   */
  keyChanged(dbId: number, key: string): void {
    // The common case: nobody WATCHes and nobody is blocked, so no key string is built.
    if (this.watchers.size === 0 && this.blockedByKey.size === 0) return;
    const compound = dbId + "\0" + key;
    const watchers = this.watchers.get(compound);
    if (watchers !== undefined) {
      const gone = !this.dbs[dbId]!.data.has(key);
      for (const client of watchers) {
        if (client.watched.get(compound) === true && gone) client.watched.set(compound, false);
        else client.casDirty = true;
      }
    }
    if (this.blockedByKey.has(compound)) this.readyKeys.add(compound);
  }

  /**
   * A database's content was replaced wholesale (a full sync): every WATCHed
   * key of it is invalidated, since nothing tells which changed.
   */
  databaseChanged(dbId: number): void {
    const prefix = dbId + "\0";
    for (const [compound, clients] of this.watchers) {
      if (compound.startsWith(prefix)) for (const client of clients) client.casDirty = true;
    }
  }

  /**
   * A database is about to be emptied (FLUSHDB, FLUSHALL): call before
   * removing its keys. As Redis's touchAllWatchedKeysInDb, WATCHers of keys
   * that exist are invalidated; a watched key that was already expired is
   * no logical change.
   */
  databaseEmptying(dbId: number): void {
    const db = this.dbs[dbId]!;
    const prefix = dbId + "\0";
    for (const [compound, clients] of this.watchers) {
      if (!compound.startsWith(prefix) || !db.data.has(compound.slice(prefix.length))) continue;
      for (const client of clients) {
        if (client.watched.get(compound) === true) client.watched.set(compound, false);
        else client.casDirty = true;
      }
    }
  }

  onPropagate(listener: PropagationListener): void {
    this.propagationListeners.push(listener);
  }

  /** Sends commands to whoever replicates this node's writes (collected while a transaction runs). */
  propagate(dbId: number, commands: readonly string[][]): void {
    if (this.propagationBatch !== undefined) {
      this.propagationBatch.push([dbId, [...commands]]);
      return;
    }
    for (const listener of this.propagationListeners) listener(dbId, commands);
  }

  /** EXEC starts: its writes are collected instead of propagated one by one. */
  beginTransactionPropagation(): void {
    this.propagationBatch = [];
  }

  /**
   * EXEC ends: as Redis 7.0's propagatePendingCommands, more than one write
   * goes to replicas wrapped in MULTI ... EXEC so they apply it atomically;
   * a single write goes alone. Writes to several databases inside one
   * transaction are sent in order, unwrapped, each with its database.
   */
  endTransactionPropagation(): void {
    const batch = this.propagationBatch;
    this.propagationBatch = undefined;
    if (batch === undefined || batch.length === 0) return;
    const commands = batch.flatMap(([, list]) => list);
    const dbId = batch[0]![0];
    if (commands.length > 1 && batch.every(([id]) => id === dbId)) {
      this.propagate(dbId, [["MULTI"], ...commands, ["EXEC"]]);
    } else {
      for (const [id, list] of batch) this.propagate(id, list);
    }
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

  /**
   * Redis's OOM rule: with maxmemory set, every command first evicts what the
   * policy allows; if memory is still over the limit, commands that may grow
   * memory (denyoom, an EXEC with such a command queued, anything queued
   * inside MULTI) are refused, while reads and deletions still run.
   */
  private memoryAllows(client: Client, spec: CommandSpec): boolean {
    if (this.maxmemoryBytes === 0 || this.evictForMaxmemory()) return true;
    if (spec.flags.includes("denyoom")) return false;
    if (spec.name === "exec") return !(client.multi?.queue.some((queued) => queued.spec.flags.includes("denyoom")) ?? false);
    return client.multi === undefined || MULTI_OOM_ALLOWED.has(spec.name);
  }

  /** Evicts keys per maxmemory-policy until the dataset fits; false when it cannot (the caller answers OOM). */
  evictForMaxmemory(): boolean {
    const maxBytes = this.maxmemoryBytes;
    if (maxBytes === 0) return true;
    // A replica's data is its primary's: it evicts nothing on its own (replica-ignore-maxmemory), the primary's DELs arrive.
    if (this.replication.isReplica && this.config.boolean("replica-ignore-maxmemory")) return true;
    const fits = this.ledger.bytes <= maxBytes || performEvictions(this, maxBytes);
    this.stats.evictionExceeded(this.ledger.bytes > maxBytes, this.nowMs);
    return fits;
  }

  // ---------------------------------------------------------------- WATCH

  /** WATCH: remembers whether the key was already expired, which EXEC and FLUSH treat as "no change". */
  watch(client: Client, key: string): void {
    const compound = client.dbId + "\0" + key;
    if (client.watched.has(compound)) return;
    client.watched.set(compound, this.dbs[client.dbId]!.isDue(key, this.nowMs));
    let set = this.watchers.get(compound);
    if (set === undefined) this.watchers.set(compound, (set = new Set()));
    set.add(client);
  }

  /** Whether a WATCHed key, live when watched, has expired since (Redis's isWatchedKeyExpired: EXEC then fails). */
  watchedKeyExpired(client: Client): boolean {
    for (const [compound, expiredAtWatch] of client.watched) {
      if (expiredAtWatch) continue;
      const separator = compound.indexOf("\0");
      const db = this.dbs[Number(compound.slice(0, separator))]!;
      if (db.isDue(compound.slice(separator + 1), this.nowMs)) return true;
    }
    return false;
  }

  unwatchAll(client: Client): void {
    for (const compound of client.watched.keys()) {
      const set = this.watchers.get(compound);
      set?.delete(client);
      if (set?.size === 0) this.watchers.delete(compound);
    }
    client.watched.clear();
    client.casDirty = false;
  }

  // ---------------------------------------------------------------- blocking

  private block(client: Client, spec: CommandSpec, args: string[], keys: string[], deadlineMs: number, timeoutReply?: (client: Client) => void): void {
    client.blocked = { spec, args, dbId: client.dbId, keys, deadlineMs, timeoutReply };
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
   * SWAPDB: the two databases trade places (and numbers). WATCHes on either
   * are invalidated, and clients blocked on keys that now exist get a chance.
   */
  swapDatabases(first: number, second: number): void {
    if (first === second) return;
    const a = this.dbs[first]!;
    const b = this.dbs[second]!;
    this.dbs[first] = b;
    this.dbs[second] = a;
    b.id = first;
    a.id = second;
    this.databaseChanged(first);
    this.databaseChanged(second);
    for (const compound of this.blockedByKey.keys()) {
      const separator = compound.indexOf("\0");
      const dbId = Number(compound.slice(0, separator));
      if ((dbId === first || dbId === second) && this.dbs[dbId]!.exists(compound.slice(separator + 1), this.nowMs)) this.readyKeys.add(compound);
    }
    this.ledger.record(0);
  }

  /**
   * Re-runs the blocked commands of the clients `which` selects, for waits
   * that are not on keys (WAIT, when replicas acknowledge): each replies and
   * is released, or blocks on.
   */
  retryBlocked(which: (client: Client) => boolean): void {
    for (const client of [...this.blockedClients]) {
      const blocked = client.blocked;
      if (blocked === undefined || !which(client)) continue;
      const ctx = this.call(client, blocked.spec, blocked.args, true);
      if (ctx.blockedOn !== undefined) continue;
      this.unblock(client);
      this.markOutput(client);
      this.resumable.add(client);
    }
    this.resumeReleased();
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
          const outputBefore = client.writer.out.length;
          const ctx = this.call(client, blocked.spec, blocked.args, true);
          if (client.replyMode === "off") client.writer.out = client.writer.out.slice(0, outputBefore);
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

  /**
   * Releases a blocked client with its timeout reply (or an error, for CLIENT
   * UNBLOCK ERROR), counted as a call of its command. Its pipelined input
   * resumes once the current event is handled, not inside the caller.
   */
  releaseBlocked(client: Client, error?: string): void {
    if (client.blocked === undefined) return;
    const stats = this.stats.command(client.blocked.spec.name);
    const timeoutReply = client.blocked.timeoutReply;
    this.unblock(client);
    const outputBefore = client.writer.out.length;
    if (error === undefined) {
      if (timeoutReply) timeoutReply(client);
      else client.writer.nullArray();
    } else {
      client.writer.error(error);
      this.stats.error(error);
      stats.failedCalls++;
    }
    if (client.replyMode === "off") client.writer.out = client.writer.out.slice(0, outputBefore);
    stats.calls++;
    this.stats.totalCommandsProcessed++;
    this.markOutput(client);
    this.resumable.add(client);
  }

  /**
   * Runs what clients released during the last event had waiting: a command
   * CLIENT PAUSE held, then their pipelined input. Done after the event, so a
   * release never runs another client's commands inside the releasing one.
   */
  private resumeReleased(): void {
    while (this.resumable.size > 0) {
      const clients = [...this.resumable];
      this.resumable.clear();
      for (const client of clients) {
        if (!this.clients.has(client.id)) continue;
        const held = client.postponed;
        client.postponed = undefined;
        if (held !== undefined) this.execute(client, held);
        this.processInput(client);
      }
    }
  }

  // ---------------------------------------------------------------- CLIENT PAUSE

  /**
   * Starts (or replaces) a CLIENT PAUSE until `endMs`: in `all` mode every
   * command waits, in `write` mode those that write or may replicate. The
   * held commands run in arrival order when it ends.
   */
  pauseClients(mode: "all" | "write", endMs: number): void {
    this.pause = { mode, endMs };
  }

  /** Ends the pause: once the current event is handled, each held command runs, then its client's pipelined input. */
  unpauseClients(): void {
    this.pause = undefined;
    for (const client of this.postponedClients) this.resumable.add(client);
    this.postponedClients.clear();
  }

  /** Whether the pause holds this command (Redis never pauses its replication links; they are not clients here). */
  private pausedFor(client: Client, spec: CommandSpec): boolean {
    const pause = this.pause;
    if (pause === undefined || this.nowMs >= pause.endMs) return false;
    if (pause.mode === "all") return true;
    const writes = (command: CommandSpec) =>
      command.flags.includes("write") || command.flags.includes("may_replicate") || MAY_REPLICATE.has(command.name);
    if (spec.name === "exec") return client.multi?.queue.some((queued) => writes(queued.spec)) ?? false;
    return writes(spec);
  }

  // ---------------------------------------------------------------- time

  /** The earliest time the runtime must call `wake` (a blocked client's deadline), if any. */
  nextWakeMs(): number | undefined {
    let earliest = this.pause?.endMs ?? Infinity;
    for (const client of this.blockedClients) earliest = Math.min(earliest, client.blocked!.deadlineMs);
    return earliest === Infinity ? undefined : earliest;
  }

  /** Times out blocked clients whose deadline has passed. */
  wake(): void {
    this.nowMs = this.clock.nowMs();
    for (const client of [...this.blockedClients]) {
      if (client.blocked !== undefined && client.blocked.deadlineMs <= this.nowMs) this.releaseBlocked(client);
    }
    if (this.pause !== undefined && this.pause.endMs <= this.nowMs) this.unpauseClients();
    this.resumeReleased();
  }

  /**
   * The periodic tick (hz times a second): blocked timeouts, idle client
   * timeouts and active expiry within its time budget.
   */
  tick(): void {
    this.wake();
    this.cluster?.tick(this.nowMs);
    this.replication.tick(this.nowMs);
    this.closeIdleClients();
    this.activeExpireCycle();
    this.stats.sampleInstantaneous(this.nowMs);
    this.stats.peakMemoryBytes = Math.max(this.stats.peakMemoryBytes, this.usedMemoryBytes());
  }

  /**
   * INFO used_memory: the keyspace estimate plus a fixed baseline for the
   * node's own structures (see Constants.memoryBaselineBytes). maxmemory
   * applies to the keyspace part only, which INFO reports as
   * mem_not_counted_for_evict.
   */
  usedMemoryBytes(): number {
    return Constants.memoryBaselineBytes + this.ledger.bytes;
  }

  private closeIdleClients(): void {
    const timeoutSeconds = this.config.number("timeout");
    if (timeoutSeconds === 0) return;
    for (const client of this.clients.values()) {
      if (client.blocked !== undefined || client.postponed !== undefined || client.subscriptionCount > 0) continue;
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
