import type { IdMap } from "./replay";

// biome-ignore lint/suspicious/noExplicitAny: recorded and answered JSON, read field by field
type Json = any;

const MAX_DOUBLE = 1.7976931348623157e308;
/** ±inf as MLflow's SQLite store answers it (±DBL_MAX) and as Stepwise does (the strings). */
const value = (v: unknown) => (v === MAX_DOUBLE ? "Infinity" : v === -MAX_DOUBLE ? "-Infinity" : v);
const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const kv = (list: Json[] | undefined, map: (v: string) => string = (v) => v) =>
  (list ?? []).map((t) => ({ key: t.key, value: map(t.value) })).sort(byKey);

/**
 * What an MLflow client reads from an answer (wire.md section 5), normalized so that MLflow's recorded answer
 * (with its ids mapped to this server's, `ids` given) and this server's answer compare equal when they agree.
 */
export function clientView(path: string, body: Json, ids?: IdMap): unknown {
  const exp = (id: string) => (ids ? ids.experiment(id) : id);
  const run = (id: string) => (ids ? ids.run(id) : id);
  const name = (n: string) => (ids ? (ids.names.get(n) ?? n) : n);
  if (body === undefined || body === null) return body;
  if (body.error_code) return { error_code: body.error_code };
  const experiment = (e: Json) => ({
    experiment_id: exp(e.experiment_id),
    name: e.name,
    lifecycle_stage: e.lifecycle_stage,
    artifact_location: typeof e.artifact_location,
    tags: kv(e.tags),
  });
  const info = (i: Json) => ({
    run_id: run(i.run_id),
    experiment_id: exp(i.experiment_id),
    artifact_uri: i.artifact_uri === `mlflow-artifacts:/${i.experiment_id}/${i.run_id}/artifacts`,
    run_name: name(i.run_name),
    status: i.status,
    lifecycle_stage: i.lifecycle_stage,
    start_time: i.start_time,
    end_time: i.end_time,
  });
  const runView = (r: Json) => ({
    info: info(r.info),
    metrics: (r.data?.metrics ?? [])
      .map((m: Json) => ({ key: m.key, value: value(m.value), step: m.step ?? 0, timestamp: m.timestamp }))
      .sort(byKey),
    params: kv(r.data?.params),
    tags: kv(r.data?.tags, (v) => run(name(v))),
    inputs: typeof r.inputs,
  });
  const token = body.next_page_token !== undefined;
  if (path.endsWith("/experiments/create")) return { experiment_id: typeof body.experiment_id };
  if (body.experiment) return { experiment: experiment(body.experiment) };
  if (path.endsWith("/experiments/search") || path.endsWith("/experiments/list")) {
    return { names: (body.experiments ?? []).map((e: Json) => e.name).sort(), token };
  }
  if (body.run) return { run: runView(body.run) };
  if (body.run_info) return { run_info: info(body.run_info) };
  if (path.endsWith("/runs/search"))
    return { runs: (body.runs ?? []).map((r: Json) => run(r.info.run_id)).sort(), token };
  if (path.endsWith("/metrics/get-history")) {
    const points = (body.metrics ?? []).map((m: Json) => ({
      key: m.key,
      value: value(m.value),
      step: m.step ?? 0,
      timestamp: m.timestamp,
    }));
    return { points: points.sort((a: Json, b: Json) => a.step - b.step || a.timestamp - b.timestamp), token };
  }
  if (body.root_uri !== undefined) {
    return {
      root_uri: ids
        ? body.root_uri.replace(
            /^mlflow-artifacts:\/([^/]+)\/([^/]+)/,
            (_: string, e: string, r: string) => `mlflow-artifacts:/${exp(e)}/${run(r)}`,
          )
        : body.root_uri,
      files: body.files ?? [],
    };
  }
  if (path.includes("/mlflow-artifacts/artifacts")) {
    return { files: [...(body.files ?? [])].sort((a, b) => (a.path < b.path ? -1 : 1)) };
  }
  return body;
}

/** The field shape of a JSON answer as the traces record it (`run.info.run_id:string`, `metrics[]:object`, ...). */
export function shapeOf(body: unknown, path = "", out = new Set<string>()): Set<string> {
  const type = Array.isArray(body) ? "array" : body === null ? "null" : typeof body;
  if (path) out.add(`${path}:${type}`);
  if (Array.isArray(body)) for (const item of body) shapeOf(item, `${path}[]`, out);
  else if (body && typeof body === "object") {
    for (const [k, v] of Object.entries(body)) shapeOf(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}
