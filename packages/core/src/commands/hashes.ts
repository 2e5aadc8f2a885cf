import type { CommandSpec } from "./spec.js";

export const HASH_COMMANDS: CommandSpec[] = [];
