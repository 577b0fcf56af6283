import { openAsBlob, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { rssMiB } from "./server";
import { type Api, call, createRun, peakRss } from "./workloads";

export interface ArtifactFigures {
  uploadMiBs: number;
  uploadRssGrowth: number;
  downloadMiBs: number;
  downloadRssGrowth: number;
}

/** A file of `size` bytes in `dir` (written in 4 MiB chunks, so the bench's own memory stays flat). */
export async function benchFile(dir: string, size: number) {
  const file = join(dir, "artifact.bin");
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31) % 251;
  const handle = await open(file, "w");
  for (let written = 0; written < size; written += chunk.length) {
    await handle.write(chunk, 0, Math.min(chunk.length, size - written));
  }
  await handle.close();
  return { file, remove: () => rmSync(file, { force: true }) };
}

/**
 * Uploads `file` to a new run of an experiment (with `artifactLocation`, else the server's default root)
 * and downloads it again, with throughput and the server's peak RSS growth over idle for each direction.
 */
export async function benchArtifact(
  api: Api,
  pid: number,
  file: string,
  size: number,
  artifactLocation?: string,
): Promise<ArtifactFigures> {
  const body = JSON.stringify({ name: `artifacts-${Date.now()}`, artifact_location: artifactLocation });
  const experiment = (await call(api, "POST", "/experiments", body)).id as string;
  const run = await createRun(api, experiment);
  const idle = rssMiB(pid);
  const form = new FormData();
  form.append("file", await openAsBlob(file), "artifact.bin");
  let uploadSeconds = 0;
  const upPeak = await peakRss(pid, async () => {
    const start = performance.now();
    const res = await fetch(`${api.url}/api/v1/experiments/runs/${run}/log-artifact`, {
      method: "POST",
      headers: { authorization: `Bearer ${api.key}` },
      body: form,
    });
    if (!res.ok) throw new Error(`upload -> ${res.status}: ${await res.text()}`);
    uploadSeconds = (performance.now() - start) / 1000;
  });
  const downIdle = rssMiB(pid);
  let received = 0;
  let downloadSeconds = 0;
  const downPeak = await peakRss(pid, async () => {
    const start = performance.now();
    const res = await fetch(`${api.url}/api/v1/experiments/runs/${run}/artifacts/download?path=artifact.bin`, {
      headers: { authorization: `Bearer ${api.key}` },
    });
    for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) received += part.length;
    downloadSeconds = (performance.now() - start) / 1000;
  });
  if (received !== size) throw new Error(`downloaded ${received} of ${size} bytes`);
  return {
    uploadMiBs: size / 2 ** 20 / uploadSeconds,
    uploadRssGrowth: upPeak - idle,
    downloadMiBs: size / 2 ** 20 / downloadSeconds,
    downloadRssGrowth: downPeak - downIdle,
  };
}
