import type { CommandSpec } from "./spec.js";

export const PUBSUB_COMMANDS: CommandSpec[] = [];
