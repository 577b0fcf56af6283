import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { freePort } from "../src/testing/start-server";

const API_DIR = resolve(import.meta.dirname, "..");

/** The server's resident set size in MiB, read from /proc. */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : 0;
}

export interface RunningServer {
  url: string;
  key: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the real service (node directly, so the RSS read is the server's) with the given environment. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const key = `swk_bench000_${"k".repeat(40)}`;
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      "--import",
      "tsx",
      "src/index.ts",
    ],
    {
      cwd: API_DIR,
      env: {
        ...process.env,
        ...env,
        PORT: String(port),
        HOST: "127.0.0.1",
        STEPWISE_BOOTSTRAP_KEY: key,
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    key,
    child,
    stop: () =>
      new Promise((done) => {
        child.on("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}
