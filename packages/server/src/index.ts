export { NodeRuntime } from "./runtime.js";
export { parseNodeArguments, readConfigFile, UsageError, type NodeOptions } from "./options.js";
