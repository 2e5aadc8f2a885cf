import type { Topology } from "@shardline/core";

/** A node of the cluster under test, as the runner names and reaches it. */
export interface BackendNode {
  /** ElastiCache-style name (default-0001-002): what reports and targets say. */
  name: string;
  shard: number;
  availabilityZone: string;
  initialRole: "primary" | "replica";
  /** Where the runner reaches its client port and its bus port (for the control link). */
  host: string;
  port: number;
  busPort: number;
}

/** A fault this backend cannot cause. The run reports it as such; it never skips one silently. */
export class UnsupportedFault extends Error {}

/** A fault the backend could cause but that went wrong this time (the node was not running, it would not stop...). */
export class FaultFailed extends Error {}

/** The cluster could not be started or found; the run cannot decide anything (exit status 2). */
export class BackendError extends Error {}

/**
 * Where a scenario's cluster runs and how its processes are reached: local
 * processes the runner starts (LocalBackend), or a cluster already running
 * that it attaches to, docker compose's for one (AttachBackend). Network
 * faults never go through here: every node plays them itself, over its
 * control link, whichever backend runs it.
 */
export interface Backend {
  readonly kind: "local" | "attach";
  readonly topology: Topology;
  nodes(): readonly BackendNode[];
  /** Startup nodes for cluster clients. */
  seeds(): { host: string; port: number }[];
  /**
   * ioredis natMap, when the addresses nodes announce are not the ones the
   * runner reaches them at; undefined when they are the same.
   */
  natMap(): Record<string, { host: string; port: number }> | undefined;
  kill(name: string): Promise<void>;
  /** A graceful stop (SIGTERM), waited for. */
  stop(name: string): Promise<void>;
  /** SIGSTOP; `resumeAfterMs` is when the scenario resumes it (a backend that freezes instead of signalling needs it). */
  pause(name: string, resumeAfterMs: number | undefined): Promise<void>;
  resume(name: string): Promise<void>;
  /**
   * Starts a killed or stopped node again, with its identity; resolves once
   * it answers, with a note when it did something else than start it (an
   * attached cluster's node is waited for, not started).
   */
  restart(name: string): Promise<string | void>;
  /** Whether the node's process runs; undefined when the backend cannot tell. */
  isRunning(name: string): boolean | undefined;
  isPaused(name: string): boolean;
  /** Starts a blank node meant to join `shard` as a replica, in `zone`; joining it is the runner's. */
  startNewNode(shard: number, zone: string): Promise<BackendNode>;
  /** Stops a node for good and forgets it (after CLUSTER FORGET everywhere). */
  removeNode(name: string): Promise<void>;
  /** Every process up again: paused ones resumed, dead ones restarted. Says what it did. */
  recoverAll(): Promise<string[]>;
  /** The end of the run: a local cluster is stopped (unless kept); an attached one is left as it is. */
  close(): Promise<void>;
}
