// The write load of the replication phase, run as a child process of the
// bench (`node bench/lib/write-load.mjs --port P --rate R --seconds S ...`)
// so that generating writes never delays the bench's own timing of lag
// probes: they run in a different event loop, on a different process.
//
// It sends SET key:<12 digits> <value> over a few pipelined connections,
// either at a fixed rate (a pacing loop: every tick it sends what the
// schedule says is due, spread over the connections) or at full speed (each
// connection keeps a bounded number of commands in flight). The commands are
// encoded once, up front, into a ring that is sent slice by slice, so the
// generator spends its time on the socket and not on encoding.
//
// Protocol with the parent: one line `ready` on stdout once every connection
// is up (the load starts at that moment), then one JSON line with the
// totals when the load has ended and every reply has arrived. Exit code 0
// when the run completed (error replies are counted in the JSON), 1 when it
// could not run (a connection failed), 2 for bad arguments.
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";

/** How often the fixed-rate loop wakes to send what is due (a floor: timers fire late under load, and the schedule catches up). */
export const PACING_TICK_MS = 1;
/**
 * Commands a connection may have unanswered at a fixed rate. A primary that
 * cannot keep up makes the generator skip sends rather than queue them, so
 * the run reports a rate below the target instead of a burst later.
 */
export const RATE_IN_FLIGHT_MAX = 4_096;
/** At full speed each connection keeps this many commands in flight, sent in batches of FULL_SPEED_BATCH (like redis-benchmark -P 64, 16 deep). */
export const FULL_SPEED_BATCH = 64;
export const FULL_SPEED_IN_FLIGHT = 1_024;
/** Bound on waiting for the last replies after the load ends. */
const DRAIN_TIMEOUT_MS = 15_000;
/** Error reply text kept for the report. */
const ERROR_TEXT_CHARS_MAX = 200;

const LIMITS = { port: [1, 65_535], rate: [0, 10_000_000], seconds: [0.1, 3_600], connections: [1, 64], keyspace: [1, 10_000_000], valueBytes: [1, 1_048_576] };

/** The key redis-benchmark uses for index i with -r: `key:` and 12 zero-padded digits. */
function benchmarkKey(index) {
  return `key:${String(index).padStart(12, "0")}`;
}

/**
 * The ring of SET commands, encoded once: `buffer` holds `count` commands
 * back to back and `offsets[i]` is where command i starts (offsets[count] is
 * the end), so any run of commands is one slice, or two when it wraps.
 */
export function encodeSetRing(keyspace, valueBytes) {
  const value = "x".repeat(valueBytes);
  const parts = [];
  const offsets = new Uint32Array(keyspace + 1);
  let position = 0;
  for (let i = 0; i < keyspace; i++) {
    const key = benchmarkKey(i);
    const command = `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${valueBytes}\r\n${value}\r\n`;
    offsets[i] = position;
    position += command.length;
    parts.push(command);
  }
  offsets[keyspace] = position;
  return { buffer: Buffer.from(parts.join(""), "latin1"), offsets, count: keyspace };
}

/**
 * Commands the fixed-rate schedule wants sent by `elapsedMs`, given that
 * `scheduled` were already sent or skipped: the schedule is a straight line
 * of `ratePerSec`, so a late tick sends the backlog of the ticks it missed.
 */
export function commandsDue(elapsedMs, ratePerSec, scheduled) {
  return Math.max(0, Math.floor((elapsedMs * ratePerSec) / 1000) - scheduled);
}

/** Splits `count` commands over `connections` as evenly as possible, the first ones taking the remainder. */
export function spread(count, connections) {
  const share = Math.floor(count / connections);
  const extra = count % connections;
  return Array.from({ length: connections }, (_, i) => share + (i < extra ? 1 : 0));
}

/**
 * Counts the replies in a stream of one-line replies (+OK or -ERR ...),
 * across chunk boundaries. Every SET reply is one line, so a reply is a
 * `\n`; a line that starts with `-` is an error reply.
 */
export class ReplyCounter {
  replies = 0;
  errors = 0;
  firstError = undefined;
  #atLineStart = true;
  #errorText = undefined;

  push(chunk) {
    let position = 0;
    while (position < chunk.length) {
      if (this.#atLineStart && chunk[position] === 0x2d) this.#errorText = "";
      const newline = chunk.indexOf(0x0a, position);
      const end = newline < 0 ? chunk.length : newline;
      if (this.#errorText !== undefined && this.#errorText.length < ERROR_TEXT_CHARS_MAX) {
        this.#errorText += chunk.toString("latin1", position, Math.min(end, position + ERROR_TEXT_CHARS_MAX));
      }
      if (newline < 0) {
        this.#atLineStart = false;
        return;
      }
      this.replies++;
      if (this.#errorText !== undefined) {
        this.errors++;
        this.firstError ??= this.#errorText.replace(/^-/, "").replace(/\r$/, "").slice(0, ERROR_TEXT_CHARS_MAX);
        this.#errorText = undefined;
      }
      this.#atLineStart = true;
      position = newline + 1;
    }
  }
}

/** One connection of the generator: what it sent and what came back. */
class LoadConnection {
  sent = 0;
  counter = new ReplyCounter();
  closedError = undefined;

  constructor(socket) {
    this.socket = socket;
    socket.on("data", (chunk) => this.counter.push(chunk));
    socket.on("error", (error) => (this.closedError ??= error));
    socket.on("close", () => (this.closedError ??= new Error("connection closed by the server")));
  }

  get inFlight() {
    return this.sent - this.counter.replies;
  }

  static connect(port) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.setNoDelay(true);
      socket.once("connect", () => resolve(new LoadConnection(socket)));
      socket.once("error", reject);
    });
  }
}

