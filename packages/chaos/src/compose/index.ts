export { NODE_ADDRESS_OFFSET, planNetwork, SubnetError, type NetworkPlan } from "./addresses.js";
export {
  COMPOSE_IMAGE,
  composeDocument,
  composeFile,
  escapeInterpolation,
  DEFAULT_COMPOSE_OPTIONS,
  DEFAULT_SUBNET,
  INIT_SERVICE,
  NETWORK_NAME,
  nodeCommand,
  nodeEntrypoint,
  restartDelayMs,
  RUNNER_PROFILE,
  RUNNER_SCENARIO,
  RUNNER_SERVICE,
  type ComposeOptions,
} from "./compose-file.js";
export { composeCommand, DEFAULT_COMPOSE_OUTPUT, formCommand, type CommandOutput, type ComposeCommandOptions, type FormCommandOptions } from "./commands.js";
export { CLI_IN_IMAGE, HEALTH_CHECK_IN_IMAGE, IMAGE_WORKDIR, NODE_BINARY_IN_IMAGE, REPOSITORY_ROOT } from "./paths.js";
