import { fileURLToPath } from "node:url";

/** The shardline-node entry point, for launchers that spawn nodes (the CLI, tests). */
export const NODE_BIN_PATH = fileURLToPath(new URL("./bin.js", import.meta.url));
