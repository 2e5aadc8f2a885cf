export { describeValue, FieldError, formatPath, formatPlace, ScenarioError, type Path } from "./errors.js";
export { loadScenario, parseScenario, SCENARIO_FIELDS, type ParseScenarioOptions } from "./load.js";
export { DEFAULT_CHAOS, DEFAULT_SCENARIO_TIMES, DEFAULT_WAIT, DEFAULT_WORKLOAD, SCENARIO_LIMITS } from "./limits.js";
export { TARGET_FORMS, readTarget, type TopologyFacts } from "./targets.js";
export { topologyFacts } from "./topology.js";
export { closestName, formatDurationMs, parseDuration, parseRate } from "./values.js";
