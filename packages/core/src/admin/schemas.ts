import { z } from "zod";
import { id, isoTime, text } from "../shared/common-schemas";
import { LIMITS } from "../shared/limits";

export const TenantSlug = z
  .string()
  .min(LIMITS.tenantSlugMin, `slug must be at least ${LIMITS.tenantSlugMin} characters`)
  .max(LIMITS.tenantSlugMax, `slug must be at most ${LIMITS.tenantSlugMax} characters`)
  .regex(/^[a-z0-9-]+$/, "slug may hold only a-z, 0-9 and -");

export const CreateTenantInput = z.object({
  slug: TenantSlug,
  name: text().trim().min(1).max(LIMITS.tenantName).optional(),
});
export type CreateTenantInput = z.infer<typeof CreateTenantInput>;

export const TenantResponse = z
  .object({ id: z.uuid(), slug: z.string(), name: z.string(), created_at: isoTime() })
  .meta({ id: "TenantResponse" });
export type TenantResponse = z.infer<typeof TenantResponse>;
export const TenantList = z.object({ tenants: z.array(TenantResponse) });

export const CreateApiKeyInput = z.object({
  name: text().trim().min(1).max(LIMITS.apiKeyName),
  tenants: z.array(TenantSlug).min(1, "grant at least one tenant").max(100),
  admin: z.boolean().default(false),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const ApiKeyResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    tenants: z.array(z.string()),
    admin: z.boolean(),
    created_at: isoTime(),
    revoked_at: isoTime().nullable(),
  })
  .meta({ id: "ApiKeyResponse" });
export type ApiKeyResponse = z.infer<typeof ApiKeyResponse>;
export const CreatedApiKey = ApiKeyResponse.extend({
  key: z.string().meta({ description: "The secret; shown this once" }),
}).meta({ id: "CreatedApiKey" });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;
export const ApiKeyList = z.object({ api_keys: z.array(ApiKeyResponse) });
export const ApiKeyIdInput = z.object({ id: id() });
