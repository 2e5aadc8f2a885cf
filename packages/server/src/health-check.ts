#!/usr/bin/env node
/**
 * shardline-health: a container health check for a cluster node. It sends
 * CLUSTER INFO (RESP) to host:port and exits 0 when the reply says
 * cluster_state:ok, 1 otherwise (an error reply, a standalone node, no
 * answer in time, nothing listening), printing one line that says which;
 * Docker keeps that line in the container's health log. It needs nothing
 * in the image but Node.js: no redis-cli.
 *
 *   shardline-health --port 7000 [--host 127.0.0.1] [--timeout 2000]
 */
import net from "node:net";

/** Docker reads 0 as healthy and 1 as unhealthy (2 is reserved), so every failure, a usage error too, is 1. */
const EXIT_HEALTHY = 0;
const EXIT_UNHEALTHY = 1;
const DEFAULT_HOST = "127.0.0.1";
const DEFAULT_TIMEOUT_MS = 2000;
/** A CLUSTER INFO reply is well under 1 KiB; anything past this bound is not one. */
const REPLY_BYTES_MAX = 64 * 1024;

interface CheckOptions {
  host: string;
  port: number;
  timeoutMs: number;
}

interface Verdict {
  healthy: boolean;
  line: string;
}

class UsageError extends Error {}

function parseArguments(argv: readonly string[]): CheckOptions {
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index]!;
    const value = argv[index + 1];
    if (!["--host", "--port", "--timeout"].includes(name)) throw new UsageError(`unknown option '${name}'; usage: shardline-health --port PORT [--host HOST] [--timeout MS]`);
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    values.set(name, value);
  }
  const port = Number(values.get("--port"));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError("--port takes the node's client port (1-65535), e.g. --port 7000");
  const timeoutMs = Number(values.get("--timeout") ?? DEFAULT_TIMEOUT_MS);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new UsageError("--timeout takes a whole number of milliseconds, e.g. --timeout 2000");
  return { host: values.get("--host") ?? DEFAULT_HOST, port, timeoutMs };
}

/**
 * Reads one RESP2 reply to CLUSTER INFO from the bytes received so far:
 * undefined while it is incomplete, else the verdict. A bulk string is the
 * INFO text; an error reply (a standalone node, NOAUTH) is unhealthy.
 */
function verdictOf(bytes: Buffer): Verdict | undefined {
  const lineEnd = bytes.indexOf("\r\n");
  if (lineEnd < 0) return bytes.length > REPLY_BYTES_MAX ? { healthy: false, line: "the reply is not RESP (no line end)" } : undefined;
  const header = bytes.toString("latin1", 0, lineEnd);
  if (header.startsWith("-")) return { healthy: false, line: `CLUSTER INFO failed: ${header.slice(1)}` };
  const length = header.startsWith("$") ? Number(header.slice(1)) : NaN;
  if (!Number.isInteger(length) || length < 0 || length > REPLY_BYTES_MAX) return { healthy: false, line: `unexpected reply to CLUSTER INFO: ${header.slice(0, 80)}` };
  if (bytes.length < lineEnd + 2 + length + 2) return undefined;
  const info = bytes.toString("utf8", lineEnd + 2, lineEnd + 2 + length);
  const state = info.split("\r\n").find((line) => line.startsWith("cluster_state:")) ?? "cluster_state missing from CLUSTER INFO";
  return { healthy: state === "cluster_state:ok", line: state };
}

function check(options: CheckOptions): Promise<Verdict> {
  return new Promise((resolve) => {
    const where = `${options.host}:${options.port}`;
    let received = Buffer.alloc(0);
    const socket = net.connect({ host: options.host, port: options.port });
    const finish = (verdict: Verdict) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(verdict);
    };
    const timer = setTimeout(() => finish({ healthy: false, line: `no reply from ${where} within ${options.timeoutMs} ms` }), options.timeoutMs);
    socket.once("connect", () => socket.write("*2\r\n$7\r\nCLUSTER\r\n$4\r\nINFO\r\n"));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const verdict = verdictOf(received);
      if (verdict !== undefined) finish(verdict);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => finish({ healthy: false, line: `cannot reach ${where}: ${error.code ?? error.message}` }));
    socket.once("close", () => finish({ healthy: false, line: `${where} closed the connection before replying` }));
  });
}

async function main(argv: readonly string[]): Promise<number> {
  let options: CheckOptions;
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`shardline-health: ${error.message}\n`);
    return EXIT_UNHEALTHY;
  }
  const verdict = await check(options);
  process.stdout.write(`${verdict.line}\n`);
  return verdict.healthy ? EXIT_HEALTHY : EXIT_UNHEALTHY;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`shardline-health: ${error.stack}\n`);
    process.exitCode = EXIT_UNHEALTHY;
  },
);
