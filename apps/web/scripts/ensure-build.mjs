// Builds the web app into dist/ when dist is missing or older than its sources, so `pnpm start` serves a current
// app on a fresh clone. Fast when nothing changed (a walk over file times). Concurrent callers (tests starting
// servers in parallel) take turns through a lock folder, and a build is swapped in whole, never half-written.
// `--soft`: a failed build prints a warning and exits 0, so the API still starts (its page then says how to build).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(web, "dist");
const stamp = join(dist, ".build-stamp");
const work = join(web, "node_modules", ".stepwise-build");
const lock = `${work}.lock`;
const soft = process.argv.includes("--soft");
const force = process.argv.includes("--force");
// The browser bundle takes the zod schemas from packages/core, so their sources count too.
const inputs = ["src", "index.html", "vite.config.ts", "package.json", "../../packages/core/src"].map((p) =>
  join(web, p),
);

function newest(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = stats.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const upToDate = () => !force && existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...inputs.map(newest));

async function withLock(fn) {
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      // A lock left by a killed build is taken over after two minutes.
      if (waited > 120_000 || Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 120_000)
        rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function build() {
  const started = Date.now();
  const { build: viteBuild } = await import("vite");
  const out = `${work}-${process.pid}`;
  rmSync(out, { recursive: true, force: true });
  await viteBuild({ root: web, logLevel: "warn", build: { outDir: out, emptyOutDir: true } });
  writeFileSync(join(out, ".build-stamp"), `${new Date().toISOString()}\n`);
  const old = `${out}-old`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(out, dist);
  rmSync(old, { recursive: true, force: true });
  process.stdout.write(`Built the web app in ${Date.now() - started} ms (apps/web/dist)\n`);
}

if (!upToDate()) {
  try {
    await withLock(async () => {
      if (!upToDate()) await build();
    });
  } catch (error) {
    const text = `Could not build the web app: ${error instanceof Error ? error.message : String(error)}`;
    if (!soft) throw error;
    process.stderr.write(`${text}\nThe API starts anyway; run \`pnpm --filter @stepwise/web build\` to see why.\n`);
  }
}
