import { type SQL, sql } from "drizzle-orm";
import type { Database, tables } from "../db";
import { queryRows, textArray } from "../db/rows";
import { encodeMetricValue } from "../metrics/metric-value";
import type { RunResponse } from "../runs/schemas";
import { toRunResponse } from "../runs/to-response";
import { invalid, notFound } from "../shared/errors";
import { LIMITS } from "../shared/limits";
import { type Expr, type OrderByItem, operandText } from "./ast";
import { compileFilter } from "./compile-filter";
import { pageBranches, sortKeys } from "./compile-page";
import { type Cursor, decodePageToken, encodePageToken, queryHash } from "./page-token";
import type { RunView } from "./schemas";
import { searchFailure } from "./search-errors";

/** A parsed search, for callers that parse the filter themselves (the MLflow API parses MLflow's dialect). */
export interface RunSearchQuery {
  experimentIds: string[];
  filter: Expr | null;
  orderBy: OrderByItem[];
  maxResults: number;
  /** A next_page_token of this same query. */
  pageToken?: string | null;
  /** Skip this many runs instead (MLflow's own `{"offset": N}` tokens); ignored with a pageToken. */
  offset?: number;
  view: RunView;
  include?: { metrics?: string[]; params?: string[]; tags?: string[] };
  /** The statement timeout (PostgreSQL only: PGlite ignores statement_timeout); LIMITS.searchTimeoutMs by default. */
  timeoutMs?: number;
}

export interface RunSearchPage {
  runs: RunResponse[];
  nextPageToken: string | null;
}

