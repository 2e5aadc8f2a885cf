/**
 * Seeded generators of hostile client input for the fuzz test, and a checker
 * of what a server writes back. Every case is a pure function of (seed, case
 * number), so a failure names the two numbers that regenerate its input.
 */

/** splitmix32: small, fast, and good enough to explore inputs; never Math.random, so a seed reproduces. */
export class FuzzRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for one case, independent of how many numbers other cases drew. */
  static forCase(seed: number, caseNumber: number): FuzzRandom {
    return new FuzzRandom(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(caseNumber + 1, 0xc2b2ae35));
  }

  uint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.uint32() / 2 ** 32) * n);
  }

  /** An integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }

  chance(probability: number): boolean {
    return this.uint32() / 2 ** 32 < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Lengths skewed towards small, with a long tail up to `max`. */
  length(max: number): number {
    const unit = this.uint32() / 2 ** 32;
    return Math.min(max, Math.floor(2 ** (unit * unit * Math.log2(max + 1))) - 1 + this.int(2));
  }

  bytes(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += String.fromCharCode(this.int(256));
    return out;
  }

  /** Bytes drawn mostly from the characters RESP framing is made of. */
  protocolish(length: number): string {
    const alphabet = "*$:+-_,#!=(%~>|\r\n0123456789-\r\n";
    let out = "";
    for (let i = 0; i < length; i++) out += this.chance(0.8) ? this.pick([...alphabet]) : String.fromCharCode(this.int(256));
    return out;
  }
}

/** One fuzz case: the bytes to send, in the chunks to send them in, and (for model cases) the exact replies due. */
export interface FuzzCase {
  kind: string;
  chunks: string[];
  /** Exact reply bytes the model predicts; undefined when only well-formedness can be checked. */
  expected?: string;
}

/**
 * Commands that may run in any order from any connection without changing
 * what other cases see: no CONFIG SET, FLUSHALL, SHUTDOWN, REPLICAOF, ACL,
 * CLIENT KILL/PAUSE/REPLY, DEBUG or MIGRATE (and none that names the model's
 * keys, which start with `fuzz-model`).
 */
