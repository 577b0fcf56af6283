import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerClientErrors } from "./client-error";

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((_req, res) => res.end("ok"));
  answerClientErrors(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise((done) => server.close(done)));

/** Sends raw bytes and reads the whole answer until the server closes. */
const raw = (request: string) =>
  new Promise<string>((done, fail) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(request));
    let answer = "";
    socket.on("data", (d) => (answer += d));
    socket.on("end", () => done(answer));
    socket.on("error", fail);
  });
const parse = (answer: string) => {
  const [head, body] = answer.split("\r\n\r\n");
  return {
    status: Number(head?.split(" ")[1]),
    type: /content-type: (\S+)/i.exec(head ?? "")?.[1],
    body: JSON.parse(body ?? ""),
  };
};

describe("requests that Node's HTTP parser refuses", () => {
  it("get the contract's JSON error body: a bad Content-Length, a control character in a header, oversized headers", async () => {
    const cases: [string, number, string][] = [
      ["POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400, "Content-Length"],
      ["GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n", 400, "character"],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, 431, "too large"],
      ["NOT HTTP AT ALL\r\n\r\n", 400, "not valid HTTP"],
    ];
    for (const [request, status, message] of cases) {
      const answer = parse(await raw(request));
      expect(answer.status, request.slice(0, 40)).toBe(status);
      expect(answer.type).toBe("application/json");
      expect(answer.body).toEqual({ code: expect.any(String), message: expect.stringContaining(message) });
    }
  });

  it("leave good requests alone", async () => {
    expect(await raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).toMatch(/^HTTP\/1.1 200[\s\S]*ok$/);
  });
});
