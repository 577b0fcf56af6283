import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { ChartCard } from "../components/ChartCard";
import { MetricChart } from "../components/MetricChart";
import { Empty, ErrorMessage, Loading, StatusBadge } from "../components/states";
import { type ArtifactFile, type Run, useTRPC } from "../lib/api";
import { downloadArtifact } from "../lib/download";
import { describeError } from "../lib/errors";
import { formatBytes, formatDuration, formatMetric, formatTime, runDuration } from "../lib/format";
import { historyColumns, parseWindow, windowParam } from "../lib/history";
import { useTitle } from "../lib/hooks";
import { useLiveHistory } from "../lib/live-history";
import { Link, paths, useSearchParams } from "../lib/router";
import { useSession } from "../lib/session-context";

/** How often a RUNNING run's page refreshes its facts and charts. */
const LIVE_MS = 3000;

export function RunPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const run = useQuery({
    ...trpc.runs.get.queryOptions({ id }),
    refetchInterval: (query) => (query.state.data?.status === "RUNNING" ? LIVE_MS : false),
    refetchIntervalInBackground: false,
  });
  useTitle(run.data?.name ?? (run.isError ? "Run not found" : "Run"));
  const experimentId = run.data?.experiment_id;
  const experiment = useQuery({
    ...trpc.experiments.get.queryOptions({ id: experimentId ?? "" }),
    enabled: !!experimentId,
  });

  if (run.isPending) return <Loading what="the run" />;
  if (run.isError)
    return (
      <section>
        <h1>{describeError(run.error).status === 404 ? "Run not found" : "The run could not be loaded"}</h1>
        <ErrorMessage error={run.error} retry={() => run.refetch()} />
        <p>
          <Link to={paths.experiments()}>Back to the experiments</Link>
        </p>
      </section>
    );
  const data = run.data;
  const live = data.status === "RUNNING";
  const keys = Object.keys(data.metrics).sort((a, b) => a.localeCompare(b));

  return (
    <section>
      <div className="crumbs">
        <Link to={paths.experiments()}>Experiments</Link> /{" "}
        <Link to={paths.experiment(data.experiment_id)}>{experiment.data?.name ?? "Experiment"}</Link> /
      </div>
      <div className="page-head">
        <h1>{data.name}</h1>
        <StatusBadge status={data.status} />
        {live && <span className="muted">refreshing every {LIVE_MS / 1000} s</span>}
      </div>
      <Overview run={data} now={run.dataUpdatedAt} />
      <h2>Metrics</h2>
      {keys.length === 0 ? (
        <Empty>This run has logged no metrics yet.</Empty>
      ) : (
        <div className="charts">
          {keys.map((key) => (
            <RunMetric key={key} runId={id} metric={key} live={live} latestStep={data.metrics[key]?.step} />
          ))}
        </div>
      )}
      <h2>Artifacts</h2>
      <Artifacts runId={id} />
    </section>
  );
}

function Overview({ run, now }: { run: Run; now: number }) {
  const params = Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b));
  const tags = Object.entries(run.tags).sort(([a], [b]) => a.localeCompare(b));
  const metrics = Object.entries(run.metrics).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="overview">
      <div className="card">
        <h2>Overview</h2>
        <dl className="facts">
          <dt>Status</dt>
          <dd>{run.status}</dd>
          <dt>Started</dt>
          <dd>{formatTime(run.start_time)}</dd>
          <dt>Ended</dt>
          <dd>{run.end_time ? formatTime(run.end_time) : "still running"}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(runDuration(run, now))}</dd>
          <dt>Description</dt>
          <dd>{run.description ?? <span className="muted">none</span>}</dd>
          <dt>Run ID</dt>
          <dd>
            <code>{run.id}</code>
          </dd>
        </dl>
      </div>
      <FactsCard title="Params" entries={params} empty="No params logged." />
      <FactsCard
        title="Latest metrics"
        entries={metrics.map(([k, m]) => [k, `${formatMetric(m.value)} (step ${m.step})`])}
        empty="No metrics logged."
      />
      <FactsCard title="Tags" entries={tags} empty="No tags." />
    </div>
  );
}

function FactsCard({ title, entries, empty }: { title: string; entries: [string, string][]; empty: string }) {
  return (
    <div className="card">
      <h2>{title}</h2>
      {entries.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <dl className="facts">
          {entries.map(([key, value]) => (
            <div key={key} style={{ display: "contents" }}>
              <dt>{key}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

/** One metric's chart; its zoom window is in the URL (?zoom.<metric>=<start>-<end>). */
function RunMetric({
  runId,
  metric,
  live,
  latestStep,
}: {
  runId: string;
  metric: string;
  live: boolean;
  latestStep: number | undefined;
}) {
  const [params, setParams] = useSearchParams();
  const param = `zoom.${metric}`;
  const window = parseWindow(params.get(param));
  const setWindow = (next: Parameters<typeof windowParam>[0]) => setParams({ [param]: windowParam(next) });
  const history = useLiveHistory(runId, metric, window, latestStep, live);
  const data = useMemo(() => historyColumns(history.data), [history.data]);
  const note = history.data
    ? history.data.downsampled
      ? `${history.data.points.length} of ${history.data.total_points} points (downsampled)`
      : `${history.data.total_points} points`
    : undefined;
  return (
    <ChartCard title={metric} window={window} onZoom={setWindow} onReset={() => setWindow(null)} note={note}>
      {history.isPending ? (
        <Loading what={`the history of ${metric}`} />
      ) : history.isError ? (
        <ErrorMessage error={history.error} retry={() => history.refetch()} />
      ) : (
        <MetricChart metric={metric} data={data} labels={[metric]} onZoom={setWindow} />
      )}
    </ChartCard>
  );
}

function Artifacts({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const session = useSession();
  const [path, setPath] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<string | null>(null);
  const list = useQuery(trpc.runs.listArtifacts.queryOptions({ id: runId, path }));
  const up = path?.includes("/") ? path.slice(0, path.lastIndexOf("/")) : undefined;
  const download = (file: ArtifactFile) => {
    setFailure(null);
    downloadArtifact(session, runId, file.path).catch((error) => setFailure(describeError(error).message));
  };

  if (list.isPending) return <Loading what="artifacts" />;
  if (list.isError) return <ErrorMessage error={list.error} retry={() => list.refetch()} />;
  return (
    <div>
      {path && (
        <p>
          <code>{path}/</code>{" "}
          <button type="button" className="link" onClick={() => setPath(up)}>
            Up one folder
          </button>
        </p>
      )}
      {failure && (
        <p className="inline-error" role="alert">
          {failure}
        </p>
      )}
      {list.data.files.length === 0 ? (
        <Empty>{path ? "This folder is empty." : "This run has no artifacts."}</Empty>
      ) : (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.files.map((file) => (
              <tr key={file.path}>
                <td>
                  {file.is_dir ? (
                    <button type="button" className="link" onClick={() => setPath(file.path)}>
                      {file.path}/
                    </button>
                  ) : (
                    file.path
                  )}
                </td>
                <td className="num">{file.is_dir || file.size === null ? "" : formatBytes(file.size)}</td>
                <td className="actions">
                  {!file.is_dir && (
                    <button type="button" onClick={() => download(file)}>
                      Download
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
