import { DomainError, invalid } from "../shared/errors";
import type { Principal } from "./authenticate";

export const tenantAccessDenied = () => new DomainError("FORBIDDEN", "Tenant access denied");

/**
 * Picks the tenant for a request from the X-Tenant-ID header (null when absent). Repeated headers arrive
 * joined with ", ", so a list in one header and two headers are the same 400. Unknown and ungranted
 * tenants get the same 403, so tenant names do not leak.
 */
export function resolveTenant(principal: Principal, header: string | null): string {
  // An empty header is no header: what an HTTP client sends for a header it was given no value for.
  if (header === null || header.trim() === "") {
    const [only, ...more] = principal.tenants;
    if (only && more.length === 0) return only.id;
    throw invalid(
      principal.tenants.length
        ? "This API key is granted several tenants: choose one with the X-Tenant-ID header"
        : "This API key is granted no tenant",
    );
  }
  const slug = header.trim();
  if (slug.includes(",")) throw invalid("X-Tenant-ID must name exactly one tenant");
  const tenant = principal.tenants.find((t) => t.slug === slug);
  if (!tenant) throw tenantAccessDenied();
  return tenant.id;
}
