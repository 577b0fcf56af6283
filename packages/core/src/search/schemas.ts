import { z } from "zod";
import { RunResponse } from "../runs/schemas";
import { id, keySchema, text } from "../shared/common-schemas";
import { LIMITS } from "../shared/limits";

export const RunView = z.enum(["active", "deleted", "all"]);
export type RunView = z.infer<typeof RunView>;

const keyList = z.array(keySchema).max(LIMITS.includeKeys);

export const SearchRunsInput = z.object({
  experiment_ids: z
    .array(id())
    .min(1, "experiment_ids must name at least one experiment")
    .max(LIMITS.searchExperimentsMax, `experiment_ids may name at most ${LIMITS.searchExperimentsMax} experiments`),
  filter: text().max(LIMITS.filterChars, `filter must be at most ${LIMITS.filterChars} characters`).optional().meta({
    description:
      "The run search language of contract section 10, e.g. `metrics.loss < 0.1 AND params.optimizer = 'adam'`",
  }),
  order_by: z
    .array(text().max(LIMITS.filterChars))
    .max(LIMITS.orderByItems, `order_by may hold at most ${LIMITS.orderByItems} items`)
    .optional()
    .meta({ description: "Items such as `metrics.loss DESC` or `min(metrics.loss)`; missing keys come last" }),
  max_results: z
    .int("max_results must be an integer")
    .min(1, "max_results must be at least 1")
    .max(LIMITS.searchResultsMax, `max_results must be at most ${LIMITS.searchResultsMax}`)
    .default(LIMITS.searchResultsDefault),
  page_token: text()
    .max(LIMITS.filterChars * 4)
    .nullable()
    .optional(),
  view: RunView.default("active"),
  include: z
    .object({ metrics: keyList.optional(), params: keyList.optional(), tags: keyList.optional() })
    .optional()
    .meta({ description: "Which keys of metrics, params and tags each run carries (all when left out)" }),
});
export type SearchRunsInput = z.input<typeof SearchRunsInput>;
export type SearchRunsParsedInput = z.output<typeof SearchRunsInput>;

export const SearchRunsResponse = z
  .object({ runs: z.array(RunResponse), next_page_token: z.string().nullable() })
  .meta({ id: "SearchRunsResponse" });
export type SearchRunsResponse = z.infer<typeof SearchRunsResponse>;
