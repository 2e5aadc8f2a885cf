import { dirname, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { NODE_BIN_PATH } from "@shardline/server";

/**
 * The repository's root on this machine. This module sits four levels below
 * it both as source (packages/chaos/src/compose) and as built code
 * (packages/chaos/dist/compose).
 */
export const REPOSITORY_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * Where the Dockerfile copies the repository in the image (its WORKDIR):
 * every path a container runs is relative to it, so the image runs the same
 * files, built the same way, as a checkout does.
 */
export const IMAGE_WORKDIR = "/shardline";

/** A path of this checkout as the same path inside the image, relative to IMAGE_WORKDIR, with '/' separators. */
export function pathInImage(hostPath: string): string {
  const path = relative(REPOSITORY_ROOT, hostPath);
  if (path.startsWith("..")) throw new Error(`${hostPath} is outside the repository (${REPOSITORY_ROOT}), so the image does not hold it`);
  return path.split(sep).join("/");
}

/** The node binary the local launcher spawns, as the image holds it. */
export const NODE_BINARY_IN_IMAGE = pathInImage(NODE_BIN_PATH);

/** The health check program (packages/server/src/health-check.ts), built beside the node binary. */
export const HEALTH_CHECK_IN_IMAGE = pathInImage(`${dirname(NODE_BIN_PATH)}${sep}health-check.js`);

/** The shardline command. The chaos package may not import the CLI (it sits above it), so its path is spelled out; a test checks it exists. */
export const CLI_IN_IMAGE = "packages/cli/bin/shardline.js";
