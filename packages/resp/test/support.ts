import { ProtocolError, RequestDecoder, type ProtocolLimits } from "../src/index.js";

/** What a decoder made of some input: the commands it returned, then how it stopped. */
export interface Decoded {
  commands: string[][];
  /** The protocol error's reason, when framing was lost. */
  error?: string;
}

/** Encodes arguments as a RESP multibulk, as clients send commands (one byte per char). */
export function encodeCommand(args: readonly string[]): string {
  let out = "*" + args.length + "\r\n";
  for (const arg of args) out += "$" + arg.length + "\r\n" + arg + "\r\n";
  return out;
}

export function latin1(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/** Pushes each chunk and pulls every command it completes, the way the engine drives a decoder. */
export function decodeChunks(chunks: readonly Buffer[], decoder = new RequestDecoder()): Decoded {
  const commands: string[][] = [];
  try {
    for (const chunk of chunks) {
      decoder.push(chunk);
      for (let command = decoder.next(); command !== undefined; command = decoder.next()) commands.push(command);
    }
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return { commands, error: error.reason };
  }
  return { commands };
}

/** Decodes `input` (latin1 text) delivered as one chunk. */
export function decode(input: string, decoder?: RequestDecoder): Decoded {
  return decodeChunks([latin1(input)], decoder);
}

/** Splits `bytes` at the given offsets (sorted, within bounds). */
export function splitAt(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  for (const offset of offsets) {
    chunks.push(bytes.subarray(start, offset));
    start = offset;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

/** Every single-byte chunk of `bytes`. */
export function bytewise(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let index = 0; index < bytes.length; index++) chunks.push(bytes.subarray(index, index + 1));
  return chunks;
}

export function decoderWith(limits: Partial<ProtocolLimits>): RequestDecoder {
  const decoder = new RequestDecoder();
  decoder.limits = { ...decoder.limits, ...limits };
  return decoder;
}
