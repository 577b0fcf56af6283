import { and, eq, isNull, sql } from "drizzle-orm";
import { forgetApiKey } from "../auth/authenticate";
import type { Database } from "../db";
import { apiKeys } from "../db/schema";
import { notFound } from "../shared/errors";
import { listApiKeys } from "./list-api-keys";
import type { ApiKeyResponse } from "./schemas";

/** Revokes a key: it stops working at once in this process, and within AUTH_CACHE_TTL_MS in others. Idempotent. */
export async function revokeApiKey(db: Database, id: string): Promise<ApiKeyResponse> {
  await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  forgetApiKey(db, id);
  const [key] = (await listApiKeys(db, id)).api_keys;
  if (!key) throw notFound("API key", id);
  return key;
}
