import { Engine, ManualClock, Random, type Client } from "../../src/index.js";

/**
 * An engine on a manual clock with connections that speak raw RESP, for the
 * server, connection, transaction, pub/sub, config and eviction tests.
 */
export interface Connection {
  client: Client;
  /** Sends one command and returns every byte the client was sent since the last read. */
  send(...args: (string | number)[]): string;
  /** Sends raw bytes (pipelined or inline commands). */
  write(raw: string): string;
  /** What the client was sent since the last read (pub/sub deliveries, unblocked replies). */
  take(): string;
}

export interface Session {
  clock: ManualClock;
  engine: Engine;
  /** Every command propagated to replicas, with its database. */
  propagated: [number, string[]][];
  connect(address?: string): Connection;
}

export function encode(args: readonly (string | number)[]): Buffer {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const text = String(arg);
    out += `$${text.length}\r\n${text}\r\n`;
  }
  return Buffer.from(out, "latin1");
}

export function startSession(config: [string, string][] = [], seed = 1): Session {
  const clock = new ManualClock();
  const engine = new Engine({ clock, random: new Random(seed), config });
  const propagated: [number, string[]][] = [];
  engine.onPropagate((db, commands) => {
    for (const command of commands) propagated.push([db, [...command]]);
  });
  let port = 40000;
  const connect = (address = `127.0.0.1:${port++}`): Connection => {
    const client = engine.connect({ address, localAddress: "127.0.0.1:6379" });
    const read = () => {
      engine.takeOutput();
      return client.writer.take();
    };
    return {
      client,
      send: (...args) => {
        engine.receive(client, encode(args));
        return read();
      },
      write: (raw) => {
        engine.receive(client, Buffer.from(raw, "latin1"));
        return read();
      },
      take: read,
    };
  };
  return { clock, engine, propagated, connect };
}

// RESP builders for expected replies.
export const ok = "+OK\r\n";
export const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
export const int = (n: number) => `:${n}\r\n`;
export const err = (message: string) => `-${message}\r\n`;
export const simple = (s: string) => `+${s}\r\n`;
export const array = (...items: string[]) => `*${items.length}\r\n${items.join("")}`;
export const bulks = (...items: string[]) => array(...items.map(bulk));
export const push = (...items: string[]) => `>${items.length}\r\n${items.join("")}`;
export const NIL = "$-1\r\n";
export const NIL_ARRAY = "*-1\r\n";

/** A decoded RESP2/RESP3 reply: strings, numbers, nulls, arrays, and maps as [key, value] pair lists. */
export type Reply = string | number | null | boolean | Reply[] | { error: string } | { map: [Reply, Reply][] };

/** Parses one complete reply (RESP2 or RESP3), for tests that look inside structured replies. */
export function parseReply(text: string): Reply {
  const [reply, end] = parseAt(text, 0);
  if (end !== text.length) throw new Error(`trailing bytes after reply: ${JSON.stringify(text.slice(end, end + 40))}`);
  return reply;
}

/** Parses consecutive replies (pipelined answers, pushes followed by a reply). */
export function parseReplies(text: string): Reply[] {
  const replies: Reply[] = [];
  let position = 0;
  while (position < text.length) {
    const [reply, end] = parseAt(text, position);
    replies.push(reply);
    position = end;
  }
  return replies;
}

function parseAt(text: string, start: number): [Reply, number] {
  const lineEnd = text.indexOf("\r\n", start);
  if (lineEnd < 0) throw new Error("incomplete reply");
  const type = text[start];
  const header = text.slice(start + 1, lineEnd);
  let position = lineEnd + 2;
  switch (type) {
    case "+":
      return [header, position];
    case "-":
      return [{ error: header }, position];
    case ":":
      return [Number(header), position];
    case ",":
      return [Number(header), position];
    case "#":
      return [header === "t", position];
    case "_":
      return [null, position];
    case "$":
    case "=": {
      const length = Number(header);
      if (length < 0) return [null, position];
      const body = text.slice(position, position + length);
      return [type === "=" ? body.slice(4) : body, position + length + 2];
    }
    case "*":
    case "~":
    case ">": {
      const count = Number(header);
      if (count < 0) return [null, position];
      const items: Reply[] = [];
      for (let i = 0; i < count; i++) {
        const [item, end] = parseAt(text, position);
        items.push(item);
        position = end;
      }
      return [items, position];
    }
    case "%": {
      const pairs: [Reply, Reply][] = [];
      for (let i = 0; i < Number(header); i++) {
        const [key, afterKey] = parseAt(text, position);
        const [value, afterValue] = parseAt(text, afterKey);
        pairs.push([key, value]);
        position = afterValue;
      }
      return [{ map: pairs }, position];
    }
    default:
      throw new Error(`not RESP at ${start}: ${JSON.stringify(text.slice(start, start + 20))}`);
  }
}

/** INFO text as sections of field -> value. */
export function parseInfo(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split("\r\n")) {
    if (line.startsWith("# ")) sections.set(line.slice(2), (current = new Map()));
    else if (line !== "" && current !== undefined) {
      const colon = line.indexOf(":");
      current.set(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  return sections;
}
