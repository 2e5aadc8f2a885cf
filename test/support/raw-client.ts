import net from "node:net";

/**
 * A raw RESP connection for tests: sends commands and returns each reply as
 * the exact bytes the server wrote (latin1), so two servers can be compared
 * byte for byte. It parses only enough RESP2/RESP3 to find where a reply ends.
 */
export class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.notify();
    });
    socket.on("close", () => {
      this.closed = true;
      this.notify();
    });
    socket.on("error", () => {});
  }

  static connect(port: number, host = "127.0.0.1"): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host);
      socket.once("connect", () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends one command as a RESP multibulk and returns its raw reply. */
  async command(...args: string[]): Promise<string> {
    this.write(encodeCommand(args));
    return this.readReply();
  }

  /** Writes raw bytes (for inline commands and malformed input). */
  write(data: string | Buffer): void {
    this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  /** Reads one complete reply (RESP2 or RESP3) as raw latin1 text; rejects on timeout or close. */
  async readReply(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = replyEnd(this.buffer, 0);
      if (end > 0) {
        const reply = this.buffer.toString("latin1", 0, end);
        this.buffer = this.buffer.subarray(end);
        return reply;
      }
      if (this.closed) throw new Error(`connection closed; unparsed: ${JSON.stringify(this.buffer.toString("latin1"))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no complete reply within ${timeoutMs} ms; have: ${JSON.stringify(this.buffer.toString("latin1"))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until the server closes the connection (true) or timeoutMs passes (false). */
  async waitClosed(timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export function encodeCommand(args: readonly string[]): Buffer {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg, "latin1")}\r\n${arg}\r\n`;
  return Buffer.from(out, "latin1");
}

/** Index just past the reply starting at `start`, or -1 when it is incomplete. */
function replyEnd(buffer: Buffer, start: number): number {
  if (start >= buffer.length) return -1;
  const lineEnd = buffer.indexOf("\r\n", start, "latin1");
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(buffer[start]!);
  const header = buffer.toString("latin1", start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+": case "-": case ":": case ",": case "#": case "_": case "(":
      return next;
    case "$": case "=": case "!": {
      const length = Number(header);
      if (length < 0) return next;
      return buffer.length >= next + length + 2 ? next + length + 2 : -1;
    }
    case "*": case "~": case ">": case "%": case "|": {
      let count = Number(header);
      if (count < 0) return next;
      if (type === "%" || type === "|") count *= 2;
      let position = next;
      for (let i = 0; i < count; i++) {
        position = replyEnd(buffer, position);
        if (position < 0) return -1;
      }
      return position;
    }
    default:
      throw new Error(`not RESP: ${JSON.stringify(buffer.toString("latin1", start, Math.min(buffer.length, start + 40)))}`);
  }
}
