import { vi } from "vitest";

type Answer = { status?: number; body: unknown };

/** The JSON body tRPC sends for an error (what the API's error formatter gives). */
export const trpcError = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: { message, code: -32000, data: { code, httpStatus: status } } },
});

/** A tRPC success body. */
export const trpcData = (data: unknown): Answer => ({ body: { result: { data } } });

/**
 * Replaces `fetch` with a stand-in that answers by path (`/trpc/experiments.list`, `/app/config.json`);
 * `route` sees the parsed tRPC input. Returns the mock, to read the calls made.
 */
export function fakeApi(route: (path: string, input: unknown, init?: RequestInit) => Answer | undefined) {
  const mock = vi.fn(async (request: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(request instanceof Request ? request.url : request), "http://localhost");
    const raw = url.searchParams.get("input") ?? (typeof init?.body === "string" ? init.body : null);
    const answer = route(url.pathname, raw ? JSON.parse(raw) : undefined, init) ?? {
      status: 404,
      body: { code: "NOT_FOUND" },
    };
    return new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { "content-type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", mock);
  return mock;
}
