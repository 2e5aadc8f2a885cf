// Child processes of one bench run: every server and redis-benchmark it
// starts is tracked here and killed when the run ends, fails, or is
// interrupted (Ctrl-C, SIGTERM), so a bench never leaves a server behind.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** The last bytes of a child's stdout+stderr kept for error messages (bounded: a chatty server cannot grow it). */
const OUTPUT_TAIL_BYTES_MAX = 16 * 1024;
/** How long a server may take to accept connections after spawn. */
const LISTEN_TIMEOUT_MS = 15_000;
/** How long a stopped child may take to exit after SIGTERM before it gets SIGKILL. */
const STOP_GRACE_MS = 3_000;

/** Each running child and the promise of its exit. */
const running = new Map();
/**
 * Process groups this run started that are not its children: a shardline
 * cluster's nodes run detached from the launcher. Each has an async stop()
 * and a synchronous killNow() for the `exit` handler.
 */
const groups = new Set();
/** Set once the run is interrupted. */
let stopping = false;
/** Whether Ctrl-C (or SIGTERM) is tearing the run down; errors after that are its echo, not news. */
export function isStopping() {
  return stopping;
}

/** Scratch directories of this run, removed when it ends however it ends. */
const scratchDirectories = new Set();

/** A new empty directory under the OS temp dir; removeScratchDirectory() or the end of the run removes it. */
export function scratchDirectory(prefix) {
  const directory = mkdtempSync(path.join(os.tmpdir(), prefix));
  scratchDirectories.add(directory);
  return directory;
}

export function removeScratchDirectory(directory) {
  rmSync(directory, { recursive: true, force: true });
  scratchDirectories.delete(directory);
}

