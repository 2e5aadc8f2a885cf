/**
 * Resolves once `check` holds, polling every 100 ms; a check that throws
 * counts as not yet (a node that does not answer yet). Rejects naming what
 * it waited for after `timeoutMs`.
 */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // Not there yet.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
