import { index, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tenantId } from "./columns";

/**
 * The first answer of each write sent with an `Idempotency-Key`, per tenant and API key, stored in the same
 * transaction as the write's effect and replayed for a repeat within 24 h. `request_hash` identifies the
 * request (operation and input), so the same key with another body is told apart.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    tenantId: tenantId(),
    apiKeyId: uuid("api_key_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    response: jsonb("response").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "idempotency_keys_pkey", columns: [t.tenantId, t.apiKeyId, t.key] }),
    // For the hourly prune of answers past the 24 h window.
    index("idempotency_keys_created_at_idx").on(t.createdAt),
  ],
);