/** Sends the next `count` commands of the ring on `connection`, one write (two when the ring wraps). */
function sendCommands(ring, cursor, connection, count) {
  let remaining = count;
  connection.socket.cork();
  while (remaining > 0) {
    const first = cursor.next;
    const last = Math.min(ring.count, first + remaining);
    connection.socket.write(ring.buffer.subarray(ring.offsets[first], ring.offsets[last]));
    remaining -= last - first;
    cursor.next = last === ring.count ? 0 : last;
  }
  connection.socket.uncork();
  connection.sent += count;
}

async function runAtRate(ring, connections, ratePerSec, durationMs) {
  const cursor = { next: 0 };
  const startedMs = performance.now();
  let scheduled = 0;
  let skipped = 0;
  for (;;) {
    const elapsedMs = performance.now() - startedMs;
    const due = commandsDue(Math.min(elapsedMs, durationMs), ratePerSec, scheduled);
    const shares = spread(due, connections.length);
    connections.forEach((connection, i) => {
      if (shares[i] === 0) return;
      if (connection.inFlight + shares[i] > RATE_IN_FLIGHT_MAX) skipped += shares[i];
      else sendCommands(ring, cursor, connection, shares[i]);
    });
    scheduled += due;
    if (elapsedMs >= durationMs) break;
    failIfClosed(connections);
    await sleep(PACING_TICK_MS);
  }
  return { scheduled, skipped };
}

async function runFullSpeed(ring, connections, durationMs) {
  const cursor = { next: 0 };
  const startedMs = performance.now();
  const refill = () => {
    for (const connection of connections) {
      while (connection.inFlight + FULL_SPEED_BATCH <= FULL_SPEED_IN_FLIGHT) sendCommands(ring, cursor, connection, FULL_SPEED_BATCH);
    }
  };
  // Refill after every chunk of replies, so the pipeline never runs dry while the event loop waits.
  const listeners = connections.map((connection) => {
    const listener = () => {
      if (performance.now() - startedMs < durationMs) refill();
    };
    connection.socket.on("data", listener);
    return listener;
  });
  refill();
  while (performance.now() - startedMs < durationMs) {
    failIfClosed(connections);
    await sleep(Math.min(50, durationMs));
  }
  connections.forEach((connection, i) => connection.socket.off("data", listeners[i]));
  return { scheduled: undefined, skipped: 0 };
}

function failIfClosed(connections) {
  const closed = connections.find((connection) => connection.closedError !== undefined);
  if (closed !== undefined) throw new Error(`a load connection failed: ${closed.closedError.message}`);
}

async function drain(connections) {
  const deadlineMs = performance.now() + DRAIN_TIMEOUT_MS;
  while (connections.some((connection) => connection.inFlight > 0)) {
    failIfClosed(connections);
    if (performance.now() > deadlineMs) throw new Error(`replies still missing ${DRAIN_TIMEOUT_MS} ms after the load ended`);
    await sleep(5);
  }
}

/**
 * Runs the load: connects, prints `ready`, sends for `seconds`, waits for
 * every reply, and resolves with the totals (rate 0 = full speed).
 */
export async function runLoad({ port, rate, seconds, connections: connectionCount, keyspace, valueBytes }, print) {
  const ring = encodeSetRing(keyspace, valueBytes);
  const connections = await Promise.all(Array.from({ length: connectionCount }, () => LoadConnection.connect(port)));
  try {
    print("ready");
    const startedMs = performance.now();
    const durationMs = seconds * 1000;
    const pacing = rate > 0 ? await runAtRate(ring, connections, rate, durationMs) : await runFullSpeed(ring, connections, durationMs);
    const sendingMs = performance.now() - startedMs;
    await drain(connections);
    const replies = connections.reduce((sum, connection) => sum + connection.counter.replies, 0);
    const errors = connections.reduce((sum, connection) => sum + connection.counter.errors, 0);
    const firstError = connections.map((connection) => connection.counter.firstError).find((text) => text !== undefined);
    return { ratePerSec: rate, sent: connections.reduce((sum, connection) => sum + connection.sent, 0), replies, errors, firstError, skipped: pacing.skipped, sendingMs, achievedPerSec: (replies / sendingMs) * 1000 };
  } finally {
    for (const connection of connections) connection.socket.destroy();
  }
}

export class LoadUsageError extends Error {}

/** Parses `--name value` pairs into the load's settings; every one is required and bounded. */
export function parseLoadArguments(argv) {
  const settings = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, "").replace(/-(\w)/g, (_, letter) => letter.toUpperCase());
    const text = argv[i + 1];
    if (!(name in LIMITS)) throw new LoadUsageError(`unknown option '${argv[i]}'`);
    const value = Number(text);
    const [min, max] = LIMITS[name];
    if (text === undefined || !Number.isFinite(value) || value < min || value > max) throw new LoadUsageError(`${argv[i]} must be a number from ${min} to ${max}, got ${text ?? "nothing"}`);
    settings[name] = value;
  }
  const missing = Object.keys(LIMITS).filter((name) => settings[name] === undefined);
  if (missing.length > 0) throw new LoadUsageError(`missing ${missing.map((name) => `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`).join(", ")}`);
  return settings;
}

/** The child's command line for these settings (the inverse of parseLoadArguments). */
export function loadArguments(settings) {
  return Object.keys(LIMITS).flatMap((name) => [`--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`, String(settings[name])]);
}

async function main() {
  let settings;
  try {
    settings = parseLoadArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`write-load: ${error.message}`);
    return 2;
  }
  try {
    const totals = await runLoad(settings, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(totals)}\n`);
    return 0;
  } catch (error) {
    console.error(`write-load: ${error.message}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then((code) => {
    process.exitCode = code;
  });
}
