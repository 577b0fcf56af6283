import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "./start-server";

// Real processes for the multi-replica test: API replicas (`node --import tsx src/index.ts`), Debian's PgBouncer
// in transaction mode, and Debian's HAProxy in front, each on a free loopback port.

const API_DIR = resolve(import.meta.dirname, "../..");

/** Debian puts both daemons in /usr/sbin, which a non-root PATH may lack. */
const daemon = (name: string) => [`/usr/sbin/${name}`, `/usr/bin/${name}`].find((p) => existsSync(p));
export const missingDaemons = () => ["haproxy", "pgbouncer"].filter((name) => !daemon(name));

interface Child {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Child {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  return { child, exited, output: () => output };
}

async function until(what: string, check: () => Promise<boolean>, process: Child, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) throw new Error(`${what}: the process exited:\n${process.output()}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms:\n${process.output()}`);
}

const accepts = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.end();
      done(true);
    });
    socket.on("error", () => done(false));
  });

/** One API replica on its own port and data directory; `env` on top of this process's, without DATABASE_URL. */
export async function startReplica(name: string, env: Record<string, string>) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `stepwise-replica-${name}-`));
  const { DATABASE_URL: _, ...inherited } = process.env;
  const proc = run(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: API_DIR,
    env: { ...inherited, PORT: String(port), STEPWISE_DATA_DIR: dataDir, ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    name,
    port,
    url,
    ...proc,
    /** Until /readyz answers 200. */
    ready: () => until(`replica ${name} ready`, async () => (await fetch(`${url}/readyz`)).ok, proc),
    cleanUp: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
export type Replica = Awaited<ReturnType<typeof startReplica>>;

/** As root, the daemons run as `postgres` (PgBouncer refuses root); their folder must be theirs to read. */
const asRoot = process.getuid?.() === 0;
function scratchDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    execFileSync("chown", [`${uid}:${gid}`, dir]);
  }
  chmodSync(dir, 0o755);
  return dir;
}

/** PgBouncer in transaction mode in front of `databaseUrl`'s database, at most `serverConnections` to it. */
export async function startPgBouncer(databaseUrl: string, serverConnections: number) {
  const target = new URL(databaseUrl);
  const dbname = target.pathname.slice(1);
  const port = await freePort();
  const dir = scratchDir("stepwise-pgbouncer-");
  const ini = join(dir, "pgbouncer.ini");
  writeFileSync(
    ini,
    `[databases]
${dbname} = host=${target.hostname} port=${target.port || 5432} dbname=${dbname} user=${decodeURIComponent(target.username)}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = ${serverConnections}
max_client_conn = 500
`,
  );
  chmodSync(ini, 0o644);
  const proc = run(daemon("pgbouncer") as string, [...(asRoot ? ["-u", "postgres"] : []), ini]);
  await until("pgbouncer listening", () => accepts(port), proc, 20_000);
  return {
    url: `postgres://${target.username}@127.0.0.1:${port}/${dbname}`,
    ...proc,
    async stop() {
      proc.child.kill("SIGTERM");
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * HAProxy with two frontends: `all` balances over every replica, `one` sends everything to the first. Health
 * checks GET /readyz every 200 ms; two failures take a replica out, two successes bring it back. A connection
 * that fails is retried on another replica (nothing was sent); a request that was sent is never re-sent.
 */
export async function startHaproxy(replicas: { name: string; port: number }[]) {
  const [all, one] = [await freePort(), await freePort()];
  const dir = scratchDir("stepwise-haproxy-");
  const socket = join(dir, "admin.sock");
  const servers = (list: typeof replicas) =>
    list.map((r) => `  server ${r.name} 127.0.0.1:${r.port} check inter 200 fall 2 rise 2`).join("\n");
  const cfg = join(dir, "haproxy.cfg");
  writeFileSync(
    cfg,
    `global
  maxconn 2000
  stats socket ${socket} mode 600 level admin
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout check 2s
  retries 3
  option redispatch
  option httpchk
  http-check send meth GET uri /readyz
  http-check expect status 200
frontend all
  bind 127.0.0.1:${all}
  default_backend replicas
frontend one
  bind 127.0.0.1:${one}
  default_backend first
backend replicas
  balance roundrobin
${servers(replicas)}
backend first
${servers(replicas.slice(0, 1))}
`,
  );
  const proc = run(daemon("haproxy") as string, ["-db", "-f", cfg]);
  await until("haproxy listening", () => accepts(all), proc, 20_000);

  /** Each server's state in a backend (UP, DOWN, ...), from `show stat` on the admin socket. */
  const states = (backend = "replicas") =>
    new Promise<Record<string, string>>((done, fail) => {
      let csv = "";
      const s = connect(socket, () => s.end("show stat\n"));
      s.on("data", (d) => (csv += d));
      s.on("error", fail);
      s.on("close", () => {
        const [header, ...rows] = csv.trim().split("\n");
        const columns = (header ?? "").replace(/^# /, "").split(",");
        const at = (name: string) => columns.indexOf(name);
        const found: Record<string, string> = {};
        for (const row of rows.map((r) => r.split(","))) {
          const server = row[at("svname")] ?? "";
          if (row[at("pxname")] === backend && !["FRONTEND", "BACKEND"].includes(server))
            found[server] = (row[at("status")] ?? "").split(" ")[0] ?? "";
        }
        done(found);
      });
    });
  return {
    url: `http://127.0.0.1:${all}`,
    oneUrl: `http://127.0.0.1:${one}`,
    states,
    /** Until every replica of `backend` is UP. */
    allUp: () =>
      until("haproxy sees every replica up", async () => Object.values(await states()).every((s) => s === "UP"), proc),
    ...proc,
    async stop() {
      proc.child.kill("SIGTERM");
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
