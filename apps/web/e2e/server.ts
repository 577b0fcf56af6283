import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startServer as startApi } from "@stepwise/api/start-server";

/**
 * The README's `pnpm start` in a child process, on a free port and a fresh embedded database (DATABASE_URL is
 * left out: the app's behaviour does not depend on the database, and a fresh PGlite is quick to make).
 */
export async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), "stepwise-web-e2e-"));
  const port = await freePort();
  const server = startApi({
    PORT: String(port),
    STEPWISE_DATA_DIR: dataDir,
    LOG_LEVEL: "info",
    // Seeding sends bursts; the limits are for shared servers, not this one.
    STEPWISE_RATE_LIMIT: "0",
  });
  await server.listening();
  const keyFile = join(dataDir, "bootstrap.key");
  const key = readFileSync(keyFile, "utf8").trim();
  const stop = async () => {
    server.child.kill("SIGTERM");
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url: `http://127.0.0.1:${port}`, key, keyFile, stop, output: server.output };
}

export type Server = Awaited<ReturnType<typeof startServer>>;
