import type { Server } from "node:http";
import type { Duplex } from "node:stream";

/** What Node's HTTP parser refused, as the status, code and message of the contract's error body. */
function describe(error: NodeJS.ErrnoException): [number, string, string, string] {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return [
        431,
        "Request Header Fields Too Large",
        "REQUEST_HEADER_FIELDS_TOO_LARGE",
        "The request's headers are too large",
      ];
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return [408, "Request Timeout", "REQUEST_TIMEOUT", "The request's headers did not arrive in time"];
    case "HPE_INVALID_CONTENT_LENGTH":
    case "HPE_UNEXPECTED_CONTENT_LENGTH":
      return [400, "Bad Request", "BAD_REQUEST", "The request's Content-Length is not valid"];
    case "HPE_INVALID_HEADER_TOKEN":
      return [400, "Bad Request", "BAD_REQUEST", "A request header holds a character that headers may not contain"];
    default:
      return [400, "Bad Request", "BAD_REQUEST", "The request is not valid HTTP/1.1"];
  }
}

/**
 * Answers what Node's HTTP parser refuses before any handler sees it (a bad Content-Length, control
 * characters in a header, oversized headers, headers that never finish) with the contract's JSON error
 * body `{code, message}`, where Node would send an empty one; the connection is closed after it.
 */
export function answerClientErrors(server: Server) {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, code, message] = describe(error);
    const body = JSON.stringify({ code, message });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
