import { Readable } from "node:stream";
import {
  type ArtifactSettings,
  type ArtifactStore,
  type ArtifactUploadResult,
  artifactPathSegments,
  artifactStore,
  type Database,
  DomainError,
  getRunRowOrThrow,
  getWritableRunOrThrow,
  invalid,
} from "@stepwise/core";
import { RunIdInput } from "@stepwise/core/schemas";
import busboy from "busboy";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { invalidInput } from "../http/errors";
import type { Metrics } from "../http/metrics";
import { honoPath } from "../rest/routes";
import { access } from "../trpc/access";

export interface ArtifactRouteDeps {
  db: Database;
  artifacts: ArtifactSettings;
  metrics: Metrics;
  maxArtifactBytes: number;
  /** Middlewares every route runs first (the rate limit). */
  limits: MiddlewareHandler[];
}

export const UPLOAD_PATH = "/experiments/runs/{id}/log-artifact";
export const DOWNLOAD_PATH = "/experiments/runs/{id}/artifacts/download";

/** A query parameter given at most once (as the procedures' routes require too). */
function oneQuery(c: Context, name: string) {
  const values = c.req.queries(name) ?? [];
  if (values.length > 1) throw invalid(`give ${name} once, not ${values.length} times`, name);
  return values[0];
}

/**
 * The tenant of the request and its run ID (path `:id`), after the same key, tenant and ID checks as every
 * procedure, in the same order: 401/403 before anything about the input.
 */
async function runAccess(c: Context, db: Database) {
  const { tenantId } = await access(db, c.req.raw.headers, "tenant");
  const parsed = RunIdInput.safeParse({ id: c.req.param("id") });
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  return { tenantId, runId: parsed.data.id };
}

/** Reads the multipart body as a stream and saves its `file` field; nothing is buffered whole. */
function receiveFile(c: Context, store: ArtifactStore, folder: string[], maxBytes: number) {
  const type = c.req.header("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) {
    throw new DomainError("INVALID_ARGUMENT", "Send the file as multipart/form-data in the field 'file'");
  }
  const body = c.req.raw.body;
  if (!body) throw new DomainError("INVALID_ARGUMENT", "The request has no body: send the file in the field 'file'");
  let parser: busboy.Busboy;
  try {
    // One file and a few small fields at most; busboy stops reading anything beyond.
    parser = busboy({
      headers: { "content-type": type },
      limits: { files: 1, fields: 20, parts: 21, fieldSize: 64 * 1024 },
      preservePath: true,
      // File names as UTF-8 (busboy's default is Latin-1: 'ü.txt' became 'Ã¼.txt'), as browsers and curl send them.
      defParamCharset: "utf8",
    });
  } catch (error) {
    // A Content-Type without a boundary, say.
    throw new DomainError(
      "INVALID_ARGUMENT",
      `Malformed multipart Content-Type (${(error as Error).message}): send it as 'multipart/form-data; boundary=...', as HTTP clients do for a form`,
    );
  }
  return new Promise<ArtifactUploadResult>((done, fail) => {
    const source = Readable.fromWeb(body as never);
    let saving: Promise<ArtifactUploadResult> | undefined;
    let receiving: Readable | undefined;
    parser.on("file", (field, stream, info) => {
      receiving = stream;
      try {
        if (field !== "file") {
          throw new DomainError(
            "INVALID_ARGUMENT",
            `Unexpected file field '${field}': send the file in the field 'file'`,
          );
        }
        const segments = artifactPathSegments(info.filename, "file", false);
        if (segments.length !== 1) {
          throw new DomainError(
            "INVALID_ARGUMENT",
            `file name '${info.filename}' must not hold '/': name the folder in artifact_path instead`,
          );
        }
        saving = store.save(folder, segments[0] as string, stream, maxBytes);
        saving.catch((error) => {
          source.destroy();
          fail(error);
        });
      } catch (error) {
        stream.resume();
        fail(error);
      }
    });
    parser.on("close", () => {
      if (!saving)
        fail(new DomainError("INVALID_ARGUMENT", "No file: send it as multipart/form-data in the field 'file'"));
      else saving.then(done, fail);
    });
    parser.on("error", (error) =>
      fail(new DomainError("INVALID_ARGUMENT", `Malformed multipart body: ${(error as Error).message}`)),
    );
    // A client that disconnects halfway: end the file stream too, so that its temporary file is removed.
    source.on("error", (error) => {
      receiving?.destroy(error);
      fail(new DomainError("INVALID_ARGUMENT", "The upload was cut off before it completed"));
    });
    source.pipe(parser);
  });
}

/** The route's template, for logs and metrics. */
const named =
  (route: string): MiddlewareHandler =>
  (c, next) => {
    c.set("route", `/api/v1${route}`);
    return next();
  };

/**
 * Upload and download: plain HTTP routes (multipart in, bytes out) beside the procedures' REST routes. Errors
 * are thrown to the app's error handler, which answers them as the procedures' are (http/errors.ts).
 */
export function artifactRoutes({ db, artifacts, metrics, maxArtifactBytes, limits }: ArtifactRouteDeps) {
  return new Hono()
    .post(honoPath(UPLOAD_PATH), named(UPLOAD_PATH), ...limits, async (c) => {
      const { tenantId, runId } = await runAccess(c, db);
      const folder = artifactPathSegments(oneQuery(c, "artifact_path"), "artifact_path");
      const run = await getWritableRunOrThrow(db, tenantId, runId);
      if (Number(c.req.header("content-length") ?? 0) > maxArtifactBytes + 64 * 1024) {
        throw new DomainError("PAYLOAD_TOO_LARGE", `The upload is over the limit of ${maxArtifactBytes} bytes`);
      }
      const store = artifactStore(run.artifactUri, artifacts);
      const saved = await receiveFile(c, store, folder, maxArtifactBytes);
      metrics.artifactBytes.inc({ direction: "in" }, saved.size);
      return c.json(saved);
    })
    .get(honoPath(DOWNLOAD_PATH), named(DOWNLOAD_PATH), ...limits, async (c) => {
      const { tenantId, runId } = await runAccess(c, db);
      const segments = artifactPathSegments(oneQuery(c, "path"), "path", false);
      const { run } = await getRunRowOrThrow(db, tenantId, runId);
      const file = await artifactStore(run.artifactUri, artifacts).open(segments);
      file.stream.on("data", (chunk: Buffer) => metrics.artifactBytes.inc({ direction: "out" }, chunk.length));
      const name = (segments.at(-1) as string).replace(/[^\w.\- ]/g, "_");
      return c.body(Readable.toWeb(file.stream) as ReadableStream, 200, {
        "Content-Type": "application/octet-stream",
        "Content-Disposition": `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(segments.at(-1) as string)}`,
        "Content-Length": String(file.size),
        "X-Content-Type-Options": "nosniff",
      });
    });
}
