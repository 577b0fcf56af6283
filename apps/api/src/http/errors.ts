import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The error body of contract section 3, for answers given before a procedure runs. */
export const errorResponse = (c: Context, status: ContentfulStatusCode, code: string, message: string) =>
  c.json({ code, message }, status);
