import type { DatabaseHandle } from "@stepwise/core";
import type { Context } from "hono";
import { errorResponse, RETRY_AFTER_SECONDS } from "./errors";

const READY_TIMEOUT_MS = 2000;

/**
 * GET /readyz, for a load balancer's health check: 200 only while this process should get traffic, that is
 * while the database answers (within 2 s) and holds every migration this code expects, and until SIGTERM
 * (`stop()`). Otherwise 503 with Retry-After, saying which. A replica started with STEPWISE_MIGRATE=skip is
 * not ready until `pnpm migrate` has run.
 */
export function readiness(database: Pick<DatabaseHandle, "ping" | "isMigrated">) {
  let stopping = false;
  let migrated = false; // once true it stays true: migrations are never undone
  const check = async () => {
    if (migrated) await database.ping();
    else migrated = await database.isMigrated();
  };
  const handler = async (c: Context) => {
    const unready = (message: string) => {
      c.header("Retry-After", String(RETRY_AFTER_SECONDS));
      return errorResponse(c, 503, "SERVICE_UNAVAILABLE", message);
    };
    if (stopping) return unready("The server is shutting down");
    try {
      await Promise.race([
        check(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), READY_TIMEOUT_MS).unref()),
      ]);
    } catch {
      return unready("The database does not answer");
    }
    if (!migrated) return unready("The database schema is not migrated yet (run `pnpm migrate`)");
    return c.json({ status: "ready" });
  };
  return {
    handler,
    /** From now on /readyz answers 503 (requests are still served, until the drain gate closes). */
    stop() {
      stopping = true;
    },
  };
}
export type Readiness = ReturnType<typeof readiness>;
