import { ManualClock } from "../src/clock.js";
import type { Client } from "../src/engine/client.js";
import { Engine } from "../src/engine/engine.js";
import { Random } from "../src/random.js";

/**
 * A decoded RESP2/RESP3 reply: strings, integers, nil, errors, arrays, and
 * the RESP3 types tagged so a test can tell a map or a set from an array.
 */
export type Reply =
  | string
  | number
  | bigint
  | boolean
  | null
  | { error: string }
  | { map: [Reply, Reply][] }
  | { set: Reply[] }
  | { double: string }
  | Reply[];

/**
 * One engine (manual clock, seeded random) with one connected client, for
 * the hash and set tests: `raw` sends a command and returns the reply bytes,
 * `call` decodes them, and whatever the engine propagates is collected.
 */
export class Node {
  readonly clock = new ManualClock(1_700_000_000_000);
  readonly engine: Engine;
  readonly client: Client;
  readonly propagated: string[][] = [];

  constructor(options: { config?: [string, string][]; seed?: number; protocol?: 2 | 3 } = {}) {
    this.engine = new Engine({ clock: this.clock, random: new Random(options.seed ?? 1), config: options.config ?? [] });
    this.engine.onPropagate((_db, commands) => this.propagated.push(...commands.map((command) => [...command])));
    this.client = this.engine.connect({ address: "127.0.0.1:1", localAddress: "127.0.0.1:2" });
    this.client.writer.protocol = options.protocol ?? 2;
  }

  /** Sends one command and returns the raw reply bytes (latin1). */
  raw(...args: (string | number)[]): string {
    let request = `*${args.length}\r\n`;
    for (const arg of args.map(String)) request += `$${arg.length}\r\n${arg}\r\n`;
    this.engine.receive(this.client, Buffer.from(request, "latin1"));
    return this.client.writer.take();
  }

  /** Sends one command and returns its decoded reply. */
  call(...args: (string | number)[]): Reply {
    const text = this.raw(...args);
    const [reply, end] = decodeReply(text, 0);
    if (end !== text.length) throw new Error(`more than one reply: ${JSON.stringify(text)}`);
    return reply;
  }

  /** The commands propagated since the last call. */
  takePropagated(): string[][] {
    return this.propagated.splice(0);
  }

  get ledgerBytes(): number {
    return this.engine.ledger.bytes;
  }

  /** The value stored at `key` in database 0, without touching it. */
  peek(key: string): unknown {
    return this.engine.dbs[0]!.peek(key);
  }
}

/** Decodes one reply starting at `start`; returns it and where it ends. */
export function decodeReply(text: string, start: number): [Reply, number] {
  const lineEnd = text.indexOf("\r\n", start);
  if (lineEnd < 0) throw new Error(`incomplete reply: ${JSON.stringify(text.slice(start))}`);
  const type = text[start];
  const line = text.slice(start + 1, lineEnd);
  let next = lineEnd + 2;
  switch (type) {
    case "+":
      return [line, next];
    case "-":
      return [{ error: line }, next];
    case ":": {
      const n = BigInt(line);
      return [Number.isSafeInteger(Number(n)) ? Number(n) : n, next];
    }
    case "_":
      return [null, next];
    case "#":
      return [line === "t", next];
    case ",":
      return [{ double: line }, next];
    case "$": {
      const length = Number(line);
      if (length < 0) return [null, next];
      return [text.slice(next, next + length), next + length + 2];
    }
    case "*":
    case "~":
    case ">": {
      const count = Number(line);
      if (count < 0) return [null, next];
      const items: Reply[] = [];
      for (let i = 0; i < count; i++) {
        const [item, end] = decodeReply(text, next);
        items.push(item);
        next = end;
      }
      return [type === "~" ? { set: items } : items, next];
    }
    case "%": {
      const count = Number(line);
      const pairs: [Reply, Reply][] = [];
      for (let i = 0; i < count; i++) {
        const [field, afterField] = decodeReply(text, next);
        const [value, afterValue] = decodeReply(text, afterField);
        pairs.push([field, value]);
        next = afterValue;
      }
      return [{ map: pairs }, next];
    }
    default:
      throw new Error(`unknown reply type ${JSON.stringify(type)} in ${JSON.stringify(text)}`);
  }
}

/** The strings of an array or RESP3 set reply, sorted: for replies whose order is the hash table's. */
export function sortedStrings(reply: Reply): string[] {
  const items = reply !== null && typeof reply === "object" && "set" in reply ? reply.set : reply;
  if (!Array.isArray(items)) throw new Error(`not an array: ${JSON.stringify(reply)}`);
  return (items as string[]).slice().sort();
}
