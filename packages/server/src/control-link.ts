import { FaultRuleError, type LogSink, type NetworkFaults } from "@shardline/core";
import type { WebSocket } from "ws";
import type { ClusterBus } from "./bus.js";
import type { FaultNetwork } from "./fault-network.js";

/** The path a chaos runner's control links take on a node's bus port (authenticated with the cluster secret, like the bus). */
export const CONTROL_PATH = "/control";

/** How long rules may stay in force without being renewed: a runner that dies must not leave a node cut off for good. */
const RULES_TTL_MS_MAX = 24 * 60 * 60 * 1000;
/** The longest freeze a runner may ask for (a pause it cannot send SIGSTOP for, as in a container). */
const FREEZE_MS_MAX = 60_000;

/**
 * Requests a runner sends on a control link, each with an `id` its answer
 * carries back:
 *   { type: "set-faults", rules, ttlMs? }  replace this node's network fault rules (cleared after ttlMs)
 *   { type: "clear-faults" }               heal this node's links
 *   { type: "get-faults" }                 the rules in force
 *   { type: "freeze", ms }                 stop the event loop for ms (SIGSTOP where no signal can be sent)
 *   { type: "exit", signal }               SIGKILL or SIGTERM this process (kill or stop from a container runner)
 * Answers: { id, type: "ok", rules } or { id, type: "error", message }.
 */
export class ControlLinks {
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    private readonly faults: NetworkFaults,
    private readonly network: FaultNetwork,
    private readonly bus: ClusterBus,
    private readonly notify: () => void,
    private readonly log: LogSink,
  ) {}

  accept(socket: WebSocket, remoteIp: string): true {
    this.log("info", "chaos control link accepted", { remoteIp });
    socket.on("message", (data) => {
      const frame = this.bus.decode(data as Buffer);
      if (frame === undefined) {
        socket.terminate();
        return;
      }
      this.handle(socket, frame, remoteIp);
    });
    return true;
  }

  close(): void {
    if (this.expiry !== undefined) clearTimeout(this.expiry);
  }

  private handle(socket: WebSocket, frame: Record<string, unknown>, remoteIp: string): void {
    const id = frame.id;
    const answer = (reply: Record<string, unknown>, then?: () => void) => socket.send(this.bus.pack({ id, ...reply }), () => then?.());
    try {
      switch (frame.type) {
        case "set-faults":
          this.setRules(frame.rules, frame.ttlMs, remoteIp);
          return answer({ type: "ok", rules: this.faults.rules });
        case "clear-faults":
          this.setRules([], undefined, remoteIp);
          return answer({ type: "ok", rules: [] });
        case "get-faults":
          return answer({ type: "ok", rules: this.faults.rules });
        case "freeze": {
          const ms = boundedMs(frame.ms, "ms", FREEZE_MS_MAX);
          this.log("warn", "freezing the event loop at a chaos runner's request", { ms, remoteIp });
          // Answer first: the freeze starts once the answer has left.
          return answer({ type: "ok", rules: this.faults.rules }, () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms));
        }
        case "exit": {
          const signal = frame.signal === "SIGKILL" || frame.signal === "SIGTERM" ? frame.signal : undefined;
          if (signal === undefined) throw new FaultRuleError("signal: must be SIGKILL or SIGTERM");
          this.log("warn", `exiting with ${signal} at a chaos runner's request`, { remoteIp });
          return answer({ type: "ok", rules: this.faults.rules }, () => process.kill(process.pid, signal));
        }
        default:
          throw new FaultRuleError(`type: unknown request '${String(frame.type)}'; allowed: set-faults, clear-faults, get-faults, freeze, exit`);
      }
    } catch (error) {
      if (!(error instanceof FaultRuleError)) throw error;
      answer({ type: "error", message: error.message });
    }
  }

  private setRules(rules: unknown, ttl: unknown, remoteIp: string): void {
    const ttlMs = ttl === undefined ? RULES_TTL_MS_MAX : boundedMs(ttl, "ttlMs", RULES_TTL_MS_MAX);
    this.faults.set(rules);
    if (this.expiry !== undefined) clearTimeout(this.expiry);
    this.expiry = undefined;
    if (this.faults.active) {
      this.expiry = setTimeout(() => {
        this.log("warn", "network faults expired: the chaos runner did not renew them", { ttlMs });
        this.faults.clear();
        this.applied();
      }, ttlMs);
      this.expiry.unref();
    }
    this.log("warn", this.faults.active ? "network faults set by a chaos runner" : "network faults healed by a chaos runner", {
      remoteIp,
      rules: this.faults.rules.map((rule) => `${rule.id}: ${rule.action.kind} ${rule.direction} ${rule.channels.join(",")} peers ${rule.peers === "*" ? "*" : rule.peers.length}`),
    });
    this.applied();
  }

  private applied(): void {
    this.network.rulesChanged();
    this.notify();
  }
}

function boundedMs(value: unknown, field: string, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > max) throw new FaultRuleError(`${field}: must be a number of ms from 0 to ${max}`);
  return value;
}
