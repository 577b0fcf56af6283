import { LIMITS } from "@stepwise/core/schemas";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type Inputs, type Run, useTRPC, useTRPCClient } from "./api";

export type RunStatusFilter = NonNullable<Inputs["runs"]["list"]["status"]>;
type ListInput = Inputs["runs"]["list"];

/** How often the table looks for changes while any run is RUNNING. */
export const RUNS_LIVE_MS = 5000;

/**
 * Every run of an experiment (pages of 1000). While any of them runs, every RUNS_LIVE_MS it asks only for what
 * can have changed: the RUNNING runs, each run that was running and no longer is, and the list's total (one
 * run's worth); a total that the merged list does not match (a run that started and ended between two looks)
 * reloads the list. Paused in hidden tabs.
 */
export function useAllRuns(experimentId: string, status: RunStatusFilter | undefined) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const input = { experiment_id: experimentId, status };
  const queryKey = [...trpc.runs.list.queryKey(input), "all"];
  const listAll = async (of: ListInput) => {
    const runs: Run[] = [];
    for (;;) {
      const page = await client.runs.list.query({ ...of, limit: LIMITS.pageSizeMax, offset: runs.length });
      runs.push(...page.runs);
      if (page.runs.length === 0 || runs.length >= page.total) return runs;
    }
  };
  // An empty experiment is looked at again too, so a first run shows as it starts.
  const all = useQuery({
    queryKey,
    queryFn: () => listAll(input),
    refetchInterval: (query) => (query.state.data?.length === 0 ? RUNS_LIVE_MS : false),
    refetchIntervalInBackground: false,
  });
  const live = all.data?.some((run) => run.status === "RUNNING") ?? false;
  useQuery({
    queryKey: [...queryKey, "changes"],
    enabled: live,
    // The full list was just read: the first look for changes is one interval later.
    initialData: null,
    initialDataUpdatedAt: () => all.dataUpdatedAt,
    staleTime: RUNS_LIVE_MS,
    refetchInterval: RUNS_LIVE_MS,
    refetchIntervalInBackground: false,
    queryFn: async () => {
      const current = queryClient.getQueryData<Run[]>(queryKey) ?? [];
      const [running, head] = await Promise.all([
        listAll({ experiment_id: experimentId, status: "RUNNING" }),
        client.runs.list.query({ ...input, limit: 1 }),
      ]);
      const stillRunning = new Set(running.map((r) => r.id));
      const ended = await Promise.all(
        current
          .filter((r) => r.status === "RUNNING" && !stillRunning.has(r.id))
          .map((r) => client.runs.get.query({ id: r.id })),
      );
      const changed = new Map([...running, ...ended].map((r) => [r.id, r]));
      const known = new Set(current.map((r) => r.id));
      const merged = [...running.filter((r) => !known.has(r.id)), ...current.map((r) => changed.get(r.id) ?? r)].filter(
        (r) => !status || r.status === status,
      );
      if (merged.length !== head.total) await queryClient.invalidateQueries({ queryKey, exact: true });
      else queryClient.setQueryData(queryKey, merged);
      return Date.now();
    },
  });
  return all;
}
