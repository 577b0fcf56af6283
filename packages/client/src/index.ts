export { type ClientOptions, createClient, type StepwiseClient } from "./client";
export { FlushError } from "./errors";
export { type Fetch, HttpStatusError } from "./http";
export type { RetryOptions } from "./retry";
export { Run, type RunOptions } from "./run";
export type { StartRunInput } from "./start-run";
export type { Api, ApiInputs, ApiOutputs, EndStatus, ExperimentResponse, RunResponse } from "./types";
