import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../../..");

export const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

/**
 * The README's `pnpm start`, for real: a child process with `env` on top of this one's environment, but for
 * DATABASE_URL, which only `env` can set (the embedded database otherwise). Shared by the API's, the web app's
 * and the examples' tests (`@stepwise/api/start-server`).
 */
export function startServer(env: Record<string, string>) {
  const { DATABASE_URL: _, ...inherited } = process.env;
  const child = spawn("pnpm", ["start"], { cwd: ROOT, env: { ...inherited, ...env } });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  // "close", not "exit": it comes after the output streams have ended, so nothing printed is missed.
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  // The start-up line is logged at `info`: callers keep LOG_LEVEL at info or below. A server that exits
  // stops the wait at once.
  const listening = async () => {
    for (let i = 0; i < 1800 && child.exitCode === null && !output.includes("Stepwise listening"); i++)
      await new Promise((r) => setTimeout(r, 100));
    if (!output.includes("Stepwise listening")) throw new Error(`server did not start:\n${output}`);
  };
  return { child, exited, listening, output: () => output };
}