export const SAFE_COMMANDS: readonly (readonly string[])[] = [
  ["PING"], ["PING", "hi"], ["ECHO", "hello"], ["SET", "k", "v"], ["SET", "k", "v", "EX", "10"], ["SET", "n", "10", "NX"],
  ["GET", "k"], ["GETSET", "k", "w"], ["DEL", "k", "n"], ["EXISTS", "k", "l"], ["INCR", "n"], ["INCRBY", "n", "-3"],
  ["INCRBYFLOAT", "f", "1.5"], ["APPEND", "k", "tail"], ["STRLEN", "k"], ["GETRANGE", "k", "0", "-1"], ["SETRANGE", "k", "3", "xyz"],
  ["MSET", "a", "1", "b", "2"], ["MGET", "a", "b", "c"], ["EXPIRE", "k", "100"], ["PEXPIRE", "a", "5"], ["TTL", "k"], ["PTTL", "k"],
  ["PERSIST", "k"], ["TYPE", "k"], ["KEYS", "*"], ["SCAN", "0", "COUNT", "5"], ["DBSIZE"], ["RANDOMKEY"], ["RENAME", "a", "a2"],
  ["HSET", "h", "f", "v", "g", "w"], ["HGET", "h", "f"], ["HGETALL", "h"], ["HDEL", "h", "f"], ["HINCRBY", "h", "c", "2"], ["HSCAN", "h", "0"],
  ["LPUSH", "l", "a", "b", "c"], ["RPUSH", "l", "x"], ["LPOP", "l"], ["RPOP", "l", "2"], ["LRANGE", "l", "0", "-1"], ["LLEN", "l"],
  ["LINDEX", "l", "-1"], ["LSET", "l", "0", "z"], ["LTRIM", "l", "0", "10"], ["BLPOP", "l", "0.01"], ["BRPOP", "empty", "0.02"],
  ["LMOVE", "l", "l2", "LEFT", "RIGHT"], ["SADD", "s", "a", "b", "c"], ["SREM", "s", "a"], ["SMEMBERS", "s"], ["SISMEMBER", "s", "b"],
  ["SPOP", "s"], ["SRANDMEMBER", "s", "-5"], ["SINTER", "s", "s2"], ["SUNIONSTORE", "s3", "s", "s2"], ["SCARD", "s"],
  ["ZADD", "z", "1", "a", "2.5", "b"], ["ZINCRBY", "z", "3", "a"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZSCORE", "z", "a"],
  ["ZRANK", "z", "b"], ["ZREM", "z", "a"], ["ZPOPMIN", "z"], ["ZRANGEBYSCORE", "z", "-inf", "+inf"], ["ZCARD", "z"], ["BZPOPMAX", "z", "0.01"],
  ["MULTI"], ["EXEC"], ["DISCARD"], ["WATCH", "k"], ["UNWATCH"], ["SELECT", "3"], ["SELECT", "0"], ["SUBSCRIBE", "ch"],
  ["PSUBSCRIBE", "c*"], ["UNSUBSCRIBE"], ["PUBLISH", "ch", "msg"], ["HELLO", "3"], ["HELLO", "2"], ["CLIENT", "SETNAME", "fuzz"],
  ["CLIENT", "GETNAME"], ["CLIENT", "ID"], ["INFO", "server"], ["COMMAND", "COUNT"], ["COMMAND", "INFO", "get"], ["TIME"],
  ["OBJECT", "ENCODING", "k"], ["RESET"], ["QUIT"], ["NOSUCHCOMMAND", "x"],
];

/** RESP multibulk encoding of a command. */
export function encodeMultibulk(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${arg.length}\r\n${arg}\r\n`;
  return out;
}

/** Inline encoding, every argument double-quoted with non-alphanumerics as \xHH, so any bytes survive. */
export function encodeInline(args: readonly string[]): string {
  const quoted = args.map((arg) => '"' + arg.replace(/[^A-Za-z0-9]/g, (c) => "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0")) + '"');
  return quoted.join(" ") + "\r\n";
}

const HOSTILE_LENGTHS = [
  "-1", "-2", "-2147483648", "0", "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
  "99999999999999999999999", "536870912", "536870913", "1e3", "0x10", " 5", "5 ", "+5", "", "-", "--1", "00", "01", "1.5", "\x00",
];

/** A random, mostly malformed, RESP frame up to `depth` levels deep. */
function hostileFrame(rng: FuzzRandom, depth: number): string {
  const roll = rng.int(10);
  const ending = rng.chance(0.85) ? "\r\n" : rng.pick(["\n", "\r", "", "\n\r", "\r\r\n"]);
  if (roll < 3 && depth > 0) {
    const declared = rng.chance(0.5) ? String(rng.int(6)) : rng.pick(HOSTILE_LENGTHS);
    let frame = `${rng.pick(["*", "*", "*", "%", "~", ">"])}${declared}${ending}`;
    const elements = rng.int(5);
    for (let i = 0; i < elements; i++) frame += hostileFrame(rng, depth - 1);
    return frame;
  }
  if (roll < 7) {
    const body = rng.bytes(rng.length(64));
    const declared = rng.chance(0.5) ? String(body.length + rng.between(-2, 2)) : rng.pick(HOSTILE_LENGTHS);
    return `$${declared}${ending}${body}${rng.chance(0.8) ? "\r\n" : rng.protocolish(2)}`;
  }
  if (roll < 9) return `${rng.pick([":", "+", "-", "_", ",", "#", "(", "!", "="])}${rng.protocolish(rng.length(12))}${ending}`;
  return rng.protocolish(rng.length(32));
}

/** A valid command, then a few byte-level mutations of its encoding. */
function mutatedCommand(rng: FuzzRandom): string {
  const args = rng.pick(SAFE_COMMANDS);
  let text = rng.chance(0.8) ? encodeMultibulk(args) : encodeInline(args);
  const mutations = rng.between(1, 3);
  for (let i = 0; i < mutations; i++) {
    const at = rng.int(text.length + 1);
    switch (rng.int(7)) {
      case 0: // truncate
        text = text.slice(0, at);
        break;
      case 1: // flip a byte
        text = text.slice(0, at) + String.fromCharCode(rng.int(256)) + text.slice(at + 1);
        break;
      case 2: // insert junk
        text = text.slice(0, at) + rng.protocolish(rng.length(16)) + text.slice(at);
        break;
      case 3: // a hostile length in place of the first length found after `at`
        text = text.slice(0, at) + text.slice(at).replace(/([*$])(-?\d+)/, (_, marker: string) => marker + rng.pick(HOSTILE_LENGTHS));
        break;
      case 4: // drop a CRLF
        text = text.slice(0, at) + text.slice(at).replace("\r\n", rng.pick(["", "\n", "\r"]));
        break;
      case 5: // repeat a slice
        text = text.slice(0, at) + text.slice(rng.int(at + 1), at) + text.slice(at);
        break;
      default: // a bigger declared count than elements sent
        text = text.replace(/^\*(\d+)/, (_, count: string) => "*" + (Number(count) + rng.between(1, 3)));
    }
  }
  return text;
}

/** Splits input into the chunks it is written in: whole, a few pieces, or (for small input) byte by byte. */
function split(rng: FuzzRandom, input: string): string[] {
  if (input.length === 0) return [input];
  if (input.length <= 300 && rng.chance(0.05)) return [...input];
  const pieces = rng.between(1, Math.min(8, input.length));
  const cuts = new Set<number>();
  while (cuts.size < pieces - 1) cuts.add(rng.between(1, input.length - 1));
  const sorted = [0, ...[...cuts].sort((a, b) => a - b), input.length];
  return sorted.slice(1).map((end, i) => input.slice(sorted[i], end));
}

/**
 * Commands whose replies a simple model predicts exactly (strings only, on
 * keys private to the case), sent multibulk or inline with arbitrary bytes
 * in keys and values, split anywhere: decoder reassembly must not matter.
 */
function modelPipeline(rng: FuzzRandom, seed: number, caseNumber: number): FuzzCase {
  const model = new Map<string, string>();
  const keys = [0, 1, 2].map((i) => `fuzz-model-${seed}-${caseNumber}-${i}${i === 2 ? "\r\n\x00\xff \"'" : ""}`);
  const value = () => (rng.chance(0.03) ? rng.bytes(rng.between(65 * 1024, 300 * 1024)) : rng.bytes(rng.length(80)));
  const bulk = (text: string) => `$${text.length}\r\n${text}\r\n`;
  let input = "";
  let expected = "";
  const commands = rng.between(1, 30);
  for (let i = 0; i < commands; i++) {
    const key = rng.pick(keys);
    let args: string[];
    let reply: string;
    switch (rng.int(8)) {
      case 0: {
        const message = rng.chance(0.5) ? undefined : value();
        args = message === undefined ? ["PING"] : ["PING", message];
        reply = message === undefined ? "+PONG\r\n" : bulk(message);
        break;
      }
      case 1: {
        const message = value();
        args = ["ECHO", message];
        reply = bulk(message);
        break;
      }
      case 2: {
        const v = value();
        args = ["SET", key, v];
        model.set(key, v);
        reply = "+OK\r\n";
        break;
      }
      case 3: {
        args = ["GET", key];
        const v = model.get(key);
        reply = v === undefined ? "$-1\r\n" : bulk(v);
        break;
      }
      case 4: {
        const other = rng.pick(keys);
        args = ["DEL", key, other];
        const deleted = (model.delete(key) ? 1 : 0) + (model.delete(other) ? 1 : 0);
        reply = `:${deleted}\r\n`;
        break;
      }
      case 5: {
        const other = rng.pick(keys);
        args = ["EXISTS", key, other];
        reply = `:${(model.has(key) ? 1 : 0) + (model.has(other) ? 1 : 0)}\r\n`;
        break;
      }
      case 6: {
        const v = value();
        args = ["APPEND", key, v];
        model.set(key, (model.get(key) ?? "") + v);
        reply = `:${model.get(key)!.length}\r\n`;
        break;
      }
      default:
        args = ["STRLEN", key];
        reply = `:${model.get(key)?.length ?? 0}\r\n`;
    }
    const inline = encodeInline(args);
    input += rng.chance(0.3) && inline.length < 60 * 1024 ? inline : encodeMultibulk(args);
    expected += reply;
  }
  return { kind: "model", chunks: split(rng, input), expected };
}

/** The case numbered `caseNumber` of the run seeded `seed`. */
export function fuzzCase(seed: number, caseNumber: number): FuzzCase {
  const rng = FuzzRandom.forCase(seed, caseNumber);
  const roll = rng.int(100);
  if (roll < 15) {
    const lead = rng.chance(0.5) ? rng.pick(["*", "$", "*1\r\n$", "*3\r\n", "\r\n", ""]) : "";
    return { kind: "random bytes", chunks: split(rng, lead + rng.bytes(rng.length(8192))) };
  }
  if (roll < 40) {
    let input = "";
    const frames = rng.between(1, 6);
    for (let i = 0; i < frames; i++) input += hostileFrame(rng, 3);
    return { kind: "hostile RESP", chunks: split(rng, input) };
  }
  if (roll < 60) return { kind: "mutated command", chunks: split(rng, mutatedCommand(rng)) };
  if (roll < 80) {
    let input = "";
    const commands = rng.between(2, 20);
    for (let i = 0; i < commands; i++) {
      const r = rng.int(10);
      if (r < 6) input += encodeMultibulk(rng.pick(SAFE_COMMANDS));
      else if (r < 8) input += encodeInline(rng.pick(SAFE_COMMANDS));
      else input += rng.chance(0.5) ? mutatedCommand(rng) : hostileFrame(rng, 2);
    }
    return { kind: "mixed pipeline", chunks: split(rng, input) };
  }
  if (roll < 83) {
    // A declared bulk far larger than what follows: the server must wait without allocating it.
    const declared = rng.pick(["536870912", "400000000", "100000000", "1048576"]);
    return { kind: "huge declared bulk", chunks: split(rng, `*2\r\n$3\r\nSET\r\n$${declared}\r\n${rng.bytes(rng.length(200_000))}`) };
  }
  return modelPipeline(rng, seed, caseNumber);
}

/** What a server wrote, checked as a stream of RESP2/RESP3 replies. */
export interface ReplyStream {
  replies: string[];
  /** Bytes after the last complete reply (an unfinished reply). */
  rest: string;
  /** Why the stream is not valid RESP, when it is not. */
  problem?: string;
}

/** Splits server output into replies, checking every frame is well-formed RESP. */
export function checkReplies(text: string): ReplyStream {
  const replies: string[] = [];
  let position = 0;
  while (position < text.length) {
    const end = frameEnd(text, position);
    if (typeof end === "string") return { replies, rest: text.slice(position), problem: `${end} at byte ${position}` };
    if (end < 0) break;
    replies.push(text.slice(position, end));
    position = end;
  }
  return { replies, rest: text.slice(position) };
}

/** End of the frame at `start`, -1 when incomplete, or a description of what is malformed. */
function frameEnd(text: string, start: number): number | string {
  const lineEnd = text.indexOf("\r\n", start);
  if (lineEnd < 0) return text.length - start > 1024 * 1024 ? "header without CRLF" : -1;
  const type = text[start]!;
  const header = text.slice(start + 1, lineEnd);
  const next = lineEnd + 2;
  if (header.includes("\n") || header.includes("\r")) return `bare CR or LF in a '${type}' line`;
  const isCount = /^(0|[1-9]\d*)$/.test(header);
  switch (type) {
    case "+":
    case "-":
      return next;
    case ":":
      return /^-?(0|[1-9]\d*)$/.test(header) ? next : `bad integer '${header}'`;
    case "(":
      return /^-?(0|[1-9]\d*)$/.test(header) ? next : `bad big number '${header}'`;
    case ",":
      return /^(-?inf|nan|-?\d+(\.\d+)?(e[-+]?\d+)?)$/.test(header) ? next : `bad double '${header}'`;
    case "#":
      return header === "t" || header === "f" ? next : `bad boolean '${header}'`;
    case "_":
      return header === "" ? next : `bad null '${header}'`;
    case "$":
    case "=":
    case "!": {
      if (type === "$" && header === "-1") return next;
      if (!isCount) return `bad length '${header}' for '${type}'`;
      const end = next + Number(header);
      if (text.length < end + 2) return -1;
      return text.slice(end, end + 2) === "\r\n" ? end + 2 : `'${type}' payload not followed by CRLF`;
    }
    case "*":
    case "~":
    case ">":
    case "%":
    case "|": {
      if (type === "*" && header === "-1") return next;
      if (!isCount) return `bad count '${header}' for '${type}'`;
      const count = Number(header) * (type === "%" || type === "|" ? 2 : 1);
      let position = next;
      for (let i = 0; i < count; i++) {
        const end = frameEnd(text, position);
        if (typeof end === "string" || end < 0) return end;
        position = end;
      }
      return position;
    }
    default:
      return `unknown reply type ${JSON.stringify(type)}`;
  }
}
