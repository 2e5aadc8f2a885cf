import { spawn, type ChildProcess } from "node:child_process";
import { NODE_BIN } from "./processes.js";

/** How a shardline-node process ended. */
export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Every process this module started, killed when the test process exits, even after a failure. */
const started = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of started) child.kill("SIGKILL");
});

/**
 * A shardline-node started with exactly the given arguments (config file
 * first, if any), for tests of the process itself: its exit status, its
 * signals, its log. `ready` resolves at the "Ready to accept connections"
 * log line, or rejects with everything it printed if it exits first.
 */
export class NodeProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<Exited>;
  readonly ready: Promise<void>;

  private constructor(readonly child: ChildProcess) {
    started.add(child);
    child.stdout!.on("data", (data) => (this.stdout += data));
    child.stderr!.on("data", (data) => (this.stderr += data));
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        started.delete(child);
        // Let the pipes drain what the process wrote last.
        setImmediate(() => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }));
      });
    });
    this.ready = new Promise((resolve, reject) => {
      const onData = () => {
        if (this.stdout.includes('"msg":"Ready to accept connections"')) {
          child.stdout!.off("data", onData);
          resolve();
        }
      };
      child.stdout!.on("data", onData);
      void this.exited.then((how) => reject(new Error(`shardline-node exited (${how.code ?? how.signal}) before it was ready:\n${how.stdout}${how.stderr}`)));
    });
    // A test that only looks at `exited` must not fail on the rejection above.
    this.ready.catch(() => {});
  }

  static start(args: string[]): NodeProcess {
    return new NodeProcess(spawn(process.execPath, [NODE_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] }));
  }

  /** Runs a node that is expected to exit by itself (bad options, port in use...), killing it after timeoutMs. */
  static async run(args: string[], timeoutMs = 10_000): Promise<Exited> {
    const node = NodeProcess.start(args);
    const timer = setTimeout(() => node.child.kill("SIGKILL"), timeoutMs);
    const exited = await node.exited;
    clearTimeout(timer);
    return exited;
  }

  /** The pino log lines printed to stdout so far, parsed. */
  logLines(): Record<string, unknown>[] {
    return parseLogLines(this.stdout);
  }

  /** Sends a signal and waits for the exit (SIGKILL after timeoutMs). */
  async signal(signal: NodeJS.Signals, timeoutMs = 5000): Promise<Exited> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const exited = await this.exited;
    clearTimeout(timer);
    return exited;
  }

  /** Stops the process whatever state it is in; for afterAll/finally. */
  async stop(): Promise<void> {
    await this.signal("SIGTERM");
  }
}

/** Parses JSON log lines, skipping anything else. */
export function parseLogLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
