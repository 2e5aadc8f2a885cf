// The local launcher and the cluster views behind `shardline up`, `status`, `failover`.
export { addNode, down, isNodeProcess, LaunchError, readRunState, removeNode, restartNode, signalNode, up, type LaunchedNode, type RunState, type UpOptions } from "./local/launcher.js";
export { nodeArguments, type NodeFiles } from "./local/node-arguments.js";
export { ClusterFormError, formCluster, formTopology, inspectFormation, waitUntilOk, type FormableNode, type Formation, type FormTopologyOptions } from "./cluster/form.js";
export { renderStatus, type NodeStatus } from "./cluster/status.js";
export { gatherStatus } from "./local/status.js";
export { mergeEvents, parseEventReports, renderEvents, type EventReport, type MergedEvent } from "./cluster/events.js";
export { gatherEvents } from "./local/events.js";
export { testFailover, TestFailoverError, type FailoverEvent, type FailoverNode, type TestFailoverResult } from "./cluster/test-failover.js";
export { loadTopology, parseTopology, TopologyFileError } from "./topology-file.js";

// The chaos scenario runner.
export type * from "./model/scenario.js";
export type * from "./model/observations.js";
export type * from "./model/report.js";
export { pairOperations, type CompleteEntry, type ErrorKind, type FaultEntry, type HistoryEntry, type InvokeEntry, type Operation, type OperationKind, type Outcome } from "./model/history.js";
export { classifyError, type ClassifiedError } from "./model/classify.js";
export * from "./scenario/index.js";
export * from "./workload/index.js";
export { judge, runChecks, type CheckOptions } from "./check/index.js";
export { buildTimeline, progressLine, renderHtml, renderSummary, reportFiles, writeReportFiles } from "./report/index.js";
export { AttachBackend } from "./backends/attach.js";
export { BackendError, FaultFailed, UnsupportedFault, type Backend, type BackendNode } from "./backends/backend.js";
export { LocalBackend, type LocalBackendOptions } from "./backends/local.js";
export { planSteps, chaosSteps } from "./run/plan.js";
export { waitForConvergence, type ConvergenceCheck } from "./run/converge.js";
export { runScenario, type RunOptions, type RunResult } from "./run/runner.js";
export { RunFlagError, runScenarioFile, type RunFileFlags, type RunFileOutput } from "./run/run-file.js";

// docker compose, generated from the topology.
export * from "./compose/index.js";
