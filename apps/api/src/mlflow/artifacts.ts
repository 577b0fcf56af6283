import { Readable } from "node:stream";
import {
  artifactPathSegments,
  artifactStore,
  DomainError,
  getRunRowOrThrow,
  getWritableRunOrThrow,
  notFound,
} from "@stepwise/core";
import type { Context } from "hono";
import { mlflowExperimentId, runIdOf, uuidOf } from "./ids";
import type { MlflowRouter } from "./router";
import { parseInput, RunRef } from "./schemas";
import { listField, mlflowArtifactUri } from "./shapes";

const PREFIX = "/mlflow-artifacts/artifacts";

export function artifactRoutes({ on, deps }: MlflowRouter) {
  const { db, artifacts, maxArtifactBytes } = deps;

  /**
   * The run and the path inside its artifacts of an MLflow artifact path, `<experiment>/<run>/artifacts[/<path>]`
   * (what `mlflow-artifacts:/` URIs hold). A path of another shape, or naming another experiment than the
   * run's, is not found; the path inside follows the artifact path rules of contract section 7.
   */
  async function locate(tenantId: string, raw: string, allowRoot: boolean) {
    const [experiment, run, artifactsDir, ...rest] = raw.split("/");
    const id = run ? uuidOf(run) : null;
    if (!experiment || !id || artifactsDir !== "artifacts") throw notFound("Artifact path", raw);
    const found = await getRunRowOrThrow(db, tenantId, id);
    if (mlflowExperimentId(tenantId, found.run.experimentId) !== experiment) throw notFound("Artifact path", raw);
    const segments = artifactPathSegments(rest.join("/"), "path", allowRoot);
    return { ...found, segments, store: artifactStore(found.run.artifactUri, artifacts) };
  }

  /** The path after the route's prefix, decoded once (clients percent-encode file names in the URL). */
  function pathAfterPrefix(c: Context) {
    const pathname = new URL(c.req.url).pathname;
    const at = pathname.indexOf(`${PREFIX}/`);
    const raw = pathname.slice(at + PREFIX.length + 1);
    try {
      return decodeURIComponent(raw);
    } catch {
      throw new DomainError("INVALID_ARGUMENT", `The artifact path '${raw}' holds a malformed percent-encoding`);
    }
  }

  /** A folder's entries relative to `base` (the listed folder, or the run's root for the legacy route). */
  async function listing(store: ReturnType<typeof artifactStore>, segments: string[], base: string[]) {
    try {
      const { files } = await store.list(segments);
      return files.map((f) => ({
        path: f.path.split("/").slice(base.length).join("/"),
        is_dir: f.is_dir,
        ...(f.size !== null && !f.is_dir && { file_size: f.size }),
      }));
    } catch (error) {
      // A file, or a folder that does not exist, lists as empty (MLflow's answer: `{}`).
      if (
        error instanceof DomainError &&
        (error.code === "NOT_FOUND" || error.code === "CONFLICT" || error.code === "INVALID_ARGUMENT")
      )
        return [];
      throw error;
    }
  }

  on("GET", PREFIX, async ({ tenantId, input }) => {
    const raw = String(input.path ?? "");
    const { store, segments } = await locate(tenantId, raw, true);
    return listField("files", await listing(store, segments, segments));
  });

  on("GET", `${PREFIX}/*`, async ({ tenantId, c }) => {
    const { store, segments } = await locate(tenantId, pathAfterPrefix(c), false);
    const file = await store.open(segments);
    return c.body(Readable.toWeb(file.stream) as ReadableStream, 200, {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(file.size),
      "X-Content-Type-Options": "nosniff",
    });
  });

  on(
    "PUT",
    `${PREFIX}/*`,
    async ({ tenantId, c }) => {
      const { run, store, segments } = await locate(tenantId, pathAfterPrefix(c), false);
      await getWritableRunOrThrow(db, tenantId, run.id);
      if (Number(c.req.header("content-length") ?? 0) > maxArtifactBytes) {
        throw new DomainError("PAYLOAD_TOO_LARGE", `The upload is over the limit of ${maxArtifactBytes} bytes`);
      }
      const body = c.req.raw.body;
      const source = body ? Readable.fromWeb(body as never) : Readable.from([]);
      await store.save(segments.slice(0, -1), segments.at(-1) as string, source, maxArtifactBytes);
      return {};
    },
    { rawBody: true },
  );

  // MLflow 1.x's listing (the npm client's Artifacts.list): paths relative to the run's artifact root.
  on("GET", "/mlflow/artifacts/list", async ({ tenantId, input }) => {
    const id = runIdOf(parseInput(RunRef, input));
    const { run } = await getRunRowOrThrow(db, tenantId, id);
    const segments = artifactPathSegments(input.path === undefined ? undefined : String(input.path), "path");
    const files = await listing(artifactStore(run.artifactUri, artifacts), segments, []);
    return {
      root_uri: mlflowArtifactUri(tenantId, { id: run.id, experiment_id: run.experimentId }),
      ...listField("files", files),
    };
  });
}
