import type { FaultRule } from "@shardline/core";
import type { WebSocket } from "ws";
import { dialBusPort, packFrame } from "./bus.js";
import { CONTROL_PATH } from "./control-link.js";

/** A control link that could not be opened or did not answer; the message says which node and what to check. */
export class ControlError extends Error {}

/** Control frames are small: a rule set of 64 rules of 1024 peers fits many times over. */
const CONTROL_FRAME_BYTES_MAX = 4 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 5000;

/**
 * A chaos runner's end of a node's control link (ws at CONTROL_PATH on the
 * bus port, authenticated with the cluster secret): it sets and clears the
 * node's network fault rules, and can freeze or end the node where no
 * signal can reach its process. One request at a time per link is enough
 * for a runner; each waits for its answer at most `timeoutMs`.
 */
export class ControlClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(frame: Record<string, unknown>): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  private closed = false;

  private constructor(
    private readonly socket: WebSocket,
    readonly address: string,
  ) {}

  static connect(host: string, busPort: number, secret: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<ControlClient> {
    const address = `${host}:${busPort}`;
    return new Promise((resolve, reject) => {
      let client: ControlClient | undefined;
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new ControlError(`no control link to ${address} within ${timeoutMs} ms: is the node up, and is that its cluster bus port?`));
      }, timeoutMs);
      const socket = dialBusPort(
        { ip: host, busPort, path: CONTROL_PATH, secret, frameBytesMax: CONTROL_FRAME_BYTES_MAX },
        {
          onReady: () => {
            clearTimeout(timer);
            client = new ControlClient(socket, address);
            resolve(client);
          },
          onFrame: (frame) => client?.answer(frame),
          onClose: () => {
            clearTimeout(timer);
            if (client === undefined) reject(new ControlError(`the control link to ${address} closed during its handshake: check the cluster secret (the topology's 'secret')`));
            else client.fail(new ControlError(`the control link to ${address} closed`));
          },
        },
      );
    });
  }

  setFaults(rules: readonly FaultRule[], ttlMs: number, timeoutMs = 2000): Promise<void> {
    return this.request({ type: "set-faults", rules, ttlMs }, timeoutMs).then(() => undefined);
  }

  clearFaults(timeoutMs = 2000): Promise<void> {
    return this.request({ type: "clear-faults" }, timeoutMs).then(() => undefined);
  }

  async getFaults(timeoutMs = 2000): Promise<FaultRule[]> {
    return (await this.request({ type: "get-faults" }, timeoutMs)).rules as FaultRule[];
  }

  /** Stops the node's event loop for `ms` (it answers first). */
  freeze(ms: number, timeoutMs = 2000): Promise<void> {
    return this.request({ type: "freeze", ms }, timeoutMs).then(() => undefined);
  }

  /** Ends the node's process with the signal (it answers first). */
  exit(signal: "SIGKILL" | "SIGTERM", timeoutMs = 2000): Promise<void> {
    return this.request({ type: "exit", signal }, timeoutMs).then(() => undefined);
  }

  close(): void {
    this.closed = true;
    this.socket.terminate();
    this.fail(new ControlError(`the control link to ${this.address} was closed`));
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  private request(frame: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
    if (!this.isOpen) return Promise.reject(new ControlError(`the control link to ${this.address} is closed`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ControlError(`${this.address} did not answer '${String(frame.type)}' within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.send(packFrame({ id, ...frame }));
    });
  }

  private answer(frame: Record<string, unknown>): void {
    const waiting = typeof frame.id === "number" ? this.pending.get(frame.id) : undefined;
    if (waiting === undefined) return;
    this.pending.delete(frame.id as number);
    clearTimeout(waiting.timer);
    if (frame.type === "ok") waiting.resolve(frame);
    else waiting.reject(new ControlError(`${this.address} refused the request: ${String(frame.message)}`));
  }

  private fail(error: Error): void {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
      this.pending.delete(id);
    }
  }
}
