import { LIMITS } from "@stepwise/core/schemas";
import { useQuery } from "@tanstack/react-query";
import { type Inputs, type Run, useTRPC, useTRPCClient } from "./api";

export type RunStatusFilter = NonNullable<Inputs["runs"]["list"]["status"]>;

/** Every run of an experiment (pages of 1000), refreshed every 5 s while any of them runs. */
export function useAllRuns(experimentId: string, status: RunStatusFilter | undefined) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const input = { experiment_id: experimentId, status };
  return useQuery({
    queryKey: [...trpc.runs.list.queryKey(input), "all"],
    queryFn: async () => {
      const runs: Run[] = [];
      for (;;) {
        const page = await client.runs.list.query({ ...input, limit: LIMITS.pageSizeMax, offset: runs.length });
        runs.push(...page.runs);
        if (page.runs.length === 0 || runs.length >= page.total) return runs;
      }
    },
    refetchInterval: (query) => (query.state.data?.some((run) => run.status === "RUNNING") ? 5000 : false),
  });
}
