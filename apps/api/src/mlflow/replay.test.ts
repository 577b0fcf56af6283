import { describe, expect, it } from "vitest";
import { storesUnderTest } from "../testing/artifact-stores";
import { clientView, shapeOf } from "./testing/client-view";
import { mlflowTestApp } from "./testing/mlflow-app";
import { IdMap, readTrace, requestBody } from "./testing/replay";

/** The traces in the order they were recorded against one MLflow server (later ones find earlier experiments). */
const TRACES = ["a", "b", "c-percall", "c-envvar", "d", "e", "f"];

/**
 * Where Stepwise answers differently from MLflow 3.6 on purpose (contract section 11, wire.md sections 4, 8, 9),
 * by the client call: the answer expected instead of the recorded one.
 */
const DEVIATIONS: Record<string, { status: number; view?: unknown }> = {
  // MLflow answers 500 (and the client retries for 4 minutes); a bad id is a 4xx here.
  "get_experiment('abc') non-numeric": { status: 404, view: { error_code: "RESOURCE_DOES_NOT_EXIST" } },
  // The legacy alias is served (a cheap extra of wire.md section 9).
  "Experiments.list() (removed in MLflow 2.0)": { status: 200 },
  // MLflow 3.6 answers zero points without max_results; the documented (and contract's) answer is all of them.
  'Metrics.getHistory({run_id, metric_key:"loss"})': { status: 200 },
  // Both 404; MLflow's is an HTML page, this one MLflow's JSON ENDPOINT_NOT_FOUND.
  "Experiments.setExperimentTag (path bug)": { status: 404, view: { error_code: "ENDPOINT_NOT_FOUND" } },
};

/**
 * Fields of a long answer that a client may read (wire.md section 5) and so must be there. Left out: the
 * string spelling of a metric value (only NaN and the infinities have it, and MLflow's SQLite store answers
 * the infinities as numbers).
 */
const CLIENT_READS = /^(?!.*\.value:string$)/;

describe.each(storesUnderTest())("replay of the recorded MLflow traces ($name)", ({ settings }) => {
  it("answers every recorded request with the recorded status and the fields the client reads", {
    timeout: 300_000,
  }, async () => {
    const { ml, newTenant } = await mlflowTestApp({ artifacts: settings });
    const me = await newTenant();
    const ids = new IdMap();
    // MLflow's Default experiment exists from the server's start; here it is made on first use.
    expect((await ml(me, "GET", "experiments/get", { query: { experiment_id: "0" } })).status).toBe(200);
    const mismatches: unknown[] = [];
    for (const trace of TRACES) {
      for (const x of readTrace(trace)) {
        const query = ids.value(x.query) as Record<string, string>;
        const path = x.path.includes("/mlflow-artifacts/artifacts/")
          ? x.path.replace(/(\/mlflow-artifacts\/artifacts\/)(.*)$/, (_, p, rest) => p + ids.artifactPath(rest))
          : x.path;
        const headers: Record<string, string> = {};
        if (x.req_headers["content-type"]) headers["content-type"] = x.req_headers["content-type"];
        const res = await ml(me, x.method, path, { query, body: requestBody(x, ids), headers });
        ids.learn(x, res.body);
        const deviation = DEVIATIONS[x.call];
        // An answer the trace kept only in part (over 2 KB): its full field shape, which ours must hold.
        const truncated = x.res.body === undefined && x.res.body_raw === undefined;
        const expected = deviation
          ? { status: deviation.status, view: deviation.view }
          : {
              status: x.status,
              view: truncated
                ? x.res.body_shape
                : x.res.body_raw !== undefined
                  ? x.res.body_raw
                  : clientView(x.path, x.res.body, ids),
            };
        const ourShape = shapeOf(res.body);
        const actual = {
          status: res.status,
          view: deviation
            ? deviation.view && clientView(path, res.body)
            : truncated
              ? (x.res.body_shape ?? []).filter((field: string) => ourShape.has(field) || !CLIENT_READS.test(field))
              : x.res.body_raw !== undefined
                ? res.text
                : clientView(path, res.body),
        };
        try {
          expect(actual).toEqual(expected);
        } catch {
          mismatches.push(
            `${trace}#${x.seq} ${x.call} ${x.method} ${path}\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`,
          );
        }
      }
    }
    expect(mismatches.join("\n")).toBe("");
  });
});
