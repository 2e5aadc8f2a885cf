/**
 * An invariant the code relies on did not hold: a programmer error, never an
 * operating error. Operating errors (a client sent garbage, a peer timed out)
 * are values that are handled, not assertions.
 */
export class InvariantError extends Error {
  override name = "InvariantError";
}

export function assert(condition: unknown, why: string): asserts condition {
  if (!condition) throw new InvariantError(why);
}