/** Whether a program is on PATH. */
export function hasProgram(name) {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

/** The first line a program prints for `--version`, or undefined when it cannot run. */
export function programVersion(name) {
  const result = spawnSync(name, ["--version"], { encoding: "utf8" });
  if (result.status !== 0) return undefined;
  return result.stdout.split("\n")[0].trim();
}

/**
 * Starts a child and tracks it until it exits. `exited` resolves with
 * { code, signal, error? }; output() is the tail of stdout+stderr together,
 * stdout() and stderr() the tails of each.
 */
export function startTracked(command, args) {
  // After Ctrl-C the run is being torn down: nothing new may start behind the cleanup's back.
  if (stopping) throw new Error("the bench is stopping");
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  const tails = { output: "", stdout: "", stderr: "" };
  const keep = (which, text) => {
    const joined = tails[which] + text;
    tails[which] = joined.length > OUTPUT_TAIL_BYTES_MAX ? joined.slice(joined.length - OUTPUT_TAIL_BYTES_MAX) : joined;
  };
  for (const stream of ["stdout", "stderr"]) {
    child[stream].on("data", (chunk) => {
      const text = chunk.toString("latin1");
      keep(stream, text);
      keep("output", text);
    });
  }
  const exited = new Promise((resolve) => {
    child.once("error", (error) => {
      keep("output", `\n${command}: ${error.message}\n`);
      running.delete(child);
      resolve({ code: null, signal: null, error });
    });
    // "close", not "exit": it comes after the last stdout bytes are read.
    child.once("close", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  running.set(child, exited);
  return {
    child,
    exited,
    output: () => tails.output,
    stdout: () => tails.stdout,
    stderr: () => tails.stderr,
    isRunning: () => running.has(child),
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child, exited) {
  if (!running.has(child)) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Tracks a group of processes that are not children of the bench (see
 * `groups`): stopAll() and Ctrl-C stop it, the exit handler kills it.
 * Returns a function that forgets the group once it is stopped.
 */
export function trackGroup(group) {
  groups.add(group);
  return () => groups.delete(group);
}

/** Stops every child still running (SIGTERM, then SIGKILL after a grace period) and every tracked group. */
export async function stopAll() {
  const children = [...running].map(([child, exited]) => stopChild(child, exited));
  const stoppedGroups = [...groups].map(async (group) => {
    try {
      await group.stop();
    } catch (error) {
      // The exit handler's killNow() is the last resort for this group.
      console.error(`bench: stopping ${group.name} failed: ${error.message}`);
    }
    groups.delete(group);
  });
  await Promise.all([...children, ...stoppedGroups]);
}

/**
 * Whether a process with this pid still runs: it exists (signal 0 checks
 * without sending anything) and, on Linux, is not a zombie that has exited
 * and waits to be reaped.
 */
export function isRunningProcess(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: no such process. EPERM: a process of another user took the pid, so ours is gone too.
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (command) state ..."; the command may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    // Not Linux, or it exited just now.
    return existsSync("/proc") ? false : true;
  }
}

/**
 * Kills children however the bench ends: normal exit, an uncaught error, or
 * a signal. `exit` handlers must be synchronous, hence SIGKILL there.
 */
export function installCleanupHandlers() {
  process.once("exit", () => {
    for (const child of running.keys()) child.kill("SIGKILL");
    // Before the scratch directories go: a group may read its pids from a file in one.
    for (const group of groups) group.killNow();
    for (const directory of scratchDirectories) rmSync(directory, { recursive: true, force: true });
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(signal, () => {
      stopping = true;
      const clusters = groups.size > 0 ? ` and ${groups.size} cluster(s)` : "";
      console.error(`\nbench: ${signal} received, stopping ${running.size} child process(es)${clusters}`);
      void stopAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Where freePortRange() looks: above the well-known and registered ports most services take, below Linux's ephemeral range (32768+), where outgoing connections would take ports at random. */
export const PORT_RANGE_FIRST = 15_000;
export const EPHEMERAL_PORT_FIRST = 32_768;
/** Random bases freePortRange() tries before it gives up. */
const PORT_RANGE_ATTEMPTS_MAX = 200;

/** Whether 127.0.0.1:port can be listened on right now. */
function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The base port a draw in [0, 1) stands for: the lowest at 0, at the top of
 * the draw the last bus port (base + offset + count - 1) is still below
 * EPHEMERAL_PORT_FIRST. Throws when the layout cannot fit at all.
 */
export function portRangeBase(draw, count, offset) {
  const span = EPHEMERAL_PORT_FIRST - PORT_RANGE_FIRST - offset - count + 1;
  if (count < 1 || offset < count || span <= 0) throw new Error(`no room for ${count} ports plus bus ports at +${offset} between ${PORT_RANGE_FIRST} and ${EPHEMERAL_PORT_FIRST}`);
  return PORT_RANGE_FIRST + Math.floor(draw * span);
}

/**
 * A base port such that `count` consecutive ports from it, and the same
 * ports plus `offset` (cluster bus ports), were free a moment ago, all below
 * EPHEMERAL_PORT_FIRST and none in `avoid` (ports another cluster of this run
 * will take). `random` is injectable so tests can check the bounds.
 */
export async function freePortRange(count, offset, avoid = new Set(), random = Math.random) {
  for (let attempt = 0; attempt < PORT_RANGE_ATTEMPTS_MAX; attempt++) {
    const base = portRangeBase(random(), count, offset);
    const ports = [];
    for (let i = 0; i < count; i++) ports.push(base + i, base + offset + i);
    if (ports.some((port) => avoid.has(port))) continue;
    let free = true;
    for (const port of ports) {
      free = await portIsFree(port);
      if (!free) break;
    }
    if (free) return base;
  }
  throw new Error(`no free range of ${count} ports (and bus ports at +${offset}) found below ${EPHEMERAL_PORT_FIRST} after ${PORT_RANGE_ATTEMPTS_MAX} tries: is the machine out of ports?`);
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The first lines of a server's output, on one line, for a report row. */
function summarize(output) {
  const lines = output.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  return lines.slice(0, 2).join(" | ") || "no output";
}

/** An error about a server that did not start; `output` keeps everything it printed. */
class StartError extends Error {
  constructor(message, output) {
    super(`${message}: ${summarize(output)}`);
    this.output = output;
  }
}

/** Starts a server and resolves once it accepts connections; rejects with a StartError if it exits or hangs first. */
export async function startServer(name, command, args, port) {
  const tracked = startTracked(command, args);
  const deadlineMs = Date.now() + LISTEN_TIMEOUT_MS;
  for (;;) {
    if (!tracked.isRunning()) {
      await tracked.exited;
      throw new StartError(`${name} exited before listening on port ${port}`, tracked.output());
    }
    if (await canConnect(port)) break;
    if (Date.now() > deadlineMs) {
      await tracked.stop();
      throw new StartError(`${name} did not listen on port ${port} within ${LISTEN_TIMEOUT_MS} ms`, tracked.output());
    }
    await sleep(50);
  }
  return { name, port, pid: tracked.child.pid, ...tracked };
}

/** Resident set size of a process in bytes (Linux /proc, else ps). */
export function residentBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux, or the process is gone: fall through to ps.
  }
  const result = spawnSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" });
  const kilobytes = Number(result.stdout.trim());
  if (result.status !== 0 || !Number.isFinite(kilobytes) || kilobytes <= 0) {
    throw new Error(`cannot read the resident size of process ${pid}`);
  }
  return kilobytes * 1024;
}
