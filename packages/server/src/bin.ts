#!/usr/bin/env node
import { randomInt } from "node:crypto";
import os from "node:os";
import { ConfigError, Random } from "@shardline/core";
import { pino } from "pino";
import { parseNodeArguments, UsageError } from "./options.js";
import { NodeRuntime } from "./runtime.js";

const USAGE = `Usage: shardline-node [config-file] [--name value ...]
Examples:
  shardline-node --port 7000
  shardline-node --port 7000 --requirepass s3cret --maxmemory 100mb --maxmemory-policy allkeys-lru
  shardline-node ./node.conf --port 7001
Every option is a Redis configuration parameter (CONFIG GET * lists them).`;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  let options;
  try {
    options = parseNodeArguments(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`shardline-node: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  const logfile = options.pairs.findLast(([name]) => name === "logfile")?.[1];
  const logger = pino(
    { base: { pid: process.pid }, level: "info" },
    logfile ? pino.destination({ dest: logfile, sync: false, mkdir: true }) : pino.destination(1),
  );
  let runtime: NodeRuntime;
  try {
    runtime = new NodeRuntime({
      clock: { nowMs: () => performance.timeOrigin + performance.now() },
      random: new Random(randomInt(2 ** 32)),
      config: options.pairs,
      process: {
        pid: process.pid,
        executable: process.argv[1] ?? "",
        configFile: options.configFile ?? "",
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        archBits: 64,
        nodeVersion: process.versions.node,
      },
      log: (level, message, fields) => logger[level](fields ?? {}, message),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`shardline-node: bad value for '${error.parameter}': ${error.reason}`);
      return 2;
    }
    throw error;
  }
  const config = runtime.engine.config;
  const port = config.number("port");
  const host = config.get("bind").split(" ")[0]!;
  try {
    const address = await runtime.listen(port, host);
    logger.info({ host: address.address, port: address.port }, "Ready to accept connections");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      console.error(`shardline-node: port ${port} on ${host} is already in use (another shardline-node or redis-server?). Stop it, or choose another port with --port.`);
    } else if (code === "EADDRNOTAVAIL") {
      console.error(`shardline-node: cannot bind ${host}:${port}: the address is not on this machine. Check --bind.`);
    } else {
      console.error(`shardline-node: cannot listen on ${host}:${port}: ${(error as Error).message}`);
    }
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, "Received signal, shutting down");
      void runtime.close().then(resolve);
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  logger.flush();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
