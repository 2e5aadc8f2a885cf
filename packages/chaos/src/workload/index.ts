export { type ClusterClientAdapter, type ClusterClientFactory, type ClusterClientOptions, type NatMap, type SeedAddress, type WaitOutcome } from "./adapter.js";
export { REAL_TIMERS, wallClockMs, type Timers } from "./clock.js";
export { FinalValuesError, readFinalValues, touchedKeys, type FinalValuesOptions } from "./final-values.js";
export { createIoredisAdapter } from "./ioredis-adapter.js";
export { createNodeRedisAdapter } from "./node-redis-adapter.js";
export { counterKey, OperationPlanner, registerKey, type PlannedOperation } from "./operations.js";
export { HISTORY_ENTRIES_MAX, HistoryRecorder, type HistoryCounters } from "./recorder.js";
export { OpenLoopSchedule, SCHEDULE_LAG_MAX_MS } from "./schedule.js";
export { CLIENT_TIMEOUT_GRACE_MS, CONNECT_TIMEOUT_MS, STOP_MARGIN_MS, Workload, WorkloadError, type WorkloadOptions, type WorkloadProgress } from "./workload.js";
