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
  /** `maxclients`. */
  clientsMax: 10000,
  /** `hz`: how often the periodic tick (active expiry, timeouts) runs per second. */
  tickHz: 10,
  /** Keys sampled per active-expire pass (Redis ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
  activeExpireSamplesPerPass: 20,
  /** Share of a tick one active-expire cycle may spend (Redis: 25% of 1000/hz ms). */
  activeExpireCycleBudgetPercent: 25,
  /** `maxmemory-samples`. */
  evictionSamples: 5,
  /** Commands queued in one MULTI before the client gets an error (bounds memory). */
  multiQueueLengthMax: 1_000_000,
  /** SCAN's default COUNT. */
  scanCountDefault: 10,
  /** Output a normal client may have pending before it is disconnected (`client-output-buffer-limit normal`). */
  outputBufferBytesMax: 1024 * 1024 * 1024,
  /** Pub/sub client hard output limit (Redis default 32mb). */
  pubsubOutputBufferBytesMax: 32 * 1024 * 1024,
  /** Clients blocked at once are bounded by clientsMax; keys one client may block on: */
  blockingKeysMax: 1024 * 1024,
  /** Members of the largest aggregate a single command may build or reply (bounds a reply). */
  aggregateLengthMax: 2 ** 32 - 1,
  /** Bounded event log lines (CLIENT LIST output etc. are bounded by clientsMax). */
} as const;

const relationsHold =
  Constants.inlineBytesMax < Constants.queryBufferBytesMax &&
  Constants.bulkBytesMax <= Constants.queryBufferBytesMax &&
  Constants.activeExpireCycleBudgetPercent > 0 &&
  Constants.activeExpireCycleBudgetPercent < 100;
if (!relationsHold) throw new Error("constants: bounds are inconsistent");
