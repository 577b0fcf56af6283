import type { Meta } from "../../trpc/init";
import { TENANT_ID } from "../experiments/examples";

/** Examples of the admin operations, for the OpenAPI document; openapi-examples.test.ts parses them. */
type Examples = NonNullable<Meta["examples"]>;

const API_KEY_ID = "0196c386-c819-7e29-9c4b-71d8a6f30501";
const defaultTenant = { id: TENANT_ID, slug: "default", name: "default", created_at: "2025-05-12T08:00:00.000Z" };
const tenant = {
  id: "01973f5a-2c80-7d14-8e6b-0a3f9c21d7e4",
  slug: "vision-team",
  name: "Vision team",
  created_at: "2025-06-05T10:15:30.000Z",
};
const apiKey = {
  id: API_KEY_ID,
  name: "ci-training",
  prefix: "swk_0qkof44X",
  tenants: ["vision-team"],
  admin: false,
  created_at: "2025-06-05T10:17:02.481Z",
  revoked_at: null,
};

export const adminExamples = {
  createTenant: { request: { slug: tenant.slug, name: tenant.name }, response: tenant },
  listTenants: { response: { tenants: [defaultTenant, tenant] } },
  createApiKey: {
    request: { name: apiKey.name, tenants: apiKey.tenants, admin: false },
    response: { ...apiKey, key: "swk_0qkof44X_EPKVEKum3hHnc_ZplcgQSxpcc3yCnJtxreHOtpPk_P8" },
  },
  listApiKeys: { response: { api_keys: [apiKey] } },
  revokeApiKey: { request: { id: API_KEY_ID }, response: { ...apiKey, revoked_at: "2025-07-01T09:00:00.000Z" } },
} satisfies Record<string, Examples>;
