import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

/**
 * The README's `pnpm start` in a child process, on a free port and a fresh embedded database (DATABASE_URL is
 * left out: the app's behaviour does not depend on the database, and a fresh PGlite is quick to make).
 */
export async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), "stepwise-web-e2e-"));
  const port = await freePort();
  const { DATABASE_URL: _, ...inherited } = process.env;
  const child = spawn("pnpm", ["start"], {
    cwd: ROOT,
    env: {
      ...inherited,
      PORT: String(port),
      STEPWISE_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      // Seeding sends bursts; the limits are for shared servers, not this one.
      STEPWISE_RATE_LIMIT: "0",
    },
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  const up = () =>
    fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  for (let i = 0; i < 600 && child.exitCode === null && !(await up()); i++)
    await new Promise((r) => setTimeout(r, 100));
  if (!(await up())) throw new Error(`server did not start:\n${output}`);
  const keyFile = join(dataDir, "bootstrap.key");
  const key = readFileSync(keyFile, "utf8").trim();
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, key, keyFile, stop, output: () => output };
}

export type Server = Awaited<ReturnType<typeof startServer>>;
