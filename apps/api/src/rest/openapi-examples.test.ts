import { ArtifactUploaded, DownloadArtifactInput, LogArtifactQuery } from "@stepwise/core/schemas";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { artifactExamples, artifactOpenApiPaths } from "../artifacts/openapi-paths";
import { appRouter } from "../routers";
import type { Meta } from "../trpc/init";
import { buildOpenApiDocument } from "./openapi-document";
import { restRoutes } from "./routes";

// The examples sit beside the procedures (their `.meta({ examples })`); here they meet the procedures' own
// zod schemas, so that an example can never drift from what the API accepts and answers.
type Procedure = { _def: { inputs: z.ZodType[]; output?: z.ZodType; meta?: Meta } };
const procedures = appRouter._def.procedures as unknown as Record<string, Procedure>;

type Media = { schema?: unknown; example?: unknown };
type Operation = {
  parameters?: { name: string; in: string; example?: unknown }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
};
const doc = buildOpenApiDocument(appRouter, artifactOpenApiPaths) as unknown as {
  paths: Record<string, Record<string, Operation>>;
};
const operation = (method: string, path: string) => doc.paths[path]?.[method.toLowerCase()] as Operation;

const routes = restRoutes(appRouter).map((r) => [`${r.method} ${r.path}`, r] as const);

describe.each(routes)("examples of %s", (_, route) => {
  const procedure = procedures[route.procedurePath] as Procedure;
  const [input] = procedure._def.inputs;
  const request = route.examples?.request as Record<string, unknown> | undefined;

  it("has a request example that the input schema accepts, with no field it would drop", () => {
    if (!input) return expect(request).toBeUndefined();
    expect(request).toBeDefined();
    expect(() => input.parse(request)).not.toThrow();
    const shape = (input as unknown as z.ZodObject).shape;
    expect(Object.keys(shape)).toEqual(expect.arrayContaining(Object.keys(request ?? {})));
  });

  it("has a response example that the output schema returns unchanged", () => {
    expect(route.examples?.response).toBeDefined();
    expect(procedure._def.output?.parse(route.examples?.response)).toEqual(route.examples?.response);
  });

  it("shows them in the document: on every parameter, the request body and the success response", () => {
    const op = operation(route.method, route.path);
    const parameters = (op.parameters ?? []).filter((p) => p.in === "path" || p.in === "query");
    for (const p of parameters) expect(p.example, `parameter ${p.name}`).toBeDefined();
    const body = op.requestBody?.content["application/json"]?.example as Record<string, unknown> | undefined;
    const fromParameters = Object.fromEntries(parameters.map((p) => [p.name, p.example]));
    expect({ ...fromParameters, ...body }).toEqual(request ?? {});
    if (op.requestBody && Object.keys(request ?? {}).some((key) => !(key in fromParameters))) {
      expect(body).toBeDefined();
    }
    expect(op.responses[route.successStatus]?.content?.["application/json"]?.example).toEqual(route.examples?.response);
  });
});

describe("examples of the plain artifact routes", () => {
  it("match the routes' schemas and appear in the document", () => {
    expect(() => LogArtifactQuery.parse(artifactExamples.upload.query)).not.toThrow();
    expect(ArtifactUploaded.parse(artifactExamples.uploaded)).toEqual(artifactExamples.uploaded);
    expect(() => DownloadArtifactInput.parse(artifactExamples.download)).not.toThrow();

    const upload = operation("post", "/experiments/runs/{id}/log-artifact");
    const download = operation("get", "/experiments/runs/{id}/artifacts/download");
    const examples = (op: Operation) => Object.fromEntries((op.parameters ?? []).map((p) => [p.name, p.example]));
    expect(examples(upload)).toEqual(artifactExamples.upload.query);
    expect(upload.responses[200]?.content?.["application/json"]?.example).toEqual(artifactExamples.uploaded);
    expect(examples(download)).toEqual(artifactExamples.download);
  });
});
