import { LIMITS } from "@stepwise/core/schemas";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { ChartCard } from "../components/ChartCard";
import { MetricChart, seriesStyle } from "../components/MetricChart";
import { Empty, ErrorMessage, Loading } from "../components/states";
import { type Comparison, useTRPC, useTRPCClient } from "../lib/api";
import { bestRun, COMPARE_MAX, compareGroups, mergeComparisons } from "../lib/compare";
import { type Direction, metricDirection } from "../lib/direction";
import { formatMetric } from "../lib/format";
import { alignSeries, historyColumns, parseWindow, type StepWindow, windowParam } from "../lib/history";
import { useTitle } from "../lib/hooks";
import { Link, paths, useSearchParams } from "../lib/router";

/**
 * Points per line of the whole series: 78 buckets, each keeping its low and high. Few enough that a 20,000-step
 * series is read from the 256-step pre-aggregated buckets (78 rows) rather than the 16-step ones (1250 rows),
 * which is what keeps 10 runs x 8 metrics quick; zooming reads the window at full detail.
 */
const OVERVIEW_POINTS = 160;
/** Points per line of a zoomed window. */
const WINDOW_POINTS = 2000;

/** The points per line that keep one bulk request within the API's bound on runs x keys x points. */
export const pointsPerLine = (runs: number, keys: number, wanted: number) =>
  Math.max(LIMITS.historyPointsMin, Math.min(wanted, Math.floor(LIMITS.historyBulkPoints / Math.max(1, runs * keys))));

/**
 * Compare 2-100 runs: the summaries and params (runs.compare, 10 runs a call), and every chart's lines from
 * one bulk history request per 50 metrics. One legend for all charts; a shared zoom window (?zoom=) for all.
 */
export function ComparePage({ ids }: { ids: string[] }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const valid = ids.length >= 2 && ids.length <= COMPARE_MAX;
  useTitle(`Compare ${ids.length} runs`);
  // Reads sent as POST (the ids go in the body), so queries of their own rather than tRPC's queryOptions.
  const compare = useQuery({
    queryKey: [...trpc.runs.compare.mutationKey(), ids],
    queryFn: async () =>
      mergeComparisons(
        await Promise.all(compareGroups(ids).map((group) => client.runs.compare.mutate({ run_ids: group }))),
      ),
    enabled: valid,
  });

  if (!valid)
    return (
      <section>
        <h1>Compare runs</h1>
        <Empty>Pick 2 to {COMPARE_MAX} runs in an experiment's run table, then press Compare.</Empty>
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
        <>
          <Legend runs={data.runs} />
          <Charts runs={data.runs} keys={data.metrics.map((m) => m.key)} />
        </>
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

/** The one legend of every chart: each run's colour and line pattern, and a link to it. */
function Legend({ runs }: { runs: Comparison["runs"] }) {
  return (
    <ul className="legend" aria-label="Runs in the charts">
      {runs.map((run, i) => (
        <li key={run.id}>
          <LineSample index={i} />
          <Link to={paths.run(run.id)}>{run.name}</Link>
        </li>
      ))}
    </ul>
  );
}

const LineSample = ({ index }: { index: number }) => {
  const { color, dash } = seriesStyle(index);
  return (
    <svg width="28" height="10" aria-hidden="true" className="line-sample">
      <line x1="0" y1="5" x2="28" y2="5" stroke={color} strokeWidth="2" strokeDasharray={dash.join(" ")} />
    </svg>
  );
};

function Charts({ runs, keys }: { runs: Comparison["runs"]; keys: string[] }) {
  const client = useTRPCClient();
  const [params, setParams] = useSearchParams();
  const window = parseWindow(params.get("zoom"));
  const setWindow = (next: StepWindow | null) => setParams({ zoom: windowParam(next) });
  const runIds = useMemo(() => runs.map((r) => r.id), [runs]);
  const maxPoints = pointsPerLine(
    runIds.length,
    Math.min(keys.length, LIMITS.historyBulkKeys),
    window ? WINDOW_POINTS : OVERVIEW_POINTS,
  );
  const histories = useQuery({
    queryKey: ["runs.metricHistories", runIds, keys, window, maxPoints],
    queryFn: async () => {
      const groups: string[][] = [];
      for (let i = 0; i < keys.length; i += LIMITS.historyBulkKeys)
        groups.push(keys.slice(i, i + LIMITS.historyBulkKeys));
      const answers = await Promise.all(
        groups.map((group) =>
          client.runs.metricHistories.mutate({
            run_ids: runIds,
            keys: group,
            max_points: maxPoints,
            ...(window ? { start_step: window.start, end_step: window.end } : {}),
          }),
        ),
      );
      return answers.flatMap((a) => a.histories);
    },
    placeholderData: keepPreviousData,
  });
  const byKey = useMemo(() => {
    const map = new Map<string, [number[], ...(number | null)[][]]>();
    for (const key of keys) {
      const lines = runIds.map((id) => historyColumns(histories.data?.find((h) => h.run_id === id && h.key === key)));
      map.set(key, alignSeries(lines));
    }
    return map;
  }, [histories.data, keys, runIds]);

  if (histories.isPending) return <Loading what="the charts" />;
  if (histories.isError) return <ErrorMessage error={histories.error} retry={() => histories.refetch()} />;
  return (
    <div className="charts" aria-busy={histories.isFetching}>
      {keys.map((key) => (
        <ChartCard key={key} title={key} window={window} onZoom={setWindow} onReset={() => setWindow(null)}>
          <MetricChart
            metric={key}
            data={byKey.get(key) ?? [[]]}
            labels={runs.map((r) => r.name)}
            onZoom={setWindow}
            dashed
            legend={false}
            syncKey="compare"
          />
        </ChartCard>
      ))}
    </div>
  );
}

function RunHeads({ runs }: { runs: Comparison["runs"] }) {
  return runs.map((run, i) => (
    <th scope="col" key={run.id}>
      <LineSample index={i} />
      <Link to={paths.run(run.id)}>{run.name}</Link>
    </th>
  ));
}

/** Each metric's last value per run, with min and max; the best run marked where the metric's name says which way is better. */
function Summary({ data }: { data: Comparison }) {
  const [params, setParams] = useSearchParams();
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
          const chosen = params.get(`best.${row.key}`);
          const direction: Direction | undefined =
            chosen === "min" || chosen === "max" ? chosen : chosen === "none" ? undefined : metricDirection(row.key);
          const best = direction && bestRun(row, direction);
          return (
            <tr key={row.key} data-metric={row.key}>
              <th scope="row">{row.key}</th>
              <td>
                <select
                  aria-label={`Which value of ${row.key} is best`}
                  value={direction ?? "none"}
                  onChange={(e) => setParams({ [`best.${row.key}`]: e.target.value })}
                >
                  <option value="none">not marked</option>
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
  const [params, setParams] = useSearchParams();
  const onlyDiffering = params.get("differing") === "1";
  const rows = data.params.filter((p) => !onlyDiffering || p.differs);
  if (data.params.length === 0) return <Empty>None of these runs has params.</Empty>;
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          checked={onlyDiffering}
          onChange={(e) => setParams({ differing: e.target.checked ? "1" : null })}
        />
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
