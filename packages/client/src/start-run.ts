import { checkBatchSize } from "./buffer";
import { findOrCreateExperiment } from "./experiment-calls";
import { withRetry } from "./retry";
import { Run, type RunOptions } from "./run";
import type { Api } from "./types";

export interface StartRunInput {
  /** The experiment's exact name; it is created when no active experiment has it. */
  experiment: string;
  /** The run's name; the server generates one when missing. */
  name?: string;
  description?: string;
  params?: Record<string, string | number | boolean>;
  tags?: Record<string, string>;
}

/**
 * Finds or creates the experiment, creates a RUNNING run and logs its params and tags before returning, so that
 * their errors (a bad key, too long a value) throw here; the run is then ended as FAILED.
 */
export async function startRun(api: Api, input: StartRunInput, options: RunOptions = {}): Promise<Run> {
  if (options.batchSize !== undefined) checkBatchSize(options.batchSize); // before anything is created
  const experiment = await findOrCreateExperiment(api, input.experiment, options.retry);
  // One Idempotency-Key for every attempt: a retry after a lost answer gets the same run, not a second one.
  const context = { idempotencyKey: crypto.randomUUID() };
  const created = await withRetry(
    () =>
      api.runs.create.mutate(
        { experiment_id: experiment.id, name: input.name, description: input.description },
        { context },
      ),
    options.retry,
  );
  const run = new Run(api, created, options);
  if (!input.params && !input.tags) return run;
  try {
    if (input.params) run.logParams(input.params);
    if (input.tags) run.setTags(input.tags);
    await run.flush();
  } catch (error) {
    await run.end("FAILED").catch(() => {});
    throw error;
  }
  return run;
}