const VIEW: Record<RunView, SQL> = {
  active: sql`r.deleted_at is null`,
  deleted: sql`r.deleted_at is not null`,
  all: sql`true`,
};
const iso = (column: string) => sql.raw(`to_char(p.${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

type Row = Record<string, string | number | null | undefined>;

/**
 * The runs of the given experiments that match the filter, in the requested order (ties: newest start, then
 * ID), one page at a time with keyset page tokens: ONE statement per page, under a statement timeout.
 */
export async function searchRunsQuery(db: Database, tenantId: string, q: RunSearchQuery): Promise<RunSearchPage> {
  const seen = new Set<string>();
  for (const item of q.orderBy) {
    const name = operandText(item.operand);
    if (seen.has(name)) throw invalid(`order_by names ${name} twice`, "order_by");
    seen.add(name);
  }
  const experimentIds = [...new Set(q.experimentIds)].sort();
  const hash = queryHash({ tenantId, experimentIds, filter: q.filter, orderBy: q.orderBy, view: q.view });
  const keys = sortKeys(q.orderBy, tenantId);
  const cursor = q.pageToken ? decodePageToken(q.pageToken, hash, 2 * keys.length + 2) : null;
  const offset = cursor ? 0 : Math.max(0, Math.floor(q.offset ?? 0));
  const where = sql.join(
    [
      sql`r.tenant_id = ${tenantId}`,
      sql`r.experiment_id = any(${textArray(experimentIds)}::uuid[])`,
      VIEW[q.view],
      ...(q.filter ? [compileFilter(q.filter, tenantId)] : []),
    ],
    sql` and `,
  );
  const branches = pageBranches({ keys, tenantId, where, cursor, limit: offset + q.maxResults + 1 });
  const metricKeys = q.include?.metrics ? sql`and s.key = any(${textArray(q.include.metrics)}::text[])` : sql``;
  const sortColumns = [...keys.flatMap((_, i) => [`c${i}`, `v${i}`]), "st"].map((c) => sql.raw(`p.${c}`));
  const statement = sql`
    select p.id::text as id, p.experiment_id::text as experiment_id, p.name, p.description, p.status,
      ${iso("start_time")} as start_time, ${iso("end_time")} as end_time, p.artifact_uri,
      p.tags::text as tags, p.params::text as params, ${iso("created_at")} as created_at,
      ${iso("updated_at")} as updated_at, p.parent_run_id::text as parent_run_id, ${iso("deleted_at")} as deleted_at,
      ${sql.join(sortColumns, sql`, `)},
      (select coalesce(json_agg(json_build_array(s.key, s.last_value::text, s.last_step, s.last_timestamp)), '[]')::text
        from metric_series s
        where s.tenant_id = ${tenantId} and s.run_id = p.id and s.last_value is not null ${metricKeys}) as metrics
    from (${branches}) p offset ${offset} limit ${q.maxResults + 1}`;

  const timeoutMs = q.timeoutMs ?? LIMITS.searchTimeoutMs;
  const rows = await db.transaction(async (tx) => {
    await assertExperiments(tx, tenantId, experimentIds);
    // One bad query must not hold a connection: cancelled past the timeout (and never spread over parallel workers,
    // so the branches are appended in order).
    await tx.execute(sql`select set_config('statement_timeout', ${String(timeoutMs)}, true),
      set_config('max_parallel_workers_per_gather', '0', true)`);
    return queryRows<Row>(tx, statement).catch((error) => {
      throw searchFailure(error, timeoutMs) ?? error;
    });
  });
  const page = rows.slice(0, q.maxResults);
  const last = page[page.length - 1];
  const nextCursor: Cursor | null =
    rows.length > q.maxResults && last
      ? [...sortColumns.map((_, i) => cursorValue(last, keys.length, i)), String(last.id)]
      : null;
  return {
    runs: page.map((row) => toResponse(row, q.include)),
    nextPageToken: nextCursor ? encodePageToken(hash, nextCursor) : null,
  };
}

function cursorValue(row: Row, keyCount: number, i: number) {
  if (i === 2 * keyCount) return row.st ?? null;
  const name = i % 2 === 0 ? `c${i / 2}` : `v${(i - 1) / 2}`;
  const value = row[name] ?? null;
  return i % 2 === 0 ? Number(value) : value;
}

async function assertExperiments(db: Database, tenantId: string, ids: string[]) {
  const found = await queryRows<{ id: string }>(
    db,
    sql`select id::text as id from experiments where tenant_id = ${tenantId} and id = any(${textArray(ids)}::uuid[])`,
  );
  const known = new Set(found.map((r) => r.id));
  const missing = ids.find((id) => !known.has(id));
  if (missing) throw notFound("Experiment", missing);
}

const pick = (map: Record<string, string>, keys: string[] | undefined) =>
  keys ? Object.fromEntries(keys.filter((k) => Object.hasOwn(map, k)).map((k) => [k, map[k] as string])) : map;

function toResponse(row: Row, include: RunSearchQuery["include"]): RunResponse {
  const date = (v: string | number | null | undefined) => (v == null ? null : new Date(String(v)));
  const runRow = {
    tenantId: "",
    id: String(row.id),
    experimentId: String(row.experiment_id),
    name: String(row.name),
    description: row.description == null ? null : String(row.description),
    status: row.status as RunResponse["status"],
    startTime: date(row.start_time) as Date,
    endTime: date(row.end_time),
    artifactUri: String(row.artifact_uri),
    tags: pick(JSON.parse(String(row.tags)), include?.tags),
    params: pick(JSON.parse(String(row.params)), include?.params),
    createdAt: date(row.created_at) as Date,
    updatedAt: date(row.updated_at) as Date,
    parentRunId: row.parent_run_id == null ? null : String(row.parent_run_id),
    deletedAt: date(row.deleted_at),
  } as typeof tables.runs.$inferSelect;
  const metrics: RunResponse["metrics"] = {};
  for (const [key, value, step, timestamp] of JSON.parse(String(row.metrics)) as [string, string, number, number][]) {
    metrics[key] = { value: encodeMetricValue(Number(value)), step, timestamp };
  }
  return toRunResponse(runRow, metrics);
}
