export { createNodeLogger, LogFileError, type NodeLogger } from "./logging.js";
export {
  nodeParameters,
  parseNodeArguments,
  readConfigFile,
  settingValue,
  usageText,
  UsageError,
  validateSettings,
  type NodeOptions,
  type Setting,
} from "./options.js";
export { formatAddress, ListenError, NodeRuntime, parseBind, type BindAddress } from "./runtime.js";
export { RUNTIME_PARAMETERS } from "./runtime-parameters.js";
export { NODE_BIN_PATH } from "./paths.js";
export { ClusterBus, type BusOptions } from "./bus.js";
export { ClusterDriver, writeFileAtomically, type ClusterDriverOptions, type ClusterEndpoint } from "./cluster-driver.js";
export { ControlClient, ControlError } from "./control-client.js";
export { CONTROL_PATH } from "./control-link.js";
export { FaultNetwork, LinkShaper } from "./fault-network.js";
