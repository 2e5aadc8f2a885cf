import { DEFAULT_PROTOCOL_LIMITS } from "@shardline/resp";

/**
 * Every bound and default of the core, in one place. Configurable ones carry
 * their Redis configuration name; the relations between them are asserted at
 * the bottom of this file, once.
 */
export const Constants = {
  ...DEFAULT_PROTOCOL_LIMITS,
  /** `databases`: numbered databases of a standalone node (cluster mode has only 0). */
  databaseCount: 16,
  /** The most `databases` a node may be started with (Redis allows INT_MAX; each database is an object here). */
  databaseCountMax: 1024,
  /** `maxclients`. */
  clientsMax: 10000,
  /** `hz`: how often the periodic tick (active expiry, timeouts) runs per second. */
  tickHz: 10,
  /** Keys sampled per active-expire pass (Redis ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
  activeExpireSamplesPerPass: 20,
  /** Share of a tick one active-expire cycle may spend (Redis: 25% of 1000/hz ms). */
  activeExpireCycleBudgetPercent: 25,
  /**
   * What INFO adds to the keyspace estimate for the node's own structures
   * (command table, configuration, empty databases, client bookkeeping): a
   * fixed figure of the order of Redis's used_memory_startup, not a
   * measurement. maxmemory is compared with the keyspace estimate alone.
   */
  memoryBaselineBytes: 1024 * 1024,
  /** `maxmemory-samples`. */
  evictionSamples: 5,
  /** Commands queued in one MULTI before the client gets an error (bounds memory). */
  multiQueueLengthMax: 1_000_000,
  /** SCAN's default COUNT. */
  scanCountDefault: 10,
  /** Output a normal client may have pending before it is disconnected (`client-output-buffer-limit normal`). */
  outputBufferBytesMax: 1024 * 1024 * 1024,
  /** Redis's per-client static reply buffer (PROTO_REPLY_CHUNK_BYTES): output limits count only what exceeds it. */
  replyBufferBytes: 16 * 1024,
  /** Pub/sub client hard output limit (Redis default 32mb). */
  pubsubOutputBufferBytesMax: 32 * 1024 * 1024,
  /** Clients blocked at once are bounded by clientsMax; keys one client may block on: */
  blockingKeysMax: 1024 * 1024,
  /** Members of the largest aggregate a single command may build or reply (bounds a reply). */
  aggregateLengthMax: 2 ** 32 - 1,
  /**
   * Entries one IndexedMap can hold: a V8 Map stops at 2^24 and throws past
   * it. This bounds the fields of one hash and the members of one set; a
   * write that would pass it is refused with an error, before it changes anything.
   */
  indexedMapEntriesMax: 2 ** 24,
  /** Bounded event log lines (CLIENT LIST output etc. are bounded by clientsMax). */
} as const;

const relationsHold =
  Constants.inlineBytesMax < Constants.queryBufferBytesMax &&
  Constants.bulkBytesMax <= Constants.queryBufferBytesMax &&
  Constants.activeExpireCycleBudgetPercent > 0 &&
  Constants.activeExpireCycleBudgetPercent < 100;
if (!relationsHold) throw new Error("constants: bounds are inconsistent");
