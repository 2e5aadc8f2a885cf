import { openSync } from "node:fs";
import type { LogSink } from "@shardline/core";
import { pino, type Level, type LevelWithSilent, type Logger } from "pino";

/** Redis's `loglevel` words mapped onto pino levels, most verbose first. */
const LEVELS: Record<string, LevelWithSilent> = {
  debug: "trace",
  verbose: "debug",
  notice: "info",
  warning: "warn",
  nothing: "silent",
};

/** The log file cannot be opened; the node must not start without the log it was asked to write. */
export class LogFileError extends Error {}

export interface NodeLogger {
  logger: Logger;
  /** The engine's and runtime's view of the logger. */
  sink: LogSink;
  /** Follows CONFIG SET loglevel. */
  setLevel(redisLevel: string): void;
  /** Writes out anything still buffered, synchronously (before exit). */
  flush(): void;
}

/**
 * JSON lines (pino) to stdout, or appended to `logfile` when it is set. The
 * file is opened synchronously here so that a bad path stops start-up with a
 * clear error instead of failing later in the background.
 */
export function createNodeLogger(logfile: string, redisLevel: string, pid: number): NodeLogger {
  let fd = 1;
  if (logfile !== "") {
    try {
      fd = openSync(logfile, "a");
    } catch (error) {
      throw new LogFileError(`cannot open log file '${logfile}': ${(error as Error).message}. Check the path and its permissions, or leave --logfile out to log to stdout.`);
    }
  }
  // Synchronous writes: a line logged is a line written, even when the process exits right after it
  // (shutdown, crash). Nodes log at start-up, shutdown and on trouble, never per command.
  const destination = pino.destination({ dest: fd, sync: true });
  const logger = pino({ base: { pid }, level: pinoLevel(redisLevel) }, destination);
  return {
    logger,
    sink: (level, message, fields) => logger[level as Level](fields ?? {}, message),
    setLevel: (level) => (logger.level = pinoLevel(level)),
    flush: () => {
      try {
        destination.flushSync();
      } catch {
        // Nothing can be done about a log that cannot be written while exiting.
      }
    },
  };
}

function pinoLevel(redisLevel: string): LevelWithSilent {
  return LEVELS[redisLevel] ?? "info";
}
