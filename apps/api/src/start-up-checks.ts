import { accessSync, constants, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "./env";
import { rootMessage } from "./open-database";

/** A local artifact root must be a folder this process can write; found out at start-up, not at the first upload. */
export function checkLocalArtifactRoot(root: string, dataDir: string) {
  if (root.startsWith("s3://")) return;
  try {
    mkdirSync(root, { recursive: true });
    accessSync(root, constants.W_OK);
  } catch (error) {
    const variable =
      root === join(dataDir, "artifacts") ? "STEPWISE_DATA_DIR (its artifacts folder)" : "STEPWISE_ARTIFACT_ROOT";
    throw new ConfigError(`Invalid configuration: ${variable} '${root}' cannot hold artifacts: ${rootMessage(error)}`);
  }
}

/** One line for an address the server cannot listen on. */
export function listenError(error: NodeJS.ErrnoException, host: string, port: number) {
  const at = `${host}:${port}`;
  if (error.code === "EADDRINUSE")
    return `Invalid configuration: PORT ${port} is in use on ${host}; stop what holds it or choose another PORT`;
  if (error.code === "EACCES")
    return `Invalid configuration: PORT ${port} needs privileges this process lacks; choose a PORT above 1023`;
  if (error.code === "ENOTFOUND" || error.code === "EADDRNOTAVAIL" || error.code === "EAI_AGAIN") {
    return `Invalid configuration: HOST '${host}' is not an address of this machine (${error.code}); use 127.0.0.1, 0.0.0.0 or one of its addresses`;
  }
  return `Stepwise cannot listen on ${at}: ${error.message}`;
}
