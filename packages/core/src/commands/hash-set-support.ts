import { Constants } from "../constants.js";
import type { CommandContext } from "../engine/context.js";
import { CommandError, Errors } from "../errors.js";
import type { Random } from "../random.js";
import { parseInt64 } from "../util/parse.js";

/**
 * Helpers the hash and set commands share: the bound on replies whose size
 * a client chooses, random sampling, and Redis 7.0's scan arguments.
 */

/**
 * Replies that grow with a client-chosen count (HRANDFIELD -n, SRANDMEMBER
 * -n) stop at this many pending bytes and the client is disconnected, as an
 * output buffer limit would. Redis has no such bound and allocates until the
 * kernel kills it; the reply buffer here is a string, which must stay below
 * V8's largest (2^29 - 24 one-byte characters).
 */
export const REPLY_BYTES_MAX = 256 * 1024 * 1024;

/**
 * True (and the client is marked to close) once the pending reply passed
 * REPLY_BYTES_MAX: the caller stops writing, since the promised element
 * count can no longer be honoured and the connection must not be reused.
 */
export function replyLimitReached(ctx: CommandContext): boolean {
  if (ctx.reply.pendingBytes <= REPLY_BYTES_MAX) return false;
  ctx.client.closeNow = true;
  ctx.engine.log("warn", "closing client whose reply exceeded the reply size limit", {
    client: ctx.client.id,
    command: ctx.spec.name,
    bytes: ctx.reply.pendingBytes,
  });
  return true;
}

/** What a hash or a set holds, for the capacity error. */
export type ElementKind = "hash" | "set";

/**
 * Refuses, before anything changes, a write that would grow one hash or set
 * past `max` elements (by default Constants.indexedMapEntriesMax, which a
 * V8 Map cannot exceed). `candidates` are the elements the write may add;
 * only those not already present (`has`) count, and they are only counted
 * when the write could come near the bound at all.
 */
export function requireRoom(
  kind: ElementKind,
  length: number,
  candidates: readonly string[],
  has: (element: string) => boolean,
  max: number = Constants.indexedMapEntriesMax,
): void {
  if (length + candidates.length <= max) return;
  const fresh = new Set(candidates.filter((element) => !has(element))).size;
  if (length + fresh > max) throw new CommandError(capacityError(kind, max));
}

/** The error for a hash or set that cannot grow: what happened, and what to do instead. */
export function capacityError(kind: ElementKind, max: number = Constants.indexedMapEntriesMax): string {
  const elements = kind === "hash" ? "fields" : "members";
  return `ERR a ${kind} holds at most ${max} ${elements} here; spread the ${elements} over several keys`;
}

/**
 * `count` distinct indexes below `size` (count < size), uniformly, by
 * Floyd's algorithm: O(count) time and memory whatever the size.
 */
export function distinctIndexes(random: Random, size: number, count: number): number[] {
  const chosen = new Set<number>();
  for (let top = size - count; top < size; top++) {
    const pick = random.int(top + 1);
    chosen.add(chosen.has(pick) ? top : pick);
  }
  return [...chosen];
}

/** Redis's shared.emptyscan: the same bytes in RESP2 and RESP3. */
export const EMPTY_SCAN_REPLY = "*2\r\n$1\r\n0\r\n*0\r\n";

/** The options of HSCAN/SSCAN after the cursor: COUNT (default 10) and MATCH (`*` means none). */
export interface ScanOptions {
  count: number;
  pattern: string | undefined;
}

/**
 * Parses `[MATCH pattern] [COUNT count]` from `start`, as scanGenericCommand
 * does for a key's elements (TYPE is only for SCAN). COUNT must be a long of
 * at least 1; anything else is a syntax error.
 */
export function parseScanOptions(args: readonly string[], start: number, countDefault: number): ScanOptions {
  const options: ScanOptions = { count: countDefault, pattern: undefined };
  for (let i = start; i < args.length; i += 2) {
    const option = args[i]!.toLowerCase();
    const hasValue = i + 1 < args.length;
    if (option === "count" && hasValue) {
      const count = parseInt64(args[i + 1]!);
      if (count === undefined) throw new CommandError(Errors.notInteger);
      if (count < 1n) throw new CommandError(Errors.syntax);
      options.count = count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
    } else if (option === "match" && hasValue) {
      options.pattern = args[i + 1] === "*" ? undefined : args[i + 1];
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  return options;
}
