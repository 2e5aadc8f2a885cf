import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadDataset, savePoints, takeDataset, type LogSink, type PersistedDataset } from "@shardline/core";
import { Packr } from "msgpackr";
import { writeFileAtomically } from "./cluster-driver.js";
import type { NodeRuntime } from "./runtime.js";

const packr = new Packr({ useRecords: false, moreTypes: false });
/** How often save points are checked (Redis checks in serverCron). */
const CHECK_INTERVAL_MS = 1000;

/**
 * Snapshots of a node's dataset on disk, at Redis's `save` points, in
 * shardline's own format (msgpack: keys, values, expiries and the dataset's
 * replication id and offset). Loaded at start-up, so a restarted replica
 * continues from its saved offset with a partial resync when its primary's
 * backlog still holds it. The snapshot is taken synchronously, which pauses
 * the node for a large dataset (Redis forks instead): nothing else runs
 * between the keys and the offset, so they agree.
 */
export class SnapshotFiles {
  private timer: NodeJS.Timeout | undefined;
  private lastSaveMs = Date.now();
  private changesAtSave: number;

  constructor(
    private readonly runtime: NodeRuntime,
    readonly path: string,
    private readonly log: LogSink,
  ) {
    this.changesAtSave = runtime.engine.ledger.changes;
  }

  static forRuntime(runtime: NodeRuntime, log: LogSink): SnapshotFiles {
    const config = runtime.engine.config;
    return new SnapshotFiles(runtime, resolve(config.get("dir"), config.get("snapshot-file")), log);
  }

  /** Loads the snapshot file, if there is one; returns the keys loaded. Throws with the file's name when it is unreadable. */
  loadAtStartup(): number {
    if (!existsSync(this.path)) return 0;
    let dataset: PersistedDataset;
    try {
      dataset = packr.unpack(readFileSync(this.path)) as PersistedDataset;
    } catch (error) {
      throw new Error(`cannot read the snapshot file ${this.path}: ${(error as Error).message}. Move it away to start empty.`);
    }
    const keys = loadDataset(this.runtime.engine, dataset);
    this.changesAtSave = this.runtime.engine.ledger.changes;
    this.log("info", "dataset loaded from the snapshot file", { path: this.path, keys, offset: dataset.offset });
    return keys;
  }

  /** Checks the save points once a second from now on. */
  start(): void {
    this.timer = setInterval(() => this.saveIfDue(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops checking; with save points configured, saves one last time (Redis saves on SIGTERM too). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (savePoints(this.runtime.engine.config).length > 0) this.save();
  }

  private saveIfDue(): void {
    const changes = this.runtime.engine.ledger.changes - this.changesAtSave;
    const elapsedSeconds = (Date.now() - this.lastSaveMs) / 1000;
    for (const [seconds, needed] of savePoints(this.runtime.engine.config)) {
      if (elapsedSeconds >= seconds && changes >= needed) {
        this.save();
        return;
      }
    }
  }

  save(): void {
    const startedMs = Date.now();
    const dataset = takeDataset(this.runtime.engine);
    try {
      writeFileAtomically(this.path, packr.pack(dataset));
    } catch (error) {
      this.log("warn", "could not write the snapshot file", { path: this.path, error: (error as Error).message });
      return;
    }
    this.lastSaveMs = Date.now();
    this.changesAtSave = this.runtime.engine.ledger.changes;
    this.log("info", "dataset saved", { path: this.path, keys: dataset.entries.length, offset: dataset.offset, ms: this.lastSaveMs - startedMs });
  }
}
