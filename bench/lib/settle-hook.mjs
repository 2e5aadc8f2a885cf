// Preloaded into the shardline-node whose memory the bench measures
// (`node --expose-gc --import <this file> bin.js`). On SIGUSR2 it runs full
// garbage collections and prints the process's memory figures on stderr, so
// the bench reads memory once garbage is gone instead of whenever V8 last
// happened to collect. It changes nothing else in the node.
import { writeSync } from "node:fs";

let settleCount = 0;

process.on("SIGUSR2", () => {
  // Two passes: objects that only became unreachable when the first pass ran
  // finalizers or cleared weak references are freed by the second.
  globalThis.gc();
  globalThis.gc();
  settleCount++;
  writeSync(2, `shardline-bench-settled ${settleCount} ${JSON.stringify(process.memoryUsage())}\n`);
});
