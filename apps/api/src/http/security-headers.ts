import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * The browser protections of every answer, the web app's (which holds an API key in its tab) and the API's:
 * hono's secure-headers defaults (nosniff, same-origin opener and resource policies, no DNS prefetch, ...),
 * framing refused twice (CSP `frame-ancestors 'none'` and `X-Frame-Options: DENY`), and no Referer sent on.
 */
export const securityHeaders = (): MiddlewareHandler =>
  secureHeaders({
    contentSecurityPolicy: { frameAncestors: ["'none'"] },
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    xContentTypeOptions: "nosniff",
  });
