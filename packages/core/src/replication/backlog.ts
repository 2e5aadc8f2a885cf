import { assert } from "../assert.js";

/**
 * The replication stream as Redis numbers it: every command a primary
 * propagates is appended as RESP bytes, and a dataset's position is the count
 * of bytes so far (master_repl_offset). The stream is kept as one-byte
 * (latin1) strings, the representation of every key and value here.
 */
export function encodeCommand(args: readonly string[]): string {
  let out = "*" + args.length + "\r\n";
  for (const arg of args) out += "$" + arg.length + "\r\n" + arg + "\r\n";
  return out;
}

/**
 * The replication backlog (`repl-backlog-size`): the last `capacityBytes` of
 * the stream, so a replica that reconnects can resume (partial resync) when
 * everything after its offset is still here. Chunks are kept whole as
 * appended and trimmed from the front once the total passes the capacity by
 * a whole chunk; the retained history may exceed the capacity by at most
 * one chunk, and never falls below it while the stream is longer.
 */
export class ReplicationBacklog {
  private chunks: string[] = [];
  private head = 0;
  /** Stream offset of the first byte held (0-based). */
  private startOffset: number;
  private heldBytes = 0;

  constructor(
    private capacityBytes: number,
    /** The stream offset the backlog starts at (the dataset's offset when it was created). */
    endOffset: number,
  ) {
    assert(capacityBytes > 0, "a backlog holds at least one byte");
    this.startOffset = endOffset;
  }

  /** The offset after the last byte held: the primary's master_repl_offset. */
  get endOffset(): number {
    return this.startOffset + this.heldBytes;
  }

  /** Offset of the first byte held, 1-based as INFO's repl_backlog_first_byte_offset shows it. */
  get firstByteOffset(): number {
    return this.startOffset + 1;
  }

  /** Bytes held (INFO repl_backlog_histlen). */
  get historyBytes(): number {
    return this.heldBytes;
  }

  get capacity(): number {
    return this.capacityBytes;
  }

  append(data: string): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.heldBytes += data.length;
    this.trim();
  }

  /** `repl-backlog-size` changed at run time. */
  resize(capacityBytes: number): void {
    assert(capacityBytes > 0, "a backlog holds at least one byte");
    this.capacityBytes = capacityBytes;
    this.trim();
  }

  /** Whether a replica at `offset` can continue from here (partial resync). */
  covers(offset: number): boolean {
    return offset >= this.startOffset && offset <= this.endOffset;
  }

  /** The stream from `offset` to the end; the caller checked covers(offset). */
  since(offset: number): string {
    assert(this.covers(offset), "the backlog covers the requested offset");
    let position = this.startOffset;
    const parts: string[] = [];
    for (let i = this.head; i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      const end = position + chunk.length;
      if (end > offset) parts.push(offset > position ? chunk.slice(offset - position) : chunk);
      position = end;
    }
    return parts.join("");
  }

  private trim(): void {
    while (this.head < this.chunks.length - 1 && this.heldBytes - this.chunks[this.head]!.length >= this.capacityBytes) {
      const dropped = this.chunks[this.head]!;
      this.chunks[this.head] = "";
      this.head++;
      this.heldBytes -= dropped.length;
      this.startOffset += dropped.length;
    }
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
