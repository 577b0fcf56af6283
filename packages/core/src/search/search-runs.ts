import type { Database } from "../db";
import { invalid } from "../shared/errors";
import { parseFilter, parseOrderBy } from "./parse-filter";
import type { SearchRunsParsedInput, SearchRunsResponse } from "./schemas";
import { searchRunsQuery } from "./search-runs-query";
import { ParseError } from "./tokenize";

/** A ParseError as a 400 that names the field (and, for order_by, the item) at fault. */
function parsed<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ParseError) throw invalid(`${field}: ${error.message}`, field);
    throw error;
  }
}

/** POST /experiments/runs/search: parses the filter and order_by (contract section 10), then one page of runs. */
export async function searchRuns(
  db: Database,
  tenantId: string,
  input: SearchRunsParsedInput,
): Promise<SearchRunsResponse> {
  const filter = parsed("filter", () => parseFilter(input.filter ?? ""));
  const orderBy = (input.order_by ?? []).map((item, i) => parsed(`order_by[${i}]`, () => parseOrderBy(item)));
  const page = await searchRunsQuery(db, tenantId, {
    experimentIds: input.experiment_ids,
    filter,
    orderBy,
    maxResults: input.max_results,
    pageToken: input.page_token,
    view: input.view,
    include: input.include,
  });
  return { runs: page.runs, next_page_token: page.nextPageToken };
}
