import { execFile, execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./start-server";

/** The newest PostgreSQL server binaries of Debian's layout (/usr/lib/postgresql/<version>/bin), or PG_BIN. */
function binDir() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/**
 * A PostgreSQL server of a test's own (initdb into a temporary folder, a free port on 127.0.0.1, trust
 * auth), to stop, kill and start again without disturbing the machine's shared server. As root, the
 * server runs as the `postgres` user (PostgreSQL refuses to run as root).
 */
export async function startThrowawayPostgres() {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "stepwise-pg-"));
  const data = join(dir, "data");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(dir, uid, gid);
  }
  // Asynchronous, so that a test's clients keep running while the server stops and starts.
  const run = (command: string, args: string[]) =>
    asRoot
      ? promisify(execFile)("runuser", ["-u", "postgres", "--", join(bin, command), ...args])
      : promisify(execFile)(join(bin, command), args);
  await run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "--no-instructions"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;

  const server = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      // After a kill -9 the old backends may hold the shared memory for a moment: retry until it is free.
      for (let attempt = 0; ; attempt++) {
        try {
          await run("pg_ctl", ["start", "-w", "-t", "20", "-D", data, "-o", options, "-l", join(dir, "log")]);
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    },
    async stop(mode: "fast" | "immediate" = "fast") {
      await run("pg_ctl", ["stop", "-w", "-m", mode, "-D", data]);
    },
    /** kill -9 of the postmaster, as in a crash. */
    kill() {
      const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
      process.kill(pid, "SIGKILL");
    },
    async destroy() {
      await server.stop("immediate").catch(() => {}); // not running
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
