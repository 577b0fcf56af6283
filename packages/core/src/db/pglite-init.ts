import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

/**
 * Makes a new PGlite data directory in a child process. PGlite's initdb leaves about 500 MiB of WebAssembly
 * memory with the instance that ran it (and over 100 MiB even after closing it); the server then opens the
 * finished directory at about 290 MiB.
 */
export async function initPglite(dataDir: string) {
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve("@electric-sql/pglite")).href;
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)});
    await (await PGlite.create({ dataDir: ${JSON.stringify(dataDir)} })).close();`;
  try {
    // Without the parent's NODE_OPTIONS (an --inspect-brk there would stop the child for good).
    await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, NODE_OPTIONS: "" },
      timeout: INIT_TIMEOUT_MS,
    });
  } catch (error) {
    // One line: the child's own error, not Node's "Command failed: <the whole script>".
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    const line = stderr.split("\n").find((l) => /error/i.test(l) && !l.includes("triggerUncaughtException"));
    const why = (error as { killed?: boolean }).killed ? `no answer in ${INIT_TIMEOUT_MS / 1000} s` : line?.trim();
    throw new Error(`PGlite could not make a new database in '${dataDir}': ${why ?? "its initdb failed"}`);
  }
}

const INIT_TIMEOUT_MS = 120_000;
