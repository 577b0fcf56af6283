import { t } from "../../trpc/init";
import { compareRunsProcedure } from "./compare-runs";
import { createRunProcedure } from "./create-run";
import { deleteRunProcedure } from "./delete-run";
import { deleteRunTagProcedure } from "./delete-run-tag";
import { endRunProcedure } from "./end-run";
import { getMetricHistoriesProcedure } from "./get-metric-histories";
import { getMetricHistoryProcedure } from "./get-metric-history";
import { getRunProcedure } from "./get-run";
import { listArtifactsProcedure } from "./list-artifacts";
import { listRunsProcedure } from "./list-runs";
import { logBatchProcedure } from "./log-batch";
import { logMetricsProcedure } from "./log-metrics";
import { logParamsProcedure } from "./log-params";
import { restoreRunProcedure } from "./restore-run";
import { searchRunsProcedure } from "./search-runs";
import { updateRunProcedure } from "./update-run";

export const runsRouter = t.router({
  create: createRunProcedure,
  list: listRunsProcedure,
  compare: compareRunsProcedure,
  search: searchRunsProcedure,
  get: getRunProcedure,
  update: updateRunProcedure,
  delete: deleteRunProcedure,
  restore: restoreRunProcedure,
  deleteTag: deleteRunTagProcedure,
  end: endRunProcedure,
  logMetrics: logMetricsProcedure,
  logParams: logParamsProcedure,
  logBatch: logBatchProcedure,
  metricHistory: getMetricHistoryProcedure,
  metricHistories: getMetricHistoriesProcedure,
  listArtifacts: listArtifactsProcedure,
});
