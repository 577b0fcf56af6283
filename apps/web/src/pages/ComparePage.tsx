import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { ChartCard } from "../components/ChartCard";
import { MetricChart, PALETTE } from "../components/MetricChart";
import { Empty, ErrorMessage, Loading } from "../components/states";
import { type Comparison, useTRPC, useTRPCClient } from "../lib/api";
import { bestRun, type Direction, guessDirection } from "../lib/compare";
import { formatMetric } from "../lib/format";
import { alignSeries, historyColumns, historyInput, type StepWindow } from "../lib/history";
import { Link, paths } from "../lib/router";

export function ComparePage({ ids }: { ids: string[] }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const valid = ids.length >= 2 && ids.length <= 10;
  // A read sent as POST (the ids go in the body), so a query of its own rather than tRPC's queryOptions.
  const compare = useQuery({
    queryKey: [...trpc.runs.compare.mutationKey(), ids],
    queryFn: () => client.runs.compare.mutate({ run_ids: ids }),
    enabled: valid,
  });

  if (!valid)
    return (
      <section>
        <h1>Compare runs</h1>
        <Empty>Pick 2 to 10 runs in an experiment's run table, then press Compare.</Empty>
      </section>
    );
  if (compare.isPending) return <Loading what="the comparison" />;
  if (compare.isError) return <ErrorMessage error={compare.error} retry={() => compare.refetch()} />;
  const data = compare.data;

  return (
    <section>
      <div className="crumbs">
        <Link to={paths.experiments()}>Experiments</Link> / <ExperimentLink id={data.runs[0]?.experiment_id} /> /
      </div>
      <div className="page-head">
        <h1>Compare {data.runs.length} runs</h1>
      </div>
      <h2>Metrics</h2>
      {data.metrics.length === 0 ? (
        <Empty>None of these runs has logged a metric.</Empty>
      ) : (
        <div className="charts">
          {data.metrics.map((m) => (
            <CompareChart key={m.key} metric={m.key} runs={data.runs} />
          ))}
        </div>
      )}
      <h2>Summary</h2>
      <Summary data={data} />
      <h2>Params</h2>
      <Params data={data} />
    </section>
  );
}

function ExperimentLink({ id }: { id: string | undefined }) {
  const trpc = useTRPC();
  const experiment = useQuery({ ...trpc.experiments.get.queryOptions({ id: id ?? "" }), enabled: !!id });
  return id ? <Link to={paths.experiment(id)}>{experiment.data?.name ?? "Experiment"}</Link> : null;
}

function CompareChart({ metric, runs }: { metric: string; runs: Comparison["runs"] }) {
  const trpc = useTRPC();
  const [window, setWindow] = useState<StepWindow | null>(null);
  const histories = useQueries({
    queries: runs.map((run) => ({
      ...trpc.runs.metricHistory.queryOptions(historyInput(run.id, metric, window)),
      placeholderData: keepPreviousData,
    })),
  });
  const pending = histories.some((h) => h.isPending);
  const failed = histories.find((h) => h.isError);
  const stamp = histories.map((h) => h.dataUpdatedAt).join();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the stamp changes exactly when any history does
  const data = useMemo(() => alignSeries(histories.map((h) => historyColumns(h.data))), [stamp]);
  return (
    <ChartCard title={metric} window={window} onZoom={setWindow} onReset={() => setWindow(null)}>
      {pending ? (
        <Loading what={`the histories of ${metric}`} />
      ) : failed ? (
        <ErrorMessage error={failed.error} retry={() => failed.refetch()} />
      ) : (
        <MetricChart data={data} labels={runs.map((r) => r.name)} onZoom={setWindow} />
      )}
    </ChartCard>
  );
}

function RunHeads({ runs }: { runs: Comparison["runs"] }) {
  return runs.map((run, i) => (
    <th scope="col" key={run.id}>
      <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} aria-hidden="true" />
      <Link to={paths.run(run.id)}>{run.name}</Link>
    </th>
  ));
}

function Summary({ data }: { data: Comparison }) {
  const [directions, setDirections] = useState<Record<string, Direction>>({});
  if (data.metrics.length === 0) return <Empty>No metrics to summarise.</Empty>;
  return (
    <table className="summary">
      <thead>
        <tr>
          <th scope="col">Metric (last; min – max)</th>
          <th scope="col">Best is</th>
          <RunHeads runs={data.runs} />
        </tr>
      </thead>
      <tbody>
        {data.metrics.map((row) => {
          const direction = directions[row.key] ?? guessDirection(row.key);
          const best = bestRun(row, direction);
          return (
            <tr key={row.key} data-metric={row.key}>
              <th scope="row">{row.key}</th>
              <td>
                <select
                  aria-label={`Which value of ${row.key} is best`}
                  value={direction}
                  onChange={(e) => setDirections({ ...directions, [row.key]: e.target.value as Direction })}
                >
                  <option value="min">lowest</option>
                  <option value="max">highest</option>
                </select>
              </td>
              {data.runs.map((run) => {
                const s = row.runs[run.id];
                const isBest = run.id === best;
                return (
                  <td key={run.id} className={`num${isBest ? " best" : ""}`} data-best={isBest || undefined}>
                    {s ? (
                      <>
                        {formatMetric(s.last)}
                        {isBest && <span className="sr-only"> (best)</span>}
                        <span className="minmax">
                          {formatMetric(s.min)} – {formatMetric(s.max)} · step {s.last_step}
                        </span>
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Params({ data }: { data: Comparison }) {
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const rows = data.params.filter((p) => !onlyDiffering || p.differs);
  if (data.params.length === 0) return <Empty>None of these runs has params.</Empty>;
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={onlyDiffering} onChange={(e) => setOnlyDiffering(e.target.checked)} />
        Only params that differ ({data.params.filter((p) => p.differs).length})
      </label>
      <table className="params">
        <thead>
          <tr>
            <th scope="col">Param</th>
            <RunHeads runs={data.runs} />
          </tr>
        </thead>
        <tbody>
          {rows.map((param) => (
            <tr
              key={param.key}
              data-param={param.key}
              data-differs={param.differs}
              className={param.differs ? "differs" : undefined}
            >
              <th scope="row">
                {param.key}
                {param.differs && (
                  <span className="differs-mark" title="The runs differ here">
                    {" "}
                    ≠<span className="sr-only"> (differs)</span>
                  </span>
                )}
              </th>
              {data.runs.map((run) => (
                <td key={run.id}>{param.values[run.id] ?? <span className="muted">—</span>}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
