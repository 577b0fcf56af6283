import { inArray } from "drizzle-orm";
import { generateApiKey } from "../auth/api-key-secret";
import type { Database } from "../db";
import { apiKeyGrants, apiKeys, tenants } from "../db/schema";
import { invalid } from "../shared/errors";
import { newId, one } from "../shared/ids";
import type { CreateApiKeyInput, CreatedApiKey } from "./schemas";
import { toApiKeyResponse } from "./to-response";

/** Creates a key granted the named tenants; the secret is in the answer and nowhere else. */
export function createApiKey(
  db: Database,
  input: CreateApiKeyInput,
  secret = generateApiKey(),
): Promise<CreatedApiKey> {
  return db.transaction(async (tx) => {
    const slugs = [...new Set(input.tenants)];
    const found = await tx.select().from(tenants).where(inArray(tenants.slug, slugs));
    const missing = slugs.filter((s) => !found.some((t) => t.slug === s));
    if (missing.length) throw invalid(`Unknown tenant(s): ${missing.join(", ")}; create them first`, "tenants");
    const row = one(
      await tx
        .insert(apiKeys)
        .values({ id: newId(), name: input.name, prefix: secret.prefix, keyHash: secret.hash, admin: input.admin })
        .returning(),
    );
    await tx.insert(apiKeyGrants).values(found.map((t) => ({ tenantId: t.id, apiKeyId: row.id })));
    return { ...toApiKeyResponse(row, slugs.sort()), key: secret.key };
  });
}
