import { t } from "../../trpc/init";
import { compareRunsProcedure } from "./compare-runs";
import { createRunProcedure } from "./create-run";
import { endRunProcedure } from "./end-run";
import { getMetricHistoriesProcedure } from "./get-metric-histories";
import { getMetricHistoryProcedure } from "./get-metric-history";
import { getRunProcedure } from "./get-run";
import { listArtifactsProcedure } from "./list-artifacts";
import { listRunsProcedure } from "./list-runs";
import { logBatchProcedure } from "./log-batch";
import { logMetricsProcedure } from "./log-metrics";
import { logParamsProcedure } from "./log-params";

export const runsRouter = t.router({
  create: createRunProcedure,
  list: listRunsProcedure,
  compare: compareRunsProcedure,
  get: getRunProcedure,
  end: endRunProcedure,
  logMetrics: logMetricsProcedure,
  logParams: logParamsProcedure,
  logBatch: logBatchProcedure,
  metricHistory: getMetricHistoryProcedure,
  metricHistories: getMetricHistoriesProcedure,
  listArtifacts: listArtifactsProcedure,
});
