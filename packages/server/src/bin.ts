#!/usr/bin/env node
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import { ConfigError, Random } from "@shardline/core";
import { createNodeLogger, LogFileError, type NodeLogger } from "./logging.js";
import { parseNodeArguments, settingValue, usageText, UsageError, validateSettings, type NodeOptions } from "./options.js";
import { ListenError, NodeRuntime } from "./runtime.js";
import { BusListenError, nodesFilePath, readNodesFile, startClusterBus } from "./cluster-startup.js";
import { SnapshotFiles } from "./persistence.js";

/** Exit statuses, as `--help` documents them. */
const EXIT_OK = 0;
const EXIT_CANNOT_START = 1;
const EXIT_USAGE = 2;
/** A bug escaped every handler (sysexits EX_SOFTWARE); the log has the stack. */
const EXIT_CRASHED = 70;
/** How long a shutdown waits for clients to take their last replies before dropping them. */
const SHUTDOWN_GRACE_MS = 2000;

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** The logger once it exists, flushed before any exit. */
let activeLog: NodeLogger | undefined;

function fail(message: string): void {
  process.stderr.write(`shardline-node: ${message}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  let options: NodeOptions;
  try {
    options = parseNodeArguments(argv);
    if (options.help || options.version) {
      process.stdout.write((options.help ? usageText() : `shardline-node ${VERSION} (Redis 7.0 compatible)`) + "\n");
      return EXIT_OK;
    }
    validateSettings(options.settings);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    fail(`${error.message}\nRun shardline-node --help for the options.`);
    return EXIT_USAGE;
  }
  let log: NodeLogger;
  try {
    log = createNodeLogger(settingValue(options.settings, "logfile"), settingValue(options.settings, "loglevel"), process.pid);
  } catch (error) {
    if (!(error instanceof LogFileError)) throw error;
    fail(error.message);
    return EXIT_CANNOT_START;
  }
  activeLog = log;
  installCrashHandler(log);
  return serve(options, log);
}

async function serve(options: NodeOptions, log: NodeLogger): Promise<number> {
  const { logger } = log;
  logger.info({ version: VERSION, configFile: options.configFile, node: process.versions.node }, "shardline-node starting");
  const nodesFile = nodesFilePath(settingValue(options.settings, "dir"), settingValue(options.settings, "cluster-config-file"));
  let runtime: NodeRuntime;
  try {
    runtime = createRuntime(options, log, nodesFile);
  } catch (error) {
    // validateSettings checked each value alone; the engine may still refuse a combination.
    if (!(error instanceof ConfigError)) throw error;
    const message = `bad value for '${error.parameter}': ${error.reason}`;
    logger.error(message);
    fail(`${message}\nRun shardline-node --help for the options.`);
    return EXIT_USAGE;
  }
  runtime.engine.config.watch("loglevel", (level) => log.setLevel(level));
  const snapshots = SnapshotFiles.forRuntime(runtime, log.sink);
  try {
    snapshots.loadAtStartup();
  } catch (error) {
    logger.error((error as Error).message);
    fail((error as Error).message);
    return EXIT_CANNOT_START;
  }
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  // Like Redis: a closed terminal must not take the node down.
  process.on("SIGHUP", () => logger.info("Received SIGHUP, ignored"));
  let bus;
  try {
    const addresses = await runtime.listen();
    bus = await startClusterBus(runtime, nodesFile, log.sink);
    snapshots.start();
    const first = addresses[0]!;
    logger.info(
      { host: first.address, port: first.port, addresses: addresses.map((a) => `${a.address}:${a.port}`) },
      "Ready to accept connections",
    );
  } catch (error) {
    if (error instanceof BusListenError) {
      logger.error(error.message);
      fail(error.message);
      await runtime.close(0);
      return EXIT_CANNOT_START;
    }
    if (!(error instanceof ListenError)) throw error;
    const message = listenFailure(error);
    logger.error({ host: error.host, port: error.port, code: error.code }, message);
    fail(message);
    return EXIT_CANNOT_START;
  }
  const signal = await stopSignal;
  logger.info({ signal }, `Received ${signal}, shutting down`);
  const insist = (again: NodeJS.Signals) => {
    logger.warn({ signal: again }, `Received ${again} again during shutdown, exiting now`);
    log.flush();
    process.exit(EXIT_CANNOT_START);
  };
  process.on("SIGTERM", insist);
  process.on("SIGINT", insist);
  await bus?.close();
  await runtime.close(SHUTDOWN_GRACE_MS);
  snapshots.stop();
  logger.info("shardline-node is now ready to exit, bye bye");
  return EXIT_OK;
}

/** The runtime with every start-up setting applied; throws ConfigError for a combination the engine refuses. */
function createRuntime(options: NodeOptions, log: NodeLogger, nodesFile: string): NodeRuntime {
  return new NodeRuntime({
    clusterNodesFile: settingValue(options.settings, "cluster-enabled")?.toLowerCase() === "yes" ? readNodesFile(nodesFile) : undefined,
    clock: wallClock(),
    random: new Random(randomInt(2 ** 32)),
    config: options.settings.map(({ name, value }) => [name, value] as const),
    process: {
      pid: process.pid,
      executable: process.argv[1] ?? "",
      configFile: options.configFile ?? "",
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      archBits: 64,
      nodeVersion: process.versions.node,
    },
    log: log.sink,
  });
}

/** What went wrong when listening, and what to do about it. */
function listenFailure(error: ListenError): string {
  const where = `${error.host}:${error.port}`;
  switch (error.code) {
    case "EADDRINUSE":
      return `port ${error.port} on ${error.host} is already in use (another shardline-node or redis-server?). Stop that process, or choose a free port with --port.`;
    case "EADDRNOTAVAIL":
      return `cannot listen on ${where}: the address is not on this machine. Give an address of this machine with --bind (for example 127.0.0.1), or prefix it with '-' to make it optional.`;
    case "EACCES":
      return `not allowed to listen on ${where} (ports below 1024 need privileges). Choose a port above 1023 with --port.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve the bind address '${error.host}'. Give an IP address with --bind.`;
    default:
      return `${error.message} (${error.code})`;
  }
}

/** A bug that escapes every handler (a failed assertion, say) is logged before the process dies. */
function installCrashHandler(log: NodeLogger): void {
  process.on("uncaughtException", (error) => {
    log.logger.fatal({ error: error.stack }, "shardline-node crashed");
    log.flush();
    process.stderr.write(`shardline-node crashed: ${error.stack}\n`);
    process.exit(EXIT_CRASHED);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    activeLog?.flush();
    process.exit(code);
  },
  (error: Error) => {
    process.stderr.write(`shardline-node: ${error.stack}\n`);
    process.exit(EXIT_CRASHED);
  },
);

/** The wall clock in ms with a fractional part; performance.timeOrigin is a getter, read once. */
function wallClock(): { nowMs(): number } {
  const origin = performance.timeOrigin;
  return { nowMs: () => origin + performance.now() };
}
