import { t } from "../trpc/init";
import { adminRouter } from "./admin/router";
import { experimentsRouter } from "./experiments/router";
import { runsRouter } from "./runs/router";

/** The whole API: each procedure is a tRPC procedure and, with OpenAPI metadata, a REST route (rest/dispatch.ts). */
export const appRouter = t.router({
  experiments: experimentsRouter,
  runs: runsRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
