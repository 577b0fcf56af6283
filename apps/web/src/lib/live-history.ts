import { LIMITS } from "@stepwise/core/schemas";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { type History, useTRPC, useTRPCClient } from "./api";
import { historyInput, type StepWindow } from "./history";

type Point = History["points"][number];
/** New points kept on top of the overview before it is read again (downsampled) instead. */
const TAIL_MAX = 5000;

/**
 * A chart's history that, while the run is live, grows by only what is new: when the run's latest step of
 * the metric (from the run's own refresh) passes the last step drawn, it asks for the steps after it
 * (start_step), and appends them. A zoomed window is read once, as it is.
 */
export function useLiveHistory(
  runId: string,
  key: string,
  window: StepWindow | null,
  latestStep: number | undefined,
  live: boolean,
) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const base = useQuery({
    ...trpc.runs.metricHistory.queryOptions(historyInput(runId, key, window)),
    placeholderData: keepPreviousData,
  });
  const [tail, setTail] = useState<{ of: number; points: Point[] }>({ of: 0, points: [] });
  const points = tail.of === base.dataUpdatedAt ? tail.points : [];
  const lastStep = (points.at(-1) ?? base.data?.points.at(-1))?.step;
  const busy = useRef(false);
  /** The latest step last asked for, with the overview it was asked on: each is asked for once. */
  const asked = useRef("");

  useEffect(() => {
    if (!live || window || !base.data || base.isPlaceholderData || latestStep === undefined) return;
    if (lastStep !== undefined && latestStep <= lastStep) return;
    const of = base.dataUpdatedAt;
    if (busy.current || asked.current === `${of}:${latestStep}`) return;
    busy.current = true;
    asked.current = `${of}:${latestStep}`;
    const since = lastStep === undefined ? undefined : lastStep + 1;
    client.runs.metricHistory
      .query({ id: runId, key, start_step: since, max_points: LIMITS.historyPointsMax })
      .then((next) => {
        if (next.downsampled || points.length + next.points.length > TAIL_MAX) return base.refetch();
        setTail({ of, points: [...points, ...next.points] });
      })
      .catch(() => undefined)
      .finally(() => {
        busy.current = false;
      });
  }, [live, window, base, latestStep, lastStep, points, client, runId, key]);

  const data: History | undefined = base.data && {
    ...base.data,
    points: points.length ? [...base.data.points, ...points] : base.data.points,
    total_points: base.data.total_points + points.length,
  };
  return { ...base, data };
}
