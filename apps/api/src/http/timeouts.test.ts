import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startServer } from "../testing/start-server";

// Slow clients (the resilience issue): headers must arrive in time and a silent connection is closed, but an
// upload that keeps sending is never cut off, however long it takes.
const dataDir = mkdtempSync(join(tmpdir(), "stepwise-timeouts-"));
let port: number;
let server: ReturnType<typeof startServer>;
let key: string;
beforeAll(async () => {
  port = await freePort();
  server = startServer({
    PORT: String(port),
    STEPWISE_DATA_DIR: dataDir,
    STEPWISE_HEADERS_TIMEOUT_MS: "1000",
    STEPWISE_IDLE_TIMEOUT_MS: "1500",
  });
  await server.listening();
  key = readFileSync(join(dataDir, "bootstrap.key"), "utf8").trim();
}, 60_000);
afterAll(async () => {
  server?.child.kill("SIGTERM");
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

/** How long the server takes to close a raw connection after `send`, in ms. */
function closedAfter(send: string) {
  return new Promise<number>((done) => {
    const start = performance.now();
    const socket = connect(port, "127.0.0.1", () => socket.write(send));
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => done(performance.now() - start));
  });
}

describe("server timeouts", () => {
  it("closes a connection whose headers do not arrive in time", async () => {
    expect(await closedAfter("GET /healthz HTTP/1.1\r\nHost: x\r\n")).toBeLessThan(4000);
  });

  it("closes a connection that goes silent in the middle of a body", async () => {
    const head = `POST /api/v1/experiments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`;
    const ms = await closedAfter(head);
    expect(ms).toBeGreaterThan(1000);
    expect(ms).toBeLessThan(5000);
  });

  it("does not cut off a slow upload that keeps sending, past both timeouts", async () => {
    const api = `http://127.0.0.1:${port}/api/v1`;
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const experiment = await (
      await fetch(`${api}/experiments`, { method: "POST", headers, body: JSON.stringify({ name: "slow" }) })
    ).json();
    const run = await (
      await fetch(`${api}/experiments/runs`, {
        method: "POST",
        headers,
        body: JSON.stringify({ experiment_id: experiment.id }),
      })
    ).json();
    const boundary = "slow-upload";
    const answer = await new Promise<{ status: number; body: string }>((done, fail) => {
      const req = request(
        {
          port,
          method: "POST",
          path: `/api/v1/experiments/runs/${run.id}/log-artifact`,
          headers: { authorization: `Bearer ${key}`, "content-type": `multipart/form-data; boundary=${boundary}` },
        },
        (res) => {
          let body = "";
          res.on("data", (d) => (body += d));
          res.on("end", () => done({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", fail);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.bin"\r\n\r\n`);
      let sent = 0;
      const timer = setInterval(() => {
        req.write("x".repeat(1000));
        if (++sent === 8) {
          clearInterval(timer);
          req.end(`\r\n--${boundary}--\r\n`);
        }
      }, 400); // 3.2 s in all: past the headers timeout (1 s) and the idle timeout (1.5 s), never silent that long
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ path: "slow.bin", size: 8000 });
  }, 30_000);
});
