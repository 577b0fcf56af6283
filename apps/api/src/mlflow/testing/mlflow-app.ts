import type { TestTenant } from "@stepwise/core/testing";
import { type TestAppOptions, testApp } from "../../testing/app";

export interface MlflowCallOptions {
  /** JSON body of a POST; query parameters of a GET (arrays repeat the parameter). */
  body?: unknown;
  query?: Record<string, string | number | (string | number)[] | undefined>;
  headers?: Record<string, string>;
  /** The key sent as Bearer (the tenant's by default); null sends none. */
  key?: string | null;
  /** The URL prefix before /api/2.0 (e.g. `/t/<slug>`); none by default. */
  prefix?: string;
}

/** The app over this file's database with a helper to call its MLflow routes in-process as a tenant. */
export async function mlflowTestApp(options: TestAppOptions = {}) {
  const base = await testApp(options);
  async function ml(as: TestTenant | null, method: string, path: string, o: MlflowCallOptions = {}) {
    const headers = new Headers(o.headers);
    const key = o.key === undefined ? as?.key : o.key;
    if (key && !headers.has("authorization")) headers.set("authorization", `Bearer ${key}`);
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(o.query ?? {})) {
      for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) search.append(k, String(one));
    }
    const qs = search.size ? `?${search}` : "";
    let body: string | Uint8Array | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === "string" || o.body instanceof Uint8Array ? o.body : JSON.stringify(o.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    const url = path.startsWith("/") ? path : `${o.prefix ?? ""}/api/2.0/mlflow/${path}`;
    const res = await base.app.request(`${url}${qs}`, { method, headers, body: body as BodyInit | undefined });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
    return { status: res.status, body: json as any, text, headers: res.headers };
  }
  return { ...base, ml };
}
