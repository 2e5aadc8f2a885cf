import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The core is sans-IO (DESIGN.md, principle 1): it takes time and randomness
 * as inputs and never does I/O, so the simulator can run it. This test fails
 * when a file under packages/core/src imports node built-ins, ws or timers,
 * or reads the clock, Math.random, timers or process directly.
 */
const root = new URL("../src/", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const FORBIDDEN: [RegExp, string][] = [
  [/from\s+["'](node:[^"']+|fs|net|os|path|child_process|timers|worker_threads|dgram|http|https|crypto)["']/, "imports a Node built-in"],
  [/from\s+["'](ws|msgpackr|pino|ioredis)["']/, "imports an I/O library"],
  [/\bimport\s*\(/, "uses a dynamic import"],
  [/\bDate\.now\s*\(/, "reads Date.now"],
  [/\bnew\s+Date\s*\(\s*\)/, "reads the wall clock with new Date()"],
  [/\bperformance\.now\s*\(/, "reads performance.now"],
  [/\bMath\.random\s*\(/, "reads Math.random"],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/, "sets a timer"],
  [/\bprocess\s*\./, "reads process"],
];

/** Comments are prose: a comment may name what the code must not do. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'])\/\/.*$/gm, "$1");
}

describe("packages/core is sans-IO", () => {
  const files = sourceFiles(root);

  it("has source files to check", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const file of files) {
    it(`${relative(root, file)} does no I/O and reads no clock or randomness`, () => {
      const code = stripComments(readFileSync(file, "utf8"));
      const problems = FORBIDDEN.filter(([pattern]) => pattern.test(code)).map(([, why]) => why);
      expect(problems).toEqual([]);
    });
  }
});
