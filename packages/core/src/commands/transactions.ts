import type { CommandSpec } from "./spec.js";

export const TRANSACTION_COMMANDS: CommandSpec[] = [];
