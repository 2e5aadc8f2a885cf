// A minimal RESP2 client for the bench's own traffic: INFO, FLUSHALL,
// DBSIZE, and a pipelined loader for the memory test. redis-benchmark does
// the measured traffic; this only prepares and inspects the servers.
import net from "node:net";

/** An error reply (`-ERR ...`), returned as a value so callers can put it in a report row. */
export class ReplyError {
  constructor(message) {
    this.message = message;
  }
}

/** Nesting accepted in a reply; the bench never reads deeper replies, and the bound keeps a garbage reply from recursing far. */
const REPLY_DEPTH_MAX = 8;

/**
 * Parses one RESP2 reply starting at `start` in `buffer`. Returns
 * { value, end } or undefined when the reply is not complete yet. Throws on
 * bytes that are not RESP2.
 */
export function parseReply(buffer, start, depth = 0) {
  if (depth > REPLY_DEPTH_MAX) throw new Error(`reply nested deeper than ${REPLY_DEPTH_MAX}`);
  const lineEnd = buffer.indexOf("\r\n", start, "latin1");
  if (lineEnd < 0) return undefined;
  const kind = String.fromCharCode(buffer[start]);
  const line = buffer.toString("latin1", start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (kind) {
    case "+":
      return { value: line, end: next };
    case "-":
      return { value: new ReplyError(line), end: next };
    case ":":
      return { value: Number(line), end: next };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString("latin1", next, next + length), end: next + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items = [];
      let position = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, position, depth + 1);
        if (item === undefined) return undefined;
        items.push(item.value);
        position = item.end;
      }
      return { value: items, end: position };
    }
    default:
      throw new Error(`not a RESP2 reply: ${JSON.stringify(buffer.toString("latin1", start, Math.min(buffer.length, start + 40)))}`);
  }
}

/** Encodes a command as a RESP multibulk. */
export function encodeCommand(args) {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg, "latin1")}\r\n${arg}\r\n`;
  return out;
}

/** How long one command may wait for its reply before the bench gives up on the server. */
const REPLY_TIMEOUT_MS = 60_000;

export class RespClient {
  #socket;
  #buffer = Buffer.alloc(0);
  /** Callbacks waiting for replies, in the order the commands were sent. */
  #waiting = [];
  #closedError = undefined;

  constructor(socket) {
    this.#socket = socket;
    socket.on("data", (chunk) => this.#receive(chunk));
    socket.on("error", (error) => this.#fail(error));
    socket.on("close", () => this.#fail(new Error("connection closed by the server")));
  }

  static connect(port) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.setNoDelay(true);
      socket.once("connect", () => resolve(new RespClient(socket)));
      socket.once("error", reject);
    });
  }

  /** Sends one command and resolves with its reply (a ReplyError for `-` replies). */
  command(...args) {
    return this.pipeline([args]).then((replies) => replies[0]);
  }

  /** Sends several commands in one write and resolves with all their replies, in order. */
  pipeline(commands) {
    if (this.#closedError) return Promise.reject(this.#closedError);
    const replies = new Array(commands.length);
    let received = 0;
    const done = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply within ${REPLY_TIMEOUT_MS} ms`)), REPLY_TIMEOUT_MS);
      for (let i = 0; i < commands.length; i++) {
        this.#waiting.push({
          resolve: (value) => {
            replies[i] = value;
            received++;
            if (received === commands.length) {
              clearTimeout(timer);
              resolve(replies);
            }
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
      }
    });
    this.#socket.write(commands.map(encodeCommand).join(""), "latin1");
    return done;
  }

  close() {
    this.#socket.destroy();
  }

  #receive(chunk) {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let position = 0;
    for (;;) {
      let parsed;
      try {
        parsed = parseReply(this.#buffer, position);
      } catch (error) {
        this.#fail(error);
        this.#socket.destroy();
        return;
      }
      if (parsed === undefined) break;
      position = parsed.end;
      const waiter = this.#waiting.shift();
      if (waiter === undefined) {
        this.#fail(new Error("the server sent a reply nobody asked for"));
        this.#socket.destroy();
        return;
      }
      waiter.resolve(parsed.value);
    }
    this.#buffer = this.#buffer.subarray(position);
  }

  #fail(error) {
    this.#closedError ??= error;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const waiter of waiting) waiter.reject(error);
  }
}

/** Parses an INFO reply into { field: value } (sections merged; `# Section` lines skipped). */
export function parseInfo(text) {
  const fields = {};
  for (const line of text.split("\r\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

/** Commands per write of the loader, and writes in flight at once: enough to keep a server busy, bounded so neither side buffers much. */
const LOAD_BATCH_COMMANDS = 1000;
const LOAD_BATCHES_IN_FLIGHT = 4;

/** The key redis-benchmark would use for index i with -r: `key:` and 12 zero-padded digits. */
export function benchmarkKey(index) {
  return `key:${String(index).padStart(12, "0")}`;
}

/**
 * Writes `count` distinct string keys (benchmarkKey(0..count-1)) with a
 * `valueBytes`-byte value, pipelined. Resolves with the number of replies
 * that were not +OK and the first of them.
 */
export async function loadStringKeys(client, count, valueBytes) {
  const value = "x".repeat(valueBytes);
  let failures = 0;
  let firstFailure;
  let next = 0;
  const inFlight = new Set();
  while (next < count || inFlight.size > 0) {
    while (next < count && inFlight.size < LOAD_BATCHES_IN_FLIGHT) {
      const batch = [];
      const end = Math.min(count, next + LOAD_BATCH_COMMANDS);
      for (let i = next; i < end; i++) batch.push(["SET", benchmarkKey(i), value]);
      next = end;
      const sent = client.pipeline(batch).then((replies) => {
        inFlight.delete(sent);
        for (const reply of replies) {
          if (reply === "OK") continue;
          failures++;
          firstFailure ??= reply instanceof ReplyError ? reply.message : JSON.stringify(reply);
        }
      });
      inFlight.add(sent);
    }
    await Promise.race(inFlight);
  }
  return { failures, firstFailure };
}
