import { asc, desc, type SQL, sql } from "drizzle-orm";
import { experiments } from "../db/schema";
import { nearToken, ParseError, type Token, tokenize } from "../search/tokenize";
import { invalid } from "../shared/errors";

/**
 * MLflow's experiment search grammar (its search_experiments): comparisons joined by AND, on `name`,
 * `creation_time`, `last_update_time` (optionally as `attributes.<name>`) and `tags.<key>`; strings take
 * =, !=, LIKE, ILIKE and a quoted value, times =, !=, <, <=, >, >= and epoch milliseconds.
 */
const TIME_COLUMNS = { creation_time: experiments.createdAt, last_update_time: experiments.updatedAt } as const;
const STRING_OPS = new Set(["=", "!=", "LIKE", "ILIKE"]);
const NUMERIC_OPS = new Set(["=", "!=", "<", "<=", ">", ">="]);
const fail = (t: Token, why: string) =>
  invalid(`Invalid filter at position ${t.position} near ${nearToken(t)}: ${why}`, "filter");

type Operand = { kind: "name" } | { kind: "time"; name: keyof typeof TIME_COLUMNS } | { kind: "tag"; key: string };

function operand(tokens: Token[], at: number): [Operand, number] {
  const t = tokens[at] as Token;
  if (t.kind === "backtick" || t.kind === "dquote") return [attribute(t.value, t), at + 1];
  if (t.kind !== "word") throw fail(t, "expected name, creation_time, last_update_time or tags.<key>");
  const dot = t.text.indexOf(".");
  if (dot < 0) return [attribute(t.text, t), at + 1];
  const prefix = t.text.slice(0, dot);
  let key = t.text.slice(dot + 1);
  let next = at + 1;
  const quoted = tokens[next] as Token;
  if (key === "" && (quoted.kind === "backtick" || quoted.kind === "dquote") && quoted.position === t.end) {
    key = quoted.value;
    next++;
  }
  if (key === "") throw fail(t, `a key must follow '${t.text}'`);
  if (prefix === "attribute" || prefix === "attributes") return [attribute(key, t), next];
  if (prefix === "tag" || prefix === "tags") return [{ kind: "tag", key }, next];
  throw fail(t, `unknown entity '${prefix}': expected attributes or tags`);
}

function attribute(name: string, t: Token): Operand {
  if (name === "name") return { kind: "name" };
  if (name === "creation_time" || name === "last_update_time") return { kind: "time", name };
  throw fail(t, `unknown attribute '${name}': expected name, creation_time or last_update_time`);
}

/** The SQL condition of an MLflow experiment filter (null for an empty one); a bad filter is a 400. */
export function experimentFilter(text: string): SQL | null {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    if (error instanceof ParseError) throw invalid(`Invalid filter: ${error.message}`, "filter");
    throw error;
  }
  const conditions: SQL[] = [];
  let at = 0;
  while ((tokens[at] as Token).kind !== "eof") {
    if (conditions.length) {
      const and = tokens[at] as Token;
      if (and.kind !== "word" || and.text.toUpperCase() !== "AND")
        throw fail(and, "expected AND (MLflow's grammar joins comparisons with AND only)");
      at++;
    }
    const [o, next] = operand(tokens, at);
    const opToken = tokens[next] as Token;
    const op = opToken.text.toUpperCase();
    const value = tokens[next + 1] as Token;
    at = next + 2;
    if (o.kind === "time") {
      if (!NUMERIC_OPS.has(op)) throw fail(opToken, `${o.name} takes =, !=, <, <=, >, >=`);
      if (value.kind !== "number") throw fail(value, `${o.name} compares with epoch milliseconds`);
      conditions.push(sql`${TIME_COLUMNS[o.name]} ${sql.raw(op)} to_timestamp(${Number(value.text)}::float8 / 1000)`);
      continue;
    }
    if (!STRING_OPS.has(op)) throw fail(opToken, "a name or tag takes =, !=, LIKE or ILIKE");
    if (value.kind !== "squote" && value.kind !== "dquote") throw fail(value, "expected a quoted string");
    const column = o.kind === "name" ? sql`${experiments.name}` : sql`(${experiments.tags} ->> ${o.key})`;
    conditions.push(sql`${column} ${sql.raw(op === "!=" ? "<>" : op)} ${value.value}`);
  }
  return conditions.length ? sql.join(conditions, sql` and `) : null;
}

const ORDER_COLUMNS = {
  name: experiments.name,
  experiment_id: experiments.id,
  creation_time: experiments.createdAt,
  last_update_time: experiments.updatedAt,
} as const;

/** MLflow's experiment order_by items (`name ASC`, `creation_time DESC`, ...) as SQL; by id last, for stable pages. */
export function experimentOrder(items: string[]): SQL[] {
  const order = items.map((item) => {
    const match = /^\s*(?:attributes?\.)?(\w+)\s*(ASC|DESC)?\s*$/i.exec(item);
    const column = match ? ORDER_COLUMNS[match[1] as keyof typeof ORDER_COLUMNS] : undefined;
    if (!match || !column) {
      throw invalid(
        `Invalid order_by clause '${item}': order by name, experiment_id, creation_time or last_update_time, then ASC or DESC`,
        "order_by",
      );
    }
    return match[2]?.toUpperCase() === "DESC" ? desc(column) : asc(column);
  });
  if (!items.length) order.push(desc(experiments.createdAt));
  return [...order, asc(experiments.id)];
}
