import { t } from "../../trpc/init";
import { archiveExperimentProcedure } from "./archive-experiment";
import { createExperimentProcedure } from "./create-experiment";
import { getExperimentProcedure } from "./get-experiment";
import { listExperimentsProcedure } from "./list-experiments";
import { restoreExperimentProcedure } from "./restore-experiment";
import { updateExperimentProcedure } from "./update-experiment";

export const experimentsRouter = t.router({
  create: createExperimentProcedure,
  list: listExperimentsProcedure,
  get: getExperimentProcedure,
  update: updateExperimentProcedure,
  archive: archiveExperimentProcedure,
  restore: restoreExperimentProcedure,
});
