import { type SQL, sql } from "drizzle-orm";
import type { OrderByItem } from "./ast";
import { operandSql } from "./operand-sql";
import type { Cursor } from "./page-token";

/** One sort key: its SQL value over `r`, how a cursor value is cast back, and which classes it has. */
interface SortKey {
  value: SQL;
  /** The join that `value` reads from, for a metric. */
  join?: SQL;
  cast: (v: SQL) => SQL;
  descending: boolean;
  /** 0 a value, 1 NaN, 2 missing: NaN and missing keys come last in both directions (as MLflow sorts them). */
  classes: (0 | 1 | 2)[];
  /** For the first key of a metric: the series column, read from a join on the series instead of a subquery. */
  series?: { key: string; column: (s: SQL) => SQL };
}

const CAST: Record<string, (v: SQL) => SQL> = {
  float: (v) => sql`${v}::float8`,
  text: (v) => sql`${v}::text collate "C"`,
  time: (v) => sql`${v}::timestamptz`,
  uuid: (v) => sql`${v}::uuid`,
};

export function sortKeys(orderBy: OrderByItem[], tenantId: string): SortKey[] {
  return orderBy.map(({ operand, descending }, i) => {
    const o = operandSql(operand);
    if (o.source === "series") {
      // One left join per metric key (not a subquery per use): a run without the series reads null.
      const alias = sql.raw(`k${i}`);
      return {
        value: o.column(alias),
        join: sql` left join metric_series ${alias} on ${alias}.tenant_id = ${tenantId} and ${alias}.run_id = r.id and ${alias}.key = ${o.key}::text`,
        cast: CAST.float as (v: SQL) => SQL,
        descending,
        classes: o.nan === "none" ? [0, 2] : [0, 1, 2],
        series: { key: o.key, column: o.column },
      };
    }
    const value = o.type === "text" ? sql`(${o.expr} collate "C")` : o.expr;
    return { value, cast: CAST[o.type] as (v: SQL) => SQL, descending, classes: o.nullable ? [0, 2] : [0] };
  });
}

const classOf = (k: SortKey, v: SQL): SQL =>
  k.classes.length === 1
    ? sql`0`
    : k.classes.includes(1)
      ? sql`(case when ${v} is null then 2 when ${v} = 'NaN' then 1 else 0 end)`
      : sql`(case when ${v} is null then 2 else 0 end)`;

interface Component {
  expr: SQL;
  descending: boolean;
  /** The cursor's value for it as SQL, or null when rows equal to the cursor's class all tie on it. */
  cursor: SQL | null;
}

/** Rows strictly after the cursor in the order of `components`: (a > c) or (a = c and b > d) or ... */
function after(components: Component[]): SQL {
  const live = components.filter((c) => c.cursor !== null);
  const terms = live.map((c, i) => {
    const equal = live.slice(0, i).map((p) => sql`${p.expr} = ${p.cursor}`);
    const strict = sql`${c.expr} ${sql.raw(c.descending ? "<" : ">")} ${c.cursor}`;
    return sql`(${sql.join([...equal, strict], sql` and `)})`;
  });
  // The first component's bound again, alone: an index on it then starts the scan at the cursor.
  const [lead] = live;
  const bound = lead ? sql` and ${lead.expr} ${sql.raw(lead.descending ? "<=" : ">=")} ${lead.cursor}` : sql``;
  return sql`((${sql.join(terms, sql` or `)})${bound})`;
}

export interface PageQuery {
  keys: SortKey[];
  tenantId: string;
  /** The conditions every returned run meets (tenant, experiments, view, filter), over `r`. */
  where: SQL;
  cursor: Cursor | null;
  /** Rows per branch: a page plus one (plus an offset, for MLflow's offset tokens). */
  limit: number;
}

/**
 * The runs of one page, in order, as ONE statement: the first sort key splits the runs into its classes
 * (values, then NaN, then missing), one branch each, appended in order; the page's LIMIT stops at the first
 * branches that fill it, so the missing-key branch only runs when the page reaches it. A metric's value branch
 * walks the series index in order. Each branch selects the run, its sort values (for the next token) and start time.
 */
export function pageBranches(q: PageQuery): SQL {
  const [first, ...rest] = q.keys;
  const classes = first ? first.classes : [0 as const];
  const cursorClass = q.cursor && first ? Number(q.cursor[0]) : null;
  const branches = classes
    .filter((cls) => cursorClass === null || cls >= cursorClass)
    .map((cls) => branch(q, cls, first, rest, cursorClass === cls || (cursorClass === null && q.cursor !== null)));
  return sql.join(branches, sql` union all `);
}

function branch(q: PageQuery, cls: 0 | 1 | 2, first: SortKey | undefined, rest: SortKey[], keyset: boolean): SQL {
  const cursor = q.cursor;
  const param = (i: number) => (cursor ? sql`${cursor[i]}` : sql`null`);
  const components: Component[] = [];
  const selects: SQL[] = [];
  let from = sql`runs r`;
  const joins = rest.flatMap((k) => (k.join ? [k.join] : []));
  const where: SQL[] = [q.where];
  let offset = 0;
  if (first) {
    let v = first.value;
    if (first.series && cls !== 2) {
      // Driven by the series index on (tenant, key, value), in order: the page stops after a page of rows.
      from = sql`metric_series m0 join runs r on r.tenant_id = m0.tenant_id and r.id = m0.run_id`;
      v = first.series.column(sql.raw("m0"));
      where.push(sql`m0.tenant_id = ${q.tenantId} and m0.key = ${first.series.key}::text and ${v} is not null`);
      if (first.classes.includes(1)) where.push(cls === 1 ? sql`${v} = 'NaN'` : sql`${v} <> 'NaN'`);
    } else if (cls === 2) {
      if (first.join) joins.unshift(first.join);
      where.push(sql`${first.value} is null`);
    } else if (first.classes.length > 1) {
      where.push(sql`${first.value} is not null`);
    }
    selects.push(sql`${cls}::int as c0`, cls === 0 ? sql`(${v})::text as v0` : sql`null::text as v0`);
    if (cls === 0) components.push({ expr: v, descending: first.descending, cursor: first.cast(param(1)) });
    offset = 2;
  }
  rest.forEach((k, j) => {
    const i = offset + 2 * j;
    const c = classOf(k, k.value);
    selects.push(sql`${c}::int as ${sql.raw(`c${j + 1}`)}`, sql`(${k.value})::text as ${sql.raw(`v${j + 1}`)}`);
    if (k.classes.length > 1) components.push({ expr: c, descending: false, cursor: sql`${param(i)}::int` });
    const valued = !cursor || Number(cursor[i]) === 0;
    components.push({ expr: k.value, descending: k.descending, cursor: valued ? k.cast(param(i + 1)) : null });
  });
  const n = offset + 2 * rest.length;
  components.push(
    { expr: sql`r.start_time`, descending: true, cursor: sql`${param(n)}::timestamptz` },
    { expr: sql`r.id`, descending: false, cursor: sql`${param(n + 1)}::uuid` },
  );
  if (cursor && keyset) where.push(after(components));
  const order = sql.join(
    components.map((c) => sql`${c.expr} ${sql.raw(c.descending ? "desc" : "asc")}`),
    sql`, `,
  );
  return sql`(select r.*, ${sql.join(selects, sql`, `)}${selects.length ? sql`, ` : sql``}r.start_time::text as st
    from ${from}${sql.join(joins, sql``)} where ${sql.join(where, sql` and `)} order by ${order} limit ${q.limit})`;
}
