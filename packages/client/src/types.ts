import type { AppRouter } from "@stepwise/api/router";
import type { TRPCClient } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

/** The typed tRPC client of the whole API (types only come from the server: no code generation). */
export type Api = TRPCClient<AppRouter>;
export type ApiInputs = inferRouterInputs<AppRouter>;
export type ApiOutputs = inferRouterOutputs<AppRouter>;

export type RunResponse = ApiOutputs["runs"]["get"];
export type ExperimentResponse = ApiOutputs["experiments"]["get"];
export type EndStatus = NonNullable<ApiInputs["runs"]["end"]["status"]>;
