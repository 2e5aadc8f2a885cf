export { down, isNodeProcess, LaunchError, readRunState, restartNode, up, type LaunchedNode, type RunState, type UpOptions } from "./launcher.js";
export { gatherStatus, renderStatus, type NodeStatus } from "./status.js";
export { loadTopology, TopologyFileError } from "./topology-file.js";
export { gatherEvents, renderEvents, type MergedEvent } from "./events.js";
export { testFailover, type FailoverEvent, type TestFailoverResult } from "./test-failover.js";
