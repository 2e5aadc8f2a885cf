import type { ErrorKind, Outcome } from "./history.js";

/** A failed operation, sorted: certainly not applied (fail) or perhaps applied (unknown), and why. */
export interface ClassifiedError {
  outcome: Exclude<Outcome, "ok">;
  kind: ErrorKind;
  message: string;
}

/** Error replies by their first word (the error code Redis puts first). */
const REPLY_KINDS: Record<string, ErrorKind> = {
  MOVED: "MOVED",
  ASK: "ASK",
  CLUSTERDOWN: "CLUSTERDOWN",
  READONLY: "READONLY",
  NOREPLICAS: "NOREPLICAS",
  TRYAGAIN: "TRYAGAIN",
  MASTERDOWN: "MASTERDOWN",
  LOADING: "LOADING",
};

/**
 * Client errors that mean the command was never written to any node: the
 * client refused it up front. Anything a client reports after it may have
 * written the command (a timeout, a connection that closed, retries that ran
 * out) leaves the outcome unknown.
 */
const NEVER_SENT = [
  /enableOfflineQueue options is false/i,
  /Cluster isn't ready/i,
  /None of startup nodes is available/i,
  /The client is closed/i,
  /ClientClosedError/i,
];
const TIMEOUT = [/timed out/i, /timeout/i, /ETIMEDOUT/];
const CONNECTION = [/Connection is closed/i, /ECONNREFUSED/, /ECONNRESET/, /EPIPE/, /Socket closed/i, /socket hang up/i, /max retries per request/i, /Failed to refresh slots cache/i, /disconnect/i];

/**
 * Sorts an error a cluster client reported for one operation. ioredis and
 * node-redis both surface error replies with the reply's text as the
 * message (`CLUSTERDOWN The cluster is down`); ioredis wraps exhausted
 * redirections as `Too many Cluster redirections. Last error: ...`, which is
 * a refusal when the last attempt got an error reply.
 */
export function classifyError(error: unknown): ClassifiedError {
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : "";
  const firstWord = message.split(" ", 1)[0] ?? "";
  const replyKind = REPLY_KINDS[firstWord];
  if (replyKind !== undefined) return { outcome: "fail", kind: replyKind, message };
  if (message.startsWith("Too many Cluster redirections")) {
    const last = /Last error: (?:\w*Error: )?(\S+)/.exec(message)?.[1];
    const lastIsReply = last !== undefined && REPLY_KINDS[last] !== undefined;
    return { outcome: lastIsReply ? "fail" : "unknown", kind: "redirections", message };
  }
  // Any other error reply (ERR, WRONGTYPE, OOM...): the server refused the command. ioredis names them
  // ReplyError, node-redis ErrorReply; both keep Redis's all-capitals code first.
  if (name === "ReplyError" || name === "ErrorReply" || /^[A-Z][A-Z_]+ /.test(message)) return { outcome: "fail", kind: "other", message };
  if (NEVER_SENT.some((pattern) => pattern.test(message) || pattern.test(name))) return { outcome: "fail", kind: "connection", message };
  if (TIMEOUT.some((pattern) => pattern.test(message) || pattern.test(name))) return { outcome: "unknown", kind: "timeout", message };
  if (CONNECTION.some((pattern) => pattern.test(message))) return { outcome: "unknown", kind: "connection", message };
  return { outcome: "unknown", kind: "other", message };
}
