import { ManualClock } from "../src/clock.js";
import type { Client } from "../src/engine/client.js";
import { Engine } from "../src/engine/engine.js";
import type { Ledger } from "../src/keyspace/ledger.js";
import type { Aggregate } from "../src/keyspace/value.js";
import { Random } from "../src/random.js";

/** A decoded reply: bulk/simple strings, integers, nil, errors and arrays. */
export type Reply = string | number | bigint | null | { error: string } | Reply[];

/**
 * One engine with a manual clock and one connected client, for driving the
 * string and key commands through the real dispatcher: `call` sends a
 * command as RESP bytes and decodes the reply; `raw` returns the reply bytes;
 * everything the engine propagates to replicas is collected in `propagated`.
 */
export class TestNode {
  readonly clock = new ManualClock(1_700_000_000_000);
  readonly engine: Engine;
  readonly client: Client;
  readonly propagated: string[][] = [];

  constructor(config: [string, string][] = [], seed = 1) {
    this.engine = new Engine({ clock: this.clock, random: new Random(seed), config });
    this.engine.onPropagate((_db, commands) => this.propagated.push(...commands.map((c) => [...c])));
    this.client = this.engine.connect({ address: "127.0.0.1:1", localAddress: "127.0.0.1:2" });
  }

  /** Sends one command and returns the raw reply bytes (latin1). */
  raw(...args: string[]): string {
    let request = `*${args.length}\r\n`;
    for (const arg of args) request += `$${arg.length}\r\n${arg}\r\n`;
    this.engine.receive(this.client, Buffer.from(request, "latin1"));
    return this.client.writer.take();
  }

  /** Sends one command and returns its decoded reply. */
  call(...args: (string | number)[]): Reply {
    const text = this.raw(...args.map(String));
    const [reply, end] = decode(text, 0);
    if (end !== text.length) throw new Error(`more than one reply: ${JSON.stringify(text)}`);
    return reply;
  }

  /** The propagated commands since the last call, and forget them. */
  takePropagated(): string[][] {
    return this.propagated.splice(0);
  }

  advance(ms: number): void {
    this.clock.advance(ms);
  }

  get nowMs(): number {
    return this.clock.nowMs();
  }
}

function decode(text: string, start: number): [Reply, number] {
  const lineEnd = text.indexOf("\r\n", start);
  if (lineEnd < 0) throw new Error(`incomplete reply: ${JSON.stringify(text.slice(start))}`);
  const type = text[start];
  const line = text.slice(start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+":
      return [line, next];
    case "-":
      return [{ error: line }, next];
    case ":": {
      const n = BigInt(line);
      return [Number.isSafeInteger(Number(n)) ? Number(n) : n, next];
    }
    case "$": {
      const length = Number(line);
      if (length < 0) return [null, next];
      return [text.slice(next, next + length), next + length + 2];
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return [null, next];
      const items: Reply[] = [];
      let position = next;
      for (let i = 0; i < count; i++) {
        const [item, end] = decode(text, position);
        items.push(item);
        position = end;
      }
      return [items, position];
    }
    default:
      throw new Error(`unexpected reply type ${JSON.stringify(text.slice(start))}`);
  }
}

/**
 * A minimal list-typed aggregate, so WRONGTYPE paths, TYPE, COPY and RENAME
 * of aggregates can be tested before the real aggregate classes exist. It
 * follows the Aggregate contract: mutations report to the ledger.
 */
export class FakeList implements Aggregate {
  readonly type = "list" as const;
  ledger: Ledger | undefined;
  constructor(readonly items: string[] = ["x"]) {}
  get length(): number {
    return this.items.length;
  }
  get bytes(): number {
    return 64 + this.items.length * 8;
  }
  push(item: string): void {
    this.items.push(item);
    this.ledger?.record(8);
  }
  clone(): FakeList {
    return new FakeList([...this.items]);
  }
}
