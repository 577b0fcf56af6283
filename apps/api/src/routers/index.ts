import { t } from "../trpc/init";
import { disableImplicitCoercion } from "../trpc/strict-inputs";
import { adminRouter } from "./admin/router";
import { experimentsRouter } from "./experiments/router";
import { runsRouter } from "./runs/router";

/**
 * The whole API. `runs` comes before `experiments` on purpose: trpc-to-openapi matches REST paths in
 * procedure order, and `/experiments/runs` must win over `/experiments/{id}` (a test guards this).
 */
export const appRouter = t.router({
  runs: runsRouter,
  experiments: experimentsRouter,
  admin: adminRouter,
});
disableImplicitCoercion(appRouter);

export type AppRouter = typeof appRouter;
