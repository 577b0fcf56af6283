import { type SQL, sql } from "drizzle-orm";
import { textArray } from "../db/rows";
import type { CompareOp, Comparison, Expr, Value } from "./ast";
import { floatParam, normalizeUuid, operandSql, seriesOf, timeParam } from "./operand-sql";

const OP: Record<CompareOp, SQL> = {
  "=": sql.raw("="),
  "!=": sql.raw("<>"),
  "<": sql.raw("<"),
  "<=": sql.raw("<="),
  ">": sql.raw(">"),
  ">=": sql.raw(">="),
};
const compareNumbers = (a: number, op: CompareOp, b: number) =>
  op === "="
    ? a === b
    : op === "!="
      ? a !== b
      : op === "<"
        ? a < b
        : op === "<="
          ? a <= b
          : op === ">"
            ? a > b
            : a >= b;
/** A param or tag that reads as a number (compared with a number, it is one; any other value does not match). */
const NUMERIC_TEXT = "^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$";
const asNumber = (e: SQL) => sql`(case when ${e} ~ ${NUMERIC_TEXT} then (${e})::float8 end)`;
const num = (v: Value) => (v.type === "number" ? v.value : Number.NaN);

/**
 * The filter as one SQL condition over the run row `r`. A comparison is two-valued: a run that lacks the key
 * does not match it (`!=` included), and `NOT` matches exactly the runs that its operand does not.
 */
export function compileFilter(expr: Expr, tenantId: string, negated = false): SQL {
  switch (expr.type) {
    case "and":
    case "or":
      return sql`(${sql.join(
        expr.items.map((e) => compileFilter(e, tenantId, negated)),
        sql.raw(expr.type === "and" ? " and " : " or "),
      )})`;
    case "not":
      return sql`(not ${compileFilter(expr.expr, tenantId, true)})`;
    default: {
      // NULL (a missing key) and false filter alike, but under NOT only false turns into true.
      const c = comparison(expr, tenantId);
      return negated ? sql`coalesce(${c}, false)` : c;
    }
  }
}

function comparison(c: Comparison, tenantId: string): SQL {
  const o = operandSql(c.operand);
  if (o.source === "series") {
    const v = o.column(sql.raw("s"));
    const within = (cond: SQL) => sql`exists (select 1 ${seriesOf(tenantId, o.key)} and ${cond})`;
    switch (c.type) {
      case "null":
        return c.negated ? within(sql`${v} is not null`) : sql`not ${within(sql`${v} is not null`)}`;
      case "compare": {
        const cond = sql`${v} ${OP[c.op]} ${floatParam(num(c.value))}`;
        if (o.nan !== "as-zero") return within(cond);
        return within(
          compareNumbers(0, c.op, num(c.value)) ? sql`(${cond} or ${v} = 'NaN')` : sql`(${cond} and ${v} <> 'NaN')`,
        );
      }
      case "between": {
        const [lo, hi] = [num(c.low), num(c.high)];
        const cond = sql`${v} between ${floatParam(lo)} and ${floatParam(hi)}`;
        if (o.nan !== "as-zero") return within(cond);
        return within(lo <= 0 && 0 <= hi ? sql`(${cond} or ${v} = 'NaN')` : sql`(${cond} and ${v} <> 'NaN')`);
      }
      default:
        throw new Error(`unreachable: ${c.type} on a metric`);
    }
  }
  const e = o.expr;
  if (c.type === "null") return c.negated ? sql`${e} is not null` : sql`${e} is null`;
  if (o.type === "time") {
    if (c.type === "compare") return sql`${e} ${OP[c.op]} ${timeParam(num(c.value))}`;
    if (c.type === "between") return sql`${e} between ${timeParam(num(c.low))} and ${timeParam(num(c.high))}`;
    throw new Error(`unreachable: ${c.type} on a time`);
  }
  if (o.type === "uuid") {
    if (c.type === "compare" && (c.op === "=" || c.op === "!=") && c.value.type === "string") {
      const id = normalizeUuid(c.value.value);
      if (c.op === "=") return id ? sql`${e} = ${id}::uuid` : sql`false`;
      return id ? sql`${e} <> ${id}::uuid` : sql`${e} is not null`;
    }
    if (c.type === "in") {
      const ids = textArray(c.values.map(normalizeUuid).filter((id): id is string => id !== null));
      return c.negated ? sql`${e} <> all(${ids}::uuid[])` : sql`${e} = any(${ids}::uuid[])`;
    }
    return textComparison(c, sql`${e}::text`);
  }
  return textComparison(c, e);
}

/** Strings compare byte-wise (COLLATE "C"), as MLflow's; a number against a param or tag compares as numbers. */
function textComparison(c: Comparison, e: SQL): SQL {
  switch (c.type) {
    case "compare":
      return c.value.type === "number"
        ? sql`${asNumber(e)} ${OP[c.op]} ${floatParam(c.value.value)}`
        : sql`${e} collate "C" ${OP[c.op]} ${c.value.value}::text`;
    case "between":
      return c.low.type === "number"
        ? sql`${asNumber(e)} between ${floatParam(num(c.low))} and ${floatParam(num(c.high))}`
        : sql`${e} collate "C" between ${String(c.low.value)}::text and ${String(c.high.value)}::text`;
    case "pattern":
      // LIKE and ILIKE with PostgreSQL's default escape (backslash), as MLflow's SQL store on PostgreSQL; RLIKE is `~`.
      return c.op === "LIKE"
        ? sql`${e} like ${c.pattern}::text`
        : c.op === "ILIKE"
          ? sql`${e} ilike ${c.pattern}::text`
          : sql`${e} ~ ${c.pattern}::text`;
    case "in":
      return c.negated
        ? sql`${e} <> all(${textArray(c.values)}::text[])`
        : sql`${e} = any(${textArray(c.values)}::text[])`;
    case "null":
      return c.negated ? sql`${e} is not null` : sql`${e} is null`;
  }
}
