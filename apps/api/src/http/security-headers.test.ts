import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { securityHeaders } from "./security-headers";

describe("the security headers", () => {
  it("are on every answer, errors included", async () => {
    const app = new Hono();
    app.use("*", securityHeaders());
    app.get("/ok", (c) => c.text("ok"));
    for (const path of ["/ok", "/missing"]) {
      const res = await app.request(path);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });
});
