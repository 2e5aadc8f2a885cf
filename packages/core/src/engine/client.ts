import { RequestDecoder, ReplyWriter, type ProtocolLimits } from "@shardline/resp";
import type { CommandSpec } from "../commands/spec.js";

/** A command queued between MULTI and EXEC. */
export interface QueuedCommand {
  spec: CommandSpec;
  args: string[];
}

/** Why and on what a client is blocked (BLPOP, BZPOPMIN, BLMOVE...). */
export interface BlockState {
  spec: CommandSpec;
  args: string[];
  dbId: number;
  keys: string[];
  /** Absolute deadline in ms, Infinity for timeout 0. */
  deadlineMs: number;
  /** The reply at the deadline when it is not a null array (WAIT answers a count). */
  timeoutReply?: (client: Client) => void;
}

/** Where a connection comes from, as the runtime sees it. */
export interface ConnectionInfo {
  /** `ip:port` of the peer. */
  address: string;
  /** `ip:port` of our end. */
  localAddress: string;
  /** The socket's file descriptor, when the runtime has one (CLIENT LIST `fd=`; -1 otherwise, as Redis shows fake clients). */
  fd?: number;
}

/**
 * One client connection's state in the core. The runtime owns the socket and
 * moves bytes; everything about the protocol and the session lives here.
 */
export class Client {
  readonly writer = new ReplyWriter();
  readonly decoder: RequestDecoder;
  name = "";
  dbId = 0;
  /** The replication offset after this client's last write: what WAIT waits for. */
  writeOffset = 0;
  authenticated: boolean;
  lastInteractionMs: number;
  /**
   * The last command looked up, for CLIENT LIST's `cmd=`: set before the
   * command runs, as Redis sets lastcmd, and `NULL` after an unknown command.
   */
  lastCommand = "NULL";
  multi: { queue: QueuedCommand[]; aborted: boolean } | undefined;
  /** Inside EXEC: blocking commands do not block, they time out at once. */
  executingMulti = false;
  /**
   * WATCHed keys as `${dbId}\0${key}`, each with whether it was already
   * expired when WATCHed (such a key does not fail EXEC by being deleted).
   * Touched ones set casDirty.
   */
  readonly watched = new Map<string, boolean>();
  casDirty = false;
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  /** SSUBSCRIBE channels (Redis 7 sharded pub/sub). */
  readonly shardChannels = new Set<string>();
  blocked: BlockState | undefined;
  /** A command held back by CLIENT PAUSE; it runs, and the client's input resumes, when the pause ends. */
  postponed: string[] | undefined;
  /** Flush what is pending and close (QUIT, protocol errors, CLIENT KILL). */
  closeAfterReply = false;
  /** Close now without flushing (output buffer limit exceeded). */
  closeNow = false;
  /** CLIENT NO-EVICT, CLIENT REPLY and similar per-connection switches. */
  noEvict = false;
  replyMode: "on" | "off" | "skip" = "on";
  /** Cluster mode: READONLY lets a replica serve reads for its primary's slots. */
  readOnlyMode = false;
  /** Cluster mode: one-shot ASKING flag. */
  asking = false;

  constructor(
    readonly id: number,
    readonly connection: ConnectionInfo,
    readonly createdMs: number,
    limits: ProtocolLimits,
    requiresAuth: boolean,
  ) {
    this.decoder = new RequestDecoder(limits);
    this.authenticated = !requiresAuth;
    this.decoder.authenticated = this.authenticated;
    this.lastInteractionMs = createdMs;
  }

  /** Every subscription, shard channels included: non-zero is Redis's CLIENT_PUBSUB flag. */
  get subscriptionCount(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }

  get protocol(): 2 | 3 {
    return this.writer.protocol;
  }
}
