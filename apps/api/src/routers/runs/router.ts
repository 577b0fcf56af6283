import { t } from "../../trpc/init";
import { createRunProcedure } from "./create-run";
import { endRunProcedure } from "./end-run";
import { getRunProcedure } from "./get-run";
import { listRunsProcedure } from "./list-runs";

export const runsRouter = t.router({
  create: createRunProcedure,
  list: listRunsProcedure,
  get: getRunProcedure,
  end: endRunProcedure,
});
