export { down, isNodeProcess, LaunchError, readRunState, restartNode, up, type LaunchedNode, type RunState, type UpOptions } from "./local/launcher.js";
export { gatherStatus, renderStatus, type NodeStatus } from "./cluster/status.js";
export { gatherEvents, renderEvents, type MergedEvent } from "./cluster/events.js";
export { testFailover, type FailoverEvent, type TestFailoverResult } from "./cluster/test-failover.js";
export { loadTopology, TopologyFileError } from "./topology-file.js";
