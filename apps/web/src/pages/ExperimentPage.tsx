import { RunStatus } from "@stepwise/core/schemas";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { ColumnPicker } from "../components/ColumnPicker";
import { FirstRun } from "../components/FirstRun";
import { RunsTable } from "../components/RunsTable";
import { Empty, ErrorMessage, Loading } from "../components/states";
import { useTRPC } from "../lib/api";
import {
  type Column,
  defaultColumns,
  nextSort,
  parseSort,
  runColumns,
  sortParam,
  sortRuns,
  toggleColumn,
  visibleColumns,
} from "../lib/columns";
import { COMPARE_MAX, COMPARE_MIN } from "../lib/compare";
import { useTitle } from "../lib/hooks";
import { Link, listParam, navigate, paths, useSearchParams } from "../lib/router";
import { type RunStatusFilter, useAllRuns } from "../lib/use-runs";

/** An experiment's runs. The view's state is in the URL: ?status=, ?cols=, ?sort=<column>:<dir>, ?sel=<ids>. */
export function ExperimentPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const experiment = useQuery(trpc.experiments.get.queryOptions({ id }));
  useTitle(experiment.data?.name ?? "Experiment");
  const [params, setParams] = useSearchParams();
  const statusParam = params.get("status");
  const status = RunStatus.options.find((s) => s === statusParam) as RunStatusFilter | undefined;
  const runs = useAllRuns(id, status);
  const picked = params.has("cols") ? listParam(params.get("cols")) : null;
  const sort = parseSort(params.get("sort"));
  const selectedParam = params.get("sel");
  const selected = useMemo(() => new Set(listParam(selectedParam)), [selectedParam]);

  const columns = useMemo(() => runColumns(runs.data ?? []), [runs.data]);
  const chosen = picked ?? defaultColumns(columns);
  const shown = visibleColumns(columns, chosen);
  // Durations of running runs count up to the time of the last refresh.
  const now = runs.dataUpdatedAt || Date.now();
  const sorted = useMemo(
    () =>
      sortRuns(
        runs.data ?? [],
        columns.find((c) => c.id === sort?.column),
        sort?.dir ?? "asc",
        now,
      ),
    [runs.data, columns, sort?.column, sort?.dir, now],
  );

  const setSelected = (next: Set<string>) => setParams({ sel: [...next].join(",") });
  const toggle = (runId: string) => {
    const next = new Set(selected);
    if (next.has(runId)) next.delete(runId);
    else next.add(runId);
    setSelected(next);
  };
  const onSort = (column: Column) => setParams({ sort: sortParam(nextSort(sort, column)) });
  const count = selected.size;

  if (experiment.isError) return <ErrorMessage error={experiment.error} retry={() => experiment.refetch()} />;
  return (
    <section>
      <div className="crumbs">
        <Link to={paths.experiments()}>Experiments</Link> /
      </div>
      <div className="page-head">
        <h1>{experiment.data?.name ?? "Experiment"}</h1>
        {experiment.data?.lifecycle_stage === "deleted" && <span className="badge">archived</span>}
        {experiment.data?.description && <span className="muted">{experiment.data.description}</span>}
      </div>
      <div className="toolbar">
        <label>
          Status{" "}
          <select value={status ?? ""} onChange={(e) => setParams({ status: e.target.value, sel: null })}>
            <option value="">All</option>
            {RunStatus.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" aria-live="polite">
          {runs.data ? `${runs.data.length} run${runs.data.length === 1 ? "" : "s"}` : ""}
          {count > 0 ? `, ${count} selected` : ""}
        </span>
        <span className="spacer" />
        {count > 0 && (
          <button type="button" className="link" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        )}
        <button
          type="button"
          className="primary"
          disabled={count < COMPARE_MIN || count > COMPARE_MAX}
          title={`Select ${COMPARE_MIN} to ${COMPARE_MAX} runs to compare them`}
          onClick={() => navigate(paths.compare(sorted.filter((r) => selected.has(r.id)).map((r) => r.id)))}
        >
          Compare{count > 0 ? ` ${count} runs` : ""}
        </button>
        <ColumnPicker
          columns={columns}
          picked={chosen}
          onToggle={(columnId) => setParams({ cols: toggleColumn(chosen, columnId).join(",") || "," })}
        />
      </div>
      {count > COMPARE_MAX && (
        <p className="inline-error" role="alert">
          Compare takes at most {COMPARE_MAX} runs: {count} are selected.
        </p>
      )}
      {runs.isPending ? (
        <Loading what="runs" />
      ) : runs.isError ? (
        <ErrorMessage error={runs.error} retry={() => runs.refetch()} />
      ) : sorted.length === 0 ? (
        status ? (
          <Empty>No {status} runs in this experiment.</Empty>
        ) : (
          <FirstRun experimentId={id} experimentName={experiment.data?.name ?? ""} />
        )
      ) : (
        <RunsTable
          runs={sorted}
          columns={shown}
          sort={sort}
          onSort={onSort}
          selected={selected}
          onToggle={toggle}
          now={now}
        />
      )}
    </section>
  );
}
