import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startServer } from "./testing/start-server";

// The README's `pnpm start`, for real: a child process on the embedded database in a fresh data dir.
const dataDir = mkdtempSync(join(tmpdir(), "stepwise-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A POST whose body is sent in two halves, with `between` run in the middle. */
function slowPost(port: number, path: string, key: string, body: string, between: () => void) {
  return new Promise<{ status: number; body: string }>((done, fail) => {
    const req = request(
      { port, path, method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => done({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", fail);
    req.write(body.slice(0, 5));
    setTimeout(() => {
      between();
      setTimeout(() => req.end(body.slice(5)), 300);
    }, 300);
  });
}

/** Waits up to 5 s for `text` in the server's output (the lines after the listening one may come a moment later). */
async function printed(server: { output: () => string }, text: string) {
  for (let i = 0; i < 50 && !server.output().includes(text); i++) await new Promise((r) => setTimeout(r, 100));
  expect(server.output()).toContain(text);
}

describe("pnpm start", () => {
  let server: ReturnType<typeof startServer> & { child: ChildProcess };

  it("honours PORT and HOST, creates and prints the bootstrap key once, saved with mode 0600", async () => {
    const port = await freePort();
    server = startServer({ PORT: String(port), HOST: "127.0.0.1", STEPWISE_DATA_DIR: dataDir, LOG_LEVEL: "info" });
    await server.listening();
    await printed(server, "Sign in at the web app");
    expect(server.output()).toContain(`http://127.0.0.1:${port}`);
    const keyFile = join(dataDir, "bootstrap.key");
    const key = readFileSync(keyFile, "utf8").trim();
    expect(key).toMatch(/^swk_/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(server.output().split(key).length - 1).toBe(1);
    // Progress while the embedded database is made, and the key last, after the listening line.
    const out = server.output();
    expect(out.indexOf("Creating the embedded database")).toBeLessThan(out.indexOf("Stepwise listening"));
    expect(out.indexOf(key)).toBeGreaterThan(out.indexOf("Stepwise listening"));
    const health = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(health.status).toBe(200);
    const list = await fetch(`http://127.0.0.1:${port}/api/v1/experiments`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(list.status).toBe(200);

    // SIGTERM to pnpm reaches the server, which lets the in-flight request finish, then exits 0.
    const answer = await slowPost(port, "/api/v1/experiments", key, JSON.stringify({ name: "in-flight" }), () =>
      server.child.kill("SIGTERM"),
    );
    expect(answer.status).toBe(201);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("stopped");
  }, 180_000);

  it("does not print a key again on the next start, and stops on SIGINT", async () => {
    const port = await freePort();
    const again = startServer({ PORT: String(port), STEPWISE_DATA_DIR: dataDir });
    await again.listening();
    await printed(again, "The admin API key of the first start is in");
    expect(again.output()).not.toContain("shown once");
    again.child.kill("SIGINT");
    expect(await again.exited).toBe(0);
  }, 180_000);

  it("refuses an invalid configuration with one line naming the variable", async () => {
    const bad = startServer({ PORT: "not-a-port", STEPWISE_DATA_DIR: dataDir });
    expect(await bad.exited).not.toBe(0);
    expect(bad.output()).toMatch(/Invalid configuration: PORT /);
  }, 180_000);

  it("names the variable also for what only start-up finds out: a port in use, a database or a folder it cannot use", async () => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((done) => taken.listen(port, "127.0.0.1", done));
    const file = join(dataDir, "a-file");
    writeFileSync(file, "");
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: String(port) }, /Invalid configuration: PORT \d+ is in use/],
      [
        { DATABASE_URL: "postgres://stepwise@127.0.0.1:1/none" },
        /Invalid configuration: DATABASE_URL cannot be used: .*ECONNREFUSED/,
      ],
      [
        { STEPWISE_ARTIFACT_ROOT: join(file, "artifacts") },
        /Invalid configuration: STEPWISE_ARTIFACT_ROOT '.*' cannot hold artifacts/,
      ],
    ];
    try {
      for (const [env, message] of cases) {
        const bad = startServer({ PORT: String(port), HOST: "127.0.0.1", STEPWISE_DATA_DIR: dataDir, ...env });
        expect(await bad.exited, JSON.stringify(env)).toBe(1);
        const lines = bad
          .output()
          .split("\n")
          .filter((l) => l.startsWith("Invalid configuration"));
        expect(lines, bad.output()).toHaveLength(1);
        expect(lines[0]).toMatch(message);
        expect(bad.output()).not.toMatch(/\n\s+at /); // no stack trace
      }
    } finally {
      taken.close();
    }
  }, 90_000);
});
