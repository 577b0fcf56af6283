import type { AppRouter } from "@stepwise/api/router";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { authHeaders, type Session } from "./session";

/** Inputs and outputs of every procedure, straight from the API's router type. */
export type Inputs = inferRouterInputs<AppRouter>;
export type Outputs = inferRouterOutputs<AppRouter>;
export type Experiment = Outputs["experiments"]["get"];
export type Run = Outputs["runs"]["get"];
export type Comparison = Outputs["runs"]["compare"];
export type History = Outputs["runs"]["metricHistory"];
export type ArtifactFile = Outputs["runs"]["listArtifacts"]["files"][number];

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** A tRPC client for one session, at this page's own origin. */
export function createApiClient(session: Session, origin = window.location.origin) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${origin}/trpc`, headers: () => authHeaders(session) })],
  });
}
