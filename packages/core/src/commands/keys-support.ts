import { STRING_BYTES_MAX } from "@shardline/resp";
import type { CommandContext } from "../engine/context.js";
import { CommandError, Errors } from "../errors.js";
import type { Value } from "../keyspace/value.js";

/**
 * Helpers the string and generic key commands share: Redis's view of the
 * current time, lookups that do not count as an access, C-string option
 * matching and the string size limit.
 */

/**
 * The command's time in whole milliseconds, as Redis's mstime() sees it.
 * The runtime's clock may carry microseconds; expiry times and TTL replies
 * are integers.
 */
export function commandTimeMs(ctx: CommandContext): number {
  return Math.floor(ctx.nowMs);
}

/**
 * Redis's lookupKeyReadWithFlags(LOOKUP_NOTOUCH): expires the key if due and
 * counts a keyspace hit or miss, but does not record an access, so TYPE,
 * EXISTS, TTL and OBJECT do not change what LRU/LFU eviction sees.
 */
export function lookupNoTouch(ctx: CommandContext, key: string): Value | undefined {
  if (!ctx.db.exists(key, ctx.nowMs)) {
    ctx.engine.stats.keyspaceMisses++;
    return undefined;
  }
  ctx.engine.stats.keyspaceHits++;
  return ctx.db.peek(key);
}

/**
 * An option as Redis's strcasecmp sees it: a C string ends at the first NUL
 * byte, and only ASCII letters fold. Lowercased so callers compare with
 * lowercase literals.
 */
export function optionName(arg: string): string {
  const nul = arg.indexOf("\0");
  return (nul < 0 ? arg : arg.slice(0, nul)).toLowerCase();
}

/**
 * An argument quoted inside an error line. Redis formats it with %s (so it
 * ends at a NUL byte) and replaces CR and LF with spaces so the reply stays
 * one protocol line.
 */
export function errorArgument(arg: string): string {
  const nul = arg.indexOf("\0");
  return (nul < 0 ? arg : arg.slice(0, nul)).replace(/[\r\n]/g, " ");
}

/**
 * Redis's checkStringLength: a string may not grow past proto-max-bulk-len.
 * V8 cannot hold a one-byte string longer than STRING_BYTES_MAX, which is 24
 * bytes short of the 512 MB default, so that is a bound too.
 */
export function checkStringLength(ctx: CommandContext, sizeBytes: number, appendBytes: number): void {
  const limitBytes = Math.min(ctx.engine.config.number("proto-max-bulk-len"), STRING_BYTES_MAX);
  if (sizeBytes + appendBytes > limitBytes) throw new CommandError(Errors.stringTooLong);
}

/** Whether an absolute expiry time has already passed: Redis's checkAlreadyExpired. */
export function isAlreadyExpired(ctx: CommandContext, whenMs: number): boolean {
  return whenMs <= commandTimeMs(ctx);
}
