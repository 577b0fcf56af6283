import { classify } from "./http";
import { type RetryOptions, withRetry } from "./retry";
import type { Api, EndStatus, ExperimentResponse, RunResponse } from "./types";

const PAGE = 1000;

/** The active experiment named exactly `name`: `search` is a case-insensitive substring match, so compare and page. */
async function findExperiment(api: Api, name: string, retry?: RetryOptions) {
  for (let offset = 0; ; offset += PAGE) {
    const page = await withRetry(() => api.experiments.list.query({ search: name, limit: PAGE, offset }), retry);
    const hit = page.experiments.find((e) => e.name === name);
    if (hit) return hit;
    if (page.experiments.length < PAGE || offset + PAGE >= page.total) return undefined;
  }
}

/** Finds the experiment or creates it; a 409 means another client created it meanwhile, so read it again. */
export async function findOrCreateExperiment(
  api: Api,
  name: string,
  retry?: RetryOptions,
): Promise<ExperimentResponse> {
  const trimmed = name.trim(); // the server trims names
  const found = await findExperiment(api, trimmed, retry);
  if (found) return found;
  try {
    return await withRetry(() => api.experiments.create.mutate({ name: trimmed }), retry);
  } catch (error) {
    const raced = classify(error).status === 409 ? await findExperiment(api, trimmed, retry) : undefined;
    if (raced) return raced;
    throw error;
  }
}

/** Ends the run. A retry whose first attempt's answer was lost gets a 409 (already ended): then read the run. */
export async function endRun(api: Api, id: string, status: EndStatus, retry?: RetryOptions): Promise<RunResponse> {
  let retried = false;
  try {
    return await withRetry((attempt) => {
      retried = attempt > 1;
      return api.runs.end.mutate({ id, status });
    }, retry);
  } catch (error) {
    if (!retried || classify(error).status !== 409) throw error;
    const run = await withRetry(() => api.runs.get.query({ id }), retry);
    if (run.status !== status) throw error;
    return run;
  }
}
