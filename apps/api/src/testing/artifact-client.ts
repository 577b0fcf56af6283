import { createHash, randomFillSync } from "node:crypto";
import type { TestTenant } from "@stepwise/core/testing";
import type { testApp } from "./app";

type App = Awaited<ReturnType<typeof testApp>>;

export const bytes = (n: number): Uint8Array<ArrayBuffer> => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
export const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Upload, list and download calls for one run of a test tenant, as a client sends them. */
export function artifactClient({ app, rest }: App, me: TestTenant, runId: string) {
  return {
    upload(
      bytes: Uint8Array<ArrayBuffer>,
      options: { name?: string; folder?: string; field?: string; runId?: string } = {},
    ) {
      const form = new FormData();
      form.append(options.field ?? "file", new Blob([bytes]), options.name ?? "model.bin");
      const query = options.folder === undefined ? "" : `?${new URLSearchParams({ artifact_path: options.folder })}`;
      return app.request(`/api/v1/experiments/runs/${options.runId ?? runId}/log-artifact${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${me.key}` },
        body: form,
      });
    },
    download: (path: string) =>
      app.request(`/api/v1/experiments/runs/${runId}/artifacts/download?${new URLSearchParams({ path })}`, {
        headers: { authorization: `Bearer ${me.key}` },
      }),
    list: (path?: string) =>
      rest(
        me,
        "GET",
        `/experiments/runs/${runId}/artifacts${path === undefined ? "" : `?${new URLSearchParams({ path })}`}`,
      ),
  };
}

/** `n` random bytes, fast enough for files of tens of MiB. */
export const randomData = (n: number): Uint8Array<ArrayBuffer> => randomFillSync(new Uint8Array(n));

/** A fresh tenant with one run of one experiment, and the artifact calls for that run. */
export async function newArtifactRun(t: App, experimentName: string) {
  const me = await t.newTenant();
  const experiment = (await t.rest(me, "POST", "/experiments", { body: { name: experimentName } })).body;
  const run: { id: string; artifact_uri: string } = (
    await t.rest(me, "POST", "/experiments/runs", { body: { experiment_id: experiment.id } })
  ).body;
  return { me, run, client: artifactClient(t, me, run.id) };
}
export type ArtifactRun = Awaited<ReturnType<typeof newArtifactRun>>;
