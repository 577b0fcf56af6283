import { type Database, resolveTenant } from "@stepwise/core";
import type { Context } from "hono";
import type { Logger } from "pino";
import { errorAnswer } from "../http/errors";
import { authenticate } from "../trpc/auth";
import { requireAdmin } from "../trpc/procedures";
import type { AccessCheck } from "./json-body";

/**
 * The key, tenant and admin checks that the procedures run first, for answers given before a procedure runs
 * (a body that is not JSON, say): a request without a valid key gets the same 401 it would get from any route.
 */
export const accessCheck =
  (db: Database, logger: Logger, prefix: string): AccessCheck =>
  async (c: Context) => {
    try {
      const principal = await authenticate(db, c.req.header("authorization") ?? null);
      if (c.req.path.startsWith(`${prefix}/admin/`)) requireAdmin(principal);
      else resolveTenant(principal, c.req.header("x-tenant-id") ?? null);
      return undefined;
    } catch (error) {
      return errorAnswer(c, error, logger);
    }
  };
