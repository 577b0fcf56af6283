import { randomBytes } from "node:crypto";
import { hashApiKey } from "@stepwise/core";
import type { TestTenant } from "@stepwise/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { testApp } from "../../testing/app";

const { rest, newTenant } = await testApp();
let admin: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  [admin, other] = await Promise.all([newTenant({ admin: true }), newTenant()]);
});

const slug = () => `s-${randomBytes(5).toString("hex")}`;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const createTenant = (body: unknown) => rest(admin, "POST", "/admin/tenants", { body });
const createKey = (body: unknown) => rest(admin, "POST", "/admin/api-keys", { body });
const listKeys = async () => (await rest(admin, "GET", "/admin/api-keys")).body.api_keys as { id: string }[];
const listTenantSlugs = async () =>
  (await rest(admin, "GET", "/admin/tenants")).body.tenants.map((t: { slug: string }) => t.slug) as string[];

describe("POST /admin/tenants and GET /admin/tenants", () => {
  it("creates a tenant: 201, the name defaulting to the slug, then listed", async () => {
    const s = slug();
    const res = await createTenant({ slug: s });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      slug: s,
      name: s,
      created_at: expect.stringMatching(ISO),
    });
    const named = await createTenant({ slug: slug(), name: "  Vision team " });
    expect(named.body.name).toBe("Vision team");
    const list = await rest(admin, "GET", "/admin/tenants");
    expect(list.status).toBe(200);
    expect(list.body.tenants).toContainEqual(res.body);
    const slugs = await listTenantSlugs();
    expect(slugs).toEqual([...slugs].sort());
  });

  // This file's database is its own, so fixed slugs are free here.
  it.each(["ab", "0-team-9", "x".repeat(63)])("accepts the slug %j", async (s) => {
    const res = await createTenant({ slug: s });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  const CHARS = "slug may hold only a-z, 0-9 and -";
  it.each([
    ["in uppercase", "Team-A", CHARS],
    ["too short", "a", "slug must be at least 2 characters"],
    ["empty", "", "slug must be at least 2 characters"],
    ["too long", "x".repeat(64), "slug must be at most 63 characters"],
    ["with an underscore", "team_a", CHARS],
    ["with a space", "team a", CHARS],
    ["with a dot", "team.a", CHARS],
    ["with a slash", "team/a", CHARS],
    ["with non-ASCII letters", "tëam", CHARS],
  ])("answers 400 for a slug %s (%j), and creates nothing", async (_, s, message) => {
    const res = await createTenant({ slug: s });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "BAD_REQUEST", message: expect.any(String) });
    expect(res.body.issues).toContainEqual(expect.objectContaining({ path: ["slug"], message }));
    expect(await listTenantSlugs()).not.toContain(s);
  });

  it("answers 409 for a taken slug", async () => {
    const s = slug();
    expect((await createTenant({ slug: s })).status).toBe(201);
    const res = await createTenant({ slug: s, name: "again" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "CONFLICT", message: expect.stringContaining(s) });
    expect((await listTenantSlugs()).filter((x) => x === s)).toHaveLength(1);
  });
});

describe("POST /admin/api-keys", () => {
  it("creates a key shown once, whose prefix is its start, working for its tenant only", async () => {
    const s = slug();
    await createTenant({ slug: s });
    const res = await createKey({ name: "ci", tenants: [s] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "ci",
      prefix: expect.stringMatching(/^swk_/),
      tenants: [s],
      admin: false,
      created_at: expect.stringMatching(ISO),
      revoked_at: null,
      key: expect.stringMatching(/^swk_[\w-]{40,}$/),
    });
    const { key, prefix } = res.body;
    expect(key.startsWith(prefix)).toBe(true);
    expect(key.length).toBeGreaterThan(prefix.length + 32);
    const mine = await rest(null, "GET", "/experiments", { key });
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(0);
    const theirs = await rest(null, "GET", "/experiments", { key, tenant: other.slug });
    expect(theirs.status).toBe(403);
    expect(theirs.body).toMatchObject({ code: "FORBIDDEN", message: "Tenant access denied" });
    expect((await rest(null, "GET", "/admin/tenants", { key })).status).toBe(403);
  });

  it("creates an admin key granted several tenants, which may call the admin endpoints", async () => {
    const [s1, s2] = [slug(), slug()];
    await createTenant({ slug: s2 });
    await createTenant({ slug: s1 });
    const res = await createKey({ name: "ops", tenants: [s2, s1, s2], admin: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ admin: true, tenants: [s1, s2].sort() });
    expect((await rest(null, "GET", "/admin/tenants", { key: res.body.key })).status).toBe(200);
    expect((await rest(null, "GET", "/experiments", { key: res.body.key, tenant: s1 })).status).toBe(200);
  });

  it("answers 400 naming an unknown tenant, and creates no key", async () => {
    const before = (await listKeys()).length;
    const res = await createKey({ name: "ci", tenants: [other.slug, "no-such-tenant"] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("no-such-tenant") });
    expect(res.body.message).not.toContain(other.slug);
    expect(await listKeys()).toHaveLength(before);
  });

  it.each([
    { name: "ci", tenants: [] },
    { tenants: ["x1"] },
    { name: "ci", tenants: ["Bad_Slug"] },
    { name: "ci", tenants: ["x1"], admin: "yes" },
  ])("answers 400 for %j", async (body) => {
    const res = await createKey(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("BAD_REQUEST");
  });
});

describe("GET /admin/api-keys", () => {
  it("lists keys without their secrets or hashes", async () => {
    const created = (await createKey({ name: "listed", tenants: [other.slug] })).body;
    const res = await rest(admin, "GET", "/admin/api-keys");
    expect(res.status).toBe(200);
    const { key, ...listed } = created;
    expect(res.body.api_keys).toContainEqual(listed);
    const text = JSON.stringify(res.body);
    for (const secret of [key, hashApiKey(key), admin.key, hashApiKey(admin.key)]) expect(text).not.toContain(secret);
    for (const entry of res.body.api_keys) {
      expect(Object.keys(entry).sort()).toEqual([
        "admin",
        "created_at",
        "id",
        "name",
        "prefix",
        "revoked_at",
        "tenants",
      ]);
    }
  });
});

describe("DELETE /admin/api-keys/{id}", () => {
  it("revokes a key: 200, and the key gets a 401 at once; revoking again is fine", async () => {
    const created = (await createKey({ name: "short-lived", tenants: [other.slug] })).body;
    expect((await rest(null, "GET", "/experiments", { key: created.key })).status).toBe(200);
    const res = await rest(admin, "DELETE", `/admin/api-keys/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, prefix: created.prefix, revoked_at: expect.stringMatching(ISO) });
    expect(res.body.key).toBeUndefined();
    const after = await rest(null, "GET", "/experiments", { key: created.key });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("UNAUTHORIZED");
    const again = await rest(admin, "DELETE", `/admin/api-keys/${created.id}`);
    expect(again.status).toBe(200);
    expect(again.body.revoked_at).toBe(res.body.revoked_at);
    expect((await listKeys()).find((k) => k.id === created.id)).toEqual(res.body);
  });

  it("answers 404 for an unknown id and 400 for a malformed one", async () => {
    const missing = await rest(admin, "DELETE", "/admin/api-keys/0190f0e0-0000-7000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("not found") });
    const malformed = await rest(admin, "DELETE", "/admin/api-keys/not-a-uuid");
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("BAD_REQUEST");
  });
});
