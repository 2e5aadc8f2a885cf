import type { CommandSpec } from "./spec.js";

export const KEY_COMMANDS: CommandSpec[] = [];
