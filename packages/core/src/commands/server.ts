import type { CommandSpec } from "./spec.js";

export const SERVER_COMMANDS: CommandSpec[] = [];
