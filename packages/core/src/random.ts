/**
 * A seeded pseudo-random source (sfc32). The core never calls Math.random:
 * every random choice (SPOP, eviction samples, RANDOMKEY, election jitter)
 * comes from a Random handed in, so a simulation replays from its seed.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.uint32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [0, bound), for bound up to 2**53. */
  int(bound: number): number {
    if (bound <= 4294967296) return Math.floor(this.float() * bound);
    return Math.floor((this.uint32() * 2097152 + (this.uint32() >>> 11)) / 9007199254740992 * bound);
  }

  /** A new independent stream derived from this one. */
  fork(): Random {
    return new Random(this.uint32());
  }

  /** `length` lowercase hex characters, for run ids and replication ids. */
  hex(length: number): string {
    let out = "";
    while (out.length < length) out += this.uint32().toString(16).padStart(8, "0");
    return out.slice(0, length);
  }
}
