import type { AnyRouter } from "@trpc/server";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import { describeIssues, type Issue } from "../trpc/errors";
import { asRestCall } from "../trpc/strict-inputs";

type NodeHandlerOptions = Parameters<typeof createOpenApiNodeHttpHandler>[0];

interface RestHandlerOptions {
  /** The path prefix of the REST routes, e.g. `/api/v1`. */
  prefix: string;
  router: AnyRouter;
  createContext: (opts: { req: Request }) => unknown;
  responseMeta: NodeHandlerOptions["responseMeta"];
  onError: NodeHandlerOptions["onError"];
}

/**
 * The REST side of the procedures, for fetch-style servers. trpc-to-openapi's own fetch adapter rebuilds its
 * procedure table (and, outside production, the whole OpenAPI document) on every request; this builds the
 * handler once. The JSON body arrives parsed already (see json-body.ts) and is handed over as is.
 */
export function createRestHandler({ prefix, ...options }: RestHandlerOptions) {
  // The node-http handler only reads method, url, headers, body and signal from the request, which a
  // fetch Request has too; the types say IncomingMessage.
  const handle = createOpenApiNodeHttpHandler(options as unknown as NodeHandlerOptions);
  return (request: Request, body: unknown): Promise<Response> => {
    const url = new URL(request.url);
    url.pathname = url.pathname.slice(prefix.length) || "/";
    const headers = new Headers(request.headers);
    if (body !== undefined) headers.set("content-type", "application/json");
    // HEAD is GET without the body (Node's server leaves it out); trpc-to-openapi answers it 204 otherwise.
    const method = request.method === "HEAD" ? "GET" : request.method;
    const req = new Proxy(request, {
      get(target, prop) {
        if (prop === "method") return method;
        if (prop === "url") return url.toString();
        if (prop === "body") return body;
        if (prop === "headers") return headers;
        return Reflect.get(target, prop, target);
      },
    });
    return new Promise((resolve) => {
      const resHeaders = new Headers();
      const res = {
        statusCode: 200,
        setHeader(key: string, value: string | string[]) {
          for (const v of Array.isArray(value) ? value : [value]) resHeaders.append(key, v);
        },
        end(payload?: string) {
          const body = this.statusCode >= 400 && payload ? contractErrorBody(payload) : payload;
          resolve(new Response(body, { status: this.statusCode, headers: resHeaders }));
        },
      };
      void asRestCall(() => handle(req as never, res as never));
    });
  };
}

const INPUT_VALIDATION_FAILED = "Input validation failed";

/**
 * trpc-to-openapi answers errors with the tRPC error shape spread in, and "Input validation failed" for every
 * validation error. Contract section 3 wants `{code, message, issues?}` with a message naming the fields.
 */
function contractErrorBody(payload: string): string {
  const body = JSON.parse(payload) as {
    code: string;
    message: string;
    data?: { issues?: Issue[]; request_id?: string; contract_code?: string };
  };
  const issues = body.data?.issues;
  const message = body.message === INPUT_VALIDATION_FAILED && issues?.length ? describeIssues(issues) : body.message;
  return JSON.stringify(
    issues?.length
      ? { code: body.code, message, issues }
      : { code: body.data?.contract_code ?? body.code, message: body.message, request_id: body.data?.request_id },
  );
}
